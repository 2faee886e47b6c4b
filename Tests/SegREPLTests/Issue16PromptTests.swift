#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing

/// Issue 16 at the prompt: a continuation line gives a hint and Up recalls the statement above;
/// replacing a file asks; Chinese with a Chinese locale. (In the serialized prompt suite.)
extension PromptTests {
    @Test func aContinuationLineHintsAndUpRecallsTheStatementAbove() throws {
        let term = try start(history: try Temp.directory().appendingPathComponent("history").path)
        run(term, "clients where risk = averse count\r", expect: "1,355")
        run(term, "and age > 40\r", expect: "press Up to recall the statement above and add 'and …' to it")
        let mark = term.mark
        term.send("\u{1b}[A")
        #expect(term.wait(for: "clients where risk = averse count", after: mark), "\(term.screenText(after: mark))")
        // The recalled statement runs again as it was.
        run(term, "\r", expect: "1,355")
        term.send("\u{04}")
        #expect(term.waitForExit() == 0)
    }

    @Test func replacingAFileAsks() throws {
        let dir = try Temp.directory()
        let out = dir.appendingPathComponent("out.csv").path
        try "old\n".write(toFile: out, atomically: true, encoding: .utf8)
        let term = try start(history: dir.appendingPathComponent("history").path)
        var mark = term.mark
        term.send(".output \(out)\r")
        #expect(term.wait(for: "exists; replace it? [y/N]", after: mark), "\(term.screenText(after: mark))")
        run(term, "n\r", expect: "kept; results go to the screen")
        run(term, "clients where city = 上海 count\r", expect: "1,526")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "old\n")
        mark = term.mark
        term.send(".output \(out)\r")
        #expect(term.wait(for: "replace it? [y/N]", after: mark), "\(term.screenText(after: mark))")
        mark = term.mark
        term.send("y\r")
        #expect(term.waitForPrompt(after: mark))
        mark = term.mark
        term.send("clients where city = 上海 count\r")
        #expect(term.waitForPrompt(after: mark))
        mark = term.mark
        term.send(".output\r")
        #expect(term.waitForPrompt(after: mark))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "count\n1526\n")
        term.send("\u{04}")
        #expect(term.waitForExit() == 0)
    }

    @Test func chineseWithAChineseLocale() throws {
        let term = try PseudoTerminal(history: try Temp.directory().appendingPathComponent("history").path, lang: "zh_CN.UTF-8")
        #expect(term.wait(for: "10,000 位客户 · 20 个字段 · 输入 .help 查看帮助"), "\(term.screenText)")
        #expect(term.waitForPrompt(after: 0), "no prompt: \(term.screenText)")
        run(term, "clients where city = 深证 count\r", expect: "字段 'city' 没有值 '深证'（您是不是想写 '深圳'？）")
        run(term, "clients where city = 深圳 limit 2 show id\r", expect: "显示 2 / 共 2,204 位客户")
        run(term, ".help\r", expect: "在所有输出中脱敏")
        term.send("\u{04}")
        #expect(term.waitForExit() == 0)
    }
}
