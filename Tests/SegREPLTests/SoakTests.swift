#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import SegTestSupport
import Testing

/// A soak test of the prompt (issue 19): random statements typed under a pseudo-terminal —
/// answers, errors, unfinished lines, long listings, dot-commands, history recall, completion —
/// with Ctrl-C at random moments (while typing, right after Enter, while a statement runs or
/// prints, at an idle prompt). After every step a fresh prompt must come back (no hang, no lost
/// terminal); at the end Ctrl-D must exit 0 and leave the terminal in line mode with echo on.
///
///   SEG_SOAK=N       statements to type (default 300, about half a minute; 10,000 for the full run)
///   SEG_SOAK_SEED=S  the random seed (default 1); a failure prints it with the last screen
///   SEG_SOAK_TRANSCRIPT=FILE  write the whole screen text there at the end
@Suite(.serialized)
struct SoakTests {
    static let statements = ProcessInfo.processInfo.environment["SEG_SOAK"].flatMap { Int($0) } ?? 300
    static let seed = ProcessInfo.processInfo.environment["SEG_SOAK_SEED"].flatMap { UInt64($0) } ?? 1

    @Test func randomStatementsWithCtrlCAtRandomMoments() throws {
        let dir = try Temp.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let term = try PseudoTerminal(arguments: ["--segments", dir.appendingPathComponent("segments.seg").path],
                                      history: dir.appendingPathComponent("history").path)
        #expect(term.wait(for: "demo book: 10,000 clients"), "\(term.screenText)")
        #expect(term.waitForPrompt(after: 0), "no first prompt: \(term.screenText)")
        var random = SoakRandom(seed: Self.seed)
        var generator = SoakStatements(exportPath: dir.appendingPathComponent("export.csv").path)
        var counts: [String: Int] = [:]
        var interrupts = 0  // every Ctrl-C sent, the ones that drop an unfinished `..> ` line too
        let start = Date()
        for step in 0..<Self.statements {
            let statement = generator.next(&random)
            let mark = term.mark
            let action: String
            switch random.int(0...99) {
            case 0..<55:
                action = "typed"
                term.send(statement + "\r")
            case 55..<70:
                // Ctrl-C right after Enter, or a little later: while it runs or prints, or after.
                action = "Ctrl-C after Enter"
                term.send(statement + "\r")
                pause(random.int(0...3) == 0 ? 0 : random.int(1...40))
                term.send("\u{03}")
            case 70..<85:
                // Ctrl-C part way through typing (sometimes just behind a key, as a person cannot).
                action = "Ctrl-C while typing"
                let cut = statement.index(statement.startIndex, offsetBy: random.int(0...statement.count))
                term.send(String(statement[..<cut]))
                if random.int(0...1) == 0 { pause(random.int(1...20)) }
                term.send("\u{03}")
            case 85..<90:
                action = "Ctrl-C at the prompt"
                term.send("\u{03}")
            case 90..<95:
                // Recall the previous statement and run it again.
                action = "Up, Enter"
                term.send("\u{1b}[A\r")
            default:
                // Complete a prefix, then give up on the line.
                action = "Tab, Ctrl-C"
                term.send(String(statement.prefix(random.int(1...12))) + "\t")
                pause(random.int(0...20))
                term.send("\u{03}")
            }
            counts[action, default: 0] += 1
            if action.contains("Ctrl-C") { interrupts += 1 }
            guard settle(term, after: mark, interrupts: &interrupts) else {
                Issue.record("""
                    step \(step) (seed \(Self.seed)): no prompt within 30 s after \(action) of \(statement.debugDescription): \
                    \(String(term.screenText(after: mark).suffix(1_500)))
                    """)
                return
            }
        }
        // Still answering, and answering right (on the screen, as a table).
        for command in [".output", ".format table"] {
            let mark = term.mark
            term.send(command + "\r")
            #expect(settle(term, after: mark), "\(command): \(term.screenText(after: mark))")
        }
        let check = term.mark
        term.send("clients count\r")
        #expect(term.wait(for: "10,000", after: check), "\(String(term.screenText.suffix(2_000)))")
        #expect(settle(term, after: check))
        term.send("\u{04}")
        #expect(term.waitForExit(timeout: 30) == 0, "Ctrl-D should exit 0: \(String(term.screenText.suffix(1_000)))")
        // The terminal is back in line mode with echo (seg put it in raw mode for libedit).
        var mode = termios()
        #expect(tcgetattr(term.master, &mode) == 0)
        let lineMode = mode.c_lflag & tcflag_t(ICANON) != 0, echo = mode.c_lflag & tcflag_t(ECHO) != 0
        #expect(lineMode, "left without ICANON")
        #expect(echo, "left without ECHO")
        if let path = ProcessInfo.processInfo.environment["SEG_SOAK_TRANSCRIPT"] {
            try? Data(term.screenText.utf8).write(to: URL(fileURLWithPath: path))
        }
        let seconds = Date().timeIntervalSince(start)
        print("soak: \(Self.statements) statements (seed \(Self.seed)) in \(Int(seconds)) s, \(interrupts) Ctrl-Cs, "
              + "0 hangs, terminal after exit: \(lineMode ? "ICANON" : "no ICANON") \(echo ? "ECHO" : "no ECHO"): "
              + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
    }

    /// Found by the soak test: a Ctrl-C pressed just after Enter, while seg was still saving the
    /// history (a few milliseconds, with its fsync), was thrown away when the statement started,
    /// and a long listing then ran to its end. `SEG_TEST_PAUSE_BEFORE_RENAME` holds the history
    /// save open, so the Ctrl-C lands there every time.
    @Test func ctrlCJustAfterEnterStopsTheStatement() throws {
        let dir = try Temp.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let term = try PseudoTerminal(arguments: ["--segments", dir.appendingPathComponent("segments.seg").path],
                                      history: dir.appendingPathComponent("history").path,
                                      extra: ["SEG_TEST_PAUSE_BEFORE_RENAME": "1"])
        #expect(term.waitForPrompt(after: 0), "no first prompt: \(term.screenText)")
        var mark = term.mark
        term.send(".format csv\r")
        #expect(settle(term, after: mark))
        for round in 0..<3 {
            mark = term.mark
            term.send("clients show all\r")
            // The line is taken (its echo ends), the history save is paused: Ctrl-C now.
            #expect(term.wait(for: "clients show all\r\n", after: mark), "\(term.screenText(after: mark))")
            pause(200)
            term.send("\u{03}")
            #expect(settle(term, after: mark))
            let screen = term.screenText(after: mark)
            #expect(!screen.contains("C0010000"), "round \(round): the listing ran to its end")
            #expect(screen.contains("interrupted"), "round \(round): \(screen.suffix(300))")
        }
        term.send("\u{04}")
        #expect(term.waitForExit(timeout: 30) == 0)
    }

    func pause(_ milliseconds: Int) {
        if milliseconds > 0 { usleep(useconds_t(milliseconds * 1_000)) }
    }

    func settle(_ term: PseudoTerminal, after mark: Int) -> Bool {
        var interrupts = 0
        return settle(term, after: mark, interrupts: &interrupts)
    }

    /// Waits until seg shows a fresh prompt in raw mode and has handled every signal sent. An
    /// unfinished statement's `..> ` is answered with Ctrl-C (which drops it), counted in `interrupts`.
    func settle(_ term: PseudoTerminal, after mark: Int, interrupts: inout Int) -> Bool {
        let deadline = Date().addingTimeInterval(30)
        var from = mark
        while Date() < deadline {
            // Only the bytes that arrived since the last look are searched (a long listing is megabytes).
            let since = max(from, term.mark - 8)
            if term.find("seg> ", after: since, timeout: 0.05) != nil {
                // A Ctrl-C still in flight may draw one more prompt: wait until seg is idle.
                return term.waitUntilIdle(timeout: 30) && term.waitForRawMode(timeout: 30)
            }
            if let end = term.find("..> ", after: since, timeout: 0.05) {
                guard term.waitForRawMode(timeout: 30) else { return false }
                term.send("\u{03}")
                interrupts += 1
                from = end
            }
        }
        return false
    }
}

/// A deterministic PRNG (SplitMix64) for the soak test.
struct SoakRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

/// Statements a user might type: answers (some long), errors, unfinished lines, segments (saved
/// to a library in the test's folder, snapshots beside it), dot-commands, exports.
struct SoakStatements {
    let exportPath: String
    var segments = 0
    var exporting = false

