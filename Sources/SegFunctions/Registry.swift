import SegBase
import SegStore

// The functions and aggregates of the language, one entry each: name, argument and result types,
// the in-memory kernel, the SQL per dialect, and the help and completion text. The resolver checks
// calls against the entries, the engine runs their kernels over whole columns, the SQL generator
// asks them for SQL, the prompt completes and `seg help language` lists them from here: adding a
// function is adding an entry (and its tests).

/// What the resolver knows of one argument of a call: its type, decimal places, and its value
/// when it is a whole number written out (`round(x, 2)`).
public struct ArgumentFacts: Sendable {
    public let type: FieldType
    public let scale: Int
    public let wholeNumber: Int64?

    public init(type: FieldType, scale: Int, wholeNumber: Int64?) {
        self.type = type
        self.scale = scale
        self.wholeNumber = wholeNumber
    }
}

/// A call's result type, or why its arguments are refused.
public enum Typing: Sendable {
    case value(FieldType, scale: Int)
    case refused(QueryMessage)
}

/// A function of per-row values, computed for a whole column at once: `days_since(last_contact)`.
public struct ScalarFunction: Sendable {
    public let name: String
    public let arguments: [ArgumentKind]
    /// The result's type when `typing` does not decide it.
    public let result: FieldType
    /// One line of help, and an example that shows it in use (both in `seg help language`).
    public let summary: String
    public let example: String
    /// The in-memory kernel: the arguments' columns (all of one length; a whole number written out
    /// is a column of that value) in, the result out, named as the call. Missing in gives missing out
    /// unless the function says otherwise. `today` is the session's.
    public let kernel: @Sendable (_ arguments: [Column], _ today: Int) throws -> Column
    /// The SQL, given the arguments' SQL.
    public let sql: @Sendable (_ arguments: [SQLValue], _ spelling: any SQLSpelling) throws -> SQLValue
    /// The result's type and decimal places from the arguments'; without it, `result` with no decimals.
    public var typing: (@Sendable (_ arguments: [ArgumentFacts]) -> Typing)? = nil
    /// Whether its numbers take thousands separators in tables (`year` gives 2026, not 2,026).
    public var groupsDigits = true
    /// Why the function cannot be asked today, if it cannot (checked when a statement is resolved).
    public var refusal: (@Sendable (_ today: Int) -> QueryMessage?)? = nil
}

/// What an aggregate's kernel folds: the selected rows, each row's group, and the argument column
/// (nil for `count` alone).
public struct AggregateInput {
    /// The heading of the result column, `sum(assets)`.
    public let name: String
    public let column: Column?
    /// The argument as written, for messages.
    public let argumentName: String
    public let rows: [Int32]
    public let groupOf: [Int32]
    public let groupCount: Int
    /// The fraction of `quantile(x, 0.9)`; nil for the aggregates that take none.
    public let fraction: Fraction?
    /// Rows per block for the kernels that fold blocks on every core; nil lets them choose (tests
    /// force small blocks to check the merge).
    public var blockSize: Int? = nil

    public init(name: String, column: Column?, argumentName: String, rows: [Int32], groupOf: [Int32], groupCount: Int,
                fraction: Fraction? = nil) {
        self.name = name
        self.column = column
        self.argumentName = argumentName
        self.rows = rows
        self.groupOf = groupOf
        self.groupCount = groupCount
        self.fraction = fraction
    }
}

/// A fraction from 0 to 1 written out with at most `maxScale` decimals (`quantile(x, 0.9)`):
/// `mantissa / 10^scale`, exact.
public struct Fraction: Sendable, Hashable {
    public let mantissa: Int64
    public let scale: Int
    public static let maxScale = 4

    /// nil unless 0 ≤ mantissa / 10^scale ≤ 1 and scale ≤ `maxScale`.
    public init?(mantissa: Int64, scale: Int) {
        guard scale >= 0, scale <= Self.maxScale, mantissa >= 0, mantissa <= FixedPoint.powersOfTen[scale] else { return nil }
        self.mantissa = mantissa
        self.scale = scale
    }

    public var text: String { scale == 0 ? String(mantissa) : FixedPoint.format(mantissa, scale: scale) }

