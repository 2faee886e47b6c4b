import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
// The resolved form of a query: every name bound to a column, segment or table, every literal
// converted to the type it is compared with. The engine runs this form; it never sees names.

/// A per-row value: a stored column, a literal, arithmetic of values, a function of values
/// computed for the whole column (see the registry, `Functions`), or the truth of a condition.
/// Numbers are exact: integers, or decimals as integers scaled by 10^`scale`.
public indirect enum ValueExpr: Sendable, Hashable {
    case field(index: Int, name: String, type: FieldType)
    /// A number written in an expression (`assets * 0.05`): `value` / 10^`scale`, as written.
    case constant(Int64, scale: Int, text: String)
    /// A date written in an expression (`2026-12-31`, `today`, `6 months ago`), as a day number.
    case dateConstant(Int, text: String)
    /// `a + b`, `a - b`, `a * b`, `a / b` on numbers, with the type and decimal places of the result.
    case arithmetic(ArithmeticOperator, ValueExpr, ValueExpr, type: FieldType, scale: Int)
    /// `-a`
    case negate(ValueExpr)
    /// `date + 30 days`, `date - 1 year`: `count` (negative to go back) calendar units.
    case shiftDate(ValueExpr, by: Int, DateUnit)
    /// `a - b` on two dates: the days from b to a.
    case daysBetween(ValueExpr, ValueExpr)
    /// A registry function (`days_since(last_contact)`), by its name, with the type and decimal
    /// places it yields.
    case call(function: String, arguments: [ValueExpr], type: FieldType, scale: Int)
    /// `true` where the condition holds, `false` elsewhere (never missing: unknown is false).
    /// `label` identifies it within a statement (two truths with one label are the same value).
    case truth(BoundCondition, label: String)
    /// A derived field (`let field net = assets - loans`): its value, headed by its name.
    case derived(name: String, ValueExpr)
    /// A classification (`let field aum_tier = 私行 when …, else 大众`): each row's label.
    case classify(Classification)
    /// A value of the parent row (`client.tier` in a query over holdings): `value`, bound against
    /// the parent table of `catalog.links[link]`, read through the link. `scale`: its decimal places.
    case parent(link: Int, name: String, ValueExpr, scale: Int)
    /// An aggregate over each row's related rows (`count(holdings where kind = fund)`).
    case related(RelatedAggregate)

    public var type: FieldType {
        switch self {
        case .field(_, _, let t): return t
        case .constant(_, let scale, _): return scale == 0 ? .integer : .decimal
        case .dateConstant, .shiftDate: return .date
        case .arithmetic(_, _, _, let t, _): return t
        case .negate(let e): return e.type
        case .daysBetween: return .integer
        case .call(_, _, let t, _): return t
        case .truth: return .boolean
        case .derived(_, let e): return e.type
        case .classify: return .category
        case .parent(_, _, let e, _): return e.type
        case .related(let r): return r.type
        }
    }

    /// The decimal places of a number (0 for integers and other types); `table` holds the fields.
    public func scale(in table: Table) -> Int {
        switch self {
        case .field(let i, _, _): return i < table.columns.count ? table.columns[i].scale : 0
        case .constant(_, let scale, _): return scale
        case .arithmetic(_, _, _, _, let scale), .call(_, _, _, let scale): return scale
        case .negate(let e), .derived(_, let e): return e.scale(in: table)
        case .dateConstant, .shiftDate, .daysBetween, .truth, .classify: return 0
        case .parent(_, _, _, let scale): return scale
        case .related(let r): return r.scale
        }
    }

    /// The heading it gets in results: `assets`, `assets - loans`, `days_since(last_contact)`.
    public var displayName: String {
        switch self {
        case .field(_, let name, _): return name
        case .constant(_, _, let text), .dateConstant(_, let text): return text
        case .arithmetic(let op, let a, let b, _, _):
            return "\(Self.operandName(a, under: op, right: false)) \(op.rawValue) \(Self.operandName(b, under: op, right: true))"
        case .negate(let e): return "-" + Self.operandName(e, under: .multiply, right: true)
        case .shiftDate(let e, let n, let unit):
            let count = n.magnitude
            let word = count == 1 ? String(unit.rawValue.dropLast()) : unit.rawValue
            return "\(Self.operandName(e, under: .add, right: false)) \(n < 0 ? "-" : "+") \(count) \(word)"
        case .daysBetween(let a, let b):
            return "\(Self.operandName(a, under: .subtract, right: false)) - \(Self.operandName(b, under: .subtract, right: true))"
        case .call(let f, let args, _, _): return "\(f)(\(args.map(\.displayName).joined(separator: ", ")))"
        case .truth(_, let label): return label
        case .derived(let name, _): return name
        case .classify(let c): return c.name
        case .parent(_, let name, _, _): return name
        case .related(let r): return r.label
        }
    }

    /// An operand's name inside arithmetic, in parentheses when it binds less tightly than `op`
    /// (or as tightly, on the right of `-` or `/`).
    static func operandName(_ e: ValueExpr, under op: ArithmeticOperator, right: Bool) -> String {
        let inner: ArithmeticOperator?
        switch e {
        case .arithmetic(let o, _, _, _, _): inner = o
        case .shiftDate, .daysBetween: inner = .add
        default: inner = nil
        }
        guard let inner else { return e.displayName }
        let needs = inner.precedence < op.precedence || (right && inner.precedence == op.precedence && (op == .subtract || op == .divide))
        return needs ? "(\(e.displayName))" : e.displayName
    }

    public static func == (a: ValueExpr, b: ValueExpr) -> Bool {
        switch (a, b) {
        case let (.field(i, n, t), .field(j, m, u)): return i == j && n == m && t == u
        case let (.constant(x, s, _), .constant(y, t, _)): return x == y && s == t
        case let (.dateConstant(x, _), .dateConstant(y, _)): return x == y
        case let (.arithmetic(o, x1, x2, t, s), .arithmetic(p, y1, y2, u, r)): return o == p && x1 == y1 && x2 == y2 && t == u && s == r
        case let (.negate(x), .negate(y)): return x == y
        case let (.shiftDate(x, n, u), .shiftDate(y, m, v)): return x == y && n == m && u == v
        case let (.daysBetween(x1, x2), .daysBetween(y1, y2)): return x1 == y1 && x2 == y2
        case let (.call(f, x, t, s), .call(g, y, u, r)): return f == g && x == y && t == u && s == r
        case let (.truth(_, l), .truth(_, m)): return l == m
        case let (.derived(n, x), .derived(m, y)): return n == m && x == y
        case let (.classify(x), .classify(y)): return x.name == y.name && x.dictionary == y.dictionary
        case let (.parent(l, n, x, _), .parent(m, o, y, _)): return l == m && n == o && x == y
        case let (.related(x), .related(y)): return x.link == y.link && x.label == y.label
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .field(let i, let n, _): hasher.combine(0); hasher.combine(i); hasher.combine(n)
        case .constant(let x, let s, _): hasher.combine(3); hasher.combine(x); hasher.combine(s)
        case .dateConstant(let x, _): hasher.combine(4); hasher.combine(x)
        case .arithmetic(let o, let a, let b, _, _): hasher.combine(5); hasher.combine(o); hasher.combine(a); hasher.combine(b)
        case .negate(let e): hasher.combine(6); hasher.combine(e)
        case .shiftDate(let e, let n, let u): hasher.combine(7); hasher.combine(e); hasher.combine(n); hasher.combine(u.rawValue)
        case .daysBetween(let a, let b): hasher.combine(8); hasher.combine(a); hasher.combine(b)
        case .call(let f, let args, _, _): hasher.combine(1); hasher.combine(f); hasher.combine(args)
        case .truth(_, let l): hasher.combine(2); hasher.combine(l)
        case .derived(let n, let e): hasher.combine(9); hasher.combine(n); hasher.combine(e)
        case .classify(let c): hasher.combine(10); hasher.combine(c.name); hasher.combine(c.dictionary)
        case .parent(let l, let n, let e, _): hasher.combine(11); hasher.combine(l); hasher.combine(n); hasher.combine(e)
        case .related(let r): hasher.combine(12); hasher.combine(r.link); hasher.combine(r.label)
        }
    }

    /// Whether its numbers take thousands separators (a registry function may say not: `year`).
    public var groupsDigits: Bool {
        if case .call(let f, _, _, _) = self { return Functions.scalar(named: f)?.groupsDigits ?? true }
        if case .derived(_, let e) = self { return e.groupsDigits }
        return true
    }

    /// The values this value is computed from, directly.
    public var operands: [ValueExpr] {
        switch self {
        // A parent's value and related rows are read in other tables: no operand of this row's.
        case .field, .constant, .dateConstant, .truth, .parent, .related: return []
        case .arithmetic(_, let a, let b, _, _), .daysBetween(let a, let b): return [a, b]
        case .negate(let e), .shiftDate(let e, _, _), .derived(_, let e): return [e]
        case .call(_, let args, _, _): return args
        case .classify(let c): return c.rules.flatMap(\.values)
        }
    }

    /// The stored fields this value reads, in order, each once.
    public var fields: [ValueExpr] {
        var out: [ValueExpr] = []
        func walk(_ e: ValueExpr) {
            switch e {
            case .field: if !out.contains(e) { out.append(e) }
            case .truth(let c, _): for v in c.values { walk(v) }
            default: e.operands.forEach(walk)
            }
        }
        walk(self)
        return out
    }
}

