import Foundation
import SegTestSupport
import Testing

// Ordered categories for stored fields through the real binary: `--order` on the command line,
// `let order` kept in the library for the next process, and the errors with their carets.

@Suite("ordered fields end to end")
struct OrdersEndToEndTests {
    static let order = "--order=risk=averse,conservative,balanced,growth,aggressive"

    @Test func orderFromTheCommandLineRanksGroupsSortsAndComparisons() throws {
        let r = try Seg.run([Self.order, "-c", "clients by risk show count", "-c", "clients where risk >= balanced count",
                             "-c", "clients where risk in (balanced, growth, aggressive) count",
                             "-c", "clients sort by risk desc, id limit 1 show risk"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.prefix(6).dropFirst().map { String($0.split(separator: ",")[0]) }
                == ["averse", "conservative", "balanced", "growth", "aggressive"], "\(lines)")
        // `>= balanced` is the three highest values, not the ones spelled after 'balanced'.
        #expect(lines[7] == lines[9], "\(lines)")
        #expect(lines.last == "aggressive", "\(lines)")
        // The SQL ranks the same way.
        let sql = try Seg.run(["sql", "--dialect", "sqlite", Self.order, "clients sort by risk show id"])
        #expect(sql.status == 0, "\(sql.stderr)")
        #expect(sql.stdout.contains("ORDER BY (CASE \"clients\".\"risk\" WHEN 'averse' THEN 0 WHEN 'conservative' THEN 1"), "\(sql.stdout)")
    }

    /// The suitability example of `seg help language` and the README runs as shown, on a holdings fixture.
    @Test func theHelpsSuitabilityExampleRuns() throws {
        let statements = ["let order risk_level = C1, C2, C3, C4, C5", "let order product_risk = R1, R2, R3, R4, R5",
                          "holdings where product_risk > risk_level"]
        let help = try Seg.run(["help", "language"])
        for s in statements { #expect(help.stdout.contains(s), "help lacks \(s)") }
        let usage = try Seg.run(["--help"])
        #expect(usage.stdout.contains("--order"))
        let fixture = GoldenFile.root.appendingPathComponent("data/suitability.csv").path
        let r = try Seg.run(["--data", "holdings=" + fixture] + statements.prefix(2).flatMap { ["-c", $0] }
                            + ["-c", statements[2] + " show id, risk_level, product_risk"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "id,risk_level,product_risk\nS3,C2,R4\n", "\(r.stdout)")
    }

    @Test func badOrdersAreUsageErrorsWithACaret() throws {
        let typo = try Seg.run(["--order", "risk=averse,conservative,balanced,growth,agressive", "-c", "clients count"])
        #expect(typo.status == 65)
        #expect(typo.stdout.isEmpty)
        #expect(typo.stderr == """
            error: unknown value 'agressive' for field 'risk' (did you mean 'aggressive'?)
              --> --order:1:42
             1 | risk=averse,conservative,balanced,growth,agressive
               |                                          ^^^^^^^^^

            """, "\(typo.stderr)")
        let short = try Seg.run(["--order", "risk=averse,conservative,balanced", "-c", "clients count"])
        #expect(short.status == 65)
        #expect(short.stderr.contains("the order of 'risk' leaves out its values 'aggressive', 'growth'; list every value of the field, lowest first"),
                "\(short.stderr)")
        let field = try Seg.run(["--order", "rsk=averse", "-c", "clients count"])
        #expect(field.stderr.contains("unknown field 'rsk' (did you mean 'risk'?)"), "\(field.stderr)")
        let number = try Seg.run(["--order", "assets=low,high", "-c", "clients count"])
        #expect(number.stderr.contains("'assets' is a decimal field; --order and 'let order' list the values of a category field"), "\(number.stderr)")
        let chinese = try Seg.run(["--lang", "zh", "--order", "risk=averse,averse", "-c", "clients count"])
        #expect(chinese.stderr.contains("错误：'risk' 的顺序中值 'averse' 出现了两次；每个值只写一次，从低到高"), "\(chinese.stderr)")
    }

    @Test func aSavedOrderServesTheNextProcessUntilDropped() throws {
        let dir = try Seg.temporaryDirectory().path
        let save = try Seg.run(["-c", "let order risk = averse, conservative, balanced, growth, aggressive", "-c", "save risk"], directory: dir)
        #expect(save.status == 0, "\(save.stderr)")
        let library = String(decoding: FileManager.default.contents(atPath: dir + "/segments.seg") ?? Data(), as: UTF8.self)
        #expect(library.contains("\nlet order risk = averse, conservative, balanced, growth, aggressive\n"), "\(library)")
        let use = try Seg.run(["-c", "clients where risk > growth by risk show count"], directory: dir)
        #expect(use.stdout == "risk,count\naggressive,934\n", "\(use.stdout) \(use.stderr)")
        let drop = try Seg.run(["-c", "drop risk"], directory: dir)
        #expect(drop.status == 0, "\(drop.stderr)")
        let after = try Seg.run(["-c", "clients by risk show count"], directory: dir)
        #expect(after.stdout.split(separator: "\n").dropFirst().first?.hasPrefix("aggressive") == true, "\(after.stdout)")
    }
}
