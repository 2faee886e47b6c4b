import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
internal import ZIPFoundation  // internal: not part of SegIO's interface (its zlib module stays out of importers)
import SegBase
import SegStore

// Reads one worksheet of an .xlsx workbook (a zip archive of XML parts) into CSV text, which the
// CSV reader then reads as it reads any export: the same title and total rows, header names,
// missing values and type inference, so a sheet types exactly as the same data saved as CSV.
//
// Each cell becomes the text its value means: numbers in plain decimal (to Excel's 15
// significant digits, so 0.1+0.2 stored as 0.30000000000000004 is 0.3), numbers in a cell with a
// date format as `YYYY-MM-DD` (with the time of day when there is one), shared and inline strings
// as written, booleans as true/false, formula errors as their text (#N/A). Rows with no value
// are left out. Messages name the cell as Excel does: `book.xlsx:Sheet1!C7`.

/// A worksheet as CSV text, and where each of its records came from.
struct SheetText {
    var csv: [UInt8]
    var map: SheetMap
}

/// Where the records of a sheet's CSV text came from, so messages name sheet rows and cells.
struct SheetMap: Sendable {
    /// The sheet's name, as in `Sheet1!C7`.
    var sheet: String
    /// The offset where each record starts in the CSV text (ascending), and its row in the sheet.
    var recordStarts: [Int] = []
    var rows: [Int] = []
    /// The sheet column (0-based) of the CSV's first column.
    var firstColumn = 0

    /// The sheet row and column (both 1-based) of the cell at `offset` of `csv`.
    func cell(at offset: Int, in csv: UnsafeBufferPointer<UInt8>) -> (row: Int, column: Int) {
        guard !recordStarts.isEmpty else { return (1, firstColumn + 1) }
        // The last record that starts at or before the offset.
        var lo = 0, hi = recordStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if recordStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var fields = 0, quoted = false, i = recordStarts[lo]
        while i < min(offset, csv.count) {
            if csv[i] == 0x22 { quoted.toggle() } else if csv[i] == 0x2C && !quoted { fields += 1 }
            i += 1
        }
        return (rows[lo], firstColumn + fields + 1)
    }

    /// The sheet row of the CSV text's line `line` (1-based), for notes that count lines.
    func row(ofLine line: Int) -> Int {
        line >= 1 && line <= rows.count ? rows[line - 1] : line
    }

