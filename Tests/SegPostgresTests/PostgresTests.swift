import Foundation
import Testing
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
@testable import SegPostgres
import SegTestSupport

// Tests against a real PostgreSQL, run when SEG_TEST_DB names one (scripts/with-postgres starts a
// throwaway cluster, loads the test books and sets it). The tables they expect:
//   small        Tests/golden/data/small.csv
//   small_november  Tests/golden/data/small-november.csv
//   book_arrays  seg generate --rows 20000 --seed 3, tags as text[]
//   book_text    the same book, tags as ;-separated text
// Without SEG_TEST_DB the suite is skipped with a note.

enum PG {
    static let url = ProcessInfo.processInfo.environment["SEG_TEST_DB"].flatMap { $0.isEmpty ? nil : $0 }
    static let available: Bool = {
        if url == nil {
            FileHandle.standardError.write(Data("note: SEG_TEST_DB is not set; PostgreSQL tests are skipped (scripts/with-postgres runs them)\n".utf8))
        }
        return url != nil
    }()
    static let today = "2026-11-15"

    static func book(_ table: String, columns: Set<String>? = nil) throws -> PostgresBook {
        let parsed = try PostgresURL.parse(url ?? "", environment: ProcessInfo.processInfo.environment)
        return try PostgresBook(url: parsed, tables: [("clients", table)], columns: columns)
    }

    /// The generated book in memory, as the CSV the cluster was loaded from.
    static let memoryBook: Table? = {
        let out = Output(.memory)
        try? DemoBook.writeCSV(rows: 20_000, seed: 3, to: out)
        try? out.flush()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seg-pg-book-\(UUID().uuidString).csv").path
        guard (try? Data(out.captured).write(to: URL(fileURLWithPath: path))) != nil else { return nil }
        return try? DataLoader.load(path: path, tableName: "clients", types: [:])
    }()

    static func session(_ tables: [Table], backend: any Backend, format: OutputFormat, today: String = today,
                        batchSize: Int = 10_000) -> Session {
        var writer = WriterOptions(format: format)
        writer.batchSize = batchSize
        return Session(tables: tables, options: SessionOptions(today: CivilDate.parse(today) ?? 0, writer: writer), backend: backend)
    }
}

@Suite("PostgreSQL", .serialized, .enabled(if: PG.available))
struct PostgresTests {
    /// The tables scripts/with-postgres loads from the golden data files.
    static let goldenTables = ["data/small.csv": "small", "data/small-november.csv": "small_november",
                                "data/suitability.csv": "suitability",
                                "data/related/clients.csv": "rel_clients", "data/related/holdings.csv": "rel_holdings",
                                "data/related/contacts.csv": "rel_contacts", "data/related/family.csv": "rel_family",
                                "data/related/managers.csv": "rel_managers"]

    /// Golden files whose data the cluster holds: the same answers, byte for byte, from PostgreSQL
    /// (queries, segments, the library, explain, why, snapshots and diff).
    static var goldenFiles: [String] {
        GoldenFile.paths().filter { path in
            let data = ((try? GoldenFile(path: path))?.all("data") ?? []).map { $0.split(separator: "=", maxSplits: 1).last.map(String.init) ?? "" }
            return !data.isEmpty && data.allSatisfy { goldenTables[$0] != nil }
        }
    }

    /// PostgreSQL 15 takes materialized CTEs, so segments are sent that way (docs/sharded.md).
    @Test func segmentsAreMaterializedOnThisServer() throws {
        let book = try PG.book("book_text")
        #expect(book.materializesCTEs)
        #expect(book.sqlOptions(today: 0).materializedCTEs)
    }

    @Test func goldenFilesCoverTheSegmentCommands() {
        for name in ["segments/explain.test", "segments/explain-csv.test", "segments/snapshots.test", "segments/snapshots-csv.test",
                     "segments/snapshots-damaged.test", "segments/library.test", "segments/params.test", "segments/no-library.test"] {
            #expect(Self.goldenFiles.contains(name), "\(name)")
        }
    }

