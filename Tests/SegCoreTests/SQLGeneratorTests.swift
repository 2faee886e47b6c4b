import Foundation
import Testing
@testable import SegBase
@testable import SegPatterns
@testable import SegStore
@testable import SegSyntax
@testable import SegFunctions
@testable import SegSemantics
@testable import SegSQL
@testable import SegIO
@testable import SegEngine
@testable import SegCommands
import SegTestSupport

// Golden SQL files (Tests/sql/*.test), in the golden files' format (`GoldenFile`): a seg
// statement, `----`, the SQL seg writes for it (or the error). Directives: @dialect, @data NAME=path, @today, @params (strings as $n), @tags array.
// `SEG_RECORD=1 swift test --filter SQLGolden` rewrites the expectations for review.

enum SQLGolden {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sql")

    static func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0.hasSuffix(".test") }.sorted()
    }

    static func run(_ file: GoldenFile) throws -> [String] {
        var dialect = SQLDialect.postgres
        var today = "2026-11-15"
        var params = false
        var tags = TagStorage.delimited
        var tables: [Table] = []
        for (key, value) in file.directiveList {
            switch key {
            case "dialect": dialect = SQLDialect(rawValue: value) ?? .postgres
            case "today": today = value
            case "params": params = true
            case "tags": tags = value == "array" ? .array : .delimited
            case "data":
                let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                tables.append(try DataLoader.load(path: root.appendingPathComponent(parts[1]).path, tableName: parts[0], types: [:]))
            default: Issue.record("unknown directive @\(key)")
            }
        }
        let sqlTables = tables.map { table in
            var t = SQLTable.matching(table)
            for c in table.columns where c.type == .tags { t.tagStorage[c.name] = tags }
            return t
        }
        var catalog = Catalog(tables: tables)
        let options = SQLOptions(dialect: dialect, today: CivilDate.parse(today) ?? 0, tables: sqlTables, bindParameters: params)
        var out: [String] = []
        for c in file.cases {
            var text: String
            do {
                text = SQLScript.render(try SQLScript.translate(Source(name: "", text: c.statement), catalog: &catalog, options: options))
            } catch {
                text = GoldenFile.rendered(error)
            }
            while text.hasSuffix("\n") { text.removeLast() }
            out.append(text)
        }
        return out
    }
}

@Test("SQL golden files", arguments: SQLGolden.files())
func sqlGolden(_ name: String) throws {
    let url = SQLGolden.root.appendingPathComponent(name)
    let file = try GoldenFile(contentsOf: url)
    #expect(!file.cases.isEmpty, "no cases in \(name)")
    let actual = try SQLGolden.run(file)
    if ProcessInfo.processInfo.environment["SEG_RECORD"] == "1" {
        try file.render(actual: actual).write(to: url, atomically: true, encoding: .utf8)
        return
    }
    for (c, a) in zip(file.cases, actual) {
        #expect(a == c.expected, "\(name):\(c.line): \(c.statement)")
    }
}

@Suite("SQL generation: quoting and injection")
struct SQLQuotingTests {
    static let today = CivilDate.parse("2026-11-15") ?? 0

