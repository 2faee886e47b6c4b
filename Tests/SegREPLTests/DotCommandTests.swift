#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import SegBase
import SegPatterns
import SegStore
import SegSyntax
import SegFunctions
import SegSemantics
import SegSQL
import SegIO
import SegEngine
import SegCommands
import Testing
@testable import SegREPL

struct DotCommandTests {
    static let good: [(String, DotCommand)] = [
        (".help", .help(topic: nil)),
        (".help language", .help(topic: "language")),
        (".fields", .fields(name: nil)),
        (".fields risk", .fields(name: "risk")),
        (".tables", .tables),
        (".load book.csv", .load(path: "book.csv", name: nil)),
        (".load \"my book.csv\" as book", .load(path: "my book.csv", name: "book")),
        (".read  script.seg ", .read(path: "script.seg")),
        (".savebook book.segbook", .saveBook(path: "book.segbook")),
        (".format JSON", .format(.json)),
        (".output out.csv", .output(path: "out.csv", force: false)),
        (".output! out.csv", .output(path: "out.csv", force: true)),
        (".output", .output(path: nil, force: false)),
        (".timer on", .timer(true)),
        (".timer OFF", .timer(false)),
        (".chart on", .chart(true)),
        (".Chart OFF", .chart(false)),
        (".format xlsx", .format(.xlsx)),
        (".today 2026-02-28", .today(CivilDate.days(year: 2026, month: 2, day: 28))),
        (".today", .today(nil)),
        (".maxrows 100", .maxRows(100)),
        (".maxrows 0", .maxRows(0)),
        (".quit", .quit),
        (".EXIT", .quit),
    ]

    @Test(arguments: good.indices)
    func parses(_ i: Int) throws {
        #expect(try DotCommand.parse(Self.good[i].0) == Self.good[i].1)
    }

    static let bad: [(String, String)] = [
        (".fiels", "unknown command '.fiels' (did you mean '.fields'?); .help lists the commands"),
        (".frobnicate", "unknown command '.frobnicate'; .help lists the commands"),
        (".format xml", "unknown format 'xml'; choose table, csv, tsv, json, jsonl, markdown or value"),
        (".format jsn", "unknown format 'jsn' (did you mean 'json'?); choose table, csv, tsv, json, jsonl, markdown or value"),
        (".format", ".format needs a format: .format table|csv|tsv|json|jsonl|markdown|value|xlsx"),
        (".timer maybe", ".timer expects on or off, found 'maybe'"),
        (".today 2026-02-30", ".today expects a date like 2026-01-31, found '2026-02-30'"),
        (".maxrows -1", ".maxrows expects a whole number, 0 or more, found '-1'"),
        (".maxrows", ".maxrows needs a number: .maxrows N"),
        (".load", ".load needs a file: .load FILE [as NAME]"),
        (".load a.csv b", ".load expects .load FILE [as NAME]; quote a path with spaces"),
        (".read", ".read needs a script file: .read SCRIPT"),
        (".savebook", ".savebook needs a file: .savebook FILE.segbook"),
        (".tables x", ".tables takes no arguments"),
        (".chart maybe", ".chart expects on or off, found 'maybe'"),
        (".help langauge", "no help on 'langauge' (did you mean 'language'?); try .help or .help language"),
        (".output \"a b", "a quote is not closed in '.output \"a b'"),
    ]

    @Test(arguments: bad.indices)
    func rejects(_ i: Int) {
        do {
            _ = try DotCommand.parse(Self.bad[i].0)
            Issue.record("\(Self.bad[i].0) parsed")
        } catch let error as SegError {
            #expect(error.kind == .usage)
            #expect(error.message == Self.bad[i].1)
        } catch {
            Issue.record("\(error)")
        }
    }
}

/// The shell without a terminal: statements and dot-commands in, screen and messages out.
struct ShellTests {
    func shell() -> Shell {
        let session = Session(tables: Fixture.catalog.tables,
                              options: SessionOptions(today: CivilDate.days(year: 2026, month: 11, day: 15), writer: WriterOptions(format: .table),
                                                      interactive: true, interrupt: InterruptFlag()))
        var withSegments = session
        withSegments.catalog = Fixture.catalog
        return Shell(session: withSegments, screen: Output(.memory), messages: Output(.memory), colorMessages: false,
                     terminalWidth: { 60 })
    }

