import Foundation
import SegBase
import SegPatterns
import SegStore
import SegSyntax
import SegFunctions
import SegSemantics
import SegSQL
import SegIO
import SegEngine
import SegCommands

/// A golden query file (Tests/golden/<feature>/*.test), in a sqllogictest-like format:
///
///     @format csv            file directives: @format, @today, @width N (charts), @lang zh, @data NAME=relative/path.csv,
///                            @library temp (a segment library in a fresh temporary folder),
///                            @copy relative/path DEST (put a file there first, e.g. segments.seg or
///                            .seg/snapshots/vip/2026-11-01.csv), @param NAME=VALUE (as --param),
///                            @sqlite-refuses TEXT (a statement whose SQLite SQL seg refuses with a
///                            message containing TEXT; see SQLiteGoldenTests)
///     # a comment
///     clients where risk = averse count
///     ----
///     2,013
///                            (a blank line ends the case)
///
/// Each file runs in one session, so `let` carries over between its cases. Errors are shown as
/// rendered (with their caret line). `SEG_RECORD=1 swift test --filter golden` rewrites the
/// expectations; review the diff before committing. The temporary library folder is shown as
/// `<library>` in the output; an error loading the library is the output of the first case.
///
/// Read by the in-memory golden tests, the PostgreSQL suite (the same files against the
/// database) and the DuckDB and SQLite cross-checks (the same statements as generated SQL).
public struct GoldenFile {
    public struct Case {
        public var statement: String
        public var expected: String
        /// The statement's first line in the file (1-based).
        public var line: Int
    }

    /// In file order (`@data`, `@copy` and `@param` may repeat).
    public var directiveList: [(key: String, value: String)] = []
    /// The directive lines as written, for `render`.
    public var header: [String] = []
    public var cases: [Case] = []

    /// Tests/golden.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("golden")

    /// Every golden file, as paths relative to `root`, sorted.
    public static func paths() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var out: [String] = []
        while let next = enumerator?.nextObject() as? String {
            if next.hasSuffix(".test") { out.append(next) }
        }
        return out.sorted()
    }

    /// Reads the file at `path` (relative to `root`).
    public init(path: String) throws {
        try self.init(contentsOf: Self.root.appendingPathComponent(path))
    }

    /// Reads a file in this format from anywhere (the SQL golden files live in Tests/sql).
    public init(contentsOf url: URL) throws {
        self.init(try String(contentsOf: url, encoding: .utf8))
    }

    public init(_ text: String) {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        var i = 0
        while i < lines.count, lines[i].hasPrefix("@") || (lines[i].isEmpty && i < 3) {
            if lines[i].hasPrefix("@") {
                let parts = lines[i].dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
                directiveList.append((parts[0], parts.count > 1 ? parts[1] : ""))
                header.append(lines[i])
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
            cases.append(Case(statement: statement.joined(separator: "\n"), expected: expected.joined(separator: "\n"), line: start))
        }
    }

    /// The last value of each directive.
    public var directives: [String: String] { Dictionary(directiveList.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }) }

    /// Every value of a directive, in file order.
    public func all(_ key: String) -> [String] { directiveList.filter { $0.key == key }.map(\.value) }

    /// The file with `actual` as the expected outputs (for SEG_RECORD=1).
    public func render(actual: [String]) -> String {
        var out = header.joined(separator: "\n")
        if !header.isEmpty { out += "\n\n" }
        out += zip(cases, actual).map { c, a in "\(c.statement)\n----\n\(a)" }.joined(separator: "\n\n")
        return out + "\n"
    }

    /// Runs every case in one session over `tables` (the `@data` books, loaded by the caller
    /// from files or a database; `backend` runs the statements (in memory, or in a database)) and returns
    /// each case's output, errors rendered as seg prints them.
    public func run(tables: [Table], backend: any Backend = MemoryBackend()) throws -> [String] {
        let directives = directives
        guard let today = CivilDate.parse(directives["today"] ?? "2026-11-15") else {
            throw GoldenError("@today \(directives["today"] ?? "") is not a date")
        }
        let formatName = directives["format"] ?? "table"
        guard let format = OutputFormat(rawValue: formatName) else { throw GoldenError("@format \(formatName) is not a format") }
        for key in Set(directiveList.map(\.key)) where !["format", "today", "data", "library", "copy", "param", "width", "lang", "sqlite-refuses"].contains(key) {
            throw GoldenError("unknown directive @\(key)")
        }
        var options = SessionOptions(today: today, writer: WriterOptions(format: format),
                                     parameters: try all("param").map { try ParameterValue.parse(argument: $0) })
        // @width N: charts are N cells wide; @lang zh: footers and words in Chinese.
        if let width = directives["width"] {
            guard let n = Int(width) else { throw GoldenError("@width \(width) is not a number") }
            options.writer.chartWidth = n
        }
        if let lang = directives["lang"] {
            guard let language = Language(rawValue: lang) else { throw GoldenError("@lang \(lang) is not en or zh") }
            options.language = language
            options.writer.language = language
        }
        // @library temp: a library in a fresh folder, with the @copy files put there first.
        var folder: URL?
        if directives["library"] != nil {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seg-golden-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            folder = dir
            for copy in all("copy") {
                let parts = copy.split(separator: " ", maxSplits: 1).map(String.init)
                let target = dir.appendingPathComponent(parts.count > 1 ? parts[1] : parts[0])
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: Self.root.appendingPathComponent(parts[0]), to: target)
            }
            options.libraryPath = dir.appendingPathComponent("segments.seg").path
        }
        defer { if let folder { try? FileManager.default.removeItem(at: folder) } }
        var session = Session(tables: tables, options: options, backend: backend)
        var loadError = ""
        do { try session.loadLibrary() } catch { loadError = Self.rendered(error) }
        var results: [String] = []
        for c in cases {
            var text = loadError + Self.run(&session, c.statement)
            loadError = ""
            if let folder { text = text.replacingOccurrences(of: folder.path, with: "<library>") }
            while text.hasSuffix("\n") { text.removeLast() }
            results.append(text)
        }
        return results
    }

    /// Runs statements in a session and returns the output, or the rendered error after it.
    public static func run(_ session: inout Session, _ text: String) -> String {
        let output = Output(.memory)
        do {
            try session.run(Source(name: "", text: text), output: output)
            try output.flush()
            return output.text
        } catch {
            try? output.flush()
            return output.text + rendered(error)
        }
    }

    /// An error as seg prints it.
    public static func rendered(_ error: any Error) -> String {
        if let error = error as? SegError { return error.render(color: false) }
        if let errors = error as? SegErrors { return errors.errors.map { $0.render(color: false) }.joined() }
        return "\(error)"
    }
}

/// A golden file that cannot be run as written.
public struct GoldenError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