    /// The nearest-rank position (1-based) of this fraction among `n` sorted values:
    /// max(1, ⌈n × fraction⌉), exact.
    public func rank(of n: Int) -> Int {
        let p = Int128(mantissa) * Int128(n), d = Int128(FixedPoint.powersOfTen[scale])
        return Swift.max(1, Int((p + d - 1) / d))
    }
}

/// A function of a group's rows: `sum(assets)`.
public struct AggregateFunction: Sendable {
    public let name: String
    /// What its one argument must be; `count` alone takes none.
    public let argument: ArgumentKind
    public let allowsNoArgument: Bool
    /// Why an argument of the wrong type is refused: `needs a number field` (then the field's type
    /// is named) or `cannot order a tag field`.
    public let refusal: AggregateRefusal
    public let summary: String
    /// The result's type and scale for an argument of `type` and `scale` (nil: no argument).
    public let result: @Sendable (_ type: FieldType?, _ scale: Int) -> (type: FieldType, scale: Int)
    /// One result value per group.
    public let kernel: @Sendable (AggregateInput) throws -> Column
    /// The SQL, given the argument's SQL (nil for `count` alone) and the fraction of `quantile`; an
    /// error where the dialect has no way to say it.
    public let sql: @Sendable (_ argument: SQLValue?, _ fraction: Fraction?, _ spelling: any SQLSpelling) throws -> SQLValue
    /// Whether a fraction from 0 to 1 follows the field (`quantile(assets, 0.9)`).
    public var takesFraction = false
    /// The result's heading for an argument written `argument`, when not `name(argument)`.
    public var heading: (@Sendable (_ argument: String) -> String)? = nil
}

/// `pct(count)`, `pct(sum(assets))`: each group's share of the total of an aggregate over the groups
/// of the result (those `having` keeps, before `limit`), in percent.
public struct ShareFunction: Sendable {
    public let name: String
    public let summary: String
    /// Decimal places of the percentage.
    public let scale: Int
    /// The shares of `column` (one value per group, integers of its smallest unit) over the groups `kept`.
    public let kernel: @Sendable (_ column: Column, _ kept: [Int32], _ name: String) throws -> Column
    /// The SQL of the share, given the aggregate's SQL: a window over the groups.
    public let sql: @Sendable (_ aggregate: SQLValue, _ spelling: any SQLSpelling) -> SQLValue
}

/// How an aggregate words a refused argument.
public enum AggregateRefusal: Sendable {
    /// `'sum' needs a number field; 'name' is a text field`
    case needs
    /// `'min' cannot order a tag field`
    case cannotOrder
}

/// The registry.
public enum Functions {
    public static let scalars: [ScalarFunction] = [
        // Dates
        daysSince, monthsSince, yearsSince, age, anniversary, year, month, yearMonth,
        // Numbers
        round, abs, coalesce,
        // Text
        lower, upper, length,
    ]
    public static let aggregates: [AggregateFunction] = [count, countDistinct, sum, avg, median, quantile, min, max]

    public static func scalar(named name: String) -> ScalarFunction? {
        let lower = name.lowercased()
        return scalars.first { $0.name == lower }
    }

    public static func aggregate(named name: String) -> AggregateFunction? {
        let lower = name.lowercased()
        return aggregates.first { $0.name == lower }
    }

    /// Every name a call may use, for "did you mean".
    public static var names: [String] { scalars.map(\.name) + aggregates.map(\.name) + [share.name] }

    /// Whether `name` is an aggregate or the share of one (`pct`): a call that needs groups.
    public static func needsGroups(_ name: String) -> Bool {
        aggregate(named: name) != nil || name.lowercased() == share.name
    }
}

// MARK: - Date functions

extension Functions {
    static let daysSince = ScalarFunction(
        name: "days_since", arguments: [.date], result: .integer,
        summary: "whole days from the date to today", example: "days_since(last_contact) > 180",
        kernel: { args, today in
            perDate(args[0]) { day in Int64(today) - Int64(day) }
        },
        sql: { args, s in
            let d = args[0].sql, today = s.date(s.today)
            switch s.dialect {
            case .postgres: return SQLValue(sql: "(\(today) - \(d))", type: .integer, scale: 0)
            case .duckdb: return SQLValue(sql: "date_diff('day', \(d), \(today))", type: .integer, scale: 0)
            case .sqlite: return SQLValue(sql: "CAST(julianday(\(today)) - julianday(\(d)) AS INTEGER)", type: .integer, scale: 0)
            }
        })

