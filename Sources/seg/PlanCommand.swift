#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Foundation
import SegBase
import SegStore
import SegSemantics
import SegIO
import SegCommands

/// Runs a subcommand's work, reporting seg's errors as the main command does (exit codes by kind).
func reportingErrors(language: Language, _ body: () throws -> Void) throws {
    let color = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    do {
        try body()
    } catch let error as SegError {
        if error.kind == .outputClosed { throw ExitCode.success }
        FileHandle.standardError.write(Data(error.render(color: color, language: language).utf8))
        throw ExitCode(error.exitCode)
    } catch let errors as SegErrors {
        if errors.errors.first?.kind == .outputClosed { throw ExitCode.success }
        FileHandle.standardError.write(Data(errors.errors.map { $0.render(color: color, language: language) }.joined().utf8))
        throw ExitCode(errors.exitCode)
    }
}

/// The options `seg plan` and `seg kpi` share with seg itself, passed on to it to load books.
struct BookOptions: ParsableArguments {
    @Option(name: .customLong("type"), help: ArgumentHelp("Override a column's inferred type. Repeatable.", valueName: "column=type"))
    var types: [String] = []

    @Option(name: .customLong("segments"), help: ArgumentHelp("The segment library (segments, derived fields, orders, '# mask:').", valueName: "file"))
    var segmentsFile = "segments.seg"

    @Option(name: .customLong("order"), help: ArgumentHelp("Order a category field's values, lowest first (as seg --order). Repeatable.", valueName: "field=low,…,high"))
    var orders: [String] = []

    @Option(name: .customLong("key"), help: ArgumentHelp("The column that identifies clients (default: id, else 客户号, 客户编号, client_id or cust_id).", valueName: "column"))
    var key: String?

    @Option(help: ArgumentHelp("Fix today's date (also SEG_TODAY).", valueName: "YYYY-MM-DD"))
    var today: String?

    @Option(help: ArgumentHelp("Output format on standard output: table (default on a terminal), csv (default when piped), tsv, json, jsonl or markdown.", valueName: "format"))
    var format: String?

    @Option(name: .customLong("lang"), help: ArgumentHelp("The language of messages and headings: en or zh.", valueName: "en|zh"))
    var lang: String?

    /// The arguments of seg itself that load `data` with these options (`orders`: with --order).
    func segArguments(data: [String], orders: Bool = true) -> [String] {
        var out: [String] = []
        for d in data { out += ["--data", d] }
        for t in types { out += ["--type", t] }
        if orders { for o in self.orders { out += ["--order", o] } }
        out += ["--segments", segmentsFile]
        if let key { out += ["--key", key] }
        return out
    }

    var language: Language { (try? Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment)) ?? .english }

    /// The format of results on standard output.
    func outputFormat() throws -> OutputFormat {
        guard let format else { return isatty(STDOUT_FILENO) == 1 ? .table : .csv }
        guard let f = OutputFormat(rawValue: format.lowercased()), f != .value else {
            throw SegError(.usage, .usage(.unknownFormat(format, suggestion: Suggest.closest(to: format, among: OutputFormat.allCases.map(\.rawValue)))))
        }
        return f
    }

    /// A session over the book `data` with these options (and `extra` arguments of seg).
    /// `checkOrders` false: the --order values are taken as given, not checked against the book
    /// (a month's book need not hold every tier; `seg kpi` checks the values it reads).
    /// `reads`: the statements' texts and field names the run reads, so only those columns load
    /// (with the library's, the client key's and the --order fields); nil loads every column.
    func session(data: [String], extra: [String] = [], checkOrders: Bool = true, reads: (texts: [String], fields: [String])? = nil) throws -> Session {
        let command = try SegCommand.parse(segArguments(data: data, orders: checkOrders) + extra)
        let today = try Today.resolve(flag: self.today, environment: ProcessInfo.processInfo.environment["SEG_TODAY"])
        var columns: Set<String>?
        // A library that cannot be read loads every column; its error comes when it loads.
        if let reads, case .success(let library) = Result(catching: { try SegmentLibrary(path: segmentsFile).read() }) {
            let sources = reads.texts.map { Source(name: "", text: $0) } + (library.map { [$0] } ?? [])
            let fields = reads.fields + Session.clientKeyNames + (key.map { [$0] } ?? [])
                + orders.map { String($0.split(separator: "=", maxSplits: 1).first ?? "") }
            columns = ColumnDemand.names(in: sources, extra: fields)
        }
        var session = try command.makeSession(tables: try command.loadTables(columns: columns), today: today, format: try outputFormat(),
                                              language: language)
        if !checkOrders {
            for spec in orders {
                let order = try FieldOrder(argument: spec)
                session.catalog.orders[ExactText.nameKey(order.field.name)] = order
            }
        }
        return session
    }
}