    @Test func runsStatementsAndReportsErrors() {
        var shell = shell()
        #expect(shell.handle("clients where risk = balanced count") == .proceed)
        #expect(shell.screen.text == "3\n")
        #expect(shell.handle("clients where risk = balancd") == .proceed)
        #expect(shell.messages.text.contains("error: unknown value 'balancd' for field 'risk' (did you mean 'balanced'?)"))
        #expect(shell.messages.text.contains("^^^^^^^"))
        #expect(shell.handle("let old = clients where age > 45") == .proceed)
        #expect(shell.screen.text.hasSuffix("old: 2 clients\n"))
    }

    @Test func quitAndExit() {
        var shell = shell()
        #expect(shell.handle(".quit") == .quit)
        #expect(shell.handle("  .exit  ") == .quit)
        #expect(shell.handle(".quit now") == .proceed)
        #expect(shell.messages.text == "error: .quit takes no arguments\n")
    }

    @Test func formatMaxRowsTodayAndTimer() {
        var shell = shell()
        _ = shell.handle(".format csv")
        _ = shell.handle("clients where age > 45 show name, age")
        #expect(shell.screen.text == "name,age\nTom,50\n张伟,60\n")
        _ = shell.handle(".format table")
        _ = shell.handle(".maxrows 1")
        _ = shell.handle("clients show name")
        #expect(shell.screen.text.contains("3 more"))
        _ = shell.handle(".today 2030-01-02")
        #expect(shell.session.options.today == CivilDate.days(year: 2030, month: 1, day: 2))
        _ = shell.handle(".today")
        #expect(shell.screen.text.hasSuffix("2030-01-02\n"))
        _ = shell.handle(".timer on")
        _ = shell.handle("clients count")
        #expect(shell.messages.text.hasPrefix("time: "))
    }

    @Test func outputGoesToAPrivateFileAndBack() throws {
        var shell = shell()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seg-out-\(UUID().uuidString).txt").path
        _ = shell.handle(".output \(path)")
        #expect(shell.outputPath == path)
        _ = shell.handle("clients count")
        _ = shell.handle(".output")
        #expect(shell.outputPath == nil)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "4\n")
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        _ = shell.handle("clients count")
        #expect(shell.screen.text == "4\n")
        _ = shell.handle(".output /nonexistent-dir/x.txt")
        #expect(shell.messages.text.hasPrefix("error: cannot create '/nonexistent-dir/x.txt': No such file or directory"))
    }

    @Test func saveBookThenLoadIt() throws {
        var shell = shell()
        // The fixture's city dictionary is not in UTF-8 order, which a book refuses; use the demo book.
        shell.session.catalog.tables = [DemoBook.table(rows: 4)]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seg-\(UUID().uuidString).segbook").path
        defer { unlink(path) }
        _ = shell.handle(".savebook \(path)")
        #expect(shell.messages.text == "")
        #expect(shell.screen.text.hasPrefix("saved \(path): 4 rows · 20 fields · "))
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        _ = shell.handle(".load \(path) as copy")
        _ = shell.handle("copy count")
        #expect(shell.screen.text.contains("copy: 4 rows · "), "\(shell.screen.text) \(shell.messages.text)")
        #expect(shell.screen.text.hasSuffix(" 20 fields\n4\n"), "\(shell.screen.text)")
    }

    @Test func fieldsAndTables() {
        var shell = shell()
        _ = shell.handle(".fields")
        #expect(shell.screen.text.hasPrefix("field     type      missing\nname      text            0\nAssets    decimal         0\n"))
        _ = shell.handle(".fields city")
        #expect(shell.screen.text.hasSuffix("city: category · 0 missing · 3 distinct\n  上海      2\n  New York  1\n  深圳      1\n"))
        _ = shell.handle(".fields assets")
        #expect(shell.screen.text.hasSuffix("Assets: decimal · 0 missing · 4 distinct\n  min  1.00\n  max  50.00\n"))
        _ = shell.handle(".fields birthday")
        #expect(shell.screen.text.hasSuffix("  min  1970-01-01\n  max  1970-10-28\n"))
        _ = shell.handle(".fields rsk")
        #expect(shell.messages.text == "error: no field 'rsk' in clients (did you mean 'risk'?); .fields lists them\n")
        _ = shell.handle(".tables")
        #expect(shell.screen.text.hasSuffix("clients  4 rows · 8 fields · test\nsegments:\n  vip = clients where age > 45\n"))
    }

