/// Calendar dates as day numbers since 1970-01-01 (proleptic Gregorian), as stored in date columns.
/// Conversions follow Howard Hinnant's `days_from_civil` / `civil_from_days`.
public enum CivilDate {
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses exactly `YYYY-MM-DD` with a real calendar day; nil otherwise.
    public static func parse<C: Collection<UInt8>>(_ bytes: C) -> Int? where C.Index == Int {
        guard bytes.count == 10 else { return nil }
        let b = bytes.startIndex
        guard bytes[b + 4] == UInt8(ascii: "-"), bytes[b + 7] == UInt8(ascii: "-") else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            var v = 0
            for i in from..<(from + len) {
                let c = bytes[b + i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = num(0, 4), let m = num(5, 2), let d = num(8, 2),
              m >= 1, m <= 12, d >= 1, d <= daysInMonth(year: y, month: m) else { return nil }
        return days(year: y, month: m, day: d)
    }

    public static func parse(_ text: String) -> Int? { parse(Array(text.utf8)) }

    public static func format(_ days: Int) -> String {
        let (y, m, d) = civil(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var year = String(y)
        while year.count < 4 { year = "0" + year }
        return "\(year)-\(two(m))-\(two(d))"
    }

    /// The dates seg reads, writes and computes: four-digit years, 0000-01-01 … 9999-12-31.
    public static let supportedRange = days(year: 0, month: 1, day: 1)...days(year: 9999, month: 12, day: 31)

    /// `days + n`, or nil when the sum overflows or leaves `supportedRange`: for counts the user
    /// typed (`9223372036854775807 days ago`), which must never trap.
    public static func addingDays(_ n: Int, to days: Int) -> Int? {
        let (sum, overflow) = days.addingReportingOverflow(n)
        return !overflow && supportedRange.contains(sum) ? sum : nil
    }

    /// `addingMonths` for counts the user typed: nil when the date would leave `supportedRange`
    /// (checked before any multiplication can overflow).
    public static func addingMonthsInRange(_ n: Int, to days: Int) -> Int? {
        // 10,000 years of months leave the range from any date in it.
        guard supportedRange.contains(days), n.magnitude <= 12 * 10_000 else { return nil }
        let result = addingMonths(n, to: days)
        return supportedRange.contains(result) ? result : nil
    }

    /// The date `n` calendar months after `days` (negative for before); the day is clamped to the
    /// month's end. Unchecked: for the small counts of seg's own code (user input goes through
    /// `addingMonthsInRange`).
    public static func addingMonths(_ n: Int, to days: Int) -> Int {
        let (y, m, d) = civil(days)
        let total = y * 12 + (m - 1) + n
        let ny = total >= 0 ? total / 12 : (total - 11) / 12
        let nm = total - ny * 12 + 1
        return self.days(year: ny, month: nm, day: min(d, daysInMonth(year: ny, month: nm)))
    }

    /// The first date on or after `today` that has the month and day of `date`; Feb 29 falls on Feb 28 in common years.
    public static func nextAnniversary(of date: Int, onOrAfter today: Int) -> Int {
        let (_, m, d) = civil(date)
        let (ty, _, _) = civil(today)
        func occurrence(_ year: Int) -> Int {
            days(year: year, month: m, day: min(d, daysInMonth(year: year, month: m)))
        }
        let thisYear = occurrence(ty)
        return thisYear >= today ? thisYear : occurrence(ty + 1)
    }
}
