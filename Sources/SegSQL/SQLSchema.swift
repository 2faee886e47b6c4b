import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
import SegSemantics
// DDL for a seg table: `seg sql --create NAME` prints a CREATE TABLE whose column types match
// what seg inferred, plus a psql script that loads the CSV through a text staging table (COPY
// reads every cell as text; the INSERT converts, so `;` tags can become text[]).

/// CREATE TABLE statements and a CSV load script for a table's schema.
public enum SQLSchema {
    /// The SQL type seg's column maps to.
    public static func type(of column: Column, dialect: SQLDialect, tags: TagStorage) -> String {
        switch (column.data, dialect) {
        case (.integer, .sqlite): return "INTEGER"
        case (.integer, _): return "bigint"
        case (.decimal, .sqlite): return "REAL"
        case (.decimal(_, let s), _): return "numeric(18,\(s))"
        case (.date, .sqlite): return "TEXT"
        case (.date, _): return "date"
        case (.boolean, .sqlite): return "INTEGER"
        case (.boolean, _): return "boolean"
        case (.category, .sqlite), (.text, .sqlite): return "TEXT"
        case (.category, _), (.text, _): return "text"
        case (.tags, .postgres): return tags == .array ? "text[]" : "text"
        case (.tags, .duckdb): return tags == .array ? "VARCHAR[]" : "VARCHAR"
        case (.tags, .sqlite): return "TEXT"
        }
    }

    /// `CREATE TABLE name (…)` with quoted names and seg's types.
    public static func createTable(_ table: Table, name: [String], dialect: SQLDialect, tags: TagStorage) throws -> String {
        let qualified = try name.map { try SQLGenerator.identifier($0) }.joined(separator: ".")
        let columns = try table.columns.map { "  \(try SQLGenerator.identifier($0.name)) \(type(of: $0, dialect: dialect, tags: tags))" }
        return "CREATE TABLE \(qualified) (\n\(columns.joined(separator: ",\n"))\n);\n"
    }

    /// A psql script that creates the table and loads a CSV with the same header from psql's
    /// standard input: `psql -f load.sql < book.csv`.
    public static func postgresLoadScript(_ table: Table, name: [String], tags: TagStorage) throws -> String {
        let qualified = try name.map { try SQLGenerator.identifier($0) }.joined(separator: ".")
        let staging = try SQLGenerator.identifier("seg_load_" + (name.last ?? "table"))
        var text = "DROP TABLE IF EXISTS \(qualified);\n"
        text += try createTable(table, name: name, dialect: .postgres, tags: tags)
        text += "CREATE TEMP TABLE \(staging) (\n"
        text += try table.columns.map { "  \(try SQLGenerator.identifier($0.name)) text" }.joined(separator: ",\n")
        text += "\n);\n"
        text += "\\copy \(staging) FROM pstdin WITH (FORMAT csv, HEADER true)\n"
        var values: [String] = []
        for column in table.columns {
            let c = "NULLIF(\(try SQLGenerator.identifier(column.name)), '')"
            switch column.data {
            case .tags where tags == .array:
                // Tokens trimmed and empty ones dropped, as seg's reader does.
                values.append("CASE WHEN \(c) IS NULL THEN NULL ELSE ARRAY(SELECT btrim(t, E' \\t') FROM unnest(string_to_array(\(c), ';')) AS t WHERE btrim(t, E' \\t') <> '') END")
            case .text, .category, .tags:
                values.append(c)
            default:
                values.append("CAST(btrim(\(c)) AS \(type(of: column, dialect: .postgres, tags: tags)))")
            }
        }
        text += "INSERT INTO \(qualified) SELECT\n  \(values.joined(separator: ",\n  "))\nFROM \(staging);\n"
        text += "ANALYZE \(qualified);\n"
        return text
    }
}