    static let fields = ["age", "assets", "deposits", "loans", "risk", "tier", "city", "birthday", "opened", "last_contact",
                         "name", "products", "interests", "gender", "manager", "industry"]
    static let answers = [
        "clients count", "clients where risk = averse and assets > 1m count", "clients where city = 深圳 show name, phone limit 5",
        "clients by tier show count, sum(assets), avg(assets)", "clients by tier, risk show count", #"clients where name like "王%" count"#,
        "clients sort by assets desc limit 3", "clients where products has fund and not products has insurance count",
        "clients where anniversary(birthday) in next 14 days sort by anniversary(birthday) show name, birthday",
        "clients where last_contact is empty or days_since(last_contact) > 180 count", "clients show all",
        "clients where age between 30 and 40 show all", #"clients where name ~ "(^| )Wang( |$)" count"#,
        "explain clients where tier in (vip, private) and age > 50 and city = 上海", "segments", "clients limit 0",
        "clients where interests has any (golf, wine) by city show count sort by count desc limit 5",
    ]
    static let errors = [
        "clients where risk = avrese", "clients whre age > 3", "clients where (age > 1", "clients where age > \"x\"", "((((",
        "🙂", "clients where city = 深 count", "clients by show", "clients where products like \"f%\"", "let = clients",
        "clients where assets > 1q", "drop nothing_here", "why C0000001 in nowhere", "clients sort by", "\"unterminated",
        "clients where age > 1 and", "clients where", "let x = (clients where age > 30",
    ]
    static let dots = [".format csv", ".format table", ".format json", ".format jsonl", ".format markdown", ".help", ".fields",
                       ".tables", ".timer on", ".timer off", ".maxrows 5", ".maxrows 100", ".today 2026-02-28", ".nonsense"]

