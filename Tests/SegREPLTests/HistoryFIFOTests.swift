#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing

/// Issue 20: `SEG_HISTORY` naming a FIFO hung the prompt at start (reading it waited for a
/// writer). A history file that is not a regular file is never read or written: a note, and
/// history in memory. `.savebook` onto a FIFO is refused as `--save-book` is (it renamed a
/// regular file over it).
@Suite(.serialized)
struct HistoryFIFOTests {
    @Test func aFIFOAsHistoryIsRefusedWithANote() throws {
        let dir = try Temp.directory().path
        let fifo = dir + "/history"
        #expect(mkfifo(fifo, 0o600) == 0)
        let term = try PseudoTerminal(history: fifo)
        #expect(term.waitForPrompt(after: 0, timeout: 15), "no prompt: \(term.screenText)")
        #expect(term.screenText.contains("note: \(fifo) is not a regular file; history is kept in memory only"), "\(term.screenText)")
        let mark = term.mark
        term.send("clients count\r")
        #expect(term.find("10,000", after: mark) != nil, "\(term.screenText(after: mark))")
        #expect(term.waitForPrompt(after: mark))
        term.send("\u{04}")
        #expect(term.waitForExit() == 0)
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced")
    }

    @Test func saveBookOntoAFIFOIsRefused() throws {
        let dir = try Temp.directory().path
        let fifo = dir + "/book.segbook"
        #expect(mkfifo(fifo, 0o644) == 0)
        let term = try PseudoTerminal(history: dir + "/history")
        #expect(term.waitForPrompt(after: 0), "no prompt: \(term.screenText)")
        let mark = term.mark
        term.send(".savebook \(fifo)\r")
        #expect(term.find("it is a FIFO (named pipe), not a regular file", after: mark) != nil, "\(term.screenText(after: mark))")
        #expect(term.waitForPrompt(after: mark))
        term.send("\u{04}")
        #expect(term.waitForExit() == 0)
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced")
    }
}
