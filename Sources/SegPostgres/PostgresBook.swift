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
/// and tag vocabularies (for checking statements, "did you mean" and completion), then runs every
/// statement in the database: only result rows come back. Set it as a session's `backend`.
///
/// Read in full (no `QuickStart`), each text column is scanned for its distinct values. Started
/// quickly, the values are a sample (or an earlier run's cache) and the book answers for the rest
/// as `SampledValues`: a value the sample lacks is looked up with one bounded query.
public final class PostgresBook: SQLBackend, SampledValues {
    public let url: PostgresURL
    /// Schema-only tables (no rows) for the session's catalog: full dictionaries and vocabularies
    /// when read in full, samples when started quickly.
    public let tables: [Table]
    public let sqlTables: [SQLTable]
    public var dialect: SQLDialect { .postgres }
    /// PostgreSQL 12 and later (not Greenplum 6, which is 9.4): segments' CTEs are materialized.
    public let materializesCTEs: Bool
    let link: PostgresLink
    /// The sampled columns of each quick-started table, by seg table name.
    let sampled: [String: SampledTable]
    /// What the data answered, and the caches as they grow with it.
    let learned = Mutex(Learned())

    struct Learned {
        var holds: [String: Bool] = [:]
        var all: [String: [String]?] = [:]
        var caches: [String: SchemaCache] = [:]
    }

    /// Connects, and reads each table named in `tables` (seg name → `schema.table` or `table`).
    /// `columns`, when given (a one-shot run, see `ColumnDemand`), names the columns whose values
    /// are learned; the other text columns are taken as text without scanning them. `quick`: start
    /// without scanning any column (see `QuickStart`).
    public init(url: PostgresURL, tables specs: [(name: String, table: String)], columns: Set<String>? = nil,
                quick: QuickStart? = nil) throws {
        self.url = url
        link = PostgresLink(url: url, configuration: try Self.configuration(url))
        var tables: [Table] = []
        var sqlTables: [SQLTable] = []
        var sampled: [String: SampledTable] = [:]
        for spec in specs {
            let parts = spec.table.split(separator: ".", maxSplits: 1).map(String.init)
            let (table, sql, sample) = try PostgresSchema.read(name: spec.name, qualified: parts, link: link, columns: columns, quick: quick)
            tables.append(table)
            sqlTables.append(sql)
            if let sample { sampled[spec.name] = sample }
        }
        self.tables = tables
        self.sqlTables = sqlTables
        self.sampled = sampled
        let version = UncheckedBox("")
        try link.execute(SQLStatement(text: "SHOW server_version_num", parameters: []), interrupt: nil, query: nil, source: nil) {
            version.value = $0.first.flatMap { $0 } ?? ""
        }
        materializesCTEs = (Int(version.value) ?? 0) >= 120000
        learned.withLock { l in for (name, t) in sampled { l.caches[name] = t.cache } }
    }

    // MARK: - SampledValues

    public func isSampled(table: String, column: String) -> Bool {
        sampled[table]?.columns[column] != nil
    }

    public func holds(table: String, column: String, value: String) throws -> Bool {
        guard let t = sampled[table], let c = t.columns[column] else { return false }
        let key = "\(table)\u{0}\(column)\u{0}\(value)"
        if let known = learned.withLock({ $0.holds[key] }) { return known }
        let test: String
        switch c.storage {
        case .category:
            // Compared as it is stored, so an index on the column serves the lookup.
            let column = ["text", "varchar"].contains(c.typeName) ? c.quoted : "CAST(\(c.quoted) AS text)"
            test = "\(column) = $1"
        case .array:
            test = "\(c.quoted) @> ARRAY[CAST($1 AS text)]"
        case .delimited:
            // The words as the full read splits them (trimmed); strpos first, so most rows cost one search.
            test = "strpos(\(c.quoted), $1) > 0 AND EXISTS (SELECT 1 FROM unnest(string_to_array(\(c.quoted), ';')) AS t WHERE btrim(t, E' \\t') = $1)"
        }
        let found = !(try rows("SELECT 1 FROM \(t.relation) WHERE \(test) LIMIT 1", parameters: [value])).isEmpty
        learned.withLock { l in
            l.holds[key] = found
            if found { remember(table: table, column: column, { $0 + [value] }, in: &l) }
        }
        return found
    }

