import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
// Name resolution and type checking: turns a parsed `Query` into a `BoundQuery`, deciding for each
// bare word whether it is a field or a value, converting literals exactly to the type they meet,
// and rejecting unknown names and values with "did you mean" (SQL engines silently return zero
// rows for `risk='avrese'`; seg does not).

/// The named things a statement can refer to.
public struct Catalog: Sendable {
    public var tables: [Table]
    /// Keyed by `ExactText.nameKey` of the name.
    public var segments: [String: SegmentDefinition]
    /// Values of `$name` parameters, keyed by `ExactText.nameKey` (declared with `param` or given with `--param`).
    public var parameters: [String: ParameterValue]
    /// Derived fields (`let field`), keyed by `ExactText.nameKey` of the name.
    public var fields: [String: FieldDefinition] = [:]
    /// Orders of stored category fields (`--order`, `let order`), keyed by `ExactText.nameKey` of the field.
    public var orders: [String: FieldOrder] = [:]
    /// Set when the tables' dictionaries are samples of a database's values (see `SampledValues`).
    public var sampled: (any SampledValues)? = nil
    /// Links between tables (`Links.build`): child field → parent key, with the row index.
    public var links: [TableLink] = []

    /// The links whose child is table `t`.
    public func links(from t: Int) -> [TableLink] { links.filter { $0.child == t } }

    /// The link from table `child` that `name` names: its link name (`client`) or its parent
    /// table's name (`clients`).
    public func link(from child: Int, named name: String) -> Int? {
        if let i = links.firstIndex(where: { $0.child == child && ExactText.sameName($0.name, name) }) { return i }
        let byTable = links.indices.filter { links[$0].child == child && ExactText.sameName(tables[links[$0].parent].name, name) }
        return byTable.count == 1 ? byTable[0] : nil
    }

    /// The link from table `child` to table `parent` (the one, or nil when none or several).
    public func link(from child: Int, to parent: Int) -> Int? {
        let found = links.indices.filter { links[$0].child == child && links[$0].parent == parent }
        return found.count == 1 ? found[0] : nil
    }

    public init(tables: [Table] = [], segments: [String: SegmentDefinition] = [:], parameters: [String: ParameterValue] = [:]) {
        self.tables = tables
        self.segments = segments
        self.parameters = parameters
    }

    public func field(named name: String) -> FieldDefinition? { fields[ExactText.nameKey(name)] }

    public func tableIndex(named name: String) -> Int? {
        tables.firstIndex { ExactText.sameName($0.name, name) }
    }

    /// Segments are keyed by `ExactText.nameKey`: case-insensitive, then byte for byte.
    public func segment(named name: String) -> SegmentDefinition? { segments[ExactText.nameKey(name)] }

    /// Every table and segment name, for suggestions and completion.
    public var sourceNames: [String] { tables.map(\.name) + segments.values.map(\.name).sorted() }
}

/// A segment defined with `let`: its query, kept with the text it was written in (for messages).
public struct SegmentDefinition: Sendable {
    public var name: String
    public var query: Query
    public var source: Source

    public init(name: String, query: Query, source: Source) {
        self.name = name
        self.query = query
        self.source = source
    }

    /// The definition as written (`clients where assets > 5m`).
    public var text: String { source.slice(query.range) }
}

/// A field defined with `let field`: what it computes, kept with the text it was written in.
public struct FieldDefinition: Sendable {
    public var name: String
    public var body: FieldBody
    public var source: Source

    public init(name: String, body: FieldBody, source: Source) {
        self.name = name
        self.body = body
        self.source = source
    }

    /// The definition as written (`assets - loans`).
    public var text: String { source.slice(body.range) }
}

public struct Resolver {
    let catalog: Catalog
    let today: Int
    var source: Source
    /// Segments being resolved, outermost first, to name a cycle.
    var visiting: [String] = []
    /// Derived fields being resolved, outermost first (lowercased), to name a cycle.
    var visitingFields: [String] = []
    /// The table the query being resolved reads (for `in SEGMENT` inside a classification's rules).
    var tableIndex = 0
    /// Values the query mentions, in order, for the default columns of a list.
    var mentioned: [ValueExpr] = []
    /// Fields of the table being queried, for "did you mean".
    var fieldNames: [String] = []
    /// The text of each literal put in place of a `$parameter`, by the parameter's range (a number
    /// compared with a text field is compared as written).
    var parameterTexts: [SourceRange: String] = [:]
    /// Inside a related condition (`has holdings where …`): the table outside it, whose fields a
    /// bare name does not reach.
    var insideRelated: Int? = nil
    /// While a `having` condition resolves over the columns of the groups: each column's stored
    /// column (a `by` key's), nil for an aggregate (see `storedColumn`).
    var groupColumns: [StoredColumn?]? = nil

    public init(catalog: Catalog, today: Int, source: Source) {
        self.catalog = catalog
        self.today = today
        self.source = source
    }

    func error(_ message: QueryMessage, _ range: SourceRange) -> SegError {
        SegError(.query, .query(message), source: source, range: range)
    }

    // MARK: - Queries and sources

    public mutating func resolve(_ query: Query) throws -> BoundQuery {
        try resolveQuery(try substituteParameters(query))
    }

