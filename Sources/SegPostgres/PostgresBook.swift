import Dispatch
import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import Synchronization

/// A client book that lives in PostgreSQL. seg reads the tables' columns and their category values
/// and tag vocabularies once (for checking statements, "did you mean" and completion), then runs
/// every statement in the database: only result rows come back. Set it as a session's `backend`.
public final class PostgresBook: SQLBackend {
    public let url: PostgresURL
    /// Schema-only tables (no rows; full dictionaries and vocabularies) for the session's catalog.
    public let tables: [Table]
    public let sqlTables: [SQLTable]
    public var dialect: SQLDialect { .postgres }
    let link: PostgresLink

    /// Connects, and reads each table named in `tables` (seg name → `schema.table` or `table`).
    /// `columns`, when given (a one-shot run, see `ColumnDemand`), names the columns whose values
    /// are learned; the other text columns are taken as text without scanning them.
    public init(url: PostgresURL, tables specs: [(name: String, table: String)], columns: Set<String>? = nil) throws {
        self.url = url
        link = PostgresLink(url: url, configuration: try Self.configuration(url))
        var tables: [Table] = []
        var sqlTables: [SQLTable] = []
        for spec in specs {
            let parts = spec.table.split(separator: ".", maxSplits: 1).map(String.init)
            let (table, sql) = try PostgresSchema.read(name: spec.name, qualified: parts, link: link, columns: columns)
            tables.append(table)
            sqlTables.append(sql)
        }
        self.tables = tables
        self.sqlTables = sqlTables
    }

    /// Closes the connection (the next statement opens a new one).
    public func close() { link.close() }

    static func configuration(_ url: PostgresURL) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch url.sslMode {
        case .disable:
            tls = .disable
        case .allow, .prefer, .require:
            // libpq's require encrypts without checking the certificate; verify-* check it.
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            let context = try NIOSSLContext(configuration: config)
            tls = url.sslMode == .require ? .require(context) : .prefer(context)
        case .verifyCA, .verifyFull:
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = url.sslMode == .verifyFull ? .fullVerification : .noHostnameVerification
            tls = .require(try NIOSSLContext(configuration: config))
        }
        var configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user,
                                                             password: url.password, database: url.database, tls: tls)
        configuration.options.connectTimeout = .seconds(15)
        return configuration
    }

    // MARK: - SQLBackend

    public func execute(_ statement: SQLStatement, interrupt: InterruptFlag?, written: (query: Query, source: Source)?,
                        onRow: @escaping ([String?]) throws -> Void) throws {
        try link.execute(statement, interrupt: interrupt, query: written?.query, source: written?.source, onRow: onRow)
    }

    /// Runs SQL of your own (tests, tools): each row's cells as text. Cast non-text columns to text.
    public func rows(_ sql: String, parameters: [String] = []) throws -> [[String?]] {
        let out = UncheckedBox([[String?]]())
        try execute(SQLStatement(text: sql, parameters: parameters), interrupt: nil, written: nil) { out.value.append($0) }
        return out.value
    }
}
