import Foundation
import SegTestSupport
import Testing

// Issue 13 on the real binary: the silent wrong answers of a dirty money column, now either right
// (the column loads as money) or an error with the reason.

/// A temporary folder for one test's files.
private func scratch() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seg-exports-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// `seg generate --rows 2000 --seed 3`, as lines.
private func generated() throws -> [String] {
    let r = try Seg.run(["generate", "--rows", "2000", "--seed", "3"])
    #expect(r.status == 0, "\(r.stderr)")
    return r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

/// The generated book with each `assets` cell rewritten by `rewrite(row, cell)`.
private func rewritingAssets(_ rewrite: (Int, String) -> String) throws -> String {
    var lines = try generated()
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    let k = try #require(header.firstIndex(of: "assets"))
    for i in 1..<lines.count where !lines[i].isEmpty {
        var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[k] = rewrite(i, cells[k])
        lines[i] = cells.joined(separator: ",")
    }
    return lines.joined(separator: "\n")
}

/// `1234567.89` → `"1,234,567.89"` (quoted, as a spreadsheet writes it).
private func grouped(_ cell: String) -> String {
    let parts = cell.split(separator: ".", maxSplits: 1).map(String.init)
    var digits = Array(parts[0])
    var out = ""
    while digits.count > 3 {
        out = "," + String(digits.suffix(3)) + out
        digits.removeLast(3)
    }
    return "\"" + String(digits) + out + (parts.count > 1 ? "." + parts[1] : "") + "\""
}

@Suite("bank exports end to end")
struct BankExportEndToEndTests {
    static let query = "clients where assets > 1m count"

    func answer(_ path: String, _ statement: String = query, extra: [String] = []) throws -> RunResult {
        try Seg.run(["--data", path] + extra + ["-c", statement])
    }

    @Test func theCleanBookIsTheReference() throws {
        let dir = try scratch()
        let clean = dir.appendingPathComponent("clean.csv")
        try (try generated().joined(separator: "\n")).write(to: clean, atomically: true, encoding: .utf8)
        let r = try answer(clean.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "count\n237\n")
    }

    /// The first silent case: money with thousands separators gave 1420.
    @Test func thousandsSeparatorsLoadAsMoney() throws {
        let dir = try scratch()
        let file = dir.appendingPathComponent("grouped.csv")
        try rewritingAssets { _, cell in grouped(cell) }.write(to: file, atomically: true, encoding: .utf8)
        let r = try answer(file.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "count\n237\n")
        let sorted = try answer(file.path, "clients sort by assets desc limit 3 show assets")
        let clean = dir.appendingPathComponent("clean.csv")
        try (try generated().joined(separator: "\n")).write(to: clean, atomically: true, encoding: .utf8)
        let reference = try answer(clean.path, "clients sort by assets desc limit 3 show assets")
        #expect(sorted.stdout == reference.stdout)
        #expect(sorted.status == 0)
    }

    /// The second: two cells `--` made the column text; now they are missing values.
    @Test func twoPlaceholderCellsAreMissing() throws {
        let dir = try scratch()
        let file = dir.appendingPathComponent("dashes.csv")
        try rewritingAssets { row, cell in row == 16 || row == 900 ? "--" : cell }.write(to: file, atomically: true, encoding: .utf8)
        let r = try answer(file.path)
        #expect(r.status == 0, "\(r.stderr)")
        let count = Int(r.stdout.split(separator: "\n").last ?? "") ?? -1
        #expect(count >= 235 && count <= 237)
        let fields = try answer(file.path, "clients where assets is empty count")
        #expect(fields.stdout == "count\n2\n")
    }

    /// With `--na ''` the dashes are values again, the column is text, and the query is an error
    /// that says why, with the line and the value, instead of a wrong count.
    @Test func textOrderedAsNumberIsAnError() throws {
        let dir = try scratch()
        let file = dir.appendingPathComponent("dashes.csv")
        try rewritingAssets { row, cell in row == 16 || row == 900 ? "--" : cell }.write(to: file, atomically: true, encoding: .utf8)
        let r = try answer(file.path, extra: ["--na", ""])
        #expect(r.status == 65)
        #expect(r.stdout == "")
        #expect(r.stderr.contains("'assets' is text: 2 of 2,000 values are not numbers, e.g. line 17 '--'"), "\(r.stderr)")
        #expect(r.stderr.contains("use --type assets=decimal or --na '--'"))
        #expect(r.stderr.contains("^^"))
        let sorted = try answer(file.path, "clients sort by assets desc limit 3", extra: ["--na", ""])
        #expect(sorted.status == 65)
        #expect(sorted.stderr.contains("'sort by' would order it as text"), "\(sorted.stderr)")
        let typed = try answer(file.path, extra: ["--na", "", "--type", "assets=decimal"])
        #expect(typed.status == 65)
        #expect(typed.stderr.contains("dashes.csv:17:"), "\(typed.stderr)")
        #expect(typed.stderr.contains("'--' is not a decimal number"))
    }

    @Test func helpNamesTheNewOptions() throws {
        let r = try Seg.run(["--help"])
        #expect(r.stdout.contains("--na"))
    }
}
