import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
import SegSemantics
// Compiles a resolved query (`BoundQuery`) to SQL for PostgreSQL, SQLite or DuckDB. Working from
// the bound form means every name, type and category value was already checked by seg; this file
// only chooses spellings. Strings from the user become bound parameters or quoted literals,
// names become quoted identifiers, and numbers and dates are literals that seg itself formats
// (relative dates are computed from seg's `today`, so the SQL is reproducible).
//
// Semantics carried over from the in-memory engine:
// - missing values are NULL; SQL's three-valued logic is seg's (`not` of an unknown stays unknown);
// - text compares by bytes (`COLLATE "C"` in PostgreSQL; SQLite and DuckDB compare bytes already);
// - sorting puts missing values last in both directions, and ties fall back to row order: the
//   table's row key (its `id` column, else the dialect's row id), which also identifies rows in
//   segments and set operations;
// - `avg` is rounded half away from zero to max(2, scale) decimals, sums are exact.

/// Where one seg table lives in SQL, and how its columns are stored.
public struct SQLTable: Sendable {
    /// The table's name, qualified by schema when there are two parts (`["crm", "clients"]`).
    public var name: [String]
    /// Tag fields by column name; a tag field not listed is `.delimited`.
    public var tagStorage: [String: TagStorage]
    /// The column that orders rows (ties) and identifies them (segments); it must be unique and
    /// never missing. nil: the dialect's physical row id (`ctid`, `rowid`).
    public var rowKey: String?

    public init(name: [String], tagStorage: [String: TagStorage] = [:], rowKey: String?) {
        self.name = name
        self.tagStorage = tagStorage
        self.rowKey = rowKey
    }

    /// The mapping for a table loaded from a file: same name, `;`-separated tags, `id` as row key when present.
    public static func matching(_ table: Table) -> SQLTable {
        let id = table.columnIndex(named: "id").map { table.columns[$0].name }
        return SQLTable(name: [table.name], rowKey: id)
    }
}

/// Options of one translation.
public struct SQLOptions: Sendable {
    public var dialect: SQLDialect
    /// seg's today (day number): relative dates become literal dates computed from it.
    public var today: Int
    /// Parallel to the catalog's tables; a missing entry means `SQLTable.matching`.
    public var tables: [SQLTable]
    /// Strings as `$1, $2 …` parameters (PostgreSQL and DuckDB) instead of quoted literals.
    public var bindParameters: Bool
    /// Every result column as text formatted like seg's CSV (decimals with their scale, ISO dates,
    /// `true`/`false`, tags joined by `;`), for reading results back without type guessing.
    public var textResults: Bool
    /// Segments' CTEs `AS MATERIALIZED` (PostgreSQL 12 and later): each computed once before the
    /// query that tests membership. On postgres_fdw with async append, PostgreSQL 15.18 hung when
    /// a segment under OR was a hashed SubPlan over async foreign scans (docs/sharded.md).
    public var materializedCTEs: Bool = false

    public init(dialect: SQLDialect, today: Int, tables: [SQLTable] = [], bindParameters: Bool = false,
                textResults: Bool = false) {
        self.dialect = dialect
        self.today = today
        self.tables = tables
        self.bindParameters = bindParameters
        self.textResults = textResults
    }
}

/// A generated statement: its text, the values of its parameters, and its result's shape.
public struct SQLStatement: Sendable {
    public var text: String
    /// Values of `$1 …` in order (all text; the SQL casts where needed).
    public var parameters: [String]
    public var columns: [ColumnShape]
    public var kind: ResultSet.Kind

    public init(text: String, parameters: [String] = [], columns: [ColumnShape] = [], kind: ResultSet.Kind = .groups) {
        self.text = text
        self.parameters = parameters
        self.columns = columns
        self.kind = kind
    }
}

/// Compiles bound queries to SQL. One generator per statement (it numbers parameters and CTEs).
public struct SQLGenerator: SQLSpelling {
    let catalog: Catalog
    let options: SQLOptions
    var parameters: [String] = []
    /// Common table expressions for segments, in dependency order: (name, body).
    var ctes: [(String, String)] = []
    /// Named segments already emitted: lowercased segment name → CTE name.
    var cteNames: [String: String] = [:]
    var anonymous = 0
    /// While writing `HAVING`: the SQL of each group value its condition's fields name.
    var havingValues: [Value]?

    public init(catalog: Catalog, options: SQLOptions) {
        self.catalog = catalog
        self.options = options
    }

    public var dialect: SQLDialect { options.dialect }

    func sqlTable(_ index: Int) -> SQLTable {
        index < options.tables.count ? options.tables[index] : SQLTable.matching(catalog.tables[index])
    }

    static func error(_ message: DatabaseMessage) -> SegError { SegError(.query, .database(message)) }

    static func internalError(_ what: String) -> SegError { SegError(.internal, .internal(what)) }

    // MARK: - Statements

