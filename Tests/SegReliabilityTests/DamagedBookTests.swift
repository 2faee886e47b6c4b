import Foundation
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
import SegTestSupport

// Damaged and forged seg books (issues 19 and 20). A checksum catches damage, not forgery: a book
// whose checksums were recomputed after its bytes changed (`BookForgery.resealed`) must still be
// refused wherever the engine or the writers rely on its structure — valid UTF-8 text, column
// names a CSV header could have, sizes that agree with the row count — and whatever such a book
// holds, no output format may emit invalid UTF-8 or invalid JSON.

@Suite("damaged and forged seg books")
struct DamagedBookTests {
    /// A book of one integer column and one text column `name` with these bytes and offsets.
    static func textBook(_ bytes: [UInt8], offsets: [Int]) throws -> [UInt8] {
        let rows = offsets.count - 1
        let table = Table(name: "clients", columns: [
            Column(name: "id", data: .integer((0..<rows).map { Int64($0) }), validity: nil, count: rows),
            Column(name: "name", data: .text(TextBuffer(bytes: bytes, offsets: offsets)), validity: nil, count: rows),
        ], rowCount: rows, origin: "")
        return try BookFile.encode(table)
    }

    /// The message of the `.data` error naming `x.segbook` that decoding `bytes` must give.
    static func refusal(_ bytes: [UInt8], _ comment: Comment? = nil,
                        sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            _ = try BookFile.decode(bytes, fileName: "x.segbook", tableName: "clients")
            Issue.record("a damaged book opened \(comment.map { "(\($0))" } ?? "")", sourceLocation: sourceLocation)
        } catch let error as SegError {
            #expect(error.kind == .data, comment, sourceLocation: sourceLocation)
            #expect(error.fileLocation == "x.segbook", comment, sourceLocation: sourceLocation)
            return error.message
        } catch {
            Issue.record("not a SegError: \(error)", sourceLocation: sourceLocation)
        }
        return ""
    }

    /// A table with every type, missing values, CJK, emoji, combining marks and control characters.
    static func everyType() throws -> Table {
        let csv = """
            id,name,n,money,born,flag,city,tags
            1,王小明,10,1.50,2020-02-29,true,深圳,a;b
            2,"Zoë ""Z"" Ng",,2.25,,false,上海,
            3,,-7,,1999-12-31,,深圳,b;c;d
            4,😀 e\u{301}moji,0,-0.01,0001-01-01,true,,a
            5,"line
            break\ttab",9223372036854775807,123456789.99,9999-12-31,false,北京,d

            """
        return try DataLoader.load(bytes: Array(csv.utf8), fileName: "every.csv", format: .csv, tableName: "clients",
                                   types: ["flag": .boolean, "city": .category, "tags": .tags, "name": .text])
    }

    static let statements = ["clients show all", "clients by city show count, sum(money), min(name), max(born)",
                             "clients by tags show count", "clients sort by name desc limit 3 show name, city, tags",
                             "clients where flag = true count"]

    // MARK: - Text

    /// Found by mutating books: text bytes were copied as they were, so a forged book's invalid
    /// UTF-8 reached `--format json` (and CSV, TSV). Now the whole text is validated, and no row
    /// may begin inside a character.
    @Test(arguments: [
        ("a stray continuation byte", [0x41, 0x80, 0x42], [0, 1, 3]),
        ("0xFF", [0x61, 0xFF], [0, 1, 2]),
        ("an overlong NUL", [0xC0, 0x80], [0, 2]),
        ("a surrogate", [0xED, 0xA0, 0x80], [0, 3]),
        ("past U+10FFFF", [0xF4, 0x90, 0x80, 0x80], [0, 4]),
        ("a character cut short at the end", [0x41, 0xE4, 0xB8], [0, 1, 3]),
        ("a row boundary inside 王", Array("王".utf8), [0, 1, 3]),
        ("rows that split 王小 into valid-looking halves", Array("王小".utf8), [0, 2, 6]),
    ] as [(String, [UInt8], [Int])])
    func textThatIsNotUTF8IsRefusedNamingTheColumnAndRow(_ what: String, _ bytes: [UInt8], _ offsets: [Int]) throws {
        let book = try Self.textBook(bytes, offsets: offsets)
        let message = Self.refusal(book, "\(what)")
        #expect(message.hasPrefix("damaged seg book: column 'name' holds text that is not valid UTF-8 (row "), "\(what): \(message)")
    }

    @Test func aForgedBookWithInvalidTextWritesNothing() throws {
        let dir = try Seg.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("forged.segbook").path
        try Data(try Self.textBook([0x41, 0x42, 0xFF, 0x43], offsets: [0, 2, 4])).write(to: URL(fileURLWithPath: path))
        for format in ["json", "jsonl", "csv", "tsv", "table", "markdown"] {
            let r = try Seg.run(["--data", path, "--format", format, "-c", "clients show all"])
            #expect(!r.signalled && r.status == 65, "\(format): \(r.status) \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(format): \(r.stdout.debugDescription)")
            #expect(r.stderr == "error: \(path): damaged seg book: column 'name' holds text that is not valid UTF-8 (row 2)\n",
                    "\(format): \(r.stderr)")
        }
        // A statement that does not name the column does not read it (a one-shot run), so it works.
        let count = try Seg.run(["--data", path, "--format", "table", "-c", "clients where id > 0 count"])
        #expect(count.status == 0 && count.stdout == "1\n", "\(count.status) \(count.stdout) \(count.stderr)")
    }

    // MARK: - Names

    @Test(arguments: [["a", "A"], ["id", "ID"], ["Risk", "risk "], ["id", ""], ["id", "  "], ["", "id"]])
    func duplicateOrEmptyColumnNamesAreRefused(_ names: [String]) throws {
        let columns = names.map { Column(name: $0, data: .integer([1, 2]), validity: nil, count: 2) }
        let book = try BookFile.encode(Table(name: "clients", columns: columns, rowCount: 2, origin: ""))
        let message = Self.refusal(book, "\(names)")
        if names.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let column = (names.firstIndex { $0.trimmingCharacters(in: .whitespaces).isEmpty } ?? 0) + 1
            #expect(message == "damaged seg book: column \(column) has an empty name", "\(names)")
        } else {
            #expect(message == "damaged seg book: duplicate column name '\(names[1])' (columns 1 and 2)", "\(names)")
        }
    }

    // MARK: - Sizes

    /// Issue 20: a 128-byte forged book claiming 2^31 − 1 rows (and no columns) opened, and a
    /// statement on it allocated gigabytes. Every size is now checked against the file's before
    /// anything is allocated: the row count against every column's sections, read or not.
    @Test func aForgedRowCountIsRefusedBeforeAnythingIsAllocated() throws {
        let empty = try BookFile.encode(Table(name: "clients", columns: [], rowCount: Int(Int32.max), origin: ""))
        #expect(empty.count == 128)
        #expect(Self.refusal(empty) == "damaged seg book: it claims 2,147,483,647 rows but has no columns")

        let book = try BookFile.encode(DemoBook.table(rows: 20))
        for rows: UInt64 in [UInt64(Int32.max), 1 << 20, 21, 19, 0] {
            var forged = book
            for k in 0..<8 { forged[24 + k] = UInt8(truncatingIfNeeded: rows >> (8 * UInt64(k))) }
            let message = Self.refusal(BookForgery.resealed(forged), "\(rows) rows")
            #expect(message.hasPrefix("damaged seg book: section 1 of column 'id' is 168 bytes; "), "\(rows): \(message)")
        }
        #expect(BookForgery.resealed(book) == book, "resealing a sound book changes nothing")

        // Through the binary, with 2 GiB of address space: an error, not an allocation failure.
        let dir = try Seg.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("forged.segbook").path
        try Data(empty).write(to: URL(fileURLWithPath: path))
        for statement in ["clients count", "clients show all", "clients limit 1"] {
            let r = try Seg.run(["--data", path, "-c", statement], addressSpaceKiB: 2 << 20)
            #expect(!r.signalled && r.status == 65, "\(statement): \(r.status) \(r.stderr.prefix(500))")
            #expect(r.stderr.contains("it claims 2,147,483,647 rows but has no columns"), "\(statement): \(r.stderr.prefix(500))")
        }
    }

    // MARK: - Mutations

    /// Every byte of a small book with every type, flipped three ways. As damaged, each must be
    /// refused (the checksums see it). Forged (checksums recomputed), each must be refused or
    /// load a table whose every output, in every format, is valid UTF-8 and valid JSON.
    @Test func mutatedAndForgedBooksNeverReachTheOutput() throws {
        let book = try BookFile.encode(try Self.everyType())
        var forgedLoaded = 0, forgedRefused = 0
        for i in book.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = book
                damaged[i] ^= mask
                _ = Self.refusal(damaged, "byte \(i) ^ \(mask)")
                let forged = BookForgery.resealed(damaged)
                guard let table = try? BookFile.decode(forged, fileName: "x.segbook", tableName: "clients") else {
                    forgedRefused += 1
                    continue
                }
                forgedLoaded += 1
                let problems = OutputCheck.problems(table, statements: Self.statements)
                #expect(problems.isEmpty, "byte \(i) ^ \(mask), forged: \(problems.prefix(3))")
            }
        }
        #expect(forgedLoaded > 0 && forgedRefused > 0)
        print("forged mutations of a \(book.count)-byte book: \(forgedLoaded) loaded (every output valid), \(forgedRefused) refused")
    }
}
