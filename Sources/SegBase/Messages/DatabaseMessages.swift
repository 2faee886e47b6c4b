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

/// What is wrong with a `--db` URL (or a PG… variable). Parts that may hold the password are
/// never quoted.
public enum URLProblem: Sendable, Equatable {
    case scheme, fragment, atAfterHost, badUser, badPassword, unclosedIPv6, hostTooLong
    case notIPv6(String)
    case afterIPv6(String)
    case badHostEncoding(String)
    case badPort(String)
    case badDatabase(String)
    case notAParameter(String)
    case unknownParameter(String)
    case afterHost(String)
    case severalHosts(String)
    case socketFolder(String)
    case notAHostName(String)

    var english: String {
        switch self {
        case .scheme: return "the URL must start with postgres:// or postgresql://"
        case .fragment: return "a URL fragment ('#…') is not allowed"
        case .atAfterHost: return "'@' after the host: a '/' or '?' in the user name or password must be written %2F or %3F"
        case .badUser: return "the user name is not valid percent-encoded text"
        case .badPassword: return "the password is not valid percent-encoded text"
        case .unclosedIPv6: return "'[' opens an IPv6 address that ']' does not close"
        case .hostTooLong: return "the host name is longer than 253 characters"
        case .notIPv6(let text): return "'\(text)' is not an IPv6 address"
        case .afterIPv6(let text): return "unexpected '\(text)' after the IPv6 address"
        case .badHostEncoding(let text): return "the host '\(text)' is not valid percent-encoded text"
        case .badPort(let text): return "the port '\(text)' is not a number from 1 to 65535"
        case .badDatabase(let text): return "the database name '\(text)' is not valid percent-encoded text"
        case .notAParameter(let text): return "'\(text)' is not a NAME=VALUE parameter"
        case .unknownParameter(let text): return "unknown parameter '\(text)' (seg reads sslmode)"
        case .afterHost(let text): return "unexpected '\(text)' after the host"
        case .severalHosts(let text): return "several hosts ('\(text)') are not supported; give one"
        case .socketFolder(let text): return "a Unix socket folder ('\(text)') is not supported; give a host name"
        case .notAHostName(let text): return "'\(text)' is not a host name (letters, digits, '-', '_' and '.')"
        }
    }
}

/// Why a statement other than a query has no SQL of its own (`DatabaseMessage.notTranslatable`).
public enum UntranslatableReason: Sendable, Equatable {
    /// save, drop
    case library
    /// segments, snapshots
    case localState
    /// snapshot, diff
    case snapshots
    /// explain, why
    case severalQueries
    /// `.fields`, `.load` …
    case prompt
    /// `histogram`: seg counts the bins after the query
    case binsCountedBySeg
}

public enum DatabaseMessage: Sendable, Equatable {
    /// `from`: `--db`, or the environment variable the part came from.
    case badURL(URLProblem, from: String)
    case unknownSSLMode(String, from: String)
    case sqliteHasNoRegex
    case sqliteHasNoArrays(field: String)
    /// `median` or `quantile` in SQL for SQLite, which has no ordered-set aggregate.
    case sqliteHasNoOrderedSet(function: String)
    /// `PostgreSQL text cannot hold the NUL character`: the dialect's name as people write it.
    case nulCharacter(database: String)
    case nulInName
    /// `seg sql` on a statement that is not one query: the command's word (`explain`, `.fields` …) and why.
    case notTranslatable(String, UntranslatableReason)
    case badCell(column: String, row: Int, type: FieldType)
    case noTable(String, url: String, seg: String)
    case noReadableColumn(String)
    case cannotConnect(url: String, problem: ConnectionProblem)
    case unreadableValue(column: String)
    case connectionLost(url: String, problem: ConnectionProblem)
    /// The server's message and hint, as it sent them.
    case refused(String, hint: String?)

    var english: String {
        switch self {
        case .badURL(let problem, let from):
            switch (problem, from) {
            case (_, "--db"): return "--db: \(problem.english); expected a URL like postgres://user@host:5432/dbname"
            case (.badPort(let text), "PGPORT"): return "PGPORT '\(text)' is not a number from 1 to 65535"
            default: return "\(from): \(problem.english)"
            }
        case .unknownSSLMode(let mode, let from):
            return "\(from): unknown sslmode '\(mode)'; use disable, prefer, require, verify-ca or verify-full"
        case .sqliteHasNoRegex:
            return "SQLite has no regular expressions by default, so '~' cannot be translated; use like or contains, or the postgres or duckdb dialect"
        case .sqliteHasNoArrays(let field): return "SQLite has no arrays; store '\(field)' as ;-separated text"
        case .sqliteHasNoOrderedSet(let function): return "SQLite has no \(function) (no ordered-set aggregates); use --dialect duckdb or postgres, or ask seg in memory"
        case .nulCharacter(let database): return "\(database) text cannot hold the NUL character (\\0); remove it from the value"
        case .nulInName: return "a name cannot contain the NUL character (\\0)"
        case .notTranslatable(let word, let reason):
            let why: String
            switch reason {
            case .library: why = "it changes the segment library, a file seg keeps"
            case .localState: why = "it lists what seg keeps beside the library"
            case .snapshots: why = "it reads or writes snapshot files that seg keeps"
            case .severalQueries: why = "it runs several queries and reports on their answers"
            case .prompt: why = "it is a command of the prompt"
            case .binsCountedBySeg: why = "seg counts a histogram's bins itself, after the query"
            }
            return "'\(word)' does not translate to SQL: \(why); run it in seg (with --db its queries run in the database). Queries, let and param translate"
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
