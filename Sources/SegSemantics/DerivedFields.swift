import SegBase
import SegSyntax
import SegStore
// Derived fields (`let field net = assets - loans`) and classifications (`let field aum_tier =
// 私行 when assets >= 600万, …, else 大众`). A use of the name resolves its definition in place,
// against the table being queried, so a derived field is usable wherever a stored one is and
// the engine and SQL see only values and conditions (no per-row interpretation).

extension Resolver {
    /// The value of a derived field used at `range` in a query on `table`.
    mutating func derivedField(_ definition: FieldDefinition, at range: SourceRange, table: Table) throws -> ValueExpr {
        let key = definition.name.lowercased()
        if visitingFields.count >= Parser.maxDepth {
            throw error(.segmentsTooDeep(limit: Parser.maxDepth), range)
        }
        if let last = visitingFields.last, ExactText.same(last, key) {
            throw error(.fieldDefinedByItself(definition.name), range)
        }
        if let start = visitingFields.firstIndex(where: { ExactText.same($0, key) }) {
            throw error(.fieldCycle(Array(visitingFields[start...]) + [key]), range)
        }
        // Errors inside the definition point into its own text (the library, or the `let field` line).
        var inner = Resolver(catalog: catalog, today: today, source: definition.source)
        inner.visiting = visiting
        inner.visitingFields = visitingFields + [key]
        inner.tableIndex = tableIndex
        inner.fieldNames = fieldNames
        switch definition.body {
        case .expression(let operand):
            return .derived(name: definition.name, try inner.expressionOperand(operand, table: table))
        case .classification(let rules, let otherwise, _):
            var conditions: [BoundCondition] = []
            var labels: [String] = []
            for rule in rules {
                if labels.contains(where: { ExactText.same($0, rule.label.name) }) {
                    throw inner.error(.labelTwice(rule.label.name, field: definition.name), rule.label.range)
                }
                labels.append(rule.label.name)
                conditions.append(try inner.resolveCondition(rule.condition, table: table, tableIndex: tableIndex))
            }
            if let otherwise, labels.contains(where: { ExactText.same($0, otherwise.name) }) {
                throw inner.error(.labelTwice(otherwise.name, field: definition.name), otherwise.range)
            }
            return .classify(Classification(name: definition.name, rules: conditions, labels: labels,
                                            otherwise: otherwise?.name, order: Self.labelOrder(conditions)))
        }
    }

    /// Falling thresholds on one value (`>= 600万`, `>= 60万`, `> 5万`) put the first label highest;
    /// rising ones (`< 5万`, `<= 60万`) put it lowest; anything else leaves the labels unordered.
    static func labelOrder(_ rules: [BoundCondition]) -> LabelOrder {
        var thresholds: [(ComparisonOperator, Int64)] = []
        var tested: ValueExpr?
        for rule in rules {
            guard case .test(let value, .compare(let op, let bound)) = rule, op != .equal, op != .notEqual else { return .unordered }
            if let tested, tested != value { return .unordered }
            tested = value
            thresholds.append((op, bound))
        }
        guard let first = thresholds.first else { return .unordered }
        let falling = first.0 == .greater || first.0 == .greaterOrEqual
        for (a, b) in zip(thresholds, thresholds.dropFirst()) {
            let sameSide = falling ? (b.0 == .greater || b.0 == .greaterOrEqual) : (b.0 == .less || b.0 == .lessOrEqual)
            guard sameSide else { return .unordered }
            // Strictly past the last bound, or the same bound with the strict test first (`> 5`, then `>= 5`).
            let strict = a.0 == .greater || a.0 == .less
            let loose = b.0 == .greaterOrEqual || b.0 == .lessOrEqual
            let moves = falling ? b.1 < a.1 : b.1 > a.1
            guard moves || (b.1 == a.1 && strict && loose) else { return .unordered }
        }
        return falling ? .firstHighest : .firstLowest
    }

    /// `aum_tier >= 财富`: the labels on that side of 财富 in the classification's order.
    func labelTest(_ op: ComparisonOperator, _ operand: Operand, _ c: Classification, range: SourceRange) throws -> RowTest {
        let col = Column(name: c.name, data: .category(codes: [], dictionary: c.dictionary), validity: nil, count: 0)
        let text = try stringValue(operand, column: col, name: c.name, home: nil, check: true)
        let labels = c.dictionary
        guard let at = labels.firstIndex(where: { ExactText.same($0, text) }) else { return .never }
        if op == .equal || op == .notEqual { return .string(.compare(op, text)) }
        guard c.order != .unordered else {
            throw error(.labelsHaveNoOrder(field: c.name, operation: op.rawValue), range)
        }
        // Rank: higher is greater. The first label ranks highest when thresholds fall.
        func rank(_ i: Int) -> Int { c.order == .firstHighest ? labels.count - i : i }
        let chosen = labels.indices.filter { op.holds(order: rank($0) - rank(at)) }.map { labels[$0] }
        return .string(.oneOf(chosen))
    }
}

