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

// MARK: - Helpers shared by the reader and inference tests

/// Loads `text` as if it were the file `name` (its extension picks the format).
func loadReaderText(_ text: String, name: String = "t.csv", types: [String: FieldType] = [:]) throws -> Table {
    try DataLoader.load(bytes: Array(text.utf8), fileName: name, format: nil, tableName: "t", types: types)
}

/// The error loading `bytes` gives, or nil if it loads. UTF-8 is strict here (`--encoding UTF-8`),
/// so a bad byte is the UTF-8 checker's error, not a GB18030 file (BankExportTests tests that).
func readerFailure(_ bytes: [UInt8], name: String = "t.csv", types: [String: FieldType] = [:]) -> SegError? {
    do {
        _ = try DataLoader.load(bytes: bytes, fileName: name, format: nil, tableName: "t", types: types,
                                options: LoadOptions(encoding: "UTF-8"))
        return nil
    } catch let error as SegError {
        return error
    } catch {
        return SegError(.internal, .internal("unexpected error type: \(error)"))
    }
}

func readerFailure(_ text: String, name: String = "t.csv", types: [String: FieldType] = [:]) -> SegError? {
    readerFailure(Array(text.utf8), name: name, types: types)
}

/// `message @ location`, for compact comparisons.
func failureSummary(_ error: SegError?) -> String {
    guard let error else { return "no error" }
    return "\(error.message) @ \(error.fileLocation ?? "-")"
}

/// The fixture file's path.
func readerFixture(_ name: String) -> String {
    let here = "\(#filePath)"
    let testsDir = here.split(separator: "/", omittingEmptySubsequences: false).dropLast(2).joined(separator: "/")
    return testsDir + "/fixtures/" + name
}

extension Column {
    /// A cell as text (nil when missing), whatever the column's type.
    func cellText(_ row: Int) -> String? {
        guard isPresent(row) else { return nil }
        switch data {
        case .integer(let v): return String(v[row])
        case .decimal(let v, let scale): return FixedPoint.format(v[row], scale: scale)
        case .date(let d): return CivilDate.format(Int(d[row]))
        case .boolean(let b): return b[row] ? "true" : "false"
        case .category(let codes, let dictionary): return dictionary[Int(codes[row])]
        case .text(let t): return t.string(at: row)
        case .tags(let t): return t.tags(at: row).joined(separator: ";")
        }
    }

    var cellTexts: [String?] { (0..<count).map { cellText($0) } }
}

extension Table {
    func cellTexts(_ name: String) -> [String?] { column(named: name)?.cellTexts ?? [] }
    func columnType(_ name: String) -> FieldType? { column(named: name)?.type }
}

// MARK: - CSV

@Suite("CSV reader")
struct CSVReaderTests {
    @Test func basicFileWithInferredTypes() throws {
        let t = try loadReaderText("name,age,city\nAnn,34,上海\nBob,58,北京\n")
        #expect(t.rowCount == 2)
        #expect(t.columns.map(\.name) == ["name", "age", "city"])
        #expect(t.columnType("age") == .integer)
        #expect(t.cellTexts("name") == ["Ann", "Bob"])
        #expect(t.cellTexts("city") == ["上海", "北京"])
        #expect(t.origin == "t.csv")
        #expect(t.name == "t")
    }

    @Test func quotedFieldsWithCommasQuotesAndLineBreaks() throws {
        let text = "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"crlf\r\ninside\"\n\"\",\"\"\"\"\n"
        let t = try loadReaderText(text, types: ["a": .text, "b": .text])
        #expect(t.cellTexts("a") == ["x, y", "two\nlines", nil])
        #expect(t.cellTexts("b") == ["say \"hi\"", "crlf\r\ninside", "\""])
    }