/// `seg plan`: the call lists of the plan's rules, one per manager.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seg plan",
        abstract: "Write one call list per manager from the rules of the plan file.",
        discussion: """
            The plan file (default: plan.seg beside the segment library) holds rules, one a statement:
              rule birthday priority 1 reason "生日" where anniversary(birthday) in next 7 days

            Each client is listed once, under their manager, with the reasons of every rule that holds for them joined ("生日; 90天未联系"); the highest priority (lowest number) first, then the largest assets. --out DIR writes DIR/MANAGER.csv for each manager (with a UTF-8 byte order mark for Excel; mode 0600, atomically; clients without a manager go to _no_manager.csv); with --format xlsx, DIR/MANAGER.xlsx workbooks.

            Examples:
              seg plan --today 2026-11-16
              seg plan --data book.csv --plan team.seg --out lists --mask phone
            """
    )

    @Option(name: .customLong("data"), help: ArgumentHelp("The book, as seg --data (default: the demo book).", valueName: "[name=]path"))
    var data: [String] = []

    @Option(name: .customLong("plan"), help: ArgumentHelp("The plan file of rules (default: plan.seg in the folder of --segments).", valueName: "file"))
    var planFile: String?

    @Option(name: .customLong("out"), help: ArgumentHelp("Write one CSV file per manager into this folder (created if missing) instead of the screen.", valueName: "dir"))
    var out: String?

    @Flag(help: "Let --out replace call lists that exist (a loaded data file, the library and snapshots are never replaced).")
    var force = false

    @Option(name: .customLong("manager"), help: ArgumentHelp("The field the lists are split by.", valueName: "field"))
    var manager = "manager"

    @Option(name: .customLong("only"), help: ArgumentHelp("Only these managers' lists (comma-separated names).", valueName: "names"))
    var only: String?

    @Option(name: .customLong("show"), help: ArgumentHelp("The columns of each list, as in a show clause (default: id, name, phone, tier, assets, last_contact).", valueName: "items"))
    var show: String?

    @Option(name: .customLong("mask"), help: ArgumentHelp("Mask these fields in the lists (as seg --mask).", valueName: "field,…"))
    var mask: String?

    @Flag(name: .customLong("no-mask"), help: "Show fields unmasked that the library's '# mask:' line masks.")
    var noMask = false

    @OptionGroup var book: BookOptions

    func run() throws {
        try reportingErrors(language: book.language) { try plan() }
    }

    func plan() throws {
        var extra: [String] = []
        if let mask { extra += ["--mask", mask] }
        if noMask { extra.append("--no-mask") }
        let path = planFile ?? PlanFile.path(besideLibrary: book.segmentsFile)
        // Only the columns the rules, --show and the lists read are loaded.
        let planText = (try? AtomicFile.read(path)).flatMap { $0.map { String(decoding: $0, as: UTF8.self) } }
        let reads = planText.map { (texts: [$0] + (show.map { ["clients show " + $0] } ?? []),
                                    fields: [manager, "name", "phone", "tier", "assets", "last_contact"]) }
        var session = try book.session(data: data, extra: extra, reads: reads)
        try session.loadPlan(path: path)
        var callPlan = try session.callLists(manager: manager, show: show)
        if let only { callPlan = try callPlan.only(only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        let lists = callPlan.lists
        let language = book.language
        let stdout = Output(.fileDescriptor(STDOUT_FILENO))
        guard let out else {
            if session.options.writer.format == .xlsx { throw SegError(.usage, .usage(.xlsxNeedsFile)) }
            try Self.show(callPlan, options: session.options.writer, language: language, to: stdout)
            return
        }
        if session.options.masks.rule(for: manager) != nil { throw SegError(.usage, .plan(.maskedManagerFiles(manager))) }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder), !isFolder.boolValue {
            throw SegError(.usage, .plan(.outNotFolder(path: out)))
        }
        // Files: csv (with a UTF-8 byte order mark, as every .csv file seg writes, so Excel reads
        // the Chinese) or, with --format xlsx, workbooks.
        let fileFormat: OutputFormat
        switch session.options.writer.format {
        case .csv, .table: fileFormat = .csv
        case .xlsx: fileFormat = .xlsx
        case let other: throw SegError(.usage, .plan(.outFormat(other.rawValue)))
        }
        let paths = try CallListFiles.paths(lists, folder: out, extension: fileFormat.rawValue)
        // Every file is checked before any is written, so a refusal leaves the folder as it was.
        for path in paths {
            if let what = session.protectedFile(path) { throw SegError(.usage, .file(.protected(path: path, what))) }
            var info = stat()
            if !force && lstat(path, &info) == 0 { throw SegError(.usage, .file(.exists(path: path, .commandLine))) }
        }
        try AtomicFile.makeDirectories(out)
        var writer = WriterOptions(format: fileFormat)
        writer.language = language
        writer.workbookAllowed = true
        for (list, path) in zip(lists, paths) {
            let bytes = Output(.memory)
            if fileFormat == .csv { try bytes.write(bytes: ResultWriter.byteOrderMark) }
            try ResultWriter.write(list.result, options: writer, to: bytes)
            try bytes.flush()
            try AtomicFile.write(bytes.captured, to: path, mode: 0o600)
        }
        let clients = lists.reduce(0) { $0 + $1.result.rowCount }
        FileHandle.standardError.write(Data((DisplayWidth.sanitized(PlanWord.written(files: lists.count, clients: clients, folder: out).text(in: language)) + "\n").utf8))
    }

    /// On the screen: a heading and a table per manager; in another format one result with the
    /// manager as its first column.
    static func show(_ plan: CallPlan, options: WriterOptions, language: Language, to output: Output) throws {
        guard options.format == .table else {
            try ResultWriter.write(plan.all, options: options, to: output)
            try output.flush()
            return
        }
        for (i, list) in plan.lists.enumerated() {
            var result = list.result
            result.columns.removeFirst()  // the manager is the heading
            let name = list.manager.map { DisplayWidth.sanitized($0) } ?? PlanWord.noManager.text(in: language)
            try output.write((i > 0 ? "\n" : "") + PlanWord.listHeading(manager: name, clients: result.rowCount).text(in: language) + "\n")
            try ResultWriter.write(result, options: options, to: output)
        }
        try output.flush()
    }
}

