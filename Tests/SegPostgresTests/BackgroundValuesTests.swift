import Foundation
import Testing
import SegBase
import SegStore
import SegSemantics
import SegCommands
import SegREPL
@testable import SegPostgres
import SegTestSupport

/// The prompt reads every value of the sampled columns in the background (issue 18): completion
/// then offers values the start-up sample lacked, and the cache has them for the next start. A
/// failed reading leaves the sample and a working session; a one-shot run does not read at all.
///
/// In the PostgreSQL suite, which runs its tests one at a time (see QuickStartTests).
extension PostgresTests {
    /// Runs `body` on table `name`, a copy of the generated book with one more row at its end whose
    /// city and product no other row has (a sample of the first rows lacks them), with a
    /// connection to change it and an empty cache folder; drops both afterwards.
    static func withLateValues(_ name: String, _ body: (_ admin: PostgresBook, _ folder: String) async throws -> Void) async throws {
        let admin = try PG.book("small")
        defer { admin.close() }
        _ = try admin.rows("DROP TABLE IF EXISTS \(name)")
        _ = try admin.rows("CREATE TABLE \(name) AS SELECT * FROM book_text")
        _ = try admin.rows("INSERT INTO \(name) (id, name, risk, city, products) VALUES ('Z1', 'Late', 'averse', 'zzcity', 'fund;zzproduct')")
        defer { _ = try? admin.rows("DROP TABLE IF EXISTS \(name)") }
        let folder = try Quick.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await body(admin, folder)
    }

    static func offered(_ text: String, _ session: Session) -> [String] {
        Completer.complete(text, catalog: session.catalog).candidates
    }

    @Test func backgroundReadingOffersEveryValue() async throws {
        let probe = "seg_background_probe"
        try await Self.withLateValues(probe) { _, folder in
            let book = try Quick.quickBook(probe, folder: folder, sampleRows: 1_000)
            defer { book.close() }
            var session = PG.session(book.tables, backend: book, format: .csv)
            #expect(Self.offered("clients where city = zz", session).isEmpty)
            let reading = try #require(BackgroundValues(session: session))
            let values = await reading.wait()
            #expect(values.problem == nil)
            #expect(reading.finished == values)
            #expect(values.columns[StoredColumn(table: "clients", column: "city")]?.contains("zzcity") == true)
            session.catalog.take(values)
            #expect(Self.offered("clients where city = zz", session) == ["zzcity"])
            #expect(Self.offered("clients where products has zz", session) == ["zzproduct"])
            #expect(Self.offered("clients where risk in (averse, zz", session).isEmpty)
            #expect(GoldenFile.run(&session, "clients where city = zzcity and products has zzproduct count") == "count\n1\n")
            let misspelt = GoldenFile.run(&session, "clients where city = zzcitty count")
            #expect(misspelt.contains("unknown value 'zzcitty' for field 'city' (did you mean 'zzcity'?)"), "\(misspelt)")

            // The next start finds them in the cache, without reading the table.
            let next = try Quick.quickBook(probe, folder: folder, sampleRows: 1_000)
            defer { next.close() }
            #expect(next.sampled["clients"]?.fromCache == true)
            let restarted = PG.session(next.tables, backend: next, format: .csv)
            #expect(Self.offered("clients where city = zz", restarted) == ["zzcity"])
        }
    }

    /// A reading that fails (here: the table is away while it runs) leaves the sample: statements
    /// still run and are still checked exactly, and the prompt says so only under `.tables`.
    @Test func failedBackgroundReadingLeavesTheSample() async throws {
        let probe = "seg_background_fail"
        try await Self.withLateValues(probe) { admin, _ in
            defer { _ = try? admin.rows("DROP TABLE IF EXISTS \(probe)_away") }
            let book = try Quick.quickBook(probe, folder: nil, sampleRows: 1_000)
            defer { book.close() }
            let screen = Output(.memory), messages = Output(.memory)
            var shell = Shell(session: PG.session(book.tables, backend: book, format: .csv), screen: screen, messages: messages, colorMessages: false)

            _ = try admin.rows("ALTER TABLE \(probe) RENAME TO \(probe)_away")
            shell.backgroundValues = BackgroundValues(session: shell.session)
            let values = try #require(await shell.backgroundValues?.wait())
            _ = try admin.rows("ALTER TABLE \(probe)_away RENAME TO \(probe)")
            #expect(values.columns.isEmpty)
            #expect(values.problem != nil)

            #expect(shell.handle("clients where city = zzcity count") == .proceed)
            #expect(shell.handle("clients where city = zzcitty count") == .proceed)
            #expect(shell.handle(".tables") == .proceed)
            try screen.flush()
            try messages.flush()
            #expect(screen.text.hasPrefix("count\n1\n"), "\(screen.text)")
            #expect(screen.text.contains("values: a sample, as at start-up (reading them all failed: relation \"\(probe)\" does not exist)"),
                    "\(screen.text)")
            #expect(messages.text.contains("unknown value 'zzcitty' for field 'city' (did you mean 'zzcity'?)"), "\(messages.text)")
            #expect(!messages.text.contains("does not exist"), "\(messages.text)")
        }
    }

    /// Closing the prompt stops the reading at once.
    @Test func cancelledBackgroundReadingEnds() async throws {
        let book = try Quick.quickBook("book_text", folder: nil, sampleRows: 100)
        defer { book.close() }
        let reading = try #require(BackgroundValues(session: PG.session(book.tables, backend: book, format: .csv)))
        reading.cancel()
        let values = await reading.wait()
        #expect(values.problem == nil)
    }

    /// A one-shot run reads only what its statement needs: the cache it leaves holds the sample's
    /// values, not every value (which the prompt's reading would have written).
    @Test func oneShotRunReadsNoFullLists() async throws {
        let probe = "seg_background_oneshot"
        try await Self.withLateValues(probe) { _, folder in
            let run = try Seg.run(["--db", PG.url ?? "", "--table", "clients=\(probe)", "-c", "clients where city = 上海 count"],
                                  environment: ["SEG_DB_CACHE": folder])
            #expect(run.status == 0, "\(run.stderr)")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }
            #expect(files.count == 1)
            let cache = try String(contentsOfFile: folder + "/" + (files.first ?? ""), encoding: .utf8)
            #expect(cache.contains("上海") && !cache.contains("zzcity"), "\(cache.prefix(300))")
        }
    }
}
