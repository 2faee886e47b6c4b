import CSQLite

/// A minimal in-process SQLite connection (the system's libsqlite3): the reference engine of the
/// differential tests. Values come back as text, NULL as nil, so answers compare as strings.
final class SQLiteDatabase {
    private var handle: OpaquePointer?

    /// SQLite copies bound text (the C macro SQLITE_TRANSIENT does not import into Swift).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    init() throws {
        guard sqlite3_open(":memory:", &handle) == SQLITE_OK else {
            throw Failure(message: "cannot open an in-memory SQLite database")
        }
    }

    deinit { sqlite3_close(handle) }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw Failure(message: "\(message)\nin: \(sql.prefix(500))")
        }
    }

    /// Inserts rows in one transaction; each value is bound as integer, text or NULL.
    func insert(into table: String, columns: Int, rows: [[SQLValue]]) throws {
        let placeholders = Array(repeating: "?", count: columns).joined(separator: ",")
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, "insert into \(table) values (\(placeholders))", -1, &statement, nil) == SQLITE_OK else {
            throw Failure(message: String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        try execute("begin")
        for row in rows {
            sqlite3_reset(statement)
            for (i, value) in row.enumerated() {
                let slot = Int32(i + 1)
                switch value {
                case .null: sqlite3_bind_null(statement, slot)
                case .integer(let v): sqlite3_bind_int64(statement, slot, v)
                case .text(let s): sqlite3_bind_text(statement, slot, s, -1, Self.transient)
                }
            }
            guard sqlite3_step(statement) == SQLITE_DONE else {
                throw Failure(message: String(cString: sqlite3_errmsg(handle)))
            }
        }
        try execute("commit")
    }

    /// Every row of a query's answer, each cell as text (nil for NULL).
    func query(_ sql: String) throws -> [[String?]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw Failure(message: "\(String(cString: sqlite3_errmsg(handle)))\nin: \(sql)")
        }
        defer { sqlite3_finalize(statement) }
        var rows: [[String?]] = []
        let n = sqlite3_column_count(statement)
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw Failure(message: "\(String(cString: sqlite3_errmsg(handle)))\nin: \(sql)")
            }
            var row: [String?] = []
            for c in 0..<n {
                if sqlite3_column_type(statement, c) == SQLITE_NULL {
                    row.append(nil)
                } else if let text = sqlite3_column_text(statement, c) {
                    let length = Int(sqlite3_column_bytes(statement, c))
                    row.append(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
                } else {
                    row.append("")
                }
            }
            rows.append(row)
        }
        return rows
    }
}

enum SQLValue {
    case null
    case integer(Int64)
    case text(String)
}
