import Foundation
import Testing
import SegBase
import SegStore
@testable import SegIO

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