    /// A table whose names and values are hostile. A field name with a quote cannot be typed in a
    /// statement, but it is listed when it is the first column and there is no id or name.
    static func hostileTable() throws -> Table {
        let csv = "\"we\"\"ird name\",label,n,tags\nA,x,1,a;b\nB,\"'; drop table clients; --\",2,b;c\n"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seg-sql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("hostile.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return try DataLoader.load(path: path, tableName: "clients", types: ["label": .text, "we\"ird name": .text])
    }

    static func sql(_ statement: String, dialect: SQLDialect, params: Bool = false, table: Table? = nil) throws -> SQLStatement {
        var catalog = Catalog(tables: [try table ?? hostileTable()])
        let options = SQLOptions(dialect: dialect, today: today, bindParameters: params)
        let out = try SQLScript.translate(Source(name: "", text: statement), catalog: &catalog, options: options)
        return try #require(out.first)
    }

    /// A later `param` replaces an earlier one (as in a session); `--param` wins over both.
    @Test func paramStatementsReplaceEarlierOnes() throws {
        let table = DemoBook.table()
        var catalog = Catalog(tables: [table])
        let options = SQLOptions(dialect: .postgres, today: CivilDate.parse("2026-11-15") ?? 0)
        let out = try SQLScript.translate(Source(name: "", text: "param n = 30; param n = 40; clients where age > $n count"),
                                          catalog: &catalog, options: options)
        #expect(out.first?.text.contains("> 40") == true, "\(out.first?.text ?? "")")
        var fixed = Catalog(tables: [table], parameters: ["n": try ParameterValue.parse(argument: "n=50")])
        let pinned = try SQLScript.translate(Source(name: "", text: "param n = 30; clients where age > $n count"),
                                             catalog: &fixed, options: options)
        #expect(pinned.first?.text.contains("> 50") == true, "\(pinned.first?.text ?? "")")
    }

    /// Segments under OR are CTEs materialized for PostgreSQL 12 and later (the backend says so),
    /// and plain otherwise (older servers, Greenplum 6, `seg sql`): the rest of the text is the same.
    @Test func segmentsAreMaterializedWhenTheServerTakesIt() throws {
        let statement = "let vip = clients where tier in (vip, private); let rich = clients where assets > 5m; vip union rich count"
        var options = SQLOptions(dialect: .postgres, today: Self.today)
        var plainCatalog = Catalog(tables: [DemoBook.table()])
        let plain = try #require(try SQLScript.translate(Source(name: "", text: statement), catalog: &plainCatalog, options: options).last)
        options.materializedCTEs = true
        var catalog = Catalog(tables: [DemoBook.table()])
        let materialized = try #require(try SQLScript.translate(Source(name: "", text: statement), catalog: &catalog, options: options).last)
        #expect(materialized.text.contains("\"seg_vip\" AS MATERIALIZED (") && materialized.text.contains("\"seg_rich\" AS MATERIALIZED ("),
                "\(materialized.text)")
        #expect(!plain.text.contains("MATERIALIZED"), "\(plain.text)")
        #expect(materialized.text.replacingOccurrences(of: "AS MATERIALIZED (", with: "AS (") == plain.text)
    }

    @Test func stringLiteralsAreQuoted() throws {
        #expect(try SQLGenerator.literal("'; drop table clients; --", dialect: .postgres) == "'''; drop table clients; --'")
        #expect(try SQLGenerator.literal("a\\'b", dialect: .postgres) == "E'a\\\\''b'")
        #expect(try SQLGenerator.literal("a\\'b", dialect: .sqlite) == "'a\\''b'")
        #expect(try SQLGenerator.literal("a\u{0}b", dialect: .sqlite) == "('a' || char(0) || 'b')")
        #expect(throws: SegError.self) { try SQLGenerator.literal("a\u{0}b", dialect: .postgres) }
        #expect(throws: SegError.self) { try SQLGenerator.literal("a\u{0}b", dialect: .duckdb) }
    }

    @Test func identifiersAreQuoted() throws {
        #expect(try SQLGenerator.identifier("we\"ird name") == "\"we\"\"ird name\"")
        #expect(try SQLGenerator.identifier("drop; --") == "\"drop; --\"")
        #expect(throws: SegError.self) { try SQLGenerator.identifier("a\u{0}") }
    }

    @Test func hostileValuesInStatements() throws {
        let hostile = #"clients where label = "'; drop table clients; --" or label = "\\\"" or label like "%'--""#
        for dialect in SQLDialect.allCases {
            let s = try Self.sql(hostile, dialect: dialect)
            #expect(s.parameters.isEmpty)
            #expect(s.text.contains("\"clients\".\"label\" = '''; drop table clients; --'"), "\(dialect): \(s.text)")
            // The first column is listed (no id or name): its name is quoted, quote doubled.
            #expect(s.text.hasPrefix("SELECT \"clients\".\"we\"\"ird name\" AS \"we\"\"ird name\", \"clients\".\"label\""), "\(dialect): \(s.text)")
        }
        // With parameters, no value is in the text at all.
        let bound = try Self.sql(hostile, dialect: .postgres, params: true)
        #expect(bound.parameters == ["'; drop table clients; --", "\\\"", "%'--"])
        #expect(!bound.text.contains("drop table"))
        #expect(bound.text.contains("\"clients\".\"label\" = $1"))
    }

    @Test func hostileFieldNamesInBoundQueries() throws {
        let table = try Self.hostileTable()
        let weird = ValueExpr.field(index: 0, name: table.columns[0].name, type: .text)
        let query = BoundQuery(tableIndex: 0, source: .table(0), condition: .test(weird, .string(.compare(.less, "'"))),
                               mode: .groups(keys: [weird], show: [.key(0)], aggregates: []),
                               sort: [BoundSortKey(target: .groupItem(.key(0)), descending: true)], limit: 1)
        var generator = SQLGenerator(catalog: Catalog(tables: [table]), options: SQLOptions(dialect: .postgres, today: Self.today))
        let s = try generator.generate(query)
        #expect(s.text == """
            SELECT "clients"."we""ird name" AS "we""ird name"
            FROM "clients"
            WHERE "clients"."we""ird name" < '''' COLLATE "C"
            GROUP BY "clients"."we""ird name"
            ORDER BY "clients"."we""ird name" COLLATE "C" DESC NULLS LAST, MIN(ctid)
            LIMIT 1
            """)
    }

    @Test func nulIsRefusedOrSpelledOut() throws {
        let statement = "clients where label = \"a\u{0}b\""
        #expect(throws: SegError.self) { try Self.sql(statement, dialect: .postgres) }
        #expect(throws: SegError.self) { try Self.sql(statement, dialect: .postgres, params: true) }
        #expect(try Self.sql(statement, dialect: .sqlite).text.contains("('a' || char(0) || 'b')"))
    }

    @Test func tagValuesAreQuoted() throws {
        let s = try Self.sql("clients where tags has a", dialect: .postgres, params: true)
        #expect(s.parameters == [";a;"])
        #expect(s.text.contains("strpos(';' || \"clients\".\"tags\" || ';', $1) > 0"))
    }

    @Test func sqliteHasNoRegex() throws {
        do {
            _ = try Self.sql("clients where label ~ \"a\"", dialect: .sqlite)
        } catch let error as SegError {
            #expect(error.message.contains("SQLite has no regular expressions"))
            #expect(error.render(color: false).contains("^"), "points at the statement")
        }
    }

    @Test func decimalParsing() {
        #expect(TextCells.parseDecimal("12.5", scale: 2) == 1250)
        #expect(TextCells.parseDecimal("-0.05", scale: 2) == -5)
        #expect(TextCells.parseDecimal("7", scale: 3) == 7000)
        #expect(TextCells.parseDecimal("1.230", scale: 2) == 123)
        #expect(TextCells.parseDecimal("1.234", scale: 2) == nil)
        #expect(TextCells.parseDecimal("x", scale: 2) == nil)
    }
}

@Suite("streaming results")
struct StreamingResultTests {
    static let columns = [ColumnShape(name: "id", type: .text, scale: 0), ColumnShape(name: "assets", type: .decimal, scale: 2),
                          ColumnShape(name: "tags", type: .tags, scale: 0), ColumnShape(name: "day", type: .date, scale: 0)]
    static let rows: [[String?]] = (0..<25).map { i in
        ["C\(i)", i % 7 == 0 ? nil : "\(i * 1000).5\(i % 10)", i % 3 == 0 ? "b;a" : "c", "2026-01-\(10 + i % 9)"]
    }

    /// Writes `rows` in batches of 4 and all at once: every format must come out the same.
    @Test(arguments: OutputFormat.allCases.filter { $0 != .value })  // value takes one cell
    func batchesMatchOneWrite(_ format: OutputFormat) throws {
        for rows in [Self.rows, []] {
            let batched = Output(.memory)
            var options = WriterOptions(format: format)
            options.batchSize = 4
            options.workbookAllowed = true  // xlsx: to memory here, as to a file
            let writer = ResultPrinter(options: options, output: batched)
            try writer.begin(Self.columns, kind: .rows(noun: "clients"))
            for r in rows { try writer.append(r) }
            try writer.end { nil }
            try batched.flush()
            let whole = Output(.memory)
            let cols = try Self.columns.enumerated().map { c, spec in
                ResultColumn(name: spec.name, column: try TextCells.column(spec, cells: rows.map { $0[c] }), rows: nil)
            }
            var wholeOptions = WriterOptions(format: format)
            wholeOptions.workbookAllowed = true
            try ResultWriter.write(ResultSet(columns: cols, rowCount: rows.count, kind: .rows(noun: "clients")),
                                   options: wholeOptions, to: whole)
            try whole.flush()
            #expect(batched.text == whole.text, "\(format) with \(rows.count) rows")
        }
    }

    @Test func tableKeepsOnlyShownRows() throws {
        let out = Output(.memory)
        let writer = ResultPrinter(options: WriterOptions(format: .table, maxRows: 3), output: out)
        try writer.begin(Self.columns, kind: .rows(noun: "clients"))
        for r in Self.rows { try writer.append(r) }
        try writer.end { 100 }
        try out.flush()
        #expect(out.text.contains("… 22 more"))
        #expect(out.text.hasSuffix("25 of 100 clients\n"))
    }
}
