import Foundation
import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegSemantics
import SegEngine
import SegIO

/// Options that shape how statements run and how results are written.
public struct SessionOptions: Sendable {
    /// Today's date as a day number (`--today`, `SEG_TODAY`, or the machine's date).
    public var today: Int
    public var writer: WriterOptions
    /// True at an interactive prompt: `let` then reports the segment's size.
    public var interactive: Bool
    /// Raised by Ctrl-C to cancel the running statement.
    public var interrupt: InterruptFlag?
    /// The segment library file (`--segments`, default `./segments.seg`); nil: no library, so
    /// `save`, `drop` of saved segments and snapshots are errors.
    public var libraryPath: String?
    /// Parameter values given from outside (`--param NAME=VALUE`), keyed by `ExactText.nameKey`; they
    /// win over the defaults of `param` statements.
    public var parameters: [String: ParameterValue]
    /// The column that identifies clients for why, snapshot and diff (`--key`); nil looks for
    /// `id`, then the usual names of bank exports (`clientKeyNames`).
    public var key: String?
    /// The language of messages and notes (`--lang`, `LANG`).
    public var language: Language = .english
    /// Fields masked in every output (`--mask`, `.mask`, the library's `# mask:` line).
    public var masks = MaskSet()
    /// How `.load` reads files: the command line's `--na`, `--encoding`, `--skip`, `--skip-footer`
    /// and `--sheet`, as for `--data`.
    public var load = LoadOptions()
    /// The command line's `--type` overrides; `.load` applies those naming a column of its file.
    public var typeOverrides: [String: FieldType] = [:]
    /// `.chart on`: every `by` result is drawn as bar charts when results are tables.
    public var charts = false
    /// Links declared with `--link CHILD.FIELD=PARENT.KEY`; others are found by name.
    public var links: [LinkSpec] = []

    public init(today: Int, writer: WriterOptions, interactive: Bool = false, interrupt: InterruptFlag? = nil,
                libraryPath: String? = nil, parameters: [ParameterValue] = []) {
        self.today = today
        self.writer = writer
        self.interactive = interactive
        self.interrupt = interrupt
        self.libraryPath = libraryPath
        var byName: [String: ParameterValue] = [:]
        for p in parameters { byName[ExactText.nameKey(p.name)] = p }
        self.parameters = byName
    }
}

/// A running seg session: the loaded tables, the segments defined so far, and the options.
/// The REPL, scripts, `-c` and tests all run statements through this one type.
public struct Session: Sendable {
    public var catalog: Catalog
    public var options: SessionOptions
    /// The definition text of each segment as the library file had it when last loaded or
    /// written, keyed by `ExactText.nameKey` (`segments` shows whether a segment is saved).
    public var savedDefinitions: [String: String] = [:]
    /// Where queries run: memory, or a database.
    public var backend: any Backend
    /// The rules of the call plan (`rule` statements, the plan file), in the order defined.
    public var plan: [PlanEntry] = []

    public init(tables: [Table], options: SessionOptions, backend: any Backend = MemoryBackend()) {
        catalog = Catalog(tables: tables, parameters: options.parameters)
        catalog.sampled = backend as? any SampledValues
        self.options = options
        self.backend = backend
        // Declared links are checked by `relink`, which reports their errors; found ones need none.
        catalog.links = (try? Links.build(tables, declared: options.links))?.links ?? []
    }

    /// Builds the links among the loaded tables again (after `--link` or `.load`): the declared
    /// ones, then those found by name. Returns notes for the user (dangling keys, a key that repeats).
    @discardableResult
    public mutating func relink() throws -> [DataMessage] {
        let (links, notes) = try Links.build(catalog.tables, declared: options.links)
        catalog.links = links
        return notes
    }

    /// The context the backend runs this session's statements in.
    func context(written: (query: Query, source: Source)? = nil) -> QueryContext {
        QueryContext(catalog: catalog, today: options.today, interrupt: options.interrupt, written: written)
    }

