// The resolved form of a query: every name bound to a column, segment or table, every literal
// converted to the type it is compared with. The engine runs this form; it never sees names.

/// A per-row value: a stored column, or a function of one computed for the whole column.
public indirect enum ValueExpr: Sendable, Hashable {
    case field(index: Int, name: String, type: FieldType)
    /// `days_since(date)`: whole days from the date to today (integer).
    case daysSince(ValueExpr)
    /// `anniversary(date)`: the next yearly recurrence on or after today (date).
    case anniversary(ValueExpr)

    public var type: FieldType {
        switch self {
        case .field(_, _, let t): return t
        case .daysSince: return .integer
        case .anniversary: return .date
        }
    }

    /// The heading it gets in results: `assets`, `days_since(last_contact)`.
    public var displayName: String {
        switch self {
        case .field(_, let name, _): return name
        case .daysSince(let e): return "days_since(\(e.displayName))"
        case .anniversary(let e): return "anniversary(\(e.displayName))"
        }
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
}

public enum AggregateKind: String, Sendable {
    case count, sum, avg, min, max
}

public struct AggregateExpr: Sendable, Hashable {
    public var kind: AggregateKind
    /// nil for `count`.
    public var argument: ValueExpr?

    public var displayName: String {
        guard let argument else { return kind.rawValue }
        return "\(kind.rawValue)(\(argument.displayName))"
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
}
