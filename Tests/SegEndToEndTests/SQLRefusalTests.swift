import Foundation
import Testing
import SegTestSupport

/// `seg sql` translates every query the language has; a statement that is not a query is refused
/// with its word and the reason (issue 18), in English and in Chinese.
@Suite("seg sql refusals")
struct SQLRefusalTests {
    @Test(arguments: [
        ("save vip = clients where tier = vip", "'save' does not translate to SQL: it changes the segment library"),
        ("segments", "'segments' does not translate to SQL: it lists what seg keeps beside the library"),
        ("diff vip", "'diff' does not translate to SQL: it reads or writes snapshot files"),
        ("explain clients where tier = vip", "'explain' does not translate to SQL: it runs several queries"),
        ("why C0000001 in vip", "'why' does not translate to SQL: it runs several queries"),
        (".fields", "'.fields' does not translate to SQL: it is a command of the prompt"),
        ("clients histogram assets", "'histogram' does not translate to SQL: seg counts a histogram's bins itself"),
        ("rule call priority 1 reason \"x\" where tier = vip", "'rule' does not translate to SQL: it changes the segment library"),
    ])
    func commandsSayWhy(_ statement: String, _ message: String) throws {
        let r = try Seg.run(["sql", "let vip = clients where tier = vip", statement])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains(message) && r.stderr.contains("run it in seg"), "\(r.stderr)")
    }

    @Test func chinese() throws {
        let r = try Seg.run(["sql", "--lang", "zh", "explain clients where tier = vip"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("'explain' 无法翻译成 SQL：它运行多条查询并汇报结果"), "\(r.stderr)")
    }
}
