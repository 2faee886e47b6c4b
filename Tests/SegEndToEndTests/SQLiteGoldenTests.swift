import Foundation
import Testing
@testable import SegStore
@testable import SegFunctions
@testable import SegSQL
import SegTestSupport

// `seg sql --dialect sqlite` executed on the golden files: every query is translated to SQLite
// SQL, run by the sqlite3 shell on the same CSV files (tables with seg's SQLite types), and must
// answer what seg answers in memory, cell for cell. A statement SQLite cannot express is refused
// by seg with a message; the golden file names each such refusal in an `@sqlite-refuses TEXT`
// line (TEXT: part of the message), so none passes silently.

extension SQLite {
    /// CREATE TABLE with seg's SQLite types, the CSV imported as text into a staging table, then
    /// each cell converted (empty: NULL; booleans as 1 / 0).
    static func loadScript(_ table: Table, csv: String) throws -> String {
        let name = try SQLGenerator.identifier(table.name)
        let staging = try SQLGenerator.identifier("seg_load_" + table.name)
        var text = try SQLSchema.createTable(table, name: [table.name], dialect: .sqlite, tags: .delimited)
        text += "CREATE TABLE \(staging) (\(try table.columns.map { "\(try SQLGenerator.identifier($0.name)) TEXT" }.joined(separator: ", ")));\n"
        text += ".import --csv --skip 1 \"\(csv)\" seg_load_\(table.name)\n"
        let values = try table.columns.map { c -> String in
            let cell = "NULLIF(trim(\(try SQLGenerator.identifier(c.name))), '')"
            switch c.data {
            case .text, .category, .tags: return cell
            case .date: return "date(\(cell))"
            case .boolean: return "CASE lower(\(cell)) WHEN 'true' THEN 1 WHEN 'false' THEN 0 END"
            default: return "CAST(\(cell) AS \(SQLSchema.type(of: c, dialect: .sqlite, tags: .delimited)))"
            }
        }
        text += "INSERT INTO \(name) SELECT \(values.joined(separator: ", ")) FROM \(staging);\nDROP TABLE \(staging);\n"
        return text
    }

    /// Runs a script in an in-memory database; CSV out, or the error text.
    static func run(_ script: String) throws -> (ok: Bool, output: String) {
        let r = try Seg.run(executable: "/usr/bin/sqlite3", ["-bail", "-csv", "-header", ":memory:"], stdin: script)
        let ok = r.status == 0 && r.stderr.isEmpty
        return (ok, ok ? r.stdout.replacingOccurrences(of: "\r\n", with: "\n") : r.stderr)
    }
}

@Suite("golden files as generated SQLite SQL", .enabled(if: SQLite.available))
struct SQLiteGoldenTests {
    @Test(arguments: GeneratedSQLGolden.files)
    func goldenFileAgrees(_ name: String) throws {
        let golden = GeneratedSQLGolden(dialect: .sqlite, load: SQLite.loadScript, run: SQLite.run)
        let (compared, refusals) = try golden.compare(name)
        let declared = try GoldenFile(path: name).all("sqlite-refuses")
        for r in refusals {
            #expect(declared.contains { r.message.contains($0) },
                    "\(name):\(r.line): SQLite refuses \(r.statement) and the file does not say so (@sqlite-refuses):\n\(r.message)")
        }
        for text in declared {
            #expect(refusals.contains { $0.message.contains(text) }, "\(name): @sqlite-refuses \(text): no statement is refused so")
        }
        if name == "related/related.test" { #expect(compared >= 30, "only \(compared) queries compared") }
    }

    @Test func theRelatedTablesRunOnSQLite() {
        #expect(GeneratedSQLGolden.files.contains("related/related.test"))
    }
}
