import Foundation
import Testing
import SegBase
import SegStore
@testable import SegIO
import SegCommands
import ZIPFoundation

// The pieces of .xlsx reading that turn a cell's stored value into the text the CSV typing reads.
@Suite("xlsx reading")
struct XLSXReaderTests {
    @Test(arguments: [
        // Built-in date formats are chosen by id; custom ones by their letters.
        ("yyyy-mm-dd", true), ("yyyy\\-mm\\-dd", true), ("yyyy\\年m\\月d\\日", true), ("yyyy\"年\"m\"月\"d\"日\"", true),
        ("m/d/yy", true), ("[$-804]yyyy/m/d", true), ("dd/mm/yyyy hh:mm:ss", true), ("mmm-yy", true),
        ("General", false), ("0.00", false), ("#,##0.00", false), ("#,##0.00 \"元\"", false), ("0.0%", false),
        ("[Red](#,##0.00)", false), ("\"TRUE\";\"TRUE\";\"FALSE\"", false), ("hh:mm:ss", false), ("mm:ss", false),
        ("0.00E+00", false), ("@", false), ("[$¥-804]#,##0.00;[Red]-[$¥-804]#,##0.00", false),
    ])
    func dateFormats(_ c: (String, Bool)) {
        #expect(XLSXReader.isDateFormat(c.0) == c.1, "\(c.0)")
    }