    public func allValues(table: String, column: String) throws -> [String]? {
        guard let read = ValueRead(self, table: table, column: column) else { return nil }
        if let known = learned.withLock({ $0.all[read.key] }) { return known }
        return settle(read, values: try rows(read.sql).compactMap { $0.first ?? nil })
    }

    /// Reads `allValues` of every sampled column in turn, on a connection of its own that it
    /// closes at the end or when the task is cancelled, and keeps them (and writes the caches) as
    /// `allValues` does. Stops at the first failure.
    public func readAllValues(timeout: Duration) async -> FullValues {
        // Read in full, or nothing but numbers and dates: nothing to read, no connection to open.
        guard sampled.values.contains(where: { !$0.columns.isEmpty }) else { return FullValues() }
        let own = PostgresLink(url: url, configuration: link.configuration)
        let out = await withTaskCancellationHandler {
            var out = FullValues()
            do {
                try Task.checkCancellation()
                let milliseconds = max(1, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
                try await own.stream(SQLStatement(text: "SET statement_timeout = \(milliseconds)", parameters: [])) { _ in }
                for (table, sample) in sampled.sorted(by: { $0.key < $1.key }) {
                    for column in sample.columns.keys.sorted() {
                        try Task.checkCancellation()
                        guard let read = ValueRead(self, table: table, column: column) else { continue }
                        let all: [String]?
                        if let known = learned.withLock({ $0.all[read.key] }) {
                            all = known
                        } else {
                            var values: [String] = []
                            try await own.stream(SQLStatement(text: read.sql, parameters: [])) { row in
                                if let value = row.first ?? nil { values.append(value) }
                            }
                            all = settle(read, values: values)
                        }
                        if let all { out.columns[StoredColumn(table: table, column: column)] = all }
                    }
                }
            } catch {
                // Cancelled: the prompt is closing, and nobody is left to tell.
                if !Task.isCancelled { out.problem = PostgresLink.reason(error) }
            }
            return out
        } onCancel: {
            own.detach()?.close().whenComplete { _ in }
        }
        try? await own.detach()?.close()
        return out
    }

    /// The statement that reads every value of a sampled column, bounded by what a category may
    /// hold (one row more, to tell a column that has more).
    struct ValueRead {
        var table: String
        var column: String
        var sql: String
        var limit: Int
        var key: String { "\(table)\u{0}\(column)" }

        /// Nil for a column that is not sampled.
        init?(_ book: PostgresBook, table: String, column: String) {
            guard let t = book.sampled[table], let c = t.columns[column] else { return nil }
            (self.table, self.column) = (table, column)
            limit = c.storage == .category ? PostgresSchema.maxCategoryValues : PostgresSchema.maxTagVocabulary
            switch c.storage {
            case .category:
                sql = "SELECT DISTINCT CAST(\(c.quoted) AS text) FROM \(t.relation) WHERE \(c.quoted) IS NOT NULL AND \(c.quoted) <> '' LIMIT \(limit + 1)"
            case .array:
                sql = "SELECT DISTINCT t FROM \(t.relation), unnest(\(c.quoted)) AS t WHERE t IS NOT NULL LIMIT \(limit + 1)"
            case .delimited:
                sql = "SELECT DISTINCT btrim(t, E' \\t') FROM \(t.relation), unnest(string_to_array(\(c.quoted), ';')) AS t WHERE btrim(t, E' \\t') <> '' LIMIT \(limit + 1)"
            }
        }
    }

    /// Keeps what a `ValueRead` read (nil: more than its limit), and writes it to the cache.
    func settle(_ read: ValueRead, values: [String]) -> [String]? {
        let all: [String]? = values.count > read.limit ? nil : PostgresSchema.sortedByBytes(values)
        learned.withLock { l in
            l.all[read.key] = all
            if let all { remember(table: read.table, column: read.column, { _ in all }, in: &l) }
        }
        return all
    }

    /// Updates the cache of `table` with what the data just said, so the next run knows it too.
    func remember(table: String, column: String, _ change: ([String]) -> [String], in l: inout Learned) {
        guard var cache = l.caches[table], var entry = cache.columns[column] else { return }
        entry.values = PostgresSchema.sortedByBytes(change(entry.values))
        cache.columns[column] = entry
        l.caches[table] = cache
        if let path = sampled[table]?.cachePath { cache.write(path) }
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