/// What an aggregate over related rows computes for each row of the parent table.
public enum RelatedFunction: String, Sendable, CaseIterable {
    /// How many related rows match (0 when none).
    case count
    /// The sum of a number over them (0 when none).
    case sum
    /// The least / greatest value (missing when none).
    case min, max
    /// The mean and the middle value of a number, as `avg` and `median` of a column compute them
    /// (exact, at least two decimals; missing when none).
    case avg, median
    /// The value on the latest date among them (`latest contacts.outcome`); on a day with several,
    /// the greatest value (missing when none).
    case latest
}

/// `count(holdings where kind = fund)`, `sum(holdings.amount …)`, `avg(holdings.amount …)`,
/// `latest contacts.outcome`, and `has` / `no` (a count compared with 0): computed for each
/// parent row from the child rows of `catalog.links[link]` where `condition` holds.
public struct RelatedAggregate: Sendable {
    public var link: Int
    public var function: RelatedFunction
    /// The child value it reads (bound against the child table); nil for count.
    public var argument: ValueExpr?
    /// For `latest`: the child's date field that orders the rows.
    public var date: ValueExpr?
    /// Which child rows count (bound against the child table); nil: all.
    public var condition: BoundCondition?
    /// The heading: the aggregate as written (`count(holdings where kind = fund)`).
    public var label: String
    public var type: FieldType
    public var scale: Int

