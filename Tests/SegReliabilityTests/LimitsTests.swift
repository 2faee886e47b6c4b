import Foundation
import SegTestSupport
import Testing
import SegBase
import SegPatterns
import SegStore
import SegSyntax
import SegFunctions
import SegSemantics
import SegSQL
import SegIO
import SegEngine
import SegCommands

// Statements at the limits, through the real binary under `ulimit -s 1024` (1 MiB of main-thread
// stack): each gives a clear error or an answer, never a crash. A three-row book keeps the debug
// build's per-term column scans quick. The release binary is checked too when it has been built
// (`swift build -c release`).

@Suite("limits: huge and deeply nested statements")
struct LimitsTests {
    static let book: String = {
        let dir = (try? Seg.temporaryDirectory()) ?? FileManager.default.temporaryDirectory
        let path = dir.appendingPathComponent("tiny.csv").path
        try? "id,age,risk\nC1,30,averse\nC2,0,growth\nC3,50,averse\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    static var binaries: [String] { [Seg.binary] + (Seg.releaseBinary.map { [$0] } ?? []) }

    /// Runs a script (given on standard input) under a 1 MiB stack with each binary.
    static func check(_ script: String, expect: (RunResult) -> Bool, _ what: String) throws {
        for binary in binaries {
            let r = try Seg.run(["--data", book, "--format", "csv"], stdin: script, binary: binary, stackKiB: 1024)
            #expect(!r.signalled, "\(what) crashed \(binary): \(r.stderr.prefix(400))")
            #expect(expect(r), "\(what) with \(binary): status \(r.status), stdout \(r.stdout.prefix(200)), stderr \(r.stderr.prefix(400))")
            // Even for a statement of megabytes, the message stays short.
            #expect(r.stderr.utf8.count < 4_000, "\(what): \(r.stderr.utf8.count) bytes of message")
        }
    }

    @Test func hundredThousandParentheses() throws {
        let deep = String(repeating: "(", count: 100_000) + "age > 1" + String(repeating: ")", count: 100_000)
        try Self.check("clients where \(deep) count\n", expect: { $0.status == 65 && $0.stderr.contains("nesting deeper than 256 levels") }, "100,000 parentheses")
        let sources = String(repeating: "(", count: 100_000) + "clients" + String(repeating: ")", count: 100_000)
        try Self.check("\(sources) count\n", expect: { $0.status == 65 && $0.stderr.contains("nesting deeper than 256 levels") }, "100,000 nested sources")
        let nots = String(repeating: "not ", count: 100_000)
        try Self.check("clients where \(nots)age > 1 count\n", expect: { $0.status == 65 && $0.stderr.contains("nesting deeper") }, "100,000 nots")
        let calls = String(repeating: "days_since(", count: 100_000) + "x" + String(repeating: ")", count: 100_000)
        try Self.check("clients where \(calls) > 1 count\n", expect: { $0.status == 65 }, "100,000 nested calls")
    }

    /// Just under the limit, everything nests and runs (the deepest recursion the parser admits).
    @Test func deepestAllowedNestingRuns() throws {
        let parens = String(repeating: "(", count: 250) + "age > 1" + String(repeating: ")", count: 250)
        try Self.check("clients where \(parens) count\n", expect: { $0.status == 0 && $0.stdout == "count\n2\n" }, "250 parentheses")
        var query = "clients"
        for _ in 0..<120 { query = "(\(query) where age > 1)" }
        try Self.check("\(query) count\n", expect: { $0.status == 0 && $0.stdout == "count\n2\n" }, "120 nested queries")
        var unions = "clients"
        for _ in 0..<250 { unions = "(\(unions) where age > 1)" }
        try Self.check("\(unions) count\n", expect: { $0.status == 0 || $0.stderr.contains("nesting deeper") }, "250 nested queries")
    }

    /// Shallow statements run on the caller's stack (no thread hand-over): the deepest of them
    /// must fit a 1 MiB stack too.
    @Test func shallowNestingRunsInlineUnderSmallStack() throws {
        var query = "clients"
        for _ in 0..<16 { query = "(\(query) where age > 1)" }
        try Self.check("\(query) count\n", expect: { $0.status == 0 && $0.stdout == "count\n2\n" }, "16 nested queries")
        let mixed = "clients where " + String(repeating: "not ", count: 16) + String(repeating: "(", count: 16) + "age > 1" + String(repeating: ")", count: 16)
        try Self.check("\(mixed) count\n", expect: { $0.status == 0 && $0.stdout == "count\n2\n" }, "16 nots and 16 parentheses")
        var lines = ["let s0 = clients where age > 1"]
        for i in 1...15 { lines.append("let s\(i) = (s\(i - 1) where age > 1) intersect s0") }
        lines.append("s15 count")
        try Self.check(lines.joined(separator: "\n") + "\n", expect: { $0.status == 0 && $0.stdout == "count\n2\n" }, "16 chained segments")
        // Segments defined one statement at a time (as at the prompt) count too.
        var arguments = ["--data", Self.book, "--format", "csv", "-c", "let s0 = clients where age > 1"]
        for i in 1..<200 { arguments += ["-c", "let s\(i) = s\(i - 1) where age > 1"] }
        arguments += ["-c", "s199 count"]
        let r = try Seg.run(arguments, stackKiB: 1024)
        #expect(!r.signalled && r.status == 0 && r.stdout == "count\n2\n", "\(r.status) \(r.stderr.prefix(300))")
    }

    @Test func segmentChainsAreBounded() throws {
        var lines = ["let s0 = clients where age > 1"]
        for i in 1..<300 { lines.append("let s\(i) = s\(i - 1) where age > 1") }
        lines.append("s299 count")
        try Self.check(lines.joined(separator: "\n") + "\n", expect: { $0.status == 65 && $0.stderr.contains("more than 256 levels deep") }, "300 chained segments")
        var ok = ["let s0 = clients where age > 1"]
        for i in 1..<200 { ok.append("let s\(i) = (s\(i - 1) union s0) where age > 1") }
        ok.append("s199 count")
        try Self.check(ok.joined(separator: "\n") + "\n", expect: { $0.status == 0 && $0.stdout == "count\n2\n" }, "200 chained segments")
    }

    @Test func tenMegabyteStatement() throws {
        let huge = String(repeating: "x", count: 10 << 20)
        try Self.check("clients where risk = \"\(huge)\" count\n", expect: { $0.status == 65 && $0.stderr.contains("unknown value") }, "10 MB string")
        try Self.check("clients where name = \(huge) count\n", expect: { $0.status == 65 && $0.stderr.contains("unknown field") }, "10 MB identifier")
        try Self.check("clients where age > \(String(repeating: "9", count: 10 << 20)) count\n", expect: { $0.status == 65 && $0.stderr.contains("too large") }, "10 MB number")
        try Self.check(String(repeating: "-- comment\n", count: 1 << 20) + "clients count\n", expect: { $0.status == 0 && $0.stdout == "count\n3\n" }, "10 MB of comments")
        try Self.check(String(repeating: ";", count: 10 << 20) + "clients count\n", expect: { $0.status == 0 }, "10 MB of empty statements")
        try Self.check(String(repeating: "@", count: 10 << 20) + "\n", expect: { $0.status == 65 }, "10 MB of bad characters")
    }

    /// A million terms: stored flat, so neither parsing, running nor freeing recurses.
    @Test func millionTermChains() throws {
        let and = Array(repeating: "age > 1", count: 1_000_000).joined(separator: " and ")
        try Self.check("clients where \(and) count\n", expect: { $0.status == 0 && $0.stdout == "count\n2\n" }, "1,000,000-term and")
        // The or chain takes the same path; 200,000 terms keep the debug run short.
        let or = (0..<200_000).map { "age = \($0 % 1000)" }.joined(separator: " or ")
        try Self.check("clients where \(or) count\n", expect: { $0.status == 0 && $0.stdout == "count\n3\n" }, "200,000-term or")
    }
}
