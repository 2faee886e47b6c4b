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
    @Test func everyQueryOfTheGoldenFilesAgrees() throws {
        let files = GeneratedSQLGolden.files
        #expect(files.count >= 8, "\(files)")
        let golden = GeneratedSQLGolden(dialect: .duckdb, load: DuckDB.loadScript, run: DuckDB.run)
        var compared = 0
        for name in files { compared += try golden.compare(name).compared }
        #expect(compared >= 40, "only \(compared) queries compared")
    }
}
