import Foundation
import Testing

// Faults and data safety through the real binary: full disks and closed pipes, spreadsheet
// formula cells in CSV/TSV exports, and terminal control sequences hidden in client data.

@Suite("faults and data safety")
struct FaultTests {
    /// Runs seg with standard output going to `path` (e.g. /dev/full).
    static func run(_ arguments: [String], stdoutPath: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SegBinary.path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["SEG_TODAY": "2026-11-15", "NO_COLOR": "1"]) { $1 }
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: message, as: UTF8.self))
    }

    @Test(arguments: ["csv", "tsv", "json", "jsonl", "markdown", "table"])
    func fullDiskIsAnIOErrorInEveryFormat(_ format: String) throws {
        // A small answer too: it sits in the buffer until the final flush, which must still be checked.
        for statement in ["clients", "clients count"] {
            let r = try Self.run(["--format", format, "-c", statement], stdoutPath: "/dev/full")
            #expect(r.status == 74, "\(format) \(statement): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("cannot write output"), "\(format): \(r.stderr)")
        }
        let generate = try Self.run(["generate", "--rows", "1000"], stdoutPath: "/dev/full")
        #expect(generate.status == 74, "generate: \(generate.status) \(generate.stderr)")
    }

    /// `seg … | head -1`: the reader goes away after one line; seg stops at once, quietly, with 0.
    @Test func closedPipeAfterOneLineEndsAtOnce() throws {
        let script = "\"$0\" generate --rows 50000 | \"$0\" --data - -c clients -c clients | head -1"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-o", "pipefail", "-c", script, SegBinary.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let start = Date()
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text == "id,name\n")
        #expect(process.terminationStatus == 0, "pipeline status \(process.terminationStatus)")
        #expect(err.fileHandleForReading.readDataToEndOfFile().isEmpty)
        #expect(Date().timeIntervalSince(start) < 60)
    }

    static let risky = """
        id,name,note,amount
        C1,=1+2,"=HYPERLINK(""http://x"")",-5.00
        C2,+cmd,@SUM(A1),12.50
        C3,-minus,"\ttab",0.00
        C4,plain,safe,1.00
        """

    static func book() throws -> String {
        let path = try SegBinary.temporaryDirectory().appendingPathComponent("risky.csv").path
        try (risky + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func csvExportNeutralisesFormulasAndTheGuardCanBeTurnedOff() throws {
        let path = try Self.book()
        let guarded = try SegBinary.run(["--data", path, "--format", "csv", "-c", "clients show id, name, note, amount"])
        #expect(guarded.status == 0, "\(guarded.stderr)")
        #expect(guarded.stdout == """
            id,name,note,amount
            C1,'=1+2,"'=HYPERLINK(""http://x"")",-5.00
            C2,'+cmd,'@SUM(A1),12.50
            C3,'-minus,'\ttab,0.00
            C4,plain,safe,1.00

            """, "\(guarded.stdout)")
        let tsv = try SegBinary.run(["--data", path, "--format", "tsv", "-c", "clients show name, amount"])
        #expect(tsv.stdout == "name\tamount\n'=1+2\t-5.00\n'+cmd\t12.50\n'-minus\t0.00\nplain\t1.00\n", "\(tsv.stdout)")
        let raw = try SegBinary.run(["--data", path, "--format", "csv", "--no-formula-guard", "-c", "clients show name, amount"])
        #expect(raw.stdout == "name,amount\n=1+2,-5.00\n+cmd,12.50\n-minus,0.00\nplain,1.00\n", "\(raw.stdout)")
        // JSON is data, not a spreadsheet: values as they are.
        let json = try SegBinary.run(["--data", path, "--format", "jsonl", "-c", "clients where id = C1 show name"])
        #expect(json.stdout == "{\"name\":\"=1+2\"}\n", "\(json.stdout)")
    }

    @Test func terminalOutputStripsControlCharacters() throws {
        let path = try SegBinary.temporaryDirectory().appendingPathComponent("esc.csv").path
        let evil = "Wang\u{1b}[2J\u{1b}]0:title\u{07}\u{9b}31m\rX\u{8}"
        try "id,name,city\nC1,\"\(evil)\",\"深圳\u{1b}[31m\"\nC2,plain,上海\n".write(toFile: path, atomically: true, encoding: .utf8)
        for statement in ["clients", "clients by city show count", "clients where name like \"Wang%\" show name"] {
            let table = try SegBinary.run(["--data", path, "--format", "table", "-c", statement])
            #expect(table.status == 0, "\(table.stderr)")
            for bad: Character in ["\u{1b}", "\u{07}", "\u{9b}", "\r", "\u{8}"] {
                #expect(!table.stdout.contains(bad), "\(statement): \(bad.unicodeScalars.first.map { String($0.value, radix: 16) } ?? "") reached the terminal:\n\(table.stdout.debugDescription)")
            }
            #expect(table.stdout.contains(statement.contains("by") ? "深圳" : "Wang"), "\(table.stdout)")
        }
        // Markdown is read on screens too.
        let markdown = try SegBinary.run(["--data", path, "--format", "markdown", "-c", "clients"])
        #expect(!markdown.stdout.contains("\u{1b}"), "\(markdown.stdout.debugDescription)")
        // JSON escapes them; nothing raw reaches the terminal.
        let json = try SegBinary.run(["--data", path, "--format", "json", "-c", "clients"])
        #expect(!json.stdout.contains("\u{1b}"), "\(json.stdout.debugDescription)")
        // `like` on the control-laden name still matches: the data itself is kept as loaded.
        let csv = try SegBinary.run(["--data", path, "--format", "csv", "--no-formula-guard", "-c", "clients where name like \"Wang%\" count"])
        #expect(csv.stdout == "count\n1\n", "\(csv.stdout) \(csv.stderr)")
    }
}
