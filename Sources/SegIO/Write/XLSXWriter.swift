import Foundation
import SegBase
import SegStore
internal import ZIPFoundation

/// An Excel workbook (Office Open XML) of one result, one sheet, for people who open results in
/// Excel or WPS: typed cells, so numbers are numbers (money with its cents, in a `0.00` format
/// with the column's decimals), dates are real dates (`yyyy-mm-dd`), true/false are booleans,
/// and text (Chinese included) is inline text that is never run as a formula. Missing cells are
/// left empty. The header row is bold and frozen; column widths follow the longest cell.
///
/// Formats are plain (`0.00`, not `#,##0.00`): a workbook converted back to CSV (Excel's or
/// LibreOffice's "save as shown") then gives seg's own CSV. The archive is built in memory and
/// written at once, with a fixed timestamp, so the same result gives the same bytes.
enum XLSXWriter {
    static func write(_ result: ResultSet, options: WriterOptions, to output: Output) throws {
        try output.write(bytes: try workbook(result, sheetName: ResultWord.result.text(in: options.language)))
    }

    /// The bytes of the .xlsx file.
    static func workbook(_ result: ResultSet, sheetName: String) throws -> Data {
        var styles = Styles()
        let sheet = worksheet(result, styles: &styles)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", rootRelationships),
            ("xl/workbook.xml", workbookXML(sheetName: sheetName)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships),
            ("xl/styles.xml", styles.xml),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            // 1980-01-01, the first date a zip entry can hold: the file does not change with the clock.
            let stamp = Date(timeIntervalSince1970: 315_532_800)
            for (path, text) in parts {
                let data = Data(text.utf8)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: stamp,
                                     compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw SegError(.internal, .internal("xlsx archive has no data")) }
            return data
        } catch let error as SegError {
            throw error
        } catch {
            throw SegError(.internal, .internal("writing xlsx: \(error)"))
        }
    }

    /// The cell styles a sheet uses: 0 plain, 1 the bold header, 2 whole numbers, 3 dates, then
    /// one per number of decimals.
    struct Styles {
        var decimalScales: [Int] = []

        mutating func decimal(_ scale: Int) -> Int {
            if let i = decimalScales.firstIndex(of: scale) { return 4 + i }
            decimalScales.append(scale)
            return 3 + decimalScales.count
        }

        var xml: String {
            var formats = "<numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/>"
            for (i, scale) in decimalScales.enumerated() {
                formats += "<numFmt numFmtId=\"\(165 + i)\" formatCode=\"0.\(String(repeating: "0", count: scale))\"/>"
            }
            var xfs = """
                <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
                <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
                <xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
                <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
                """
            for i in decimalScales.indices {
                xfs += "<xf numFmtId=\"\(165 + i)\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
            }
            return """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
                <numFmts count="\(1 + decimalScales.count)">\(formats)</numFmts>\
                <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
                <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
                <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
                <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
                <cellXfs count="\(4 + decimalScales.count)">\(xfs)</cellXfs>\
                <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
                </styleSheet>
                """
        }
    }

    static func worksheet(_ result: ResultSet, styles: inout Styles) -> String {
        let sources = result.columns.map(CellSource.init)
        let columnStyles = sources.map { source -> Int in
            switch source.kind {
            case .integer: return 2
            case .decimal: return styles.decimal(source.scale)
            case .date: return 3
            case .boolean, .category, .text, .tags: return 0
            }
        }
        var widths = sources.map { DisplayWidth.of($0.name) }
        var rows = ""
        rows.reserveCapacity(result.rowCount * sources.count * 16)
        // The header.
        rows += "<row r=\"1\">"
        for (c, source) in sources.enumerated() {
            rows += "<c r=\"\(reference(c, 1))\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escaped(source.name))</t></is></c>"
        }
        rows += "</row>"
        var buffer: [UInt8] = []
        for i in 0..<result.rowCount {
            let r = i + 2
            rows += "<row r=\"\(r)\">"
            for (c, source) in sources.enumerated() {
                let storage = source.storageRow(i)
                guard source.isPresent(storage: storage) else { continue }
                let ref = reference(c, r)
                buffer.removeAll(keepingCapacity: true)
                switch source.kind {
                case .integer, .decimal:
                    source.appendPlain(storage: storage, grouping: false, into: &buffer)
                    let text = String(decoding: buffer, as: UTF8.self)
                    widths[c] = max(widths[c], text.utf8.count + (source.kind == .decimal ? 1 : 0))
                    if buffer.count(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) > 15 {
                        // A spreadsheet keeps 15 significant digits: a longer number (an account
                        // number read as one) would come back changed, so it goes in as text.
                        rows += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>"
                    } else {
                        rows += "<c r=\"\(ref)\" s=\"\(columnStyles[c])\"><v>\(text)</v></c>"
                    }
                case .date:
                    // Excel's day 0 is 1899-12-30 (its 1900 leap-year bug is behind every date since March 1900).
                    rows += "<c r=\"\(ref)\" s=\"3\"><v>\(Int(source.days[storage]) + 25_569)</v></c>"
                    widths[c] = max(widths[c], 10)
                case .boolean:
                    rows += "<c r=\"\(ref)\" t=\"b\"><v>\(source.bools[storage] ? 1 : 0)</v></c>"
                    widths[c] = max(widths[c], 5)
                case .category, .text, .tags:
                    source.appendPlain(storage: storage, grouping: false, into: &buffer)
                    let text = String(decoding: buffer, as: UTF8.self)
                    widths[c] = max(widths[c], DisplayWidth.of(text))
                    rows += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escaped(text))</t></is></c>"
                }
            }
            rows += "</row>"
        }
        let cols = widths.enumerated().map { c, w in
            "<col min=\"\(c + 1)\" max=\"\(c + 1)\" width=\"\(min(60, max(6, w + 2)))\" customWidth=\"1\"/>"
        }.joined()
        let last = reference(max(0, sources.count - 1), result.rowCount + 1)
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <dimension ref="A1:\(last)"/>\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
            <sheetFormatPr defaultRowHeight="15"/>\
            \(cols.isEmpty ? "" : "<cols>\(cols)</cols>")\
            <sheetData>\(rows)</sheetData>\
            </worksheet>
            """
    }

    /// `A1`-style reference of 0-based column `c`, 1-based row `r`.
    static func reference(_ c: Int, _ r: Int) -> String { SheetMap.letters(c + 1) + String(r) }

    /// Text for XML content and attributes: the five markup characters as entities, and what XML
    /// 1.0 cannot hold at all (control characters but tab, line feed and carriage return;
    /// U+FFFE, U+FFFF) as U+FFFD, so no cell value can break the file.
    static func escaped(_ text: String) -> String {
        Markup.escaped(text, apostrophe: "&apos;") { scalar in
            (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0xFFFE || scalar.value == 0xFFFF
        }
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        </Types>
        """

    static let rootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    static func workbookXML(sheetName: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets><sheet name="\(escaped(sheetName))" sheetId="1" r:id="rId1"/></sheets>\
        </workbook>
        """
    }

    static let workbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """
}
