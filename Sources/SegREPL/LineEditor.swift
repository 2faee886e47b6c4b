#if canImport(Glibc)
@preconcurrency import Glibc
#endif
@preconcurrency import CEditLine
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands

/// libedit's line editor with seg's prompt, history and Tab completion. Emacs keys; `~/.editrc`
/// is read. Not thread-safe (neither is libedit): use it from one thread.
public final class LineEditor {
    /// What one call to `readLine` got.
    public enum Input: Equatable {
        /// The line typed, without its line break.
        case line(String)
        /// Ctrl-C: the line was dropped.
        case interrupted
        /// Ctrl-D on an empty line, or standard input closed.
        case endOfInput
    }

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    /// The prompt as a C string that stays alive while libedit may read it.
    private var prompt: UnsafeMutablePointer<CChar>
    /// Candidates for the text before the cursor (set by the prompt loop).
    public var completer: ((String) -> Completion)?
    /// The line and cursor at a Tab that could not extend the word: a second Tab there lists.
    private var pendingList: (line: [UInt8], cursor: Int)?

    /// The flags the prompt's signal handlers raise, and the pipe they write a byte to after
    /// raising one. A handler can reach only globals, so the prompt owns them and hands them in.
    public struct Signals: Sendable {
        /// SIGINT (Ctrl-C): drop the line.
        public let interrupt: InterruptFlag
        /// SIGWINCH: the terminal changed size.
        public let resized: InterruptFlag
        /// SIGCONT: the prompt is back in the foreground after Ctrl-Z.
        public let continued: InterruptFlag
        /// The read end of the handlers' pipe (`WakeupPipe`), or -1.
        public let wakeup: Int32

        public init(interrupt: InterruptFlag, resized: InterruptFlag, continued: InterruptFlag, wakeup: Int32) {
            self.interrupt = interrupt
            self.resized = resized
            self.continued = continued
            self.wakeup = wakeup
        }
    }

    private let signals: Signals
    /// Where keys are read (`readCharacter`): the terminal opened a second time, non-blocking;
    /// standard input when that cannot be opened.
    private let keyboard: Int32

    /// Nil when libedit cannot start (no terminal description, say).
    public init?(programName: String, historySize: Int, signals: Signals) {
        guard let history = history_init() else { return nil }
        guard let editLine = el_init(programName, stdin, stdout, stderr) else {
            history_end(history)
            return nil
        }
        self.history = history
        self.editLine = editLine
        self.signals = signals
        // Its own open file description: non-blocking here leaves standard input, which the
        // shell shares, as it was.
        let reopened = ttyname(STDIN_FILENO).map { open($0, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) } ?? -1
        keyboard = reopened >= 0 ? reopened : STDIN_FILENO
        prompt = strdup("seg> ") ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        _ = seg_history_setsize(history, Int32(clamping: historySize))
        _ = seg_history_setunique(history, 1)
        _ = seg_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        _ = seg_el_set_prompt(editLine) { el in
            guard let el, let data = seg_el_get_clientdata(el) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().prompt
        }
        _ = seg_el_set_editor(editLine, "emacs")
        // On: libedit restores the terminal on signals and redraws after a window resize.
        _ = seg_el_set_signal(editLine, 1)
        _ = seg_el_set_hist(editLine, history)
        _ = seg_el_set_addfn(editLine, "seg-complete", "Complete the word at the cursor") { el, _ in
            guard let el, let data = seg_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
        }
        _ = seg_el_set_getcfn(editLine) { el, character in
            guard let el, let character, let data = seg_el_get_clientdata(el) else { return -1 }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().readCharacter(into: character)
        }
        _ = seg_el_set_bind(editLine, "^I", "seg-complete")
        _ = seg_el_set_bind(editLine, "^R", "em-inc-search-prev")
        _ = el_source(editLine, nil)
    }

    deinit {
        if keyboard != STDIN_FILENO { close(keyboard) }
        el_end(editLine)
        history_end(history)
        free(prompt)
    }

