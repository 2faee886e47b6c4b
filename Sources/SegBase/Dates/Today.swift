#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Today's date for relative dates: `--today`, else `SEG_TODAY`, else the machine's local date.
public enum Today {
    public static func resolve(flag: String?, environment: String?) throws -> Int {
        if let flag {
            guard let d = CivilDate.parse(flag) else {
                throw SegError(.usage, .usage(.dateOption(option: "--today", found: flag)))
            }
            return d
        }
        if let environment, !environment.isEmpty {
            guard let d = CivilDate.parse(environment) else {
                throw SegError(.usage, .usage(.dateOption(option: "SEG_TODAY", found: environment)))
            }
            return d
        }
        return machineDate()
    }

    public static func machineDate() -> Int {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return CivilDate.days(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
    }
}
