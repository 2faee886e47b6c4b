import SegBase
import SegFunctions
import SegSemantics
import SegStore
import SegSyntax

/// A database that runs seg's statements as SQL. A conforming type only runs one statement and
/// hands back its rows as text; compiling queries, streaming answers, counting and reading rows
/// for the commands are written here once for every database.
public protocol SQLBackend: Backend {
    /// How each catalog table is stored in SQL (parallel to the catalog's tables).
    var sqlTables: [SQLTable] { get }
    var dialect: SQLDialect { get }
    /// Whether the server takes `WITH name AS MATERIALIZED (…)` (`SQLOptions.materializedCTEs`).
    var materializesCTEs: Bool { get }
    /// Runs one statement, handing each row's cells (as text, nil for NULL) to `onRow`. `written`
    /// is the statement as the user wrote it, so the database's errors can point into it.
    func execute(_ statement: SQLStatement, interrupt: InterruptFlag?, written: (query: Query, source: Source)?,
                 onRow: @escaping ([String?]) throws -> Void) throws
}

/// A value handed across a blocking bridge; only one thread touches it at a time.
public final class UncheckedBox<T>: @unchecked Sendable {
    public var value: T
    public init(_ value: T) { self.value = value }
}

extension SQLBackend {
    /// How this backend's statements are generated: its dialect and tables, values as bound
    /// parameters, every result cell as text formatted like seg's CSV.
    public func sqlOptions(today: Int) -> SQLOptions {
        var options = SQLOptions(dialect: dialect, today: today, tables: sqlTables, bindParameters: true, textResults: true)
        options.materializedCTEs = materializesCTEs
        return options
    }

    public var materializesCTEs: Bool { false }

    /// A statement generated for `context`; generation errors (a value the database cannot hold)
    /// point at the statement as written.
    func generate(_ query: BoundQuery, in context: QueryContext) throws -> SQLStatement {
        var generator = SQLGenerator(catalog: context.catalog, options: sqlOptions(today: context.today))
        do {
            return try generator.generate(query)
        } catch var error as SegError {
            if error.source == nil, let written = context.written { error.source = written.source; error.range = written.query.range }
            throw error
        }
    }

    public func run(_ query: BoundQuery, in context: QueryContext, into sink: any ResultSink) throws {
        let statement = try generate(query, in: context)
        try sink.begin(statement.columns, kind: statement.kind)
        let rows = UncheckedBox(0)
        let interrupt = context.interrupt
        try execute(statement, interrupt: interrupt, written: context.written) { row in
            try sink.append(row)
            rows.value += 1
            if rows.value % 1024 == 0, let interrupt, interrupt.isRaised { throw SegError(.interrupted, .interrupted) }
        }
        try sink.end {
            // The footer's "20 of 1,234" needs the count before limit, only when limit was reached.
            guard let limit = query.limit, rows.value >= limit else { return nil }
            var totals = SQLGenerator(catalog: context.catalog, options: sqlOptions(today: context.today))
            guard let total = try totals.generateTotal(query) else { return nil }
            return try firstInteger(total, interrupt: interrupt, written: context.written)
        }
    }

    public func count(_ query: BoundQuery, in context: QueryContext) throws -> Int {
        var q = query
        q.mode = .count
        return try firstInteger(try generate(q, in: context), interrupt: context.interrupt, written: nil)
    }

    public func rows(_ query: BoundQuery, in context: QueryContext) throws -> [[String?]] {
        let statement = try generate(query, in: context)
        let types = statement.columns.map(\.type)
        let out = UncheckedBox([[String?]]())
        let interrupt = context.interrupt
        try execute(statement, interrupt: interrupt, written: nil) { row in
            out.value.append(zip(row, types).map { CellText.plain(text: $0, type: $1) })
            if out.value.count % 1024 == 0, let interrupt, interrupt.isRaised { throw SegError(.interrupted, .interrupted) }
        }
        return out.value
    }

    /// A statement's size stays well within what servers accept.
    public var keysPerQuery: Int { 1_000 }

    func firstInteger(_ statement: SQLStatement, interrupt: InterruptFlag?, written: (query: Query, source: Source)?) throws -> Int {
        let box = UncheckedBox(0)
        try execute(statement, interrupt: interrupt, written: written) { row in
            box.value = row.first.flatMap { $0.flatMap { Int($0) } } ?? 0
        }
        return box.value
    }
}