    /// Resolves a query whose parameters have been replaced by their values.
    mutating func resolveQuery(_ query: Query) throws -> BoundQuery {
        // A statement's own histogram is counted by the session (which resolves the query without
        // it); one that reaches here ends a segment or a nested query, whose rows it would drop.
        if let histogram = query.histogram { throw error(.histogramNotRows, histogram.range) }
        let (tableIndex, boundSource, inherited) = try resolveSource(query.source)
        let table = catalog.tables[tableIndex]
        let savedMentioned = mentioned
        let savedFields = fieldNames
        let savedTable = self.tableIndex
        mentioned = []
        fieldNames = table.columns.map(\.name) + table.unloadedColumns
        self.tableIndex = tableIndex
        defer {
            mentioned = savedMentioned
            fieldNames = savedFields
            self.tableIndex = savedTable
        }

        let condition = try query.condition.map { try resolveCondition($0, table: table, tableIndex: tableIndex) }

        var keys: [ValueExpr]? = nil
        if let groupKeys = query.groupKeys {
            keys = try groupKeys.map { try valueExpr($0, table: table, role: .byKey) }
        }
        var showItems: [ShowItem]? = query.show
        if query.showsAllFields && (keys != nil || query.count != nil) {
            throw error(.showAllWithGroups, query.range)
        }
        var sortKeys: [SortKey]? = query.sort
        // `top` alone shows the segment as it was defined: its columns and its order.
        var showsAllFields = query.showsAllFields
        if let inherited, keys == nil, query.count == nil {
            if showItems == nil && !showsAllFields && inherited.query.showsAllFields { showsAllFields = true }
            if showItems == nil, !showsAllFields, let s = inherited.query.show { showItems = s; source = inherited.source }
            if sortKeys == nil, inherited.query.sort != nil { sortKeys = inherited.query.sort; source = inherited.source }
        }
        var mode: BoundQuery.Mode
        var sort: [BoundSortKey] = []
        var havingCondition: BoundHaving?
        let hasAggregates = showItems?.contains { isAggregateCall($0.operand) } ?? false
        var headings: [String?] = []
        // `show assets - loans as net sort by net`: a sort key may name a shown column by its heading.
        var named: [String: Operand] = [:]
        for item in showItems ?? [] { if let alias = item.alias { named[ExactText.nameKey(alias.name)] = item.operand } }
        func sortOperand(_ key: SortKey) -> Operand {
            if case .name(let id) = key.operand, table.columnIndex(named: id.name) == nil, let shown = named[ExactText.nameKey(id.name)] {
                return shown
            }
            return key.operand
        }
        if keys != nil || hasAggregates {
            if let countRange = query.count, showItems != nil {
                throw error(.countWithGroups, countRange)
            }
            let groupKeys = keys ?? []
            var show: [GroupItem] = []
            var aggregates: [AggregateExpr] = []
            func aggregateItem(_ agg: AggregateExpr) -> GroupItem {
                if !aggregates.contains(agg) { aggregates.append(agg) }
                return .aggregate(agg)
            }
            if let showItems {
                for item in showItems {
                    show.append(try groupItem(item.operand, keys: groupKeys, table: table, add: aggregateItem))
                }
                // Keys not shown explicitly lead the output, so every group is identifiable.
                let shownKeys = Set(show.compactMap { if case .key(let k) = $0 { return k } else { return nil } })
                let missingKeys = (0..<groupKeys.count).filter { !shownKeys.contains($0) }.map { GroupItem.key($0) }
                show = missingKeys + show
                headings = missingKeys.map { _ in nil }
                    + showItems.map { $0.alias?.name ?? (relatedCallRows($0.operand) != nil ? source.slice($0.operand.range) : nil) }
            } else {
                show = (0..<groupKeys.count).map { GroupItem.key($0) } + [aggregateItem(AggregateExpr(function: "count", argument: nil))]
            }
            for key in sortKeys ?? [] {
                let item = try groupItem(sortOperand(key), keys: groupKeys, table: table, add: aggregateItem)
                sort.append(BoundSortKey(target: .groupItem(item), descending: key.descending))
            }
            if let condition = query.having {
                havingCondition = try having(condition, keys: groupKeys, table: table, add: aggregateItem)
            }
            mode = .groups(keys: groupKeys, show: show, aggregates: aggregates)
        } else if query.count != nil {
            mode = .count
            for key in sortKeys ?? [] {
                let expr = try valueExpr(key.operand, table: table, role: .sortKey)
                try checkOrderable(expr, table: table, use: .sorted, range: key.operand.range)
                sort.append(BoundSortKey(target: .value(expr), descending: key.descending))
            }
        } else {
            for key in sortKeys ?? [] {
                let expr = try valueExpr(sortOperand(key), table: table, role: .sortKey)
                try checkOrderable(expr, table: table, use: .sorted, range: key.operand.range)
                note(expr)
                sort.append(BoundSortKey(target: .value(expr), descending: key.descending))
            }
            var columns: [ValueExpr]
            if showsAllFields {
                columns = table.columns.enumerated().map { .field(index: $0.offset, name: $0.element.name, type: $0.element.type) }
            } else if let showItems {
                columns = try showItems.map { try valueExpr($0.operand, table: table, role: .shownColumn) }
                headings = showItems.map { $0.alias?.name }
            } else {
                columns = []
                for name in ["id", "name"] {
                    if let i = table.columnIndex(named: name) {
                        columns.append(.field(index: i, name: table.columns[i].name, type: table.columns[i].type))
                    }
                }
                if columns.isEmpty, let first = table.columns.first {
                    columns.append(.field(index: 0, name: first.name, type: first.type))
                }
                for expr in mentioned where !columns.contains(expr) { columns.append(expr) }
            }
            mode = .list(columns: columns)
        }
        var bound = BoundQuery(tableIndex: tableIndex, source: boundSource, condition: condition, mode: mode,
                               sort: sort, limit: query.limit?.value)
        bound.headings = headings
        bound.having = havingCondition
        if havingCondition == nil, let c = query.having { throw error(.havingWithoutGroups, c.range) }
        if let per = query.limit?.per, let limitRange = query.limit?.range {
            if case .groups = mode { throw error(.limitPerOnGroups, limitRange) }
            bound.limitPer = try per.map { try valueExpr($0, table: table, role: .byKey) }
            // A default list shows what it is limited per.
            if case .list(var columns) = bound.mode, query.show == nil, !showsAllFields, inherited == nil {
                for e in bound.limitPer where !columns.contains(e) { columns.append(e) }
                bound.mode = .list(columns: columns)
            }
        }
        return bound
    }

    mutating func note(_ expr: ValueExpr) {
        if !mentioned.contains(expr) { mentioned.append(expr) }
    }