    @Test func builtInDateFormats() {
        for id in [14, 15, 16, 17, 22, 27, 31, 36, 50, 58] { #expect(XLSXReader.builtInDateFormats.contains(id), "\(id)") }
        for id in [0, 1, 2, 3, 4, 9, 10, 11, 37, 44, 45, 49] {
            #expect(!XLSXReader.builtInDateFormats.contains(id), "\(id)")
        }
    }

    @Test(arguments: [
        ("1234567.89", "1234567.89"), ("52000", "52000"), ("-1000", "-1000"), ("0", "0"), ("0.125", "0.125"),
        // Binary noise past Excel's 15 digits is gone; exponents are written out.
        ("0.30000000000000004", "0.3"), ("42781.440000000002", "42781.44"), ("1E-3", "0.001"), ("1.5E+20", "150000000000000000000"),
        ("1.2345678901234567E+17", "123456789012346000"), ("-2.5E-7", "-0.00000025"), ("13800000001", "13800000001"),
    ])
    func numbers(_ c: (String, String)) {
        #expect(XLSXReader.numberText(c.0) == c.1, "\(c.0)")
    }

    @Test func formatDecimals() {
        #expect(XLSXReader.decimals("#,##0.00") == 2)
        #expect(XLSXReader.decimals("0.000") == 3)
        #expect(XLSXReader.decimals("General") == 0)
        #expect(XLSXReader.decimals("0.0%") == 0)
        #expect(XLSXReader.decimals("0.00E+00") == 0)
        #expect(XLSXReader.decimals("#,##0.00 \"元.0\";[Red]-#,##0.00") == 2)
        #expect(XLSXReader.numberText("52000", decimals: 2) == "52000.00")
        #expect(XLSXReader.numberText("800.5", decimals: 2) == "800.50")
        #expect(XLSXReader.numberText("1.2345", decimals: 2) == "1.2345")
        #expect(XLSXReader.numberText("0", decimals: 2) == "0.00")
    }

    @Test func serialDates() {
        #expect(XLSXReader.dateText(serial: "45356", date1904: false) == "2024-03-05")
        #expect(XLSXReader.dateText(serial: "45356.4323263889", date1904: false) == "2024-03-05 10:22:33")
        #expect(XLSXReader.dateText(serial: "45351.9999884259", date1904: false) == "2024-02-29 23:59:59")
        #expect(XLSXReader.dateText(serial: "61", date1904: false) == "1900-03-01")
        #expect(XLSXReader.dateText(serial: "59", date1904: false) == "1900-02-28")
        #expect(XLSXReader.dateText(serial: "1", date1904: false) == "1900-01-01")
        // Serial 60 is Excel's 29 February 1900, a day that never was.
        #expect(XLSXReader.dateText(serial: "60", date1904: false) == nil)
        #expect(XLSXReader.dateText(serial: "0", date1904: true) == "1904-01-01")
        #expect(XLSXReader.dateText(serial: "-1", date1904: false) == nil)
        #expect(XLSXReader.dateText(serial: "abc", date1904: false) == nil)
    }

    @Test func cellReferences() {
        #expect(SheetMap.letters(1) == "A")
        #expect(SheetMap.letters(26) == "Z")
        #expect(SheetMap.letters(27) == "AA")
        #expect(SheetMap.letters(703) == "AAA")
        #expect(SheetMap.column(ofReference: "C7") == 2)
        #expect(SheetMap.column(ofReference: "AA10") == 26)
        #expect(SheetMap.column(ofReference: "7") == nil)
    }

    /// Rows with no value are left out, columns before the first used one too, and a cell with a
    /// comma, a quote or a line break is quoted; the map gives back each record's sheet row.
    @Test func sheetAsCSV() {
        let rows: [(number: Int, cells: [(column: Int, text: String)])] = [
            (2, [(1, "id"), (2, "note"), (3, "amount")]),
            (3, [(1, "A1"), (2, "a,\"b\"\nc"), (3, "12")]),
            (5, [(1, "")]),
            (7, [(1, "A2"), (3, "5")]),
        ]
        let sheet = XLSXReader.csvText(rows, sheet: "S")
        #expect(String(decoding: sheet.csv, as: UTF8.self) == "id,note,amount\nA1,\"a,\"\"b\"\"\nc\",12\nA2,,5\n")
        #expect(sheet.map.rows == [2, 3, 7])
        #expect(sheet.map.firstColumn == 1)
        sheet.csv.withUnsafeBufferPointer { csv in
            let lastCell = sheet.csv.count - 2  // `5`
            #expect(sheet.map.cell(at: lastCell, in: csv) == (7, 4))
        }
        #expect(sheet.map.row(ofLine: 3) == 7)
    }
}

// MARK: - Workbooks written part by part

/// A workbook (a zip archive) holding exactly `parts`.
private func workbook(_ parts: [String: String]) throws -> [UInt8] {
    let archive = try Archive(data: Data(), accessMode: .create)
    for (path, text) in parts.sorted(by: { $0.key < $1.key }) {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
    return [UInt8](archive.data ?? Data())
}

private let main = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
private let rel = "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

private func workbookXML(_ sheets: [String], date1904: Bool = false) -> String {
    "<workbook \(main) \(rel)><workbookPr date1904=\"\(date1904 ? 1 : 0)\"/><sheets>"
        + sheets.enumerated().map { "<sheet name=\"\($1)\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }.joined()
        + "</sheets></workbook>"
}

private func sheetXML(_ rows: String) -> String { "<worksheet \(main)><sheetData>\(rows)</sheetData></worksheet>" }

/// The table as CSV, through the same writer as `seg --format csv`.
private func csv(_ bytes: [UInt8], sheet: String? = nil, fileName: String = "t.xlsx") throws -> String {
    let table = try DataLoader.load(bytes: bytes, fileName: fileName, format: nil, tableName: "clients", types: [:],
                                    options: LoadOptions(sheet: sheet))
    let options = SessionOptions(today: CivilDate.parse("2026-11-15") ?? 0, writer: WriterOptions(format: .csv))
    var session = Session(tables: [table], options: options)
    let output = Output(.memory)
    try session.run(Source(name: "", text: "clients show all"), output: output)
    try output.flush()
    return output.text
}

@Suite("xlsx workbooks")
struct XLSXWorkbookTests {
    /// Without relationships or styles (the first sheet is sheet1.xml), with cells that have no
    /// reference, inline and formula strings, errors, ISO dates, booleans and the 1904 system.
    @Test func everyKindOfCell() throws {
        let bytes = try workbook([
            "xl/workbook.xml": workbookXML(["S"], date1904: true),
            "xl/styles.xml": "<styleSheet \(main)><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>",
            "xl/worksheets/sheet1.xml": sheetXML("""
                <row><c t="inlineStr"><is><t>id</t></is></c><c t="inlineStr"><is><r><t>da</t></r><r><t>y</t></r></is></c>\
                <c t="inlineStr"><is><t>ok</t></is></c><c t="inlineStr"><is><t>note</t></is></c><c t="inlineStr"><is><t>when</t></is></c></row>\
                <row><c t="inlineStr"><is><t>A</t></is></c><c s="1"><v>0</v></c><c t="b"><v>1</v></c><c t="str"><f>X</f><v>x,y</v></c>\
                <c t="d"><v>2024-03-05T00:00:00</v></c></row>\
                <row><c t="inlineStr"><is><t>B</t></is></c><c s="1"><v>366</v></c><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c>\
                <c t="d"><v>2024-03-06T00:00:00</v></c></row>
                """),
        ])
        #expect(try csv(bytes) == "id,day,ok,note,when\nA,1904-01-01,true,\"x,y\",2024-03-05\nB,1905-01-01,false,#N/A,2024-03-06\n")
    }

    /// libxml2 refuses a part over 10 MB given whole ("huge input lookup"); parts are streamed.
    @Test func sharedStringsOverTenMegabytes() throws {
        let count = 120_000
        var strings = ""
        strings.reserveCapacity(count * 110)
        for i in 0..<count { strings += "<si><t>\(i)-\(String(repeating: "客", count: 30))</t></si>" }
        let sst = "<sst \(main) count=\"\(count)\" uniqueCount=\"\(count)\"><si><t>name</t></si>\(strings)</sst>"
        #expect(sst.utf8.count > 10_000_000)
        var rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
        for r in [2, 3, count + 1] { rows += "<row r=\"\(r)\"><c r=\"A\(r)\" t=\"s\"><v>\(r - 1)</v></c></row>" }
        let bytes = try workbook(["xl/workbook.xml": workbookXML(["S"]), "xl/sharedStrings.xml": sst, "xl/worksheets/sheet1.xml": sheetXML(rows)])
        let text = try csv(bytes)
        let cjk = String(repeating: "客", count: 30)
        #expect(text == "name\n0-\(cjk)\n1-\(cjk)\n\(count - 1)-\(cjk)\n")
    }

    @Test func aSharedStringThatIsNotThereIsAnError() throws {
        let bytes = try workbook([
            "xl/workbook.xml": workbookXML(["S"]),
            "xl/sharedStrings.xml": "<sst \(main)><si><t>id</t></si></sst>",
            "xl/worksheets/sheet1.xml": sheetXML("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>7</v></c></row>"),
        ])
        let error = try #require(firstError { _ = try csv(bytes) })
        #expect(error.message == "cannot read 't.xlsx' as an .xlsx workbook: cell A2 refers to a shared string that is not in the workbook")
        #expect(error.exitCode == 65)
    }

    @Test func missingPartsAndBadXMLAreErrors() throws {
        let noSheet = try workbook(["xl/workbook.xml": workbookXML(["S"])])
        #expect(firstError { _ = try csv(noSheet) }?.message
                == "cannot read 't.xlsx' as an .xlsx workbook: it has no xl/worksheets/sheet1.xml")
        let noWorkbook = try workbook(["xl/worksheets/sheet1.xml": sheetXML("")])
        #expect(firstError { _ = try csv(noWorkbook) }?.message == "cannot read 't.xlsx' as an .xlsx workbook: it has no xl/workbook.xml")
        let badXML = try workbook(["xl/workbook.xml": workbookXML(["S"]), "xl/worksheets/sheet1.xml": "<worksheet><sheetData><row>\n<c></row>"])
        #expect(firstError { _ = try csv(badXML) }?.message
                == "cannot read 't.xlsx' as an .xlsx workbook: xl/worksheets/sheet1.xml is not well-formed XML (line 2)")
        let empty = try workbook(["xl/workbook.xml": workbookXML(["S"]), "xl/worksheets/sheet1.xml": sheetXML("")])
        #expect(firstError { _ = try csv(empty) }?.message == "no header row")
    }

    @Test func sheetsAreChosenByName() throws {
        let bytes = try workbook([
            "xl/workbook.xml": workbookXML(["一", "Two Words"]),
            "xl/_rels/workbook.xml.rels": """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Target="worksheets/a.xml"/><Relationship Id="rId2" Target="/xl/worksheets/b.xml"/></Relationships>
                """,
            "xl/worksheets/a.xml": sheetXML("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c></row><row r=\"2\"><c r=\"A2\"><v>1</v></c></row>"),
            "xl/worksheets/b.xml": sheetXML("<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>b</t></is></c></row><row r=\"4\"><c r=\"B4\"><v>2</v></c></row>"),
        ])
        #expect(try csv(bytes) == "a\n1\n")
        // The first sheet is the first one shown: a hidden sheet before it is skipped.
        let hiddenFirst = try workbook([
            "xl/workbook.xml": "<workbook \(main) \(rel)><sheets><sheet name=\"lists\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
                + "<sheet name=\"data\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>",
            "xl/worksheets/sheet1.xml": sheetXML("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>hidden</t></is></c></row>"),
            "xl/worksheets/sheet2.xml": sheetXML("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>shown</t></is></c></row>"),
        ])
        #expect(try csv(hiddenFirst) == "shown\n")
        #expect(try csv(bytes, sheet: "Two Words") == "b\n2\n")
        #expect(try csv(bytes, sheet: "two words") == "b\n2\n")
        let error = try #require(firstError { _ = try csv(bytes, sheet: "Two Word") })
        #expect(error.message == "'t.xlsx' has no sheet 'Two Word' (did you mean 'Two Words'?); its sheets: '一', 'Two Words'")
        #expect(error.exitCode == 64)
    }

    /// A cell that does not convert names its place as Excel does.
    @Test func placesAreSheetCells() throws {
        let bytes = try workbook([
            "xl/workbook.xml": workbookXML(["客户 明细"]),
            "xl/worksheets/sheet1.xml": sheetXML("""
                <row r="2"><c r="B2" t="inlineStr"><is><t>id</t></is></c><c r="C2" t="inlineStr"><is><t>n</t></is></c></row>\
                <row r="5"><c r="B5" t="inlineStr"><is><t>A</t></is></c><c r="C5"><v>1</v></c></row>\
                <row r="9"><c r="B9" t="inlineStr"><is><t>B</t></is></c><c r="C9" t="inlineStr"><is><t>x</t></is></c></row>
                """),
        ])
        let table = try DataLoader.load(bytes: bytes, fileName: "t.xlsx", format: nil, tableName: "clients", types: [:])
        #expect(table.rowCount == 2)
        let error = try #require(firstError {
            _ = try DataLoader.load(bytes: bytes, fileName: "t.xlsx", format: nil, tableName: "clients", types: ["n": .integer])
        })
        #expect(error.fileLocation == "t.xlsx:'客户 明细'!C9")
    }
}
