import SegBase

// The words a registry entry needs to write its SQL: the dialects, a SQL expression with the seg
// type it yields, and the spellings the SQL generator lends (date literals, exact integers,
// byte-order collation). SegSQL implements `SQLSpelling`; entries never build statements.

/// A SQL dialect seg can write.
public enum SQLDialect: String, Sendable, CaseIterable {
    case postgres, sqlite, duckdb
}

/// How a tag field is stored in the database.
public enum TagStorage: Sendable, Equatable {
    /// An array of text (`text[]` in PostgreSQL, `VARCHAR[]` in DuckDB).
    case array
    /// One text cell of `;`-separated tokens, as in seg's CSV files.
    case delimited
}

/// A SQL expression with the seg type it yields. `scaled` marks an integer holding value × 10^scale
/// (exact averages and SQLite money sums).
public struct SQLValue: Sendable {
    public var sql: String
    public var type: FieldType
    public var scale: Int
    public var scaled = false
    public var tagStorage: TagStorage = .delimited
    /// What `ORDER BY` sorts this value by, when not the value itself (a classification's rank).
    public var orderSQL: String?

    public init(sql: String, type: FieldType, scale: Int, scaled: Bool = false, tagStorage: TagStorage = .delimited) {
        self.sql = sql
        self.type = type
        self.scale = scale
        self.scaled = scaled
        self.tagStorage = tagStorage
    }
}

/// What the SQL generator lends a function's SQL: the dialect, today, and spellings it must share.
public protocol SQLSpelling {
    var dialect: SQLDialect { get }
    /// seg's today (a day number); relative dates are literal dates computed from it.
    var today: Int { get }
    /// A date literal.
    func date(_ day: Int) -> String
    /// A numeric value as an exact integer of its smallest unit (cents for a 2-decimal column).
    func scaledInteger(_ value: SQLValue) -> String
    /// Text compared by bytes, as seg compares it.
    func collated(_ value: SQLValue) -> String
    /// A number as an exact integer of 10^-scale units (`scale` at least its own).
    func atScale(_ value: SQLValue, _ scale: Int) -> String
    /// `a` divided by `b` in whole numbers, truncated (both non-negative where seg uses it).
    func integerDivision(_ a: String, _ b: String) -> String
}

extension SQLSpelling {
    /// `n / 10^k` rounded half away from zero, for an exact integer `n` (`k` ≥ 1).
    public func roundedShift(_ n: String, _ k: Int) -> String {
        let p = FixedPoint.powersOfTen[k]
        let magnitude = integerDivision("abs(\(n)) * 2 + \(p)", "\(2 * p)")
        return "(CASE WHEN \(n) < 0 THEN -\(magnitude) ELSE \(magnitude) END)"
    }
}
