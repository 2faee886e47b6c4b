/// Exact fixed-point numbers: parsing and formatting of scaled `Int64` values.
public enum FixedPoint {
    public static let powersOfTen: [Int64] = (0...18).map { p in (0..<p).reduce(Int64(1)) { acc, _ in acc * 10 } }

    /// Formats `raw / 10^scale` with exactly `scale` fraction digits, and thousands separators if asked.
    public static func format(_ raw: Int64, scale: Int, grouping: Bool = false) -> String {
        let negative = raw < 0
        let magnitude = raw.magnitude
        let p = UInt64(powersOfTen[scale])
        let whole = magnitude / p
        let frac = magnitude % p
        var w = String(whole)
        if grouping && w.count > 3 {
            var grouped = ""
            for (i, c) in w.enumerated() {
                if i > 0 && (w.count - i) % 3 == 0 { grouped.append(",") }
                grouped.append(c)
            }
            w = grouped
        }
        var s = negative ? "-" + w : w
        if scale > 0 {
            var f = String(frac)
            while f.count < scale { f = "0" + f }
            s += "." + f
        }
        return s
    }

    public static func format(_ value: Int64, grouping: Bool) -> String { format(value, scale: 0, grouping: grouping) }
}
