#if canImport(Glibc)
@preconcurrency import Glibc
#endif
@preconcurrency import CEditLine
import Foundation
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands

/// The interactive prompt: libedit line editing, history, completion and dot-commands around a
/// `Shell`. For standard input on a terminal: line editing when standard output is a terminal
/// too, plain lines (no prompt in the output) when it is a file or pipe.
public enum REPL {
    /// Raised by the SIGINT handler. A process has one SIGINT, so one flag; a handler can only
    /// reach a global, and a `let` of an atomic flag is safe to touch from it.
    static let interrupt = InterruptFlag()
    /// Raised on SIGWINCH and SIGCONT while the line editor runs (see `LineEditor.Signals`).
    static let resized = InterruptFlag()
    static let continued = InterruptFlag()
    /// Written to by every handler after its flag, to wake the line editor's wait for a key.
    static let wakeup = WakeupPipe()

    public static let prompt = "seg> "
    public static let continuationPrompt = "  ..> "

    /// Runs the prompt until `.quit` or Ctrl-D (end of input). Throws when the `.output` file
    /// still open at the end cannot be put in place (the previous file is kept).
    /// `export` (`--output FILE`) sends results to FILE from the start; `force` lets `.output`
    /// replace files without asking; `formatChosen`: `--format` was given.
    /// The width of the terminal standard output is, in cells; nil when it is not one.
    public static func screenColumns() -> Int? {
        let w = Int(seg_terminal_columns(STDOUT_FILENO))
        return w > 0 ? w : nil
    }

    public static func run(session: Session, export: String? = nil, force: Bool = false, formatChosen: Bool = false,
                           environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        useUTF8Locale()
        var session = session
        session.options.interactive = true
        session.options.interrupt = interrupt
        let previous = installInterruptHandler()
        defer {
            var restore = previous
            sigaction(SIGINT, &restore, nil)
        }

        let colorMessages = isatty(STDERR_FILENO) == 1 && environment["NO_COLOR"] == nil
        var shell = Shell(session: session, screen: Output(.fileDescriptor(STDOUT_FILENO)),
                          messages: Output(.fileDescriptor(STDERR_FILENO)), colorMessages: colorMessages,
                          terminalWidth: {
                              let w = Int(seg_terminal_columns(STDOUT_FILENO))
                              return w > 0 ? w : nil
                          })
        shell.force = force
        shell.formatChosen = formatChosen
        // On a database read in bounded time, every value of the sampled columns is read while the
        // prompt waits for typing; closing the prompt stops the reading.
        shell.backgroundValues = BackgroundValues(session: shell.session)
        defer { shell.backgroundValues?.cancel() }
        if let export { try shell.export(to: export) }
        guard isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1,
              let editor = LineEditor(programName: "seg", historySize: HistoryFile.size(environment: environment),
                                      signals: .init(interrupt: interrupt, resized: resized, continued: continued,
                                                     wakeup: wakeup.readEnd)) else {
            // Output to a file or pipe (or no line editor): plain lines, no prompt in the output.
            shell.confirm = { question in
                FileHandle.standardError.write(Data(question.utf8))
                return isYes(readLine(strippingNewline: true))
            }
            runPlain(&shell)
            try shell.closeOutput()
            return
        }
        // SA_RESTART: a resize while a statement writes must not fail its writes; the line
        // editor's wait for a key is interrupted all the same (pselect never restarts).
        let previousResize = installFlagHandler(SIGWINCH, flags: SA_RESTART)
        let previousContinue = installFlagHandler(SIGCONT, flags: SA_RESTART)
        defer {
            var restore = (previousResize, previousContinue)
            sigaction(SIGWINCH, &restore.0, nil)
            sigaction(SIGCONT, &restore.1, nil)
        }
        shell.confirm = { question in
            if case .line(let answer) = editor.readLine(prompt: question) { return isYes(answer) }
            return false
        }
        try? shell.say(shell.startupLine)
        var historyPath = HistoryFile.path(environment: environment)
        if let path = historyPath {
            switch HistoryFile.prepare(path) {
            case .absent:
                break
            case .usable:
                if !editor.loadHistory(path) {
                    shell.note(.usage(.historyInMemory(.cannotLoad(path))))
                    historyPath = nil
                }
            case .unusable(let problem):
                shell.note(.usage(.historyInMemory(problem)))
                historyPath = nil
            }
        }

        var pending = ""
        loop: while true {
            shell.takeBackgroundValues()
            let catalog = shell.session.catalog
            let masks = shell.session.options.masks
            let before = pending
            // Values read in the background while this line is typed are offered at once.
            let background = shell.backgroundValuesTaken ? nil : shell.backgroundValues
            editor.completer = { text in
                var catalog = catalog
                if let values = background?.finished { catalog.take(values) }
                return Completer.complete(before.isEmpty ? text : before + "\n" + text, catalog: catalog, masks: masks)
            }
            switch editor.readLine(prompt: pending.isEmpty ? prompt : continuationPrompt) {
            case .endOfInput:
                // libedit echoed ^D; end its line.
                try? shell.say("\n")
                break loop
            case .interrupted:
                interrupt.clear()
                pending = ""
                try? shell.say("\n")
            case .line(let line):
                if pending.isEmpty && line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                pending += pending.isEmpty ? line : "\n" + line
                let isCommand = pending.trimmingCharacters(in: .whitespaces).hasPrefix(".")
                if !isCommand && Parser.needsMoreInput(pending) { continue }
                let text = pending
                pending = ""
                // A lone `and …` is not kept: Up then recalls the statement it was meant to amend.
                if Shell.continuationWord(text) != nil {
                    _ = shell.handle(text)
                    continue
                }
                editor.addHistory(HistoryFile.entry(for: text))
                if let path = historyPath {
                    do {
                        if case .unusable(let problem) = HistoryFile.state(of: path) { throw HistoryFile.Unusable(problem: problem) }
                        try editor.saveHistory(path)
                    } catch {
                        let problem = (error as? HistoryFile.Unusable)?.problem
                            ?? .writeFailed((error as? SegError)?.diagnostic ?? .file(.failed(.write, path: path, reason: nil)))
                        shell.note(.usage(.historyInMemory(problem)))
                        historyPath = nil
                    }
                }
                if shell.handle(text) == .quit { break loop }
            }
        }
        try? shell.screen.flush()
        try shell.closeOutput()
    }