    /// The SQL for one statement.
    public mutating func generate(_ query: BoundQuery) throws -> SQLStatement {
        let table = catalog.tables[query.tableIndex]
        let noun = table.name.lowercased() == "clients" ? "clients" : "rows"
        var columns: [ColumnShape] = []
        let body: String
        let kind: ResultSet.Kind
        switch query.mode {
        case .count:
            kind = .count(noun: noun)
            let from = try fromWhere(query)
            let count = Value(sql: "COUNT(*)", type: .integer, scale: 0)
            columns = [ColumnShape(name: "count", type: .integer, scale: 0)]
            if let limit = query.limit, query.limitPer.isEmpty {
                body = "SELECT \(output(count)) AS \"count\"\nFROM (SELECT 1\n\(from)\nLIMIT \(limit)) AS seg_limited"
            } else {
                body = "SELECT \(output(count)) AS \"count\"\n\(from)"
            }
        case .list(let exprs):
            kind = .rows(noun: noun)
            var items: [String] = []
            for (k, expr) in exprs.enumerated() {
                let v = try value(expr, table: query.tableIndex)
                let name = query.heading(k) ?? expr.displayName
                items.append("\(output(v)) AS \(try Self.identifier(name))")
                columns.append(ColumnShape(name: name, type: v.type, scale: v.scale, grouped: expr.groupsDigits))
            }
            body = "SELECT \(items.joined(separator: ", "))\n\(try fromWhere(query))\n\(try orderLimit(query))"
        case .groups(let keys, let show, _):
            kind = .groups
            let (joins, keyValues) = try groupKeys(keys, table: query.tableIndex)
            var items: [String] = []
            for (k, item) in show.enumerated() {
                let v = try groupValue(item, keys: keyValues, table: query.tableIndex)
                let name = query.heading(k) ?? item.displayName(keys: keys)
                items.append("\(output(v)) AS \(try Self.identifier(name))")
                var grouped = true
                if case .key(let key) = item { grouped = keys[key].groupsDigits }
                columns.append(ColumnShape(name: name, type: v.type, scale: v.scale, grouped: grouped))
            }
            var text = "SELECT \(items.joined(separator: ", "))\n\(try fromWhere(query, joins: joins))"
            if !keyValues.isEmpty {
                text += "\nGROUP BY \(keyValues.map(\.sql).joined(separator: ", "))"
            }
            text += try havingClause(query, keys: keyValues)
            var order: [String] = []
            if query.sort.isEmpty {
                order = keyValues.map { orderTerm($0, descending: false) }
            } else {
                for key in query.sort {
                    guard case .groupItem(let item) = key.target else { continue }
                    order.append(orderTerm(try groupValue(item, keys: keyValues, table: query.tableIndex), descending: key.descending))
                }
                // Ties keep the order in which groups first appear in the table.
                if !keyValues.isEmpty { order.append("MIN(\(rowOrder(query.tableIndex)))") }
            }
            if !order.isEmpty { text += "\nORDER BY \(order.joined(separator: ", "))" }
            if let limit = query.limit { text += "\nLIMIT \(limit)" }
            body = text
        }
        return SQLStatement(text: withCTEs(body), parameters: parameters, columns: columns, kind: kind)
    }

    /// A statement counting what `query` selects before `limit`: rows for lists, groups for `by`
    /// (for footers such as `20 of 1,234 clients`). nil for `count` statements.
    public mutating func generateTotal(_ query: BoundQuery) throws -> SQLStatement? {
        switch query.mode {
        case .count:
            return nil
        case .list:
            var q = query
            q.mode = .count
            q.limit = nil
            q.limitPer = []
            q.sort = []
            return try generate(q)
        case .groups(let keys, _, _):
            let (joins, keyValues) = try groupKeys(keys, table: query.tableIndex)
            let from = try fromWhere(query, joins: joins)
            let count = output(Value(sql: "COUNT(*)", type: .integer, scale: 0))
            var text: String
            if keys.isEmpty && query.having == nil {
                text = "SELECT \(output(Value(sql: "1", type: .integer, scale: 0))) AS \"count\""
            } else {
                let groupBy = keyValues.isEmpty ? "" : "\nGROUP BY \(keyValues.map(\.sql).joined(separator: ", "))"
                text = "SELECT \(count) AS \"count\"\nFROM (SELECT 1\n\(from)\(groupBy)"
                    + "\(try havingClause(query, keys: keyValues))) AS seg_groups"
            }
            text = withCTEs(text)
            return SQLStatement(text: text, parameters: parameters, columns: [ColumnShape(name: "count", type: .integer, scale: 0)],
                                kind: .count(noun: "groups"))
        }
    }

    /// `HAVING …` of a grouped query (empty without one): its fields are the groups' values.
    mutating func havingClause(_ query: BoundQuery, keys: [Value]) throws -> String {
        guard let having = query.having else { return "" }
        let values = try having.items.map { try groupValue($0, keys: keys, table: query.tableIndex) }
        havingValues = values
        defer { havingValues = nil }
        return "\nHAVING \(try condition(having.condition, table: query.tableIndex))"
    }

    func withCTEs(_ body: String) -> String {
        guard !ctes.isEmpty else { return body }
        let materialized = options.materializedCTEs ? "MATERIALIZED " : ""
        return "WITH " + ctes.map { "\($0.0) AS \(materialized)(\n\($0.1)\n)" }.joined(separator: ",\n") + "\n" + body
    }

