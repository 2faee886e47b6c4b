import Foundation
import Testing
@testable import SegBase
@testable import SegPatterns
@testable import SegStore
@testable import SegSyntax
@testable import SegFunctions
@testable import SegSemantics
@testable import SegSQL
@testable import SegIO
@testable import SegEngine
@testable import SegCommands

/// Binary books: round trips, identical answers, and damaged files that must fail cleanly.
@Suite struct BookFileTests {
    // MARK: - Helpers

    static let queries = [
        "clients where risk=averse and assets>1m count",
        "clients where risk=averse and assets>1m sort by assets desc, id limit 20 show id, name, phone, assets",
        "clients where products has fund and not products has insurance and age between 30 and 50 count",
        "clients by tier, risk show count, sum(assets), avg(assets)",
        "clients where tier in (vip, private) and anniversary(birthday) in next 45 days sort by anniversary(birthday), id show id",
        "clients where tier in (vip, private) and (last_contact is empty or days_since(last_contact) > 180) sort by manager, last_contact, id show id",
        #"clients where name like "王%" or name ~ "(^| )Wang( |$)" count"#,
        "clients where city = 深圳 and assets >= 100k show all",
    ]

    static func answers(_ table: Table, _ statements: [String]) throws -> [String] {
        let options = SessionOptions(today: CivilDate.parse("2026-11-15") ?? 0, writer: WriterOptions(format: .csv))
        var session = Session(tables: [table], options: options)
        return try statements.map { statement in
            let output = Output(.memory)
            try session.run(Source(name: "", text: statement), output: output)
            try output.flush()
            return output.text
        }
    }

    static func roundTrip(_ table: Table) throws -> Table {
        let bytes = try BookFile.encode(table)
        return try BookFile.decode(bytes, fileName: "t.segbook", tableName: table.name)
    }

    /// A table with every type, missing values in each, unicode and an empty string.
    static func everyType() throws -> Table {
        let csv = """
            id,name,n,money,born,flag,city,tags
            1,王小明,10,1.50,2020-02-29,true,深圳,a;b
            2,"Zoë ""Z"" Ng",,2.25,,false,上海,
            3,,-7,,1999-12-31,,深圳,b;c;d
            4,😀 emoji,0,-0.01,0001-01-01,true,,a
            5,"line
            break",9223372036854775807,123456789.99,9999-12-31,false,北京,d

            """
        return try DataLoader.load(bytes: Array(csv.utf8), fileName: "every.csv", format: .csv, tableName: "clients",
                                   types: ["flag": .boolean, "city": .category, "tags": .tags, "name": .text])
    }

