import Dispatch
import Foundation

/// Runs a closure on a thread with a fixed, generous stack and waits for it, so that how deep a
/// statement may nest does not depend on the caller's thread (the main thread's stack follows
/// `ulimit -s`). The stack is reserved address space; only the pages used are ever touched.
public enum LargeStack {
    public static let size = 64 << 20
    /// Nesting up to this depth runs on the caller's stack (well within 1 MiB, even in debug builds).
    public static let shallowDepth = 16

    /// A cheap, conservative test: more than `shallowDepth` parentheses open at once (full-width
    /// ones too, and those inside strings), more than that many `not`s, or more than that many
    /// segments, defined before or by `let` in this text (a segment can refer to all the others),
    /// may nest deeply.
    public static func mayNestDeeply(_ source: Source, segments: Int) -> Bool {
        if segments > shallowDepth { return true }
        let b = source.bytes
        var depth = 0, deepest = 0, nots = 0, lets = segments
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x28 || (c == 0xEF && i + 2 < b.count && b[i + 1] == 0xBC && b[i + 2] == 0x88) {
                depth += 1
                deepest = max(deepest, depth)
            } else if c == 0x29 || (c == 0xEF && i + 2 < b.count && b[i + 1] == 0xBC && b[i + 2] == 0x89) {
                depth = max(0, depth - 1)
            } else if c | 0x20 == 0x6E, i + 2 < b.count, b[i + 1] | 0x20 == 0x6F, b[i + 2] | 0x20 == 0x74 {
                nots += 1  // "not" anywhere, even inside a word: an over-count is harmless
            } else if c | 0x20 == 0x6C, i + 2 < b.count, b[i + 1] | 0x20 == 0x65, b[i + 2] | 0x20 == 0x74 {
                lets += 1  // likewise "let"
            }
            i += 1
        }
        return deepest > shallowDepth || nots > shallowDepth || lets > shallowDepth
    }

    /// The name of the threads `run` starts.
    static let threadName = "seg-large-stack"

    /// A thread-specific mark set on the threads `run` starts. (Their name was the mark, but
    /// `Thread.current` on Linux does not always hand back the object the name was set on, so a
    /// nested run now and then started a second thread.)
    private static let mark: pthread_key_t = {
        var key = pthread_key_t()
        _ = pthread_key_create(&key, nil)
        return key
    }()

    /// True on a thread `run` started: its stack is already the large one.
    public static var isCurrent: Bool { pthread_getspecific(mark) != nil }

    /// Runs `body` on a large stack: on this thread when it is already one (the parser called
    /// while a statement runs), else on a new thread.
    public static func run<T>(_ body: () throws -> T) throws -> T {
        if isCurrent { return try body() }
        return try withoutActuallyEscaping(body) { body in
            // The closure runs on the other thread while this one waits: no concurrent access.
            let job = Job(body)
            let thread = Thread {
                Thread.current.name = threadName
                _ = pthread_setspecific(mark, UnsafeRawPointer(bitPattern: 1))
                job.run()
            }
            thread.stackSize = size
            thread.start()
            job.done.wait()
            guard let result = job.result else { throw SegError(.internal, .internal("a statement thread did not finish")) }
            return try result.get()
        }
    }

    private final class Job<T>: @unchecked Sendable {
        private var body: (() throws -> T)?
        var result: Result<T, Error>?
        let done = DispatchSemaphore(value: 0)

        init(_ body: @escaping () throws -> T) { self.body = body }

        func run() {
            execute()
            done.signal()
        }

        /// Runs and lets go of the closure before the waiting thread resumes: it must not outlive the call.
        private func execute() {
            guard let body else { return }
            self.body = nil
            result = Result { try body() }
        }
    }
}
