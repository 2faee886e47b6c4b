import Foundation
import SegTestSupport
import Testing

// Derived fields and classifications through the real binary: saved in the library like segments,
// used by the next process, refused where they would break the library or hide a stored field.

@Suite("derived fields end to end")
struct DerivedFieldsEndToEndTests {
    func text(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }

    static let tiers = "let field aum_tier = 私行 when assets >= 600万, 财富 when assets >= 60万, 贵宾 when assets >= 5万, else 大众"

    @Test func savedFieldsServeTheNextProcess() throws {
        let dir = try Seg.temporaryDirectory().path
        let save = try Seg.run(["-c", "let field net = assets - loans", "-c", Self.tiers, "-c", "save net", "-c", "save aum_tier",
                                "-c", "save rich = clients where net > 5m and aum_tier >= 私行"], directory: dir)
        #expect(save.status == 0, "\(save.stderr)")
        let library = text(dir + "/segments.seg")
        #expect(library.contains("\nlet field net = assets - loans\n"))
        #expect(library.contains("\n" + Self.tiers + "\n"))

        let use = try Seg.run(["-c", "rich count", "-c", "clients where assets - loans > 5m and assets >= 6m count",
                               "-c", "clients by aum_tier show count"], directory: dir)
        #expect(use.status == 0, "\(use.stderr)")
        let lines = use.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 9 && lines[1] == lines[3], "\(lines)")
        // Groups in the order the rules are written.
        #expect(lines.suffix(4).map { String($0.split(separator: ",")[0]) } == ["私行", "财富", "贵宾", "大众"])
    }

    @Test func theLibraryStaysWhole() throws {
        let dir = try Seg.temporaryDirectory().path
        // A segment cannot be saved before the field it uses.
        let early = try Seg.run(["-c", "let field net = assets - loans", "-c", "save rich = clients where net > 5m"], directory: dir)
        #expect(early.status == 65)
        #expect(early.stderr.contains("'rich' uses the derived field 'net', which is not saved; save 'net' first"), "\(early.stderr)")
        #expect(!text(dir + "/segments.seg").contains("let rich"))

        let saved = try Seg.run(["-c", "let field net = assets - loans", "-c", "save net", "-c", "save rich = clients where net > 5m"],
                                directory: dir)
        #expect(saved.status == 0, "\(saved.stderr)")
        // Nor dropped while a saved segment uses it.
        let before = text(dir + "/segments.seg")
        let drop = try Seg.run(["-c", "drop net"], directory: dir)
        #expect(drop.status == 65)
        #expect(drop.stderr.contains("cannot drop field 'net': 'rich' uses it"), "\(drop.stderr)")
        #expect(text(dir + "/segments.seg") == before)
        let dropBoth = try Seg.run(["-c", "drop rich", "-c", "drop net", "-c", "clients where net > 1 count"], directory: dir)
        #expect(dropBoth.status == 65)
        #expect(dropBoth.stderr.contains("unknown field 'net'"), "\(dropBoth.stderr)")
        #expect(!text(dir + "/segments.seg").contains("net"))
    }

    @Test func aLibraryFieldNamedLikeAStoredOneIsAnErrorAtItsLine() throws {
        let dir = try Seg.temporaryDirectory().path
        try "-- ours\nlet field assets = deposits + loans\n".write(toFile: dir + "/segments.seg", atomically: true, encoding: .utf8)
        let r = try Seg.run(["-c", "clients count"], directory: dir)
        #expect(r.status == 65)
        #expect(r.stderr.contains("'assets' is already a field of 'clients'"), "\(r.stderr)")
        #expect(r.stderr.contains("segments.seg:2:"), "\(r.stderr)")
    }

    @Test func whyExplainAndSnapshotsSeeDerivedFields() throws {
        let dir = try Seg.temporaryDirectory().path
        let r = try Seg.run(["--today", "2026-12-03", "-c", "let field net = assets - loans", "-c", Self.tiers,
                             "-c", "explain clients where net > 5m and aum_tier >= 私行",
                             "-c", "let top = clients where net > 5m and aum_tier >= 私行", "-c", "why C0000008 in top"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1,net > 5m,315\n2,aum_tier >= 私行,277\n"), "\(r.stdout)")
        #expect(r.stdout.contains("aum_tier >= 私行,aum_tier = 私行,✓"), "\(r.stdout)")
        let snap = try Seg.run(["--today", "2026-12-03", "-c", "let field net = assets - loans", "-c", "save net",
                                "-c", "save rich = clients where net > 5m", "-c", "snapshot rich", "-c", "diff rich"], directory: dir)
        #expect(snap.status == 0, "\(snap.stderr)")
        #expect(snap.stdout == "change,id,name,details\n", "\(snap.stdout)")
    }

    @Test func sqlOfAClassification() throws {
        let r = try Seg.run(["sql", "--dialect", "duckdb", "let field size = small when assets < 5万, else large; clients by size"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("CASE WHEN \"clients\".\"assets\" < 50000.00 THEN 'small' WHEN (\"clients\".\"assets\" < 50000.00) IS NULL THEN NULL ELSE 'large' END"), "\(r.stdout)")
        #expect(r.stdout.contains("WHEN 'small' THEN 0 WHEN 'large' THEN 1 END) ASC NULLS LAST"), "\(r.stdout)")
    }
}
