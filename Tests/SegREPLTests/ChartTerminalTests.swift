#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import SegBase
import Testing

/// Issue 17 on a real terminal: `seg -c '… chart'` draws to the terminal's width (100 columns
/// here), a Chinese label counting two cells. (In the serialized prompt suite.)
extension PromptTests {
    @Test func aChartFillsTheTerminalsWidth() throws {
        let term = try PseudoTerminal(arguments: ["-c", "clients by city chart"],
                                      history: try Temp.directory().appendingPathComponent("history").path, extra: ["NO_COLOR": "1"])
        #expect(term.waitForExit() == 0)
        let lines = term.screenText.split(separator: "\n").map { $0.replacingOccurrences(of: "\r", with: "") }
        let bars = lines.filter { $0.contains("█") }
        #expect(bars.count == 8, "\(term.screenText)")
        #expect(bars.allSatisfy { DisplayWidth.of($0) <= 100 }, "\(bars)")
        // The longest bar (深圳, 2,204 clients) ends at the last column.
        #expect(bars.contains { $0.contains("深圳") && DisplayWidth.of($0) == 100 }, "\(bars)")
    }
}