    /// Whole months as a person counts them: from Jan 31 to Feb 28 is 0, to Mar 1 is 1. A date
    /// after today counts the whole months until it, negated.
    static let monthsSince = ScalarFunction(
        name: "months_since", arguments: [.date], result: .integer,
        summary: "whole months from the date to today", example: "months_since(opened) >= 6",
        kernel: { args, today in
            let (ty, tm, td) = CivilDate.civil(today)
            return perDate(args[0], lookup: true) { day in
                let (y, m, d) = CivilDate.civil(day)
                return Int64(wholeMonths(from: (y, m, d), to: (ty, tm, td)))
            }
        },
        sql: { args, s in SQLValue(sql: monthsSinceSQL(args[0].sql, s), type: .integer, scale: 0) })

    static func monthsSinceSQL(_ d: String, _ s: any SQLSpelling) -> String {
        let (ty, tm, td) = CivilDate.civil(s.today)
        let (year, month, day) = dateParts(d, s.dialect)
        // months(d → today) counts completed months; a later date counts back from it.
        let span = "(\(ty * 12 + tm) - (\(year) * 12 + \(month)))"
        return "(CASE WHEN \(d) IS NULL THEN NULL WHEN \(d) <= \(s.date(s.today)) "
            + "THEN \(span) - (CASE WHEN \(day) > \(td) THEN 1 ELSE 0 END) "
            + "ELSE \(span) + (CASE WHEN \(day) < \(td) THEN 1 ELSE 0 END) END)"
    }

    /// Whole months from `a` to `b`, negative when `b` is earlier.
    static func wholeMonths(from a: (Int, Int, Int), to b: (Int, Int, Int)) -> Int {
        let span = (b.0 * 12 + b.1) - (a.0 * 12 + a.1)
        if (a.0, a.1, a.2) <= (b.0, b.1, b.2) { return span - (a.2 > b.2 ? 1 : 0) }
        return span + (a.2 < b.2 ? 1 : 0)
    }

    /// Whole years as a person counts an age: months_since / 12, toward zero.
    static let yearsSince = ScalarFunction(
        name: "years_since", arguments: [.date], result: .integer,
        summary: "whole years from the date to today", example: "years_since(opened) >= 10",
        kernel: { args, today in wholeYears(args[0], today: today) },
        sql: { args, s in wholeYearsSQL(args[0].sql, s) })

    static let age = ScalarFunction(
        name: "age", arguments: [.date], result: .integer,
        summary: "age in whole years today (a birthday on Feb 29 counts on Mar 1)", example: "age(birthday) >= 60",
        kernel: { args, today in wholeYears(args[0], today: today) },
        sql: { args, s in wholeYearsSQL(args[0].sql, s) })

    static func wholeYears(_ column: Column, today: Int) -> Column {
        let (ty, tm, td) = CivilDate.civil(today)
        return perDate(column, lookup: true) { day in
            let (y, m, d) = CivilDate.civil(day)
            let months = wholeMonths(from: (y, m, d), to: (ty, tm, td))
            return Int64(months / 12)  // toward zero
        }
    }

    static func wholeYearsSQL(_ d: String, _ s: any SQLSpelling) -> SQLValue {
        let months = monthsSinceSQL(d, s)
        let years = "(CASE WHEN \(months) >= 0 THEN \(s.integerDivision(months, "12")) ELSE -\(s.integerDivision("-\(months)", "12")) END)"
        return SQLValue(sql: years, type: .integer, scale: 0)
    }

    static let year = ScalarFunction(
        name: "year", arguments: [.date], result: .integer,
        summary: "the year of a date", example: "year(opened) = 2024",
        kernel: { args, _ in perDate(args[0], lookup: true) { Int64(CivilDate.civil($0).year) } },
        sql: { args, s in SQLValue(sql: dateParts(args[0].sql, s.dialect).year, type: .integer, scale: 0) },
        groupsDigits: false)

