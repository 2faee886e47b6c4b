import Foundation
import Testing
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegSQL
import SegIO
import SegEngine
import SegCommands
@testable import SegPostgres
import SegTestSupport

/// A quick start (issue 18): the values of text columns come from a bounded sample or from the
/// cache of an earlier run, and the data settles every value they lack. The answers and messages
/// must be those of a full read, however stale or thin the cache.
///
/// In the PostgreSQL suite, so these run one at a time with its tests: each waits on a semaphore
/// for the database, and two of them at once would hold both threads of a two-core machine's pool
/// that the waited-for tasks need.
extension PostgresTests {
    /// Every golden file the cluster holds data for, from a cache that lacks nearly every value:
    /// the same output, error messages and their "did you mean" included.
    @Test(arguments: PostgresTests.goldenFiles)
    func goldenFileAgreesFromAThinCache(_ name: String) throws {
        let golden = try GoldenFile(path: name)
        let specs = try Self.tableSpecs(golden)
        let folder = try Quick.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let parsed = try PostgresURL.parse(PG.url ?? "", environment: ProcessInfo.processInfo.environment)
        let first = try PostgresBook(url: parsed, tables: specs, quick: QuickStart(cacheFolder: folder))
        first.close()
        try Quick.thinCache(in: folder)
        let book = try PostgresBook(url: parsed, tables: specs, quick: QuickStart(cacheFolder: folder))
        defer { book.close() }
        #expect(book.sampled.values.allSatisfy { $0.fromCache }, "\(name): the cache was not used")
        for (c, actual) in zip(golden.cases, try golden.run(tables: book.tables, backend: book)) {
            #expect(actual == c.expected, "\(name):\(c.line): \(c.statement)")
        }
    }

    /// The generated book (20,000 rows) from a sample of one row and from a thin cache: the same
    /// answers as in memory for every statement of the PostgreSQL suite.
    @Test(arguments: ["book_arrays", "book_text"])
    func bookAgreesFromASample(_ table: String) throws {
        let memory = try #require(PG.memoryBook)
        let full = try PG.book(table)
        full.close()
        let folder = try Quick.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try Quick.quickBook(table, folder: folder)
        // A sample of half the table classifies the columns as the full read does.
        #expect(first.tables[0].columns.map(\.type) == full.tables[0].columns.map(\.type))
        first.close()
        try Quick.thinCache(in: folder)
        let book = try Quick.quickBook(table, folder: folder)
        defer { book.close() }
        #expect(book.sampled["clients"]?.fromCache == true)
        var inMemory = PG.session([memory], backend: MemoryBackend(), format: .csv)
        var inDatabase = PG.session(book.tables, backend: book, format: .csv)
        for statement in PostgresTests.statements + Quick.misspelt {
            let a = GoldenFile.run(&inMemory, statement)
            let b = GoldenFile.run(&inDatabase, statement)
            #expect(a == b, "\(table): \(statement)\nmemory:   \(a.prefix(400))\ndatabase: \(b.prefix(400))")
        }
    }

    /// Miss, then hit; then the table changes under the cache: a value added after the cache was
    /// written is found, one deleted matches nothing, and a misspelt one is refused with the
    /// suggestion a full read gives.
    @Test func cacheMissHitAndStale() throws {
        let probe = "seg_cache_probe"
        let admin = try PG.book("small")
        defer { admin.close() }
        _ = try admin.rows("DROP TABLE IF EXISTS \(probe)")
        _ = try admin.rows("CREATE TABLE \(probe) AS SELECT * FROM small")
        defer { _ = try? admin.rows("DROP TABLE IF EXISTS \(probe)") }
        let folder = try Quick.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let miss = try Quick.quickBook(probe, folder: folder)
        #expect(miss.sampled["clients"]?.fromCache == false)
        miss.close()
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }
        #expect(files.count == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + (files.first ?? ""))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let hit = try Quick.quickBook(probe, folder: folder)
        #expect(hit.sampled["clients"]?.fromCache == true)
        hit.close()