    /// `FROM t WHERE …` for a query's source and condition.
    /// The `by` keys' SQL. A tag field's key is its tag, from a join that repeats each row once
    /// per tag (once with no tag when it has none), so a client counts in each of their tags' groups.
    mutating func groupKeys(_ keys: [ValueExpr], table: Int) throws -> (joins: String, values: [Value]) {
        var joins = ""
        var values: [Value] = []
        for (k, key) in keys.enumerated() {
            let v = try value(key, table: table)
            guard key.type == .tags else {
                values.append(v)
                continue
            }
            let alias = "seg_tag\(k)"
            let list = v.tagStorage == .array ? v.sql : (dialect == .postgres ? "string_to_array" : "string_split") + "(NULLIF(\(v.sql), ''), ';')"
            switch dialect {
            case .postgres: joins += "\nLEFT JOIN LATERAL unnest(\(list)) AS \(alias)(tag) ON TRUE"
            case .duckdb: joins += "\nLEFT JOIN LATERAL (SELECT unnest(\(list)) AS tag) AS \(alias) ON TRUE"
            case .sqlite:
                // SQLite has no split: the `;`-separated tags become a JSON array for json_each
                // (`a;b` → `["a","b"]`, with backslashes, quotes, tabs and line breaks escaped).
                var escaped = v.sql
                for (from, to) in [("'\\'", "'\\\\'"), ("'\"'", "'\\\"'"), ("char(9)", "'\\t'"), ("char(10)", "'\\n'"), ("char(13)", "'\\r'")] {
                    escaped = "replace(\(escaped), \(from), \(to))"
                }
                let array = "CASE WHEN \(v.sql) IS NULL OR \(v.sql) = '' THEN NULL ELSE '[\"' || replace(\(escaped), ';', '\",\"') || '\"]' END"
                joins += "\nLEFT JOIN json_each(\(array)) AS \(alias) ON TRUE"
                values.append(Value(sql: "\(alias).value", type: .category, scale: 0))
                continue
            }
            values.append(Value(sql: "\(alias).tag", type: .category, scale: 0))
        }
        return (joins, values)
    }

    mutating func fromWhere(_ query: BoundQuery, joins: String = "") throws -> String {
        var text = "FROM \(try tableName(query.tableIndex))" + joins
        var terms: [String] = []
        if let s = try sourcePredicate(query.source, table: query.tableIndex) { terms.append(s) }
        if let c = query.condition { terms.append(try condition(c, table: query.tableIndex)) }
        if !query.limitPer.isEmpty { terms.append(try firstOfEachGroup(query)) }
        if !terms.isEmpty { text += "\nWHERE \(terms.joined(separator: "\n  AND "))" }
        return text
    }

    /// `limit N per KEYS`: the rows ranked 1…N within their group (in the sort order, ties by
    /// row order), as a CTE of row keys.
    mutating func firstOfEachGroup(_ query: BoundQuery) throws -> String {
        var whole = query
        whole.limitPer = []
        whole.limit = nil
        let t = query.tableIndex
        let partition = try query.limitPer.map { try value($0, table: t).sql }.joined(separator: ", ")
        var order: [String] = []
        for key in query.sort {
            guard case .value(let expr) = key.target else { continue }
            order.append(orderTerm(try value(expr, table: t), descending: key.descending))
        }
        order.append(rowOrder(t))
        let ranked = "SELECT \(rowKey(t)) AS seg_row, ROW_NUMBER() OVER (PARTITION BY \(partition) ORDER BY \(order.joined(separator: ", "))) AS seg_rank\n\(try fromWhere(whole))"
        anonymous += 1
        let cte = "seg_\(anonymous)"
        ctes.append((cte, "SELECT seg_row FROM (\(ranked)) AS seg_ranked WHERE seg_rank <= \(query.limit ?? 0)"))
        return try member(t, of: cte)
    }

    /// The row is among the keys of the segment's CTE: `EXISTS (… WHERE seg_row = key)`, planned
    /// as a semi-join. The earlier `key IN (SELECT seg_row …)` hung PostgreSQL 15.18 under
    /// postgres_fdw's async append (a hashed SubPlan over async foreign scans, docs/sharded.md),
    /// and its NOT IN form is never true once a key in the CTE is missing.
    func member(_ table: Int, of cte: String) throws -> String {
        let key: String
        if sqlTable(table).rowKey != nil {
            key = rowKey(table)
        } else {
            // The row's own id, named through its table: inside the subquery a bare ctid/rowid
            // could be read as the CTE's.
            key = "\(try Self.identifier(sqlTable(table).name.last ?? catalog.tables[table].name)).\(rowKey(table))"
        }
        return "EXISTS (SELECT 1 FROM \(cte) WHERE \(cte).seg_row = \(key))"
    }