    static let month = ScalarFunction(
        name: "month", arguments: [.date], result: .integer,
        summary: "the month of a date, 1 to 12", example: "month(birthday) = 12",
        kernel: { args, _ in perDate(args[0], lookup: true) { Int64(CivilDate.civil($0).month) } },
        sql: { args, s in SQLValue(sql: dateParts(args[0].sql, s.dialect).month, type: .integer, scale: 0) })

    static let yearMonth = ScalarFunction(
        name: "year_month", arguments: [.date], result: .category,
        summary: "year and month as text, 2026-03 (for grouping by month)", example: "by year_month(opened)",
        kernel: { args, _ in
            // A category: the months in the column, sorted (text order is month order).
            let column = args[0]
            guard case .date(let days) = column.data else { return Column.empty(named: column.name, type: .category) }
            var codes = [UInt32](repeating: 0, count: days.count)
            var monthOf: [Int: UInt32] = [:]
            var months: [Int] = []
            for (i, d) in days.enumerated() where column.isPresent(i) {
                let (y, m, _) = CivilDate.civil(Int(d))
                let key = y * 12 + (m - 1)
                if monthOf[key] == nil { monthOf[key] = 0; months.append(key) }
                codes[i] = UInt32(truncatingIfNeeded: key)
            }
            months.sort()
            for (k, key) in months.enumerated() { monthOf[key] = UInt32(k) }
            for i in codes.indices where column.isPresent(i) { codes[i] = monthOf[Int(codes[i])] ?? 0 }
            let dictionary = months.map { key in
                let y = key / 12, m = key % 12 + 1
                return String(repeating: "0", count: Swift.max(0, 4 - String(y).count)) + String(y) + (m < 10 ? "-0" : "-") + String(m)
            }
            return Column(name: column.name, data: .category(codes: codes, dictionary: dictionary), validity: column.validity, count: column.count)
        },
        sql: { args, s in
            let d = args[0].sql
            switch s.dialect {
            case .postgres: return SQLValue(sql: "to_char(\(d), 'YYYY-MM')", type: .category, scale: 0)
            case .duckdb: return SQLValue(sql: "strftime(\(d), '%Y-%m')", type: .category, scale: 0)
            case .sqlite: return SQLValue(sql: "strftime('%Y-%m', \(d))", type: .category, scale: 0)
            }
        })

    static let anniversary = ScalarFunction(
        name: "anniversary", arguments: [.date], result: .date,
        summary: "next yearly recurrence (Feb 29 → Feb 28)", example: "anniversary(birthday) in next 14 days",
        kernel: { args, today in
            perDate(args[0], lookup: true, as: .date) { day in Int64(CivilDate.nextAnniversary(of: day, onOrAfter: today)) }
        },
        sql: { args, s in
            // Today's year and its leap-ness are constants here, so only month and day are SQL.
            let d = args[0].sql
            let (year, month, day) = CivilDate.civil(s.today)
            let (_, m, dd) = dateParts(d, s.dialect)
            func dayIn(_ y: Int) -> String {
                CivilDate.isLeap(y) ? dd : "(CASE WHEN \(m) = 2 AND \(dd) = 29 THEN 28 ELSE \(dd) END)"
            }
            func make(_ y: Int) -> String {
                s.dialect == .sqlite ? "printf('%04d-%02d-%02d', \(y), \(m), \(dayIn(y)))" : "make_date(\(y), \(m), \(dayIn(y)))"
            }
            let sql = "(CASE WHEN \(d) IS NULL THEN NULL WHEN \(m) * 100 + \(dayIn(year)) >= \(month * 100 + day) THEN \(make(year)) ELSE \(make(year + 1)) END)"
            return SQLValue(sql: sql, type: .date, scale: 0)
        },
        refusal: { today in
            // The next anniversary of a date earlier in the year would fall in 10000.
            let last = CivilDate.supportedRange.upperBound
            guard CivilDate.civil(today).year >= CivilDate.civil(last).year else { return nil }
            return .anniversaryBeyondRange(today: CivilDate.format(today), last: CivilDate.format(last))
        })

