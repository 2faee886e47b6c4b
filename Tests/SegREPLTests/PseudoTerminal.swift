#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import SegTestSupport
import Testing

/// The real `seg` binary running under a pseudo-terminal: keystrokes in, screen text out.
final class PseudoTerminal {
    let master: Int32
    let pid: pid_t
    /// Everything the program wrote so far.
    private(set) var transcript: [UInt8] = []
    private var exitStatus: Int32?

    /// The `seg` binary built beside this test bundle.
    static var binary: String { Seg.binary }

    /// Starts seg with `arguments` in a 100×30 terminal. The environment is small and fixed:
    /// `TERM=xterm-256color`, `LANG=C.UTF-8` (or `lang`), a fixed today and the given history file.
    init(arguments: [String] = [], history: String, lang: String = "C.UTF-8", extra: [String: String] = [:]) throws {
        var env = ["TERM": "xterm-256color", "LANG": lang, "LC_ALL": "", "SEG_HISTORY": history,
                   "SEG_TODAY": "2026-11-15", "HOME": NSTemporaryDirectory(), "PATH": "/usr/bin:/bin"]
        if lang == "C" { env["LC_ALL"] = "C" }
        // Under scripts/sanitize the child is instrumented too and needs the same options.
        for name in ["ASAN_OPTIONS", "TSAN_OPTIONS"] { env[name] = ProcessInfo.processInfo.environment[name] }
        for (k, v) in extra { env[k] = v }
        // Everything the child needs is built before the fork: after it, only execve and _exit.
        guard let program = strdup(Self.binary) else { throw POSIXError(.ENOMEM) }
        defer { free(program) }
        let argv = ([Self.binary] + arguments).map { strdup($0) } + [nil]
        let envp = env.filter { !$0.value.isEmpty }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var size = winsize(ws_row: 30, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        var fd: Int32 = -1
        var empty = sigset_t()
        sigemptyset(&empty)
        let child = forkpty(&fd, nil, nil, &size)
        if child == 0 {
            // The test runner's threads block SIGINT; the child must see Ctrl-C.
            sigprocmask(SIG_SETMASK, &empty, nil)
            execve(program, argv, envp)
            _exit(127)
        }
        guard child > 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        master = fd
        pid = child
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// The transcript as text with escape sequences and carriage returns removed.
    var screenText: String {
        var out: [UInt8] = []
        var i = 0
        let b = transcript
        while i < b.count {
            if b[i] == 0x1B {
                i += 1
                if i < b.count && b[i] == UInt8(ascii: "[") {
                    i += 1
                    while i < b.count && !(0x40...0x7E).contains(b[i]) { i += 1 }
                }
                i += 1
            } else if b[i] == 0x0D || b[i] == 0x07 {
                i += 1
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads what is available for up to `seconds`; returns false once the program has exited.
    @discardableResult
    private func pump(_ seconds: Double) -> Bool {
        var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let r = poll(&pfd, 1, Int32(seconds * 1000))
        guard r > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(master, &buffer, buffer.count)
        if n > 0 {
            transcript.append(contentsOf: buffer[0..<n])
            return true
        }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return true }
        return false  // EIO or end: the child is gone
    }

    /// Waits until the transcript after byte `start` contains `text`; returns the byte offset just
    /// past the first match, or nil on timeout or exit.
    func find(_ text: String, after start: Int = 0, timeout: Double = 20) -> Int? {
        let needle = Array(text.utf8)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let i = Self.search(needle, in: transcript, from: start) { return i + needle.count }
            if Date() >= deadline || !pump(0.05) {
                return Self.search(needle, in: transcript, from: start).map { $0 + needle.count }
            }
        }
    }

    static func search(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for i in max(0, start)...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }

    @discardableResult
    func wait(for text: String, after start: Int = 0, timeout: Double = 20) -> Bool {
        find(text, after: start, timeout: timeout) != nil
    }

    func screenText(after start: Int) -> String {
        let all = transcript
        transcript = Array(all.dropFirst(start))
        defer { transcript = all }
        return screenText
    }

    /// Waits until libedit has put the terminal in raw mode, so no key is lost.
    func waitForRawMode(timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var t = termios()
            if tcgetattr(master, &t) == 0 && t.c_lflag & tcflag_t(ICANON) == 0 { return true }
            pump(0.02)
        }
        return false
    }

    /// Waits for a fresh prompt after `start`, in raw mode.
    func waitForPrompt(after start: Int, timeout: Double = 20) -> Bool {
        wait(for: "seg> ", after: start, timeout: timeout) && waitForRawMode(timeout: timeout)
    }

    var mark: Int { transcript.count }

    /// Waits until the program sleeps with no signal pending (it has handled the last one and
    /// waits for a key), seen twice in a row; false on timeout.
    func waitUntilIdle(timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var quietLooks = 0
        while Date() < deadline {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            // The state follows the command name in parentheses.
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            let pending = status.split(separator: "\n").filter { $0.hasPrefix("SigPnd:") || $0.hasPrefix("ShdPnd:") }
            let quiet = state == "S" && pending.count == 2 && pending.allSatisfy { $0.hasSuffix("0000000000000000") }
            quietLooks = quiet ? quietLooks + 1 : 0
            if quietLooks == 2 { return true }
            pump(0.01)
        }
        return false
    }

    /// Changes the window's size, as dragging its edge does: the program gets SIGWINCH.
    func resize(columns: Int, rows: Int = 30) {
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    func send(_ keys: String) {
        let bytes = Array(keys.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n > 0 { offset += n } else if errno != EAGAIN && errno != EINTR { return } else { pump(0.01) }
        }
    }

    /// Waits for the program to exit and returns its exit status (nil on timeout or a signal).
    func waitForExit(timeout: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            pump(0.05)
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                // WIFEXITED / WEXITSTATUS, spelled out (they are macros).
                let code: Int32? = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : nil
                exitStatus = code ?? -1
                return code
            }
        }
        return nil
    }
}

enum Temp {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seg-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
