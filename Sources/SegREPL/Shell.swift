#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands

/// A file opened by `.output`. Results go to a temporary file beside it (`.FILE.seg-tmp-PID-N`,
/// mode 0600), which replaces FILE atomically when the export is closed (`finish()`): until then,
/// and if seg is killed, FILE keeps its previous contents. A device or pipe (`/dev/null`, a FIFO)
/// has nothing to replace and is written directly.
final class OutputFile {
    let path: String
    let output: Output
    /// The format its extension names, when no format was chosen (nil: the session's).
    var format: OutputFormat?
    /// A UTF-8 byte order mark goes first, before the first csv result: the name ends in .csv
    /// (or `--bom`), so Excel reads the Chinese in it as UTF-8.
    var bomPending: Bool
    private let replacement: AtomicFile.Replacement?
    private let deviceDescriptor: Int32

    init(path: String, format: OutputFormat?, bom: Bool = false) throws {
        self.path = path
        self.format = format
        bomPending = bom || OutputFormat(fileExtensionOf: path) == .csv
        var info = stat()
        if stat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG {
            if info.st_mode & S_IFMT == S_IFDIR { throw SegError(.io, .file(.isDirectory(.write, path: path))) }
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw SegError(.io, .file(.failed(.open, path: path, reason: FileMessage.reason(errno)))) }
            replacement = nil
            deviceDescriptor = fd
            output = Output(.fileDescriptor(fd))
            return
        }
        let replacement = try AtomicFile.Replacement(replacing: path)
        if replacement.fault == .write { replacement.injectWriteFault() }
        self.replacement = replacement
        deviceDescriptor = -1
        output = Output(.fileDescriptor(replacement.fileDescriptor))
    }

    deinit {
        if deviceDescriptor >= 0 { close(deviceDescriptor) }
    }

    /// Writes what is buffered and puts the new file in place. On failure FILE is unchanged (the
    /// temporary file is removed) and the error names FILE.
    func finish() throws {
        do {
            if let failure = output.failure { throw failure }
            try output.flush()
            try replacement?.commit()
        } catch var error as SegError {
            replacement?.discard()
            error.kind = .io
            let unchanged = replacement == nil ? nil : FileManager.default.fileExists(atPath: path)
            error.diagnostic = .file(.exportFailed(path: path, failure: error.diagnostic, unchanged: unchanged))
            throw error
        }
    }
}

/// The prompt's behaviour without the terminal: runs statements and dot-commands against a
/// session, writing results to the screen (or the `.output` file) and messages to `messages`.
/// The line editor feeds it whole statements; tests feed it strings.
public struct Shell {
    public enum Action: Equatable, Sendable { case proceed, quit }

    public var session: Session
    /// Show the time each statement takes (`.timer`).
    public var timer = false
    /// Rows a table shows on screen; 0 shows all (`.maxrows`).
    public var maxRows = 40
    /// Where results go: the terminal, or memory in tests.
    public let screen: Output
    /// Where errors and notes go (standard error).
    public let messages: Output
    /// Colour in error messages.
    public var colorMessages: Bool
    /// The terminal's width, asked before each statement (nil: no limit).
    public var terminalWidth: @Sendable () -> Int?
    var file: OutputFile?
    /// Colour of tables on the screen, as the session started.
    let screenColor: Bool
    /// Whether the screen is a terminal (csv/tsv there are sanitized; an `.output` file is not).
    let screenIsTerminal: Bool
    /// The format of results: on the screen, and in a file whose extension names none.
    public var format: OutputFormat
    /// A format was chosen (`--format`, `.format`): it wins over an `.output` file's extension.
    public var formatChosen = false
    /// `--force`: `.output FILE` replaces an existing FILE without asking.
    public var force = false
    /// `--bom`: csv and tsv results start with a UTF-8 byte order mark on standard output too
    /// (a file whose name ends in .csv gets one anyway).
    public var bom = false
    var screenBOMWritten = false
    /// `--width N` (or COLUMNS): the width of charts when the screen's is not known, and in files.
    public var width: Int?
    /// At the prompt: asks whether to replace an existing file (the question's text); nil in
    /// scripts, where replacing needs `.output! FILE` or `--force`.
    public var confirm: ((String) -> Bool)?
    /// Hears each script statement's elapsed seconds (`--timer`).
    public var timed: ((Double) -> Void)?
    /// The scripts being run, which an export must not replace either.
    public var scriptPaths: [String] = []
    /// `.read` inside a script nests; the plan of one JSON document is made at the top only.
    var scriptDepth = 0
    /// Several JSON results planned for one place: they form one array (see `runScript`).
    var document = DocumentState()
    /// `seg report`: the results gathered for the page.
    var report: ReportState?
    /// At the prompt on a database read in bounded time: the full value lists being read meanwhile,
    /// which `takeBackgroundValues` takes into the session between statements.
    public var backgroundValues: BackgroundValues?
    var backgroundValuesTaken = false