    /// Year, month and day of a SQL date as integers.
    static func dateParts(_ d: String, _ dialect: SQLDialect) -> (year: String, month: String, day: String) {
        switch dialect {
        case .postgres:
            return ("CAST(EXTRACT(YEAR FROM \(d)) AS integer)", "CAST(EXTRACT(MONTH FROM \(d)) AS integer)",
                    "CAST(EXTRACT(DAY FROM \(d)) AS integer)")
        case .duckdb:
            return ("year(\(d))", "month(\(d))", "day(\(d))")
        case .sqlite:
            return ("CAST(strftime('%Y', \(d)) AS INTEGER)", "CAST(strftime('%m', \(d)) AS INTEGER)",
                    "CAST(strftime('%d', \(d)) AS INTEGER)")
        }
    }

    /// A date column mapped day by day to an integer (or date) column; missing stays missing.
    /// Tuned: with `lookup`, the calendar arithmetic runs once per distinct day in the column's
    /// range (a table), not once per row; the result is built in its own element type.
    static func perDate(_ column: Column, lookup: Bool = false, as type: FieldType = .integer,
                        _ f: (Int) -> Int64) -> Column {
        guard case .date(let days) = column.data else {
            return Column(name: column.name, data: .integer([]), validity: nil, count: 0)
        }
        func mapped<T: FixedWidthInteger>(_: T.Type) -> [T] {
            if lookup, let lo = days.min(), let hi = days.max(), Int(hi) - Int(lo) < 1 << 20 {
                let table = (Int(lo)...Int(hi)).map { T(clamping: f($0)) }
                return table.withUnsafeBufferPointer { t in days.map { t[Int($0) - Int(lo)] } }
            }
            return days.map { T(clamping: f(Int($0))) }
        }
        let data: ColumnData = type == .date ? .date(mapped(Int32.self)) : .integer(mapped(Int64.self))
        return Column(name: column.name, data: data, validity: column.validity, count: column.count)
    }
}

// MARK: - Aggregates

extension Functions {
    /// Percent with two decimals, rounded half away from zero: 100 × value / total, exact in
    /// integers; missing where the value is missing or the total is 0.
    public static let share = ShareFunction(
        name: "pct", summary: "share of the total over the groups shown, in percent (pct(count), pct(sum(assets)))", scale: 2,
        kernel: { column, kept, name in
            guard case .integer(let v) = column.data.integerView else { return Column.empty(named: name, type: .decimal, scale: 2) }
            var total: Int128 = 0
            for g in kept where column.isPresent(Int(g)) { total += Int128(v[Int(g)]) }
            var values = [Int64](repeating: 0, count: column.count)
            var validity = Bitmap(count: column.count, filled: false)
            if total != 0 {
                for g in kept where column.isPresent(Int(g)) {
                    let n = Int128(v[Int(g)]) * 10_000
                    let magnitude = (n.magnitude * 2 + total.magnitude) / (2 * total.magnitude)
                    // |share| ≤ 100% only when the values share a sign; a mixed-sign total may be small.
                    guard let m = Int64(exactly: magnitude) else {
                        throw SegError(.query, .query(.aggregateTooLarge("pct", field: column.name)))
                    }
                    values[Int(g)] = (n < 0) != (total < 0) ? -m : m
                    validity[Int(g)] = true
                }
            }
            return Column(name: name, data: .decimal(values, scale: 2), validity: validity, count: column.count)
        },
        sql: { v, s in
            let x = s.scaledInteger(v)
            let n = "(\(x) * 10000)", total = "(SUM(\(x)) OVER ())"
            let magnitude = s.integerDivision("abs(\(n)) * 2 + abs(\(total))", "2 * abs(\(total))")
            let sql = "(CASE WHEN \(total) = 0 THEN NULL WHEN (\(n) < 0) <> (\(total) < 0) THEN -\(magnitude) ELSE \(magnitude) END)"
            return SQLValue(sql: sql, type: .decimal, scale: 2, scaled: true)
        })
}

