import Foundation

/// Options that shape how statements run and how results are written.
public struct SessionOptions: Sendable {
    /// Today's date as a day number (`--today`, `SEG_TODAY`, or the machine's date).
    public var today: Int
    public var writer: WriterOptions
    /// True at an interactive prompt: `let` then reports the segment's size.
    public var interactive: Bool
    /// Raised by Ctrl-C to cancel the running statement.
    public var interrupt: InterruptFlag?

    public init(today: Int, writer: WriterOptions, interactive: Bool = false, interrupt: InterruptFlag? = nil) {
        self.today = today
        self.writer = writer
        self.interactive = interactive
        self.interrupt = interrupt
    }
}

/// Several errors found in one piece of text (a script may have more than one syntax error).
public struct SegErrors: Error, Sendable {
    public var errors: [SegError]

    public init(_ errors: [SegError]) { self.errors = errors }

    public var exitCode: Int32 { errors.first?.exitCode ?? 65 }
}

/// A running seg session: the loaded tables, the segments defined so far, and the options.
/// The REPL, scripts, `-c` and tests all run statements through this one type.
public struct Session: Sendable {
    public var catalog: Catalog
    public var options: SessionOptions
    /// When set, queries run there (a database) instead of in memory.
    public var runner: (any QueryRunner)?

    public init(tables: [Table], options: SessionOptions) {
        catalog = Catalog(tables: tables)
        self.options = options
    }

    /// Parses all of `source`, then runs its statements in order, writing each result to `output`
    /// as soon as it is ready. Syntax errors stop the run before anything executes.
    /// `timed`, when given, hears each statement's elapsed wall time in seconds.
    public mutating func run(_ source: Source, output: Output, timed: ((Double) -> Void)? = nil) throws {
        let (script, errors) = Parser.parse(source)
        if !errors.isEmpty { throw SegErrors(errors) }
        let clock = ContinuousClock()
        for statement in script.statements {
            let start = clock.now
            try execute(statement, source: source, output: output)
            if let timed {
                let elapsed = clock.now - start
                timed(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
        }
    }

    /// `12.3 ms`, `1.25 s`: elapsed times as people read them.
    public static func formatDuration(_ seconds: Double) -> String {
        if seconds < 1 {
            let ms = seconds * 1000
            return ms < 10 ? String(format: "%.2f ms", ms) : String(format: "%.1f ms", ms)
        }
        return String(format: "%.2f s", seconds)
    }

    public mutating func execute(_ statement: Statement, source: Source, output: Output) throws {
        switch statement {
        case .query(let query):
            var resolver = Resolver(catalog: catalog, today: options.today, source: source)
            let bound = try resolver.resolve(query)
            if let runner {
                output.interrupt = options.interrupt
                defer { output.interrupt = nil }
                try runner.run(bound, catalog: catalog, options: options, output: output, query: query, source: source)
                try output.flush()
                return
            }
            var executor = Executor(catalog: catalog, today: options.today, interrupt: options.interrupt)
            let result = try executor.run(bound)
            output.interrupt = options.interrupt
            defer { output.interrupt = nil }
            try ResultWriter.write(result, options: options.writer, to: output)
            try output.flush()
        case .define(let name, let query, _):
            if catalog.tableIndex(named: name.name) != nil {
                throw SegError(.query, "'\(name.name)' is a table; choose another name for the segment", source: source, range: name.range)
            }
            let definition = SegmentDefinition(name: name.name, query: query, source: source)
            var trial = catalog
            trial.segments[name.name.lowercased()] = definition
            // Resolve through the new catalog so a definition that closes a cycle is refused.
            var resolver = Resolver(catalog: trial, today: options.today, source: source)
            let bound = try resolver.resolveSegment(definition, at: name.range)
            if options.interactive, let runner {
                let count = try runner.count(bound, catalog: trial, options: options)
                try output.write("\(name.name): \(FixedPoint.format(Int64(count), grouping: true)) \(Self.noun(trial.tables[bound.tableIndex], count))\n")
                try output.flush()
            } else if options.interactive {
                var executor = Executor(catalog: trial, today: options.today, interrupt: options.interrupt)
                let count = try executor.selectedRows(bound)?.popcount ?? trial.tables[bound.tableIndex].rowCount
                try output.write("\(name.name): \(FixedPoint.format(Int64(count), grouping: true)) \(Self.noun(trial.tables[bound.tableIndex], count))\n")
                try output.flush()
            }
            catalog = trial
        }
    }

    static func noun(_ table: Table, _ count: Int) -> String {
        let plural = table.name.lowercased() == "clients" ? "clients" : "rows"
        return count == 1 ? String(plural.dropLast()) : plural
    }
}