    public init(link: Int, function: RelatedFunction, argument: ValueExpr?, date: ValueExpr?, condition: BoundCondition?,
                label: String, type: FieldType, scale: Int) {
        self.link = link
        self.function = function
        self.argument = argument
        self.date = date
        self.condition = condition
        self.label = label
        self.type = type
        self.scale = scale
    }
}

/// The labels of a classification and the rules that give them: a row takes the label of the first
/// rule whose condition holds; a rule that can be neither true nor false for the row (a value it
/// tests is missing) leaves the label missing, since seg cannot tell which rule would hold; rows
/// no rule takes get `otherwise` (or stay missing).
public struct Classification: Sendable {
    public var name: String
    public var rules: [BoundCondition]
    /// The label of each rule, in order.
    public var labels: [String]
    public var otherwise: String?
    public var order: LabelOrder

    /// The category values in written order (the rules', then `otherwise`): a row's code is its rule's position.
    public var dictionary: [String] { labels + (otherwise.map { [$0] } ?? []) }

    public init(name: String, rules: [BoundCondition], labels: [String], otherwise: String?, order: LabelOrder) {
        self.name = name
        self.rules = rules
        self.labels = labels
        self.otherwise = otherwise
        self.order = order
    }
}

/// How a classification's labels compare (`aum_tier >= 财富`), told from its rules: thresholds on
/// one value that fall (`>= 600万`, `>= 60万` …: the first label is the highest) or rise (`< 5万`,
/// `< 60万` …: the first is the lowest). Other rules give labels no order, and `<`, `>` on them are errors.
public enum LabelOrder: Sendable, Equatable {
    case unordered
    case firstHighest
    case firstLowest
}

/// A test applied to each row's value of one `ValueExpr`. Missing values never pass (the engine masks them).
public enum RowTest: Sendable {
    /// Integer-like comparison against a constant already scaled to the column (integers, decimals, dates, booleans as 0/1).
    case compare(ComparisonOperator, Int64)
    case oneOf([Int64])
    /// Every present value passes / none does (e.g. `assets = 1.005` on a 2-decimal column).
    case always
    case never
    case string(StringTest)
    /// Tag sets: any / all of the tags in `mask` (one bit per vocabulary entry, `wordsPerRow` words).
    case tagsAny([UInt64])
    case tagsAll([UInt64])
}

/// A test on text values, run once per dictionary entry for categories and per row for text.
public enum StringTest: Sendable {
    case compare(ComparisonOperator, String)
    /// Distinct by UTF-8 bytes (not a `Set<String>`, which merges canonically equivalent texts).
    case oneOf([String])
    case like(LikePattern)
    case contains(String)
    case regex(RegexMatcher)
}

