import Foundation
import SegTestSupport
import Testing

// --save-book and --data x.segbook through the real binary.

@Suite("seg books")
struct BookEndToEndTests {
    static let queries = [
        "clients where risk=averse and assets>1m count",
        "clients where products has fund sort by assets desc, id limit 5 show id, name, assets, products, birthday, note",
        "clients by city show count, sum(assets)",
        "clients where last_contact is empty show id, phone",
    ]

    @Test func saveThenOpenGivesTheSameAnswers() throws {
        let dir = try Seg.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = Seg.fixtures.appendingPathComponent("clients.csv").path
        let book = dir.appendingPathComponent("clients.segbook").path

        let save = try Seg.run(["--data", csv, "--save-book", book])
        #expect(save.status == 0, "\(save.stderr)")
        #expect(save.stdout == "")
        #expect(save.stderr.hasPrefix("saved \(book): "), "\(save.stderr)")
        #expect(save.stderr.contains(" rows, ") && save.stderr.hasSuffix("\n"))
        #expect(save.stderr.split(separator: "\n").count == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: book)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let args = Self.queries.flatMap { ["-c", $0] }
        let fromCSV = try Seg.run(["--data", csv] + args)
        let fromBook = try Seg.run(["--data", book] + args)
        #expect(fromCSV.status == 0 && fromBook.status == 0, "\(fromBook.stderr)")
        #expect(fromBook.stdout == fromCSV.stdout)
        #expect(fromBook.stderr == "")

        // Named, and recognised by its magic under another extension.
        let renamed = dir.appendingPathComponent("book.bin").path
        try FileManager.default.copyItem(atPath: book, toPath: renamed)
        let named = try Seg.run(["--data", "people=\(renamed)", "-c", "people count"])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout == (try Seg.run(["--data", csv, "-c", "clients count"])).stdout)
    }

    @Test func saveAndRunStatementsInOneGo() throws {
        let dir = try Seg.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = dir.appendingPathComponent("demo.segbook").path
        let r = try Seg.run(["--save-book", book, "-c", "clients count"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "count\n10000\n")
        #expect(r.stderr.hasPrefix("saved \(book): 10,000 rows, 20 columns, "))
        let opened = try Seg.run(["--data", book, "-c", "clients count"])
        #expect(opened.stdout == "count\n10000\n")
    }

    /// A fault at the write, fsync or rename of --save-book leaves the previous book byte-identical.
    @Test(arguments: ["write", "fsync", "rename"])
    func faultsLeaveThePreviousBook(_ fault: String) throws {
        let dir = try Seg.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = dir.appendingPathComponent("demo.segbook").path
        #expect(try Seg.run(["--save-book", book]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: book))
        let csv = dir.appendingPathComponent("small.csv").path
        #expect(try Seg.run(["generate", "--rows", "50", "--output", csv]).status == 0)
        let r = try Seg.run(["--data", csv, "--save-book", book], environment: ["SEG_TEST_FAIL": fault])
        #expect(r.status == 74, "\(r.stderr)")
        #expect(r.stderr.contains(book), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: book)) == before)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("seg-tmp") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func damagedAndNewerBooksFailCleanly() throws {
        let dir = try Seg.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = dir.appendingPathComponent("demo.segbook").path
        #expect(try Seg.run(["--save-book", book]).status == 0)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: book)))
        bytes[bytes.count / 2] ^= 0x20
        let damaged = dir.appendingPathComponent("damaged.segbook").path
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        let r = try Seg.run(["--data", damaged, "-c", "clients limit 1 show all"])
        #expect(r.status == 65)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix("error: \(damaged): damaged seg book: "), "\(r.stderr)")
        // A one-shot run checks the columns it reads; a count reads none, so it answers.
        let count = try Seg.run(["--data", damaged, "-c", "clients count"])
        #expect(count.status == 0 && count.stdout == "count\n10000\n", "\(count.stderr)")
        // Statements from standard input load, and so check, every column.
        let piped = try Seg.run(["--data", damaged], stdin: "clients count\n")
        #expect(piped.status == 65, "\(piped.stdout)")

        bytes[bytes.count / 2] ^= 0x20
        bytes[8] = 9
        let newer = dir.appendingPathComponent("newer.segbook").path
        try Data(bytes).write(to: URL(fileURLWithPath: newer))
        let n = try Seg.run(["--data", newer, "-c", "clients count"])
        #expect(n.status == 65)
        #expect(n.stderr.contains("written by a newer seg"), "\(n.stderr)")

        let missing = try Seg.run(["--data", dir.appendingPathComponent("none.segbook").path, "-c", "clients count"])
        #expect(missing.status == 66)
        // A folder is not mapped; reading it names the problem.
        let folder = dir.appendingPathComponent("folder.segbook")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let opened = try Seg.run(["--data", folder.path, "-c", "clients count"])
        #expect(opened.status == 66)
        #expect(opened.stderr.contains("Is a directory"), "\(opened.stderr)")
        // An empty file is not mapped either: read, it is no seg book.
        let empty = dir.appendingPathComponent("empty.segbook").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        let emptyRun = try Seg.run(["--data", empty, "-c", "clients count"])
        #expect(emptyRun.status == 65, "\(emptyRun.stderr)")
        let typed = try Seg.run(["--data", book, "--type", "age=text", "-c", "clients count"])
        #expect(typed.status == 64)
        #expect(typed.stderr.contains("--type does not apply to the seg book"))
    }
}