    /// The cluster's tables for a golden file's `@data` lines.
    static func tableSpecs(_ golden: GoldenFile) throws -> [(name: String, table: String)] {
        try golden.all("data").map { data in
            let parts = data.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], try #require(goldenTables[parts[1]]))
        }
    }

    @Test(arguments: PostgresTests.goldenFiles)
    func goldenFileAgrees(_ name: String) throws {
        let golden = try GoldenFile(path: name)
        let specs = try Self.tableSpecs(golden)
        let parsed = try PostgresURL.parse(PG.url ?? "", environment: ProcessInfo.processInfo.environment)
        let book = try PostgresBook(url: parsed, tables: specs)
        defer { book.close() }
        for (c, actual) in zip(golden.cases, try golden.run(tables: book.tables, backend: book)) {
            #expect(actual == c.expected, "\(name):\(c.line): \(c.statement)")
        }
    }

    static let statements = [
        "clients where risk=averse and assets>1m count",
        "clients where risk=averse and assets>1m sort by assets desc limit 20 show id, name, phone, assets",
        "clients where products has fund and not products has insurance and age between 30 and 50 count",
        "clients where products has any (fund, wealth) and products has all (deposit, credit_card) sort by id limit 50 show id, products",
        "clients where tier in (vip, private) and (last_contact is empty or days_since(last_contact) > 180) sort by manager, last_contact show id, manager, last_contact",
        "clients where name like \"王%\" or name ~ \"(^| )Wang( |$)\" count",
        "clients where name like \"L_ Na\" or email contains \"li.na\" show id, name, email",
        "clients where last_contact before 6 months ago count",
        "clients where not last_contact after 1 year ago count",
        "clients where last_contact in last 30 days sort by last_contact show id, last_contact",
        "clients where anniversary(birthday) in next 14 days sort by anniversary(birthday) show id, birthday, anniversary(birthday)",
        "clients where deposits > loans and loans > 0 and email is not empty count",
        "clients where risk not in (averse, growth) and not (age < 40 or city = 上海) count",
        "clients where interests has all (golf, tea) or interests has any (wine) count",
        "clients by tier, risk show count, sum(assets), avg(age), avg(assets), min(assets), max(assets), count(email)",
        "clients by manager show count, sum(loans) sort by count desc, manager limit 5",
        "clients by city show count, avg(deposits) sort by avg(deposits) desc",
        "clients where age > 60 by city show count, min(birthday), max(last_contact), min(name) sort by city",
        "clients where risk = averse show count, sum(assets), avg(assets)",
        "clients sort by age desc, birthday limit 15 show id, age, birthday",
        "clients sort by last_contact limit 25 show id, last_contact",
        "clients sort by email desc limit 25 show id, email",
        "let rich = clients where assets > 5m; let vip = clients where tier in (vip, private); vip union rich count; vip intersect rich count; vip except rich count",
        "let vip = clients where tier in (vip, private); (clients where age > 60) except vip count",
        "let rich = clients where assets > 5m; clients where in rich and not city = 上海 by city show count",
        "let top = clients sort by assets desc limit 30; top; top where risk = averse count",
        "clients where city = 深圳 and assets >= 100k limit 30",
        "clients by products show count",
        // 0.3 × 10 is 3.0000000000000004 in floating point: percentile_disc(0.3) would pick one rank too far.
        "clients by tier show count(assets), quantile(assets, 0.3), quantile(age, 0.7), quantile(assets, 0.07), median(assets)",
        "clients where age between 30 and 39 show quantile(assets, 0.3), quantile(assets, 0.9), quantile(birthday - opened, 0.5)",
        "clients by city show count, pct(count), pct(sum(assets)) having count > 10 sort by pct(sum(assets)) desc limit 5",
    ]

    /// The generated book, tags as text[] and as `;` text, against the same book in memory.
    @Test(arguments: ["book_arrays", "book_text"])
    func bookAgrees(_ table: String) throws {
        let memory = try #require(PG.memoryBook)
        let book = try PG.book(table)
        defer { book.close() }
        for format in [OutputFormat.csv, .table] {
            var inMemory = PG.session([memory], backend: MemoryBackend(), format: format)
            var inDatabase = PG.session(book.tables, backend: book, format: format, batchSize: 7)
            for statement in Self.statements {
                let a = GoldenFile.run(&inMemory, statement)
                let b = GoldenFile.run(&inDatabase, statement)
                #expect(a == b, "\(table) \(format): \(statement)\nmemory:   \(a.prefix(400))\ndatabase: \(b.prefix(400))")
            }
        }
    }

    /// A one-shot run learns the values of only the columns its statement names (see
    /// ColumnDemand): the answers stay those of memory.
    @Test(arguments: ["book_arrays", "book_text"])
    func oneShotSchemaAgrees(_ table: String) throws {
        let memory = try #require(PG.memoryBook)
        var checked = 0
        for statement in Self.statements {
            guard let columns = ColumnDemand.names(in: [Source(name: "", text: statement)]) else { continue }
            let book = try PG.book(table, columns: columns)
            defer { book.close() }
            var inMemory = PG.session([memory], backend: MemoryBackend(), format: .csv)
            var inDatabase = PG.session(book.tables, backend: book, format: .csv)
            let a = GoldenFile.run(&inMemory, statement)
            let b = GoldenFile.run(&inDatabase, statement)
            #expect(a == b, "\(table): \(statement)\nmemory:   \(a.prefix(400))\ndatabase: \(b.prefix(400))")
            checked += 1
        }
        #expect(checked >= 5)
    }

    /// explain, why, segments, snapshot and diff on the generated book (tags as arrays and as
    /// text): the same output as in memory, and the same snapshot file.
    @Test(arguments: ["book_arrays", "book_text"])
    func segmentCommandsAgree(_ table: String) throws {
        let memory = try #require(PG.memoryBook)
        let book = try PG.book(table)
        defer { book.close() }
        let statements = [
            // Snapshots are taken of saved segments only (a later diff must find them).
            "save rich = clients where assets > 5m and products has any (fund, wealth)",
            "save top = rich sort by assets desc limit 25",
            "explain clients where risk = averse and assets > 1m and products has all (deposit, fund) and not city = 上海 limit 10",
            "explain rich where (age > 60 or interests has golf) and anniversary(birthday) in next 30 days",
            "segments",
            "why C0000001 in rich", "why C0000002 in top", "why \"C0000007\" in rich", "why C9999999 in rich",
            "snapshot rich", "snapshot top", "snapshots rich",
            "let rich = clients where assets > 4m and products has any (fund, wealth) and age < 70",
            "let top = rich sort by assets desc limit 40",
            "diff rich", "diff top", "segments",
        ]
        var outputs: [[String]] = []
        var snapshotFiles: [String] = []
        for database in [nil, book] as [PostgresBook?] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seg-pg-cmd-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            var session = PG.session(database == nil ? [memory] : book.tables, backend: database ?? MemoryBackend(), format: .table)
            session.options.libraryPath = dir.appendingPathComponent("segments.seg").path
            outputs.append(statements.map { GoldenFile.run(&session, $0) })
            snapshotFiles.append(try String(contentsOf: dir.appendingPathComponent(".seg/snapshots/rich/\(PG.today).csv"), encoding: .utf8))
        }
        for (k, statement) in statements.enumerated() {
            #expect(outputs[0][k] == outputs[1][k], "\(table): \(statement)\nmemory:\n\(outputs[0][k].prefix(1500))\ndatabase:\n\(outputs[1][k].prefix(1500))")
        }
        #expect(snapshotFiles[0] == snapshotFiles[1])
        #expect(outputs[0][15].contains("entered"), "\(outputs[0][15].prefix(300))")
    }

    @Test func largeResultsStreamInBatches() throws {
        let memory = try #require(PG.memoryBook)
        let book = try PG.book("book_arrays")
        defer { book.close() }
        for format in [OutputFormat.csv, .json, .jsonl, .tsv, .markdown] {
            var inMemory = PG.session([memory], backend: MemoryBackend(), format: format)
            var inDatabase = PG.session(book.tables, backend: book, format: format, batchSize: 1000)
            let statement = "clients where age > 20 show id, name, assets, products, birthday"
            let a = GoldenFile.run(&inMemory, statement)
            #expect(a == GoldenFile.run(&inDatabase, statement), "\(format)")
            #expect(a.count > 100_000)
        }
    }

    @Test func hostileValuesAreParameters() throws {
        let book = try PG.book("book_text")
        defer { book.close() }
        var session = PG.session(book.tables, backend: book, format: .csv)
        for value in ["'; drop table book_text; --", "\\'; drop table book_text; --", "x\"; drop table book_text; --"] {
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            let out = GoldenFile.run(&session, "clients where name = \"\(escaped)\" or email contains \"\(escaped)\" or name like \"\(escaped)\" count")
            #expect(out == "count\n0\n", "\(value)")
        }
        #expect(GoldenFile.run(&session, "clients count") == "count\n20000\n")
        let nul = GoldenFile.run(&session, "clients where name = \"a\u{0}b\" count")
        #expect(nul.contains("cannot hold the NUL character"))
        #expect(nul.contains("^"))
    }

    @Test func serverErrorsPointIntoTheStatement() throws {
        let book = try PG.book("book_text")
        defer { book.close() }
        var session = PG.session(book.tables, backend: book, format: .csv)
        // Valid for seg's regex engine (\Q…\E quotes), refused by PostgreSQL's regular expressions.
        let out = GoldenFile.run(&session, "clients where name ~ \"\\\\Qa\\\\E\" count")
        #expect(out.contains("error: the database refused the statement: invalid regular expression"), "\(out)")
        #expect(out.contains("\n   |                      ^^^^^^^^^\n"), "\(out)")
    }

    @Test func passwordsNeverShow() throws {
        let secret = "s3cret-Pw"
        let url = try PostgresURL.parse("postgres://someone:\(secret)@127.0.0.1:1/nowhere", environment: [:])
        #expect(!url.description.contains(secret))
        do {
            _ = try PostgresBook(url: url, tables: [("clients", "clients")])
            Issue.record("connected to port 1?")
        } catch let error as SegError {
            #expect(error.message.hasPrefix("cannot connect to postgres://someone@127.0.0.1:1/nowhere"), "\(error.message)")
            #expect(!error.render(color: false).contains(secret))
        }
    }

    @Test func droppedConnectionsReconnect() throws {
        let book = try PG.book("small")
        defer { book.close() }
        var session = PG.session(book.tables, backend: book, format: .csv)
        #expect(GoldenFile.run(&session, "clients count") == "count\n12\n")
        let pid = try #require(try book.rows("SELECT CAST(pg_backend_pid() AS text)").first?.first ?? nil)
        let killer = try PG.book("small")
        defer { killer.close() }
        _ = try killer.rows("SELECT CAST(pg_terminate_backend(CAST($1 AS integer)) AS text)", parameters: [pid])
        let lost = GoldenFile.run(&session, "clients count")
        // Either the loss is reported, or the closed connection was noticed first and replaced.
        #expect(lost.contains("lost the connection") || lost == "count\n12\n", "\(lost)")
        #expect(!lost.contains("password"))
        #expect(GoldenFile.run(&session, "clients where risk = averse count") == "count\n4\n")
    }

    /// The server ends explain's connection while its first count waits for a lock another
    /// connection holds: a clear error, no partial funnel, and the next statement reconnects.
    @Test func droppedConnectionDuringExplain() throws {
        let book = try PG.book("small")
        defer { book.close() }
        var session = PG.session(book.tables, backend: book, format: .csv)
        let pid = try #require(try book.rows("SELECT CAST(pg_backend_pid() AS text)").first?.first ?? nil)
        let killer = try PG.book("small")
        defer { killer.close() }
        let locker = try PG.book("small")
        defer { locker.close() }
        _ = try locker.rows("BEGIN")
        _ = try locker.rows("LOCK TABLE small IN ACCESS EXCLUSIVE MODE")
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            for _ in 0..<400 {
                let waiting = try? killer.rows("SELECT CAST(COUNT(*) AS text) FROM pg_stat_activity WHERE pid = CAST($1 AS integer) AND wait_event_type = 'Lock'",
                                               parameters: [pid])
                if waiting?.first?.first == "1" { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            _ = try? killer.rows("SELECT CAST(pg_terminate_backend(CAST($1 AS integer)) AS text)", parameters: [pid])
            done.signal()
        }
        let out = GoldenFile.run(&session, "explain clients where assets > 1m and risk = averse")
        done.wait()
        _ = try locker.rows("ROLLBACK")
        #expect(out.hasPrefix("error: lost the connection to postgres://seg@"), "\(out)")
        #expect(out.contains("terminating connection due to administrator command"), "\(out)")
        #expect(out.contains("the next statement reconnects"), "\(out)")
        #expect(!out.contains("step"), "\(out)")
        #expect(GoldenFile.run(&session, "explain clients where assets > 1m") == "step,condition,remaining\n0,clients,12\n1,assets > 1m,5\n")
    }

    @Test func schemaMatchesTheFile() throws {
        let memory = try #require(PG.memoryBook)
        for table in ["book_arrays", "book_text"] {
            let book = try PG.book(table)
            defer { book.close() }
            let db = try #require(book.tables.first)
            #expect(db.rowCount == 20_000)
            #expect(db.columns.map(\.name) == memory.columns.map(\.name))
            #expect(db.columns.map(\.type) == memory.columns.map(\.type), "\(table)")
            for (a, b) in zip(db.columns, memory.columns) {
                if case .category(_, let d1) = a.data, case .category(_, let d2) = b.data { #expect(d1 == d2, "\(a.name)") }
                if case .tags(let t1) = a.data, case .tags(let t2) = b.data { #expect(t1.vocabulary == t2.vocabulary, "\(a.name)") }
                #expect(a.scale == b.scale)
            }
            #expect(book.sqlTables.first?.tagStorage["products"] == (table == "book_arrays" ? .array : .delimited))
        }
    }
}