/// `seg kpi`: the figures per manager and team between two books.
struct KPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seg kpi",
        abstract: "Per manager (and team): new AUM, new accounts, clients gained and lost, tier moves, VIP contact coverage between two books.",
        discussion: """
            Clients are matched by their key (id); a client in one book only is gained or lost. The period runs from --since (default: one month before today) to today, both inclusive. Tier moves follow the order of 'tier' (--order tier=… or 'let order tier' in the library). A book may be a saved .segbook, which keeps a month as it was (see seg --help). With --format json the tables are one document: [{"statement": "managers", "result": […]}, {"statement": "teams", …}].

            Examples:
              seg kpi --then october.csv --now november.csv --today 2026-11-30 --order tier=mass,affluent,vip,private
              seg kpi --then october.csv --now november.csv --teams teams.csv --since 2026-11-01
            """
    )

    @Option(name: .customLong("then"), help: ArgumentHelp("The earlier book (last month's file).", valueName: "file"))
    var then: String

    @Option(name: .customLong("now"), help: ArgumentHelp("The later book (this month's file).", valueName: "file"))
    var now: String

    @Option(name: .customLong("teams"), help: ArgumentHelp("A table of managers' teams (columns manager and team): adds the figures per team.", valueName: "file"))
    var teams: String?

    @Option(name: .customLong("since"), help: ArgumentHelp("The first day of the period (default: one month before today).", valueName: "YYYY-MM-DD"))
    var since: String?

    @Option(name: .customLong("vip"), help: ArgumentHelp("The condition that makes a client a VIP.", valueName: "condition"))
    var vip = "tier in (vip, private)"

    @OptionGroup var book: BookOptions

    func run() throws {
        try reportingErrors(language: book.language) { try kpi() }
    }

    func kpi() throws {
        let reads = (texts: ["clients where " + vip], fields: ["manager", "assets", "tier", "opened", "last_contact"])
        let thenSession = try book.session(data: [then], checkOrders: false, reads: reads)
        let nowSession = try book.session(data: [now], checkOrders: false, reads: reads)
        let today = nowSession.options.today
        var start = CivilDate.addingMonths(-1, to: today)
        if let since {
            let source = Source(name: "--since", text: since)
            guard let day = CivilDate.parse(since) else {
                throw SegError(.usage, .syntax(.invalidDate(since, shaped: false)), source: source, range: SourceRange(0, source.bytes.count))
            }
            start = day
        }
        var teamMap: TeamTable?
        if let teams {
            let table = try DataLoader.load(path: teams, tableName: "teams", types: ["manager": .text, "team": .text], columns: nil, options: LoadOptions())
            teamMap = try KPIRequest.teams(from: table, name: teams)
        }
        let request = KPIRequest(since: start, vip: vip, teams: teamMap, thenName: then, nowName: now)
        let tables = try KPI.tables(then: thenSession, now: nowSession, request)
        let options = nowSession.options.writer
        let output = Output(.fileDescriptor(STDOUT_FILENO))
        if options.format == .table {
            try output.write(PlanWord.period(from: CivilDate.format(start), to: CivilDate.format(today)).text(in: book.language) + "\n")
        }
        // JSON: one document of both tables; the other formats one after another.
        let json = tables.count > 1 && options.format == .json
        for (i, table) in tables.enumerated() {
            if json { try JSONDocument.beforeResult(statement: i == 0 ? "managers" : "teams", first: i == 0, to: output) }
            if i > 0 && [.table, .csv, .tsv, .markdown].contains(options.format) { try output.write("\n") }
            try ResultWriter.write(table, options: options, to: output)
            if json { try JSONDocument.afterResult(to: output) }
        }
        if json { try JSONDocument.end(to: output) }
        try output.flush()
    }
}
