#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Foundation
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands
import SegEngine
import SegPostgres
import SegREPL

struct SegCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seg",
        abstract: "Find the right clients fast: a query language and prompt for client segmentation.",
        usage: """
            seg [options]                       open the prompt
            seg [options] -c STATEMENT [-c …]   run statements and exit
            seg [options] SCRIPT.seg            run a script
            … | seg [options]                   run statements from standard input
            seg generate --rows N [--seed S]    write a demo client book as CSV
            seg generate --out DIR              …and its related tables, one CSV each
            seg plan [--out DIR]                one call list per manager from the plan's rules
            seg kpi --then FILE --now FILE      figures per manager and team between two books
            seg sql [options] STATEMENT         print the SQL a statement compiles to
            seg report SCRIPT.seg --html FILE   write a script's results as one HTML page
            seg help language                   the language reference
            """,
        discussion: """
            With no --data, seg opens the built-in demo book of 10,000 clients.

            Examples:
              seg -c 'clients where risk=averse and assets>1m count'
              seg --data book.csv -c 'clients where tier in (vip, private) sort by assets desc limit 20 show name, phone, assets'
              seg --data book.csv --format json -c 'clients by tier show count, sum(assets)'
              seg -c 'clients by tier show count, sum(assets) chart' --width 100
              seg -c 'clients where tier = vip histogram assets'
              seg --output vip.xlsx -c 'clients where tier = vip show id, name, assets, last_contact'
              seg report monday.seg --html monday.html
              seg --data book.csv --save-book book.segbook && seg --data book.segbook -c 'clients count'
              seg --data export.xlsx --sheet 客户明细 -c 'clients where `资产余额(元)` > 1m show 客户号, `最近联系 日期`'
              seg --segments team.seg -c 'save vip = clients where tier in (vip, private)' -c 'snapshot vip'
              seg --param min_assets=5m script.seg
              seg --order risk=averse,conservative,balanced,growth,aggressive -c 'clients where risk >= balanced by risk show count'
              seg --today 2026-11-29 -c 'clients where anniversary(birthday) in next 14 days show name, birthday'
              seg generate --rows 1000000 --seed 7 > book.csv

            Exit status: 0 ok, 64 usage, 65 error in a statement or data file, 66 input file missing, 70 internal error, 74 I/O error.
            """,
        version: "seg 0.1.0"
    )

    @Option(name: [.customShort("c"), .customLong("command")], help: ArgumentHelp("Run STATEMENT and exit (repeatable).", valueName: "statement"))
    var commands: [String] = []

    @Option(name: .customLong("data"), help: ArgumentHelp("Load a table from a .csv, .tsv, .json, .jsonl, .xlsx (first sheet, or --sheet) or .segbook file ('-' reads standard input). The first is named 'clients' unless NAME= is given. Repeatable.", valueName: "[name=]path"))
    var data: [String] = []

    @Option(name: .customLong("save-book"), help: ArgumentHelp("Save the first table as a binary seg book (mode 0600) that --data opens in a fraction of the time; then exit, or run the -c statements or script if given.", valueName: "file.segbook"))
    var saveBook: String?

    @Option(name: .customLong("db"), help: ArgumentHelp("Run statements in PostgreSQL instead of memory (also SEG_DB). The values seg learns at start-up are cached per table in SEG_DB_CACHE (default ~/.local/state/seg/db-cache; off for none); at the prompt it then reads every value in the background, for Tab.", valueName: "postgres://user@host:port/db"))
    var db: String?

    @Option(name: .customLong("table"), help: ArgumentHelp("With --db: the table behind a seg table (default clients=clients). Repeatable.", valueName: "name=schema.table"))
    var tableSpecs: [String] = []

    @Option(name: .customLong("link"), help: ArgumentHelp("Link a table's field to another table's key: holdings.client_id=clients.id (default: a field CLIENT_id links to table clients by id, a field manager to table managers). Repeatable.", valueName: "child.field=parent.key"))
    var links: [String] = []

    @Option(name: .customLong("type"), help: ArgumentHelp("Override a column's inferred type: integer, decimal, date, boolean, category, text or tags. Repeatable.", valueName: "column=type"))
    var types: [String] = []

    @Option(name: .customLong("na"), help: ArgumentHelp("The words that stand for a missing value, comma-separated (default: -- - NA N/A null NULL 无 空; empty cells always are). '--na \"\"' keeps only empty cells missing.", valueName: "list"))
    var missingWords: String?

    @Option(name: .customLong("encoding"), help: ArgumentHelp("The character encoding of the --data files (default: UTF-8, with or without BOM; a file that is not valid UTF-8 is read as GB18030/GBK, and seg says so).", valueName: "name"))
    var encoding: String?

    @Option(name: .customLong("key"), help: ArgumentHelp("The column that identifies clients for why, snapshot and diff (default: id, else 客户号, 客户编号, client_id or cust_id).", valueName: "column"))
    var key: String?

    @Option(name: .customLong("skip"), help: ArgumentHelp("Lines of title above the header of the --data files (default: found: a line with one value above the header is a title, and seg says so).", valueName: "n"))
    var skipLines: Int?

    @Flag(name: .customLong("skip-footer"), help: "Leave out a last row that is a total (合计, 总计); without it such a row is loaded and seg says so.")
    var skipFooter = false

    @Option(name: .customLong("sheet"), help: ArgumentHelp("The sheet of an .xlsx --data file to read (default: the first sheet).", valueName: "name"))
    var sheet: String?

    @Option(help: ArgumentHelp("Output format: table, csv, tsv, json, jsonl, markdown, value or xlsx (default: the --output file's extension, else table on a terminal, csv otherwise). xlsx (an Excel workbook) only to a file: --output FILE.xlsx. Several results to one place: json gives one document [{\"statement\":…,\"result\":[…]},…], csv and tsv are refused (use .output FILE before each), value prints one bare value per statement (n=$(seg --format value -c 'clients count')).", valueName: "format"))
    var format: String?

    @Option(name: .customLong("output"), help: ArgumentHelp("Write results to FILE (mode 0600, put in place when seg ends) instead of standard output. Never a loaded data file, the segment library or a snapshot; an existing FILE needs --force.", valueName: "file"))
    var outputPath: String?

    @Flag(help: "Start csv and tsv results with a UTF-8 byte order mark (BOM), on standard output too; without it only a file whose name ends in .csv gets one (--output, .output), so Excel reads its Chinese as UTF-8.")
    var bom = false

    @Option(help: ArgumentHelp("The width of charts in cells (default: the terminal's, else COLUMNS, else 80).", valueName: "n"))
    var width: Int?

    @Option(name: .customLong("html"), help: ArgumentHelp("Write the script's results as one self-contained HTML page (tables and bar charts, no network): seg report SCRIPT --html FILE. Written as --output is.", valueName: "file"))
    var html: String?

    @Flag(help: "Let --output FILE and .output FILE in scripts replace an existing FILE (a loaded data file, the library and snapshots are never replaced).")
    var force = false

    @Option(help: ArgumentHelp("Fix today's date for relative dates (also SEG_TODAY).", valueName: "YYYY-MM-DD"))
    var today: String?

    @Option(name: .customLong("segments"), help: ArgumentHelp("The segment library: a .seg file of 'let' statements, loaded at start and edited by save and drop (default: ./segments.seg).", valueName: "file"))
    var segmentsFile = "segments.seg"

    @Option(name: .customLong("param"), help: ArgumentHelp("Give parameter $NAME a value (wins over the script's 'param NAME = …' default). Repeatable.", valueName: "name=value"))
    var parameters: [String] = []

    @Option(name: .customLong("order"), help: ArgumentHelp("Order a category field's values, lowest first, for <, >, between, by and sort (as 'let order FIELD = …' does). Repeatable, one per field.", valueName: "field=low,…,high"))
    var orders: [String] = []

    @Option(name: .customLong("lang"), help: ArgumentHelp("The language of messages, footers and the prompt: en or zh (default: zh when LC_ALL, LC_MESSAGES or LANG is a Chinese locale such as zh_CN.UTF-8, else en).", valueName: "en|zh"))
    var lang: String?

    @Option(name: .customLong("mask"), help: ArgumentHelp("Mask these fields in every output format, why and diff: phone 138****1234, name 张*三 / L** Na, email w***@qq.com, anything else C***. FIELD=phone|name|email|other picks the rule. Adds to the library's '# mask: …' line.", valueName: "field,…"))
    var mask: String?

    @Flag(name: .customLong("no-mask"), help: "Show masked fields unmasked (the library's '# mask: …' line asks for masking otherwise).")
    var noMask = false

    @Flag(help: "Print the load time and each statement's elapsed time on standard error.")
    var timer = false

    @Flag(name: .customLong("no-formula-guard"), help: "In csv/tsv output, do not prefix cells starting with = + - @ with a quote.")
    var noFormulaGuard = false

    @Argument(help: ArgumentHelp("A script of statements to run.", valueName: "script"))
    var script: String?

    func run() throws {
        let stderrColor = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        // A bad --lang is itself reported in English.
        let language = (try? Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment)) ?? .english
        do {
            try runSession(language: try Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment))
        } catch let error as SegError {
            if error.kind == .outputClosed { throw ExitCode.success }
            report([error], color: stderrColor, language: language)
            throw ExitCode(error.exitCode)
        } catch let errors as SegErrors {
            if errors.errors.first?.kind == .outputClosed { throw ExitCode.success }
            report(errors.errors, color: stderrColor, language: language)
            throw ExitCode(errors.exitCode)
        }
    }

    func timing(_ line: String) {
        FileHandle.standardError.write(Data((DisplayWidth.sanitized(line) + "\n").utf8))
    }

    func report(_ errors: [SegError], color: Bool, language: Language) {
        let text = errors.map { $0.render(color: color, language: language) }.joined()
        FileHandle.standardError.write(Data(text.utf8))
    }

    func runSession(language: Language) throws {
        let env = ProcessInfo.processInfo.environment
        let todayDay = try Today.resolve(flag: today, environment: env["SEG_TODAY"])
        let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        let stdinIsTerminal = isatty(STDIN_FILENO) == 1
        var outputFormat: OutputFormat = stdoutIsTerminal ? .table : .csv
        if let format {
            guard let f = OutputFormat(rawValue: format.lowercased()) else {
                throw SegError(.usage, .usage(.unknownFormat(format, suggestion: Suggest.closest(to: format, among: OutputFormat.allCases.map(\.rawValue)))))
            }
            outputFormat = f
        }
        if script != nil && !commands.isEmpty {
            throw SegError(.usage, .usage(.scriptAndCommands))
        }
        if html != nil {
            if script == nil && commands.isEmpty { throw SegError(.usage, .usage(.reportNeedsScript)) }
            if outputPath != nil { throw SegError(.usage, .usage(.reportWithOutput(option: "--output"))) }
            if format != nil { throw SegError(.usage, .usage(.reportWithOutput(option: "--format"))) }
        } else if outputFormat == .xlsx && outputPath == nil {
            throw SegError(.usage, .usage(.xlsxNeedsFile))
        }
        if let width, !(20...1000).contains(width) { throw SegError(.usage, .usage(.widthValue(width))) }
        // The statements of a one-shot run, read once: they decide which columns to load, then run.
        let oneShot: [Source]? = !commands.isEmpty ? commands.map { Source(name: "", text: $0) }
            : try script.map { [Source(name: $0, text: try ScriptFile.read($0))] }
        // The segment library of a one-shot run, read once too (its segments name columns);
        // an error reading it is reported when it loads, after the data, as at the prompt.
        let library = oneShot.map { _ in Result { try SegmentLibrary(path: segmentsFile).read() } }
        let demand = columnDemand(oneShot, library: try? library?.get())
        let clock = ContinuousClock()
        let loadStart = clock.now
        var book: PostgresBook? = nil
        if let url = try Database.url(flag: db, data: data, environment: env) {
            // The prompt's banner shows the row count: exact there; a one-shot run takes the estimate.
            book = try Database.open(url: url, tables: tableSpecs, environment: env, columns: demand, quick: true,
                                     exactCount: oneShot == nil && stdinIsTerminal)
        } else if !tableSpecs.isEmpty {
            throw SegError(.usage, .usage(.tableWithoutDatabase))
        }
        defer { book?.close() }
        let tables = try book?.tables ?? loadTables(columns: demand)
        // Loading frees the file's bytes and parse buffers; hand those pages back to the system.
        _ = trimMallocArenas(0)
        let loaded = clock.now - loadStart
        for table in tables {
            for note in table.notes { timing("\(table.origin): " + Message.data(note).text(in: language)) }
        }
        if timer {
            let rows = tables.reduce(0) { $0 + $1.rowCount }
            let seconds = Double(loaded.components.seconds) + Double(loaded.components.attoseconds) / 1e18
            let built = tables.reduce(0) { $0 + $1.columns.count }
            let skipped = tables.reduce(0) { $0 + $1.unloadedColumns.count }
            timing(ListingWord.loadTime(Session.formatDuration(seconds), rows: rows, columnsRead: skipped > 0 ? built : nil,
                                        columns: built + skipped, residentMiB: MemoryUsage.residentBytes().map { $0 >> 20 })
                .text(in: language))
        }
        if let saveBook {
            guard book == nil, let first = tables.first else {
                throw SegError(.usage, .usage(.saveBookFromDatabase))
            }
            if let what = Session(tables: tables, options: SessionOptions(today: todayDay, writer: WriterOptions(format: .csv),
                                                                          libraryPath: segmentsFile)).protectedFile(saveBook) {
                throw SegError(.usage, .file(.protected(path: saveBook, what)))
            }
            let size = try BookFile.write(first, to: saveBook)
            timing(ListingWord.bookWritten(path: saveBook, rows: first.rowCount, columns: first.columns.count, size: Self.formatSize(size))
                .text(in: language))
            // Saving alone is the whole job: no prompt, and standard input is not read for statements.
            if commands.isEmpty && script == nil { return }
        }
        let timed: ((Double) -> Void)? = timer ? { timing(ListingWord.statementTime(Session.formatDuration($0)).text(in: language)) } : nil
        let session = try makeSession(tables: tables, backend: book ?? MemoryBackend(), today: todayDay, format: outputFormat,
                                      language: language, library: library)
        let output = Output(.fileDescriptor(STDOUT_FILENO))
        var shell = Shell(session: session, screen: output, messages: Output(.fileDescriptor(STDERR_FILENO)),
                          colorMessages: isatty(STDERR_FILENO) == 1 && env["NO_COLOR"] == nil)
        shell.maxRows = 0
        shell.formatChosen = format != nil
        shell.force = force
        shell.bom = bom
        // Charts: --width, else the terminal's, else COLUMNS (else 80, in ChartWriter).
        shell.width = width ?? (stdoutIsTerminal ? REPL.screenColumns() : nil)
            ?? env["COLUMNS"].flatMap { Int($0) }.flatMap { (20...1000).contains($0) ? $0 : nil }
        shell.timed = timed
        shell.scriptPaths = script.map { [$0] } ?? []
        let scripted = oneShot != nil || !stdinIsTerminal
        if let outputPath, scripted { try shell.export(to: outputPath) }
        do {
            if let html, let oneShot {
                let title = script.map { ($0 as NSString).lastPathComponent } ?? "seg"
                try shell.runReport(oneShot, path: html, title: title)
            } else if let oneShot {
                try shell.runScript(oneShot)
            } else if !stdinIsTerminal {
                if data.contains(where: { $0 == "-" || $0.hasSuffix("=-") }) {
                    throw SegError(.usage, .usage(.stdinHoldsData))
                }
                let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                try shell.runScript([Source(name: "<stdin>", text: text)])
            } else {
                try REPL.run(session: session, export: outputPath, force: force, formatChosen: format != nil)
            }
        } catch {
            // The export is incomplete: its file keeps what it held.
            shell.discardOutput()
            throw error
        }
        try shell.closeOutput()
        try output.flush()
    }

    /// A session over `tables` with this command line's options, the segment library (read
    /// already, or read now when `library` is nil), its orders and masks.
    func makeSession(tables: [Table], backend: any Backend = MemoryBackend(), today todayDay: Int, format outputFormat: OutputFormat,
                     language: Language, library: Result<Source?, any Error>? = nil) throws -> Session {
        let env = ProcessInfo.processInfo.environment
        let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        var writer = WriterOptions(format: outputFormat)
        writer.color = stdoutIsTerminal && env["NO_COLOR"] == nil
        writer.neutralizeFormulas = !noFormulaGuard
        writer.terminal = stdoutIsTerminal
        writer.language = language
        var options = SessionOptions(today: todayDay, writer: writer, interactive: false, libraryPath: segmentsFile,
                                     parameters: try parameters.map(ParameterValue.parse(argument:)))
        options.language = language
        options.key = key
        options.load = loadOptions
        options.load.typesWhereFound = true
        options.typeOverrides = try typeOverrides()
        options.links = try links.map(LinkSpec.init(argument:))
        var session = Session(tables: tables, options: options, backend: backend)
        for note in try session.relink() { timing(Message.data(note).text(in: language)) }
        if let library { try session.loadLibrary(library.get()) } else { try session.loadLibrary() }
        // After the library, so the command line wins over its `let order`.
        for spec in orders { try session.defineOrder(argument: spec) }
        if noMask {
            if mask != nil { throw SegError(.usage, .usage(.maskAndNoMask)) }
            session.options.masks = MaskSet()
        } else if let mask {
            let masks = try MaskSet(parsing: mask)
            try session.checkMasks(masks)
            session.options.masks.merge(masks)
        }
        return session
    }

    /// The columns that the -c statements or the script (with the segment library) can read, so a
    /// one-shot run builds only those; nil (build all) at the prompt, for statements from standard
    /// input, or when anything is unclear.
    /// `library` is the segment library's text, `.some(nil)` when there is no library file, or
    /// nil when it could not be read: then every column loads, and the library's error ends
    /// the run before its first statement.
    func columnDemand(_ statements: [Source]?, library: Source??) -> Set<String>? {
        // A saved book holds every column.
        guard saveBook == nil, var sources = statements, let library else { return nil }
        if let library { sources.append(library) }
        var values = parameters.map { String($0.split(separator: "=", maxSplits: 1).last ?? "") }
            + orders.map { String($0.split(separator: "=", maxSplits: 1).first ?? "") }
        // Several tables: the fields that link them are read too (those --link names, and those
        // found by name: id, TABLE_id, and a field named like a table).
        if data.count > 1 {
            values += ["id"] + links.flatMap { $0.split(whereSeparator: { $0 == "=" || $0 == "." }).map(String.init) }
            for spec in data {
                let name = spec.firstIndex(of: "=").map { String(spec[..<$0]) }
                    ?? ((spec as NSString).lastPathComponent as NSString).deletingPathExtension
                let lower = name.lowercased()
                for singular in [lower, lower.hasSuffix("s") ? String(lower.dropLast()) : lower, lower.hasSuffix("es") ? String(lower.dropLast(2)) : lower] {
                    values += [singular, singular + "_id"]
                }
            }
        }
        return ColumnDemand.names(in: sources, extra: values)
    }

    /// How text files are read (`--na`).
    var loadOptions: LoadOptions {
        LoadOptions(missing: missingWords.map { MissingValues(list: $0) } ?? .standard, encoding: encoding, skip: skipLines,
                    skipFooter: skipFooter, sheet: sheet)
    }

    /// `--type COLUMN=TYPE` options by column.
    func typeOverrides() throws -> [String: FieldType] {
        var overrides: [String: FieldType] = [:]
        for spec in types {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw SegError(.usage, .usage(.typeSpec(spec)))
            }
            guard let type = FieldType(rawValue: parts[1].lowercased()) else {
                throw SegError(.usage, .usage(.unknownType(parts[1], column: parts[0],
                                                           suggestion: Suggest.closest(to: parts[1], among: FieldType.allCases.map(\.rawValue)))))
            }
            overrides[parts[0]] = type
        }
        return overrides
    }

    func loadTables(columns: Set<String>? = nil) throws -> [Table] {
        let overrides = try typeOverrides()
        if let skipLines, skipLines < 0 { throw SegError(.usage, .usage(.negativeSkip(skipLines))) }
        // --sheet with no workbook to choose in is a mistake, not something to ignore (without
        // --data it is for the workbooks .load reads).
        if sheet != nil, let first = data.first,
           !data.contains(where: { $0.lowercased().hasSuffix(".xlsx") || $0.lowercased().hasSuffix(".xlsm") }) {
            throw SegError(.usage, .data(.sheetOnText(file: first.firstIndex(of: "=").map { String(first[first.index(after: $0)...]) } ?? first)))
        }
        if data.isEmpty {
            if !overrides.isEmpty { throw SegError(.usage, .usage(.typeWithoutData)) }
            return try DemoBook.tables()
        }
        var tables: [Table] = []
        for (i, spec) in data.enumerated() {
            var name = i == 0 ? "clients" : ""
            var path = spec
            if let eq = spec.firstIndex(of: "="), !spec[..<eq].contains("/") {
                name = String(spec[..<eq])
                path = String(spec[spec.index(after: eq)...])
            }
            if name.isEmpty {
                name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            }
            guard Lexer.isName(name) else {
                throw SegError(.usage, .usage(.badTableName(name, from: .data(path: path))))
            }
            if tables.contains(where: { ExactText.sameName($0.name, name) }) {
                throw SegError(.usage, .usage(.duplicateTable(name, from: .data(path: path))))
            }
            // The related tables load whole: a related condition reads their keys and dates unnamed.
            tables.append(try DataLoader.load(path: path, tableName: name, types: i == 0 ? overrides : [:], columns: i == 0 ? columns : nil,
                                              options: loadOptions))
        }
        return tables
    }

    static func formatSize(_ bytes: Int) -> String {
        if bytes < 1 << 20 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        if bytes < 1 << 30 { return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        return String(format: "%.2f GiB", Double(bytes) / Double(1 << 30))
    }


}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seg generate",
        abstract: "Write a deterministic demo client book as CSV (the same generator as the built-in demo book).",
        discussion: """
            Examples:
              seg generate --rows 1000 > small.csv
              seg generate --rows 1000000 --seed 7 --output book.csv
              seg generate --rows 1000 --out demo/   (clients.csv holdings.csv family.csv contacts.csv managers.csv)
            """
    )

    @Option(help: "Number of clients.") var rows: Int = DemoBook.defaultRows
    @Option(help: "Seed: the same seed gives the same book.") var seed: UInt64 = DemoBook.defaultSeed
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path")) var output: String?
    @Option(help: ArgumentHelp("Write the client book and its related tables into this folder, one CSV each: clients, holdings, family, contacts, managers.", valueName: "dir")) var out: String?
    @Option(help: ArgumentHelp("The language of messages: en or zh.", valueName: "en|zh")) var lang: String?

    func validate() throws {
        guard rows >= 0 else { throw ValidationError("--rows must be 0 or more") }
    }

    func run() throws {
        if let out {
            if output != nil { throw ValidationError("--out writes a folder of files; --output one file: give one of them") }
            do {
                _ = try DemoBook.writeTables(rows: rows, seed: seed, directory: out)
            } catch let error as SegError {
                FileHandle.standardError.write(Data(error.render(color: false, language: language).utf8))
                throw ExitCode(error.exitCode)
            } catch {
                let failure = SegError(.io, .file(.failed(.create, path: out, reason: "\(error)")))
                FileHandle.standardError.write(Data(failure.render(color: false, language: language).utf8))
                throw ExitCode(74)
            }
            return
        }
        var fd = STDOUT_FILENO
        if let output {
            fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else {
                let error = SegError(.io, .file(.failed(.create, path: output, reason: FileMessage.reason(errno))))
                FileHandle.standardError.write(Data(error.render(color: false, language: language).utf8))
                throw ExitCode(74)
            }
        }
        defer { if fd != STDOUT_FILENO { close(fd) } }
        let out = Output(.fileDescriptor(fd))
        do {
            try DemoBook.writeCSV(rows: rows, seed: seed, to: out)
            try out.flush()
        } catch let error as SegError {
            if error.kind == .outputClosed { throw ExitCode.success }
            FileHandle.standardError.write(Data(error.render(color: false, language: language).utf8))
            throw ExitCode(error.exitCode)
        }
    }

    /// The language of messages (main passes the one `--lang` or the locale chose).
    var language: Language { Language(rawValue: lang ?? "en") ?? .english }
}

/// The process's resident memory, from /proc/self/status (Linux).
enum MemoryUsage {
    static func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.filter(\.isNumber)
            return Int(digits).map { $0 * 1024 }
        }
        return nil
    }
}

/// glibc's `malloc_trim` (declared in malloc.h, which the Glibc module does not export).
@_silgen_name("malloc_trim")
func trimMallocArenas(_ pad: Int) -> Int32
