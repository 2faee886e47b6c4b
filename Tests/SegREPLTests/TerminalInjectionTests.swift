#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing

/// Issue 20: client data must not reach a terminal raw, whatever the format. A book whose cells
/// and header hold an OSC title sequence, a screen clear and U+202E (bidi override) is written to
/// a pseudo-terminal in every format, one-shot and at the prompt; the transcript's raw bytes must
/// not contain them. Redirected to a file, the same export keeps the bytes exactly.
@Suite(.serialized)
struct TerminalInjectionTests {
    static let osc: [UInt8] = [0x1B, 0x5D, 0x30, 0x3B]  // ESC ] 0 ;  (set the window title)
    static let clear: [UInt8] = [0x1B, 0x5B, 0x32, 0x4A]  // ESC [ 2 J
    static let override: [UInt8] = [0xE2, 0x80, 0xAE]  // U+202E

    static func book() throws -> String {
        let dir = try Temp.directory().path
        let path = dir + "/evil.csv"
        let csv = "id,\"\u{1B}]0;header\u{07}\",name\nC1,1,\"\u{202E}gnp.exe\u{1B}]0;pwned\u{07}\"\nC2,2,\"\u{1B}[2Jclear\"\n"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        PseudoTerminal.search(needle, in: haystack, from: 0) != nil
    }

    static func expectClean(_ transcript: [UInt8], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!contains(transcript, osc), "\(what): OSC sequence reached the terminal", sourceLocation: sourceLocation)
        #expect(!contains(transcript, clear), "\(what): ESC[2J reached the terminal", sourceLocation: sourceLocation)
        #expect(!contains(transcript, override), "\(what): U+202E reached the terminal", sourceLocation: sourceLocation)
    }

    @Test(arguments: ["csv", "tsv", "table", "markdown", "json", "jsonl"])
    func oneShotOutputToATerminalIsSanitized(_ format: String) throws {
        let book = try Self.book()
        let dir = try Temp.directory().path
        let term = try PseudoTerminal(arguments: ["--data", book, "--format", format, "-c", "clients show all"],
                                      history: dir + "/history")
        #expect(term.waitForExit() == 0, "\(term.screenText)")
        #expect(term.screenText.contains("gnp.exe"), "\(term.screenText)")
        Self.expectClean(term.transcript, format)
    }

    /// Messages built from file data: a duplicate header named with an OSC sequence changed the
    /// terminal's title. (A repeated name is now renamed with a note, which names it too.)
    @Test func messagesFromFileDataAreSanitized() throws {
        let dir = try Temp.directory().path
        let path = dir + "/dup.csv"
        try "id,\"\u{1B}]0;pwned\u{07}\",\"\u{1B}]0;pwned\u{07}\"\n1,2,3\n".write(toFile: path, atomically: true, encoding: .utf8)
        let term = try PseudoTerminal(arguments: ["--data", path, "-c", "clients count"], history: dir + "/history")
        #expect(term.waitForExit() == 0)
        #expect(term.screenText.contains("repeats the name"), "\(term.screenText)")
        Self.expectClean(term.transcript, "duplicate header message")
    }

    /// At the prompt, results on the screen are sanitized in csv too; `.output FILE` gets the bytes.
    @Test func promptSanitizesTheScreenButNotExports() throws {
        let book = try Self.book()
        let dir = try Temp.directory().path
        let term = try PseudoTerminal(arguments: ["--data", book], history: dir + "/history")
        #expect(term.waitForPrompt(after: 0), "\(term.screenText)")
        var mark = term.mark
        term.send(".format csv\r")
        #expect(term.waitForPrompt(after: mark))
        mark = term.mark
        term.send("clients show all\r")
        #expect(term.find("clear", after: mark) != nil, "\(term.screenText(after: mark))")
        #expect(term.waitForPrompt(after: mark))
        mark = term.mark
        term.send(".fields\r")
        #expect(term.waitForPrompt(after: mark))
        let export = dir + "/out.csv"
        mark = term.mark
        term.send(".output \(export)\r")
        #expect(term.waitForPrompt(after: mark))
        mark = term.mark
        term.send("clients show all\r")
        #expect(term.waitForPrompt(after: mark))
        mark = term.mark
        term.send(".output\r")
        #expect(term.waitForPrompt(after: mark))
        term.send("\u{04}")
        #expect(term.waitForExit() == 0)
        Self.expectClean(term.transcript, "prompt")
        let written = [UInt8](FileManager.default.contents(atPath: export) ?? Data())
        #expect(Self.contains(written, Self.osc) && Self.contains(written, Self.override), "the export keeps the data as it is")
    }
}
