import Foundation
import Testing
@testable import SegBase
@testable import SegStore
@testable import SegFunctions
@testable import SegSyntax
@testable import SegSemantics
@testable import SegSQL
@testable import SegIO
@testable import SegCommands
import SegTestSupport

/// A golden file's queries as generated SQL, run by a database's shell on the file's data (each
/// `@data` table created with seg's types and loaded from the same CSV), against seg's answers in
/// memory: the same header and the same rows in the same order, cell for cell.
struct GeneratedSQLGolden {
    /// A statement seg answers in memory and the dialect refuses, with the message.
    struct Refusal {
        var line: Int
        var statement: String
        var message: String
    }

    var dialect: SQLDialect
    /// The script that creates and loads a table from a CSV file.
    var load: (Table, String) throws -> String
    /// Runs a script: CSV out (header first, NULL as empty), or the error text.
    var run: (String) throws -> (ok: Bool, output: String)

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

    /// Compares every query of the file that translates to one SQL statement; returns how many
    /// it compared and the statements the dialect refused.
    func compare(_ name: String) throws -> (compared: Int, refusals: [Refusal]) {
        let file = try GoldenFile(path: name)
        var tables: [Table] = []
        var script = ""
        for data in file.all("data") {
            let parts = data.split(separator: "=", maxSplits: 1).map(String.init)
            let csv = GoldenFile.root.appendingPathComponent(parts[1]).path
            let table = try DataLoader.load(path: csv, tableName: parts[0], types: [:])
            script += try load(table, csv)
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
        let options = SQLOptions(dialect: dialect, today: today, tables: tables.map(SQLTable.matching))
        var compared = 0
        var refusals: [Refusal] = []
        for c in file.cases {
            let source = Source(name: "", text: c.statement)
            let output = Output(.memory)
            let ranInMemory = (try? session.run(source, output: output)) != nil
            try? output.flush()
            let (parsed, errors) = Parser.parse(source)
            let translatable = errors.isEmpty && parsed.statements.allSatisfy {
                switch $0 {
                case .query, .define, .defineField, .defineOrder, .parameter: return true
                default: return false
                }
            }
            guard translatable else { continue }
            // Translate even when seg refused it, so the SQL side's segments keep in step.
            let statements: [SQLStatement]
            let before = catalog
            do {
                statements = try SQLScript.translate(source, catalog: &catalog, options: options)
            } catch {
                // A refusal of this dialect's, not of SQL (a histogram is drawn by seg in any case).
                var other = before
                var elsewhere = options
                elsewhere.dialect = dialect == .duckdb ? .postgres : .duckdb
                if ranInMemory, (try? SQLScript.translate(source, catalog: &other, options: elsewhere)) != nil {
                    refusals.append(Refusal(line: c.line, statement: c.statement, message: "\(error)"))
                }
                continue
            }
            guard ranInMemory, statements.count == 1, let statement = statements.first else { continue }
            let answer = try run(script + statement.text + ";\n")
            #expect(answer.ok, "\(name):\(c.line): \(c.statement)\n\(statement.text)\n\(answer.output)")
            guard answer.ok else { continue }
            var ours = DuckDB.records(output.text), theirs = DuckDB.records(answer.output)
            // Tags come back as stored; seg lists them in vocabulary order. SQLite stores a
            // boolean as 1 / 0.
            for (k, column) in statement.columns.enumerated() where column.type == .tags || column.type == .boolean {
                for r in 1..<max(1, theirs.count) where k < theirs[r].count {
                    if column.type == .boolean {
                        theirs[r][k] = ["1": "true", "0": "false"][theirs[r][k]] ?? theirs[r][k]
                        continue
                    }
                    theirs[r][k] = theirs[r][k].split(separator: ";").map(String.init)
                        .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: ";")
                }
            }
            if ours.count == 1 && theirs.isEmpty { ours = [] }  // an empty result: the shell may omit the header
            #expect(ours == theirs, "\(name):\(c.line): \(c.statement)\n\(statement.text)\nseg:    \(ours.prefix(6))\n\(dialect): \(theirs.prefix(6))")
            compared += 1
        }
        return (compared, refusals)
    }
}