    @Test func helpAndLanguage() {
        var shell = shell()
        _ = shell.handle(".help")
        #expect(shell.screen.text.contains(".fields [NAME]"))
        #expect(shell.screen.text.contains("clients by tier show count, sum(assets)"))
        _ = shell.handle(".help language")
        #expect(shell.screen.text.hasSuffix(LanguageReference.text))
    }

    @Test func readAndLoadReportMissingFiles() throws {
        var shell = shell()
        _ = shell.handle(".read /nonexistent/script.seg")
        #expect(shell.messages.text == "error: cannot open '/nonexistent/script.seg': No such file or directory\n")
        // Loading goes through DataLoader; a missing file is an error message, never a crash.
        _ = shell.handle(".load /nonexistent/book.csv")
        #expect(shell.messages.text.components(separatedBy: "error: ").count == 3)
        #expect(shell.session.catalog.tables.count == 1)

        let script = FileManager.default.temporaryDirectory.appendingPathComponent("seg-\(UUID().uuidString).seg").path
        try "let young = clients where age < 45\nyoung count\n".write(toFile: script, atomically: true, encoding: .utf8)
        _ = shell.handle(".read \(script)")
        #expect(shell.screen.text == "young: 2 clients\n2\n")
        #expect(shell.session.catalog.segment(named: "young") != nil)
    }

    @Test func startupLine() {
        #expect(shell().startupLine == "test: 4 clients · 8 fields · .help for help\n")
    }

    @Test func historyLocationAndEntries() {
        #expect(HistoryFile.path(environment: ["SEG_HISTORY": "/h", "HOME": "/home/u"]) == "/h")
        #expect(HistoryFile.path(environment: ["XDG_STATE_HOME": "/s", "HOME": "/home/u"]) == "/s/seg/history")
        #expect(HistoryFile.path(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/seg/history")
        #expect(HistoryFile.size(environment: [:]) == 5_000)
        #expect(HistoryFile.entry(for: "clients where\n  risk = averse") == "clients where risk = averse")
        #expect(HistoryFile.entry(for: "clients where -- note\n risk = averse") == "clients where -- note\n risk = averse")
    }

    @Test func foreignHistoryFilesAreLeftAlone() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seg-h-\(UUID().uuidString)")
        let path = dir.appendingPathComponent("a/b/history").path
        #expect(HistoryFile.prepare(path) == .absent)
        var info = stat()
        #expect(stat(dir.appendingPathComponent("a/b").path, &info) == 0 && info.st_mode & 0o777 == 0o700)
        try "ls -l\ncd /tmp\n".write(toFile: path, atomically: true, encoding: .utf8)
        guard case .unusable = HistoryFile.prepare(path) else {
            Issue.record("a readline history must not be used")
            return
        }
        try "_HiStOrY_V2_\nclients\\040count\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(HistoryFile.prepare(path) == .usable)
    }
}

/// `.fields` on a table whose rows are in a database: names, types and values, never counts of
/// the empty schema-only columns.
@Test func fieldsOfADatabaseTableShowNoCounts() throws {
    var table = Table(name: "clients", columns: [
        Column(name: "risk", data: .category(codes: [], dictionary: ["averse", "growth"]), validity: nil, count: 0),
        Column(name: "assets", data: .decimal([], scale: 2), validity: nil, count: 0),
    ], rowCount: 0, origin: "crm.clients")
    table.rowCount = 1_000_000
    let catalog = Catalog(tables: [table])
    let overview = try FieldSummary.text(catalog: catalog, field: nil, width: nil, inDatabase: true)
    #expect(overview == "field   type\nrisk    category\nassets  decimal\n(in the database: count missing values with 'clients where FIELD is empty count')\n")
    #expect(try FieldSummary.text(catalog: catalog, field: "risk", width: nil, inDatabase: true)
            == "risk: category · 2 distinct (counts: 'clients by risk show count')\n  averse\n  growth\n")
    #expect(try FieldSummary.text(catalog: catalog, field: "assets", width: nil, inDatabase: true)
            == "assets: decimal (in the database: try 'clients show count(assets), min(assets), max(assets)')\n")
}
