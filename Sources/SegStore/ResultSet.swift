import SegBase
/// The answer to one statement, ready for a writer: named columns that view stored columns
/// through an optional row selection, so a list result copies no cell values.
public struct ResultSet: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Rows of a table or segment; `noun` names them in footers ("clients", "rows").
        case rows(noun: String)
        /// One row per group of a `by` query.
        case groups
        /// A single `count` value.
        case count(noun: String)
    }

    public var columns: [ResultColumn]
    public var rowCount: Int
    public var kind: Kind
    /// Rows that matched but are not shown because of `limit` (for footers); 0 when unknown or none.
    public var totalBeforeLimit: Int?
    /// Leading rows that are notes about the result, not rows of it (the `definition` row of a
    /// `diff`): footers count the rows after them.
    public var noteRows = 0

    /// A single `count` value.
    public var isCount: Bool {
        if case .count = kind { return true }
        return false
    }

    public init(columns: [ResultColumn], rowCount: Int, kind: Kind, totalBeforeLimit: Int? = nil) {
        self.columns = columns
        self.rowCount = rowCount
        self.kind = kind
        self.totalBeforeLimit = totalBeforeLimit
    }
}

/// One output column: `column`'s value at `rows[i]` (or at `i` when `rows` is nil) is the i-th cell.
public struct ResultColumn: Sendable {
    public var name: String
    public var column: Column
    public var rows: [Int32]?
    /// Numbers shown with thousands separators where the format has them (a year is not: 2026).
    public var grouped: Bool

    public init(name: String, column: Column, rows: [Int32]?, grouped: Bool = true) {
        self.name = name
        self.column = column
        self.rows = rows
        self.grouped = grouped
    }

    @inline(__always)
    public func storageRow(_ i: Int) -> Int { rows.map { Int($0[i]) } ?? i }

    public var type: FieldType { column.type }
}

/// One column of a result before any row arrives: its heading, type and decimal places.
public struct ColumnShape: Sendable, Equatable {
    public var name: String
    public var type: FieldType
    /// Decimal places for decimals (0 otherwise).
    public var scale: Int
    /// Numbers shown with thousands separators (see `ResultColumn.grouped`).
    public var grouped: Bool

    public init(name: String, type: FieldType, scale: Int, grouped: Bool = true) {
        self.name = name
        self.type = type
        self.scale = scale
        self.grouped = grouped
    }
}

/// Where a backend delivers the answer to a statement. In memory the whole answer is ready at once
/// (`write`); from a database it streams: `begin`, then each row as text in seg's CSV form
/// (decimals with their scale, ISO dates, `true`/`false`, tags joined by `;`, nil when missing),
/// then `end`.
public protocol ResultSink: AnyObject {
    func write(_ result: ResultSet) throws
    func begin(_ columns: [ColumnShape], kind: ResultSet.Kind) throws
    func append(_ row: [String?]) throws
    /// `total`, asked only when a footer needs it, counts the rows before `limit` (`20 of 1,234 clients`).
    func end(total: () throws -> Int?) throws
}
