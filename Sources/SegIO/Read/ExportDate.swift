import SegBase

/// A date as bank systems and spreadsheets export it: `2024-03-05`, `2024/03/05`, `2024-3-5`,
/// `2024.03.05`, `20240305` (years 1900…2099 only, so that an eight-digit amount is not read as a
/// date), `2024年3月5日`; a time of day after the date (`2024-03-05 10:22:33`, `2024/3/5 9:05`,
/// `2024-03-05T10:22:33`) is read and dropped, and said (`hadTime`). Always year, month, day, as
/// Chinese systems write them: `03/05/2024` is not read (it could be March or May).
struct ExportDate {
    /// Days since 1970-01-01.
    var day: Int32
    /// A time of day followed the date.
    var hadTime: Bool

    init?(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var i = 0
        @inline(__always) func digits(max: Int) -> (value: Int, count: Int) {
            var v = 0, c = 0
            while i < n, c < max, p[i] &- 0x30 < 10 {
                v = v * 10 + Int(p[i] - 0x30)
                i += 1
                c += 1
            }
            return (v, c)
        }
        @inline(__always) func skip(_ mark: [UInt8]) -> Bool {
            guard i + mark.count <= n else { return false }
            for k in 0..<mark.count where p[i + k] != mark[k] { return false }
            i += mark.count
            return true
        }
        let (y, yc) = digits(max: 8)
        var m = 0, d = 0
        if yc == 8 {
            // 20240305
            let year = y / 10_000
            guard year >= 1900, year <= 2099 else { return nil }
            (m, d) = ((y / 100) % 100, y % 100)
            guard i == n else { return nil }
            guard let day = Self.day(year, m, d) else { return nil }
            self.day = day
            hadTime = false
            return
        }
        guard yc == 4, i < n else { return nil }
        let year = y
        if skip(Self.nian) {
            let (mv, mc) = digits(max: 2)
            guard mc > 0, skip(Self.yue) else { return nil }
            let (dv, dc) = digits(max: 2)
            guard dc > 0 else { return nil }
            _ = skip(Self.ri)
            (m, d) = (mv, dv)
        } else {
            let separator = p[i]
            guard separator == 0x2D || separator == 0x2F || separator == 0x2E else { return nil }
            i += 1
            let (mv, mc) = digits(max: 2)
            guard mc > 0, i < n, p[i] == separator else { return nil }
            i += 1
            let (dv, dc) = digits(max: 2)
            guard dc > 0 else { return nil }
            (m, d) = (mv, dv)
        }
        var time = false
        if i < n {
            // A time of day: ` 10:22`, ` 10:22:33`, `T10:22:33.123`, then nothing else.
            guard p[i] == 0x20 || p[i] == 0x54 else { return nil }
            i += 1
            let (h, hc) = digits(max: 2)
            guard hc > 0, h < 24, i < n, p[i] == 0x3A else { return nil }
            i += 1
            let (mi, mic) = digits(max: 2)
            guard mic == 2, mi < 60 else { return nil }
            if i < n, p[i] == 0x3A {
                i += 1
                let (s, sc) = digits(max: 2)
                guard sc == 2, s <= 60 else { return nil }
                if i < n, p[i] == 0x2E {
                    i += 1
                    guard digits(max: 9).count > 0 else { return nil }
                }
            }
            guard i == n else { return nil }
            time = true
        }
        guard let day = Self.day(year, m, d) else { return nil }
        self.day = day
        hadTime = time
    }

    private static let nian: [UInt8] = [0xE5, 0xB9, 0xB4]  // 年
    private static let yue: [UInt8] = [0xE6, 0x9C, 0x88]   // 月
    private static let ri: [UInt8] = [0xE6, 0x97, 0xA5]    // 日

    /// The day number of a real calendar day.
    static func day(_ y: Int, _ m: Int, _ d: Int) -> Int32? {
        guard m >= 1, m <= 12, d >= 1, d <= CivilDate.daysInMonth(year: y, month: m) else { return nil }
        return Int32(CivilDate.days(year: y, month: m, day: d))
    }
}
