import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegSemantics
import SegEngine
import SegIO
// `explain QUERY` and `why ID in NAME`: how a condition narrows the book, step by step, and how
// one client fares against each condition of a segment. Both answer with ordinary result sets
// so they print as tables and pipe as CSV or JSON.

extension Session {
    /// `explain QUERY`: the source's size, then the rows left after each top-level `and` term in
    /// the order written (a condition that is not an `and` is one step), then `limit` if any.
    func explain(_ query: Query, source: Source) throws -> ResultSet {
        var resolver = Resolver(catalog: catalog, today: options.today, source: source)
        let bound = try resolver.resolve(query)
        let terms = query.condition.flatMap { c in bound.condition.map { Self.topLevelTerms(c, $0) } } ?? []
        // A funnel of counts: the source, then each growing prefix of the terms.
        var q = bound
        q.mode = .count
        q.sort = []
        q.limit = nil
        q.condition = nil
        var counts = [try backend.count(q, in: context())]
        for k in terms.indices {
            q.condition = k == 0 ? terms[0].1 : .and(terms[0...k].map(\.1))
            counts.append(try backend.count(q, in: context()))
        }
        var steps: [(String, Int)] = [(source.slice(query.source.range), counts[0])]
        for (k, (term, _)) in terms.enumerated() {
            steps.append((Self.termText(term, source), counts[k + 1]))
        }
        if let limit = bound.limit, let last = steps.last {
            steps.append(("limit \(limit)", min(last.1, limit)))
        }
        return ResultColumns.result([
            ResultColumns.integer(word(.step), steps.indices.map { Int64($0) }),
            ResultColumns.text(word(.condition), steps.map(\.0)),
            ResultColumns.integer(word(.remaining), steps.map { Int64($0.1) }),
        ], noun: "steps")
    }

    /// The terms of a top-level `and` paired with their resolved forms (the resolver keeps `and`
    /// terms in order, one for one); any other condition is one term.
    static func topLevelTerms(_ condition: Condition, _ bound: BoundCondition) -> [(Condition, BoundCondition)] {
        if case .and(let terms, _) = condition, case .and(let boundTerms) = bound, terms.count == boundTerms.count {
            return Array(zip(terms, boundTerms))
        }
        return [(condition, bound)]
    }

    /// A term as written; an `or` inside an `and` gets back the parentheses it needed.
    static func termText(_ term: Condition, _ source: Source) -> String {
        let text = source.slice(term.range)
        if case .or = term { return "(\(text))" }
        return text
    }

    /// `why ID in NAME`: each top-level condition of segment NAME with the client's values and
    /// ✓ or ✗, then whether the client is in the segment.
    func why(id: Operand, segmentName: Identifier, source: Source) throws -> ResultSet {
        guard let segment = catalog.segment(named: segmentName.name) else {
            throw unknownSegment(segmentName, source: source)
        }
        var resolver = Resolver(catalog: catalog, today: options.today, source: source)
        let bound = try resolver.resolveSegment(segment, at: segmentName.range)
        let idText: String
        if case .string(let s, _) = id { idText = s } else { idText = source.slice(id.range) }
        let query = segment.query
        let terms = query.condition.flatMap { c in bound.condition.map { Self.topLevelTerms(c, $0) } } ?? []
        // Reading a whole table: no source line.
        var sourceIsTable = false
        if case .name(let sourceName) = query.source, catalog.tableIndex(named: sourceName.name) != nil { sourceIsTable = true }

        let facts = try whyFacts(bound, terms: terms.map(\.1), idText: idText, at: id.range, source: source)
        var lines: [(condition: String, value: String, passed: Bool)] = []
        if !sourceIsTable, let inSource = facts.inSource {
            lines.append(("in " + segment.source.slice(query.source.range), "", inSource))
        }
        for (k, (term, _)) in terms.enumerated() {
            lines.append((Self.termText(term, segment.source), facts.values[k].joined(separator: ", "), facts.passed[k]))
        }
        if let limit = bound.limit {
            var clause = "limit \(limit)"
            if let keys = query.sort, !keys.isEmpty {
                clause = "sort by " + keys.map { segment.source.slice($0.range) }.joined(separator: ", ") + " " + clause
            }
            lines.append((clause, "", facts.inSegment))
        }
        let verdict = word(.verdict(id: idText, inSegment: facts.inSegment, segment: segment.name))
        lines.append(("in \(segment.name)", verdict, facts.inSegment))
        return ResultColumns.result([
            ResultColumns.text(word(.condition), lines.map(\.condition)),
            ResultColumns.text(word(.value), lines.map(\.value)),
            ResultColumns.text(word(.result), lines.map { $0.passed ? "✓" : "✗" }),
        ], noun: "conditions")
    }

