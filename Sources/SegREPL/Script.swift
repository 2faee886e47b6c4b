import Foundation
import SegBase
import SegSyntax
import SegIO
import SegCommands

/// One step of a script: a statement, or a dot-command line already parsed.
struct ScriptStep {
    let source: Source
    let statement: Statement
    let command: DotCommand?
}

/// Several JSON results planned for one place (one `.output` file, or standard output): they
/// are written as one array, `[{"statement": …, "result": […]}, …]`.
struct DocumentState {
    /// Per place, in script order: whether its results form one document.
    var wrapped: [Bool] = []
    /// Per place: its results are csv or tsv nobody chose (the default for a pipe), so each
    /// after the first follows an empty line, where a reader sees a new table start.
    var separated: [Bool] = []
    /// The place results go to now (an index into `wrapped`).
    var place = 0
    /// Results written to the current place so far.
    var written = 0

    var wrapsCurrent: Bool { place < wrapped.count && wrapped[place] }
    var separatesCurrent: Bool { place < separated.count && separated[place] }
}

/// A report being made (`seg report`): each statement's results, gathered instead of written.
struct ReportState {
    let collector = ResultCollector()
    var sections: [HTMLReport.Section] = []
}

extension Shell {
    /// `seg report SCRIPT --html FILE`: runs the script with every result gathered (a `by` result
    /// and a histogram drawn as a chart too), then writes the page to FILE as an export is
    /// written: never over a loaded file, the library, a snapshot or the script, an existing FILE
    /// only with `--force`, put in place when complete (mode 0600). An error stops the run and
    /// leaves FILE as it was.
    public mutating func runReport(_ sources: [Source], path: String, title: String) throws {
        try closeOutput()
        file = try openExport(path, force: false, advice: .commandLine)
        var state = ReportState()
        report = state
        format = .table
        formatChosen = true
        session.options.charts = true
        session.options.writer.collector = state.collector
        defer {
            report = nil
            session.options.writer.collector = nil
        }
        do {
            try runScript(sources)
        } catch {
            discardOutput()
            throw error
        }
        state.sections = report?.sections ?? []
        // What it ran on (the first table: its file, its rows) and the day.
        var about: [String] = []
        if let table = session.catalog.tables.first {
            let noun: RowNoun = table.name.lowercased() == "clients" ? .clients : .rows
            about.append(table.origin.isEmpty ? table.name : originText(table.origin))
            about.append(Message.display(.footer(shown: table.rowCount, total: nil, noun)).text(in: language))
        }
        about.append(CivilDate.format(session.options.today))
        let subtitle = about.joined(separator: " · ")
        guard let file else { return }
        try file.output.write(HTMLReport.page(title: title, subtitle: subtitle, sections: state.sections, language: language))
        try closeOutput()
    }

    /// Runs a script, the `-c` statements or standard input: statements and dot-command lines
    /// (`.output list.csv`), in order. Everything is parsed first, so a syntax error or a bad
    /// dot-command stops the run before anything runs (or any file is written); the first error
    /// while running stops it too, and is thrown.
    ///
    /// Several results to one place are planned before the run: csv and tsv chosen with
    /// `--format`, `.format` or the file's extension refuse them (a program reading one table
    /// would take them for one); csv as the default for a pipe puts an empty line before each
    /// result after the first; json makes them one document; table, jsonl and value write one
    /// after another.
    public mutating func runScript(_ sources: [Source]) throws {
        var steps: [ScriptStep] = []
        var errors: [SegError] = []
        for source in sources {
            let (script, syntax) = Parser.parse(source)
            errors += syntax
            for statement in script.statements {
                var command: DotCommand?
                if case .dotCommand(let text, let range) = statement {
                    do {
                        command = try DotCommand.parse(text)
                    } catch var error as SegError {
                        error.source = source
                        error.range = range
                        errors.append(error)
                    }
                }
                steps.append(ScriptStep(source: source, statement: statement, command: command))
            }
        }
        if !errors.isEmpty { throw SegErrors(errors) }
        let top = scriptDepth == 0
        if top { document = try plan(steps) }
        scriptDepth += 1
        defer { scriptDepth -= 1 }
        for step in steps {
            if let command = step.command {
                if command == .quit { break }
                if top, case .output = command {
                    try endDocument()
                    document.place += 1
                    document.written = 0
                }
                _ = try run(command)
                continue
            }
            let target = prepareTarget()
            let wrapping = top && document.wrapsCurrent && Session.writesResult(step.statement)
            if wrapping {
                try JSONDocument.beforeResult(statement: step.source.slice(step.statement.range),
                                              first: document.written == 0, to: target)
            }
            if top && document.separatesCurrent && Session.writesResult(step.statement) && document.written > 0 {
                try target.write("\n")
            }
            if top && Session.writesResult(step.statement) { document.written += 1 }
            let start = ContinuousClock.now
            try Session.onLargeStackIfNeeded(step.source, segments: session.catalog.segments.count) {
                try session.execute(step.statement, source: step.source, output: target)
            }
            if let timed {
                let elapsed = ContinuousClock.now - start
                timed(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
            if wrapping { try JSONDocument.afterResult(to: target) }
            try target.flush()
            if let collector = report?.collector {
                report?.sections.append(HTMLReport.Section(statement: step.source.slice(step.statement.range), results: collector.take()))
            }
        }
        if top { try endDocument() }
    }

    /// Closes the JSON array of the current place, when results were written into one.
    mutating func endDocument() throws {
        guard document.wrapsCurrent, document.written > 0 else { return }
        let target = prepareTarget()
        try JSONDocument.end(to: target)
        try target.flush()
        document.written = 0
    }

    /// Which places get several results, in which formats: csv or tsv refuse (a reader could
    /// not tell where one table ends), json is wrapped into one document.
    func plan(_ steps: [ScriptStep]) throws -> DocumentState {
        struct Place {
            var destination: String?
            /// Each result's format, and whether it was chosen (not the default for a pipe).
            var formats: [(format: OutputFormat, chosen: Bool)] = []
            var second: ScriptStep?
        }
        var places = [Place(destination: file?.path)]
        var format = self.format, chosen = formatChosen
        var fileFormat = file?.format
        for step in steps {
            switch step.command {
            case .output(let path, _)?:
                places.append(Place(destination: path))
                fileFormat = path.flatMap { chosen ? nil : OutputFormat(fileExtensionOf: $0) }
            case .format(let f)?:
                format = f
                chosen = true
                fileFormat = nil
            default:
                guard step.command == nil, Session.writesResult(step.statement) else { continue }
                places[places.count - 1].formats.append((fileFormat ?? format, chosen || fileFormat != nil))
                if places[places.count - 1].formats.count == 2 { places[places.count - 1].second = step }
            }
        }
        var state = DocumentState()
        for place in places {
            let several = place.formats.count > 1
            let tables = place.formats.filter { $0.format == .csv || $0.format == .tsv || $0.format == .xlsx }
            if several, let table = tables.first(where: \.chosen), let second = place.second {
                throw SegError(.usage, .usage(.severalResultsInOneTable(count: place.formats.count, format: table.format.rawValue,
                                                                        destination: place.destination)),
                               source: second.source, range: second.statement.range)
            }
            state.wrapped.append(several && place.formats.allSatisfy { $0.format == .json })
            state.separated.append(several && !tables.isEmpty)
        }
        return state
    }
}