    /// `--order FIELD=LOW,…,HIGH`: as `let order`, with errors pointing into the argument.
    public mutating func defineOrder(argument: String) throws {
        try catalog.defineOrder(try FieldOrder(argument: argument), today: options.today)
    }

    /// Loads the segment library named in the options (a missing file is an empty library).
    /// Errors in the file name it, with line and caret.
    public mutating func loadLibrary() throws {
        guard let path = options.libraryPath else { return }
        try loadLibrary(SegmentLibrary(path: path).read())
    }

    /// Adds the segments of a library already read (`SegmentLibrary.read`; nil: no file), and
    /// the masks its `# mask: phone, name` line names.
    public mutating func loadLibrary(_ library: Source?) throws {
        guard let library else { return }
        for line in library.text.split(separator: "\n") where line.hasPrefix("# mask:") {
            let masks = try MaskSet(parsing: String(line.dropFirst("# mask:".count)))
            try checkMasks(masks)
            options.masks.merge(masks)
        }
        for definition in try SegmentLibrary.definitions(in: library) {
            if catalog.tableIndex(named: definition.name) != nil {
                throw SegError(.query, .query(.segmentNamedLikeTable(definition.name)),
                               source: definition.source, range: definition.query.range)
            }
            catalog.segments[ExactText.nameKey(definition.name)] = definition
            savedDefinitions[ExactText.nameKey(definition.name)] = definition.text
        }
        for field in try SegmentLibrary.fields(in: library) {
            if let table = catalog.tables.first(where: { $0.columnIndex(named: field.name) != nil }) {
                throw SegError(.query, .query(.fieldNamedLikeStored(field.name, table: table.name)),
                               source: field.source, range: field.body.range)
            }
            catalog.fields[ExactText.nameKey(field.name)] = field
            savedDefinitions[ExactText.nameKey(field.name)] = field.text
        }
        // Checked where the field is used (this book may not hold the field the library ordered).
        for order in try SegmentLibrary.orders(in: library) {
            catalog.orders[ExactText.nameKey(order.field.name)] = order
            savedDefinitions[ExactText.nameKey(order.field.name)] = order.text
        }
    }

    /// Parses all of `source`, then runs its statements in order, writing each result to `output`
    /// as soon as it is ready. Syntax errors stop the run before anything executes.
    /// `timed`, when given, hears each statement's elapsed wall time in seconds.
    public mutating func run(_ source: Source, output: Output, timed: ((Double) -> Void)? = nil) throws {
        // Parsing, resolving and running nested queries recurse (up to Parser.maxDepth levels, with
        // large frames in debug builds): a stack of our own keeps that safe under any `ulimit -s`.
        // Handing over to another thread costs a context switch, so only statements that may nest
        // deeply take that way.
        if LargeStack.mayNestDeeply(source, segments: catalog.segments.count) {
            try LargeStack.run { try self.runOnThisStack(source, output: output, timed: timed) }
        } else {
            try runOnThisStack(source, output: output, timed: timed)
        }
    }