    /// What `why` reports about one client: whether it is in the segment's source (nil when the
    /// source is the whole table), each term's outcome and the values it read, and the verdict.
    struct WhyFacts {
        var inSource: Bool?
        var passed: [Bool]
        /// Per term: `field = value` or `field is empty` for each value it reads.
        var values: [[String]]
        var inSegment: Bool
    }

    static func valueLine(_ expr: ValueExpr, _ shown: String?) -> String {
        shown.map { "\(expr.displayName) = \($0)" } ?? "\(expr.displayName) is empty"
    }

    /// One list query finds the client's first row by key and reads, as columns, whether the row
    /// is in the query's source and in its result (its `limit` included), each term's outcome
    /// (unknown is false) and each value the terms read.
    func whyFacts(_ bound: BoundQuery, terms: [BoundCondition], idText: String, at range: SourceRange, source: Source) throws -> WhyFacts {
        let t = bound.tableIndex
        let table = catalog.tables[t]
        let key = try clientKey(table, source: source, range: range)
        var exprs: [ValueExpr] = []
        for term in terms { for e in term.values where !exprs.contains(e) { exprs.append(e) } }
        var columns: [ValueExpr] = []
        var sourceIsTable = false
        if case .table = bound.source { sourceIsTable = true } else { columns.append(.truth(.member(bound.source), label: "#in source")) }
        columns.append(.truth(.member(.query(bound, name: nil)), label: "#in result"))
        for (k, term) in terms.enumerated() { columns.append(.truth(term, label: "#term \(k + 1)")) }
        let firstValue = columns.count
        columns += exprs
        // `has holdings where …`: the client's key, to list the related rows that decided.
        let related = exprs.compactMap { e -> RelatedAggregate? in
            if case .related(let r) = e, r.function == .count { return r } else { return nil }
        }
        let firstKey = columns.count
        for r in related {
            let link = catalog.links[r.link]
            guard let k = table.columnIndex(named: link.parentKey) else { continue }
            columns.append(.field(index: k, name: table.columns[k].name, type: table.columns[k].type))
        }
        let q = BoundQuery(tableIndex: t, source: .table(t), condition: .keyIn(key, [idText]),
                           mode: .list(columns: columns), sort: [], limit: 1)
        guard let row = try backend.rows(q, in: context()).first else {
            throw SegError(.query, .query(.noClient(id: idText, table: table.name)), source: source, range: range)
        }
        var shown: [ValueExpr: String?] = [:]
        for (k, e) in exprs.enumerated() {
            let value = CellText.display(text: row[firstValue + k], type: e.type)
            shown[e] = Masking.rule(e, options.masks).map { rule in value.map(rule.apply) } ?? value
        }
        var lines: [ValueExpr: String] = [:]
        for (j, r) in related.enumerated() where firstKey + j < row.count {
            let count = Int(shown[.related(r)].flatMap { $0 }?.filter(\.isNumber) ?? "") ?? 0
            lines[.related(r)] = word(.relatedMatches(count: count, table: catalog.tables[catalog.links[r.link].child].name,
                                                      rows: try relatedRowsText(r, key: row[firstKey + j])))
        }
        let offset = sourceIsTable ? 0 : 1
        return WhyFacts(inSource: sourceIsTable ? nil : row[0] == "true",
                        passed: terms.indices.map { row[offset + 1 + $0] == "true" },
                        values: terms.map { $0.values.map { lines[$0] ?? Self.valueLine($0, shown[$0] ?? nil) } },
                        inSegment: row[offset] == "true")
    }

