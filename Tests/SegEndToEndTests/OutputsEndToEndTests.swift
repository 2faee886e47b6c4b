import Foundation
import SegTestSupport
import Testing

// Outputs for people who read results rather than pipe them (issue 17): xlsx workbooks, CSV with a
// byte order mark for Excel, bar charts and histograms, and the HTML report.

/// A fresh temporary folder, removed by the caller.
func outputsFolder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seg-outputs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Clients with Chinese names, money with cents, dates, missing cells and a value that would be
/// markup in a page.
let outputsBook = """
    id,name,city,assets,opened,age,vip
    C001,王伟,深圳,1234567.89,2024-03-05,45,true
    C002,"Li, Na",上海,0.50,2019-12-31,,false
    C003,<script>alert('x')</script>,北京,-2500.00,,61,true
    C004,张三丰,深圳,,2026-01-01,33,
    C005,=1+2,广州,88000000.10,2000-02-29,70,false

    """

@Suite("xlsx, csv for Excel, charts")
struct OutputsEndToEndTests {
    static let query = "clients show id, name, city, assets, opened, age, vip"

    @Test func anXLSXFileReadsBackAsTheSameAnswer() throws {
        let dir = try outputsFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try outputsBook.write(to: dir.appendingPathComponent("book.csv"), atomically: true, encoding: .utf8)
        let written = try Seg.run(["--data", "book.csv", "--output", "out.xlsx", "-c", Self.query], directory: dir.path)
        #expect(written.status == 0, "\(written.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("out.xlsx").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let original = try Seg.run(["--data", "book.csv", "--format", "csv", "--no-formula-guard", "-c", Self.query], directory: dir.path)
        let reread = try Seg.run(["--data", "out.xlsx", "--format", "csv", "--no-formula-guard", "-c", "clients show all"], directory: dir.path)
        #expect(reread.status == 0, "\(reread.stderr)")
        #expect(reread.stdout == original.stdout)
        // Typed: the money column is decimal, the dates dates, the flags boolean.
        let fields = try Seg.run(["--data", "out.xlsx", "-c", ".fields"], directory: dir.path)
        for (field, type) in [("assets", "decimal"), ("opened", "date"), ("age", "integer"), ("vip", "boolean"), ("city", "category")] {
            #expect(fields.stdout.split(separator: "\n").contains { $0.hasPrefix(field + " ") && $0.contains(type) }, "\(field): \(fields.stdout)")
        }
    }

    @Test func aDotOutputXLSXInAScriptAndTheSameBytesTwice() throws {
        let dir = try outputsFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try outputsBook.write(to: dir.appendingPathComponent("book.csv"), atomically: true, encoding: .utf8)
        let script = ".output a.xlsx\nclients by city show count, sum(assets)\n.output b.xlsx\nclients by city show count, sum(assets)\n"
        let run = try Seg.run(["--data", "book.csv"], stdin: script, directory: dir.path)
        #expect(run.status == 0, "\(run.stderr)")
        let a = try Data(contentsOf: dir.appendingPathComponent("a.xlsx"))
        let b = try Data(contentsOf: dir.appendingPathComponent("b.xlsx"))
        #expect(a == b && a.starts(with: [0x50, 0x4B]))
        let reread = try Seg.run(["--data", "a.xlsx", "--format", "csv", "-c", "clients show all"], directory: dir.path)
        #expect(reread.stdout == "city,count,sum(assets)\n上海,1,0.50\n北京,1,-2500.00\n广州,1,88000000.10\n深圳,2,1234567.89\n")
    }

    @Test func xlsxIsRefusedOnStandardOutputAndTwoResultsInOneWorkbook() throws {
        let stdout = try Seg.run(["--format", "xlsx", "-c", "clients count"])
        #expect(stdout.status == 64)
        #expect(stdout.stderr.contains("--output FILE.xlsx"), "\(stdout.stderr)")
        #expect(stdout.output.isEmpty)
        let prompt = try Seg.run([], stdin: ".format xlsx\nclients by tier\n")
        #expect(prompt.status != 0)
        #expect(prompt.stderr.contains("xlsx is a workbook file"), "\(prompt.stderr)")
        let dir = try outputsFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let two = try Seg.run(["--output", "two.xlsx", "-c", "clients count", "-c", "clients by tier"], directory: dir.path)
        #expect(two.status == 64, "\(two.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("two.xlsx").path))
    }

    @Test func csvToAFileNamedCSVStartsWithAByteOrderMark() throws {
        let dir = try outputsFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bom = Data([0xEF, 0xBB, 0xBF])
        let q = "clients where city = 深圳 by tier show count"
        #expect(try Seg.run(["--output", "a.csv", "-c", q], directory: dir.path).status == 0)
        let file = try Data(contentsOf: dir.appendingPathComponent("a.csv"))
        #expect(file.starts(with: bom))
        let plain = try Seg.run(["--format", "csv", "-c", q])
        #expect(!plain.output.starts(with: bom))
        #expect(file.dropFirst(3) == plain.output)
        // --bom: standard output too; another extension only with --bom.
        #expect(try Seg.run(["--bom", "--format", "csv", "-c", q]).output == bom + plain.output)
        #expect(try Seg.run(["--output", "b.txt", "--format", "csv", "-c", q], directory: dir.path).status == 0)
        #expect(try Data(contentsOf: dir.appendingPathComponent("b.txt")) == plain.output)
        #expect(try Seg.run(["--bom", "--output", "c.tsv", "-c", q], directory: dir.path).status == 0)
        #expect(try Data(contentsOf: dir.appendingPathComponent("c.tsv")).starts(with: bom))
        // json never gets one; seg reads its own BOM file back.
        #expect(try Seg.run(["--bom", "--format", "json", "-c", q]).output.first == UInt8(ascii: "["))
        let back = try Seg.run(["--data", "a.csv", "--format", "csv", "-c", "clients show all"], directory: dir.path)
        #expect(back.output == plain.output)
    }

    @Test func chartsAreATableFormat() throws {
        let q = "clients where city = 深圳 by tier show count, sum(assets) chart"
        // A pipe gets csv by default: the numbers, not bars.
        let csv = try Seg.run(["-c", q])
        #expect(csv.stdout == (try Seg.run(["-c", "clients where city = 深圳 by tier show count, sum(assets)"])).stdout)
        let table = try Seg.run(["--format", "table", "--width", "60", "-c", q])
        #expect(table.status == 0)
        #expect(table.stdout.contains("█"))
        for line in table.stdout.split(separator: "\n") { #expect(line.count <= 60) }
        // COLUMNS sets the width when --width does not.
        let narrow = try Seg.run(["--format", "table", "-c", q], environment: ["COLUMNS": "40"])
        #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= 40 })
        #expect(try Seg.run(["--width", "5", "-c", q]).status == 64)
        // .chart on in a script draws every by result.
        let dot = try Seg.run(["--format", "table", "--width", "80"], stdin: ".chart on\nclients by tier\n.chart off\nclients by tier\n")
        #expect(dot.stdout.contains("█") && dot.stdout.contains("│"), "\(dot.stdout)")
        let bad = try Seg.run([], stdin: ".chart maybe\n")
        #expect(bad.stderr.contains(".chart expects on or off"))
    }
}