    @Test func lineEndings() throws {
        let lf = try loadReaderText("a,b\n1,2\n3,4\n")
        let crlf = try loadReaderText("a,b\r\n1,2\r\n3,4\r\n")
        let cr = try loadReaderText("a,b\r1,2\r3,4\r")
        let mixed = try loadReaderText("a,b\r\n1,2\n3,4\r")
        for t in [lf, crlf, cr, mixed] {
            #expect(t.rowCount == 2)
            #expect(t.cellTexts("a") == ["1", "3"])
            #expect(t.cellTexts("b") == ["2", "4"])
        }
    }

    @Test func byteOrderMarkIsStripped() throws {
        let t = try DataLoader.load(bytes: [0xEF, 0xBB, 0xBF] + Array("id,name\n1,a\n".utf8), fileName: "b.csv",
                                    format: nil, tableName: "t", types: [:])
        #expect(t.columns.map(\.name) == ["id", "name"])
        // Columns count from after the mark.
        let e = readerFailure([0xEF, 0xBB, 0xBF] + Array("a,b\n1,\"x\"y\n".utf8))
        #expect(failureSummary(e) == "unexpected character after closing quote @ t.csv:2:6")
    }

    @Test func missingFinalNewlineAndTrailingBlankLines() throws {
        #expect(try loadReaderText("a,b\n1,2").cellTexts("b") == ["2"])
        #expect(try loadReaderText("a,b\n1,2\n\n").rowCount == 1)
        #expect(try loadReaderText("a,b\n1,2\r\n\r\n\r\n").rowCount == 1)
        #expect(try loadReaderText("a,b\n1,\"2\"").cellTexts("b") == ["2"])
    }

    @Test func emptyFieldsAndBlankCellsAreMissing() throws {
        let t = try loadReaderText("a,b,c\n1,,x\n,   ,\n3,\"\",z\n")
        #expect(t.cellTexts("a") == ["1", nil, "3"])
        #expect(t.cellTexts("b") == [nil, nil, nil])
        #expect(t.column(named: "b")?.type == .text)
        #expect(t.cellTexts("c") == ["x", nil, "z"])
        #expect(t.column(named: "a")?.missingCount == 1)
    }

    @Test func headerNamesAreTrimmed() throws {
        let t = try loadReaderText(" id , full name ,\"age \"\n1,a,3\n")
        #expect(t.columns.map(\.name) == ["id", "full name", "age"])
    }

    @Test func headerOnlyGivesEmptyTextColumns() throws {
        for text in ["a,b\n", "a,b", "a,b\r\n\r\n"] {
            let t = try loadReaderText(text)
            #expect(t.rowCount == 0)
            #expect(t.columns.map(\.type) == [.text, .text])
            #expect(t.columns.allSatisfy { $0.count == 0 })
        }
    }

    @Test func singleColumnBlankLineInTheMiddleIsAMissingValue() throws {
        let t = try loadReaderText("a\n1\n\n3\n")
        #expect(t.cellTexts("a") == ["1", nil, "3"])
    }

    // MARK: Malformed CSV: one error, exact message and position

    @Test(arguments: [
        ("", "no header row @ t.csv:1:1"),
        ("\n\r\n", "no header row @ t.csv:1:1"),
        ("a,b\n1,x\"y\n", "quote inside an unquoted field (quote the whole field and double the quote) @ t.csv:2:4"),
        ("a,b\n1,\"xy\"z\n", "unexpected character after closing quote @ t.csv:2:7"),
        ("a,b\n1,\"xy\" \n", "unexpected character after closing quote @ t.csv:2:7"),
        ("a,b\n1,2\n3,\"never\nclosed\n", "unterminated quoted field @ t.csv:3:3"),
        ("a,b,c,d,e,f\n1,2,3,4,5\n", "line has 5 fields, the header has 6 @ t.csv:2:1"),
        ("a,b\n1,2\n1,2,3\n", "line has 3 fields, the header has 2 @ t.csv:3:1"),
        ("a,b\n1,2\n\n3,4\n", "line has 1 field, the header has 2 @ t.csv:3:1"),
        ("a,b\n\"multi\nline\",2\n3\n", "line has 1 field, the header has 2 @ t.csv:4:1"),
    ])
    func malformed(text: String, expected: String) {
        #expect(failureSummary(readerFailure(text)) == expected)
    }