    private mutating func runOnThisStack(_ source: Source, output: Output, timed: ((Double) -> Void)?) throws {
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

    /// Runs one statement. On a database whose dictionaries are samples (`SampledValues`), a value
    /// or tag word the sample lacks is looked up in the data: when it is there it joins the
    /// dictionary and the statement is resolved again; when not, the error's "did you mean" comes
    /// from every value the column holds.
    public mutating func execute(_ statement: Statement, source: Source, output: Output) throws {
        var learned = 0
        while true {
            do {
                return try executeOnce(statement, source: source, output: output)
            } catch let error as SegError {
                // Each round adds one value to a dictionary, so this ends; the bound is a backstop.
                guard learned < 10_000, let sampled = catalog.sampled, try catalog.learn(from: error, sampled) else { throw error }
                learned += 1
            }
        }
    }

    /// `body`'s answer, resolved against the catalog after learning from the data (as `execute`
    /// does) each value a sampled dictionary lacks; for resolutions whose errors are not reported
    /// (`segments` shows no size for a segment that does not resolve).
    mutating func learning<T>(_ body: (Catalog) throws -> T) throws -> T {
        var learned = 0
        while true {
            do {
                return try body(catalog)
            } catch let error as SegError {
                guard learned < 10_000, let sampled = catalog.sampled, try catalog.learn(from: error, sampled) else { throw error }
                learned += 1
            }
        }
    }

    mutating func executeOnce(_ statement: Statement, source: Source, output: Output) throws {
        switch statement {
        case .query(let query):
            if let histogram = query.histogram {
                try writeHistogram(query, histogram, source: source, to: output)
                return
            }
            var resolver = Resolver(catalog: catalog, today: options.today, source: source)
            let bound = try resolver.resolve(query)
            try write(bound, written: (query, source), to: output)
        case .define(let name, let query, _):
            try define(name, query, source: source, output: output)
        case .defineField(let name, let body, _):
            let value = try catalog.defineField(name: name, body: body, source: source, today: options.today)
            if options.interactive {
                try output.write(Message.display(.fieldDefined(name.name, type: value.type, labels: Self.labels(value))).text(in: options.language) + "\n")
                try output.flush()
            }
        case .defineOrder(let field, let labels, let range):
            try catalog.defineOrder(FieldOrder(field: field, labels: labels, source: source, range: range), today: options.today)
        case .save(let name, let query, _):
            if let query { try define(name, query, source: source, output: nil) }
            try save(name, source: source, output: output)
        case .drop(let name, _):
            try drop(name, source: source, output: output)
        case .listSegments:
            try write(try listSegments(), to: output)
        case .parameter(let name, let value, _):
            // A value given from outside (--param) wins over the script's default.
            if options.parameters[ExactText.nameKey(name.name)] == nil {
                catalog.parameters[ExactText.nameKey(name.name)] = ParameterValue(name: name.name, value: value, source: source)
            }
        case .explain(let query, _):
            try write(explain(query, source: source), to: output)
        case .why(let id, let segment, _):
            try write(why(id: id, segmentName: segment, source: source), to: output)
        case .snapshot(let name, _):
            if let (field, _, rows) = try classification(name, source: source) {
                let snapshot = try takeLabelSnapshot(field, rows: rows, source: source, range: name.range)
                if options.interactive {
                    try output.write(Message.display(.labelSnapshotTaken(field.name, clients: snapshot.rows.count, date: CivilDate.format(snapshot.date))).text(in: options.language) + "\n")
                    try output.flush()
                }
                return
            }
            let snapshot = try takeSnapshot(name, source: source)
            if options.interactive {
                try output.write(Message.display(.snapshotTaken(snapshot.segment, members: snapshot.rows.count,
                                                                date: CivilDate.format(snapshot.date))).text(in: options.language) + "\n")
                try output.flush()
            }
        case .listSnapshots(let name, _):
            try write(listSnapshots(name, source: source), to: output)
        case .diff(let name, let since, _):
            if let (field, c, rows) = try classification(name, source: source) {
                try write(migration(field, c, rows: rows, since: since, source: source, range: name.range), to: output)
                return
            }
            try write(diff(name, since: since, source: source), to: output)
        case .rule(let rule):
            try addRule(rule, source: source, output: output)
        case .dotCommand(_, let range):
            throw SegError(.usage, .usage(.dotCommandNotHere), source: source, range: range)
        }
    }

    /// Throws when a masked field is in no loaded table: a typo must not leave a field unmasked.
    public func checkMasks(_ masks: MaskSet) throws {
        let fields = catalog.tables.flatMap { $0.columns.map(\.name) + $0.unloadedColumns }
        for field in masks.names where !fields.contains(where: { ExactText.sameName($0, field) }) {
            throw SegError(.usage, .usage(.unknownMaskField(field, suggestion: Suggest.closest(to: field, among: fields))))
        }
    }

    /// Runs `body` (statements of `source`, with `segments` defined) on a stack large enough
    /// for their nesting.
    public static func onLargeStackIfNeeded<T>(_ source: Source, segments: Int, _ body: () throws -> T) throws -> T {
        if LargeStack.mayNestDeeply(source, segments: segments) { return try LargeStack.run(body) }
        return try body()
    }

    /// True for the statements that write a result when not at the prompt (a query, `segments`,
    /// `explain`, `why`, `snapshots`, `diff`); `let`, `save`, `snapshot` … write nothing there.
    public static func writesResult(_ statement: Statement) -> Bool {
        switch statement {
        case .query, .listSegments, .explain, .why, .listSnapshots, .diff: return true
        case .define, .defineField, .defineOrder, .save, .drop, .parameter, .snapshot, .rule, .dotCommand: return false
        }
    }

    /// What `path` is, when it is a file seg must never write an export over: a loaded data
    /// file, the segment library or a snapshot (compared by device and inode, so another
    /// spelling or a link to the file is caught too; by resolved path while the library or the
    /// snapshot folder does not exist yet).
    public func protectedFile(_ path: String) -> ProtectedFile? {
        // A loaded file exists (the demo book's origin names none).
        if let target = FileIdentity(path: path) {
            for table in catalog.tables where !table.origin.isEmpty && FileIdentity(path: table.origin) == target {
                return .data(table: table.name)
            }
        }
        guard let library = options.libraryPath else { return nil }
        // The library may not exist yet: `save` creates it, and an export there would be lost.
        if FileIdentity.same(path, library) { return .segmentLibrary }
        if FileIdentity.isInside(path, directory: SegmentLibrary(path: library).snapshotDirectory) { return .snapshot }
        return nil
    }

    /// Writes a result set in the session's format.
    func write(_ result: ResultSet, to output: Output) throws {
        output.interrupt = options.interrupt
        defer { output.interrupt = nil }
        try ResultPrinter(options: options.writer, output: output).write(result)
    }

    /// Runs a query and writes its answer in the session's format.
    func write(_ query: BoundQuery, written: (query: Query, source: Source), to output: Output) throws {
        output.interrupt = options.interrupt
        defer { output.interrupt = nil }
        var writer = options.writer
        if case .groups(let keys, _, _) = query.mode, keys.contains(where: { $0.type == .tags }) {
            writer.footnote = .countedPerTag(fields: keys.filter { $0.type == .tags }.map(\.displayName))
        }
        writer.chart = try chartPlan(query, written: written.query, source: written.source)
        let printer = ResultPrinter(options: writer, output: output)
        let rules = Masking.rules(query, options.masks)
        let sink: any ResultSink = rules.contains { $0 != nil } ? MaskingSink(printer, rules: rules) : printer
        try backend.run(query, in: context(written: written), into: sink)
        try output.flush()
    }

    /// `let NAME = QUERY`: checks the definition (names, types, cycles) and adds it to the session.
    /// `output` hears the segment's size at an interactive prompt.
    mutating func define(_ name: Identifier, _ query: Query, source: Source, output: Output?) throws {
        if let conflict = catalog.segmentNameConflict(name.name) {
            throw SegError(.query, .query(conflict), source: source, range: name.range)
        }
        let definition = SegmentDefinition(name: name.name, query: query, source: source)
        var trial = catalog
        trial.segments[ExactText.nameKey(name.name)] = definition
        // Resolve through the new catalog so a definition that closes a cycle is refused.
        var resolver = Resolver(catalog: trial, today: options.today, source: source)
        let bound = try resolver.resolveSegment(definition, at: name.range)
        if options.interactive, let output {
            var trialContext = context()
            trialContext.catalog = trial
            let count = try backend.count(bound, in: trialContext)
            let noun: RowNoun = trial.tables[bound.tableIndex].name.lowercased() == "clients" ? .clients : .rows
            try output.write(Message.display(.defined(name.name, count: count, noun)).text(in: options.language) + "\n")
            try output.flush()
        }
        catalog = trial
    }

    /// A classification's labels in order; none for another value.
    static func labels(_ value: ValueExpr) -> [String] {
        guard case .classify(let c) = value else { return [] }
        return c.dictionary
    }

}
