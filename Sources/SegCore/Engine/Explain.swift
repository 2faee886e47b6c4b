// `explain QUERY` and `why ID in NAME`: how a condition narrows the book, step by step, and how
// one client fares against each condition of a segment. Both answer with ordinary result sets
// so they print as tables and pipe as CSV or JSON.

extension Session {
    /// `explain QUERY`: the source's size, then the rows left after each top-level `and` term in
    /// the order written (a condition that is not an `and` is one step), then `limit` if any.
    func explain(_ query: Query, source: Source) throws -> ResultSet {
        var resolver = Resolver(catalog: catalog, today: options.today, source: source)
        let bound = try resolver.resolve(query)
        let table = catalog.tables[bound.tableIndex]
        var executor = Executor(catalog: catalog, today: options.today, interrupt: options.interrupt)
        var current = try executor.sourceRows(bound.source)
        var steps: [(String, Int)] = [(source.slice(query.source.range), current?.popcount ?? table.rowCount)]
        if let condition = query.condition, let boundCondition = bound.condition {
            for (term, boundTerm) in Self.topLevelTerms(condition, boundCondition) {
                let rows = try executor.rows(boundTerm, polarity: true, table: table)
                if current == nil { current = rows } else { current?.formIntersection(rows) }
                steps.append((Self.termText(term, source), current?.popcount ?? table.rowCount))
            }
        }
        if let limit = bound.limit, let last = steps.last {
            steps.append(("limit \(limit)", min(last.1, limit)))
        }
        return ResultColumns.result([
            ResultColumns.integer("step", steps.indices.map { Int64($0) }),
            ResultColumns.text("condition", steps.map(\.0)),
            ResultColumns.integer("remaining", steps.map { Int64($0.1) }),
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
        let table = catalog.tables[bound.tableIndex]
        let idText: String
        if case .string(let s, _) = id { idText = s } else { idText = source.slice(id.range) }
        let row = try clientRow(idText, table: table, at: id.range, source: source)

        var executor = Executor(catalog: catalog, today: options.today, interrupt: options.interrupt)
        var lines: [(condition: String, value: String, passed: Bool)] = []
        let query = segment.query
        if case .name(let sourceName) = query.source, catalog.tableIndex(named: sourceName.name) != nil {
            // Reading a whole table: nothing to check.
        } else if let members = try executor.sourceRows(bound.source) {
            lines.append(("in " + segment.source.slice(query.source.range), "", members[row]))
        }
        if let condition = query.condition, let boundCondition = bound.condition {
            for (term, boundTerm) in Self.topLevelTerms(condition, boundCondition) {
                let passed = try executor.rows(boundTerm, polarity: true, table: table)[row]
                var values: [String] = []
                for expr in Self.values(in: boundTerm) {
                    let column = executor.column(expr, table: table)
                    values.append(CellText.display(column, row: row).map { "\(expr.displayName) = \($0)" }
                                  ?? "\(expr.displayName) is empty")
                }
                lines.append((Self.termText(term, segment.source), values.joined(separator: ", "), passed))
            }
        }
        let inSegment = (try executor.selectedRows(bound))?[row] ?? true
        if let limit = bound.limit {
            var clause = "limit \(limit)"
            if let keys = query.sort, !keys.isEmpty {
                clause = "sort by " + keys.map { segment.source.slice($0.range) }.joined(separator: ", ") + " " + clause
            }
            lines.append((clause, "", inSegment))
        }
        let verdict = "\(idText) is \(inSegment ? "" : "not ")in \(segment.name)"
        lines.append(("in \(segment.name)", verdict, inSegment))
        return ResultColumns.result([
            ResultColumns.text("condition", lines.map(\.condition)),
            ResultColumns.text("value", lines.map(\.value)),
            ResultColumns.text("result", lines.map { $0.passed ? "✓" : "✗" }),
        ], noun: "conditions")
    }

    /// The per-row values a condition reads, in order, each once (`in NAME` reads none).
    static func values(in condition: BoundCondition) -> [ValueExpr] {
        var out: [ValueExpr] = []
        func add(_ e: ValueExpr) { if !out.contains(e) { out.append(e) } }
        func walk(_ c: BoundCondition) {
            switch c {
            case .and(let terms), .or(let terms): terms.forEach(walk)
            case .not(let inner): walk(inner)
            case .test(let e, _), .isEmpty(let e, _): add(e)
            case .compareValues(let a, _, let b): add(a); add(b)
            case .member: break
            }
        }
        walk(condition)
        return out
    }

    /// The row of the client whose `id` is `idText`; an unknown id is an error at `range`.
    func clientRow(_ idText: String, table: Table, at range: SourceRange, source: Source) throws -> Int {
        guard let idColumn = table.column(named: "id") else {
            throw SegError(.query, "table '\(table.name)' has no 'id' column to find a client by", source: source, range: range)
        }
        if case .text(let buffer) = idColumn.data {
            let wanted = Array(idText.utf8)
            for r in 0..<idColumn.count where idColumn.isPresent(r) && buffer.bytes[buffer.range(at: r)].elementsEqual(wanted) {
                return r
            }
        } else if let r = CellText.ids(idColumn).firstIndex(of: idText), idColumn.isPresent(r) {
            return r
        }
        throw SegError(.query, "no client with id '\(idText)' in '\(table.name)'", source: source, range: range)
    }

    /// "unknown segment 'x' (did you mean 'y'?)", or that the name is a table.
    func unknownSegment(_ name: Identifier, source: Source) -> SegError {
        if catalog.tableIndex(named: name.name) != nil {
            return SegError(.query, "'\(name.name)' is a table, not a segment", source: source, range: name.range)
        }
        let names = catalog.segments.values.map(\.name).sorted()
        return SegError(.query, "unknown segment '\(name.name)'" + Suggest.hint(name.name, among: names), source: source, range: name.range)
    }
}