    /// `A`, `Z`, `AA` … for a 1-based column number.
    static func letters(_ column: Int) -> String {
        var n = max(1, column), out: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            out.append(Character(Unicode.Scalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(out.reversed())
    }

    /// The 0-based column of a cell reference (`C7` → 2), nil when it has no letters.
    static func column(ofReference ref: String) -> Int? {
        var n = 0, any = false
        for b in ref.utf8 {
            guard b >= 65 && b <= 90 || b >= 97 && b <= 122 else { break }
            n = n * 26 + Int((b & 0xDF) - 64)
            any = true
            if n > 1 << 20 { return nil }
        }
        return any ? n - 1 : nil
    }
}

enum XLSXReader {
    /// True for a file name ending in `.xlsx` (or `.xlsm`, the same format with macros, which seg
    /// ignores), or `.xls`: an old binary .xls is refused by name, and a bank system's ".xls" that
    /// is really a CSV is told to be one, rather than either being read as text.
    static func isWorkbookName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") || lower.hasSuffix(".xls")
    }

    /// The most a part may hold once unzipped: a workbook that claims more is refused rather than
    /// inflated (a zip bomb), as a stream past `DataLoader.streamLimit` is.
    static var partLimit: Int { DataLoader.streamLimit }

    /// The sheet `sheet` (nil: the first) of the workbook in `bytes`, as CSV text.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, fileName: String, sheet wanted: String?) throws -> SheetText {
        func fail(_ problem: WorkbookProblem) -> SegError {
            SegError(.data, .data(.notWorkbook(file: fileName, problem)))
        }
        if bytes.count >= 4, bytes[0] == 0xD0, bytes[1] == 0xCF, bytes[2] == 0x11, bytes[3] == 0xE0 { throw fail(.encrypted) }
        guard bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B else { throw fail(.notZip) }
        let archive: Archive
        do {
            archive = try Archive(data: Data(buffer: bytes), accessMode: .read)
        } catch {
            throw fail(.damaged(String(describing: error)))
        }
        func part(_ path: String, required: Bool) throws -> Data? {
            guard let entry = archive[path] else {
                if required { throw fail(.missingPart(path)) }
                return nil
            }
            guard entry.uncompressedSize <= UInt64(partLimit) else { throw fail(.damaged("\(path) is too large to unzip")) }
            var data = Data()
            do {
                _ = try archive.extract(entry) { data.append($0) }
            } catch {
                throw fail(.damaged("\(path): \(error)"))
            }
            return data
        }
        func parse(_ path: String, _ data: Data, _ handler: some XMLHandler & XMLParserDelegate) throws {
            // From a stream, which the parser reads a piece at a time: given all of a part over
            // 10 MB at once, libxml2 stops with "huge input lookup" (a large sharedStrings.xml).
            let parser = XMLParser(stream: InputStream(data: data))
            parser.shouldProcessNamespaces = true
            parser.delegate = handler
            guard parser.parse(), handler.failure == nil else {
                if let failure = handler.failure { throw fail(failure) }
                throw fail(.badXML(part: path, line: max(1, parser.lineNumber)))
            }
        }

        // The workbook: its sheets in order, and which part holds each.
        guard let workbookData = try part("xl/workbook.xml", required: true) else { throw fail(.missingPart("xl/workbook.xml")) }
        let workbook = WorkbookHandler()
        try parse("xl/workbook.xml", workbookData, workbook)
        guard !workbook.sheets.isEmpty else { throw fail(.missingPart("sheet")) }
        var targets: [String: String] = [:]
        if let relsData = try part("xl/_rels/workbook.xml.rels", required: false) {
            let rels = RelationshipsHandler()
            try parse("xl/_rels/workbook.xml.rels", relsData, rels)
            targets = rels.targets
        }
        let chosen: (name: String, id: String)
        if let wanted {
            let names = workbook.sheets.map(\.name)
            guard let found = workbook.sheets.first(where: { $0.name == wanted })
                    ?? workbook.sheets.first(where: { ExactText.sameName($0.name, wanted.trimmingSpaces) }) else {
                throw SegError(.usage, .data(.noSheet(wanted, file: fileName, sheets: names,
                                                      suggestion: Suggest.closest(to: wanted, among: names))))
            }
            chosen = found
        } else {
            // The first sheet a user sees in Excel: a hidden one before it is not the data.
            chosen = workbook.sheets.first { !workbook.hidden.contains($0.id) } ?? workbook.sheets[0]
        }
        var path = "xl/worksheets/sheet\(workbook.sheets.firstIndex { $0 == chosen }.map { $0 + 1 } ?? 1).xml"
        if let target = targets[chosen.id] {
            path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }

        var shared: [String] = []
        if let data = try part("xl/sharedStrings.xml", required: false) {
            let handler = SharedStringsHandler()
            try parse("xl/sharedStrings.xml", data, handler)
            shared = handler.strings
        }
        var styles: [CellStyle] = []
        if let data = try part("xl/styles.xml", required: false) {
            let handler = StylesHandler()
            try parse("xl/styles.xml", data, handler)
            styles = handler.cellFormats.map { id in
                if let code = handler.customFormats[id] { return CellStyle(isDate: isDateFormat(code), decimals: decimals(code)) }
                return CellStyle(isDate: builtInDateFormats.contains(id), decimals: builtInDecimals[id] ?? 0)
            }
        }
        guard let sheetData = try part(path, required: true) else { throw fail(.missingPart(path)) }
        let sheet = SheetHandler(shared: shared, styles: styles, date1904: workbook.date1904)
        try parse(path, sheetData, sheet)
        return csvText(sheet.rows, sheet: chosen.name)
    }