    /// Resolves what a query reads. Returns the table, the bound source, and the segment whose
    /// presentation (show, sort) a bare reference inherits.
    mutating func resolveSource(_ expr: SourceExpr) throws -> (Int, BoundSource, SegmentDefinition?) {
        switch expr {
        case .name(let id):
            if let t = catalog.tableIndex(named: id.name) { return (t, .table(t), nil) }
            if let segment = catalog.segment(named: id.name) {
                let query = try resolveSegment(segment, at: id.range)
                return (query.tableIndex, .query(query, name: segment.name), segment)
            }
            throw error(.unknownSource(id.name, suggestion: Suggest.closest(to: id.name, among: catalog.sourceNames)), id.range)
        case .parenthesized(let query, _):
            let bound = try resolveQuery(query)
            try requireRows(bound, what: .parenthesized, range: query.range)
            return (bound.tableIndex, .query(bound, name: nil), nil)
        case .setOperation(let first, let rest, _):
            let (table, firstSource, _) = try resolveSource(first)
            var parts: [(SetOperator, BoundSource)] = []
            for (op, term) in rest {
                let (t, bound, _) = try resolveSource(term)
                guard t == table else {
                    throw error(.setOfOtherTable(operation: op.rawValue, table: catalog.tables[t].name, other: catalog.tables[table].name), term.range)
                }
                parts.append((op, bound))
            }
            return (table, .setOperation(firstSource, parts), nil)
        case .invalid(let range):
            throw error(.invalidSource, range)
        }
    }

    public mutating func resolveSegment(_ segment: SegmentDefinition, at range: SourceRange) throws -> BoundQuery {
        // Each level recurses through resolution and execution: bound it as the parser bounds nesting.
        if visiting.count >= Parser.maxDepth {
            throw error(.segmentsTooDeep(limit: Parser.maxDepth), range)
        }
        if let last = visiting.last, ExactText.same(last, segment.name.lowercased()) {
            throw error(.segmentDefinedByItself(segment.name), range)
        }
        if let start = visiting.firstIndex(where: { ExactText.same($0, segment.name.lowercased()) }) {
            throw error(.segmentCycle(Array(visiting[start...]) + [segment.name.lowercased()]), range)
        }
        var inner = Resolver(catalog: catalog, today: today, source: segment.source)
        inner.visiting = visiting + [segment.name.lowercased()]
        let bound = try inner.resolve(segment.query)
        try requireRows(bound, what: .segment(segment.name), range: range)
        return bound
    }

    func requireRows(_ query: BoundQuery, what: RowSetSource, range: SourceRange) throws {
        switch query.mode {
        case .list: return
        case .count: throw error(.countNotRows(what), range)
        case .groups: throw error(.groupsNotRows(what), range)
        }
    }

    // MARK: - Conditions

    mutating func resolveCondition(_ condition: Condition, table: Table, tableIndex: Int) throws -> BoundCondition {
        switch condition {
        case .and(let terms, _):
            return .and(try terms.map { try resolveCondition($0, table: table, tableIndex: tableIndex) })
        case .or(let terms, _):
            return .or(try terms.map { try resolveCondition($0, table: table, tableIndex: tableIndex) })
        case .not(let inner, _):
            return .not(try resolveCondition(inner, table: table, tableIndex: tableIndex))
        case .membership(let id, let range):
            let (t, bound, _) = try resolveSource(.name(id))
            guard t == tableIndex else {
                throw error(.segmentOfOtherTable(segment: id.name, table: catalog.tables[t].name, other: table.name), range)
            }
            return .member(bound)
        case .related(let any, let rows, let range):
            return try relatedCondition(any: any, rows, range: range)
        case .predicate(let p):
            return try resolvePredicate(p, table: table)
        case .invalid(let range):
            throw error(.invalidCondition, range)
        }
    }

    /// A field, a function or arithmetic of values, or nil when the operand is a literal or a bare value.
    /// `other`, stored in `home`: the column the operand is compared with, whose values a bare word may be.
    mutating func fieldExpr(_ operand: Operand, table: Table, valuesOf other: Column? = nil,
                            storedIn home: StoredColumn? = nil) throws -> ValueExpr? {
        switch operand {
        case .parenthesized(let inner, _):
            return try fieldExpr(inner, table: table, valuesOf: other, storedIn: home)
        case .arithmetic(let op, let a, let b, let range):
            return try arithmetic(op, a, b, range: range, table: table)
        case .negate(let inner, let range):
            let value = try expressionOperand(inner, table: table)
            guard value.type.isNumeric else {
                throw error(.arithmeticOnType(operation: "-", field: value.displayName, type: value.type), range)
            }
            if case .constant(let m, let scale, let text) = value, m != .min { return .constant(-m, scale: scale, text: "-" + text) }
            return .negate(value)
        case .name(let id):
            if let other, Self.isValue(id.name, of: other) { return nil }
            // A word that names a field but may be a value the sample lacks (`risk = growth` with a
            // field `growth`): the data decides, as a full dictionary would have.
            if let other, let home, let sampled = catalog.sampled, other.type == .category || other.type == .tags,
               table.columnIndex(named: id.name) != nil || catalog.field(named: id.name) != nil,
               sampled.isSampled(table: home.table, column: home.column),
               try sampled.holds(table: home.table, column: home.column, value: id.name) {
                return nil
            }
            guard let i = table.columnIndex(named: id.name) else {
                guard let definition = catalog.field(named: id.name) else { return try parentField(id) }
                return try derivedField(definition, at: id.range, table: table)
            }
            if let order = catalog.order(of: id.name) { return try orderedField(order, index: i, table: table) }
            return .field(index: i, name: table.columns[i].name, type: table.columns[i].type)
        case .qualified(let t, let f, let range):
            return try qualifiedField(t, f, range: range)
        case .related(let rows):
            throw error(.relatedOutsideAggregate(rows.table.name), rows.range)
        case .call(let name, let args, let range):
            if let related = try relatedCall(operand) { return related }
            let lower = name.name.lowercased()
            if Functions.needsGroups(lower) {
                throw error(.aggregateInCondition(lower), range)
            }
            if lower == "band" { return try band(args, range: range, table: table) }
            return try functionCall(name, args, range: range, table: table)
        default:
            return nil
        }
    }

