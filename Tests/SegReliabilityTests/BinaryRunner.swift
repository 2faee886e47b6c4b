import Foundation

/// What one run of the real `seg` binary produced.
struct BinaryResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// True when the process died from a signal (a crash), not an exit.
    var signalled: Bool
}

/// Runs the `seg` binary built beside the test bundle (the reliability tests' own copy of the
/// end-to-end runner, with a stack limit option and byte-exact output).
enum SegBinary {
    static let path: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("seg").path
    }()

    /// The release build, when there is one beside the debug build (scripts/test builds it first when asked).
    static var releasePath: String? {
        let p = URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("release/seg").path
        return FileManager.default.isExecutableFile(atPath: p) ? p : nil
    }

    /// Runs seg with `arguments` and `stdin`; with `stackKiB` or `addressSpaceKiB`, under
    /// `ulimit -s` / `ulimit -v` in a shell.
    static func run(_ arguments: [String], stdin: Data? = nil, binary: String? = nil, stackKiB: Int? = nil,
                    environment: [String: String] = [:], addressSpaceKiB: Int? = nil) throws -> BinaryResult {
        // seg may stop reading standard input early (a NUL byte ends a stream): the write must
        // fail with EPIPE, not kill the test process with SIGPIPE.
        _ = ignoreBrokenPipes
        let process = Process()
        let exe = binary ?? path
        if stackKiB != nil || addressSpaceKiB != nil {
            let limits = (stackKiB.map { "ulimit -s \($0); " } ?? "") + (addressSpaceKiB.map { "ulimit -v \($0); " } ?? "")
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "\(limits)exec \"$0\" \"$@\"", exe] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: exe)
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env["SEG_TODAY"] = "2026-11-15"
        env["NO_COLOR"] = "1"
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        // Feed stdin and drain stderr on other threads so no pipe can fill up and block.
        let group = DispatchGroup()
        let errData = Box()
        group.enter()
        DispatchQueue.global().async {
            errData.set(errPipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let input = stdin
        group.enter()
        DispatchQueue.global().async {
            if let input { try? inPipe.fileHandleForWriting.write(contentsOf: input) }
            try? inPipe.fileHandleForWriting.close()
            group.leave()
        }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return BinaryResult(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                            stderr: String(decoding: errData.get(), as: UTF8.self),
                            signalled: process.terminationReason == .uncaughtSignal)
    }

    static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seg-rel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

final class Box: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