extension Catalog {
    /// Why `name` cannot name a new segment: a table, or a derived field, has it.
    public func segmentNameConflict(_ name: String) -> QueryMessage? {
        if tableIndex(named: name) != nil { return .segmentNamedLikeTable(name) }
        if field(named: name) != nil { return .segmentNamedLikeField(name) }
        return nil
    }

    /// `let field NAME = …`: adds the field after checking that the name is its own (no stored
    /// field, table or segment has it) and that the definition resolves on the first table (names,
    /// types, labels, cycles). Returns the field's value there.
    @discardableResult
    public mutating func defineField(name: Identifier, body: FieldBody, source: Source, today: Int) throws -> ValueExpr {
        func refuse(_ message: QueryMessage) -> SegError { SegError(.query, .query(message), source: source, range: name.range) }
        if let table = tables.first(where: { $0.columnIndex(named: name.name) != nil || $0.unloadedColumns.contains { ExactText.sameName($0, name.name) } }) {
            throw refuse(.fieldNamedLikeStored(name.name, table: table.name))
        }
        if tableIndex(named: name.name) != nil || segment(named: name.name) != nil { throw refuse(.fieldNamedLikeSegment(name.name)) }
        guard let table = tables.first else { throw refuse(.fieldNamedLikeSegment(name.name)) }
        let definition = FieldDefinition(name: name.name, body: body, source: source)
        var trial = self
        trial.fields[ExactText.nameKey(name.name)] = definition
        var resolver = Resolver(catalog: trial, today: today, source: source)
        let value = try resolver.derivedField(definition, at: name.range, table: table)
        self = trial
        return value
    }
}

extension Catalog {
    /// The derived fields that resolve on `table`, as empty columns of their type (a
    /// classification's holding its labels), for completion and listings. Only types and labels
    /// are read, which no date changes; definitions that do not resolve there are left out.
    public func derivedColumns(for table: Table) -> [(definition: FieldDefinition, column: Column)] {
        let day = CivilDate.parse("2000-01-01") ?? 0
        return fields.values.sorted { $0.name.lowercased() < $1.name.lowercased() }.compactMap { definition in
            var resolver = Resolver(catalog: self, today: day, source: definition.source)
            guard let value = try? resolver.derivedField(definition, at: definition.body.range, table: table) else { return nil }
            return (definition, resolver.column(value, table: table))
        }
    }
}

extension Resolver {
    /// `band(assets, 5万, 60万, 600万)`: a classification of a number by rising thresholds, with
    /// the labels `<5万`, `5万–60万`, `60万–600万`, `≥600万` (each band holds its lower bound).
    mutating func band(_ args: [Operand], range: SourceRange, table: Table) throws -> ValueExpr {
        guard args.count >= 2 else { throw error(.bandArguments, range) }
        let value = try expressionOperand(args[0], table: table)
        guard value.type.isNumeric else {
            throw error(.argumentType(function: "band", wanted: .number, field: value.displayName, type: value.type), args[0].range)
        }
        let scale = value.scale(in: table)
        var rules: [BoundCondition] = []
        var bounds: [String] = []
        var last: Int64?
        for arg in args.dropFirst() {
            guard case .number(let n) = arg.unwrapped,
                  case .compare(_, let k) = Self.numericTest(.less, mantissa: n.mantissa, scale: n.scale, columnScale: scale),
                  last.map({ k > $0 }) ?? true else {
                throw error(.bandArguments, arg.range)
            }
            last = k
            rules.append(.test(value, .compare(.less, k)))
            bounds.append(literalText(n.range))
        }
        var labels = ["<" + bounds[0]]
        for (low, high) in zip(bounds, bounds.dropFirst()) { labels.append("\(low)–\(high)") }
        let name = "band(" + ([value.displayName] + bounds).joined(separator: ", ") + ")"
        return .classify(Classification(name: name, rules: rules, labels: labels, otherwise: "≥" + (bounds.last ?? ""),
                                        order: .firstLowest))
    }
}
