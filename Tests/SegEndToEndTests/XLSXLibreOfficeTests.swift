import Foundation
import SegTestSupport
import Testing

// A workbook written by a real spreadsheet program, made during the test: LibreOffice converts a
// demo book (with money written "1,234,567.89") to .xlsx, and seg must give the same answers from
// the workbook as from the CSV. The committed fixtures in Tests/corpus/exports (make-xlsx.sh) cover
// the same ground without LibreOffice; this test checks today's LibreOffice still agrees.

enum LibreOffice {
    /// `soffice` on PATH, if installed.
    static let path: String? = {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return dirs.map { "\($0)/soffice" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}

@Suite("xlsx from LibreOffice",
       .enabled(if: LibreOffice.path != nil,
                "soffice is not installed (apt-get install libreoffice-calc-nogui); this test did not run"))
struct XLSXLibreOfficeTests {
    @Test func aConvertedBookGivesTheSameAnswersAsItsCSV() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seg-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = try Seg.run(["generate", "--rows", "300", "--seed", "5"])
        try #require(generated.status == 0, "\(generated.stderr)")
        // Money as a spreadsheet user types it: "1,234,567.89".
        var lines = generated.stdout.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let k = try #require(header.firstIndex(of: "assets"))
        for i in 1..<lines.count {
            var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if let value = Double(cells[k]) {
                let formatter = NumberFormatter()
                formatter.numberStyle = .decimal
                formatter.minimumFractionDigits = 2
                formatter.maximumFractionDigits = 2
                formatter.locale = Locale(identifier: "en_US")
                cells[k] = "\"" + (formatter.string(from: NSNumber(value: value)) ?? cells[k]) + "\""
            }
            lines[i] = cells.joined(separator: ",")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("book.csv"), atomically: true, encoding: .utf8)
        let convert = try Seg.run(executable: try #require(LibreOffice.path),
                                  ["--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "book.csv"], directory: dir.path)
        try #require(FileManager.default.fileExists(atPath: dir.appendingPathComponent("book.xlsx").path),
                     "soffice did not write book.xlsx: \(convert.stderr)")
        let statements = [
            "clients where assets > 1m count",
            "clients by tier show count, sum(assets), max(last_contact) sort by tier",
            "clients where last_contact before 2026-01-01 and risk = averse sort by assets desc limit 5 show id, assets",
        ]
        for statement in statements {
            let fromCSV = try Seg.run(["--data", "book.csv", "-c", statement], directory: dir.path)
            let fromXLSX = try Seg.run(["--data", "book.xlsx", "-c", statement], directory: dir.path)
            #expect(fromCSV.status == 0, "\(statement): \(fromCSV.stderr)")
            #expect(fromXLSX.status == 0, "\(statement): \(fromXLSX.stderr)")
            #expect(fromXLSX.stdout == fromCSV.stdout, "\(statement)")
        }
        // The money column is money and the dates are dates. (LibreOffice's CSV import keeps no
        // number format, so a column of whole numbers such as loans becomes integer where the
        // CSV's "0.00" made it decimal: the workbook holds no trace of the cents.)
        let fields = try Seg.run(["--data", "book.xlsx", "-c", ".fields"], directory: dir.path)
        let types = Dictionary(fields.stdout.split(separator: "\n").dropFirst().compactMap { line -> (String, String)? in
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            return parts.count >= 2 ? (String(parts[0]), String(parts[1])) : nil
        }, uniquingKeysWith: { a, _ in a })
        #expect(types["assets"] == "decimal")
        #expect(types["last_contact"] == "date")
        #expect(types["birthday"] == "date")
        #expect(types["tier"] == "category")
    }
}

@Suite("xlsx written by seg, opened by LibreOffice",
       .enabled(if: LibreOffice.path != nil,
                "soffice is not installed (apt-get install libreoffice-calc-nogui); this test did not run"))
struct XLSXWrittenLibreOfficeTests {
    /// A workbook seg writes, converted to CSV by LibreOffice ("as shown", UTF-8), is seg's own CSV.
    @Test func aWorkbookSegWroteConvertsBackToTheSameCSV() throws {
        let dir = try outputsFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try outputsBook.write(to: dir.appendingPathComponent("book.csv"), atomically: true, encoding: .utf8)
        let queries = [
            "clients show id, name, city, assets, opened, age",
            "clients by city show count, sum(assets), max(opened)",
        ]
        for (n, query) in queries.enumerated() {
            let name = "out\(n)"
            let written = try Seg.run(["--data", "book.csv", "--output", "\(name).xlsx", "-c", query], directory: dir.path)
            try #require(written.status == 0, "\(written.stderr)")
            let convert = try Seg.run(executable: try #require(LibreOffice.path),
                                      ["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", "lo", "\(name).xlsx"],
                                      directory: dir.path)
            let converted = dir.appendingPathComponent("lo/\(name).csv")
            try #require(FileManager.default.fileExists(atPath: converted.path), "soffice did not convert: \(convert.stderr)")
            let theirs = String(decoding: try Data(contentsOf: converted), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            let ours = try Seg.run(["--data", "book.csv", "--format", "csv", "--no-formula-guard", "-c", query], directory: dir.path)
            #expect(theirs == ours.stdout, "\(query)\nLibreOffice:\n\(theirs)\nseg:\n\(ours.stdout)")
        }
    }
}