    static func isValue(_ word: String, of column: Column) -> Bool {
        switch column.data {
        case .category(_, let dictionary): return dictionary.contains { ExactText.same($0, word) }
        case .tags(let t): return t.vocabulary.contains { ExactText.same($0, word) }
        case .boolean: return ["true", "false"].contains(word.lowercased())
        default: return false
        }
    }

    /// A call of a registry function, its arguments checked against the entry.
    mutating func functionCall(_ name: Identifier, _ args: [Operand], range: SourceRange, table: Table) throws -> ValueExpr {
        let lower = name.name.lowercased()
        guard let function = Functions.scalar(named: lower) else {
            // `资产余额(元)` typed bare reads as a call: point at the field whose name it begins.
            let field = (table.columns.map(\.name) + table.unloadedColumns).first { $0.hasPrefix(name.name + "(") || $0.hasPrefix(name.name + "（") }
            let suggestion = field.map { Lexer.spelling(of: $0) } ?? Suggest.closest(to: lower, among: Functions.names)
            throw error(.unknownFunction(name.name, suggestion: suggestion), name.range)
        }
        guard args.count == function.arguments.count else {
            throw error(.functionArity(function: lower, arguments: function.arguments, found: args.count), range)
        }
        var bound: [ValueExpr] = []
        var facts: [ArgumentFacts] = []
        for (arg, kind) in zip(args, function.arguments) {
            let value: ValueExpr
            if kind == .wholeNumber {
                // A count of places or the like: a whole number written out.
                guard case .number(let n) = arg.unwrapped, n.scale == 0 else {
                    throw error(.wholeNumberArgument(function: lower), arg.range)
                }
                value = .constant(n.mantissa, scale: 0, text: literalText(n.range))
            } else if let field = try fieldExpr(arg, table: table) {
                value = field
            } else if case .name = arg.unwrapped {
                throw unknownField(arg, table: table, expected: .argument(kind))
            } else {
                value = try expressionOperand(arg, table: table)
            }
            guard kind.accepts(value.type) else {
                throw error(.argumentType(function: lower, wanted: kind, field: value.displayName, type: value.type), arg.range)
            }
            var whole: Int64?
            if case .constant(let m, 0, _) = value { whole = m }
            facts.append(ArgumentFacts(type: value.type, scale: value.scale(in: table), wholeNumber: whole))
            bound.append(value)
        }
        if let refusal = function.refusal?(today) { throw error(refusal, range) }
        var type = function.result, scale = 0
        switch function.typing?(facts) {
        case .value(let t, let s)?: (type, scale) = (t, s)
        case .refused(let message)?: throw error(message, range)
        case nil: break
        }
        return .call(function: function.name, arguments: bound, type: type, scale: scale)
    }

    func unknownField(_ operand: Operand, table: Table, expected: Wanted) -> SegError {
        if case .name(let id) = operand {
            let names = table.columns.map(\.name) + table.unloadedColumns + catalog.fields.values.map(\.name).sorted()
            let suggestion = Suggest.closest(to: id.name, among: names).map { Lexer.spelling(of: $0) }
            return error(.unknownField(id.name, suggestion: suggestion), id.range)
        }
        return error(.expectedOperand(expected), operand.range)
    }

    /// The column a value reads; a computed value is an empty column of its type and scale (only
    /// they matter to resolution).
    mutating func column(_ expr: ValueExpr, table: Table) -> Column {
        if case .field(let i, _, _) = expr { return table.columns[i] }
        if let linked = linkedColumn(expr) { return linked }
        // A classification's values are its labels: `aum_tier = 财富` is checked against them.
        if case .classify(let c) = expr {
            return Column(name: c.name, data: .category(codes: [], dictionary: c.dictionary), validity: nil, count: 0)
        }
        return Column.empty(named: expr.displayName, type: expr.type, scale: expr.scale(in: table))
    }

    /// The stored column whose values `expr` takes: a field of `table`, or of another table
    /// through a link (`client.tier`, `latest contacts.outcome`); nil for a computed value. Where
    /// an unknown value is to be looked up, without guessing from the field's name.
    func storedColumn(_ expr: ValueExpr, table: Table) -> StoredColumn? {
        switch expr {
        case .field(let i, _, _):
            if let groupColumns { return i < groupColumns.count ? groupColumns[i] : nil }
            return i < table.columns.count ? StoredColumn(table: table.name, column: table.columns[i].name) : nil
        case .parent(let l, _, let inner, _):
            return related(table: catalog.links[l].parent).storedColumn(inner, table: catalog.tables[catalog.links[l].parent])
        case .related(let r) where r.function == .latest || r.function == .min || r.function == .max:
            let child = catalog.links[r.link].child
            return r.argument.flatMap { related(table: child).storedColumn($0, table: catalog.tables[child]) }
        default:
            return nil
        }
    }

    /// This resolver, reading table `t` (a related table's fields, outside any `having`).
    func related(table t: Int) -> Resolver {
        var resolver = self
        resolver.tableIndex = t
        resolver.groupColumns = nil
        return resolver
    }

    // MARK: - Arithmetic

    /// One side of arithmetic: a value, or a number or date written there.
    mutating func expressionOperand(_ operand: Operand, table: Table) throws -> ValueExpr {
        if let value = try fieldExpr(operand, table: table) { return value }
        switch operand {
        case .number(let n): return .constant(n.mantissa, scale: n.scale, text: literalText(n.range))
        case .date, .today, .yesterday, .ago:
            return .dateConstant(try dateValue(operand, name: ""), text: literalText(operand.range))
        case .string(let s, _):
            throw error(.textInArithmetic(s), operand.range)
        case .span(_, _, let range):
            throw error(.spanWithoutDate(literalText(range)), range)
        default:
            throw unknownField(operand, table: table, expected: .fieldToTest)
        }
    }