extension Functions {
    static let count = AggregateFunction(
        name: "count", argument: .any, allowsNoArgument: true, refusal: .needs,
        summary: "rows in the group; count(field): rows where the field is present",
        result: { _, _ in (.integer, 0) },
        kernel: { input in
            let counts = AggregateKernels.counts(rows: input.rows, groupOf: input.groupOf, groupCount: input.groupCount,
                                                 validity: input.column?.validity, blockSize: input.blockSize)
            return Column(name: input.name, data: .integer(counts), validity: nil, count: input.groupCount)
        },
        sql: { argument, _, _ in SQLValue(sql: argument.map { "COUNT(\($0.sql))" } ?? "COUNT(*)", type: .integer, scale: 0) })

    /// `count(distinct x)`: the parser spells it `count_distinct(x)`.
    static let countDistinct = AggregateFunction(
        name: "count_distinct", argument: .orderable, allowsNoArgument: false, refusal: .needs,
        summary: "how many different present values",
        result: { _, _ in (.integer, 0) },
        kernel: { input in
            guard let column = input.column else {
                throw SegError(.internal, .internal("'count(distinct)' without a column"))
            }
            return Column(name: input.name, data: .integer(AggregateKernels.distinctCounts(column, rows: input.rows, groupOf: input.groupOf,
                                                                                           groupCount: input.groupCount)),
                          validity: nil, count: input.groupCount)
        },
        sql: { argument, _, _ in SQLValue(sql: argument.map { "COUNT(DISTINCT \($0.sql))" } ?? "COUNT(*)", type: .integer, scale: 0) },
        heading: { "count(distinct \($0))" })

    static let sum = AggregateFunction(
        name: "sum", argument: .number, allowsNoArgument: false, refusal: .needs,
        summary: "exact total of present values",
        result: { type, scale in (type == .integer ? .integer : .decimal, scale) },
        kernel: { input in try sumOrAverage(input, average: false) },
        sql: { argument, _, s in
            guard let v = argument else { return SQLValue(sql: "NULL", type: .integer, scale: 0) }
            let type: FieldType = v.type == .integer ? .integer : .decimal
            if (s.dialect == .sqlite && v.scale > 0) || v.scaled {
                return SQLValue(sql: "SUM(\(s.scaledInteger(v)))", type: type, scale: v.scale, scaled: true)
            }
            return SQLValue(sql: "SUM(\(v.sql))", type: type, scale: v.scale)
        })

    static let avg = AggregateFunction(
        name: "avg", argument: .number, allowsNoArgument: false, refusal: .needs,
        summary: "mean of present values, rounded half away from zero to at least two decimals",
        result: { _, scale in (.decimal, Swift.max(2, scale)) },
        kernel: { input in try sumOrAverage(input, average: true) },
        sql: { argument, _, s in
            guard let v = argument else { return SQLValue(sql: "NULL", type: .decimal, scale: 2) }
            let outScale = Swift.max(2, v.scale)
            if s.dialect == .postgres && !v.scaled {
                return SQLValue(sql: "ROUND(AVG(\(v.sql)), \(outScale))", type: .decimal, scale: outScale)
            }
            // Exact: round(sum × 10^k / n) half away from zero, in integers.
            let total = "SUM(\(s.scaledInteger(v)))"
            let n = "COUNT(\(v.sql))"
            let factor = FixedPoint.powersOfTen[outScale - v.scale]
            let div = s.integerDivision
            let sql = "(CASE WHEN \(total) >= 0 THEN \(div("2 * \(total) * \(factor) + \(n)", "2 * \(n)")) ELSE \(div("2 * \(total) * \(factor) - \(n)", "2 * \(n)")) END)"
            return SQLValue(sql: sql, type: .decimal, scale: outScale, scaled: true)
        })

