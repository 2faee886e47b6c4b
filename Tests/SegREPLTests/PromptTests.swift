#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing

/// The prompt driven as a user would, under a pseudo-terminal. Serialized: each test starts the
/// real binary, and the machine is small.
@Suite(.serialized)
struct PromptTests {
    /// Starts seg and waits for the first prompt.
    func start(history: String, lang: String = "C.UTF-8") throws -> PseudoTerminal {
        let term = try PseudoTerminal(history: history, lang: lang)
        #expect(term.wait(for: "demo book: 10,000 clients · 20 fields · .help for help"), "\(term.screenText)")
        #expect(term.waitForPrompt(after: 0), "no prompt: \(term.screenText)")
        return term
    }

    /// Sends a statement and Enter, and waits for `expected` then the next prompt.
    func run(_ term: PseudoTerminal, _ keys: String, expect expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let mark = term.mark
        term.send(keys)
        guard let end = term.find(expected, after: mark) else {
            Issue.record("expected \(expected): \(term.screenText(after: mark))", sourceLocation: sourceLocation)
            return
        }
        #expect(term.waitForPrompt(after: end), sourceLocation: sourceLocation)
    }

    func quit(_ term: PseudoTerminal, sourceLocation: SourceLocation = #_sourceLocation) {
        term.send("\u{04}")
        #expect(term.waitForExit() == 0, "Ctrl-D should exit 0: \(term.screenText)", sourceLocation: sourceLocation)
    }

    @Test func typesAndEditsChineseText() throws {
        let dir = try Temp.directory()
        let term = try start(history: dir.appendingPathComponent("history").path)
        // 深圳x, Backspace removes the x (one character, not one byte), then the rest.
        term.send("clients where city = 深圳x")
        #expect(term.wait(for: "x", after: term.mark))
        term.send("\u{7f}")
        run(term, " count\r", expect: "2,204")
        quit(term)
    }

    @Test func chineseTypesEvenWithTheCLocale() throws {
        let dir = try Temp.directory()
        let term = try start(history: dir.appendingPathComponent("history").path, lang: "C")
        run(term, "clients where city = 上海 count\r", expect: "1,526")
        quit(term)
    }

    @Test func upRecallsAStatementFromAPreviousSession() throws {
        let dir = try Temp.directory()
        let history = dir.appendingPathComponent("state/seg/history").path
        let first = try start(history: history)
        run(first, "clients where city = 上海 count\r", expect: "1,526")
        run(first, "clients where city = 上海 count\r", expect: "1,526")
        quit(first)

        // Created with mode 0600, with libedit's header.
        var info = stat()
        #expect(stat(history, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let text = try String(contentsOfFile: history, encoding: .utf8)
        #expect(text.hasPrefix("_HiStOrY_V2_\n"))
        // The repeated statement is one entry.
        #expect(text.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 2, "\(text)")

        let second = try start(history: history)
        run(second, "\u{1b}[A\r", expect: "1,526")
        quit(second)
    }

    @Test func tabCompletesFieldsValuesAndSegments() throws {
        let dir = try Temp.directory()
        let term = try start(history: dir.appendingPathComponent("history").path)
        // A field name: ass → assets (and a space).
        term.send("clients where ass")
        #expect(term.wait(for: "ass", after: term.mark))
        var mark = term.mark
        term.send("\t")
        #expect(term.wait(for: "ets", after: mark), "\(term.screenText(after: mark))")
        run(term, "> 5m count\r", expect: "323")

        // A category value: risk=ave → averse.
        term.send("clients where risk=ave")
        #expect(term.wait(for: "ave", after: term.mark))
        mark = term.mark
        term.send("\t")
        #expect(term.wait(for: "rse", after: mark), "\(term.screenText(after: mark))")
        run(term, "count\r", expect: "1,355")

        // A segment defined in this session: vi → vip.
        run(term, "let vip = clients where tier = vip\r", expect: "vip: 913 clients")
        term.send("vi")
        #expect(term.wait(for: "vi", after: term.mark))
        mark = term.mark
        term.send("\t")
        #expect(term.wait(for: "p", after: mark), "\(term.screenText(after: mark))")
        run(term, "count\r", expect: "913")
        quit(term)
    }

    @Test func unfinishedStatementContinuesOnTheNextLine() throws {
        let dir = try Temp.directory()
        let history = dir.appendingPathComponent("history").path
        let term = try start(history: history)
        let mark = term.mark
        term.send("clients where risk = averse and\r")
        #expect(term.wait(for: "..> ", after: mark), "\(term.screenText(after: mark))")
        #expect(term.waitForRawMode())
        run(term, "city = 深圳 count\r", expect: "297")
        quit(term)
        // One history entry for the two lines.
        let text = try String(contentsOfFile: history, encoding: .utf8)
        #expect(text.contains("averse\\040and\\040city"), "\(text)")
    }

    @Test func ctrlCClearsTheLineAndCtrlDExits() throws {
        let dir = try Temp.directory()
        let term = try start(history: dir.appendingPathComponent("history").path)
        term.send("clients where nonsense")
        #expect(term.wait(for: "nonsense", after: term.mark))
        let mark = term.mark
        term.send("\u{03}")
        #expect(term.waitForPrompt(after: mark), "\(term.screenText(after: mark))")
        // Ctrl-C also drops an unfinished statement.
        let before = term.mark
        term.send("clients where\r")
        let continued = term.find("..> ", after: before)
        #expect(continued != nil)
        #expect(term.waitForRawMode())
        term.send("\u{03}")
        #expect(term.waitForPrompt(after: continued ?? before))
        run(term, "clients count\r", expect: "10,000")
        quit(term)
    }

