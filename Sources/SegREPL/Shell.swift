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
    private let replacement: AtomicFile.Replacement?
    private let deviceDescriptor: Int32

    init(path: String) throws {
        self.path = path
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

    public init(session: Session, screen: Output, messages: Output, colorMessages: Bool,
                terminalWidth: @escaping @Sendable () -> Int? = { nil }) {
        self.session = session
        self.screen = screen
        self.messages = messages
        self.colorMessages = colorMessages
        self.terminalWidth = terminalWidth
        screenColor = session.options.writer.color
        screenIsTerminal = session.options.writer.terminal
    }

    /// The `.output` file, if results go to one.
    public var outputPath: String? { file?.path }

    /// `demo book: 10,000 clients · 20 fields · .help for help`
    public var startupLine: String {
        guard let table = session.catalog.tables.first else { return "no table loaded · .help for help\n" }
        let origin = table.origin.isEmpty ? table.name : (table.origin as NSString).lastPathComponent
        return "\(origin): \(FixedPoint.format(Int64(table.rowCount), grouping: true)) \(noun(table, table.rowCount))"
            + " · \(table.columns.count) fields · .help for help\n"
    }

    func noun(_ table: Table, _ count: Int) -> String {
        let plural = table.name.lowercased() == "clients" ? "clients" : "rows"
        return count == 1 ? String(plural.dropLast()) : plural
    }

    /// Runs one complete input: a dot-command line or statements. Errors are reported, not thrown;
    /// only a closed screen ends the prompt.
    public mutating func handle(_ text: String) -> Action {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .proceed }
        if trimmed.hasPrefix(".") {
            do {
                let command = try DotCommand.parse(trimmed)
                return try run(command)
            } catch {
                return report(error)
            }
        }
        return runStatements(Source(name: "", text: text))
    }

    /// Runs statements, timing them when `.timer` is on.
    public mutating func runStatements(_ source: Source) -> Action {
        let target: Output
        if let file {
            target = file.output
            session.options.writer.terminalWidth = nil
            session.options.writer.maxRows = nil
            session.options.writer.color = false
            session.options.writer.terminal = false
        } else {
            target = screen
            session.options.writer.terminalWidth = terminalWidth()
            session.options.writer.maxRows = maxRows > 0 ? maxRows : nil
            session.options.writer.color = screenColor
            session.options.writer.terminal = screenIsTerminal
        }
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
            note(String(format: "time: %.3f s", ms / 1000))
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
        let text = errors.map { $0.kind == .interrupted ? "interrupted\n" : $0.render(color: colorMessages) }.joined()
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
    func note(_ message: Message) { note(message.text(in: .english)) }

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
                try say(LanguageReference.text)
            } else {
                try say(Self.helpText(catalog: session.catalog))
            }
        case .fields(let name):
            try say(try FieldSummary.text(catalog: session.catalog, field: name, width: terminalWidth(), inDatabase: session.backend is any SQLBackend))
        case .tables:
            try say(tablesText())
        case .load(let path, let name):
            try load(path: path, name: name)
        case .read(let path):
            let text = try ScriptFile.read(path)
            return runStatements(Source(name: path, text: text))
        case .saveBook(let path):
            guard !(session.backend is any SQLBackend), let table = session.catalog.tables.first else {
                throw SegError(.usage, .usage(.saveBookNeedsMemory))
            }
            let size = try BookFile.write(table, to: path)
            try say("saved \(path): \(FixedPoint.format(Int64(table.rowCount), grouping: true)) "
                    + "\(table.rowCount == 1 ? "row" : "rows") · \(table.columns.count) fields · \(size) bytes\n")
        case .format(let format):
            session.options.writer.format = format
        case .output(let path):
            try closeOutput()
            if let path { file = try OutputFile(path: path) }
        case .timer(let on):
            timer = on
        case .today(let day):
            if let day { session.options.today = day } else { try say(CivilDate.format(session.options.today) + "\n") }
        case .maxRows(let n):
            maxRows = n
        case .sql(let text):
            var catalog = session.catalog
            let database = session.backend as? any SQLBackend
            let options = SQLOptions(dialect: database?.dialect ?? .postgres, today: session.options.today,
                                     tables: database?.sqlTables ?? [])
            let statements = try SQLScript.translate(Source(name: "", text: text), catalog: &catalog, options: options)
            try say(SQLScript.render(statements))
        }
        return .proceed
    }

    /// Closes the `.output` file, which replaces FILE now; results go to the screen again. Call
    /// it when the session ends: until then FILE keeps its previous contents.
    public mutating func closeOutput() throws {
        let closing = file
        file = nil
        try closing?.finish()
    }

    static func helpText(catalog: Catalog) -> String {
        let table = catalog.tables.first?.name ?? "clients"
        return """
            Type a statement and press Enter; Tab completes names and values, Up recalls earlier ones.
            A statement continues on the next line while it is unfinished (the prompt shows ..>).

            Examples:
              \(table) where risk = averse and assets > 1m count
              \(table) where city in (深圳, 上海) sort by assets desc limit 20 show name, phone, assets
              \(table) by tier show count, sum(assets)
              let vip = \(table) where tier in (vip, private)
              vip where anniversary(birthday) in next 14 days show name, birthday

            Commands:

            """ + DotCommand.summary.split(separator: "\n").map { "  " + $0 + "\n" }.joined()
    }

    func tablesText() -> String {
        var out = ""
        let tables = session.catalog.tables
        let nameWidth = tables.map { DisplayWidth.of($0.name) }.max() ?? 0
        for table in tables {
            out += table.name + String(repeating: " ", count: nameWidth - DisplayWidth.of(table.name))
            out += "  \(FixedPoint.format(Int64(table.rowCount), grouping: true)) \(table.rowCount == 1 ? "row" : "rows")"
            out += " · \(table.columns.count) fields"
            if !table.origin.isEmpty { out += " · \(table.origin)" }
            out += "\n"
        }
        let segments = session.catalog.segments.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
        if segments.isEmpty {
            out += "no segments yet (let NAME = QUERY defines one)\n"
        } else {
            out += "segments:\n"
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
        let table = try DataLoader.load(path: path, tableName: tableName, types: [:])
        if let i = session.catalog.tableIndex(named: tableName) {
            session.catalog.tables[i] = table
        } else {
            session.catalog.tables.append(table)
        }
        try say("\(table.name): \(FixedPoint.format(Int64(table.rowCount), grouping: true)) \(table.rowCount == 1 ? "row" : "rows")"
                + " · \(table.columns.count) fields\n")
    }
}