    /// `ORDER BY … LIMIT n` of a list: the sort keys, then row order.
    mutating func orderLimit(_ query: BoundQuery) throws -> String {
        var order: [String] = []
        // `limit N per KEYS` is applied in the WHERE clause; the groups are listed in key order.
        for key in query.limitPer { order.append(orderTerm(try value(key, table: query.tableIndex), descending: false)) }
        for key in query.sort {
            guard case .value(let expr) = key.target else { continue }
            order.append(orderTerm(try value(expr, table: query.tableIndex), descending: key.descending))
        }
        order.append(rowOrder(query.tableIndex))
        var text = "ORDER BY \(order.joined(separator: ", "))"
        if let limit = query.limit, query.limitPer.isEmpty { text += "\nLIMIT \(limit)" }
        return text
    }

    func orderTerm(_ v: Value, descending: Bool) -> String {
        "\(v.orderSQL ?? collated(v.sql, v.type)) \(descending ? "DESC" : "ASC") NULLS LAST"
    }

    /// The row key as an expression of the base table.
    func rowKey(_ table: Int) -> String {
        if let key = sqlTable(table).rowKey, let q = try? qualified(table, key) { return q }
        return dialect == .postgres ? "ctid" : "rowid"
    }

    /// `"clients"."assets"`: a column named through its table (the table's name without schema).
    func qualified(_ table: Int, _ column: String) throws -> String {
        let name = sqlTable(table).name.last ?? catalog.tables[table].name
        return "\(try Self.identifier(name)).\(try Self.identifier(column))"
    }

    func rowOrder(_ table: Int) -> String {
        let t = catalog.tables[table]
        if let key = sqlTable(table).rowKey, let i = t.columnIndex(named: key) {
            return collated(rowKey(table), t.columns[i].type)
        }
        return rowKey(table)
    }

    func collated(_ sql: String, _ type: FieldType) -> String {
        dialect == .postgres && (type.isString || type == .tags) ? "\(sql) COLLATE \"C\"" : sql
    }

    func tableName(_ index: Int) throws -> String {
        try sqlTable(index).name.map { try Self.identifier($0) }.joined(separator: ".")
    }


    // MARK: - Sources and segments

    /// A condition on the base table's rows that holds for the rows of `source`; nil for all rows.
    mutating func sourcePredicate(_ source: BoundSource, table: Int) throws -> String? {
        switch source {
        case .table:
            return nil
        case .query(let q, let name):
            return try member(table, of: try segmentCTE(q, name: name))
        case .setOperation(let first, let rest):
            var acc = try sourcePredicate(first, table: table)
            for (op, term) in rest {
                let r = try sourcePredicate(term, table: table)
                switch op {
                case .union:
                    if let a = acc, let b = r { acc = "(\(a) OR \(b))" } else { acc = nil }
                case .intersect:
                    if let a = acc, let b = r { acc = "(\(a) AND \(b))" } else { acc = acc ?? r }
                case .except:
                    if let b = r { acc = acc.map { "(\($0) AND NOT \(b))" } ?? "NOT \(b)" } else { acc = "FALSE" }
                }
            }
            return acc
        }
    }

    /// Emits (once per named segment) a CTE of the row keys a segment's query selects.
    mutating func segmentCTE(_ query: BoundQuery, name: String?) throws -> String {
        if let name, let existing = cteNames[name.lowercased()] { return existing }
        var text = "SELECT \(rowKey(query.tableIndex)) AS seg_row\n\(try fromWhere(query))"
        if query.limit != nil { text += "\n" + (try orderLimit(query)) }
        let cte: String
        if let name {
            cte = try Self.identifier("seg_" + name.lowercased())
            cteNames[name.lowercased()] = cte
        } else {
            anonymous += 1
            cte = "seg_\(anonymous)"
        }
        ctes.append((cte, text))
        return cte
    }

    // MARK: - Conditions

    mutating func condition(_ c: BoundCondition, table: Int) throws -> String {
        switch c {
        case .and(let terms):
            if terms.isEmpty { return "TRUE" }
            return "(" + (try terms.map { try condition($0, table: table) }).joined(separator: " AND ") + ")"
        case .or(let terms):
            if terms.isEmpty { return "FALSE" }
            return "(" + (try terms.map { try condition($0, table: table) }).joined(separator: " OR ") + ")"
        case .not(let inner):
            return "NOT \(try condition(inner, table: table))"
        case .isEmpty(let expr, let negated):
            return "\(try value(expr, table: table).sql) IS \(negated ? "NOT " : "")NULL"
        case .member(let source):
            return try sourcePredicate(source, table: table) ?? "TRUE"
        case .compareValues(let a, let op, let b):
            let va = try value(a, table: table), vb = try value(b, table: table)
            if va.scaled || vb.scaled {
                // Exact integers of the smallest unit on both sides, at one scale.
                let s = max(va.scale, vb.scale)
                return "\(atScale(va, s)) \(Self.symbol(op)) \(atScale(vb, s))"
            }
            let ordering = op != .equal && op != .notEqual
            let rhs = ordering ? collated(vb.sql, vb.type) : vb.sql
            return "\(va.sql) \(Self.symbol(op)) \(rhs)"
        case .test(let expr, let test):
            if let exists = try relatedExists(expr, test) { return exists }
            return try rowTest(try value(expr, table: table), test, expr: expr, table: table)
        case .keyIn(let key, let keys):
            let list = try keys.isEmpty ? "NULL" : keys.map { try string($0) }.joined(separator: ", ")
            return "\(try keyText(key, table: table)) IN (\(list))"
        }
    }