    /// The rows (row number, cells by 0-based column) as CSV, one record per row with a value.
    static func csvText(_ rows: [(number: Int, cells: [(column: Int, text: String)])], sheet: String) -> SheetText {
        let kept = rows.filter { $0.cells.contains { !$0.text.isEmpty } }
        var map = SheetMap(sheet: sheet)
        let first = kept.flatMap { $0.cells.filter { !$0.text.isEmpty }.map(\.column) }.min() ?? 0
        let last = kept.flatMap { $0.cells.filter { !$0.text.isEmpty }.map(\.column) }.max() ?? 0
        map.firstColumn = first
        var csv: [UInt8] = []
        for row in kept {
            map.recordStarts.append(csv.count)
            map.rows.append(row.number)
            var texts = [String](repeating: "", count: last - first + 1)
            for cell in row.cells where cell.column >= first && cell.column <= last { texts[cell.column - first] = cell.text }
            for (k, text) in texts.enumerated() {
                if k > 0 { csv.append(0x2C) }
                if text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                    csv.append(0x22)
                    for b in text.utf8 {
                        if b == 0x22 { csv.append(0x22) }
                        csv.append(b)
                    }
                    csv.append(0x22)
                } else {
                    csv.append(contentsOf: text.utf8)
                }
            }
            csv.append(0x0A)
        }
        return SheetText(csv: csv, map: map)
    }

    // MARK: - Values

    /// Built-in number formats that show a date: 14–22, and those of Chinese, Japanese and Korean
    /// Excel (27–36, 50–58), which write `2024年3月5日` and the like.
    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(50...58)

    /// True when a custom number format shows a date: after dropping quoted text, escaped
    /// characters and `[…]` (colours, locales, elapsed time), it has `y` or `d`, or `m` without
    /// the `h` or `s` that make `m` minutes. `0.00`, `#,##0 "元"` and `0%` are not dates.
    static func isDateFormat(_ code: String) -> Bool {
        let letters = Set(formatCharacters(code).map { Character($0.lowercased()) })
        if letters.contains("y") || letters.contains("d") { return true }
        return letters.contains("m") && !letters.contains("h") && !letters.contains("s") && !letters.contains("0") && !letters.contains("#")
    }

    /// The characters of a number format's first section (positive numbers; a format has up to
    /// four, and the first decides) that format the value: quoted text, `[…]` (colours, locales,
    /// elapsed time) and escaped characters left out.
    static func formatCharacters(_ code: String) -> [Character] {
        var kept: [Character] = []
        var quoted = false, bracket = false, escaped = false
        for c in code {
            if escaped { escaped = false; continue }
            if quoted { if c == "\"" { quoted = false }; continue }
            if bracket { if c == "]" { bracket = false }; continue }
            switch c {
            case "\"": quoted = true
            case "[": bracket = true
            case "\\", "_", "*": escaped = true
            case ";": return kept
            default: kept.append(c)
            }
        }
        return kept
    }

    /// Built-in number formats that show fraction digits: `0.00`, `#,##0.00`, the currency and
    /// accounting ones with cents.
    static let builtInDecimals: [Int: Int] = [2: 2, 4: 2, 7: 2, 8: 2, 39: 2, 40: 2, 43: 2, 44: 2]

    /// The fraction digits a number format shows (`#,##0.00` → 2, `0.0%` and `0.00E+00` → 0, as
    /// their value is not what they show).
    static func decimals(_ code: String) -> Int {
        var afterPoint = false, digits = 0
        for c in formatCharacters(code) {
            switch c {
            case "%", "E", "e": return 0
            case ".": afterPoint = true
            case "0", "#", "?": if afterPoint { digits += 1 }
            default: break
            }
        }
        return digits
    }

    /// A number as plain decimal text, rounded to Excel's 15 significant digits, with at least
    /// `decimals` fraction digits (what its cell's format shows: `52000` in a `#,##0.00` cell is
    /// `52000.00`, as Excel would save it to CSV), so a money column types as money.
    static func numberText(_ v: String, decimals: Int) -> String {
        var text = numberText(v)
        guard decimals > 0, Double(text) != nil else { return text }
        let fraction = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? -1
        if fraction < 0 { text += "." }
        if fraction < decimals { text += String(repeating: "0", count: decimals - max(0, fraction)) }
        return text
    }

    /// A number as plain decimal text, rounded to Excel's 15 significant digits.
    static func numberText(_ v: String) -> String {
        let trimmed = v.trimmingSpaces
        guard let d = Double(trimmed), d.isFinite else { return trimmed }
        if d == 0 { return "0" }
        var text = String(format: "%.15g", d)
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            text = expanded(mantissa: String(text[..<e]), exponent: Int(text[text.index(after: e)...]) ?? 0)
        }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// `1.5` and exponent 3 → `1500`; `1.25` and -4 → `0.000125`.
    static func expanded(mantissa: String, exponent: Int) -> String {
        var m = mantissa
        let negative = m.hasPrefix("-")
        if negative { m.removeFirst() }
        let parts = m.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts.first ?? "0")
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let digits = whole + fraction
        let point = whole.count + exponent  // digits before the point
        var out: String
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out = digits + String(repeating: "0", count: point - digits.count)
        } else {
            out = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        while out.count > 1 && out.hasPrefix("0") && !out.hasPrefix("0.") { out.removeFirst() }
        return (negative ? "-" : "") + out
    }

    /// An Excel serial day number (with its fraction, the time of day) as `YYYY-MM-DD`, with
    /// ` HH:MM:SS` when the time is not midnight; nil when it is no date.
    static func dateText(serial v: String, date1904: Bool) -> String? {
        guard let value = Double(v.trimmingSpaces), value.isFinite, value >= 0, value < 2_958_466 else { return nil }
        var day = Int(value.rounded(.down))
        var seconds = Int(((value - Double(day)) * 86_400).rounded())
        if seconds >= 86_400 { day += 1; seconds -= 86_400 }
        let base: Int
        if date1904 {
            base = CivilDate.days(year: 1904, month: 1, day: 1)
        } else {
            // Excel counts a 29 February 1900 that never was (serial 60), as Lotus 1-2-3 did.
            guard day != 60 else { return nil }
            base = CivilDate.days(year: 1899, month: 12, day: day < 60 ? 31 : 30)
        }
        let date = CivilDate.format(base + day)
        guard seconds > 0 else { return date }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date) \(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    }
}

