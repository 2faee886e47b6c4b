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

    public init(name: String, column: Column, rows: [Int32]?) {
        self.name = name
        self.column = column
        self.rows = rows
    }

    @inline(__always)
    public func storageRow(_ i: Int) -> Int { rows.map { Int($0[i]) } ?? i }

    public var type: FieldType { column.type }
}

/// Output formats of results.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, tsv, json, jsonl, markdown
}