    /// A client key as text, as seg prints it (an index on a text key still serves).
    mutating func keyText(_ key: ValueExpr, table: Int) throws -> String {
        let v = try value(key, table: table)
        if key.type.isString { return v.sql }
        guard options.textResults else { throw Self.internalError("keys are matched as text; generate with textResults") }
        return output(v)
    }

    static func symbol(_ op: ComparisonOperator) -> String {
        switch op {
        case .equal: return "="
        case .notEqual: return "<>"
        case .less: return "<"
        case .lessOrEqual: return "<="
        case .greater: return ">"
        case .greaterOrEqual: return ">="
        }
    }

    mutating func rowTest(_ v: Value, _ test: RowTest, expr: ValueExpr, table: Int) throws -> String {
        let c = v.sql
        switch test {
        case .always:
            return "(\(c) = \(c))"  // true when present, unknown when missing
        case .never:
            return "(\(c) <> \(c))"
        case .compare(let op, let k):
            return "\(c) \(Self.symbol(op)) \(literal(k, v))"
        case .oneOf(let values):
            if values.isEmpty { return "(\(c) <> \(c))" }
            return "\(c) IN (\(values.map { literal($0, v) }.joined(separator: ", ")))"
        case .tagsAny(let mask), .tagsAll(let mask):
            var all = false
            if case .tagsAll = test { all = true }
            return try tagTest(v, tags: tags(of: expr, table: table, mask: mask), all: all, column: expr)
        case .string(let st):
            return try stringTest(c, st)
        }
    }

    mutating func stringTest(_ c: String, _ test: StringTest) throws -> String {
        switch test {
        case .compare(let op, let s):
            let rhs = try string(s)
            let ordering = op != .equal && op != .notEqual
            return "\(c) \(Self.symbol(op)) \(ordering ? collated(rhs, .text) : rhs)"
        case .oneOf(let set):
            if set.isEmpty { return "(\(c) <> \(c))" }
            // Sorted by bytes so the SQL is the same on every run.
            let values = set.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            return "\(c) IN (\(try values.map { try string($0) }.joined(separator: ", ")))"
        case .like(let pattern):
            switch dialect {
            case .sqlite:
                // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive like seg's like.
                return "\(c) GLOB \(try string(Self.glob(pattern)))"
            case .postgres, .duckdb:
                // E'\\' is one backslash whatever standard_conforming_strings says.
                return "\(c) LIKE \(try string(Self.likeText(pattern))) ESCAPE \(dialect == .postgres ? "E'\\\\'" : "'\\'")"
            }
        case .contains(let s):
            return "\(dialect == .postgres ? "strpos" : "instr")(\(c), \(try string(s))) > 0"
        case .regex(let regex):
            switch dialect {
            case .postgres: return "\(c) ~ \(try string(regex.pattern))"
            case .duckdb: return "regexp_matches(\(c), \(try string(regex.pattern)))"
            case .sqlite:
                throw Self.error(.sqliteHasNoRegex)
            }
        }
    }

    /// seg's like pattern in SQL LIKE syntax with `\` as the escape character.
    static func likeText(_ pattern: LikePattern) -> String {
        var out = ""
        for piece in pattern.pieces {
            switch piece {
            case .anyRun: out += "%"
            case .anyOne: out += "_"
            case .literal(let bytes):
                for ch in String(decoding: bytes, as: UTF8.self) {
                    if ch == "\\" || ch == "%" || ch == "_" { out.append("\\") }
                    out.append(ch)
                }
            }
        }
        return out
    }

    /// seg's like pattern as a SQLite GLOB (`*`, `?`; `[x]` quotes a special character).
    static func glob(_ pattern: LikePattern) -> String {
        var out = ""
        for piece in pattern.pieces {
            switch piece {
            case .anyRun: out += "*"
            case .anyOne: out += "?"
            case .literal(let bytes):
                for ch in String(decoding: bytes, as: UTF8.self) {
                    if ch == "*" || ch == "?" || ch == "[" { out += "[\(ch)]" } else { out.append(ch) }
                }
            }
        }
        return out
    }

    func tags(of expr: ValueExpr, table: Int, mask: [UInt64]) throws -> [String] {
        guard case .field(let i, _, _) = expr, case .tags(let sets) = catalog.tables[table].columns[i].data else {
            throw Self.internalError("a tag test on a field that is not a tag field")
        }
        var out: [String] = []
        for (t, tag) in sets.vocabulary.enumerated() where t >> 6 < mask.count && mask[t >> 6] & (1 << UInt64(t & 63)) != 0 {
            out.append(tag)
        }
        return out
    }