    @Test func malformedErrorsAreDataErrors() {
        let e = readerFailure("a,b\n1,\"x\n")
        #expect(e?.kind == .data)
        #expect(e?.exitCode == 65)
    }

    @Test func columnsCountCharactersNotBytes() {
        // "王伟," is 3 characters but 7 bytes.
        #expect(failureSummary(readerFailure("a,b\n王伟,\"x\"y\n")) == "unexpected character after closing quote @ t.csv:2:7")
    }

    @Test func invalidUTF8IsAnErrorAtItsPosition() {
        let bytes = Array("id,name\nC001,王".utf8) + [0xFF] + Array("\n".utf8)
        #expect(failureSummary(readerFailure(bytes)) == "invalid UTF-8 (the file must be UTF-8 encoded) @ t.csv:2:7")
        // Overlong encoding and a lone continuation byte, inside quotes too.
        #expect(failureSummary(readerFailure(Array("a\n\"".utf8) + [0xC0, 0xAF] + Array("\"\n".utf8)))
            == "invalid UTF-8 (the file must be UTF-8 encoded) @ t.csv:2:2")
        #expect(failureSummary(readerFailure(Array("a\n".utf8) + [0x80])) == "invalid UTF-8 (the file must be UTF-8 encoded) @ t.csv:2:1")
        // A surrogate encoded in UTF-8 (ED A0 80) is not valid UTF-8.
        #expect(failureSummary(readerFailure(Array("a\nx".utf8) + [0xED, 0xA0, 0x80])) == "invalid UTF-8 (the file must be UTF-8 encoded) @ t.csv:2:2")
    }

    @Test func nulByteIsAnError() {
        #expect(failureSummary(readerFailure(Array("a,b\n1,x".utf8) + [0] + Array("y\n".utf8))) == "NUL byte in the data @ t.csv:2:4")
        #expect(failureSummary(readerFailure(Array("a,b\n1,\"x".utf8) + [0] + Array("y\"\n".utf8))) == "NUL byte in the data @ t.csv:2:5")
    }

    @Test func linesAfterMultilineQuotedFieldsCountPhysicalLines() {
        let text = "a,b\n\"one\ntwo\nthree\",x\n1,\"oops\"!\n"
        #expect(failureSummary(readerFailure(text)) == "unexpected character after closing quote @ t.csv:5:9")
        // Escaped quotes before the error do not shift its column.
        #expect(failureSummary(readerFailure("a,b\n\"say \"\"hi\"\"\",\"x\"y\n")) == "unexpected character after closing quote @ t.csv:2:17")
    }

    @Test func errorMessagesDoNotEchoCellValues() {
        let e = readerFailure("name,age\nSecretName,forty\n", types: ["age": .integer])
        #expect(failureSummary(e) == "column 'age' was given type integer but 'forty' is not an integer @ t.csv:2:12")
        // Only the failing value is shown (issue 13), never the other cells of its row.
        #expect(!(e?.message.contains("SecretName") ?? true))
        #expect(!(e?.message.contains("SecretName") ?? true))
    }

    // MARK: Large files: parallel chunks

    static let big50k = bigCSV(rows: 50_000)

    /// Rows with quoted line breaks and doubled quotes, enough to span several parallel chunks.
    static func bigCSV(rows: Int) -> String {
        var s = "id,note,amount\n"
        s.reserveCapacity(rows * 60)
        for i in 0..<rows {
            if i % 7 == 0 {
                s += "\(i),\"multi\nline \"\"\(i)\"\", with comma\",\(i).5\n"
            } else {
                s += "\(i),plain note number \(i) padded to be a little longer,\(i).25\n"
            }
        }
        return s
    }

    @Test func largeFileAcrossChunksKeepsEveryRow() throws {
        let rows = 60_000  // about 3.5 MB: several chunks
        let t = try loadReaderText(Self.bigCSV(rows: rows), types: ["id": .integer])
        #expect(t.rowCount == rows)
        guard case .integer(let ids)? = t.column(named: "id")?.data else {
            Issue.record("id is not integer")
            return
        }
        #expect(ids == (0..<rows).map { Int64($0) })
        let note = try #require(t.column(named: "note"))
        for i in [0, 1, 7, 29_995, 59_999] {
            #expect(note.cellText(i) == (i % 7 == 0 ? "multi\nline \"\(i)\", with comma" : "plain note number \(i) padded to be a little longer"))
        }
        #expect(t.columnType("amount") == .decimal)
        #expect(t.column(named: "amount")?.scale == 2)
        #expect(t.column(named: "amount")?.cellText(7) == "7.50")
    }

    @Test func errorDeepInALargeFileHasItsLine() {
        let text = Self.big50k + "1,\"broken\"x,2\n"
        // Header + 50,000 records, one line break more for every seventh record.
        let line = 1 + 50_000 + (50_000 + 6) / 7 + 1
        #expect(failureSummary(readerFailure(text)) == "unexpected character after closing quote @ t.csv:\(line):11")
    }

    @Test func overrideErrorDeepInALargeFileHasItsCell() {
        let text = Self.big50k + "x,\"n\",2\n"
        let line = 1 + 50_000 + (50_000 + 6) / 7 + 1
        #expect(failureSummary(readerFailure(text, types: ["ID": .integer]))
            == "column 'id' was given type integer but 'x' is not an integer @ t.csv:\(line):1")
    }

    // MARK: TSV

    @Test func tsvHasNoQuoting() throws {
        let t = try loadReaderText("a\tb\n\"x\"\tsay \"hi\", ok\r\n2\t\n", name: "t.tsv")
        #expect(t.cellTexts("a") == ["\"x\"", "2"])
        #expect(t.cellTexts("b") == ["say \"hi\", ok", nil])
    }

    @Test func tsvRaggedRow() {
        #expect(failureSummary(readerFailure("a\tb\n1\t2\t3\n", name: "t.tsv")) == "line has 3 fields, the header has 2 @ t.tsv:2:1")
    }

    // MARK: Files, formats and paths

    @Test func loadsFixtureFiles() throws {
        let csv = try DataLoader.load(path: readerFixture("clients.csv"), tableName: "clients", types: [:])
        #expect(csv.rowCount == 4)
        #expect(csv.columns.map(\.name) == ["id", "name", "age", "birthday", "city", "risk", "assets", "products",
                                            "last_contact", "phone", "note"])
        #expect(csv.columns.map(\.type) == [.category, .category, .integer, .date, .category, .category, .decimal, .tags,
                                            .date, .text, .category])
        #expect(csv.cellTexts("note") == ["likes calls, mornings", "said \"call later\"", "two\nlines", nil])
        #expect(csv.cellTexts("products") == ["deposit;fund", "bond;fund;stock", "deposit", nil])
        #expect(csv.cellTexts("assets") == ["1250000.50", "830000.00", "2100000.25", "99000.10"])

        let tsv = try DataLoader.load(path: readerFixture("clients.tsv"), tableName: "t", types: [:])
        #expect(tsv.cellTexts("name") == ["\"王伟\"", "李娜"])
        #expect(tsv.cellTexts("note") == ["says \"hi\"", nil])

        let bom = try DataLoader.load(path: readerFixture("bom-crlf.csv"), tableName: "t", types: [:])
        #expect(bom.columns.map(\.name) == ["id", "name"])
        #expect(bom.cellTexts("name") == ["a", "b"])
    }

    @Test func malformedFixtureFiles() {
        func failure(_ name: String, types: [String: FieldType] = [:]) -> String {
            do {
                _ = try DataLoader.load(path: readerFixture(name), tableName: "t", types: types)
                return "no error"
            } catch let e as SegError {
                return "\(e.message) @ \(e.fileLocation.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? "-")"
            } catch {
                return "\(error)"
            }
        }
        #expect(failure("bad-unterminated.csv") == "unterminated quoted field @ bad-unterminated.csv:3:9")
        #expect(failure("bad-ragged.csv") == "line has 2 fields, the header has 3 @ bad-ragged.csv:3:1")
        #expect(failure("bad-utf8.csv") == "invalid UTF-8 (the file must be UTF-8 encoded) @ bad-utf8.csv:2:7")
        #expect(failure("bad-nested.json") == "field 'address': nested objects are not supported @ bad-nested.json:1:28")
        #expect(failure("bad-integer.csv", types: ["age": .integer])
            == "column 'age' was given type integer but '3x' is not an integer @ bad-integer.csv:3:6")
    }

    @Test func missingFileIsMissingInput() {
        do {
            _ = try DataLoader.load(path: "/nonexistent/x.csv", tableName: "t", types: [:])
            Issue.record("expected an error")
        } catch let e as SegError {
            #expect(e.kind == .missingInput)
            #expect(e.exitCode == 66)
            #expect(e.message == "cannot open '/nonexistent/x.csv': No such file or directory")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func directoryIsNotAFile() {
        do {
            _ = try DataLoader.load(path: readerFixture(""), tableName: "t", types: [:])
            Issue.record("expected an error")
        } catch let e as SegError {
            #expect(e.kind == .missingInput)
            #expect(e.message.hasSuffix("Is a directory"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func formatFromExtension() {
        #expect(DataLoader.format(forFileName: "a.csv") == .csv)
        #expect(DataLoader.format(forFileName: "dir.v2/A.CSV") == .csv)
        #expect(DataLoader.format(forFileName: "a.tsv") == .tsv)
        #expect(DataLoader.format(forFileName: "a.tab") == .tsv)
        #expect(DataLoader.format(forFileName: "a.json") == .json)
        #expect(DataLoader.format(forFileName: "a.jsonl") == .jsonl)
        #expect(DataLoader.format(forFileName: "a.ndjson") == .jsonl)
        #expect(DataLoader.format(forFileName: "a.txt") == nil)
        #expect(DataLoader.format(forFileName: "dir.csv/file") == nil)
        #expect(DataLoader.format(forFileName: "<stdin>") == nil)
    }

    @Test func formatFromContent() throws {
        #expect(DataLoader.sniffFormat(Array("  [{\"a\":1}]".utf8)) == .json)
        #expect(DataLoader.sniffFormat(Array("\n{\"a\":1}\n".utf8)) == .jsonl)
        #expect(DataLoader.sniffFormat(Array("a\tb\n1\t2\n".utf8)) == .tsv)
        #expect(DataLoader.sniffFormat(Array("a,b\tc\n".utf8)) == .csv)
        #expect(DataLoader.sniffFormat(Array("a,b\n".utf8)) == .csv)
        #expect(DataLoader.sniffFormat([0xEF, 0xBB, 0xBF] + Array("[]".utf8)) == .json)
        // Without a telling extension, the content decides.
        let t = try loadReaderText("a\tb\n1\t2\n", name: "<stdin>")
        #expect(t.cellTexts("b") == ["2"])
        let j = try loadReaderText("{\"a\": 1}\n", name: "data.txt")
        #expect(j.cellTexts("a") == ["1"])
        // An explicit format wins over the extension.
        let forced = try DataLoader.load(bytes: Array("a;b\n".utf8), fileName: "x.json", format: .csv, tableName: "t", types: [:])
        #expect(forced.columns.map(\.name) == ["a;b"])
    }
}
