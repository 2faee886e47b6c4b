import Testing
import SegTestSupport
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

// MARK: - Fixtures

private func textColumn(_ name: String, _ values: [String?]) -> Column {
    var buffer = TextBuffer()
    var validity = Bitmap(count: values.count, filled: true)
    for (i, v) in values.enumerated() {
        buffer.append(v ?? "")
        if v == nil { validity[i] = false }
    }
    return Column(name: name, data: .text(buffer), validity: validity, count: values.count)
}

private func validity(_ present: [Bool]) -> Bitmap {
    var b = Bitmap(count: present.count, filled: true)
    for (i, p) in present.enumerated() where !p { b[i] = false }
    return b
}

private func result(_ columns: [Column], kind: ResultSet.Kind = .rows(noun: "clients"), rows: [Int32]? = nil,
                    total: Int? = nil) -> ResultSet {
    let count = rows?.count ?? columns.first?.count ?? 0
    return ResultSet(columns: columns.map { ResultColumn(name: $0.name, column: $0, rows: rows) },
                     rowCount: count, kind: kind, totalBeforeLimit: total)
}

private func render(_ r: ResultSet, _ format: OutputFormat, color: Bool = false, width: Int? = nil,
                    maxRows: Int? = nil, neutralize: Bool = true) throws -> String {
    let out = Output(.memory)
    try ResultWriter.write(r, options: WriterOptions(format: format, color: color, terminalWidth: width,
                                                     maxRows: maxRows, neutralizeFormulas: neutralize), to: out)
    try out.flush()
    return out.text
}

/// id, name, risk, assets — the example from the table writer's documentation.
private func clients() -> ResultSet {
    result([
        textColumn("id", ["C0000012", "C0000345"]),
        textColumn("name", ["王伟", "Li Na"]),
        Column(name: "risk", data: .category(codes: [0, 0], dictionary: ["averse"]), validity: nil, count: 2),
        Column(name: "assets", data: .decimal([123_456_789, 98_000_000], scale: 2), validity: nil, count: 2),
    ])
}

/// Every type, with missing values, a negative decimal, odd text.
private func mixed() -> ResultSet {
    result([
        textColumn("name", ["王伟", "=1+2", nil]),
        Column(name: "age", data: .integer([45, -3, 0]), validity: validity([true, true, false]), count: 3),
        Column(name: "balance", data: .decimal([-5, 123_456_700, 0], scale: 2), validity: validity([true, true, false]),
               count: 3),
        Column(name: "birthday", data: .date([Int32(CivilDate.days(year: 1980, month: 2, day: 29)), 0, 0]),
               validity: validity([true, true, false]), count: 3),
        Column(name: "vip", data: .boolean([true, false, false]), validity: validity([true, true, false]), count: 3),
        Column(name: "city", data: .category(codes: [1, 0, 0], dictionary: ["-x", "深圳"]),
               validity: validity([true, true, false]), count: 3),
        Column(name: "products",
               data: .tags(TagSets(vocabulary: ["deposit", "fund", "gold"], wordsPerRow: 1, bits: [0b101, 0b010, 0])),
               validity: validity([true, true, false]), count: 3),
    ])
}

// MARK: - Table