    /// `a op b`: numbers give numbers (exact: `+ -` keep the larger scale, `*` adds the scales,
    /// `/` gives at least four decimals), a date takes a span (`+ 30 days`), two dates differ by days.
    mutating func arithmetic(_ op: ArithmeticOperator, _ a: Operand, _ b: Operand, range: SourceRange, table: Table) throws -> ValueExpr {
        let lhs = try expressionOperand(a, table: table)
        if case .span(let n, let unit, let spanRange) = b.unwrapped {
            guard lhs.type == .date, op == .add || op == .subtract else {
                throw error(.spanWithoutDate(literalText(spanRange)), spanRange)
            }
            guard n.magnitude <= 10_000 * 366 else { throw error(.spanTooLong(literalText(spanRange)), spanRange) }
            return .shiftDate(lhs, by: op == .add ? n : -n, unit)
        }
        let rhs = try expressionOperand(b, table: table)
        if lhs.type == .date || rhs.type == .date {
            guard op == .subtract, lhs.type == .date, rhs.type == .date else {
                throw error(.dateArithmetic(operation: op.rawValue), range)
            }
            return .daysBetween(lhs, rhs)
        }
        for side in [(lhs, a.range), (rhs, b.range)] where !side.0.type.isNumeric {
            throw error(.arithmeticOnType(operation: op.rawValue, field: side.0.displayName, type: side.0.type), side.1)
        }
        let (sa, sb) = (lhs.scale(in: table), rhs.scale(in: table))
        let bothIntegers = lhs.type == .integer && rhs.type == .integer
        let scale: Int
        switch op {
        case .add, .subtract: scale = max(sa, sb)
        case .multiply: scale = sa + sb
        case .divide: scale = max(Self.divisionScale, sa, sb)
        }
        // A quotient is computed as x · 10^(scale - sa + sb) / y: that power must stay within 10^18.
        guard scale <= 18, op != .divide || scale - sa + sb <= 18 else { throw error(.tooManyDecimals(source.slice(range)), range) }
        let type: FieldType = bothIntegers && op != .divide ? .integer : .decimal
        return .arithmetic(op, lhs, rhs, type: type, scale: scale)
    }

    /// The classification a value is, directly or as a parent's (`client.risk` when risk is ordered).
    static func classification(_ value: ValueExpr) -> Classification? {
        if case .classify(let c) = value { return c }
        if case .parent(_, _, let inner, _) = value { return classification(inner) }
        return nil
    }

    /// The least decimal places of a quotient (`loans / assets` is a ratio to 4 places).
    public static let divisionScale = 4

    mutating func resolvePredicate(_ p: Predicate, table: Table) throws -> BoundCondition {
        var lhsOperand = p.lhs
        var test = p.test
        var lhs = try fieldExpr(lhsOperand, table: table)
        if lhs == nil, case .compare(let op, let rhs, let opRange) = test,
           let r = try fieldExpr(rhs, table: table) {
            // `1m < assets` reads as `assets > 1m`.
            lhs = r
            test = .compare(op.flipped, lhsOperand, operatorRange: opRange)
            lhsOperand = rhs
        }
        guard let lhs else { throw unknownField(lhsOperand, table: table, expected: .fieldToTest) }
        note(lhs)
        let col = column(lhs, table: table)
        let name = lhs.displayName
        let home = storedColumn(lhs, table: table)

        switch test {
        case .compare(let op, let rhs, _):
            if let other = try fieldExpr(rhs, table: table, valuesOf: col, storedIn: home) {
                note(other)
                if let a = Self.classification(lhs), let b = Self.classification(other) {
                    return try rankComparison(lhs, a, op, other, b, range: p.range)
                }
                try checkComparable(lhs, other, range: p.range)
                return .compareValues(lhs, op, other)
            }
            if col.type == .tags {
                throw error(.tagFieldCompared(field: name), p.range)
            }
            if let c = Self.classification(lhs) { return .test(lhs, try labelTest(op, rhs, c, range: p.range)) }
            return .test(lhs, try rowTest(op, rhs, column: col, name: name, home: home, checkValue: op == .equal || op == .notEqual))
        case .inList(let items, let negated):
            if col.type == .tags {
                throw error(.tagFieldInList(field: name), p.range)
            }
            let t = try setTest(items, column: col, name: name, home: home)
            return negated ? .not(.test(lhs, t)) : .test(lhs, t)
        case .between(let low, let high, let negated):
            if let c = Self.classification(lhs) {
                let both = BoundCondition.and([.test(lhs, try labelTest(.greaterOrEqual, low, c, range: p.range)),
                                               .test(lhs, try labelTest(.lessOrEqual, high, c, range: p.range))])
                return negated ? .not(both) : both
            }
            let both = BoundCondition.and([
                .test(lhs, try rowTest(.greaterOrEqual, low, column: col, name: name, home: home, checkValue: false)),
                .test(lhs, try rowTest(.lessOrEqual, high, column: col, name: name, home: home, checkValue: false)),
            ])
            return negated ? .not(both) : both
        case .has(let tag):
            return .test(lhs, .tagsAny(try tagMask([tag], column: col, name: name, home: home, keyword: "has")))
        case .hasAny(let tags):
            return .test(lhs, .tagsAny(try tagMask(tags, column: col, name: name, home: home, keyword: "has any")))
        case .hasAll(let tags):
            return .test(lhs, .tagsAll(try tagMask(tags, column: col, name: name, home: home, keyword: "has all")))
        case .like(let pattern, let negated):
            let text = try stringLiteral(pattern, column: col, name: name, keyword: "like")
            let t = RowTest.string(.like(LikePattern(text)))
            return negated ? .not(.test(lhs, t)) : .test(lhs, t)
        case .matches(let pattern):
            let text = try stringLiteral(pattern, column: col, name: name, keyword: "~")
            do {
                return .test(lhs, .string(.regex(try RegexMatcher(text))))
            } catch {
                throw self.error(.invalidRegex(pattern: text, reason: (error as? RegexError)?.message), pattern.range)
            }
        case .contains(let needle, let negated):
            let t: RowTest
            if col.type == .tags {
                t = .tagsAny(try tagMask([needle], column: col, name: name, home: home, keyword: "contains"))
            } else {
                t = .string(.contains(try stringLiteral(needle, column: col, name: name, keyword: "contains")))
            }
            return negated ? .not(.test(lhs, t)) : .test(lhs, t)
        case .isEmpty(let negated):
            return .isEmpty(lhs, negated: negated)
        case .before(let rhs), .after(let rhs):
            guard col.type == .date else {
                throw error(.dateTestOnOther(field: name, type: col.type), p.range)
            }
            let op: ComparisonOperator
            if case .before = test { op = .less } else { op = .greater }
            if let other = try fieldExpr(rhs, table: table) {
                note(other)
                try checkComparable(lhs, other, range: p.range)
                return .compareValues(lhs, op, other)
            }
            return .test(lhs, try rowTest(op, rhs, column: col, name: name, home: home, checkValue: false))
        case .inLast(let n, let unit, let testRange), .inNext(let n, let unit, let testRange):
            guard col.type == .date else {
                throw error(.rangeTestOnOther(field: name, type: col.type), p.range)
            }
            let isLast: Bool
            if case .inLast = test { isLast = true } else { isLast = false }
            let other = try shifted(by: isLast ? -n : n, unit, range: countRange(in: testRange))
            let (low, high) = isLast ? (other, today) : (today, other)
            return .and([.test(lhs, .compare(.greaterOrEqual, Int64(low))), .test(lhs, .compare(.lessOrEqual, Int64(high)))])
        }
    }