    mutating func tagTest(_ v: Value, tags: [String], all: Bool, column: ValueExpr) throws -> String {
        let c = v.sql
        if tags.isEmpty { return all ? "(\(c) = \(c))" : "(\(c) <> \(c))" }
        if v.tagStorage == .array {
            let list = try tags.map { try string($0) }.joined(separator: ", ")
            switch dialect {
            case .postgres: return "\(c) \(all ? "@>" : "&&") ARRAY[\(list)]::text[]"
            case .duckdb: return "\(all ? "list_has_all" : "list_has_any")(\(c), [\(list)])"
            case .sqlite: throw Self.error(.sqliteHasNoArrays(field: column.displayName))
            }
        }
        let find = dialect == .postgres ? "strpos" : "instr"
        let terms = try tags.map { "\(find)(';' || \(c) || ';', \(try string(";" + $0 + ";"))) > 0" }
        return terms.count == 1 ? terms[0] : "(" + terms.joined(separator: all ? " AND " : " OR ") + ")"
    }

    // MARK: - Values

    public typealias Value = SQLValue

    mutating func value(_ expr: ValueExpr, table: Int) throws -> Value {
        switch expr {
        case .field(let i, _, _) where havingValues != nil:
            guard let values = havingValues, i < values.count else { throw Self.internalError("a 'having' value out of range") }
            return values[i]
        case .field(let i, _, let type):
            let col = catalog.tables[table].columns[i]
            // Qualified, so ORDER BY and GROUP BY never take a result column of the same name instead.
            var v = Value(sql: try qualified(table, col.name), type: type, scale: col.scale)
            if type == .tags { v.tagStorage = sqlTable(table).tagStorage[col.name] ?? .delimited }
            if type == .tags && v.tagStorage == .array && dialect == .sqlite {
                throw Self.error(.sqliteHasNoArrays(field: col.name))
            }
            return v
        case .constant(let m, let scale, _):
            if dialect == .sqlite && scale > 0 { return Value(sql: String(m), type: .decimal, scale: scale, scaled: true) }
            return Value(sql: scale == 0 ? String(m) : FixedPoint.format(m, scale: scale), type: scale == 0 ? .integer : .decimal, scale: scale)
        case .dateConstant(let day, _):
            return Value(sql: dateLiteral(day), type: .date, scale: 0)
        case .arithmetic(let op, let a, let b, let type, let scale):
            return try arithmetic(op, try value(a, table: table), try value(b, table: table), type: type, scale: scale)
        case .negate(let e):
            var v = try value(e, table: table)
            v.sql = "(-\(v.sql))"
            return v
        case .shiftDate(let e, let n, let unit):
            return Value(sql: shiftedDate(try value(e, table: table).sql, by: n, unit), type: .date, scale: 0)
        case .daysBetween(let a, let b):
            let x = try value(a, table: table).sql, y = try value(b, table: table).sql
            switch dialect {
            case .postgres: return Value(sql: "(\(x) - \(y))", type: .integer, scale: 0)
            case .duckdb: return Value(sql: "date_diff('day', \(y), \(x))", type: .integer, scale: 0)
            case .sqlite: return Value(sql: "CAST(julianday(\(x)) - julianday(\(y)) AS INTEGER)", type: .integer, scale: 0)
            }
        case .call(let name, let arguments, _, _):
            guard let function = Functions.scalar(named: name) else { throw Self.internalError("no function '\(name)'") }
            return try function.sql(try arguments.map { try value($0, table: table) }, self)
        case .derived(_, let inner):
            return try value(inner, table: table)
        case .classify(let c) where c.orderedField != nil:
            // An ordered stored field: its own values, ranked for sorts (its order lists every value).
            var v = try value(c.orderedField ?? expr, table: table)
            v.orderSQL = try rank(v.sql, c.dictionary)
            return v
        case .classify(let c):
            // The first rule that holds; one that is unknown (NULL) leaves the label missing, as in memory.
            var branches: [String] = []
            for (rule, label) in zip(c.rules, c.labels) {
                let test = try condition(rule, table: table)
                branches.append("WHEN \(test) THEN \(try Self.literal(label, dialect: dialect)) WHEN (\(test)) IS NULL THEN NULL")
            }
            let otherwise = try c.otherwise.map { try Self.literal($0, dialect: dialect) } ?? "NULL"
            let sql = "(CASE \(branches.joined(separator: " ")) ELSE \(otherwise) END)"
            // Groups and sorts follow the written order of the labels, not their spelling.
            var v = Value(sql: sql, type: .category, scale: 0)
            v.orderSQL = try rank(sql, c.dictionary)
            return v
        case .parent(let link, _, let inner, _):
            return try parentValue(link: link, inner)
        case .related(let r):
            return try relatedValue(r)
        case .truth(let c, _):
            // Unknown is false: CASE takes only a true condition.
            let (yes, no) = dialect == .sqlite ? ("1", "0") : ("TRUE", "FALSE")
            return Value(sql: "(CASE WHEN \(try condition(c, table: table)) THEN \(yes) ELSE \(no) END)", type: .boolean, scale: 0)
        }
    }

    /// Each label's position in `labels`, for ORDER BY.
    func rank(_ sql: String, _ labels: [String]) throws -> String {
        let ranks = try labels.enumerated().map { "WHEN \(try Self.literal($0.element, dialect: dialect)) THEN \($0.offset)" }
        return "(CASE \(sql) \(ranks.joined(separator: " ")) END)"
    }

