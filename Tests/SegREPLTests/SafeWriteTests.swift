#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing

/// The files the prompt writes (history, `.output` exports) are replaced atomically: a fault
/// injected at the write, the fsync or the rename (`SEG_TEST_FAIL`) leaves the previous file byte
/// for byte, and an export appears only when it is closed. Serialized: each test starts the real
/// binary under a pseudo-terminal, and the machine is small.
@Suite(.serialized)
struct SafeWriteTests {
    static let faults = ["write", "fsync", "rename"]

    func start(history: String, extra: [String: String] = [:]) throws -> PseudoTerminal {
        let term = try PseudoTerminal(history: history, extra: extra)
        #expect(term.waitForPrompt(after: 0), "no prompt: \(term.screenText)")
        return term
    }

    /// Sends `keys`, waits for `expected` (if any) and the next prompt.
    func run(_ term: PseudoTerminal, _ keys: String, expect expected: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        let mark = term.mark
        term.send(keys)
        if expected.isEmpty {
            #expect(term.waitForPrompt(after: mark), "\(term.screenText(after: mark))", sourceLocation: sourceLocation)
            return
        }
        guard let end = term.find(expected, after: mark) else {
            Issue.record("expected \(expected): \(term.screenText(after: mark))", sourceLocation: sourceLocation)
            return
        }
        #expect(term.waitForPrompt(after: end), sourceLocation: sourceLocation)
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    /// Puts `text` at `path` with `mode`, as a previous session left it; returns its bytes.
    func previousFile(_ path: String, _ text: String = "an earlier export\n", mode: mode_t = 0o600) throws -> Data {
        let data = Data(text.utf8)
        try data.write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
        return data
    }

    func leftovers(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(".seg-tmp-") }
    }

    // MARK: - History

    @Test(arguments: faults)
    func aFaultSavingHistoryKeepsThePreviousFile(_ fault: String) throws {
        let dir = try Temp.directory().path
        let history = dir + "/history"
        let previous = try previousFile(history, "_HiStOrY_V2_\nclients\\040where\\040age\\040<\\04030\\040count\n")
        let term = try start(history: history, extra: ["SEG_TEST_FAIL": fault])
        let mark = term.mark
        run(term, "clients where city = 上海 count\r", expect: "1,526")
        let said = term.screenText(after: mark)
        #expect(said.contains("note: \(fault == "rename" ? "cannot replace" : "cannot write") '\(history)'"), "\(said)")
        #expect(said.contains("history is kept in memory only"), "\(said)")
        // The prompt goes on, and history works in memory: Up recalls the statement.
        run(term, "clients count\r", expect: "10,000")
        run(term, "\u{1b}[A\u{1b}[A\r", expect: "1,526")
        term.send("\u{04}")
        #expect(term.waitForExit() == 0, "\(term.screenText)")
        #expect(bytes(history) == previous, "\(fault): the history file changed")
        #expect(mode(history) == 0o600)
        #expect(leftovers(dir).isEmpty, "\(leftovers(dir))")
    }

    @Test(arguments: faults)
    func aFaultCreatingHistoryCreatesNothing(_ fault: String) throws {
        let dir = try Temp.directory().path
        let history = dir + "/state/history"
        let term = try start(history: history, extra: ["SEG_TEST_FAIL": fault])
        run(term, "clients count\r", expect: "history is kept in memory only")
        term.send("\u{04}")
        #expect(term.waitForExit() == 0, "\(term.screenText)")
        #expect(!FileManager.default.fileExists(atPath: history))
        #expect(leftovers(dir + "/state").isEmpty)
    }

    // MARK: - .output