    /// y or yes, in any case.
    static func isYes(_ answer: String?) -> Bool {
        guard let answer = answer?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return answer == "y" || answer == "yes" || answer == "是"
    }

    /// Reads plain lines from standard input; statements may span lines while unfinished.
    static func runPlain(_ shell: inout Shell) {
        // SA_RESTART: Ctrl-C while reading leaves the read going (the terminal drops the typed
        // line) and only raises the flag, which is lowered when the next line arrives.
        _ = installInterruptHandler(flags: SA_RESTART)
        var pending = ""
        while let line = readLine(strippingNewline: true) {
            interrupt.clear()
            if pending.isEmpty && line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            pending += pending.isEmpty ? line : "\n" + line
            if !pending.trimmingCharacters(in: .whitespaces).hasPrefix(".") && Parser.needsMoreInput(pending) { continue }
            let text = pending
            pending = ""
            if shell.handle(text) == .quit { return }
        }
        if !pending.isEmpty { _ = shell.handle(pending) }
        try? shell.screen.flush()
    }

    /// libedit drops every byte >= 0x80 unless the character type locale is UTF-8, so Chinese
    /// input needs a UTF-8 `LC_CTYPE` even when the user's locale is `C`.
    static func useUTF8Locale() {
        setlocale(LC_CTYPE, "")
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
        if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "en_US.UTF-8") }
        }
    }

    /// SIGINT raises the flag. `sa_flags = 0` (no SA_RESTART) so a pending `read` in libedit
    /// returns EINTR and `el_gets` gives up the line.
    static func installInterruptHandler(flags: Int32 = 0) -> sigaction {
        installFlagHandler(SIGINT, flags: flags)
    }

    /// Makes `signal` raise its flag (`flag(for:)`); returns the handling it replaced.
    static func installFlagHandler(_ signal: Int32, flags: Int32) -> sigaction {
        // Initialise the globals before a signal can touch them.
        _ = (interrupt, resized, continued, wakeup)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            // The interrupted code may be about to read errno.
            let saved = errno
            REPL.flag(for: number)?.raise()
            REPL.wakeup.ring()
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = flags
        var previous = sigaction()
        sigaction(signal, &action, &previous)
        return previous
    }

    /// The flag a signal raises; only atomic stores happen in a handler.
    static func flag(for signal: Int32) -> InterruptFlag? {
        switch signal {
        case SIGINT: interrupt
        case SIGWINCH: resized
        case SIGCONT: continued
        default: nil
        }
    }
}

/// A pipe that signal handlers write a byte to (`write` is safe in a handler), so a wait that
/// polls its read end wakes whichever thread ran the handler. Both ends are non-blocking.
final class WakeupPipe: Sendable {
    /// -1 when no pipe could be made (the wait then wakes on keys and EINTR only).
    let readEnd: Int32
    let writeEnd: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
        } else {
            ends = [-1, -1]
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    /// From a signal handler. A full pipe already holds a wake-up.
    func ring() {
        var byte: UInt8 = 1
        if writeEnd >= 0 { _ = write(writeEnd, &byte, 1) }
    }
}