public indirect enum BoundCondition: Sendable {
    case and([BoundCondition])
    case or([BoundCondition])
    case not(BoundCondition)
    case test(ValueExpr, RowTest)
    /// Two per-row values compared (`deposits > loans`); missing on either side never passes.
    case compareValues(ValueExpr, ComparisonOperator, ValueExpr)
    /// `is empty` (negated: `is not empty`): the only test that sees missing values.
    case isEmpty(ValueExpr, negated: Bool)
    /// Membership in a segment or in the rows of a nested source.
    case member(BoundSource)
    /// The row's client key (`key`), as text, is one of `keys` (`why`, `diff`).
    case keyIn(ValueExpr, [String])

    /// The per-row values the condition reads, in order, each once (`in NAME` reads none).
    public var values: [ValueExpr] {
        var out: [ValueExpr] = []
        func add(_ e: ValueExpr) { if !out.contains(e) { out.append(e) } }
        func walk(_ c: BoundCondition) {
            switch c {
            case .and(let terms), .or(let terms): terms.forEach(walk)
            case .not(let inner): walk(inner)
            case .test(let e, _), .isEmpty(let e, _), .keyIn(let e, _): add(e)
            case .compareValues(let a, _, let b): add(a); add(b)
            case .member: break
            }
        }
        walk(self)
        return out
    }
}

/// An aggregate of the registry (`Functions.aggregates`) applied to a value.
public struct AggregateExpr: Sendable, Hashable {
    /// The aggregate's name in the registry: `count`, `sum` …
    public var function: String
    /// nil for `count` alone.
    public var argument: ValueExpr?
    /// The fraction of `quantile(x, 0.9)`.
    public var fraction: Fraction?
    /// `pct(…)` of this aggregate: each group's share of its total over the groups.
    public var share = false

    public init(function: String, argument: ValueExpr?, fraction: Fraction? = nil) {
        self.function = function
        self.argument = argument
        self.fraction = fraction
    }

    /// The aggregate itself, without `pct`.
    public var unshared: AggregateExpr {
        var base = self
        base.share = false
        return base
    }

    public var displayName: String {
        if share { return "\(Functions.share.name)(\(unshared.displayName))" }
        guard let argument else { return function }
        if let heading = Functions.aggregate(named: function)?.heading { return heading(argument.displayName) }
        if let fraction { return "\(function)(\(argument.displayName), \(fraction.text))" }
        return "\(function)(\(argument.displayName))"
    }
}

/// One output or sort item of a grouped query.
public enum GroupItem: Sendable, Hashable {
    case key(Int)
    case aggregate(AggregateExpr)
}

public struct BoundSortKey: Sendable {
    public enum Target: Sendable {
        case value(ValueExpr)
        case groupItem(GroupItem)
    }

    public var target: Target
    public var descending: Bool
}

/// What a query reads: rows of one table, possibly narrowed by segments and set operations.
public indirect enum BoundSource: Sendable {
    case table(Int)
    /// A named segment (or parenthesised query): its rows are those its query selects.
    case query(BoundQuery, name: String?)
    case setOperation(BoundSource, [(SetOperator, BoundSource)])
}

public struct BoundQuery: Sendable {
    public enum Mode: Sendable {
        case list(columns: [ValueExpr])
        case count
        case groups(keys: [ValueExpr], show: [GroupItem], aggregates: [AggregateExpr])
    }

    public var tableIndex: Int
    public var source: BoundSource
    public var condition: BoundCondition?
    public var mode: Mode
    public var sort: [BoundSortKey]
    public var limit: Int?
    /// `limit N per KEYS`: `limit` applies to each group of these values (empty: to all rows).
    public var limitPer: [ValueExpr] = []
    /// `having …`: which groups a grouped query keeps.
    public var having: BoundHaving?
    /// Headings given with `show … as NAME`, by output column (nil: the value's own name).
    public var headings: [String?] = []

    /// The heading `show … as NAME` gave output column `k`, if any.
    public func heading(_ k: Int) -> String? { k < headings.count ? headings[k] : nil }

    public init(tableIndex: Int, source: BoundSource, condition: BoundCondition?, mode: Mode, sort: [BoundSortKey], limit: Int?) {
        self.tableIndex = tableIndex
        self.source = source
        self.condition = condition
        self.mode = mode
        self.sort = sort
        self.limit = limit
    }
}
