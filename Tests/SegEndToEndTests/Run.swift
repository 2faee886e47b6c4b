import Foundation
import Testing

/// What one run of the real `seg` binary produced.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Seg {
    /// The `seg` binary built beside this test bundle.
    static let binary: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("seg").path
    }()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures")

    /// Runs seg with `arguments`, feeding `stdin` (or nothing), with a fixed today and no colour.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    directory: String? = nil) throws -> RunResult {
        var env = ["SEG_TODAY": "2026-11-15", "NO_COLOR": "1"]
        for (k, v) in environment { env[k] = v }
        return try Seg.run(executable: binary, arguments, stdin: stdin, environment: env, directory: directory)
    }

    /// Runs any program with `arguments`, feeding `stdin` (or nothing), with the test's
    /// environment plus `environment`.
    static func run(executable: String, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                    directory: String? = nil) throws -> RunResult {
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
        if let stdin { inPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a full stderr cannot block a large stdout.
        let errData = LockedData()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.set(errPipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                         stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    /// The generated book of `rows` clients with seed 3, written once per test run and shared,
    /// read only, by every test that needs it (with `sqlite: true`, also loaded into SQLite as
    /// table `c`). Returns the CSV's path (and the database's).
    static func sharedBook(rows: Int, sqlite: Bool = false) throws -> (csv: String, db: String) {
        try SharedBooks.shared.book(rows: rows, sqlite: sqlite)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seg-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Books made once and kept for the whole run (the tests only read them).
final class SharedBooks: @unchecked Sendable {
    static let shared = SharedBooks()
    private let lock = NSLock()
    private var made: [String: (csv: String, db: String)] = [:]

    func book(rows: Int, sqlite: Bool) throws -> (csv: String, db: String) {
        lock.lock()
        defer { lock.unlock() }
        let key = "\(rows)-\(sqlite)"
        if let book = made[key] { return book }
        let dir = try Seg.temporaryDirectory()
        let csv = dir.appendingPathComponent("book.csv").path
        let generated = try Seg.run(["generate", "--rows", String(rows), "--seed", "3", "--output", csv])
        guard generated.status == 0 else { throw SegTestFailure("seg generate failed: \(generated.stderr)") }
        let db = dir.appendingPathComponent("book.db").path
        if sqlite { try SQLite.load(csv: csv, into: db) }
        made[key] = (csv, db)
        return (csv, db)
    }
}

struct SegTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

final class LockedData: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