    /// `.output FILE`: FILE appears only when the export is closed, complete, mode 0600; another
    /// `.output` and Ctrl-D close it too; a big export (many buffer flushes) arrives whole.
    @Test func outputAppearsWhenClosedAndComplete() throws {
        let dir = try Temp.directory().path
        let out = dir + "/out.csv", other = dir + "/other.csv"
        let term = try start(history: dir + "/history")
        run(term, ".format csv\r")
        run(term, ".output \(out)\r")
        run(term, "clients where city = 上海 count\r")
        // Open: only the temporary file (0600) exists.
        #expect(!FileManager.default.fileExists(atPath: out))
        let temps = leftovers(dir)
        #expect(temps.count == 1 && temps[0].hasPrefix(".out.csv.seg-tmp-"), "\(temps)")
        if let temp = temps.first { #expect(mode(dir + "/" + temp) == 0o600) }
        run(term, ".output\r")
        // A file named .csv starts with a byte order mark, for Excel.
        #expect(String(decoding: bytes(out) ?? Data(), as: UTF8.self) == "\u{FEFF}count\n1526\n")
        #expect(mode(out) == 0o600)
        #expect(leftovers(dir).isEmpty)

        // Another .output closes the first; the whole book is about 1 MB: 17 buffer flushes.
        run(term, ".output \(other)\r")
        run(term, "clients\r")
        run(term, ".output! \(out)\r")  // it exists: replace without asking
        let book = String(decoding: bytes(other) ?? Data(), as: UTF8.self)
        #expect(book.split(separator: "\n", omittingEmptySubsequences: false).count == 10_002)
        #expect(book.hasSuffix("\n"))
        #expect(String(decoding: bytes(out) ?? Data(), as: UTF8.self) == "\u{FEFF}count\n1526\n", "replaced only when closed")
        run(term, "clients count\r")
        term.send("\u{04}")
        #expect(term.waitForExit() == 0, "\(term.screenText)")
        // Ctrl-D closed it.
        #expect(String(decoding: bytes(out) ?? Data(), as: UTF8.self) == "\u{FEFF}count\n10000\n")
        #expect(leftovers(dir).isEmpty)
    }

    /// A fault at the write, fsync or rename of an export: the previous file stays byte for byte
    /// (mode too), the error names the file, results go back to the screen.
    @Test(arguments: faults)
    func aFaultInAnExportKeepsThePreviousFile(_ fault: String) throws {
        let dir = try Temp.directory().path
        let out = dir + "/out.csv"
        let previous = try previousFile(out, mode: 0o640)
        let term = try start(history: dir + "/history", extra: ["SEG_TEST_FAIL": fault])
        run(term, ".output! \(out)\r")  // it exists: replace without asking
        let mark = term.mark
        // A write fails at the statement; fsync and rename when the export is closed.
        let failing = fault == "write" ? "clients where city = 上海 count\r" : ".output\r"
        if fault != "write" { run(term, "clients where city = 上海 count\r") }
        run(term, failing, expect: "'\(out)' is unchanged")
        let said = term.screenText(after: mark)
        #expect(said.contains("error: \(fault == "rename" ? "cannot replace" : "cannot write") '\(out)'"), "\(said)")
        // Back on the screen.
        run(term, "clients count\r", expect: "10,000")
        term.send("\u{04}")
        #expect(term.waitForExit() == 0, "\(term.screenText)")
        #expect(bytes(out) == previous, "\(fault): the export changed")
        #expect(mode(out) == 0o640)
        #expect(leftovers(dir).isEmpty, "\(leftovers(dir))")
    }

    /// The session ends with the export open and its rename fails: the error names the file and
    /// seg exits 74.
    @Test func aFaultClosingTheExportAtTheEndIsAnError() throws {
        let dir = try Temp.directory().path
        let out = dir + "/out.csv"
        let previous = try previousFile(out)
        let term = try start(history: dir + "/history", extra: ["SEG_TEST_FAIL": "rename"])
        run(term, ".output! \(out)\r")  // it exists: replace without asking
        run(term, "clients count\r")
        let mark = term.mark
        term.send("\u{04}")
        #expect(term.waitForExit() == 74, "\(term.screenText)")
        #expect(term.screenText(after: mark).contains("cannot replace '\(out)'"), "\(term.screenText(after: mark))")
        #expect(bytes(out) == previous)
        #expect(leftovers(dir).isEmpty)
    }

    /// seg killed with an export open: FILE is untouched; only the temporary file is left.
    @Test func killedWithAnExportOpenLeavesTheFileIntact() throws {
        let dir = try Temp.directory().path
        let out = dir + "/out.csv"
        let previous = try previousFile(out)
        let term = try start(history: dir + "/history")
        run(term, ".output! \(out)\r")  // it exists: replace without asking
        run(term, "clients\r")
        kill(term.pid, SIGKILL)
        #expect(term.waitForExit() == nil)
        #expect(bytes(out) == previous)
        #expect(leftovers(dir).count == 1)
    }
}