    mutating func groupValue(_ item: GroupItem, keys: [Value], table: Int) throws -> Value {
        switch item {
        case .key(let k):
            return keys[k]
        case .aggregate(let agg):
            return try aggregate(agg, table: table)
        }
    }

    mutating func aggregate(_ agg: AggregateExpr, table: Int) throws -> Value {
        guard let function = Functions.aggregate(named: agg.function) else { throw Self.internalError("no aggregate '\(agg.function)'") }
        let v = try function.sql(try agg.argument.map { try value($0, table: table) }, agg.fraction, self)
        return agg.share ? Functions.share.sql(v, self) : v
    }

    // MARK: - Arithmetic

    /// `a op b`, exact in every dialect. PostgreSQL and DuckDB add, subtract and multiply their
    /// decimals exactly; SQLite stores money as floating point, so there (and wherever a side is
    /// already an integer of its smallest unit) the arithmetic is on integers of the smallest unit.
    /// A quotient is always integer arithmetic, rounded half away from zero as seg rounds it.
    func arithmetic(_ op: ArithmeticOperator, _ a: Value, _ b: Value, type: FieldType, scale: Int) throws -> Value {
        if op == .divide {
            let (x, y) = (bigInteger(a), bigInteger(b))
            let n = "(\(x) * \(FixedPoint.powersOfTen[scale - a.scale + b.scale]))"
            let magnitude = integerDivision("abs(\(n)) * 2 + abs(\(y))", "2 * abs(\(y))")
            let sql = "(CASE WHEN \(y) = 0 THEN NULL WHEN (\(n) < 0) <> (\(y) < 0) THEN -\(magnitude) ELSE \(magnitude) END)"
            return Value(sql: sql, type: .decimal, scale: scale, scaled: true)
        }
        let integers = dialect == .sqlite || a.scaled || b.scaled
        guard integers && type == .decimal else {
            return Value(sql: "(\(a.sql) \(op.rawValue) \(b.sql))", type: type, scale: scale)
        }
        let sql = op == .multiply ? "(\(scaledInteger(a)) * \(scaledInteger(b)))"
            : "(\(atScale(a, scale)) \(op.rawValue) \(atScale(b, scale)))"
        return Value(sql: sql, type: .decimal, scale: scale, scaled: true)
    }

    public func integerDivision(_ a: String, _ b: String) -> String {
        switch dialect {
        case .postgres: return "div(\(a), \(b))"
        case .duckdb: return "((\(a)) // (\(b)))"
        case .sqlite: return "((\(a)) / (\(b)))"
        }
    }

    /// A number as an integer of 10^-scale units.
    public func atScale(_ v: Value, _ scale: Int) -> String {
        let factor = FixedPoint.powersOfTen[scale - v.scale]
        return factor == 1 ? scaledInteger(v) : "(\(scaledInteger(v)) * \(factor))"
    }

    /// `scaledInteger` in a type wide enough for the products of a quotient.
    func bigInteger(_ v: Value) -> String {
        switch dialect {
        case .postgres: return "CAST(\(scaledInteger(v)) AS numeric)"
        case .duckdb: return "CAST(\(scaledInteger(v)) AS HUGEINT)"
        case .sqlite: return scaledInteger(v)
        }
    }

    /// A date `n` units later (earlier when negative); months clamp to the month's end, as seg does.
    func shiftedDate(_ d: String, by n: Int, _ unit: DateUnit) -> String {
        let days = unit == .weeks ? 7 * n : n
        let months = unit == .years ? 12 * n : n
        switch (dialect, unit) {
        case (.postgres, .days), (.postgres, .weeks), (.duckdb, .days), (.duckdb, .weeks):
            return "(\(d) + \(days))"
        case (.sqlite, .days), (.sqlite, .weeks):
            return "date(\(d), '\(days >= 0 ? "+" : "")\(days) days')"
        case (.postgres, _):
            return "CAST(\(d) + INTERVAL '\(months) months' AS date)"
        case (.duckdb, _):
            return "CAST(\(d) + INTERVAL (\(months)) MONTH AS DATE)"
        case (.sqlite, _):
            // SQLite rolls Jan 31 + 1 month over to March: take the earlier of that day and the month's last day.
            let day = "CAST(strftime('%d', \(d)) AS INTEGER)"
            func plus(_ k: Int) -> String { "'\(k >= 0 ? "+" : "")\(k) months'" }
            return "min(date(\(d), 'start of month', \(plus(months)), '+' || (\(day) - 1) || ' days'), date(\(d), 'start of month', \(plus(months + 1)), '-1 day'))"
        }
    }

    /// A numeric value as an exact integer of its smallest unit (cents for a 2-decimal column).
    public func scaledInteger(_ v: Value) -> String {
        guard v.scale > 0, !v.scaled else { return v.sql }
        let factor = FixedPoint.powersOfTen[v.scale]
        switch dialect {
        case .sqlite: return "CAST(round(\(v.sql) * \(factor)) AS INTEGER)"
        case .duckdb: return "CAST(\(v.sql) * \(factor) AS HUGEINT)"
        case .postgres: return "CAST(\(v.sql) * \(factor) AS numeric)"
        }
    }

    // MARK: - Result columns