    /// The middle present value; for an even count the mean of the two middle ones, rounded half
    /// away from zero to at least two decimals as `avg` is.
    static let median = AggregateFunction(
        name: "median", argument: .number, allowsNoArgument: false, refusal: .needs,
        summary: "middle present value (mean of the two middle ones for an even count, as avg rounds)",
        result: { _, scale in (.decimal, Swift.max(2, scale)) },
        kernel: { input in
            guard let column = input.column, case .integer(let v) = column.data.integerView else {
                throw SegError(.internal, .internal("'median' of a column that is not a number"))
            }
            let outScale = Swift.max(2, column.scale)
            let factor = Int128(FixedPoint.powersOfTen[outScale - column.scale])
            // The lower and upper middle values (the same one for an odd count). Twice the median,
            // exactly; then halved, rounded half away from zero.
            let middles = AggregateKernels.valuesAtRanks(v, validity: column.validity, rows: input.rows, groupOf: input.groupOf,
                                                         groupCount: input.groupCount, ranks: { n in n % 2 == 1 ? [n / 2] : [n / 2 - 1, n / 2] },
                                                         blockSize: input.blockSize)
            var values = [Int64](repeating: 0, count: input.groupCount)
            var validity = Bitmap(count: input.groupCount)
            for (g, pair) in middles.enumerated() {
                guard let lower = pair.first, let upper = pair.last else { continue }
                let twice = (Int128(lower) + Int128(upper)) * factor
                let median = twice >= 0 ? (twice + 1) / 2 : (twice - 1) / 2
                guard let exact = Int64(exactly: median) else {
                    throw SegError(.query, .query(.aggregateTooLarge("median", field: input.argumentName)))
                }
                values[g] = exact
                validity[g] = true
            }
            return Column(name: input.name, data: .decimal(values, scale: outScale), validity: validity, count: input.groupCount)
        },
        sql: { argument, _, s in
            guard let v = argument else { return SQLValue(sql: "NULL", type: .decimal, scale: 2) }
            guard s.dialect != .sqlite else { throw SegError(.query, .database(.sqliteHasNoOrderedSet(function: "median"))) }
            // The lower and upper middle values as exact integers of the smallest unit.
            let x = s.scaledInteger(v)
            let lower = "percentile_disc(0.5) WITHIN GROUP (ORDER BY \(x))"
            let upper = "percentile_disc(0.5) WITHIN GROUP (ORDER BY \(x) DESC)"
            let outScale = Swift.max(2, v.scale)
            let twice = "((\(lower) + \(upper)) * \(FixedPoint.powersOfTen[outScale - v.scale]))"
            let div = s.integerDivision
            let sql = "(CASE WHEN \(twice) >= 0 THEN \(div("\(twice) + 1", "2")) ELSE \(div("\(twice) - 1", "2")) END)"
            return SQLValue(sql: sql, type: .decimal, scale: outScale, scaled: true)
        })

    /// The value at nearest rank max(1, ⌈n × p⌉) of the group's n present values in ascending
    /// order: always one of the values, never an interpolation (PostgreSQL's percentile_disc).
    static let quantile: AggregateFunction = {
        var f = AggregateFunction(
            name: "quantile", argument: .number, allowsNoArgument: false, refusal: .needs,
            summary: "present value at rank ⌈n × p⌉ in ascending order, p from 0 to 1",
            result: { type, scale in (type ?? .integer, scale) },
            kernel: { input in
                guard let column = input.column, case .integer(let v) = column.data.integerView, let p = input.fraction else {
                    throw SegError(.internal, .internal("'quantile' without a number column and a fraction"))
                }
                let picked = AggregateKernels.valuesAtRanks(v, validity: column.validity, rows: input.rows, groupOf: input.groupOf,
                                                            groupCount: input.groupCount, ranks: { n in [p.rank(of: n) - 1] },
                                                            blockSize: input.blockSize)
                var values = [Int64](repeating: 0, count: input.groupCount)
                var validity = Bitmap(count: input.groupCount)
                for (g, value) in picked.enumerated() {
                    if let value = value.first { values[g] = value; validity[g] = true }
                }
                let data: ColumnData = column.type == .integer ? .integer(values) : .decimal(values, scale: column.scale)
                return Column(name: input.name, data: data, validity: validity, count: input.groupCount)
            },
            sql: { argument, fraction, s in
                guard let v = argument, let p = fraction else { return SQLValue(sql: "NULL", type: .integer, scale: 0) }
                guard s.dialect != .sqlite else { throw SegError(.query, .database(.sqliteHasNoOrderedSet(function: "quantile"))) }
                let sql = "percentile_disc(\(quantileFractionSQL(p, s.dialect))) WITHIN GROUP (ORDER BY \(s.scaledInteger(v)))"
                return SQLValue(sql: sql, type: v.type == .integer ? .integer : .decimal, scale: v.scale, scaled: v.scale > 0)
            })
        f.takesFraction = true
        return f
    }()