    static func expectDamaged(_ bytes: [UInt8], _ comment: Comment? = nil, _ sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try BookFile.decode(bytes, fileName: "x.segbook", tableName: "clients")
            Issue.record("a damaged book opened \(comment.map { "(\($0))" } ?? "")", sourceLocation: sourceLocation)
        } catch let error as SegError {
            #expect(error.kind == .data, comment, sourceLocation: sourceLocation)
            #expect(error.fileLocation == "x.segbook", comment, sourceLocation: sourceLocation)
        } catch {
            Issue.record("not a SegError: \(error)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Checksum

    @Test func checksumIsXXH64() {
        func h(_ s: String, _ seed: UInt64 = 0) -> UInt64 { Array(s.utf8).withUnsafeBytes { BookChecksum.hash($0, seed: seed) } }
        // The reference implementation's known answers.
        #expect(h("") == 0xEF46_DB37_51D8_E999)
        #expect(h("a") == 0xD24E_C4F1_A98C_6E5B)
        #expect(h("abc") == 0x44BC_2CF5_AD77_0999)
        #expect(h("12345678901234567890123456789012") == 0x40FD_1AA5_2D98_274C)
        #expect(h("The quick brown fox jumps over the lazy dog") == 0x0B24_2D36_1FDA_71BC)
        #expect(h("abc", 5_381) == 0x19D1_C1B5_C673_451F)
        // Every length up to two stripes, and a flip anywhere changes it.
        let data = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        for n in 0...data.count {
            let base = Array(data[0..<n])
            for i in 0..<n {
                var flipped = base
                flipped[i] ^= 0x10
                #expect(base.withUnsafeBytes { BookChecksum.hash($0) } != flipped.withUnsafeBytes { BookChecksum.hash($0) })
            }
        }
    }

    @Test func sectionChecksumSpansBlocks() {
        let big = [UInt8](repeating: 7, count: BookFile.checksumBlock * 2 + 5)
        var other = big
        other[BookFile.checksumBlock + 3] = 8
        let a = big.withUnsafeBytes { BookChecksum.section($0) }
        #expect(a == big.withUnsafeBytes { BookChecksum.section($0) })
        #expect(a != other.withUnsafeBytes { BookChecksum.section($0) })
    }

    // MARK: - Round trips

    @Test func demoBookRoundTripsWithIdenticalAnswers() throws {
        let table = DemoBook.table()
        let bytes = try BookFile.encode(table)
        #expect(Array(bytes.prefix(8)) == BookFile.magic)
        let back = try BookFile.decode(bytes, fileName: "demo.segbook", tableName: "clients")
        #expect(back.origin == "demo.segbook")
        #expect(back.rowCount == table.rowCount)
        #expect(back.columns.map(\.name) == table.columns.map(\.name))
        #expect(back.columns.map(\.type) == table.columns.map(\.type))
        #expect(try BookFile.encode(back) == bytes)
        #expect(try Self.answers(back, Self.queries) == (try Self.answers(table, Self.queries)))
    }

    @Test func everyColumnTypeRoundTrips() throws {
        let table = try Self.everyType()
        #expect(Set(table.columns.map(\.type)) == Set(FieldType.allCases))
        #expect(table.columns.allSatisfy { $0.missingCount > 0 || $0.name == "id" })
        let back = try Self.roundTrip(table)
        #expect(try BookFile.encode(back) == (try BookFile.encode(table)))
        let show = ["clients show all", "clients where tags has b show id, tags", "clients where money > 2 count",
                    "clients by city show count", "clients where flag = true show id", "clients where born is empty show id"]
        #expect(try Self.answers(back, show) == (try Self.answers(table, show)))
        for (a, b) in zip(table.columns, back.columns) {
            #expect(a.validity == b.validity, "\(a.name)")
            #expect(a.scale == b.scale, "\(a.name)")
        }
    }

    @Test func emptyTableRoundTrips() throws {
        let full = try Self.everyType()
        let empty = Table(name: "clients", columns: full.columns.map { c in
            let data: ColumnData
            switch c.data {
            case .integer: data = .integer([])
            case .decimal(_, let s): data = .decimal([], scale: s)
            case .date: data = .date([])
            case .boolean: data = .boolean([])
            case .category(_, let d): data = .category(codes: [], dictionary: d)
            case .text: data = .text(TextBuffer())
            case .tags(let t): data = .tags(TagSets(vocabulary: t.vocabulary, wordsPerRow: t.wordsPerRow, bits: []))
            }
            return Column(name: c.name, data: data, validity: nil, count: 0)
        }, rowCount: 0, origin: "")
        let back = try Self.roundTrip(empty)
        #expect(back.rowCount == 0)
        #expect(back.columns.count == full.columns.count)
        #expect(try Self.answers(back, ["clients count"]) == ["count\n0\n"])
        let none = try Self.roundTrip(Table(name: "t", columns: [], rowCount: 0, origin: ""))
        #expect(none.columns.isEmpty)
    }

    @Test func manyTagsRoundTrip() throws {
        let vocabulary = (0..<130).map { String(format: "t%03d", $0) }
        var bits: [UInt64] = []
        for row in 0..<50 {
            var words = [UInt64](repeating: 0, count: 3)
            for t in vocabulary.indices where (t + row) % 7 == 0 { words[t >> 6] |= 1 << UInt64(t & 63) }
            bits += words
        }
        let column = Column(name: "tags", data: .tags(TagSets(vocabulary: vocabulary, wordsPerRow: 3, bits: bits)),
                            validity: nil, count: 50)
        let table = Table(name: "clients", columns: [column], rowCount: 50, origin: "")
        let back = try Self.roundTrip(table)
        guard case .tags(let t) = back.columns[0].data else { Issue.record("not tags"); return }
        #expect(t.vocabulary == vocabulary)
        #expect(t.wordsPerRow == 3)
        #expect(t.bits == bits)
        #expect(try Self.answers(back, ["clients where tags has t129 count"]) == (try Self.answers(table, ["clients where tags has t129 count"])))
    }

    @Test func writesAtomicallyWithMode0600() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("segbook-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/demo.segbook"
        let table = DemoBook.table(rows: 500)
        let size = try BookFile.write(table, to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.size] as? Int) == size)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["demo.segbook"])
        let opened = try DataLoader.load(path: path, tableName: "clients", types: [:])
        #expect(opened.origin == path)
        #expect(try Self.answers(opened, Self.queries) == (try Self.answers(table, Self.queries)))
        // By magic, whatever the extension.
        let other = dir + "/book.bin"
        try FileManager.default.copyItem(atPath: path, toPath: other)
        #expect(BookFile.isBook(path: other))
        #expect(try DataLoader.load(path: other, tableName: "clients", types: [:]).rowCount == 500)
        #expect(throws: SegError.self) { try DataLoader.load(path: path, tableName: "clients", types: ["age": .text]) }
    }

    // MARK: - Damage

    @Test func everyFlippedByteIsCaught() throws {
        let bytes = try BookFile.encode(DemoBook.table(rows: 40))
        for i in bytes.indices {
            for mask: UInt8 in [0x01, 0x80] {
                var damaged = bytes
                damaged[i] ^= mask
                Self.expectDamaged(damaged, "byte \(i) ^ \(mask)")
            }
        }
    }

    @Test func flipsAcrossALargerBookAreCaught() throws {
        let table = try Self.everyType()
        var bytes = try BookFile.encode(DemoBook.table(rows: 3_000))
        var positions = Array(stride(from: 0, to: bytes.count, by: 211)) + [bytes.count - 1]
        for i in positions {
            bytes[i] ^= 0x04
            Self.expectDamaged(bytes, "byte \(i)")
            bytes[i] ^= 0x04
        }
        bytes = try BookFile.encode(table)
        positions = Array(bytes.indices)
        for i in positions {
            bytes[i] ^= 0x40
            Self.expectDamaged(bytes, "byte \(i)")
            bytes[i] ^= 0x40
        }
    }

    @Test func everyTruncationIsCaught() throws {
        let bytes = try BookFile.encode(try Self.everyType())
        for n in 0..<bytes.count {
            Self.expectDamaged(Array(bytes[0..<n]), "cut at \(n)")
        }
        Self.expectDamaged(bytes + [0], "one byte more")
        let demo = try BookFile.encode(DemoBook.table(rows: 2_000))
        for n in stride(from: 0, to: demo.count, by: 1_009) {
            Self.expectDamaged(Array(demo[0..<n]), "cut at \(n)")
        }
    }

    @Test func newerVersionIsRefusedClearly() throws {
        var bytes = try BookFile.encode(DemoBook.table(rows: 10))
        bytes[8] = 2
        #expect {
            try BookFile.decode(bytes, fileName: "new.segbook", tableName: "clients")
        } throws: { error in
            guard let e = error as? SegError else { return false }
            return e.kind == .data && e.message.contains("written by a newer seg") && e.fileLocation == "new.segbook"
        }
    }

    @Test func notABook() throws {
        for bytes in [[], Array("id,name\n1,a\n".utf8), Array("SEGBOO".utf8), [UInt8](repeating: 0, count: 200)] {
            #expect {
                try BookFile.decode(bytes, fileName: "x.segbook", tableName: "clients")
            } throws: { error in
                (error as? SegError).map { $0.kind == .data && $0.message.contains("not a seg book") } ?? false
            }
        }
        // Only the magic: cut short.
        Self.expectDamaged(BookFile.magic)
    }

    /// Books whose checksums are right but whose structure is not (as a forger could write): the
    /// writer does not check, so encoding a broken table makes one.
    @Test func forgedStructureIsCaught() throws {
        func book(_ data: ColumnData, count: Int = 3, validity: Bitmap? = nil) throws -> [UInt8] {
            try BookFile.encode(Table(name: "clients", columns: [Column(name: "c", data: data, validity: validity, count: count)],
                                      rowCount: count, origin: ""))
        }
        let cases: [(String, [UInt8])] = [
            ("text offsets", try book(.text(TextBuffer(bytes: Array("abcdef".utf8), offsets: [0, 4, 2, 6])))),
            ("text end", try book(.text(TextBuffer(bytes: Array("abcdef".utf8), offsets: [0, 1, 2, 9])))),
            ("text start", try book(.text(TextBuffer(bytes: Array("abcdef".utf8), offsets: [1, 2, 3, 6])))),
            ("wrapping offsets", try book(.text(TextBuffer(bytes: Array("abcdef".utf8), offsets: [0, Int.max, -2, 6])))),
            ("code past dictionary", try book(.category(codes: [0, 1, 2], dictionary: ["a", "b"]))),
            ("unsorted dictionary", try book(.category(codes: [0, 1, 0], dictionary: ["b", "a"]))),
            ("repeated dictionary", try book(.category(codes: [0, 1, 0], dictionary: ["a", "a"]))),
            ("tag words", try book(.tags(TagSets(vocabulary: ["a"], wordsPerRow: 2, bits: [0, 0, 0, 0, 0, 0])))),
            ("stray tag bit", try book(.tags(TagSets(vocabulary: ["a", "b"], wordsPerRow: 1, bits: [1, 4, 0])))),
            ("tags short", try book(.tags(TagSets(vocabulary: ["a"], wordsPerRow: 1, bits: [1, 0])))),
            ("integers short", try book(.integer([1, 2]))),
            ("date range", try book(.date([0, Int32.max, 0]))),
            ("validity size", try book(.integer([1, 2, 3]), validity: Bitmap(words: [1, 0], count: 3))),
        ]
        for (what, bytes) in cases { Self.expectDamaged(bytes, "\(what)") }
        // Validity with bits past the last row: forge the words behind Bitmap's back.
        var bitmap = Bitmap(count: 3)
        bitmap.words = [0b1001]
        Self.expectDamaged(try book(.integer([1, 2, 3]), validity: bitmap), "validity tail")
        // Booleans other than 0 and 1.
        var raw = try book(.boolean([true, false, true]))
        let table = try BookFile.decode(raw, fileName: "b.segbook", tableName: "clients")
        #expect(table.rowCount == 3)
        if let at = Self.firstSection(raw) {
            raw[at] = 2
            Self.reseal(&raw)
            Self.expectDamaged(raw, "boolean byte 2")
        }
    }

    /// The offset of the first section (metadata: name, count, then one column's fixed fields).
    static func firstSection(_ bytes: [UInt8]) -> Int? {
        BookFile.aligned(BookFile.headerSize + Int(metadataLength(bytes)))
    }

    static func metadataLength(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 40, as: UInt64.self)) }
    }

    /// Recomputes every checksum of a one-column book after its bytes were edited.
    static func reseal(_ bytes: inout [UInt8]) {
        let metaEnd = BookFile.headerSize + Int(metadataLength(bytes))
        // Walk the metadata: table name, column count, column name, 4 bytes, 2 counts, sections.
        func u32(_ at: Int) -> Int { bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self))) } }
        func u64(_ at: Int) -> Int { bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self))) } }
        func put(_ v: UInt64, _ at: Int) { withUnsafeBytes(of: v.littleEndian) { for k in 0..<8 { bytes[at + k] = $0[k] } } }
        var p = BookFile.headerSize
        p += 4 + u32(p)
        p += 4
        p += 4 + u32(p)
        let sections = Int(bytes[p + 3])
        p += 4 + 16
        for _ in 0..<sections {
            let offset = u64(p), length = u64(p + 8)
            let sum = bytes.withUnsafeBytes { BookChecksum.section(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + length)])) }
            put(sum, p + 16)
            p += 24
        }
        put(bytes.withUnsafeBytes { BookChecksum.hash(UnsafeRawBufferPointer(rebasing: $0[BookFile.headerSize..<metaEnd])) }, 48)
        put(bytes.withUnsafeBytes { BookChecksum.hash(UnsafeRawBufferPointer(rebasing: $0[0..<56])) }, 56)
    }

    @Test func resealedBookStillOpens() throws {
        var raw = try BookFile.encode(Table(name: "clients", columns: [Column(name: "c", data: .integer([5, 6]), validity: nil, count: 2)],
                                            rowCount: 2, origin: ""))
        if let at = Self.firstSection(raw) { raw[at] = 9 }
        Self.reseal(&raw)
        let table = try BookFile.decode(raw, fileName: "r.segbook", tableName: "clients")
        guard case .integer(let v) = table.columns[0].data else { Issue.record("not integer"); return }
        #expect(v == [9, 6])
    }

    @Test func invalidUTF8InADictionaryIsCaught() throws {
        var raw = try BookFile.encode(Table(name: "clients", columns: [
            Column(name: "c", data: .category(codes: [0, 1], dictionary: ["a", "b"]), validity: nil, count: 2),
        ], rowCount: 2, origin: ""))
        // Sections: codes (8 bytes), dictionary offsets (24 bytes), dictionary bytes "ab".
        guard let first = Self.firstSection(raw) else { return }
        let bytesAt = BookFile.aligned(BookFile.aligned(first + 8) + 24)
        #expect(raw[bytesAt] == UInt8(ascii: "a"))
        raw[bytesAt] = 0xFF
        Self.reseal(&raw)
        Self.expectDamaged(raw, "invalid UTF-8")
    }
}
