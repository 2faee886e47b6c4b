import Foundation
import Testing
@testable import SegBase
@testable import SegStore
@testable import SegSyntax
@testable import SegSemantics
@testable import SegIO
@testable import SegEngine
@testable import SegCommands

// The call plan inside a session: `rule` statements at the prompt and in scripts, and the lists
// they give (the binary's `seg plan` and `seg kpi` are tested end to end in PlanEndToEndTests).

@Suite("call plan in a session")
struct PlanSessionTests {
    static func session(interactive: Bool = false) -> Session {
        let options = SessionOptions(today: CivilDate.parse("2026-11-15") ?? 0, writer: WriterOptions(format: .csv), interactive: interactive)
        return Session(tables: [DemoBook.table(rows: 200)], options: options)
    }

    /// At the prompt a rule says how many clients it finds, as `let` does for a segment.
    @Test func ruleAtThePromptSaysItsSize() throws {
        var session = Self.session(interactive: true)
        let out = Output(.memory)
        try session.run(Source(name: "", text: "rule vip priority 1 reason \"贵宾\" where tier = vip"), output: out)
        var plain = Self.session()
        let counted = Output(.memory)
        try plain.run(Source(name: "", text: "clients where tier = vip count"), output: counted)
        let count = Int(counted.text.split(separator: "\n").last ?? "") ?? -1
        #expect(out.text == "rule vip: \(count) clients today\n")
        #expect(count > 0)
    }

    /// Each client once, in the list of their manager, with every reason; a rule defined twice is refused.
    @Test func listsFromSessionRules() throws {
        var session = Self.session()
        try session.run(Source(name: "", text: """
            rule rich priority 2 reason "大客户" where assets > 1m
            rule vip priority 1 reason "贵宾" where tier in (vip, private)
            """), output: Output(.memory))
        let plan = try session.callLists(show: "id, tier, assets")
        let all = plan.all
        let reasons = CellText.Reader(all.columns[all.columns.count - 1])
        let tiers = CellText.Reader(all.columns[2])
        let ids = CellText.Reader(all.columns[1])
        var seen = Set<String>()
        for r in 0..<all.rowCount {
            let id = ids.plain(r) ?? ""
            #expect(seen.insert(id).inserted, "\(id) listed twice")
            let vip = ["vip", "private"].contains(tiers.plain(r) ?? "")
            #expect((reasons.plain(r) ?? "").hasPrefix(vip ? "贵宾" : "大客户"))
        }
        #expect(plan.lists.reduce(0) { $0 + $1.result.rowCount } == all.rowCount)
        let twice = #expect(throws: SegError.self) {
            try session.run(Source(name: "", text: "rule VIP priority 3 reason \"x\" where tier = mass"), output: Output(.memory))
        }
        #expect(twice?.diagnostic.text(in: .english).hasPrefix("rule 'VIP' is defined twice") == true)
    }
}
