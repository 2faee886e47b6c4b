import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
// The resolved form of a query: every name bound to a column, segment or table, every literal
// converted to the type it is compared with. The engine runs this form; it never sees names.

/// A per-row value: a stored column, a function of values computed for the whole column (see
/// the registry, `Functions`), or the truth of a condition.
public indirect enum ValueExpr: Sendable, Hashable {
    case field(index: Int, name: String, type: FieldType)
    /// A registry function (`days_since(last_contact)`), by its name, with the type it yields.
    case call(function: String, arguments: [ValueExpr], type: FieldType)
    /// `true` where the condition holds, `false` elsewhere (never missing: unknown is false).
    /// `label` identifies it within a statement (two truths with one label are the same value).
    case truth(BoundCondition, label: String)

    public var type: FieldType {
        switch self {
        case .field(_, _, let t): return t
        case .call(_, _, let t): return t
        case .truth: return .boolean
        }
    }

    /// The heading it gets in results: `assets`, `days_since(last_contact)`.
    public var displayName: String {
        switch self {
        case .field(_, let name, _): return name
        case .call(let f, let args, _): return "\(f)(\(args.map(\.displayName).joined(separator: ", ")))"
        case .truth(_, let label): return label
        }
    }

    public static func == (a: ValueExpr, b: ValueExpr) -> Bool {
        switch (a, b) {
        case let (.field(i, n, t), .field(j, m, u)): return i == j && n == m && t == u
        case let (.call(f, x, t), .call(g, y, u)): return f == g && x == y && t == u
        case let (.truth(_, l), .truth(_, m)): return l == m
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .field(let i, let n, _): hasher.combine(0); hasher.combine(i); hasher.combine(n)
        case .call(let f, let args, _): hasher.combine(1); hasher.combine(f); hasher.combine(args)
        case .truth(_, let l): hasher.combine(2); hasher.combine(l)
        }
    }

    /// The stored fields this value reads, in order, each once.
    public var fields: [ValueExpr] {
        var out: [ValueExpr] = []
        func walk(_ e: ValueExpr) {
            switch e {
            case .field: if !out.contains(e) { out.append(e) }
            case .call(_, let args, _): args.forEach(walk)
            case .truth(let c, _): for v in c.values { walk(v) }
            }
        }
        walk(self)
        return out
    }
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

    public init(function: String, argument: ValueExpr?) {
        self.function = function
        self.argument = argument
    }

    public var displayName: String {
        guard let argument else { return function }
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

    public init(tableIndex: Int, source: BoundSource, condition: BoundCondition?, mode: Mode, sort: [BoundSortKey], limit: Int?) {
        self.tableIndex = tableIndex
        self.source = source
        self.condition = condition
        self.mode = mode
        self.sort = sort
        self.limit = limit
    }
}