    /// A Ctrl-C sent the moment a key's echo appears lands while libedit is still drawing that
    /// key, not yet waiting for the next one. It used to be seen only at the next key (the
    /// prompt hung about one time in ten); now every one gives a fresh prompt at once.
    @Test func ctrlCRightAfterAKeyIsSeenAtOnce() throws {
        let dir = try Temp.directory()
        let term = try start(history: dir.appendingPathComponent("history").path)
        for round in 0..<300 {
            let typed = "clients where r\(round)"
            let mark = term.mark
            term.send(typed)
            guard let echoed = term.find(typed, after: mark, timeout: 5) else {
                Issue.record("round \(round): no echo: \(term.screenText(after: mark))")
                break
            }
            // One more key, and Ctrl-C right behind it: libedit is still on that key.
            term.send("x")
            term.send("\u{03}")
            guard term.waitForPrompt(after: echoed, timeout: 5) else {
                Issue.record("round \(round): Ctrl-C gave no prompt: \(term.screenText(after: mark))")
                break
            }
        }
        run(term, "clients count\r", expect: "10,000")
        quit(term)
    }

    /// Signals other than Ctrl-C while a line is being typed: window resizes (the new width is
    /// used for the next lines) and Ctrl-Z then SIGCONT, as `fg` sends. The line survives each.
    @Test func resizeAndCtrlZKeepTheLine() throws {
        let dir = try Temp.directory()
        let term = try start(history: dir.appendingPathComponent("history").path)
        term.send("clients where risk = ")
        #expect(term.wait(for: "risk = ", after: term.mark))
        for columns in [40, 60, 40] {
            term.resize(columns: columns)
            #expect(term.waitForRawMode())
        }
        // Ctrl-Z: seg's process group has no shell here, so it is not stopped, and libedit's
        // handler has put the terminal back in its normal mode: seg must take raw mode again.
        term.send("\u{1a}")
        #expect(term.waitUntilIdle())
        #expect(term.waitForRawMode(timeout: 1), "the terminal stayed in its normal mode after Ctrl-Z")
        term.send("aver")
        #expect(term.wait(for: "aver", after: term.mark))
        let mark = term.mark
        kill(term.pid, SIGCONT)
        // SIGCONT redraws the prompt and the line so far.
        #expect(term.wait(for: "seg> clients where risk = aver", after: mark), "\(term.screenText(after: mark))")
        run(term, "se count\r", expect: "1,355")
        #expect(!term.screenText.contains("unknown"), "\(term.screenText)")
        quit(term)
    }

    @Test func ctrlCCancelsARunningStatement() throws {
        let dir = try Temp.directory()
        let term = try start(history: dir.appendingPathComponent("history").path)
        run(term, ".format csv\r", expect: "\n")
        // About 600 KB of CSV: the writer blocks on the terminal (the test stops reading) until Ctrl-C.
        let mark = term.mark
        term.send("clients show id, name, email, phone, city, assets, birthday, opened\r")
        #expect(term.find("C0000001", after: mark) != nil)
        term.send("\u{03}")
        let stopped = term.find("interrupted", after: mark)
        #expect(stopped != nil, "\(term.screenText(after: mark).suffix(300))")
        #expect(term.waitForPrompt(after: stopped ?? mark))
        run(term, "clients count\r", expect: "10000")
        quit(term)
    }

    @Test func pastedTabsAreNotCompletions() throws {
        let dir = try Temp.directory()
        let term = try start(history: dir.appendingPathComponent("history").path)
        // All at once, as a paste: the Tab becomes a space, so 'ass' stays as typed.
        run(term, "clients where ass\t> 5m count\r", expect: "unknown field 'ass'")
        quit(term)
    }

    @Test func aForeignHistoryFileIsNeverOverwritten() throws {
        let dir = try Temp.directory()
        let history = dir.appendingPathComponent("history").path
        let readline = "ls -l\ncd /tmp\n"
        try readline.write(toFile: history, atomically: true, encoding: .utf8)
        let term = try PseudoTerminal(history: history)
        #expect(term.wait(for: "history is kept in memory only"), "\(term.screenText)")
        #expect(term.waitForPrompt(after: 0))
        run(term, "clients count\r", expect: "10,000")
        // In memory, Up still recalls it.
        run(term, "\u{1b}[A\r", expect: "10,000")
        quit(term)
        #expect(try String(contentsOfFile: history, encoding: .utf8) == readline)
    }

    @Test func ctrlRSearchesHistory() throws {
        let dir = try Temp.directory()
        let term = try start(history: dir.appendingPathComponent("history").path)
        run(term, "clients where city = 上海 count\r", expect: "1,526")
        run(term, "clients count\r", expect: "10,000")
        let mark = term.mark
        term.send("\u{12}")
        #expect(term.find("bck:", after: mark) != nil)
        term.send("city")
        #expect(term.find("上海", after: mark) != nil)
        run(term, "\r", expect: "1,526")
        quit(term)
    }
}
