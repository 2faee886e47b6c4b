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
        let dir = try Seg.temporaryDirectory()
        let csv = dir.appendingPathComponent("book.csv").path
        let jsonl = dir.appendingPathComponent("book.jsonl").path
        let book = dir.appendingPathComponent("book.segbook").path
        let generated = try Seg.run(["generate", "--rows", "3000", "--output", csv])
        #expect(generated.status == 0, "\(generated.stderr)")
        let json = try Seg.run(["--data", csv, "--format", "jsonl", "-c", "clients show all"])
        #expect(json.status == 0, "\(json.stderr)")
        try Data(json.stdout.utf8).write(to: URL(fileURLWithPath: jsonl))
        let saved = try Seg.run(["--data", csv, "--save-book", book])
        #expect(saved.status == 0, "\(saved.stderr)")
        return (dir, [csv, jsonl, book])
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }

    /// Cut to nothing, to less than a page, to half, rewritten at the same size, and grown by a
    /// page of zeros: never a crash, always exit 74 with the file named and the change described,
    /// nothing on standard output.
    @Test func aFileCutOrGrownDuringTheLoadIsAnIOError() throws {
        let (dir, files) = try Self.books()
        defer { try? FileManager.default.removeItem(at: dir) }
        for file in files {
            let full = Self.size(file)
            #expect(full > 100_000, "\(file) is \(full) bytes")
            // `full`: the same size, but truncate() stamps a new modification time, as a rewrite would.
            for cut in [0, 1_000, full / 2, full, full + 4_096] {
                let victim = dir.appendingPathComponent("victim-" + URL(fileURLWithPath: file).lastPathComponent).path
                for statement in ["clients show all", "clients where age > 40 count"] {
                    try? FileManager.default.removeItem(atPath: victim)
                    try FileManager.default.copyItem(atPath: file, toPath: victim)
                    let r = try Seg.run(["--data", victim, "--format", "json", "-c", statement],
                                              environment: ["SEG_TEST_TRUNCATE_INPUT": String(cut)])
                    let what = "\(URL(fileURLWithPath: file).lastPathComponent) cut to \(cut) of \(full), \(statement)"
                    #expect(!r.signalled, "\(what): crashed\n\(r.stderr.prefix(600))")
                    #expect(r.status == 74, "\(what): status \(r.status)\n\(r.stderr.prefix(600))")
                    #expect(r.stderr.contains("'\(victim)'") && r.stderr.contains("changed while seg was reading it"),
                            "\(what): \(r.stderr.prefix(600))")
                    #expect(r.stdout.isEmpty, "\(what): \(r.stdout.prefix(200))")
                    let detail = cut == full ? "(modified in place)"
                        : "(\(full.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))) bytes when opened, "
                          + "\(cut.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))) now)"
                    #expect(r.stderr.contains(detail), "\(what): \(r.stderr.prefix(600))")
                }
            }
        }
    }

    /// The race itself, without the hook: another thread truncates the file to 1,000 bytes at
    /// moments spread over a load of every column (more of them early on). seg either read the file before (the answer),
    /// or finds it cut short (exit 65, naming the file), or reports the change (exit 74); never a
    /// signal. (The mapped reader died with SIGBUS when the cut came during the load.)
    @Test func aFileTruncatedByAnotherProcessDuringTheLoad() throws {
        let dir = try Seg.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("race.csv").path
        let book = dir.appendingPathComponent("race.segbook").path
        #expect(try Seg.run(["generate", "--rows", "50000", "--output", csv]).status == 0)
        #expect(try Seg.run(["--data", csv, "--save-book", book]).status == 0)
        let statement = Data("clients count\n".utf8)  // from standard input: every column is read
        var outcomes: [String: Int] = [:]
        for file in [csv, book] {
            let start = Date()
            let full = try Seg.run(["--data", file], input: statement)
            #expect(full.status == 0 && full.stdout.contains("50000"), "\(full.status) \(full.stdout) \(full.stderr)")
            let took = Date().timeIntervalSince(start)
            let victim = dir.appendingPathComponent("victim-" + URL(fileURLWithPath: file).lastPathComponent).path
            // Mostly early: reading a text file is the first few percent of its load.
            let fractions: [Double] = [0, 1 / 256, 1 / 128, 1 / 64, 1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2]
            for fraction in fractions {
                try? FileManager.default.removeItem(atPath: victim)
                try FileManager.default.copyItem(atPath: file, toPath: victim)
                let delay = took * fraction
                let cut = DispatchGroup()
                cut.enter()
                DispatchQueue.global().async {
                    usleep(useconds_t(delay * 1_000_000))
                    _ = truncate(victim, 1_000)
                    cut.leave()
                }
                let r = try Seg.run(["--data", victim], input: statement)
                cut.wait()
                let what = "\(URL(fileURLWithPath: file).lastPathComponent) cut after \(Int(delay * 1000)) ms"
                #expect(!r.signalled, "\(what): crashed: \(r.stderr.prefix(500))")
                switch r.status {
                case 0:
                    #expect(r.stdout.contains("50000"), "\(what): \(r.stdout)")
                case 65:
                    #expect(r.stderr.contains(victim), "\(what): \(r.stderr.prefix(500))")
                case 74:
                    #expect(r.stderr.contains("'\(victim)': it changed while seg was reading it"), "\(what): \(r.stderr.prefix(500))")
                default:
                    Issue.record("\(what): status \(r.status): \(r.stderr.prefix(500))")
                }
                outcomes["\(URL(fileURLWithPath: file).pathExtension) exit \(r.status)", default: 0] += 1
            }
        }
        print("truncation race: \(outcomes.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", "))")
    }
}
