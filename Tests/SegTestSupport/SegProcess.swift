import Foundation

/// What one run of a program produced.
public struct RunResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Standard output byte for byte (`stdout` decodes it, replacing invalid UTF-8).
    public var output: Data
    /// True when the process died from a signal (a crash), not an exit.
    public var signalled: Bool
}

/// Runs the real `seg` binary (or another program) for the end-to-end, reliability and prompt
/// tests: the one runner they share.
public enum Seg {
    /// The `seg` binary built beside this test bundle.
    public static let binary: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("seg").path
    }()

    /// The release build, when there is one beside the debug build.
    public static var releaseBinary: String? {
        let p = URL(fileURLWithPath: binary).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("release/seg").path
        return FileManager.default.isExecutableFile(atPath: p) ? p : nil
    }

    /// Runs seg with `arguments`, feeding `stdin` (or nothing), with a fixed today, no colour and no
    /// crash backtraces; `binary` picks another build; `stackKiB` and `addressSpaceKiB` run it
    /// under `ulimit -s` / `ulimit -v` (the latter not under a sanitizer, see below).
    public static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                           directory: String? = nil, binary: String? = nil, stackKiB: Int? = nil,
                           addressSpaceKiB: Int? = nil) throws -> RunResult {
        try run(arguments, input: stdin.map { Data($0.utf8) }, environment: environment, directory: directory,
                binary: binary, stackKiB: stackKiB, addressSpaceKiB: addressSpaceKiB)
    }

    /// True when the tests run under `scripts/sanitize address|thread` (it exports `ASAN_OPTIONS`
    /// or `TSAN_OPTIONS`).
    public static var underSanitizer: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["ASAN_OPTIONS"] != nil || environment["TSAN_OPTIONS"] != nil
    }

    /// As `run(_:stdin:…)`, with standard input as bytes.
    public static func run(_ arguments: [String], input: Data?, environment: [String: String] = [:],
                           directory: String? = nil, binary: String? = nil, stackKiB: Int? = nil,
                           addressSpaceKiB: Int? = nil) throws -> RunResult {
        var env = ["SEG_TODAY": "2026-11-15", "NO_COLOR": "1", "SWIFT_BACKTRACE": "enable=no"]
        for (k, v) in environment { env[k] = v }
        let exe = binary ?? Self.binary
        // AddressSanitizer and ThreadSanitizer reserve terabytes of shadow address space at
        // start: under any `ulimit -v` the instrumented seg cannot even start, so there the limit
        // is left out and the test checks the same answer without it.
        let addressSpaceKiB = underSanitizer ? nil : addressSpaceKiB
        if stackKiB != nil || addressSpaceKiB != nil {
            let limits = (stackKiB.map { "ulimit -s \($0); " } ?? "") + (addressSpaceKiB.map { "ulimit -v \($0); " } ?? "")
            return try run(executable: "/bin/sh", ["-c", "\(limits)exec \"$0\" \"$@\"", exe] + arguments,
                           input: input, environment: env, directory: directory)
        }
        return try run(executable: exe, arguments, input: input, environment: env, directory: directory)
    }

    /// Runs any program with `arguments`, with the test's environment plus `environment`.
    public static func run(executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                           directory: String? = nil) throws -> RunResult {
        try run(executable: executable, arguments, input: stdin.map { Data($0.utf8) }, environment: environment, directory: directory)
    }

    public static func run(executable: String, _ arguments: [String], input: Data?, environment: [String: String] = [:],
                           directory: String? = nil) throws -> RunResult {
        // seg may stop reading standard input early (a NUL byte ends a stream): the write must
        // fail with EPIPE, not kill the test process with SIGPIPE.
        _ = ignoreBrokenPipes
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        // Feed stdin and drain stderr on other threads so no pipe can fill up and block.
        let group = DispatchGroup()
        let errData = LockedData()
        group.enter()
        DispatchQueue.global().async {
            errData.set(errPipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            if let input { try? inPipe.fileHandleForWriting.write(contentsOf: input) }
            try? inPipe.fileHandleForWriting.close()
            group.leave()
        }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                         stderr: String(decoding: errData.get(), as: UTF8.self), output: out,
                         signalled: process.terminationReason == .uncaughtSignal)
    }

    static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// A new, empty folder under the system's temporary folder.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seg-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Bytes one thread sets and another reads.
public final class LockedData: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    public init() {}
    public func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    public func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// A test's own failure, with what went wrong.
public struct SegTestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
