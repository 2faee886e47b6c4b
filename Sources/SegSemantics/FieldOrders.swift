import SegBase
import SegSyntax
import SegStore
// Ordered categories for stored fields (`--order risk=averse,…,aggressive`, `let order risk = …`).
// A use of an ordered field reads as a classification with one rule per value, in the order
// given (lowest first): the same mechanism that orders a classification's labels then serves
// `by`, `sort`, `<`, `>`, `between` in memory and in SQL, with no second ordering to keep in step.

/// The order of a stored category field's values, lowest first, kept with the text it was written in.
public struct FieldOrder: Sendable {
    public var field: Identifier
    public var labels: [Identifier]
    public var source: Source
    public var range: SourceRange

    public init(field: Identifier, labels: [Identifier], source: Source, range: SourceRange) {
        self.field = field
        self.labels = labels
        self.source = source
        self.range = range
    }

    /// `--order FIELD=LOW,…,HIGH`, with errors pointing into the argument.
    public init(argument: String) throws {
        let source = Source(name: "--order", text: argument)
        let (statement, errors) = Parser.parseOrder(source)
        if !errors.isEmpty { throw SegErrors(errors) }
        guard case .defineOrder(let field, let labels, let range)? = statement else { throw SegErrors(errors) }
        self.init(field: field, labels: labels, source: source, range: range)
    }

    /// The values as written (`averse, conservative, …`), for the library.
    public var text: String {
        guard let first = labels.first, let last = labels.last else { return "" }
        return source.slice(SourceRange(first.range.start, last.range.end))
    }
}

extension Classification {
    /// The stored field this classification only reads through an order (`v1 when f = v1, …`,
    /// every value of `f` listed), so SQL can group and compare the field itself and rank it for sorts.
    public var orderedField: ValueExpr? {
        guard otherwise == nil, order == .firstLowest, case .test(let field, _)? = rules.first, case .field = field else { return nil }
        for (rule, label) in zip(rules, labels) {
            guard case .test(field, .string(.compare(.equal, let value))) = rule, value == label else { return nil }
        }
        return field
    }
}

extension Catalog {
    public func order(of field: String) -> FieldOrder? { orders[ExactText.nameKey(field)] }

    /// `let order FIELD = …` / `--order FIELD=…`: checks the field (stored, a category) and the
    /// values (each a value of the field, none twice, none of the field's left out) on every table
    /// that has it loaded, then keeps the order.
    public mutating func defineOrder(_ order: FieldOrder, today: Int) throws {
        let resolver = Resolver(catalog: self, today: today, source: order.source)
        let holders = tables.filter { $0.columnIndex(named: order.field.name) != nil || $0.unloadedColumns.contains { ExactText.sameName($0, order.field.name) } }
        guard !holders.isEmpty else {
            let names = tables.flatMap { $0.columns.map(\.name) + $0.unloadedColumns }
            throw resolver.error(.unknownField(order.field.name, suggestion: Suggest.closest(to: order.field.name, among: names)), order.field.range)
        }
        for table in holders {
            if let i = table.columnIndex(named: order.field.name) { _ = try resolver.orderedField(order, index: i, table: table) }
        }
        orders[ExactText.nameKey(order.field.name)] = order
    }
}

extension Resolver {
    /// The stored field at `index` read through its order: a classification `v1 when f = v1, …`
    /// whose labels rank lowest first. Checked on each use, since the data may have changed since
    /// the order was written; errors point into the order's own text.
    func orderedField(_ order: FieldOrder, index i: Int, table: Table) throws -> ValueExpr {
        let inner = Resolver(catalog: catalog, today: today, source: order.source)
        let column = table.columns[i]
        guard case .category(_, var dictionary) = column.data else {
            throw inner.error(.orderOnNonCategory(field: column.name, type: column.type), order.field.range)
        }
        // An order must list every value the data holds, not only a sample's.
        if let sampled = catalog.sampled, sampled.isSampled(table: table.name, column: column.name),
           let all = try sampled.allValues(table: table.name, column: column.name) {
            dictionary = all
        }
        var labels: [String] = []
        for label in order.labels {
            if labels.contains(where: { ExactText.same($0, label.name) }) {
                throw inner.error(.orderValueTwice(label.name, field: column.name), label.range)
            }
            guard let value = dictionary.first(where: { ExactText.same($0, label.name) }) else {
                throw inner.error(.unknownValue(label.name, field: column.name, suggestion: Suggest.closest(to: label.name, among: dictionary),
                                                lookalike: ExactText.lookalike(of: label.name, among: dictionary),
                                                in: StoredColumn(table: table.name, column: column.name)), label.range)
            }
            labels.append(value)
        }
        let left = dictionary.filter { value in !labels.contains { ExactText.same($0, value) } }
        if !left.isEmpty {
            throw inner.error(.orderLeavesOut(field: column.name, values: left), order.range)
        }
        let field = ValueExpr.field(index: i, name: column.name, type: column.type)
        let rules = labels.map { BoundCondition.test(field, .string(.compare(.equal, $0))) }
        return .classify(Classification(name: column.name, rules: rules, labels: labels, otherwise: nil, order: .firstLowest))
    }

    /// `product_risk > risk_level`: two ordered categories compared by rank (the k-th value of one
    /// against the k-th of the other), which needs the same number of levels. As a disjunction of
    /// label tests (`a = v and b in (…lower)`), so memory and SQL run it with the tests they have.
    func rankComparison(_ a: ValueExpr, _ ca: Classification, _ op: ComparisonOperator,
                        _ b: ValueExpr, _ cb: Classification, range: SourceRange) throws -> BoundCondition {
        let (la, lb) = (ca.dictionary, cb.dictionary)
        guard ca.order != .unordered, cb.order != .unordered else {
            let unordered = ca.order == .unordered ? ca.name : cb.name
            throw error(.labelsHaveNoOrder(field: unordered, operation: op.rawValue), range)
        }
        guard la.count == lb.count else {
            throw error(.orderedFieldsDiffer(ca.name, levels: la.count, cb.name, otherLevels: lb.count), range)
        }
        func rank(_ i: Int, _ c: Classification) -> Int { c.order == .firstHighest ? c.dictionary.count - i : i }
        let terms = la.indices.map { i in
            let matching = lb.indices.filter { op.holds(order: rank(i, ca) - rank($0, cb)) }.map { lb[$0] }
            return BoundCondition.and([.test(a, .string(.compare(.equal, la[i]))), .test(b, .string(.oneOf(matching)))])
        }
        return .or(terms)
    }
}