    /// The related rows of one client that a `has` / `no` condition counts, up to five, each as
    /// its values in parentheses: the table's first field that is not the link, then the fields
    /// the condition reads (`(稳享理财90天, wealth, 2026-11-13)`).
    func relatedRowsText(_ r: RelatedAggregate, key: String?) throws -> String {
        guard let key else { return "" }
        let link = catalog.links[r.link]
        let child = catalog.tables[link.child]
        guard let ci = child.columnIndex(named: link.childField) else { return "" }
        let keyField = ValueExpr.field(index: ci, name: child.columns[ci].name, type: child.columns[ci].type)
        var columns: [ValueExpr] = []
        if let first = child.columns.indices.first(where: { $0 != ci }) {
            columns.append(.field(index: first, name: child.columns[first].name, type: child.columns[first].type))
        }
        for v in r.condition?.values ?? [] where !columns.contains(v) { columns.append(v) }
        let shownLimit = 5
        let q = BoundQuery(tableIndex: link.child, source: .table(link.child),
                           condition: .and([.keyIn(keyField, [key])] + (r.condition.map { [$0] } ?? [])),
                           mode: .list(columns: columns), sort: [], limit: shownLimit + 1)
        let rows = try backend.rows(q, in: context())
        var out = rows.prefix(shownLimit).map { row in
            "(" + zip(columns, row).map { column, cell in
                let value = CellText.display(text: cell, type: column.type)
                return (Masking.rule(column, options.masks).map { rule in value.map(rule.apply) } ?? value) ?? ""
            }.joined(separator: ", ") + ")"
        }
        if rows.count > shownLimit { out.append("…") }
        return out.joined(separator: " ")
    }

    /// The names a client key goes by, in the order they are looked for.
    public static let clientKeyNames = ["id", "客户号", "客户编号", "client_id", "cust_id"]

    /// The column that identifies clients in `table`: `--key`, else the first of `clientKeyNames`
    /// it has; `forSnapshots` words the error for them.
    func clientKey(_ table: Table, forSnapshots: Bool = false, source: Source, range: SourceRange) throws -> ValueExpr {
        if let key = options.key {
            guard let i = table.columnIndex(named: key) else {
                throw SegError(.query, .query(.unknownKeyColumn(key, table: table.name,
                                                                suggestion: Suggest.closest(to: key, among: table.columns.map(\.name)))),
                               source: source, range: range)
            }
            return .field(index: i, name: table.columns[i].name, type: table.columns[i].type)
        }
        guard let i = Self.clientKeyNames.lazy.compactMap({ table.columnIndex(named: $0) }).first else {
            throw SegError(.query, .query(.noIDColumn(table: table.name, snapshots: forSnapshots, names: Self.clientKeyNames)),
                           source: source, range: range)
        }
        return .field(index: i, name: table.columns[i].name, type: table.columns[i].type)
    }

    /// "unknown segment 'x' (did you mean 'y'?)", or that the name is a table.
    func unknownSegment(_ name: Identifier, source: Source) -> SegError {
        if catalog.tableIndex(named: name.name) != nil {
            return SegError(.query, .query(.tableNotSegment(name.name)), source: source, range: name.range)
        }
        let names = catalog.segments.values.map(\.name).sorted()
        return SegError(.query, .query(.unknownSegment(name.name, suggestion: Suggest.closest(to: name.name, among: names))),
                        source: source, range: name.range)
    }
}
