import Foundation
import SegTestSupport
import Testing

// Related tables (issue 15) through the real binary: `seg generate --out`, the built-in demo
// book's tables, loading several files, links found by name or declared, a dangling key reported
// as a note (never dropped), a malformed link as a usage error with "did you mean", and
// snapshots and diffs over related conditions.

@Suite("related tables end to end")
struct RelatedTablesEndToEndTests {
    static let related = GoldenFile.root.appendingPathComponent("data/related").path

    func data(_ tables: [String]) -> [String] {
        tables.flatMap { ["--data", "\(Self.related)/\($0).csv"] }
    }

    @Test func generateOutWritesEveryTableAndTheyLoadAsTheDemoBook() throws {
        let dir = try Seg.temporaryDirectory().appendingPathComponent("demo").path
        let r = try Seg.run(["generate", "--rows", "300", "--seed", "5", "--out", dir])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["clients.csv", "contacts.csv", "family.csv", "holdings.csv", "managers.csv"])
        let holdings = try String(contentsOfFile: "\(dir)/holdings.csv", encoding: .utf8)
        #expect(holdings.hasPrefix("client_id,product,kind,risk_level,amount,start,maturity\n"))
        // The plain CSV to standard output is the clients file, unchanged.
        let plain = try Seg.run(["generate", "--rows", "300", "--seed", "5"])
        #expect(try String(contentsOfFile: "\(dir)/clients.csv", encoding: .utf8) == plain.stdout)
        // The files load back to the built-in demo book's answers (default rows and seed).
        let full = try Seg.temporaryDirectory().appendingPathComponent("full").path
        #expect(try Seg.run(["generate", "--out", full]).status == 0)
        let q = ["-c", "clients where has holdings where kind = wealth and maturity in next 14 days count",
                 "-c", "clients where latest contacts.outcome = disconnected by team show count",
                 "-c", "family where is_client = true count"]
        let demo = try Seg.run(["--today", "2026-11-01"] + q)
        let loaded = try Seg.run(["--today", "2026-11-01"]
                                 + ["clients", "holdings", "contacts", "family", "managers"].flatMap { ["--data", "\(full)/\($0).csv"] } + q)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(loaded.stdout == demo.stdout, "\(loaded.stderr)")
        #expect(loaded.stderr.isEmpty, "no dangling keys in generated tables: \(loaded.stderr)")
    }

    @Test func aDanglingKeyIsCountedAndKept() throws {
        let r = try Seg.run(data(["clients", "holdings"]) + ["-c", "holdings count", "-c", "holdings where client.id is empty show product"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "count\n17\n\nproduct\n定期存款3个月\n")
        #expect(r.stderr.contains("note: 1 of 17 holdings rows have a client_id that is in no row of clients.id"), "\(r.stderr)")
    }

    @Test func malformedLinksAreUsageErrors() throws {
        let base = data(["clients", "holdings"])
        let cases: [(String, String)] = [
            ("holdings.client_id", "expected CHILD.FIELD=PARENT.KEY"),
            ("holdings.client_id=clients", "expected CHILD.FIELD=PARENT.KEY"),
            ("holding.client_id=clients.id", "no table 'holding' is loaded (did you mean 'holdings'?)"),
            ("holdings.clientid=clients.id", "table holdings has no field 'clientid' (did you mean 'client_id'?)"),
            ("holdings.client_id=clients.idd", "table clients has no field 'idd' (did you mean 'id'?)"),
            ("clients.id=clients.id", "a table cannot link to itself"),
            ("clients.manager=holdings.client_id", "holdings.client_id holds one value in rows"),
        ]
        for (spec, message) in cases {
            let r = try Seg.run(base + ["--link", spec, "-c", "clients count"])
            #expect(r.status == 64 || r.status == 65, "\(spec): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(message), "\(spec): \(r.stderr)")
        }
        // A declared link where none would be found by name.
        let dir = try Seg.temporaryDirectory()
        let trades = dir.appendingPathComponent("trades.csv").path
        try "cust_no,amount\nC01,5\nC01,7\nC02,1\n".write(toFile: trades, atomically: true, encoding: .utf8)
        let unlinked = try Seg.run(data(["clients"]) + ["--data", trades, "-c", "clients where has trades count"])
        #expect(unlinked.status == 65)
        #expect(unlinked.stderr.contains("'trades' is not linked to clients"), "\(unlinked.stderr)")
        let linked = try Seg.run(data(["clients"]) + ["--data", trades, "--link", "trades.cust_no=clients.id",
                                                      "-c", "clients where sum(trades.amount) > 5 show id"])
        #expect(linked.stdout == "id\nC01\n", "\(linked.stderr)")
    }

    @Test func snapshotsAndDiffsOfRelatedConditions() throws {
        let dir = try Seg.temporaryDirectory()
        let library = dir.appendingPathComponent("segments.seg").path
        let tables = data(["clients", "holdings", "contacts"])
        let save = try Seg.run(tables + ["--segments", library, "--today", "2026-11-10",
                                         "-c", "save due = clients where has holdings where maturity in next 7 days", "-c", "snapshot due"])
        #expect(save.status == 0, "\(save.stderr)")
        let diff = try Seg.run(tables + ["--segments", library, "--today", "2026-11-14", "-c", "diff due"])
        #expect(diff.status == 0, "\(diff.stderr)")
        // C05 (matured 11-10) left; C07 (11-18) entered; C01 (11-13) and C02 (11-16) stayed.
        let lines = diff.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("left,C05") }, "\(diff.stdout)")
        #expect(lines.contains { $0.hasPrefix("entered,C07") }, "\(diff.stdout)")
        #expect(!lines.contains { $0.contains("C01") || $0.contains("C02") }, "\(diff.stdout)")
    }

    @Test func maskedFieldsStayMaskedThroughTheLink() throws {
        let r = try Seg.run(data(["clients", "holdings"]) + ["--mask", "phone,name", "--today", "2026-11-10",
                            "-c", "holdings where product = 稳享理财90天 show client.name, client.phone, product"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("13800000001") && !r.stdout.contains("王伟"), "\(r.stdout)")
        #expect(r.stdout.contains("138****0001"), "\(r.stdout)")
    }

    @Test func helpTellsOfRelatedTables() throws {
        let help = try Seg.run(["--help"])
        #expect(help.stdout.contains("--link"))
        let generate = try Seg.run(["generate", "--help"])
        #expect(generate.stdout.contains("--out"))
        let language = try Seg.run(["help", "language"])
        #expect(language.stdout.contains("RELATED TABLES"))
        #expect(language.stdout.contains("has holdings where kind = wealth"))
        let chinese = try Seg.run(["help", "language", "--lang", "zh"])
        #expect(chinese.stdout.contains("关联表"), "\(chinese.stderr)")
    }

    @Test func theDemoBookListsItsTablesAndLinks() throws {
        let r = try Seg.run(["-c", ".tables"])
        #expect(r.status == 0, "\(r.stderr)")
        for line in ["holdings.client_id → clients.id", "contacts.client_id → clients.id", "family.client_id → clients.id",
                     "clients.manager → managers.manager"] {
            #expect(r.stdout.contains(line), "\(r.stdout)")
        }
        let fields = try Seg.run(["-c", ".fields holdings", "-c", ".fields contacts.outcome"])
        #expect(fields.status == 0, "\(fields.stderr)")
        #expect(fields.stdout.contains("risk_level  category"), "\(fields.stdout)")
        #expect(fields.stdout.contains("outcome: category"), "\(fields.stdout)")
    }
}
