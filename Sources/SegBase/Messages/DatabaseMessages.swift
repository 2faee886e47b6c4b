// SQL translation and databases.

/// Why a database could not be reached or went away, when seg can say it in its own words.
public enum ConnectionProblem: Sendable, Equatable {
    case serverClosed
    case clientClosed
    case sslUnsupported
    case passwordNeeded
    case unsupportedAuthentication
    /// The driver's own description.
    case other(String)

    var english: String {
        switch self {
        case .serverClosed: return "the server closed the connection"
        case .clientClosed: return "the connection was closed"
        case .sslUnsupported: return "the server does not support SSL, which sslmode requires"
        case .passwordNeeded: return "the server asks for a password; put it in PGPASSWORD or ~/.pgpass"
        case .unsupportedAuthentication: return "the server asks for an authentication method seg does not support"
        case .other(let text): return text
        }
    }
}

public enum DatabaseMessage: Sendable, Equatable {
    case sqliteHasNoRegex
    case sqliteHasNoArrays(field: String)
    /// `PostgreSQL text cannot hold the NUL character`: the dialect's name as people write it.
    case nulCharacter(database: String)
    case nulInName
    case notTranslatable
    case badCell(column: String, row: Int, type: FieldType)
    case noTable(String, url: String, seg: String)
    case noReadableColumn(String)
    case cannotConnect(url: String, problem: ConnectionProblem)
    case unreadableValue(column: String)
    case connectionLost(url: String, problem: ConnectionProblem)
    /// The server's message and hint, as it sent them.
    case refused(String, hint: String?)

    func text(in language: Language) -> String {
        switch language {
        case .english: return english
        }
    }

    var english: String {
        switch self {
        case .sqliteHasNoRegex:
            return "SQLite has no regular expressions by default, so '~' cannot be translated; use like or contains, or the postgres or duckdb dialect"
        case .sqliteHasNoArrays(let field): return "SQLite has no arrays; store '\(field)' as ;-separated text"
        case .nulCharacter(let database): return "\(database) text cannot hold the NUL character (\\0); remove it from the value"
        case .nulInName: return "a name cannot contain the NUL character (\\0)"
        case .notTranslatable: return "only queries, let and param translate to SQL; run this statement in seg"
        case .badCell(let column, let row, let type):
            return "the database sent a value for '\(column)' (row \(row) of a batch) that is not \(type.rawValue)"
        case .noTable(let table, let url, let seg): return "no table '\(table)' in \(url); name it with --table \(seg)=SCHEMA.TABLE"
        case .noReadableColumn(let table):
            return "table '\(table)' has no column seg can read (integers, numeric, dates, booleans, text, text[])"
        case .cannotConnect(let url, let problem): return "cannot connect to \(url): \(problem.english)"
        case .unreadableValue(let column): return "cannot read a value of column '\(column)' sent by the database"
        case .connectionLost(let url, let problem):
            return "lost the connection to \(url) (\(problem.english)); the next statement reconnects"
        case .refused(let message, let hint): return "the database refused the statement: \(message)" + (hint.map { " (\($0))" } ?? "")
        }
    }
}