    func checkComparable(_ a: ValueExpr, _ b: ValueExpr, range: SourceRange) throws {
        let ok = (a.type.isNumeric && b.type.isNumeric) || (a.type.isString && b.type.isString)
            || (a.type == b.type && a.type != .tags)
        if !ok {
            throw error(.incomparableFields(a.displayName, a.type, b.displayName, b.type), range)
        }
    }

    /// The day `n` units after `day` (before it for a negative `n`); nil when it falls outside the
    /// dates seg handles (`CivilDate.supportedRange`). `n` is what the user typed, up to Int64.max:
    /// every step is checked.
    static func shift(_ day: Int, by n: Int, _ unit: DateUnit) -> Int? {
        switch unit {
        case .days: return CivilDate.addingDays(n, to: day)
        case .weeks:
            let (days, overflow) = n.multipliedReportingOverflow(by: 7)
            return overflow ? nil : CivilDate.addingDays(days, to: day)
        case .months: return CivilDate.addingMonthsInRange(n, to: day)
        case .years:
            let (months, overflow) = n.multipliedReportingOverflow(by: 12)
            return overflow ? nil : CivilDate.addingMonthsInRange(months, to: day)
        }
    }

    /// `shift`, or an error at `range` (the count and unit, or `N units ago`) when the date leaves
    /// the supported range.
    func shifted(by n: Int, _ unit: DateUnit, range: SourceRange) throws -> Int {
        if let day = Self.shift(today, by: n, unit) { return day }
        let place: DateOverflow.Place = source.slice(range).lowercased().hasSuffix("ago") || parameterTexts[range] != nil ? .asWritten
            : n < 0 ? .beforeToday : .afterToday
        let last = n < 0 ? CivilDate.supportedRange.lowerBound : CivilDate.supportedRange.upperBound
        throw error(.dateOutOfRange(DateOverflow(written: Self.shortened(source.slice(range)),
                                                 parameter: parameterTexts[range].map(Self.shortened), place: place,
                                                 earliest: n < 0, limit: CivilDate.format(last), today: CivilDate.format(today))), range)
    }