@Suite struct TableWriterTests {
    @Test func chineseNamesAlignByDisplayWidth() throws {
        let text = try render(clients(), .table)
        #expect(text == """
             id       │ name  │ risk   │       assets
            ──────────┼───────┼────────┼──────────────
             C0000012 │ 王伟  │ averse │ 1,234,567.89
             C0000345 │ Li Na │ averse │   980,000.00
            2 clients

            """)
    }

    @Test func singularFooterAndColor() throws {
        let r = result([textColumn("id", ["C1"])])
        #expect(try render(r, .table) == " id\n────\n C1\n1 client\n")
        #expect(try render(r, .table, color: true) == "\u{1B}[1m id\u{1B}[0m\n────\n C1\n\u{1B}[2m1 client\u{1B}[0m\n")
    }

    @Test func missingNegativeTagsBooleansDates() throws {
        let text = try render(mixed(), .table)
        #expect(text == """
             name │ age │      balance │ birthday   │ vip   │ city │ products
            ──────┼─────┼──────────────┼────────────┼───────┼──────┼──────────────
             王伟 │  45 │        -0.05 │ 1980-02-29 │ true  │ 深圳 │ deposit;gold
             =1+2 │  -3 │ 1,234,567.00 │ 1970-01-01 │ false │ -x   │ fund
                  │     │              │            │       │      │
            3 clients

            """)
    }

    @Test func zeroRows() throws {
        let r = result([textColumn("id", []), Column(name: "assets", data: .decimal([], scale: 2), validity: nil, count: 0)])
        #expect(try render(r, .table) == " id │ assets\n────┼────────\n0 clients\n")
    }

    @Test func limitFooterAndGroups() throws {
        let r = result([textColumn("id", ["a", "b"])], total: 1234)
        #expect(try render(r, .table).hasSuffix("\n2 of 1,234 clients\n"))
        let g = result([textColumn("city", ["深圳"])], kind: .groups)
        #expect(try render(g, .table).hasSuffix("\n1 group\n"))
        let g2 = result([textColumn("city", ["深圳", "上海"])], kind: .groups)
        #expect(try render(g2, .table).hasSuffix("\n2 groups\n"))
    }

    @Test func maxRowsFooter() throws {
        let ids = (0..<12_350).map { "C\($0)" }
        let text = try render(result([textColumn("id", ids)]), .table, maxRows: 5)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 + 5 + 2 + 1)
        #expect(lines[7] == "… 12,345 more (use limit, or .format csv)")
        #expect(lines[8] == "12,350 clients")
    }

    @Test func countKind() throws {
        let r = result([Column(name: "count", data: .integer([2013]), validity: nil, count: 1)], kind: .count(noun: "clients"))
        #expect(try render(r, .table) == "2,013\n")
        #expect(try render(r, .csv) == "count\n2013\n")
        #expect(try render(r, .tsv) == "count\n2013\n")
        #expect(try render(r, .json) == "[\n{\"count\":2013}\n]\n")
        #expect(try render(r, .jsonl) == "{\"count\":2013}\n")
        #expect(try render(r, .markdown) == "| count |\n|---:|\n| 2,013 |\n")
    }

    @Test func terminalWidthShrinksTextBeforeNumbers() throws {
        let r = result([
            textColumn("id", ["C0000012"]),
            textColumn("name", ["欧阳娜娜 Extraordinarily Long Name"]),
            Column(name: "assets", data: .decimal([123_456_789], scale: 2), validity: nil, count: 1),
        ])
        let text = try render(r, .table, width: 40)
        for line in text.split(separator: "\n") { #expect(DisplayWidth.of(line) <= 40) }
        #expect(text == """
             id       │ name         │       assets
            ──────────┼──────────────┼──────────────
             C0000012 │ 欧阳娜娜 Ex… │ 1,234,567.89
            1 client

            """)
        // A cut through a wide character never overflows: 10 cells hold 4 Chinese characters and "…".
        #expect(TableWriter.fit("欧阳娜娜娜娜", 10) == "欧阳娜娜…")
        #expect(DisplayWidth.of(TableWriter.fit("欧阳娜娜娜娜", 10)) <= 10)
    }

    @Test func controlCharactersAreSanitized() throws {
        let text = try render(result([textColumn("note", ["a\u{1B}[2Jb\tc"])]), .table)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("a\u{FFFD}[2Jb c"))
    }

    @Test func rowSelectionIsHonoured() throws {
        let r = result([textColumn("id", ["a", "b", "c"])], rows: [2, 0])
        #expect(try render(r, .csv) == "id\nc\na\n")
    }
}

// MARK: - CSV / TSV

@Suite struct DelimitedWriterTests {
    @Test func csvTypesMissingAndNeutralisation() throws {
        #expect(try render(mixed(), .csv) == """
            name,age,balance,birthday,vip,city,products
            王伟,45,-0.05,1980-02-29,true,深圳,deposit;gold
            '=1+2,-3,1234567.00,1970-01-01,false,'-x,fund
            ,,,,,,

            """)
        #expect(try render(mixed(), .csv, neutralize: false).contains("\n=1+2,-3,1234567.00,1970-01-01,false,-x,fund\n"))
    }

    @Test func csvQuoting() throws {
        let r = result([textColumn("note", ["a,b", "say \"hi\"", "line\nbreak", "cr\rhere", " lead", "trail ", "plain",
                                            "@x,y", "+1", "\tTab", "", nil])])
        #expect(try render(r, .csv) == """
            note
            "a,b"
            "say ""hi\"\"\"
            "line
            break"
            "cr\rhere"
            " lead"
            "trail "
            plain
            "'@x,y"
            '+1
            '\tTab


            
            """)
    }

    /// The word-at-a-time check agrees with the byte-by-byte encoder on cells of every length,
    /// with a special byte at every position.
    @Test(arguments: [false, true])
    func plainCellCheckAgreesWithEncoder(neutralize: Bool) {
        let specials: [UInt8] = Array(",\"\r\n =+-@\t".utf8) + [0x80, 0xE4, 0x2B]
        for length in 0..<20 {
            for position in 0..<max(1, length) {
                for special in specials {
                    var cell = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if length > 0 { cell[position] = special }
                    var encoded: [UInt8] = []
                    DelimitedWriter.encode(cell, csv: true, neutralize: neutralize, into: &encoded)
                    let plain = cell.withUnsafeBufferPointer { DelimitedWriter.isPlainCSV($0, neutralize: neutralize) }
                    #expect(plain == (encoded == cell), "cell \(cell) neutralize \(neutralize)")
                }
            }
        }
    }

    /// Exports larger than one parallel batch keep their row order; a block whose cells are all
    /// empty still has its separators.
    @Test func largeExportsKeepRowOrder() throws {
        let n = 40_000
        let values: [String?] = (0..<n).map { $0 % 3 == 0 ? nil : "r\($0)" }
        let csv = try render(result([textColumn("v", values), textColumn("w", Array(repeating: nil, count: n))]), .csv)
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == n + 2)
        #expect(lines[1] == ",")
        #expect(lines[2] == "r1,")
        #expect(lines[n - 1] == "r\(n - 2),")
        let onlyMissing = try render(result([textColumn("w", Array(repeating: nil, count: 3000))]), .csv)
        #expect(onlyMissing == "w\n" + String(repeating: "\n", count: 3000))
    }

    @Test func tsvReplacesTabsAndNewlines() throws {
        let r = result([textColumn("a b", ["x\ty", "l1\nl2\r", "-1"]),
                        Column(name: "n", data: .integer([1_234_567, -2, 0]), validity: nil, count: 3)])
        #expect(try render(r, .tsv) == "a b\tn\nx y\t1234567\nl1 l2 \t-2\n'-1\t0\n")
        #expect(try render(r, .tsv, neutralize: false).hasSuffix("\n-1\t0\n"))
    }

    @Test func tagCellsAreQuotedAndNeutralisedAsAWhole() throws {
        let r = result([Column(name: "t", data: .tags(TagSets(vocabulary: ["-neg", "a,b", "ok"], wordsPerRow: 1,
                                                                    bits: [0b001, 0b110, 0b100, 0b101])),
                               validity: nil, count: 4)])
        #expect(try render(r, .csv) == "t\n'-neg\n\"a,b;ok\"\nok\n'-neg;ok\n")
        #expect(try render(r, .csv, neutralize: false) == "t\n-neg\n\"a,b;ok\"\nok\n-neg;ok\n")
        #expect(try render(r, .tsv) == "t\n'-neg\na,b;ok\nok\n'-neg;ok\n")
    }

    /// Header names come from data files too: guarded like cells (issue 20; they were not).
    @Test func headerIsQuotedAndNeutralisedLikeCells() throws {
        let r = result([textColumn("a,b", []), textColumn("-c", [])])
        #expect(try render(r, .csv) == "\"a,b\",'-c\n")
        #expect(try render(r, .csv, neutralize: false) == "\"a,b\",-c\n")
    }
}

// MARK: - JSON

@Suite struct JSONWriterTests {
    @Test func jsonTypes() throws {
        #expect(try render(mixed(), .json) == """
            [
            {"name":"王伟","age":45,"balance":-0.05,"birthday":"1980-02-29","vip":true,"city":"深圳","products":["deposit","gold"]},
            {"name":"=1+2","age":-3,"balance":1234567.00,"birthday":"1970-01-01","vip":false,"city":"-x","products":["fund"]},
            {"name":null,"age":null,"balance":null,"birthday":null,"vip":null,"city":null,"products":null}
            ]

            """)
    }

    @Test func jsonlAndEmpty() throws {
        let text = try render(clients(), .jsonl)
        #expect(text == """
            {"id":"C0000012","name":"王伟","risk":"averse","assets":1234567.89}
            {"id":"C0000345","name":"Li Na","risk":"averse","assets":980000.00}

            """)
        #expect(try render(result([textColumn("id", [])]), .json) == "[]\n")
        #expect(try render(result([textColumn("id", [])]), .jsonl) == "")
    }

    @Test func jsonEscaping() throws {
        let r = result([textColumn("k\"ey", ["q\"b\\s\nn\tt\r\u{1}\u{1F}é中"])])
        #expect(try render(r, .jsonl) == "{\"k\\\"ey\":\"q\\\"b\\\\s\\nn\\tt\\r\\u0001\\u001fé中\"}\n")
    }

    /// Escapes at the ends of a cell, next to each other, and between runs that pass through whole;
    /// the C1 controls and the separators and bidi controls written as \u; other C2 and E2 lead
    /// bytes (no-break space, em dash) pass through.
    @Test func jsonEscapesAroundRuns() throws {
        let cells = ["\"", "\"\"x\\", "ab\u{85}cd", "\u{2028}\u{202E}\u{2066}\u{2069}", "\u{A0}—\u{9F}", "\n", "plain 中文 text"]
        let r = result([textColumn("t", cells)])
        #expect(try render(r, .jsonl) == """
            {"t":"\\""}
            {"t":"\\"\\"x\\\\"}
            {"t":"ab\\u0085cd"}
            {"t":"\\u2028\\u202e\\u2066\\u2069"}
            {"t":"\u{A0}—\\u009f"}
            {"t":"\\n"}
            {"t":"plain 中文 text"}

            """)
    }

    /// Rows are formatted in blocks on both cores and batches of blocks: 20,000 rows cross both,
    /// with missing cells, and come out in order with one comma between objects.
    @Test func jsonAcrossBlocksAndBatches() throws {
        let n = 20_000
        let values = (0..<n).map { $0 % 7 == 0 ? nil : "r\($0)" }
        let numbers = Column(name: "n", data: .integer((0..<n).map { Int64($0) }), validity: validity((0..<n).map { $0 % 5 != 0 }), count: n)
        let r = result([textColumn("id", values), numbers])
        let objects = (0..<n).map { i in
            "{\"id\":\(i % 7 == 0 ? "null" : "\"r\(i)\"")," + "\"n\":\(i % 5 == 0 ? "null" : String(i))}"
        }
        #expect(try render(r, .json) == "[\n" + objects.joined(separator: ",\n") + "\n]\n")
        #expect(try render(r, .jsonl) == objects.map { $0 + "\n" }.joined())
    }
}

// MARK: - Markdown

@Suite struct MarkdownWriterTests {
    @Test func markdownTable() throws {
        let r = result([
            textColumn("name", ["王伟", "a|b", "x\ny", nil]),
            Column(name: "assets", data: .decimal([123_456_789, 0, -100, 0], scale: 2),
                   validity: validity([true, true, true, false]), count: 4),
        ])
        #expect(try render(r, .markdown) == """
            | name | assets |
            |---|---:|
            | 王伟 | 1,234,567.89 |
            | a\\|b | 0.00 |
            | x y | -1.00 |
            |  |  |

            """)
    }
}

// MARK: - Byte formatting

@Suite struct ByteFormatTests {
    @Test(arguments: [Int64(0), 1, -1, 999, 1000, -1000, 1_234_567, Int64.max, Int64.min, 100_000])
    func integersMatchFixedPoint(_ v: Int64) {
        for scale in [0, 1, 2, 4] {
            for grouping in [false, true] {
                var buf: [UInt8] = []
                ByteFormat.appendDecimal(v, scale: scale, grouping: grouping, into: &buf)
                #expect(String(decoding: buf, as: UTF8.self) == FixedPoint.format(v, scale: scale, grouping: grouping))
            }
        }
    }

    @Test func datesMatchCivilDate() {
        for d in stride(from: -800_000, through: 2_900_000, by: 997) {
            var buf: [UInt8] = []
            ByteFormat.appendDate(d, into: &buf)
            #expect(String(decoding: buf, as: UTF8.self) == CivilDate.format(d))
        }
    }
}

// MARK: - Byte scans

/// The eight-bytes-at-a-time scan the writers trust to skip quoting and escaping, against a byte
/// at a time: every length around a word, each special byte at each place, and random bytes.
@Test func byteScanFindsWhatAByteLoopFinds() {
    let scans: [([UInt8], UInt8)] = [([0x22, 0x5C, 0x7F, 0xC2, 0xE2], 0x20), ([0x2C, 0x22, 0x0A, 0x0D], 0), ([], 0x80)]
    var rng = SeededRandom(seed: 11)
    for (targets, below) in scans {
        let scan = ByteScan(targets, below: below)
        func naive(_ bytes: [UInt8]) -> Bool { bytes.contains { $0 < below || targets.contains($0) } }
        var cases: [[UInt8]] = []
        for length in 0...19 {
            let plain = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            cases.append(plain)
            for place in 0..<length {
                for special in targets + [below > 0 ? below - 1 : 0x41, 0x80, 0xE4, 0xFF] {
                    var bytes = plain
                    bytes[place] = special
                    cases.append(bytes)
                }
            }
        }
        for _ in 0..<2000 { cases.append((0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) }
        for bytes in cases {
            #expect(bytes.withUnsafeBufferPointer { scan.any(in: $0) } == naive(bytes), "\(targets) below \(below): \(bytes)")
        }
    }
}
