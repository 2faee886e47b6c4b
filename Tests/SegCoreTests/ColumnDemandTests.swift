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

// Which columns a one-shot run reads: every word that may name a column, or nil (all columns)
// when the statements may read any of them.

@Suite("column demand")
struct ColumnDemandTests {
    static let cases: [(String, Set<String>?)] = [
        ("clients where risk=averse and assets>1m count", ["clients", "where", "risk", "averse", "and", "assets", "count"]),
        ("clients by tier show count, sum(assets)", ["clients", "by", "tier", "show", "count", "sum", "assets"]),
        ("clients where name ~ \"Wang\" show phone", ["clients", "where", "name", "wang", "show", "phone"]),
        ("let v = clients where Tier in (vip)\nv count", ["let", "v", "clients", "where", "tier", "in", "vip", "count"]),
        ("clients where assets > 1m limit 3", ["clients", "where", "assets", "limit", "id", "name", ColumnSelection.firstColumn]),
        ("clients where `资产余额(元)` > 1 show `Last Contact`", ["clients", "where", "资产余额(元)", "show", "last contact"]),
        ("clients where tier = vip show all", nil),
        ("snapshot vip", nil),
        ("diff vip", nil),
        ("why C1 in vip", nil),
        ("snapshots vip", nil),
        ("clients where (", nil),
    ]

    @Test(arguments: cases.indices)
    func demand(_ index: Int) {
        let (text, expected) = Self.cases[index]
        #expect(ColumnDemand.names(in: [Source(name: "", text: text)]) == expected, "\(text)")
    }

    @Test func everySourceCountsAndExtraWordsJoin() {
        let names = ColumnDemand.names(in: [Source(name: "", text: "clients count"), Source(name: "lib", text: "let a = clients where City = x")],
                                       extra: ["Loans"])
        #expect(names?.isSuperset(of: ["city", "loans", "count", "a"]) == true)
        #expect(ColumnDemand.names(in: [Source(name: "", text: "clients count"), Source(name: "lib", text: "snapshot a")]) == nil)
    }
}