    /// The fraction percentile_disc is given for `p`. PostgreSQL takes it as a double and picks
    /// rank ⌈n × p⌉ in floating point, so 0.07 × 100 would be 7.000000000000001 and pick rank 8;
    /// DuckDB computes it its own way. Asking for p × (1 − 2⁻⁴⁵) instead puts n × p strictly
    /// between k − 1 and k, far from either (p has at most 4 decimals, n < 3·10⁹), so every
    /// engine picks the exact rank k = ⌈n × p⌉ that seg does in memory.
    static func quantileFractionSQL(_ p: Fraction, _ dialect: SQLDialect) -> String {
        let shaded = Double(p.mantissa) / Double(FixedPoint.powersOfTen[p.scale]) * (1 - 0x1p-45)
        return "CAST(\(shaded) AS \(dialect == .postgres ? "double precision" : "DOUBLE"))"
    }

    static let min = extreme("min", summary: "smallest present value")
    static let max = extreme("max", summary: "largest present value")

    static func extreme(_ name: String, summary: String) -> AggregateFunction {
        let wantMax = name == "max"
        return AggregateFunction(
            name: name, argument: .orderable, allowsNoArgument: false, refusal: .cannotOrder, summary: summary,
            result: { type, scale in (type ?? .integer, scale) },
            kernel: { input in
                guard let column = input.column else {
                    return Column(name: input.name, data: .integer([]), validity: nil, count: 0)
                }
                var result = column.gather(AggregateKernels.extremeRows(column, rows: input.rows, groupOf: input.groupOf,
                                                                        groupCount: input.groupCount, wantMax: wantMax))
                result.name = input.name
                return result
            },
            sql: { argument, _, s in
                guard var v = argument else { return SQLValue(sql: "NULL", type: .integer, scale: 0) }
                if s.dialect == .postgres && v.type == .boolean {
                    return SQLValue(sql: "\(wantMax ? "BOOL_OR" : "BOOL_AND")(\(v.sql))", type: .boolean, scale: 0)
                }
                v.sql = "\(wantMax ? "MAX" : "MIN")(\(s.collated(v)))"
                return v
            })
    }

    static func sumOrAverage(_ input: AggregateInput, average: Bool) throws -> Column {
        guard let column = input.column, case .integer(let v) = column.data.integerView else {
            throw SegError(.internal, .internal("'\(average ? "avg" : "sum")' of a column that is not a number"))
        }
        let (sums, counts) = AggregateKernels.sumsAndCounts(v, validity: column.validity, rows: input.rows,
                                                            groupOf: input.groupOf, groupCount: input.groupCount,
                                                            blockSize: input.blockSize)
        var validity = Bitmap(count: input.groupCount, filled: true)
        var values = [Int64](repeating: 0, count: input.groupCount)
        let scale = column.scale
        // avg has at least two decimals, but an average beyond ±92 quadrillion does not fit two
        // decimals in 64 bits: then it takes fewer, down to the field's own scale, where it always
        // fits (an average lies between the smallest and the largest value).
        var outScale = average ? Swift.max(2, scale) : scale
        var g = 0
        while g < input.groupCount {
            guard counts[g] > 0 else { validity[g] = false; g += 1; continue }
            var total = sums[g]
            if average {
                total *= Int128(FixedPoint.powersOfTen[outScale - scale])
                let n = Int128(counts[g])
                // Round half away from zero.
                total = total >= 0 ? (total + n / 2) / n : (total - n / 2) / n
            }
            guard let exact = Int64(exactly: total) else {
                if average && outScale > scale {
                    outScale -= 1
                    g = 0
                    continue
                }
                throw SegError(.query, .query(.aggregateTooLarge(average ? "avg" : "sum", field: input.argumentName)))
            }
            values[g] = exact
            g += 1
        }
        let data: ColumnData = (outScale == 0 && column.type == .integer && !average)
            ? .integer(values) : .decimal(values, scale: outScale)
        return Column(name: input.name, data: data, validity: validity, count: input.groupCount)
    }
}
