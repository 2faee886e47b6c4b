import Foundation
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO

/// Reads a table's columns from the catalog and turns them into a schema-only seg `Table`: the
/// right `ColumnData` case per column with no rows, but full category dictionaries and tag
/// vocabularies, so the resolver checks statements exactly as it does in memory. Text columns
/// become `category`, `tags` or `text` by the same rules as seg's CSV reader, applied to the
/// distinct values (fetched with a bound `SELECT DISTINCT … LIMIT`).
enum PostgresSchema {
    static let maxCategoryValues = 65_536
    static let maxTagVocabulary = 4_096

    struct CatalogColumn {
        var name: String
        var typeName: String
        var scale: Int?
        var elementType: String?
    }

    /// `quick`: start in time that does not grow with the table (see `QuickStart`); the table's
    /// text and tag columns then hold samples, described by the `SampledTable` returned.
    static func read(name: String, qualified: [String], link: PostgresLink, columns wanted: Set<String>? = nil,
                     quick: QuickStart? = nil) throws -> (Table, SQLTable, SampledTable?) {
        let relation = try qualified.map { try SQLGenerator.identifier($0) }.joined(separator: ".")
        let shown = qualified.joined(separator: ".")
        func rows(_ sql: String, _ parameters: [String] = []) throws -> [[String?]] {
            let box = UncheckedBox([[String?]]())
            let statement = SQLStatement(text: sql, parameters: parameters, columns: [], kind: .groups)
            try link.execute(statement, interrupt: nil, query: nil, source: nil) { box.value.append($0) }
            return box.value
        }
        // pg_class rather than to_regclass or a regclass cast: the same query on PostgreSQL 9.4 to 17.
        let schema = qualified.count == 2 ? qualified[0] : ""
        let relname = qualified.last ?? ""
        let found = try rows("""
            SELECT CAST(c.oid AS text) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE CAST(c.relname AS text) = $1 AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
              AND (CAST(n.nspname AS text) = $2 OR ($2 = '' AND pg_table_is_visible(c.oid)))
            """, [relname, schema])
        guard let oid = found.first?.first ?? nil else {
            throw SegError(.usage, .database(.noTable(shown, url: "\(link.url)", seg: name)))
        }
        let catalog = try rows("""
            SELECT CAST(a.attname AS text), CAST(t.typname AS text),
                   CASE WHEN t.typname = 'numeric' AND a.atttypmod >= 4 THEN CAST((a.atttypmod - 4) & 65535 AS text) END,
                   CAST(e.typname AS text)
            FROM pg_attribute a
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
            WHERE a.attrelid = CAST($1 AS oid) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, [oid])
        var columns: [CatalogColumn] = []
        var skipped: [String] = []
        for row in catalog {
            guard row.count == 4, let colName = row[0], let typeName = row[1] else { continue }
            let c = CatalogColumn(name: colName, typeName: typeName, scale: row[2].flatMap { Int($0) }, elementType: row[3])
            if kind(of: c) == nil { skipped.append(colName) } else { columns.append(c) }
        }
        guard !columns.isEmpty else {
            throw SegError(.usage, .database(.noReadableColumn(shown)))
        }
        if let quick {
            let fingerprint = catalog.map { $0.map { $0 ?? "" }.joined(separator: ":") }.joined(separator: ",")
            let (table, sql, sampled) = try quickRead(name: name, qualified: qualified, oid: oid, columns: columns, fingerprint: fingerprint,
                                                      link: link, wanted: wanted, quick: quick, rows: rows)
            noteSkipped(skipped, shown: shown)
            return (table, sql, sampled)
        }
        // One scan for the row count and each column's present values.
        let counts = try rows("SELECT CAST(COUNT(*) AS text)"
                              + (try columns.map { ", CAST(COUNT(\(try SQLGenerator.identifier($0.name))) AS text)" }).joined()
                              + " FROM \(relation)")
        let countRow = counts.first ?? []
        let rowCount = countRow.first.flatMap { $0.flatMap { Int($0) } } ?? 0

        var segColumns: [Column] = []
        var tagStorage: [String: TagStorage] = [:]
        for (i, c) in columns.enumerated() {
            let present = (i + 1 < countRow.count ? countRow[i + 1].flatMap { Int($0) } : nil) ?? 0
            let q = try SQLGenerator.identifier(c.name)
            let data: ColumnData
            switch kind(of: c) {
            case .integer?, .decimal?, .date?, .boolean?:
                data = try fixedData(c, relation: relation, scaleNeeded: true) { try rows($0) }
            case .tags? where !ColumnSelection.wants(c.name, index: i, in: wanted):
                // Named by no statement of a one-shot run: no vocabulary needed.
                tagStorage[c.name] = .array
                data = tagData([])
            case .tags?:
                let words = try rows("SELECT DISTINCT t FROM \(relation), unnest(\(q)) AS t WHERE t IS NOT NULL LIMIT \(maxTagVocabulary + 1)")
                tagStorage[c.name] = .array
                data = tagData(words.compactMap { $0.first ?? nil })
            case .text?, .category?, nil:
                guard ColumnSelection.wants(c.name, index: i, in: wanted) else {
                    data = .text(TextBuffer())
                    break
                }
                let values = try rows("SELECT DISTINCT CAST(\(q) AS text) FROM \(relation) WHERE \(q) IS NOT NULL AND \(q) <> '' LIMIT \(maxCategoryValues + 1)")
                    .compactMap { $0.first ?? nil }
                data = try textData(values, present: present, column: q, relation: relation, rows: rows)
                if case .tags = data { tagStorage[c.name] = .delimited }
            }
            segColumns.append(Column(name: c.name, data: data, validity: nil, count: 0))
        }
        var table = Table(name: name, columns: segColumns, rowCount: 0, origin: "\(shown) in \(link.url.database) on \(link.url.host)")
        // rowCount describes the database table (the startup line); the columns hold no rows.
        table.rowCount = rowCount
        noteSkipped(skipped, shown: shown)
        let key = table.columnIndex(named: "id").map { segColumns[$0].name }
        return (table, SQLTable(name: qualified, tagStorage: tagStorage, rowKey: key), nil)
    }

    static func noteSkipped(_ skipped: [String], shown: String) {
        guard !skipped.isEmpty else { return }
        let note = "note: \(shown): skipped columns of types seg does not read: \(skipped.joined(separator: ", "))"
        FileHandle.standardError.write(Data((DisplayWidth.sanitized(note) + "\n").utf8))
    }

    /// An integer, decimal, date or boolean column with no rows. A numeric column without a declared
    /// scale takes the most fraction digits present (read every time, never cached: a scale that
    /// new rows exceed would misprint them), or 0 when `scaleNeeded` is false (no statement names it).
    static func fixedData(_ c: CatalogColumn, relation: String, scaleNeeded: Bool,
                          rows: (String) throws -> [[String?]]) throws -> ColumnData {
        switch kind(of: c) {
        case .decimal?:
            var scale = c.scale
            if scale == nil && scaleNeeded {
                let s = try rows("SELECT CAST(MAX(scale(\(try SQLGenerator.identifier(c.name)))) AS text) FROM \(relation)")
                scale = s.first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
            }
            return .decimal([], scale: min(18, scale ?? 0))
        case .date?: return .date([])
        case .boolean?: return .boolean([])
        default: return .integer([])
        }
    }

    static func kind(of c: CatalogColumn) -> FieldType? {
        switch c.typeName {
        case "int2", "int4", "int8": return .integer
        case "numeric": return .decimal
        case "date": return .date
        case "bool": return .boolean
        case "text", "varchar", "bpchar", "name", "citext": return .text
        case "_text", "_varchar", "_bpchar", "_citext": return .tags
        default: return nil
        }
    }

    static func tagData(_ words: [String]) -> ColumnData {
        let vocabulary = Set(words).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return .tags(TagSets(vocabulary: vocabulary, wordsPerRow: max(1, (vocabulary.count + 63) / 64), bits: []))
    }

    /// category, tags (`;`-separated text) or text, by the CSV reader's rules on the distinct values.
    static func textData(_ values: [String], present: Int, column q: String, relation: String,
                         rows: (String, [String]) throws -> [[String?]]) throws -> ColumnData {
        let truncated = values.count > maxCategoryValues
        // Values that all read as numbers were identifiers (phones, ids with leading zeros …).
        if !truncated && !values.isEmpty && values.allSatisfy(looksNumeric) { return .text(TextBuffer()) }
        var semicolon = values.contains { $0.contains(";") }
        if truncated && !semicolon {
            semicolon = !(try rows("SELECT 1 FROM \(relation) WHERE strpos(\(q), ';') > 0 LIMIT 1", [])).isEmpty
        }
        if semicolon {
            var tokens: [String]
            if truncated {
                tokens = try rows("SELECT DISTINCT btrim(t, E' \\t') FROM \(relation), unnest(string_to_array(\(q), ';')) AS t WHERE btrim(t, E' \\t') <> '' LIMIT \(maxTagVocabulary + 1)", [])
                    .compactMap { $0.first ?? nil }
            } else {
                var set = Set<String>()
                for v in values {
                    for t in v.split(separator: ";") {
                        let token = t.trimmingCharacters(in: [" ", "\t"])
                        if !token.isEmpty { set.insert(token) }
                    }
                }
                tokens = Array(set)
            }
            if tokens.count <= maxTagVocabulary && (tokens.count * 2 <= present || tokens.count <= 64) {
                return tagData(tokens)
            }
        }
        if !truncated && (values.count <= 32 || values.count * 10 <= present) {
            return .category(codes: [], dictionary: values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
        return .text(TextBuffer())
    }

    /// `-?[0-9]+(\.[0-9]+)?`, as the CSV reader's number rule.
    static func looksNumeric(_ s: String) -> Bool {
        var u = Substring(s).utf8[...]
        if u.first == UInt8(ascii: "-") { u = u.dropFirst() }
        let parts = u.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty else { return false }
        func digits(_ p: Substring.UTF8View.SubSequence) -> Bool { !p.isEmpty && p.allSatisfy { $0 >= 48 && $0 <= 57 } }
        return digits(whole) && (parts.count == 1 || digits(parts[1]))
    }
}
