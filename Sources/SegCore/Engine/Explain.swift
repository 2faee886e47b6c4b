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
        let counts: [Int]
        if let runner {
            // A funnel of count(*) statements: the source, then each growing prefix of the terms.
            var q = bound
            q.mode = .count
            q.sort = []
            q.limit = nil
            q.condition = nil
            var out = [try runner.count(q, catalog: catalog, options: options)]
            for k in terms.indices {
                q.condition = k == 0 ? terms[0].1 : .and(terms[0...k].map(\.1))
                out.append(try runner.count(q, catalog: catalog, options: options))
            }
            counts = out
        } else {
            let table = catalog.tables[bound.tableIndex]
            var executor = Executor(catalog: catalog, today: options.today, interrupt: options.interrupt)
            var current = try executor.sourceRows(bound.source)
            var out = [current?.popcount ?? table.rowCount]
            for (_, boundTerm) in terms {
                let rows = try executor.rows(boundTerm, polarity: true, table: table)
                if current == nil { current = rows } else { current?.formIntersection(rows) }
                out.append(current?.popcount ?? table.rowCount)
            }
            counts = out
        }
        var steps: [(String, Int)] = [(source.slice(query.source.range), counts[0])]
        for (k, (term, _)) in terms.enumerated() {
            steps.append((Self.termText(term, source), counts[k + 1]))
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
        let idText: String
        if case .string(let s, _) = id { idText = s } else { idText = source.slice(id.range) }
        let query = segment.query
        let terms = query.condition.flatMap { c in bound.condition.map { Self.topLevelTerms(c, $0) } } ?? []
        // Reading a whole table: no source line.
        var sourceIsTable = false
        if case .name(let sourceName) = query.source, catalog.tableIndex(named: sourceName.name) != nil { sourceIsTable = true }

        let facts = try runner == nil
            ? whyInMemory(bound, terms: terms.map(\.1), idText: idText, at: id.range, source: source)
            : whyInDatabase(bound, terms: terms.map(\.1), idText: idText, at: id.range, source: source)
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
        let verdict = "\(idText) is \(facts.inSegment ? "" : "not ")in \(segment.name)"
        lines.append(("in \(segment.name)", verdict, facts.inSegment))
        return ResultColumns.result([
            ResultColumns.text("condition", lines.map(\.condition)),
            ResultColumns.text("value", lines.map(\.value)),
            ResultColumns.text("result", lines.map { $0.passed ? "✓" : "✗" }),
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

    func whyInMemory(_ bound: BoundQuery, terms: [BoundCondition], idText: String, at range: SourceRange, source: Source) throws -> WhyFacts {
        let table = catalog.tables[bound.tableIndex]
        let row = try clientRow(idText, table: table, at: range, source: source)
        var executor = Executor(catalog: catalog, today: options.today, interrupt: options.interrupt)
        let inSource = try executor.sourceRows(bound.source).map { $0[row] }
        var passed: [Bool] = [], values: [[String]] = []
        for term in terms {
            passed.append(try executor.rows(term, polarity: true, table: table)[row])
            values.append(Self.values(in: term).map { Self.valueLine($0, CellText.display(executor.column($0, table: table), row: row)) })
        }
        let inSegment = (try executor.selectedRows(bound))?[row] ?? true
        return WhyFacts(inSource: inSource, passed: passed, values: values, inSegment: inSegment)
    }

    /// One statement computes every outcome for the client's row in the database.
    func whyInDatabase(_ bound: BoundQuery, terms: [BoundCondition], idText: String, at range: SourceRange, source: Source) throws -> WhyFacts {
        guard let runner else { throw SegError(.internal, "why: no database") }
        let table = catalog.tables[bound.tableIndex]
        guard table.column(named: "id") != nil else {
            throw SegError(.query, "table '\(table.name)' has no 'id' column to find a client by", source: source, range: range)
        }
        var exprs: [ValueExpr] = []
        for term in terms { for e in Self.values(in: term) where !exprs.contains(e) { exprs.append(e) } }
        var generator = SQLGenerator(catalog: catalog, options: runner.sqlOptions(today: options.today))
        let statement: SQLStatement
        do {
            statement = try generator.generateWhy(bound, terms: terms, values: exprs, id: idText)
        } catch var error as SegError {
            if error.source == nil { error.source = source; error.range = range }
            throw error
        }
        guard let row = try runner.fetch(statement, options: options).first, row.count == 2 + terms.count + exprs.count else {
            throw SegError(.query, "no client with id '\(idText)' in '\(table.name)'", source: source, range: range)
        }
        let shown = Dictionary(uniqueKeysWithValues: exprs.enumerated().map { k, e in
            (e, CellText.display(text: row[2 + terms.count + k], type: e.type))
        })
        var sourceTruth: Bool?
        if case .table = bound.source {} else { sourceTruth = row[0] == "true" }
        return WhyFacts(inSource: sourceTruth,
                        passed: terms.indices.map { row[2 + $0] == "true" },
                        values: terms.map { Self.values(in: $0).map { Self.valueLine($0, shown[$0] ?? nil) } },
                        inSegment: row[1] == "true")
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
        } else if let r = ExactText.index(of: idText, in: CellText.ids(idColumn)), idColumn.isPresent(r) {
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
