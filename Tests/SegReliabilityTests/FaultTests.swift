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

// Faults and data safety through the real binary: full disks and closed pipes, spreadsheet
// formula cells in CSV/TSV exports, and terminal control sequences hidden in client data.

@Suite("faults and data safety")
struct FaultTests {
    /// Runs seg with standard output going to `path` (e.g. /dev/full).
    static func run(_ arguments: [String], stdoutPath: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Seg.binary)
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
        process.arguments = ["-o", "pipefail", "-c", script, Seg.binary]
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
        let path = try Seg.temporaryDirectory().appendingPathComponent("risky.csv").path
        try (risky + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func csvExportNeutralisesFormulasAndTheGuardCanBeTurnedOff() throws {
        let path = try Self.book()
        let guarded = try Seg.run(["--data", path, "--format", "csv", "-c", "clients show id, name, note, amount"])
        #expect(guarded.status == 0, "\(guarded.stderr)")
        #expect(guarded.stdout == """
            id,name,note,amount
            C1,'=1+2,"'=HYPERLINK(""http://x"")",-5.00
            C2,'+cmd,'@SUM(A1),12.50
            C3,'-minus,'\ttab,0.00
            C4,plain,safe,1.00

            """, "\(guarded.stdout)")
        let tsv = try Seg.run(["--data", path, "--format", "tsv", "-c", "clients show name, amount"])
        #expect(tsv.stdout == "name\tamount\n'=1+2\t-5.00\n'+cmd\t12.50\n'-minus\t0.00\nplain\t1.00\n", "\(tsv.stdout)")
        let raw = try Seg.run(["--data", path, "--format", "csv", "--no-formula-guard", "-c", "clients show name, amount"])
        #expect(raw.stdout == "name,amount\n=1+2,-5.00\n+cmd,12.50\n-minus,0.00\nplain,1.00\n", "\(raw.stdout)")
        // JSON is data, not a spreadsheet: values as they are.
        let json = try Seg.run(["--data", path, "--format", "jsonl", "-c", "clients where id = C1 show name"])
        #expect(json.stdout == "{\"name\":\"=1+2\"}\n", "\(json.stdout)")
    }

    @Test func terminalOutputStripsControlCharacters() throws {
        let path = try Seg.temporaryDirectory().appendingPathComponent("esc.csv").path
        let evil = "Wang\u{1b}[2J\u{1b}]0:title\u{07}\u{9b}31m\rX\u{8}"
        try "id,name,city\nC1,\"\(evil)\",\"深圳\u{1b}[31m\"\nC2,plain,上海\n".write(toFile: path, atomically: true, encoding: .utf8)
        for statement in ["clients", "clients by city show count", "clients where name like \"Wang%\" show name"] {
            let table = try Seg.run(["--data", path, "--format", "table", "-c", statement])
            #expect(table.status == 0, "\(table.stderr)")
            for bad: Character in ["\u{1b}", "\u{07}", "\u{9b}", "\r", "\u{8}"] {
                #expect(!table.stdout.contains(bad), "\(statement): \(bad.unicodeScalars.first.map { String($0.value, radix: 16) } ?? "") reached the terminal:\n\(table.stdout.debugDescription)")
            }
            #expect(table.stdout.contains(statement.contains("by") ? "深圳" : "Wang"), "\(table.stdout)")
        }
        // Markdown is read on screens too.
        let markdown = try Seg.run(["--data", path, "--format", "markdown", "-c", "clients"])
        #expect(!markdown.stdout.contains("\u{1b}"), "\(markdown.stdout.debugDescription)")
        // JSON escapes them; nothing raw reaches the terminal.
        let json = try Seg.run(["--data", path, "--format", "json", "-c", "clients"])
        #expect(!json.stdout.contains("\u{1b}"), "\(json.stdout.debugDescription)")
        // `like` on the control-laden name still matches: the data itself is kept as loaded.
        let csv = try Seg.run(["--data", path, "--format", "csv", "--no-formula-guard", "-c", "clients where name like \"Wang%\" count"])
        #expect(csv.stdout == "count\n1\n", "\(csv.stdout) \(csv.stderr)")
    }
}

/// `AtomicFile.Replacement`, the one mechanism behind every file seg writes (segment library,
/// snapshots, history, `.output`): faults through the binary are in `SegmentsEndToEndTests` and
/// `SegREPLTests.SafeWriteTests`; these check the replacement's own promises in-process.
@Suite("atomic replacement")
struct AtomicReplacementTests {
    func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    func temporaries(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(".seg-tmp-") }
    }

    @Test func newFilesAre0600AndReplacedFilesKeepTheirMode() throws {
        let dir = try Seg.temporaryDirectory().path
        let fresh = dir + "/fresh.csv", shared = dir + "/shared.csv"
        try AtomicFile.write(Array("a\n".utf8), to: fresh)
        #expect(mode(fresh) == 0o600)
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: shared))
        chmod(shared, 0o640)
        try AtomicFile.write(Array("new\n".utf8), to: shared)
        #expect(mode(shared) == 0o640)
        #expect(FileManager.default.contents(atPath: shared) == Data("new\n".utf8))
        // An explicit mode wins (history is always 0600).
        try AtomicFile.write(Array("newer\n".utf8), to: shared, mode: 0o600)
        #expect(mode(shared) == 0o600)
        #expect(temporaries(dir).isEmpty)
    }

    @Test func untilCommittedTheOldFileStaysAndADroppedReplacementLeavesNothing() throws {
        let dir = try Seg.temporaryDirectory().path
        let path = dir + "/out.csv"
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
        do {
            let replacement = try AtomicFile.Replacement(replacing: path)
            try replacement.write(Array("half".utf8))
            #expect(FileManager.default.contents(atPath: path) == Data("old\n".utf8))
            #expect(temporaries(dir).count == 1)
            #expect(mode(replacement.temporaryPath) == 0o600)
        }
        #expect(FileManager.default.contents(atPath: path) == Data("old\n".utf8))
        #expect(temporaries(dir).isEmpty)
    }

    @Test func aSymbolicLinkStaysAndItsTargetIsReplaced() throws {
        let dir = try Seg.temporaryDirectory().path
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: dir + "/real/export.csv"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: dir + "/real/export.csv")
        try AtomicFile.write(Array("new\n".utf8), to: dir + "/link.csv")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.csv") == dir + "/real/export.csv")
        #expect(FileManager.default.contents(atPath: dir + "/real/export.csv") == Data("new\n".utf8))
    }

    @Test func aMissingFolderIsAnErrorNamingTheFile() throws {
        #expect {
            try AtomicFile.write(Array("x".utf8), to: "/nonexistent-seg-dir/out.csv")
        } throws: { error in
            (error as? SegError)?.message == "cannot create '/nonexistent-seg-dir/out.csv': No such file or directory"
        }
    }
}