    /// A result column's select expression: as is, or as text formatted like seg's CSV.
    func output(_ v: Value) -> String {
        if v.scaled {
            // An integer of the smallest unit: format it (all dialects read it as text then).
            return formatScaled(v.sql, scale: v.scale)
        }
        if dialect == .sqlite && v.type == .decimal {
            // printf of NULL is '0.00': a missing value must stay missing.
            return "(CASE WHEN \(v.sql) IS NULL THEN NULL ELSE printf('%.\(v.scale)f', \(v.sql)) END)"
        }
        guard options.textResults else { return v.sql }
        let x = v.sql
        switch (dialect, v.type) {
        case (_, .text), (_, .category):
            return x
        case (.postgres, .decimal):
            return "CAST(ROUND(\(x), \(v.scale)) AS text)"
        case (.postgres, .date):
            return "to_char(\(x), 'YYYY-MM-DD')"
        case (.postgres, .tags):
            return v.tagStorage == .array ? "array_to_string(\(x), ';')" : x
        case (.postgres, _):
            return "CAST(\(x) AS text)"
        case (.duckdb, .tags):
            return v.tagStorage == .array ? "array_to_string(\(x), ';')" : x
        case (.duckdb, _):
            return "CAST(\(x) AS VARCHAR)"
        case (.sqlite, .boolean):
            return "(CASE \(x) WHEN 1 THEN 'true' WHEN 0 THEN 'false' END)"
        case (.sqlite, _):
            return x
        }
    }

    /// Formats an integer count of 10^-scale units as a decimal with `scale` places.
    func formatScaled(_ e: String, scale: Int) -> String {
        guard scale > 0 else { return dialect == .postgres && options.textResults ? "CAST(\(e) AS text)" : e }
        switch dialect {
        case .postgres:
            let v = "CAST(\(e) AS numeric) / \(FixedPoint.powersOfTen[scale])"
            return options.textResults ? "CAST(ROUND(\(v), \(scale)) AS text)" : "ROUND(\(v), \(scale))"
        case .sqlite, .duckdb:
            let p = FixedPoint.powersOfTen[scale]
            let sign = "CASE WHEN \(e) < 0 THEN '-' ELSE '' END"
            if dialect == .duckdb {
                return "(\(sign) || CAST(abs(\(e)) // \(p) AS VARCHAR) || '.' || lpad(CAST(abs(\(e)) % \(p) AS VARCHAR), \(scale), '0'))"
            }
            let zeros = String(repeating: "0", count: scale)
            return "(\(sign) || (abs(\(e)) / \(p)) || '.' || substr('\(zeros)' || (abs(\(e)) % \(p)), -\(scale)))"
        }
    }

    // MARK: - Literals and identifiers

    func literal(_ k: Int64, _ v: Value) -> String {
        if v.scaled { return String(k) }  // an integer of the smallest unit, as `v` is
        switch v.type {
        case .decimal: return FixedPoint.format(k, scale: v.scale)
        case .date: return dateLiteral(Int(k))
        case .boolean:
            if dialect == .sqlite { return k != 0 ? "1" : "0" }
            return k != 0 ? "TRUE" : "FALSE"
        default: return String(k)
        }
    }

    public func date(_ day: Int) -> String { dateLiteral(day) }

    public var today: Int { options.today }

    public func collated(_ v: SQLValue) -> String { collated(v.sql, v.type) }

    func dateLiteral(_ day: Int) -> String {
        dialect == .sqlite ? "'\(CivilDate.format(day))'" : "DATE '\(CivilDate.format(day))'"
    }

    /// A user's string: a `$n` parameter, or a quoted literal.
    mutating func string(_ s: String) throws -> String {
        if options.bindParameters && dialect != .sqlite {
            if s.utf8.contains(0) { throw Self.nulError(dialect) }
            parameters.append(s)
            return "$\(parameters.count)"
        }
        return try Self.literal(s, dialect: dialect)
    }

    static func nulError(_ dialect: SQLDialect) -> SegError {
        error(.nulCharacter(database: dialect == .postgres ? "PostgreSQL" : "DuckDB"))
    }

    /// A string literal that reads back as exactly `s` in `dialect`, whatever it contains.
    public static func literal(_ s: String, dialect: SQLDialect) throws -> String {
        func quoted(_ part: Substring) -> String { "'" + part.replacingOccurrences(of: "'", with: "''") + "'" }
        switch dialect {
        case .postgres:
            if s.utf8.contains(0) { throw nulError(dialect) }
            // E'' reads the same whatever standard_conforming_strings says.
            if s.contains("\\") {
                return "E'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
            }
            return quoted(s[...])
        case .sqlite, .duckdb:
            guard s.utf8.contains(0) else { return quoted(s[...]) }
            if dialect == .duckdb { throw nulError(dialect) }
            let parts = s.split(separator: "\u{0}", omittingEmptySubsequences: false)
            return "(" + parts.map { quoted($0) }.joined(separator: " || char(0) || ") + ")"
        }
    }

    /// A quoted identifier: `"name"` with inner quotes doubled, so any field name is safe.
    public static func identifier(_ name: String) throws -> String {
        if name.utf8.contains(0) { throw error(.nulInName) }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