    /// Reads one line with `prompt`.
    public func readLine(prompt text: String) -> Input {
        if let copy = strdup(text) {
            free(prompt)
            prompt = copy
        }
        pendingList = nil
        var count: Int32 = 0
        errno = 0
        guard let line = el_gets(editLine, &count) else {
            if errno == EINTR {
                // Ctrl-C: forget what was typed.
                el_reset(editLine)
                return .interrupted
            }
            return .endOfInput
        }
        if count == 0 { return .endOfInput }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    // MARK: - Keys

    /// libedit's read-a-character function, in place of its own. libedit's own blocks in `read`,
    /// so a Ctrl-C that landed while it was still drawing the previous key (not yet in `read`)
    /// only raised the flag, and the prompt reacted at the next key. Here the wait for a key
    /// also wakes on the handlers' pipe (`waitForKey`), and the read itself never blocks: a
    /// Ctrl-C between the wait and the read empties the terminal's input, and a blocking read
    /// would then wait for the next key. Decodes as libedit does: `mbrtowc` in
    /// the UTF-8 locale the prompt sets; an invalid byte is dropped.
    private func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        character.pointee = 0
        var bytes: [CChar] = []
        while true {
            switch waitForKey() {
            case .ready:
                break
            case .interrupted:
                errno = EINTR
                return -1
            case .failed(let error):
                // The terminal cannot be waited on: as at its end, the prompt closes.
                errno = error
                return -1
            }
            var byte: CChar = 0
            let count = read(keyboard, &byte, 1)
            if count == 0 { return 0 }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
                return -1
            }
            bytes.append(byte)
            while !bytes.isEmpty {
                var state = mbstate_t()
                var decoded: wchar_t = 0
                switch bytes.withUnsafeBufferPointer({ mbrtowc(&decoded, $0.baseAddress, $0.count, &state) }) {
                case -2 where bytes.count < 16:
                    // Part of a character: read on (a UTF-8 character has at most 4 bytes).
                    break
                case -2:
                    errno = EILSEQ
                    return -1
                case -1:
                    // Not a character: the last byte may start the next one.
                    bytes = bytes.count > 1 ? [bytes[bytes.count - 1]] : []
                    continue
                default:
                    character.pointee = decoded
                    return 1
                }
                break
            }
        }
    }

    private enum Wait {
        case ready
        /// Ctrl-C.
        case interrupted
        /// `poll` failed with this error.
        case failed(Int32)
    }

    /// Waits for a key (or the terminal's end, which `read` then reports). A handler raises its
    /// flag, then writes to the pipe: a signal that lands after the look at the flags still
    /// wakes the wait, on whichever thread the kernel ran the handler. Does, after a signal,
    /// what libedit's own reader did: the new window size, raw mode again, the line redrawn
    /// after Ctrl-Z.
    private func waitForKey() -> Wait {
        while true {
            if signals.interrupt.isRaised { return .interrupted }
            if signals.resized.take() { el_resize(editLine) }
            if signals.continued.take() {
                // A second Ctrl-Z in one line stops without libedit's handler, which would
                // have kept the terminal's modes: set them afresh, then redraw the line below
                // the shell's "Stopped" lines.
                _ = seg_el_set_prep_term(editLine, 0)
                _ = seg_el_set_prep_term(editLine, 1)
                _ = seg_el_refresh(editLine)
            }
            // poll skips a descriptor of -1.
            var waits = [pollfd(fd: keyboard, events: Int16(POLLIN), revents: 0),
                         pollfd(fd: signals.wakeup, events: Int16(POLLIN), revents: 0)]
            if poll(&waits, 2, -1) < 0 {
                if errno != EINTR { return .failed(errno) }
            } else if waits[1].revents == 0 {
                return .ready
            }
            // A signal: empty the pipe, then look at the flags again. libedit's handler for
            // Ctrl-Z (SIGTSTP) restores the terminal before the stop, and a process that is not
            // stopped (its group has no shell) stays there: raw mode again.
            var drained = [UInt8](repeating: 0, count: 64)
            while signals.wakeup >= 0 && read(signals.wakeup, &drained, drained.count) > 0 {}
            _ = seg_el_set_prep_term(editLine, 1)
        }
    }

    // MARK: - History

    public func addHistory(_ entry: String) {
        _ = seg_history_enter(history, entry)
    }

    /// Loads a libedit history file; false when libedit refuses it.
    public func loadHistory(_ path: String) -> Bool {
        seg_history_load(history, path) >= 0
    }

    /// Saves the history to `path` atomically, mode 0600 (`AtomicFile.Replacement`: a temporary
    /// file beside it, fsync, rename): a crash or a full disk leaves the previous file whole.
    public func saveHistory(_ path: String) throws {
        let replacement = try AtomicFile.Replacement(replacing: path, mode: 0o600)
        if replacement.fault == .write { replacement.injectWriteFault() }
        // libedit writes through stdio; its own descriptor, so fclose leaves the replacement's open.
        let copy = dup(replacement.fileDescriptor)
        guard copy >= 0, let stream = fdopen(copy, "w") else {
            let error = SegError(.io, .file(.failed(.write, path: path, reason: FileMessage.reason(errno))))
            if copy >= 0 { close(copy) }
            throw error
        }
        var failure: Int32 = 0
        errno = 0
        if seg_history_save_fp(history, stream) < 0 { failure = errno == 0 ? EIO : errno }
        if fflush(stream) != 0 && failure == 0 { failure = errno }
        if fclose(stream) != 0 && failure == 0 { failure = errno }
        if failure != 0 { throw SegError(.io, .file(.failed(.write, path: path, reason: FileMessage.reason(failure)))) }
        try replacement.commit()
    }

    // MARK: - Completion

    private func complete() -> UInt8 {
        // Pasted text: more input is already waiting, so this Tab is text, not a request.
        var pending = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        if poll(&pending, 1, 0) > 0 {
            _ = el_insertstr(editLine, " ")
            return UInt8(CC_REFRESH)
        }
        guard let completer, let info = el_line(editLine) else { return UInt8(CC_ERROR) }
        let start = UnsafeRawPointer(info.pointee.buffer)
        let cursorOffset = info.pointee.cursor.map { UnsafeRawPointer($0) - (start ?? UnsafeRawPointer($0)) } ?? 0
        let endOffset = info.pointee.lastchar.map { UnsafeRawPointer($0) - (start ?? UnsafeRawPointer($0)) } ?? 0
        let bytes: [UInt8] = start.map { Array(UnsafeRawBufferPointer(start: $0, count: max(0, endOffset))) } ?? []
        let before = String(decoding: bytes.prefix(cursorOffset), as: UTF8.self)
        let completion = completer(before)
        let candidates = completion.candidates
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if candidates.count == 1 {
            replace(completion.word, with: Completion.insertion(for: candidates[0]))
            return UInt8(CC_REFRESH)
        }
        if let common = completion.commonExtension {
            replace(completion.word, with: common)
            return UInt8(CC_REFRESH)
        }
        if let previous = pendingList, previous.line == bytes, previous.cursor == cursorOffset {
            let width = Int(seg_terminal_columns(STDOUT_FILENO))
            let list = "\n" + Completer.columns(candidates.map { DisplayWidth.sanitized($0) }, width: width > 0 ? width : 80)
            fputs(list, stdout)
            fflush(stdout)
            pendingList = nil
            return UInt8(CC_REDISPLAY)
        }
        pendingList = (bytes, cursorOffset)
        return UInt8(CC_REFRESH_BEEP)
    }

    /// Deletes `word` before the cursor (counted in characters, as libedit does) and inserts `text`.
    private func replace(_ word: String, with text: String) {
        if text.hasPrefix(word) {
            let rest = String(text.dropFirst(word.count))
            if !rest.isEmpty { _ = el_insertstr(editLine, rest) }
            return
        }
        if !word.isEmpty { el_deletestr(editLine, Int32(word.unicodeScalars.count)) }
        _ = el_insertstr(editLine, text)
    }
}
