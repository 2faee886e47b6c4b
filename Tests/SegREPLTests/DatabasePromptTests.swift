#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import SegTestSupport

/// The prompt on PostgreSQL (issue 18), under a pseudo-terminal: it starts from a sample of the
/// first rows and reads every value in the background, so Tab soon offers a value that only the
/// table's last row has. Runs when SEG_TEST_DB names a database (scripts/with-postgres).
@Suite(.serialized, .enabled(if: TestDatabase.url != nil))
struct DatabasePromptTests {

    func psql(_ sql: String) throws {
        let run = try Seg.run(executable: "/usr/bin/env", ["psql", TestDatabase.url ?? "", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func tabOffersAValueReadInTheBackground() throws {
        let probe = "seg_prompt_probe"
        try psql("DROP TABLE IF EXISTS \(probe); CREATE TABLE \(probe) AS SELECT * FROM book_text; "
                 + "INSERT INTO \(probe) (id, name, risk, city, products) VALUES ('Z1', 'Late', 'averse', 'zzcity', 'fund;zzproduct')")
        defer { try? psql("DROP TABLE IF EXISTS \(probe)") }
        let dir = try Temp.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache").path
        let term = try PseudoTerminal(arguments: ["--db", TestDatabase.url ?? "", "--table", "clients=\(probe)"],
                                      history: dir.appendingPathComponent("history").path, extra: ["SEG_DB_CACHE": cache])
        #expect(term.wait(for: "20,001 clients"), "\(term.screenText)")
        #expect(term.waitForPrompt(after: 0), "no prompt: \(term.screenText)")

        // The reading writes the cache as it goes; the prompt has it a moment later.
        var written = false
        for _ in 0..<300 where !written {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
            written = files.contains { (try? String(contentsOfFile: cache + "/" + $0, encoding: .utf8))?.contains("zzproduct") == true }
            if !written { usleep(100_000) }
        }
        #expect(written, "the background reading wrote no cache")
        usleep(1_000_000)

        term.send("clients where city = zz")
        #expect(term.wait(for: "zz", after: term.mark))
        var mark = term.mark
        term.send("\t")
        #expect(term.wait(for: "city ", after: mark), "\(term.screenText(after: mark))")
        term.send("and products has zz")
        #expect(term.wait(for: "has zz", after: mark))
        mark = term.mark
        term.send("\t")
        #expect(term.wait(for: "product ", after: mark), "\(term.screenText(after: mark))")
        mark = term.mark
        term.send("show id\r")
        #expect(term.wait(for: "Z1", after: mark), "\(term.screenText(after: mark))")
        #expect(term.waitForPrompt(after: mark))
        #expect(!term.screenText(after: mark).contains("error"), "\(term.screenText(after: mark))")
        term.send("\u{04}")
        #expect(term.waitForExit() == 0, "Ctrl-D should exit 0: \(term.screenText)")
    }
}

enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["SEG_TEST_DB"].flatMap { $0.isEmpty ? nil : $0 }
}
