import Foundation
import SegBase
import SegStore
import SegSQL
import SegSemantics
import SegIO
import SegFunctions

/// How a `PostgresBook` starts in time that does not grow with its tables: the catalog is read
/// as always, but a text column's kind and values come from the cache of an earlier run on the
/// same version of the table, or else from its first `sampleRows` rows, and only for the columns
/// the statements name. The values are then a sample; `PostgresBook` answers for the rest
/// (`SampledValues`), so statements are checked exactly as after a full read.
public struct QuickStart: Sendable {
    /// Where the per-table cache lives (`SEG_DB_CACHE`, else the state folder); nil: no cache.
    public var cacheFolder: String?
    /// Rows read to learn a column's kind and values when the cache has none.
    public var sampleRows: Int
    /// Count the rows exactly (the prompt's banner); else the planner's estimate (`reltuples`),
    /// which only `--timer`'s load line shows.
    public var exactCount: Bool

    public init(cacheFolder: String?, sampleRows: Int = 10_000, exactCount: Bool = false) {
        self.cacheFolder = cacheFolder
        self.sampleRows = sampleRows
        self.exactCount = exactCount
    }

    /// The cache folder from the environment (`SchemaCache.folder`).
    public static func cacheFolder(environment: [String: String]) -> String? { SchemaCache.folder(environment: environment) }
}

/// A quick-started table: how to ask the data about the columns whose values are a sample.
struct SampledTable: Sendable {
    enum Storage: Sendable { case category, delimited, array }
    struct Column: Sendable {
        var quoted: String
        var typeName: String
        var storage: Storage
    }
    var relation: String
    /// Keyed by the column's name as the catalog spells it.
    var columns: [String: Column]
    var cachePath: String?
    var cache: SchemaCache
    /// Whether the cache of an earlier run was valid for this version of the table.
    var fromCache: Bool
}

extension PostgresSchema {
    /// The version of a table that a cache is valid for: the columns' names and types, and for the
    /// table and each partition under it, its oid, its file (`relfilenode`: TRUNCATE, VACUUM FULL
    /// and CLUSTER give it a new one) and its counts of inserted, updated and deleted rows
    /// (`pg_stat_all_tables`). Those counts reach the statistics when a transaction's session
    /// reports them (at its end when idle, at least once a second; PostgreSQL 15 may wait up to 10 s
    /// in a busy session), a foreign table (postgres_fdw) has none, and a statistics reset starts
    /// them again: so the signature can miss a change for a while, or for ever on a foreign table.
    /// That is why the cache is only a hint (see `SchemaCache`).
    static func signature(oid: String, rows: (String, [String]) throws -> [[String?]]) throws -> (signature: String, estimate: Int) {
        let found = try rows("""
            WITH RECURSIVE tree(oid) AS (
                SELECT CAST($1 AS oid)
                UNION ALL SELECT i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.oid)
            SELECT string_agg(CAST(c.oid AS text) || '/' || CAST(c.relfilenode AS text) || '/' || CAST(c.relkind AS text) || '/'
                              || COALESCE(CAST(s.n_tup_ins AS text) || '/' || CAST(s.n_tup_upd AS text) || '/' || CAST(s.n_tup_del AS text), '-'),
                              ',' ORDER BY c.oid),
                   CAST(SUM(CASE WHEN c.reltuples > 0 AND c.relkind <> 'p' THEN c.reltuples ELSE 0 END) AS bigint)
            FROM tree JOIN pg_class c ON c.oid = tree.oid LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
            """, [oid])
        let row = found.first ?? []
        let signature = row.first.flatMap { $0 } ?? ""
        let estimate = row.count > 1 ? (row[1].flatMap { Int($0) } ?? 0) : 0
        return (signature, estimate)
    }

