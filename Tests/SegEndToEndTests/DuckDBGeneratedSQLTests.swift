import Foundation
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
import SegTestSupport

// `seg sql --dialect duckdb` executed: every query of the golden files over small.csv is
// translated to DuckDB SQL, run by the real `duckdb` shell on the same data, and must answer what
// seg answers in memory (same header, same rows in the same order, cell for cell). The shell comes
// from PyPI's duckdb-cli (scripts/setup installs it into a cache folder); without it the suite is
// skipped and says so.

enum DuckDB {
    /// Where scripts/setup puts the shell, else `duckdb` on PATH.
    static let binary: String? = {
        let env = ProcessInfo.processInfo.environment
        let cache = env["XDG_CACHE_HOME"] ?? "\(NSHomeDirectory())/.cache"
        let candidates = ["\(cache)/seg/duckdb-cli/bin/duckdb"] + (env["PATH"] ?? "").split(separator: ":").map { "\($0)/duckdb" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let available: Bool = {
        if binary == nil {
            FileHandle.standardError.write(Data("note: the duckdb shell is not installed (scripts/setup installs it: pip install duckdb-cli); the DuckDB SQL test did NOT run\n".utf8))
        }
        return binary != nil
    }()

    /// Runs a script in an in-memory database; CSV out (header first, NULL as empty), or the error text.
    static func run(_ script: String) throws -> (ok: Bool, output: String) {
        let r = try Seg.run(executable: binary ?? "duckdb", ["-csv", "-nullvalue", "", "-bail", ":memory:"], stdin: script)
        let ok = r.status == 0 && r.stderr.isEmpty
        return (ok, ok ? r.stdout : r.stderr)
    }

    /// CREATE TABLE with seg's types, then the CSV loaded with each cell converted explicitly.
    static func loadScript(_ table: Table, csv: String) throws -> String {
        var text = try SQLSchema.createTable(table, name: [table.name], dialect: .duckdb, tags: .delimited)
        let values = try table.columns.map { c -> String in
            let name = try SQLGenerator.identifier(c.name)
            switch c.data {
            case .text, .category, .tags: return name
            default: return "CAST(trim(\(name)) AS \(SQLSchema.type(of: c, dialect: .duckdb, tags: .delimited)))"
            }
        }
        text += "INSERT INTO \(try SQLGenerator.identifier(table.name)) SELECT \(values.joined(separator: ", ")) "
        text += "FROM read_csv(\(try SQLGenerator.literal(csv, dialect: .duckdb)), header = true, all_varchar = true);\n"
        return text
    }

    /// CSV records (RFC 4180 quoting), for comparing cells rather than quoting styles.
    static func records(_ text: String) -> [[String]] {
        var out: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if quoted {
                if c == "\"" {
                    let next = text.index(after: i)
                    if next < text.endIndex && text[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" || c == "\r\n" {
                row.append(field); field = ""
                out.append(row); row = []
            } else {
                field.append(c)
            }
            i = text.index(after: i)
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); out.append(row) }
        return out
    }
}

@Suite("generated DuckDB SQL agrees with seg",
       .enabled(if: DuckDB.available, "the duckdb shell is not installed (scripts/setup: pip install duckdb-cli); this test did not run"))
struct DuckDBGeneratedSQLTests {
    /// Golden files over a book called clients (small.csv, or a fixture) and the tables related to
    /// it, without a segment library.
    static var files: [String] {
        GoldenFile.paths().filter { path in
            guard let file = try? GoldenFile(path: path) else { return false }
            let data = file.all("data")
            return !data.isEmpty && data[0].hasPrefix("clients=data/") && data.allSatisfy { $0.contains("=data/") }
                && file.directives["library"] == nil
        }
    }

    @Test func everyQueryOfTheGoldenFilesAgrees() throws {
        var compared = 0
        #expect(Self.files.count >= 8, "\(Self.files)")
        for name in Self.files {
            let file = try GoldenFile(path: name)
            var tables: [Table] = []
            var load = ""
            for data in file.all("data") {
                let parts = data.split(separator: "=", maxSplits: 1).map(String.init)
                let csv = GoldenFile.root.appendingPathComponent(parts[1]).path
                let table = try DataLoader.load(path: csv, tableName: parts[0], types: [:])
                load += try DuckDB.loadScript(table, csv: csv)
                tables.append(table)
            }
            var today = CivilDate.parse("2026-11-15") ?? 0
            var parameters: [ParameterValue] = []
            for (key, value) in file.directiveList {
                if key == "today" { today = CivilDate.parse(value) ?? today }
                if key == "param" { parameters.append(try ParameterValue.parse(argument: value)) }
            }
            var session = Session(tables: tables, options: SessionOptions(
                today: today, writer: WriterOptions(format: .csv, neutralizeFormulas: false), parameters: parameters))
            var catalog = session.catalog
            let options = SQLOptions(dialect: .duckdb, today: today, tables: tables.map(SQLTable.matching))
            for c in file.cases {
                let source = Source(name: "", text: c.statement)
                let output = Output(.memory)
                let ranInMemory = (try? session.run(source, output: output)) != nil
                try? output.flush()
                let (script, errors) = Parser.parse(source)
                let translatable = errors.isEmpty && script.statements.allSatisfy {
                    switch $0 {
                    case .query, .define, .defineField, .defineOrder, .parameter: return true
                    default: return false
                    }
                }
                guard translatable else { continue }
                // Translate even when seg refused it, so the SQL side's segments keep in step.
                guard let statements = try? SQLScript.translate(source, catalog: &catalog, options: options), ranInMemory else { continue }
                guard statements.count == 1, let statement = statements.first else { continue }
                let duck = try DuckDB.run(load + statement.text + ";\n")
                #expect(duck.ok, "\(name):\(c.line): \(c.statement)\n\(statement.text)\n\(duck.output)")
                guard duck.ok else { continue }
                var ours = DuckDB.records(output.text), theirs = DuckDB.records(duck.output)
                // Tags come back as stored; seg lists them in vocabulary order.
                for (k, column) in statement.columns.enumerated() where column.type == .tags {
                    for r in 1..<max(1, theirs.count) where k < theirs[r].count {
                        theirs[r][k] = theirs[r][k].split(separator: ";").map(String.init)
                            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: ";")
                    }
                }
                if ours.count == 1 && theirs.isEmpty { ours = [] }  // an empty result: duckdb may omit the header
                #expect(ours == theirs, "\(name):\(c.line): \(c.statement)\n\(statement.text)\nseg:    \(ours.prefix(6))\nduckdb: \(theirs.prefix(6))")
                compared += 1
            }
        }
        #expect(compared >= 40, "only \(compared) queries compared")
    }
}