        // Changed after the cache was written: whether or not the statistics show it yet. The thin
        // cache keeps `averse` (the first value), which the table then no longer holds.
        _ = try admin.rows("INSERT INTO \(probe) (id, name, risk, tier, city) VALUES ('N1', 'New', 'speculative', 'vip', '拉萨')")
        _ = try admin.rows("DELETE FROM \(probe) WHERE risk = 'averse'")
        try Quick.thinCache(in: folder)
        let stale = try Quick.quickBook(probe, folder: folder)
        defer { stale.close() }
        var session = PG.session(stale.tables, backend: stale, format: .csv)
        #expect(GoldenFile.run(&session, "clients where risk = speculative count") == "count\n1\n")
        #expect(GoldenFile.run(&session, "clients where city = 拉萨 show id, risk") == "id,risk\nN1,speculative\n")
        // A cache still read as current holds `averse`: no row has it. A cache found out of date
        // (the statistics already count the delete) is read again: `averse` is unknown, as to a full read.
        let averse = GoldenFile.run(&session, "clients where risk = averse count")
        #expect(averse == "count\n0\n" || averse.hasPrefix("error: unknown value 'averse' for field 'risk'"), "\(averse)")
        let growth = try admin.rows("SELECT CAST(COUNT(*) AS text) FROM \(probe) WHERE risk = 'growth'").first?.first ?? nil
        #expect(GoldenFile.run(&session, "clients where risk = growth count") == "count\n\(growth ?? "")\n")
        let wrong = GoldenFile.run(&session, "clients where risk = speculativ count")
        #expect(wrong.contains("unknown value 'speculativ' for field 'risk'") && wrong.contains("did you mean 'speculative'?"), "\(wrong)")
        // The cache learned what the data said: the next run finds the new value in it.
        let next = try JSONDecoder().decode(SchemaCache.self, from: try Data(contentsOf: URL(fileURLWithPath: folder + "/" + (files.first ?? ""))))
        #expect(next.columns["risk"]?.values.contains("speculative") == true)
    }

    /// A value outside a small sample is accepted; a misspelt one gets "did you mean" from every
    /// value of the column, not from the sample's.
    @Test func valueOutsideTheSample() throws {
        let book = try Quick.quickBook("book_text", folder: nil, sampleRows: 20, columns: ["clients", "risk", "city", "products"])
        defer { book.close() }
        let full = try PG.book("book_text")
        defer { full.close() }
        func values(_ b: PostgresBook, _ column: String) -> [String] {
            guard let i = b.tables[0].columnIndex(named: column) else { return [] }
            switch b.tables[0].columns[i].data {
            case .category(_, let d): return d
            case .tags(let t): return t.vocabulary
            default: return []
            }
        }
        let unseenCity = try #require(values(full, "city").first { !values(book, "city").contains($0) }, "the sample saw every city")
        let products = values(book, "products")
        let unseenProduct = values(full, "products").first { !products.contains($0) }
        var quick = PG.session(book.tables, backend: book, format: .csv)
        var exact = PG.session(full.tables, backend: full, format: .csv)
        var statements = ["clients where city = \"\(unseenCity)\" count", "clients where city = \"\(unseenCity)x\" count",
                          "clients where risk in (averse, growth) count", "clients where products has fund count",
                          "clients where products has insurence count"]
        if let unseenProduct { statements.append("clients where products has \(unseenProduct) count") }
        for statement in statements {
            #expect(GoldenFile.run(&quick, statement) == GoldenFile.run(&exact, statement), "\(statement)")
        }
    }
}

enum Quick {
    static func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seg-db-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func quickBook(_ table: String, folder: String?, sampleRows: Int = 10_000, columns: Set<String>? = nil) throws -> PostgresBook {
        let parsed = try PostgresURL.parse(PG.url ?? "", environment: ProcessInfo.processInfo.environment)
        return try PostgresBook(url: parsed, tables: [("clients", table)], columns: columns,
                                quick: QuickStart(cacheFolder: folder, sampleRows: sampleRows))
    }

    /// Keeps the first value (at most) of every cached column, and adds one the table never held:
    /// a cache as stale as it can be while its signature still matches.
    static func thinCache(in folder: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".json") {
            let path = folder + "/" + name
            var cache = try JSONDecoder().decode(SchemaCache.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
            for (column, var entry) in cache.columns {
                entry.values = Array(entry.values.prefix(1)) + (entry.values.isEmpty ? [] : ["zz-gone-\(column)"])
                cache.columns[column] = entry
            }
            cache.write(path)
        }
    }

    static let misspelt = [
        "clients where risk = avers count",
        "clients where products has fnd count",
        "clients where tier in (vip, privat) count",
        "let order risk = averse, balanced",
    ]
}

@Suite("PostgreSQL cache folder")
struct CacheFolderTests {
    /// `SEG_DB_CACHE` names the folder; `off` turns the cache off.
    @Test func cacheFolderFromTheEnvironment() {
        #expect(SchemaCache.folder(environment: ["SEG_DB_CACHE": "/x/y", "HOME": "/h"]) == "/x/y")
        #expect(SchemaCache.folder(environment: ["SEG_DB_CACHE": "off", "HOME": "/h"]) == nil)
        #expect(SchemaCache.folder(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/seg/db-cache")
        #expect(SchemaCache.folder(environment: ["HOME": "/h"]) == "/h/.local/state/seg/db-cache")
    }
}