    /// A span the user typed, shortened for a message (a 10 MB number stays readable).
    static func shortened(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(28)) + "…" + String(text.suffix(28))
    }

    /// The range of `N unit` inside `in last N unit` / `in next N unit` (for the caret).
    func countRange(in range: SourceRange) -> SourceRange {
        var lexer = Lexer(Source(name: "", text: source.slice(range)))
        for _ in 0..<4 {
            let token = lexer.next()
            if token.kind == .number { return SourceRange(range.start + token.range.start, range.end) }
            if token.kind == .endOfInput { break }
        }
        return range
    }

    // MARK: - Literals

    /// The text of an operand used as a string value: quoted strings, bare words, numbers as written.
    func stringLiteral(_ operand: Operand, column: Column, name: String, keyword: String) throws -> String {
        // Not tags either: a text test on a tag field would silently match nothing.
        guard column.type.isString else {
            throw error(.textTestOnOther(keyword: keyword, field: name, type: column.type), operand.range)
        }
        guard let text = operandText(operand) else {
            throw error(.expectedQuotedString(after: keyword), operand.range)
        }
        return text
    }

    /// An operand used as a text value: quoted text, a bare word, or a number or date as written.
    func operandText(_ operand: Operand) -> String? {
        switch operand.unwrapped {
        case .string(let s, _): return s
        case .name(let id): return id.name
        case .number(let n): return literalText(n.range)
        case .date(_, let r): return literalText(r)
        default: return nil
        }
    }

    /// `home`: the stored column whose values the test reads (`storedColumn`), named in an
    /// unknown value's message.
    func rowTest(_ op: ComparisonOperator, _ operand: Operand, column: Column, name: String, home: StoredColumn?,
                 checkValue: Bool) throws -> RowTest {
        let operand = operand.unwrapped
        switch column.type {
        case .integer, .decimal:
            guard case .number(let n) = operand else { throw mismatch(operand, column: column, name: name) }
            return Self.numericTest(op, mantissa: n.mantissa, scale: n.scale, columnScale: column.scale)
        case .date:
            let day = try dateValue(operand, name: name)
            return .compare(op, Int64(day))
        case .boolean:
            let word: String
            switch operand {
            case .name(let id): word = id.name.lowercased()
            case .string(let s, _): word = s.lowercased()
            default: throw mismatch(operand, column: column, name: name)
            }
            guard word == "true" || word == "false" else { throw mismatch(operand, column: column, name: name) }
            return .compare(op, word == "true" ? 1 : 0)
        case .category, .text:
            if op != .equal && op != .notEqual, let literal = Self.orderedLiteral(operand) {
                throw error(.textOrdered(field: name, type: column.type, use: .compared(op: op.rawValue, literal: literal),
                                         profile: column.profile), operand.range)
            }
            let text = try stringValue(operand, column: column, name: name, home: home, check: checkValue)
            return .string(.compare(op, text))
        case .tags:
            throw error(.tagFieldEquality(field: name), operand.range)
        }
    }

    /// A number or date literal, which ordered against text would compare letter by letter.
    static func orderedLiteral(_ operand: Operand) -> LiteralKind? {
        switch operand {
        case .number: return .number
        case .date, .today, .yesterday, .ago: return .date
        case .negate(let inner, _), .parenthesized(let inner, _): return orderedLiteral(inner)
        default: return nil
        }
    }

    /// Refuses to order a text column whose values are mostly numbers or dates but not all (the
    /// loader kept it as text because of the others): text order would look right and be wrong.
    /// A column whose every value is a number is text on purpose (identifiers, leading zeros).
    func checkOrderable(_ expr: ValueExpr, table: Table, use: TextOrdering, range: SourceRange) throws {
        guard case .field(let index, let name, let type) = expr, type.isString, index < table.columns.count,
              let profile = table.columns[index].profile else { return }
        let numbersMeant = profile.mostlyNumbers && profile.numbers < profile.present
        let datesMeant = profile.mostlyDates && profile.dates < profile.present
        if numbersMeant || datesMeant {
            throw error(.textOrdered(field: name, type: type, use: use, profile: profile), range)
        }
    }

    func setTest(_ items: [Operand], column: Column, name: String, home: StoredColumn?) throws -> RowTest {
        switch column.type {
        case .category, .text:
            // Distinct by bytes, in the order written; the dictionary looked up once per item.
            var known: Set<ExactKey>? = nil
            if case .category(_, let dictionary) = column.data { known = Set(dictionary.map(ExactKey.init)) }
            var seen = Set<ExactKey>()
            var values: [String] = []
            for item in items {
                let text = try stringValue(item, column: column, name: name, home: home, check: true, known: known)
                if seen.insert(ExactKey(text)).inserted { values.append(text) }
            }
            return .string(.oneOf(values))
        default:
            var values: [Int64] = []
            for item in items {
                switch try rowTest(.equal, item, column: column, name: name, home: home, checkValue: true) {
                case .compare(_, let v): values.append(v)
                default: break // a value the column cannot hold exactly matches nothing
                }
            }
            return .oneOf(values)
        }
    }

    /// `known`: the category's dictionary as exact keys, when the caller checks many values.
    func stringValue(_ operand: Operand, column: Column, name: String, home: StoredColumn?, check: Bool,
                     known: Set<ExactKey>? = nil) throws -> String {
        guard let text = operandText(operand) else { throw mismatch(operand, column: column, name: name) }
        if check, case .category(_, let dictionary) = column.data,
           !(known?.contains(ExactKey(text)) ?? dictionary.contains { ExactText.same($0, text) }) {
            throw error(.unknownValue(text, field: name, suggestion: Suggest.closest(to: text, among: dictionary),
                                      lookalike: ExactText.lookalike(of: text, among: dictionary), in: home), operand.range)
        }
        return text
    }

    func dateValue(_ operand: Operand, name: String) throws -> Int {
        switch operand.unwrapped {
        case .date(let d, _): return d
        case .today: return today
        case .yesterday(let range): return try shifted(by: -1, .days, range: range)
        case .ago(let n, let unit, let range): return try shifted(by: -n, unit, range: range)
        case .string(let s, let r):
            guard let d = CivilDate.parse(s) else {
                throw error(.notADate(field: name, text: s), r)
            }
            return d
        default:
            throw error(.compareDateWith(field: name), operand.range)
        }
    }

    func mismatch(_ operand: Operand, column: Column, name: String) -> SegError {
        let literal: LiteralKind
        switch operand.unwrapped {
        case .string(let s, _): literal = .text(s)
        case .number: literal = .number
        case .date, .today, .yesterday, .ago: literal = .date
        case .span(_, _, let r): literal = .span(literalText(r))
        case .name(let id):
            if let suggestion = Suggest.closest(to: id.name, among: fieldNames) {
                return error(.unknownField(id.name, suggestion: Lexer.spelling(of: suggestion)), id.range)
            }
            return error(.unknownFieldOrValue(id.name, field: name, type: column.type), id.range)
        default: literal = .other
        }
        return error(.typeMismatch(field: name, type: column.type, literal: literal), operand.range)
    }

    /// Compares a scaled integer column with an exact literal without rounding: a literal with more
    /// fraction digits than the column moves the bound to the right side (`x > 1.005` on cents is `x > 100`).
    static func numericTest(_ op: ComparisonOperator, mantissa: Int64, scale: Int, columnScale: Int) -> RowTest {
        if scale <= columnScale {
            let factor = FixedPoint.powersOfTen[columnScale - scale]
            let (k, overflow) = mantissa.multipliedReportingOverflow(by: factor)
            if !overflow { return .compare(op, k) }
            // Beyond the column's range: every value is on one side.
            let literalIsHuge = mantissa > 0
            switch op {
            case .equal: return .never
            case .notEqual: return .always
            case .less, .lessOrEqual: return literalIsHuge ? .always : .never
            case .greater, .greaterOrEqual: return literalIsHuge ? .never : .always
            }
        }
        let divisor = FixedPoint.powersOfTen[min(18, scale - columnScale)]
        var floorQ = mantissa / divisor
        let exact = mantissa % divisor == 0
        if !exact && mantissa < 0 { floorQ -= 1 }
        let ceilQ = exact ? floorQ : floorQ + 1
        switch op {
        case .equal: return exact ? .compare(.equal, floorQ) : .never
        case .notEqual: return exact ? .compare(.notEqual, floorQ) : .always
        case .greater: return .compare(.greater, floorQ)
        case .greaterOrEqual: return .compare(.greaterOrEqual, ceilQ)
        case .less: return .compare(.less, ceilQ)
        case .lessOrEqual: return .compare(.lessOrEqual, floorQ)
        }
    }

    func tagMask(_ tags: [Operand], column: Column, name: String, home: StoredColumn?, keyword: String) throws -> [UInt64] {
        guard case .tags(let sets) = column.data else {
            throw error(.tagTestOnOther(keyword: keyword, field: name, type: column.type), tags.first?.range ?? SourceRange(0, 0))
        }
        var mask = [UInt64](repeating: 0, count: sets.wordsPerRow)
        for tag in tags {
            let text: String
            switch tag {
            case .name(let id): text = id.name
            case .string(let s, _): text = s
            default: throw error(.expectedTag(after: keyword), tag.range)
            }
            guard let i = ExactText.index(of: text, in: sets.vocabulary) else {
                throw error(.unknownTag(text, field: name, suggestion: Suggest.closest(to: text, among: sets.vocabulary),
                                        lookalike: ExactText.lookalike(of: text, among: sets.vocabulary), in: home), tag.range)
            }
            mask[i >> 6] |= 1 << UInt64(i & 63)
        }
        return mask
    }

    // MARK: - Show and sort items

    func isAggregateCall(_ operand: Operand) -> Bool {
        if relatedCallRows(operand) != nil { return false }
        if case .call(let name, _, _) = operand { return Functions.needsGroups(name.name) }
        return false
    }

    mutating func valueExpr(_ operand: Operand, table: Table, role: QueryRole) throws -> ValueExpr {
        if isAggregateCall(operand), case .call(let name, _, let range) = operand {
            throw error(.aggregateInList(name.name.lowercased(), role: role), range)
        }
        if let expr = try fieldExpr(operand, table: table) { return expr }
        throw unknownField(operand, table: table, expected: .field(as: role))
    }

    mutating func groupItem(_ operand: Operand, keys: [ValueExpr], table: Table,
                            add: (AggregateExpr) -> GroupItem) throws -> GroupItem {
        // `by tier show count(holdings), sum(holdings.amount)`: each client's value over its
        // related rows, summed (min, max: the least, greatest) over the group's clients.
        if let (function, _, _) = relatedCallRows(operand), let function, case .related(let r)? = try fieldExpr(operand, table: table) {
            let outer: String
            switch function {
            case .count, .sum: outer = "sum"
            case .min: outer = "min"
            case .max: outer = "max"
            case .latest: throw error(.notAByKey(r.label, aggregates: ["count", "sum", "min", "max"]), operand.range)
            case .avg, .median: throw error(.relatedAggregateInGroups(r.label, function: function.rawValue), operand.range)
            }
            return add(AggregateExpr(function: outer, argument: .related(r)))
        }
        if case .call(let name, let args, let range) = operand, name.name.lowercased() == Functions.share.name {
            // `pct(count)`, `pct(sum(assets))`: the share of an aggregate, itself computed as usual.
            guard args.count == 1 else { throw error(.shareArgument, range) }
            var inner = args[0].unwrapped
            if case .name(let id) = inner, id.name.lowercased() == "count" { inner = .call(id, [], range: id.range) }
            guard case .call(let f, _, _) = inner, Functions.aggregate(named: f.name) != nil else {
                throw error(.shareArgument, args[0].range)
            }
            guard case .aggregate(var agg) = try groupItem(inner, keys: keys, table: table, add: { .aggregate($0) }) else {
                throw error(.shareArgument, args[0].range)
            }
            let type = Functions.aggregate(named: agg.function)?.result(agg.argument?.type, 0).type ?? .integer
            guard type.isNumeric else {
                throw error(.aggregateType(Functions.share.name, wanted: .number, field: agg.displayName, type: type), args[0].range)
            }
            _ = add(agg)
            agg.share = true
            return add(agg)
        }
        if case .call(let name, let args, let range) = operand, let aggregate = Functions.aggregate(named: name.name) {
            if aggregate.allowsNoArgument && args.isEmpty { return add(AggregateExpr(function: aggregate.name, argument: nil)) }
            var fraction: Fraction?
            if aggregate.takesFraction {
                // `quantile(assets, 0.9)`: the fraction is written out, so it is known before any row is read.
                guard args.count == 2 else { throw error(.quantileFraction(maxScale: Fraction.maxScale), args.last?.range ?? range) }
                guard case .number(let n) = args[1].unwrapped, let p = Fraction(mantissa: n.mantissa, scale: n.scale) else {
                    throw error(.quantileFraction(maxScale: Fraction.maxScale), args[1].range)
                }
                fraction = p
            } else if args.count != 1 {
                throw error(.aggregateArity(aggregate.name, found: args.count), range)
            }
            guard let arg = try fieldExpr(args[0], table: table) else {
                throw unknownField(args[0], table: table, expected: .argument(.any))
            }
            guard aggregate.argument.accepts(arg.type) else {
                switch aggregate.refusal {
                case .needs:
                    let written = aggregate.heading.map { $0("…") } ?? aggregate.name
                    throw error(.aggregateType(written, wanted: aggregate.argument, field: arg.displayName, type: arg.type), args[0].range)
                case .cannotOrder:
                    throw error(.aggregateCannotOrder(aggregate.name), args[0].range)
                }
            }
            if aggregate.name == "min" || aggregate.name == "max" {
                try checkOrderable(arg, table: table, use: .aggregated(aggregate.name), range: args[0].range)
            }
            return add(AggregateExpr(function: aggregate.name, argument: arg, fraction: fraction))
        }
        let expr = try fieldExpr(operand, table: table)
        if let expr, let k = keys.firstIndex(of: expr) { return .key(k) }
        if let expr {
            throw error(.notAByKey(expr.displayName, aggregates: Functions.aggregates.map(\.name)), operand.range)
        }
        throw unknownField(operand, table: table, expected: .byKeyOrAggregate)
    }
}
