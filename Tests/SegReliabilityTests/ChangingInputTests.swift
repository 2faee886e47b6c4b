import Foundation
import Testing
import SegCore

// Input files that change while seg reads them (issue 19): another process truncating or
// rewriting a CSV, JSON Lines file or seg book during the load. seg used to map input files, and a
// page past the new end of a truncated file killed it with SIGBUS ("Program crashed: Bus error"
// in CSVReader.parseChunk or BookParallel.forEach). Now it reads them into its own memory and
// checks that the file did not change meanwhile: the answer is an I/O error naming the file.
//
// `SEG_TEST_TRUNCATE_INPUT=BYTES` makes seg truncate (or extend) the input file to BYTES itself,
// at the worst moment: after it has taken the file's size, before it reads the bytes.

@Suite("input files that change while seg reads them")
struct ChangingInputTests {
    /// A folder with the same 3,000 generated clients as CSV, JSON Lines and a seg book.
    static func books() throws -> (dir: URL, files: [String]) {
        let dir = try SegBinary.temporaryDirectory()
        let csv = dir.appendingPathComponent("book.csv").path
        let jsonl = dir.appendingPathComponent("book.jsonl").path
        let book = dir.appendingPathComponent("book.segbook").path
        let generated = try SegBinary.run(["generate", "--rows", "3000", "--output", csv])
        #expect(generated.status == 0, "\(generated.stderr)")
        let json = try SegBinary.run(["--data", csv, "--format", "jsonl", "-c", "clients show all"])
        #expect(json.status == 0, "\(json.stderr)")
        try Data(json.stdout.utf8).write(to: URL(fileURLWithPath: jsonl))
        let saved = try SegBinary.run(["--data", csv, "--save-book", book])
        #expect(saved.status == 0, "\(saved.stderr)")
        return (dir, [csv, jsonl, book])
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }

    /// Cut to nothing, to less than a page, to half, and grown by a page of zeros: never a crash,
    /// always exit 74 with the file named, nothing on standard output.
    @Test func aFileCutOrGrownDuringTheLoadIsAnIOError() throws {
        let (dir, files) = try Self.books()
        defer { try? FileManager.default.removeItem(at: dir) }
        for file in files {
            let full = Self.size(file)
            #expect(full > 100_000, "\(file) is \(full) bytes")
            for cut in [0, 1_000, full / 2, full + 4_096] {
                let victim = dir.appendingPathComponent("victim-" + URL(fileURLWithPath: file).lastPathComponent).path
                for statement in ["clients show all", "clients where age > 40 count"] {
                    try? FileManager.default.removeItem(atPath: victim)
                    try FileManager.default.copyItem(atPath: file, toPath: victim)
                    let r = try SegBinary.run(["--data", victim, "--format", "json", "-c", statement],
                                              environment: ["SEG_TEST_TRUNCATE_INPUT": String(cut)])
                    let what = "\(URL(fileURLWithPath: file).lastPathComponent) cut to \(cut) of \(full), \(statement)"
                    #expect(!r.signalled, "\(what): crashed\n\(r.stderr.prefix(600))")
                    #expect(r.status == 74, "\(what): status \(r.status)\n\(r.stderr.prefix(600))")
                    #expect(r.stderr.contains("'\(victim)'") && r.stderr.contains("changed while seg was reading it"),
                            "\(what): \(r.stderr.prefix(600))")
                    #expect(r.stdout.isEmpty, "\(what): \(r.stdout.prefix(200))")
                }
            }
        }
    }
}