    public init(session: Session, screen: Output, messages: Output, colorMessages: Bool,
                terminalWidth: @escaping @Sendable () -> Int? = { nil }) {
        self.session = session
        self.screen = screen
        self.messages = messages
        self.colorMessages = colorMessages
        self.terminalWidth = terminalWidth
        screenColor = session.options.writer.color
        screenIsTerminal = session.options.writer.terminal
        format = session.options.writer.format
    }

    /// The `.output` file, if results go to one.
    public var outputPath: String? { file?.path }

    /// `demo book: 10,000 clients · 20 fields · .help for help`
    public var startupLine: String {
        guard let table = session.catalog.tables.first else { return Message.display(.bannerNoTable).text(in: language) + "\n" }
        let origin = table.origin.isEmpty ? table.name : originText(table.origin)
        let noun: RowNoun = table.name.lowercased() == "clients" ? .clients : .rows
        return Message.display(.banner(origin: origin, rows: table.rowCount, noun, fields: table.columns.count)).text(in: language) + "\n"
    }

    /// The language of messages, notes and footers.
    public var language: Language { session.options.language }

    /// Takes the full value lists read in the background into the session, once they are read:
    /// called between statements, so none runs with a catalog that changes under it.
    public mutating func takeBackgroundValues() {
        guard !backgroundValuesTaken, let values = backgroundValues?.finished else { return }
        session.catalog.take(values)
        backgroundValuesTaken = true
    }