    static func quickRead(name: String, qualified: [String], oid: String, columns: [CatalogColumn], fingerprint: String,
                          link: PostgresLink, wanted: Set<String>?, quick: QuickStart,
                          rows: (String, [String]) throws -> [[String?]]) throws -> (Table, SQLTable, SampledTable) {
        let relation = try qualified.map { try SQLGenerator.identifier($0) }.joined(separator: ".")
        let shown = qualified.joined(separator: ".")
        let (stats, estimate) = try signature(oid: oid, rows: rows)
        let signature = fingerprint + "|" + stats
        let cachePath = quick.cacheFolder.map { SchemaCache.path(folder: $0, url: link.url, relation: relation) }
        let cached = cachePath.flatMap { SchemaCache.read($0, signature: signature) }
        var cache = cached ?? SchemaCache(signature: signature, rows: estimate, columns: [:])
        var rowCount = cached?.rows ?? estimate
        if quick.exactCount {
            rowCount = try rows("SELECT CAST(COUNT(*) AS text) FROM \(relation)", []).first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
            cache.rows = rowCount
        }

        // The columns to learn from the table's first rows: named, and not in the cache.
        var toSample: [(index: Int, column: CatalogColumn)] = []
        for (i, c) in columns.enumerated() where cache.columns[c.name] == nil && ColumnSelection.wants(c.name, index: i, in: wanted) {
            if kind(of: c) == .text || kind(of: c) == .tags { toSample.append((i, c)) }
        }
        if !toSample.isEmpty {
            let sampled = try sample(toSample.map(\.column), relation: relation, limit: quick.sampleRows, rows: rows)
            for ((_, c), (values, present)) in zip(toSample, sampled) {
                if kind(of: c) == .tags {
                    cache.columns[c.name] = SchemaCache.Entry(kind: "tags", values: sortedByBytes(values))
                    continue
                }
                let data = try textData(values, present: present, column: try SQLGenerator.identifier(c.name), relation: relation, rows: rows)
                switch data {
                case .category(_, let dictionary): cache.columns[c.name] = SchemaCache.Entry(kind: "category", values: dictionary)
                case .tags(let sets): cache.columns[c.name] = SchemaCache.Entry(kind: "delimited", values: sets.vocabulary)
                default: cache.columns[c.name] = SchemaCache.Entry(kind: "text", values: [])
                }
            }
        }
        if let cachePath, cache != cached { cache.write(cachePath) }

        var segColumns: [Column] = []
        var tagStorage: [String: TagStorage] = [:]
        var sampledColumns: [String: SampledTable.Column] = [:]
        for (i, c) in columns.enumerated() {
            let q = try SQLGenerator.identifier(c.name)
            let data: ColumnData
            switch kind(of: c) {
            case .integer?, .decimal?, .date?, .boolean?:
                data = try fixedData(c, relation: relation, scaleNeeded: ColumnSelection.wants(c.name, index: i, in: wanted)) { try rows($0, []) }
            case .tags?:
                tagStorage[c.name] = .array
                let entry = cache.columns[c.name]
                data = tagData(entry?.values ?? [])
                if entry != nil { sampledColumns[c.name] = SampledTable.Column(quoted: q, typeName: c.typeName, storage: .array) }
            case .text?, .category?, nil:
                switch cache.columns[c.name] {
                case let entry? where entry.kind == "category":
                    data = .category(codes: [], dictionary: entry.values)
                    sampledColumns[c.name] = SampledTable.Column(quoted: q, typeName: c.typeName, storage: .category)
                case let entry? where entry.kind == "delimited":
                    data = tagData(entry.values)
                    tagStorage[c.name] = .delimited
                    sampledColumns[c.name] = SampledTable.Column(quoted: q, typeName: c.typeName, storage: .delimited)
                default:
                    data = .text(TextBuffer())
                }
            }
            segColumns.append(Column(name: c.name, data: data, validity: nil, count: 0))
        }
        var table = Table(name: name, columns: segColumns, rowCount: 0, origin: "\(shown) in \(link.url.database) on \(link.url.host)")
        table.rowCount = rowCount
        let key = table.columnIndex(named: "id").map { segColumns[$0].name }
        return (table, SQLTable(name: qualified, tagStorage: tagStorage, rowKey: key),
                SampledTable(relation: relation, columns: sampledColumns, cachePath: cachePath, cache: cache, fromCache: cached != nil))
    }

    /// Each column's distinct present values (tag words, for an array) among the first `limit`
    /// rows, and how many of those rows have one: one statement for all the columns, which sends
    /// back the distinct values and the counts, not the rows.
    static func sample(_ columns: [CatalogColumn], relation: String, limit: Int,
                       rows: (String, [String]) throws -> [[String?]]) throws -> [(values: [String], present: Int)] {
        var parts: [String] = []
        for (i, c) in columns.enumerated() {
            let q = try SQLGenerator.identifier(c.name)
            parts.append("SELECT CAST(\(i) AS text), CAST(NULL AS text), CAST(COUNT(\(q)) AS text) FROM seg_sample")
            if kind(of: c) == .tags {
                parts.append("SELECT DISTINCT CAST(\(i) AS text), CAST(w AS text), CAST(NULL AS text) FROM seg_sample, unnest(\(q)) AS w WHERE w IS NOT NULL AND CAST(w AS text) <> ''")
            } else {
                parts.append("SELECT DISTINCT CAST(\(i) AS text), CAST(\(q) AS text), CAST(NULL AS text) FROM seg_sample WHERE \(q) IS NOT NULL AND CAST(\(q) AS text) <> ''")
            }
        }
        let list = try columns.map { try SQLGenerator.identifier($0.name) }.joined(separator: ", ")
        var values = [[String]](repeating: [], count: columns.count)
        var present = [Int](repeating: 0, count: columns.count)
        let sql = "WITH seg_sample AS (SELECT \(list) FROM \(relation) LIMIT \(max(1, limit)))\n" + parts.joined(separator: "\nUNION ALL ")
        for row in try rows(sql, []) {
            guard row.count == 3, let i = row[0].flatMap({ Int($0) }), i >= 0, i < columns.count else { continue }
            if let value = row[1] {
                values[i].append(value)
            } else {
                present[i] = row[2].flatMap { Int($0) } ?? 0
            }
        }
        return (0..<columns.count).map { (values[$0], present[$0]) }
    }

    static func sortedByBytes(_ values: [String]) -> [String] {
        Set(values).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