// MARK: - XML parts

/// A SAX handler that may stop the parse with a problem of its own. (Each handler conforms to
/// XMLParserDelegate itself: on Linux the protocol's methods have default implementations, and a
/// subclass's methods would not replace those a base class's conformance chose.)
class XMLHandler: NSObject {
    var failure: WorkbookProblem?
}

/// `xl/workbook.xml`: the sheets in order, and the 1904 date system flag.
final class WorkbookHandler: XMLHandler, XMLParserDelegate {
    var sheets: [(name: String, id: String)] = []
    /// Sheets the workbook hides (`state="hidden"` or `"veryHidden"`): lookup tables a user never sees.
    var hidden: Set<String> = []
    var date1904 = false

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes: [String: String] = [:]) {
        switch elementName {
        case "sheet":
            let id = attributes["r:id"] ?? attributes.first { $0.key.hasSuffix(":id") || $0.key == "id" }?.value ?? ""
            sheets.append((attributes["name"] ?? "", id))
            if let state = attributes["state"], state.lowercased().hasSuffix("hidden") { hidden.insert(id) }
        case "workbookPr":
            let flag = attributes["date1904"]?.lowercased()
            date1904 = flag == "1" || flag == "true"
        default: break
        }
    }
}

/// `xl/_rels/workbook.xml.rels`: which part each relationship id names.
final class RelationshipsHandler: XMLHandler, XMLParserDelegate {
    var targets: [String: String] = [:]

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes: [String: String] = [:]) {
        if elementName == "Relationship", let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
    }
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, its rich-text runs joined, phonetic runs (`<rPh>`) left out.
final class SharedStringsHandler: XMLHandler, XMLParserDelegate {
    var strings: [String] = []
    private var current = ""
    private var inText = false
    private var phonetic = 0

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes: [String: String] = [:]) {
        switch elementName {
        case "si": current = ""
        case "rPh": phonetic += 1
        case "t": inText = phonetic == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch elementName {
        case "si": strings.append(current)
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }
}

/// `xl/styles.xml`: custom number formats, and the number format of each cell style (`<cellXfs>`).
final class StylesHandler: XMLHandler, XMLParserDelegate {
    var customFormats: [Int: String] = [:]
    var cellFormats: [Int] = []
    private var inCellFormats = false

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes: [String: String] = [:]) {
        switch elementName {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap({ Int($0) }) { customFormats[id] = attributes["formatCode"] ?? "" }
        case "cellXfs": inCellFormats = true
        case "xf" where inCellFormats: cellFormats.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if elementName == "cellXfs" { inCellFormats = false }
    }
}

/// What a cell style says about numbers: shown as a date, and how many fraction digits.
struct CellStyle {
    var isDate: Bool
    var decimals: Int
}

/// A worksheet's `<sheetData>`: each row's number and its cells' texts.
final class SheetHandler: XMLHandler, XMLParserDelegate {
    let shared: [String]
    let styles: [CellStyle]
    let date1904: Bool
    var rows: [(number: Int, cells: [(column: Int, text: String)])] = []

    private var rowNumber = 0
    private var cells: [(column: Int, text: String)] = []
    private var column = -1
    private var reference = ""
    private var type = ""
    private var style = 0
    private var value = ""
    private var inValue = false
    private var inInline = false
    private var phonetic = 0

    init(shared: [String], styles: [CellStyle], date1904: Bool) {
        self.shared = shared
        self.styles = styles
        self.date1904 = date1904
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
                attributes: [String: String] = [:]) {
        switch elementName {
        case "row":
            rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
            cells = []
            column = -1
        case "c":
            reference = attributes["r"] ?? ""
            column = SheetMap.column(ofReference: reference) ?? column + 1
            if reference.isEmpty { reference = SheetMap.letters(column + 1) + String(rowNumber) }
            type = attributes["t"] ?? "n"
            style = attributes["s"].flatMap { Int($0) } ?? 0
            value = ""
        case "v": inValue = true
        case "is": inInline = true
        case "rPh": phonetic += 1
        case "t" where inInline && phonetic == 0: inValue = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        switch elementName {
        case "v", "t": inValue = false
        case "is": inInline = false
        case "rPh": phonetic -= 1
        case "c":
            guard let text = cellText() else {
                failure = .badSharedString(cell: reference)
                parser.abortParsing()
                return
            }
            if !text.isEmpty { cells.append((column, text)) }
        case "row":
            if !cells.isEmpty { rows.append((rowNumber, cells)) }
        default: break
        }
    }

    /// The text of the cell just read; nil when it names a shared string that is not there.
    private func cellText() -> String? {
        switch type {
        case "s":
            guard let i = Int(value.trimmingSpaces), i >= 0, i < shared.count else { return value.isEmpty ? "" : nil }
            return shared[i]
        case "inlineStr", "str", "e": return value
        case "b": return value.trimmingSpaces == "1" ? "true" : value.trimmingSpaces == "0" ? "false" : value
        case "d":
            // An ISO 8601 date-time: `2024-03-05T10:22:33`; midnight is the date alone.
            let t = value.trimmingSpaces.replacingOccurrences(of: "T", with: " ")
            return t.hasSuffix(" 00:00:00") ? String(t.dropLast(9)) : t
        default:
            guard !value.isEmpty else { return "" }
            let format = style >= 0 && style < styles.count ? styles[style] : CellStyle(isDate: false, decimals: 0)
            if format.isDate, let date = XLSXReader.dateText(serial: value, date1904: date1904) { return date }
            return XLSXReader.numberText(value, decimals: format.decimals)
        }
    }
}
