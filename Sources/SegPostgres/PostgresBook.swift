import Dispatch
import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import SegCore
import Synchronization

/// A client book that lives in PostgreSQL. seg reads the tables' columns and their category values
/// and tag vocabularies once (for checking statements, "did you mean" and completion), then runs
/// every statement in the database: only result rows come back. Set it as a session's `runner`.
public final class PostgresBook: QueryRunner {
    public let url: PostgresURL
    /// Schema-only tables (no rows; full dictionaries and vocabularies) for the session's catalog.
    public let tables: [Table]
    public let sqlTables: [SQLTable]
    public var dialect: SQLDialect { .postgres }
    /// Rows per batch handed to the writers.
    public let batchSize: Int
    let link: PostgresLink

    /// Connects, and reads each table named in `tables` (seg name → `schema.table` or `table`).
    /// `columns`, when given (a one-shot run, see `ColumnDemand`), names the columns whose values
    /// are learned; the other text columns are taken as text without scanning them.
    public init(url: PostgresURL, tables specs: [(name: String, table: String)], batchSize: Int = 10_000,
                columns: Set<String>? = nil) throws {
        self.url = url
        self.batchSize = batchSize
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

    // MARK: - QueryRunner

    public func run(_ bound: BoundQuery, catalog: Catalog, options: SessionOptions, output: Output, query: Query, source: Source) throws {
        var generator = SQLGenerator(catalog: catalog, options: sqlOptions(today: options.today))
        let statement = try Self.pointing(try generator.generate(bound), query: query, source: source)
        let writer = StreamingResultWriter(columns: statement.columns, kind: statement.kind, options: options.writer,
                                           output: output, batchSize: batchSize)
        let box = UncheckedBox(writer)
        let interrupt = options.interrupt
        try link.execute(statement, interrupt: interrupt, query: query, source: source) { row in
            try box.value.append(row)
            if box.value.rowCount % 1024 == 0, let interrupt, interrupt.isRaised { throw SegError(.interrupted, "interrupted") }
        }
        try writer.finish {
            // The footer's "20 of 1,234" needs the count before limit, only when limit was reached.
            guard let limit = bound.limit, writer.rowCount >= limit else { return nil }
            var totals = SQLGenerator(catalog: catalog, options: sqlOptions(today: options.today))
            guard let total = try totals.generateTotal(bound) else { return nil }
            return try link.count(total, interrupt: interrupt, query: query, source: source)
        }
    }

    public func count(_ bound: BoundQuery, catalog: Catalog, options: SessionOptions) throws -> Int {
        var q = bound
        q.mode = .count
        var generator = SQLGenerator(catalog: catalog, options: sqlOptions(today: options.today))
        return try link.count(try generator.generate(q), interrupt: options.interrupt, query: nil, source: nil)
    }

    public func fetch(_ statement: SQLStatement, options: SessionOptions) throws -> [[String?]] {
        let out = UncheckedBox([[String?]]())
        let interrupt = options.interrupt
        try link.execute(statement, interrupt: interrupt, query: nil, source: nil) { row in
            out.value.append(row)
            if out.value.count % 1024 == 0, let interrupt, interrupt.isRaised { throw SegError(.interrupted, "interrupted") }
        }
        return out.value
    }

    /// Generation errors (a value PostgreSQL cannot hold) point at the statement.
    static func pointing(_ statement: @autoclosure () throws -> SQLStatement, query: Query, source: Source) throws -> SQLStatement {
        do {
            return try statement()
        } catch var error as SegError {
            if error.source == nil { error.source = source; error.range = query.range }
            throw error
        }
    }

    /// Runs SQL of your own (tests, tools): each row's cells as text. Cast non-text columns to text.
    public func rows(_ sql: String, parameters: [String] = []) throws -> [[String?]] {
        try fetch(SQLStatement(text: sql, parameters: parameters), options: SessionOptions(today: 0, writer: WriterOptions(format: .csv)))
    }
}

/// A value handed across the blocking bridge; only one thread touches it at a time (the caller
/// waits while the task runs).
final class UncheckedBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
