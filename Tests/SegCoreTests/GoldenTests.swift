import Foundation
import Testing
@testable import SegCore

// Golden query files (Tests/golden/<feature>/*.test), in a sqllogictest-like format:
//
//   @format csv            file directives: @format, @today, @data NAME=relative/path.csv,
//                          @library temp (a segment library in a fresh temporary folder),
//                          @copy relative/path DEST (put a file there first, e.g. segments.seg or
//                          .seg/snapshots/vip/2026-11-01.csv), @param NAME=VALUE (as --param)
//   # a comment
//   clients where risk = averse count
//   ----
//   2,013
//                          (a blank line ends the case)
//
// Each file runs in one session, so `let` carries over between its cases. Errors are shown as
// rendered (with their caret line). `SEG_RECORD=1 swift test --filter Golden` rewrites the
// expectations; review the diff before committing. The temporary library folder is shown as
// `<library>` in the output; an error loading the library is the output of the first case.

struct GoldenCase {
    var statement: String
    var expected: String
    var line: Int
}

struct GoldenFile {
    var directives: [(String, String)] = []
    var header: [String] = []
    var cases: [GoldenCase] = []

    static func parse(_ text: String) -> GoldenFile {
        var file = GoldenFile()
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        var i = 0
        while i < lines.count, lines[i].hasPrefix("@") || (lines[i].isEmpty && file.cases.isEmpty && i < 3) {
            if lines[i].hasPrefix("@") {
                let parts = lines[i].dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
                file.directives.append((parts[0], parts.count > 1 ? parts[1] : ""))
                file.header.append(lines[i])
            }
            i += 1
        }
        while i < lines.count {
            while i < lines.count, lines[i].trimmingCharacters(in: .whitespaces).isEmpty { i += 1 }
            guard i < lines.count else { break }
            let start = i + 1
            var statement: [String] = []
            while i < lines.count, lines[i] != "----" { statement.append(lines[i]); i += 1 }
            i += 1
            var expected: [String] = []
            while i < lines.count, !lines[i].isEmpty { expected.append(lines[i]); i += 1 }
            file.cases.append(GoldenCase(statement: statement.joined(separator: "\n"), expected: expected.joined(separator: "\n"), line: start))
        }
        return file
    }

    func render(actual: [String]) -> String {
        var out = header.joined(separator: "\n")
        if !header.isEmpty { out += "\n\n" }
        out += zip(cases, actual).map { c, a in "\(c.statement)\n----\n\(a)" }.joined(separator: "\n\n")
        return out + "\n"
    }
}

enum Golden {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("golden")

    static func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var out: [String] = []
        while let next = enumerator?.nextObject() as? String {
            if next.hasSuffix(".test") { out.append(next) }
        }
        return out.sorted()
    }

    /// Runs every case of a file in one session and returns each case's combined output.
    static func run(_ file: GoldenFile) throws -> [String] {
        var format = OutputFormat.table
        var today = "2026-11-15"
        var tables: [Table] = []
        var libraryFolder: URL?
        var copies: [(String, String)] = []
        var parameters: [ParameterValue] = []
        for (key, value) in file.directives {
            switch key {
            case "format": format = OutputFormat(rawValue: value) ?? .table
            case "today": today = value
            case "data":
                let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                tables.append(try DataLoader.load(path: root.appendingPathComponent(parts[1]).path, tableName: parts[0], types: [:]))
            case "library":
                libraryFolder = FileManager.default.temporaryDirectory.appendingPathComponent("seg-golden-\(UUID().uuidString)")
            case "copy":
                let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
                copies.append((parts[0], parts.count > 1 ? parts[1] : parts[0]))
            case "param":
                parameters.append(try ParameterValue.parse(argument: value))
            default: Issue.record("unknown directive @\(key)")
            }
        }
        if tables.isEmpty { tables = [DemoBook.table()] }
        var options = SessionOptions(today: CivilDate.parse(today) ?? 0, writer: WriterOptions(format: format), parameters: parameters)
        var loadError = ""
        if let folder = libraryFolder {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (from, to) in copies {
                let target = folder.appendingPathComponent(to)
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: root.appendingPathComponent(from), to: target)
            }
            options.libraryPath = folder.appendingPathComponent("segments.seg").path
        }
        defer { if let folder = libraryFolder { try? FileManager.default.removeItem(at: folder) } }
        var session = Session(tables: tables, options: options)
        do {
            try session.loadLibrary()
        } catch let error as SegError {
            loadError = error.render(color: false)
        } catch let errors as SegErrors {
            loadError = errors.errors.map { $0.render(color: false) }.joined()
        }
        var results: [String] = []
        for c in file.cases {
            let output = Output(.memory)
            var text = ""
            do {
                try session.run(Source(name: "", text: c.statement), output: output)
                try output.flush()
                text = output.text
            } catch let error as SegError {
                try output.flush()
                text = output.text + error.render(color: false)
            } catch let errors as SegErrors {
                try output.flush()
                text = output.text + errors.errors.map { $0.render(color: false) }.joined()
            }
            text = loadError + text
            loadError = ""
            if let folder = libraryFolder {
                text = text.replacingOccurrences(of: folder.path, with: "<library>")
            }
            while text.hasSuffix("\n") { text.removeLast() }
            results.append(text)
        }
        return results
    }
}

@Test("golden query files", arguments: Golden.files())
func golden(_ path: String) throws {
    let url = Golden.root.appendingPathComponent(path)
    let file = GoldenFile.parse(try String(contentsOf: url, encoding: .utf8))
    #expect(!file.cases.isEmpty, "no cases in \(path)")
    let actual = try Golden.run(file)
    if ProcessInfo.processInfo.environment["SEG_RECORD"] == "1" {
        try file.render(actual: actual).write(to: url, atomically: true, encoding: .utf8)
        return
    }
    for (c, a) in zip(file.cases, actual) {
        #expect(a == c.expected, "\(path):\(c.line): \(c.statement)")
    }
}