    /// Runs one complete input: a dot-command line or statements. Errors are reported, not thrown;
    /// only a closed screen ends the prompt.
    public mutating func handle(_ text: String) -> Action {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .proceed }
        takeBackgroundValues()
        if trimmed.hasPrefix(".") {
            do {
                let command = try DotCommand.parse(trimmed)
                return try run(command)
            } catch {
                return report(error)
            }
        }
        if let word = Self.continuationWord(text) {
            return report(SegError(.query, .usage(.continuesPrevious(word: word))))
        }
        return runStatements(Source(name: "", text: text))
    }

    /// The word (`and`, `where`, `count` …) that `text` starts with, when it is one that continues
    /// the statement above in a script: at the prompt such a line stands alone.
    public static func continuationWord(_ text: String) -> String? {
        var lexer = Lexer(Source(name: "", text: text))
        let token = lexer.next()
        guard case .keyword(let keyword) = token.kind, Lexer.continuationWords.contains(keyword) else { return nil }
        return lexer.text(token.range)
    }

    /// Where the next result goes, with the writer set for it (a file gets no colour, no row
    /// limit and the format its extension names).
    mutating func prepareTarget() -> Output {
        let format = file?.format ?? format
        session.options.writer.format = format
        let delimited = format == .csv || format == .tsv
        if let file {
            session.options.writer.terminalWidth = nil
            session.options.writer.chartWidth = width
            session.options.writer.maxRows = nil
            session.options.writer.color = false
            session.options.writer.terminal = false
            session.options.writer.workbookAllowed = true
            if file.bomPending && delimited {
                file.bomPending = false
                try? file.output.write(bytes: ResultWriter.byteOrderMark)
            }
            return file.output
        }
        session.options.writer.terminalWidth = terminalWidth()
        session.options.writer.chartWidth = width
        session.options.writer.maxRows = maxRows > 0 ? maxRows : nil
        session.options.writer.color = screenColor
        session.options.writer.terminal = screenIsTerminal
        session.options.writer.workbookAllowed = false
        if bom && delimited && !screenBOMWritten {
            screenBOMWritten = true
            try? screen.write(bytes: ResultWriter.byteOrderMark)
        }
        return screen
    }

    /// UTF-8's byte order mark, which Excel needs to read a CSV file's Chinese as UTF-8.

    /// Runs statements, timing them when `.timer` is on.
    public mutating func runStatements(_ source: Source) -> Action {
        let target = prepareTarget()
        // The flag is not cleared here: a Ctrl-C pressed after Enter (while the history is
        // saved, say) is meant for this statement. The prompt clears it when it reads a line.
        let start = ContinuousClock.now
        var action = Action.proceed
        do {
            try session.run(source, output: target)
            try target.flush()
        } catch {
            // A failed write to the `.output` file is reported below, naming the file.
            if file?.output.failure?.kind != .io { action = report(error) }
        }
        if let file, file.output.failure?.kind == .io {
            // Part of the export is missing: keep the previous file rather than a file with a gap.
            do {
                try closeOutput()
            } catch var error as SegError {
                error.diagnostic = .usage(.screenAgain(error.diagnostic))
                action = report(error)
            } catch {
                action = report(error)
            }
        }
        if timer {
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            note(ListingWord.elapsed(String(format: "%.3f", ms / 1000)).text(in: language))
        }
        return action
    }

    /// Writes `error` to the messages; a closed screen quits.
    mutating func report(_ error: any Error) -> Action {
        var errors: [SegError]
        if let e = error as? SegError {
            errors = [e]
        } else if let e = error as? SegErrors {
            errors = e.errors
        } else {
            errors = [SegError(.internal, .internal("\(error)"))]
        }
        if errors.first?.kind == .outputClosed {
            if file != nil {
                file = nil
                errors = [SegError(.io, .usage(.outputFileClosed))]
            } else {
                return .quit
            }
        }
        try? screen.flush()
        let text = errors.map {
            $0.kind == .interrupted ? Message.interrupted.text(in: language) + "\n" : $0.render(color: colorMessages, language: language)
        }.joined()
        try? messages.write(text)
        try? messages.flush()
        return .proceed
    }

    func note(_ text: String) {
        try? screen.flush()
        try? messages.write(DisplayWidth.sanitized(text, keepingLayout: true) + "\n")
        try? messages.flush()
    }

    /// A note from the catalogue, on the message stream.
    func note(_ message: Message) { note(message.text(in: language)) }

    func say(_ text: String) throws {
        // File and column names, values in `.sql` output: nothing raw reaches the terminal.
        try screen.write(DisplayWidth.sanitized(text, keepingLayout: true))
        try screen.flush()
    }

    // MARK: - Dot-commands

    /// Runs a parsed dot-command.
    public mutating func run(_ command: DotCommand) throws -> Action {
        switch command {
        case .quit:
            return .quit
        case .help(let topic):
            if topic == "language" {
                try say(LanguageReference.text(in: language))
            } else {
                try say(Self.helpText(catalog: session.catalog, language: language))
            }
        case .fields(let name):
            try say(try FieldSummary.text(catalog: session.catalog, field: name, width: terminalWidth(),
                                          inDatabase: session.backend is any SQLBackend, masks: session.options.masks,
                                          language: language))
        case .tables:
            try say(tablesText())
        case .load(let path, let name):
            try load(path: path, name: name)
        case .read(let path):
            let text = try ScriptFile.read(path)
            scriptPaths.append(path)
            defer { scriptPaths.removeLast() }
            try runScript([Source(name: path, text: text)])
        case .saveBook(let path):
            guard !(session.backend is any SQLBackend), let table = session.catalog.tables.first else {
                throw SegError(.usage, .usage(.saveBookNeedsMemory))
            }
            try refuseProtected(path)
            let size = try BookFile.write(table, to: path)
            try say(ListingWord.bookSaved(path: path, rows: table.rowCount, fields: table.columns.count, bytes: size).text(in: language) + "\n")
        case .format(let format):
            self.format = format
            formatChosen = true
            file?.format = nil
        case .output(let path, let force):
            try closeOutput()
            if let path { file = try openExport(path, force: force) }
        case .timer(let on):
            timer = on
        case .chart(let on):
            session.options.charts = on
        case .mask(let list):
            guard let list else {
                try say(Message.usage(.maskedFields(session.options.masks.names)).text(in: language) + "\n")
                break
            }
            if ["off", "none"].contains(list.lowercased()) {
                session.options.masks = MaskSet()
            } else {
                let masks = try MaskSet(parsing: list)
                try session.checkMasks(masks)
                session.options.masks = masks
            }
        case .today(let day):
            if let day { session.options.today = day } else { try say(CivilDate.format(session.options.today) + "\n") }
        case .maxRows(let n):
            maxRows = n
        case .sql(let text):
            var catalog = session.catalog
            let database = session.backend as? any SQLBackend
            var options = SQLOptions(dialect: database?.dialect ?? .postgres, today: session.options.today,
                                     tables: database?.sqlTables ?? [])
            // As the database will be sent it (segments materialized on PostgreSQL 12 and later).
            options.materializedCTEs = database?.materializesCTEs ?? false
            let statements = try SQLScript.translate(Source(name: "", text: text), catalog: &catalog, options: options)
            try say(SQLScript.render(statements))
        }
        return .proceed
    }

    /// Opens `path` for `.output`, refusing a file seg read or keeps (whatever was asked) and an
    /// existing file unless `force`, `--force` or the answer at the prompt says to replace it.
    /// Nothing is written to `path` before the export closes, so a refusal leaves it as it was.
    mutating func openExport(_ path: String, force: Bool, advice: ReplaceAdvice = .script) throws -> OutputFile {
        try refuseProtected(path)
        var info = stat()
        if !force && !self.force && stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG {
            guard let confirm else { throw SegError(.usage, .file(.exists(path: path, advice))) }
            try? screen.flush()
            guard confirm(Message.file(.replaceQuestion(path: path)).text(in: language)) else {
                throw SegError(.usage, .file(.exists(path: path, .declined)))
            }
        }
        return try OutputFile(path: path, format: formatChosen ? nil : OutputFormat(fileExtensionOf: path), bom: bom)
    }

    /// `--output FILE`: results go to FILE from the start (as `.output FILE`, with `--force`
    /// as the way to replace an existing FILE).
    public mutating func export(to path: String) throws {
        try closeOutput()
        file = try openExport(path, force: false, advice: .commandLine)
    }

    /// Drops the `.output` file unfinished (after an error in a script): FILE keeps its
    /// previous contents.
    public mutating func discardOutput() {
        file = nil
    }

    /// Throws when an export or a saved book would replace a file seg read or keeps.
    func refuseProtected(_ path: String) throws {
        if let what = session.protectedFile(path) {
            throw SegError(.usage, .file(.protected(path: path, what)))
        }
        let target = FileIdentity(path: path)
        if target != nil, scriptPaths.contains(where: { FileIdentity(path: $0) == target }) {
            throw SegError(.usage, .file(.protected(path: path, .script)))
        }
    }

    /// Closes the `.output` file, which replaces FILE now; results go to the screen again. Call
    /// it when the session ends: until then FILE keeps its previous contents.
    public mutating func closeOutput() throws {
        let closing = file
        file = nil
        try closing?.finish()
    }

    static func helpText(catalog: Catalog, language: Language = .english) -> String {
        HelpText.prompt(table: catalog.tables.first?.name ?? "clients").text(in: language)
    }

    /// A table's origin as shown: its file's name (`whole`: the path as given), or the demo book's
    /// name in the reader's language.
    func originText(_ origin: String, whole: Bool = false) -> String {
        if origin == DemoBook.origin { return ListingWord.demoBook.text(in: language) }
        return whole ? origin : (origin as NSString).lastPathComponent
    }

    func tablesText() -> String {
        var out = ""
        let tables = session.catalog.tables
        let nameWidth = tables.map { DisplayWidth.of($0.name) }.max() ?? 0
        for table in tables {
            let name = table.name + String(repeating: " ", count: nameWidth - DisplayWidth.of(table.name))
            out += ListingWord.tableLine(name: name, rows: table.rowCount, fields: table.columns.count).text(in: language)
            if !table.origin.isEmpty { out += " · " + originText(table.origin, whole: true) }
            out += "\n"
        }
        // The links: `holdings.client_id → clients.id`.
        for link in session.catalog.links {
            let c = session.catalog.tables[link.child].name, p = session.catalog.tables[link.parent].name
            out += "  \(c).\(link.childField) → \(p).\(link.parentKey)"
            if link.dangling > 0 { out += " (" + ListingWord.danglingRows(link.dangling).text(in: language) + ")" }
            out += "\n"
        }
        if let problem = backgroundValues?.finished?.problem {
            out += ListingWord.valuesStillSampled(problem).text(in: language) + "\n"
        }
        let segments = session.catalog.segments.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
        if segments.isEmpty {
            out += ListingWord.noSegmentsYet.text(in: language) + "\n"
        } else {
            out += ListingWord.segmentsHeading.text(in: language) + "\n"
            for s in segments { out += "  \(s.name) = \(s.text)\n" }
        }
        return out
    }

    mutating func load(path: String, name: String?) throws {
        var tableName = name ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if name == nil && session.catalog.tables.isEmpty { tableName = "clients" }
        guard Lexer.isName(tableName) else {
            throw SegError(.usage, .usage(.badTableName(tableName, from: .load(path: path))))
        }
        if session.catalog.segment(named: tableName) != nil {
            throw SegError(.usage, .usage(.loadNameIsSegment(tableName, path: path)))
        }
        let table = try DataLoader.load(path: path, tableName: tableName, types: session.options.typeOverrides,
                                        options: session.options.load)
        for note in table.notes { self.note("\(table.origin): " + Message.data(note).text(in: language)) }
        if let i = session.catalog.tableIndex(named: tableName) {
            session.catalog.tables[i] = table
        } else {
            session.catalog.tables.append(table)
        }
        for note in try session.relink() { self.note(Message.data(note).text(in: language)) }
        try say(ListingWord.loaded(name: table.name, rows: table.rowCount, fields: table.columns.count).text(in: language) + "\n")
    }
}