    mutating func next(_ r: inout SoakRandom) -> String {
        switch r.int(0...99) {
        case 0..<45:
            return r.pick(Self.answers)
        case 45..<65:
            return r.pick(Self.errors)
        case 65..<72:
            segments += 1
            return "let s\(segments) = clients where \(r.pick(["age > \(r.int(18...90))", "tier = vip", "risk in (averse, growth)"]))"
        case 72..<76:
            return segments > 0 ? "s\(r.int(1...segments)) \(r.pick(["count", "show name limit 3", "by city show count"]))" : "clients count"
        case 76..<78:
            let name = "v\(r.int(1...5))"
            return r.pick(["save \(name) = clients where tier = \(r.pick(["vip", "mass", "private"]))", "drop \(name)",
                           "snapshot \(name)", "diff \(name)"])
        case 78..<90:
            return r.pick(Self.dots)
        case 90..<93:
            exporting.toggle()
            return exporting ? ".output! \(exportPath)" : ".output"
        default:
            // Junk and half-words, with multi-byte characters the line editor must not split.
            let pieces = ["clients", " where ", r.pick(Self.fields), " = ", "深圳", "\"", "(", ")", "ü", " and ", "%", ";", "\\", "1m"]
            return (0..<r.int(1...8)).map { _ in r.pick(pieces) }.joined()
        }
    }
}
