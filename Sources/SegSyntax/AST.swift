import SegBase
// The syntax tree of seg statements. Value types only; every node carries the source range it
// came from so later stages can point at it. A region that failed to parse becomes `.invalid`.
// `and`/`or` chains are stored flat (an array of terms) so that neither evaluation nor freeing
// recurses once per term.

/// A name as written: a field, table, segment or bare value (`risk`, `clients`, `averse`, `深圳`).
public struct Identifier: Sendable, Hashable {
    public var name: String
    public var range: SourceRange

    public init(name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
}

/// A parsed script: statements in order.
public struct Script: Sendable {
    public var statements: [Statement]

    public init(statements: [Statement]) { self.statements = statements }
}

/// A rule of the call plan: the clients its condition holds for are to be called, for `reason`;
/// a lower `priority` number comes first.
public struct PlanRule: Sendable {
    public var name: Identifier
    public var priority: Int
    public var priorityRange: SourceRange
    public var reason: String
    public var condition: Condition
    public var range: SourceRange

    public init(name: Identifier, priority: Int, priorityRange: SourceRange, reason: String, condition: Condition, range: SourceRange) {
        self.name = name
        self.priority = priority
        self.priorityRange = priorityRange
        self.reason = reason
        self.condition = condition
        self.range = range
    }
}

public enum Statement: Sendable {
    /// `QUERY`
    case query(Query)
    /// `let NAME = QUERY`
    case define(name: Identifier, query: Query, range: SourceRange)
    /// `let field NAME = EXPRESSION` or `let field NAME = LABEL when CONDITION, …, else LABEL`.
    case defineField(name: Identifier, body: FieldBody, range: SourceRange)
    /// `let order risk = averse, conservative, …`: the order of a stored category field's values, lowest first.
    case defineOrder(field: Identifier, labels: [Identifier], range: SourceRange)
    /// `save NAME` (query nil) or `save NAME = QUERY`: write a segment to the library.
    case save(name: Identifier, query: Query?, range: SourceRange)
    /// `drop NAME`: forget a segment in the session and the library.
    case drop(name: Identifier, range: SourceRange)
    /// `segments`: list the segments.
    case listSegments(range: SourceRange)
    /// `param NAME = VALUE`: declare a parameter `$NAME` with a default value (a literal operand).
    case parameter(name: Identifier, value: Operand, range: SourceRange)
    /// `explain QUERY`: the rows left after each top-level condition.
    case explain(Query, range: SourceRange)
    /// `why ID in NAME`: how one client fares against each condition of a segment.
    case why(id: Operand, segment: Identifier, range: SourceRange)
    /// `snapshot NAME`: record the segment's members today.
    case snapshot(name: Identifier, range: SourceRange)
    /// `diff NAME [since DATE]`: who entered and left since a snapshot (`since` is a day number).
    case diff(name: Identifier, since: Int?, range: SourceRange)
    /// `snapshots NAME`: list a segment's stored snapshots.
    case listSnapshots(name: Identifier, range: SourceRange)
    /// `rule NAME priority N reason "TEXT" where CONDITION`: a rule of the call plan (`seg plan`).
    case rule(PlanRule)
    /// A line starting with `.` (`.output list.csv`), as written: the shell runs it.
    case dotCommand(text: String, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .query(let q): return q.range
        case .rule(let r): return r.range
        case .define(_, _, let r), .defineField(_, _, let r), .defineOrder(_, _, let r), .save(_, _, let r), .drop(_, let r), .listSegments(let r),
             .parameter(_, _, let r), .explain(_, let r), .why(_, _, let r), .snapshot(_, let r), .diff(_, _, let r),
             .listSnapshots(_, let r), .dotCommand(_, let r):
            return r
        }
    }
}

/// What a derived field (`let field`) computes for each client.
public enum FieldBody: Sendable {
    /// `assets - loans`, `age(birthday)`: a value.
    case expression(Operand)
    /// `私行 when assets >= 600万, 财富 when assets >= 60万, else 大众`: the label of the first rule
    /// whose condition holds, else the `otherwise` label (none: missing).
    case classification([LabelRule], otherwise: Identifier?, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .expression(let e): return e.range
        case .classification(_, _, let r): return r
        }
    }
}

/// `LABEL when CONDITION` in a classification.
public struct LabelRule: Sendable {
    /// The label as written (a word or a quoted text).
    public var label: Identifier
    public var condition: Condition

    public init(label: Identifier, condition: Condition) {
        self.label = label
        self.condition = condition
    }
}

/// `SOURCE [where CONDITION] {by … | show … | sort by … | limit N | count}`
public struct Query: Sendable {
    public var source: SourceExpr
    public var condition: Condition?
    /// Group keys of `by`; nil when there is no `by` clause.
    public var groupKeys: [Operand]?
    /// Items of `show`; nil when there is no `show` clause (or it is `show all`).
    public var show: [ShowItem]?
    /// `show all`: every field of the source, in table order.
    public var showsAllFields = false
    public var sort: [SortKey]?
    public var limit: Limit?
    /// `having CONDITION`: a condition on each group, over its aggregates and keys.
    public var having: Condition?
    /// Range of the `count` clause when present.
    public var count: SourceRange?
    /// Range of the `chart` clause when present: draw the answer as a bar chart in table format.
    public var chart: SourceRange?
    /// `histogram OPERAND`: the distribution of a number, in bins.
    public var histogram: Histogram?
    public var range: SourceRange

    public init(source: SourceExpr, condition: Condition? = nil, groupKeys: [Operand]? = nil, show: [ShowItem]? = nil,
                sort: [SortKey]? = nil, limit: Limit? = nil, count: SourceRange? = nil, range: SourceRange) {
        self.source = source
        self.condition = condition
        self.groupKeys = groupKeys
        self.show = show
        self.sort = sort
        self.limit = limit
        self.count = count
        self.range = range
    }
}

/// `histogram assets`: counts of the operand's values in bins of equal width.
public struct Histogram: Sendable {
    public var operand: Operand
    /// The word `histogram` and its operand.
    public var range: SourceRange

    public init(operand: Operand, range: SourceRange) {
        self.operand = operand
        self.range = range
    }
}

public struct Limit: Sendable {
    public var value: Int
    public var range: SourceRange
    /// `limit 5 per manager`: the first `value` rows of each group of these keys (nil: of all rows).
    public var per: [Operand]?

    public init(value: Int, range: SourceRange, per: [Operand]? = nil) {
        self.value = value
        self.range = range
        self.per = per
    }
}

public enum SetOperator: String, Sendable {
    case union, intersect, except
}

/// What a query reads: a table or segment, a parenthesised query, or set operations over them.
public indirect enum SourceExpr: Sendable {
    case name(Identifier)
    case parenthesized(Query, range: SourceRange)
    /// `a union b except c`: applied left to right (all set operators share one precedence).
    case setOperation(first: SourceExpr, rest: [(SetOperator, SourceExpr)], range: SourceRange)
    case invalid(SourceRange)

    public var range: SourceRange {
        switch self {
        case .name(let id): return id.range
        case .parenthesized(_, let r), .setOperation(_, _, let r), .invalid(let r): return r
        }
    }
}

public indirect enum Condition: Sendable {
    case and([Condition], range: SourceRange)
    case or([Condition], range: SourceRange)
    case not(Condition, range: SourceRange)
    case predicate(Predicate)
    /// `in NAME`: membership in a segment or table.
    case membership(Identifier, range: SourceRange)
    /// `has holdings where …` (`any` true) / `no contacts where …` (`any` false): whether the
    /// row has related rows that match.
    case related(any: Bool, RelatedRows, range: SourceRange)
    case invalid(SourceRange)

    public var range: SourceRange {
        switch self {
        case .and(_, let r), .or(_, let r), .not(_, let r), .membership(_, let r), .related(_, _, let r): return r
        case .predicate(let p): return p.range
        case .invalid(let r): return r
        }
    }
}

public enum ComparisonOperator: String, Sendable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// The operator with its sides swapped (`1m < assets` is `assets > 1m`).
    public var flipped: ComparisonOperator {
        switch self {
        case .equal, .notEqual: return self
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        }
    }

    /// Whether `a op b` holds, given `order`: negative when a < b, 0 when equal, positive when a > b.
    @inlinable
    public func holds(order: Int) -> Bool {
        switch self {
        case .equal: return order == 0
        case .notEqual: return order != 0
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }
}

public enum DateUnit: String, Sendable {
    case days, weeks, months, years
}

/// `LHS <test>`: one comparison of an operand.
public struct Predicate: Sendable {
    public var lhs: Operand
    public var test: Test
    public var range: SourceRange

    public init(lhs: Operand, test: Test, range: SourceRange) {
        self.lhs = lhs
        self.test = test
        self.range = range
    }

    public enum Test: Sendable {
        case compare(ComparisonOperator, Operand, operatorRange: SourceRange)
        case inList([Operand], negated: Bool)
        case between(Operand, Operand, negated: Bool)
        /// `has X`
        case has(Operand)
        case hasAny([Operand])
        case hasAll([Operand])
        case like(Operand, negated: Bool)
        /// `~ "regex"`
        case matches(Operand)
        case contains(Operand, negated: Bool)
        case isEmpty(negated: Bool)
        case before(Operand)
        case after(Operand)
        /// `in last N units` (today - N units … today, inclusive)
        case inLast(Int, DateUnit, range: SourceRange)
        /// `in next N units` (today … today + N units, inclusive)
        case inNext(Int, DateUnit, range: SourceRange)
    }
}

/// An exact number as written: value = mantissa / 10^scale, suffixes (k, m, b, 万, 亿) already applied.
public struct NumberLiteral: Sendable, Hashable {
    public var mantissa: Int64
    public var scale: Int
    public var range: SourceRange

    public init(mantissa: Int64, scale: Int, range: SourceRange) {
        self.mantissa = mantissa
        self.scale = scale
        self.range = range
    }
}

/// `+ - * /`
public enum ArithmeticOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"

    /// Binding strength: `*` and `/` bind tighter than `+` and `-`.
    public var precedence: Int { self == .add || self == .subtract ? 1 : 2 }
}

/// Rows of a related table, as an aggregate's argument or after `has` / `no`: `holdings`,
/// `holdings.amount`, each with an optional `where CONDITION` on the related rows.
public struct RelatedRows: Sendable {
    public var table: Identifier
    /// The field an aggregate reads (`sum(holdings.amount …)`); nil for `count(holdings …)`, `has`, `no`.
    public var field: Identifier?
    public var condition: Condition?
    public var range: SourceRange

    public init(table: Identifier, field: Identifier?, condition: Condition?, range: SourceRange) {
        self.table = table
        self.field = field
        self.condition = condition
        self.range = range
    }
}

public indirect enum Operand: Sendable {
    /// A field, or a bare value when compared with a category or tag field; the resolver decides.
    case name(Identifier)
    case number(NumberLiteral)
    case string(String, range: SourceRange)
    /// A `YYYY-MM-DD` literal as a day number.
    case date(Int, range: SourceRange)
    case today(range: SourceRange)
    case yesterday(range: SourceRange)
    /// `N units ago`
    case ago(Int, DateUnit, range: SourceRange)
    /// `N units` added to or taken from a date (`birthday + 30 days`).
    case span(Int, DateUnit, range: SourceRange)
    /// `a + b`, `a - b`, `a * b`, `a / b`
    case arithmetic(ArithmeticOperator, Operand, Operand, range: SourceRange)
    /// `-a`
    case negate(Operand, range: SourceRange)
    /// `( a )`, kept so a message can point at the whole of it
    case parenthesized(Operand, range: SourceRange)
    /// `$name`
    case parameter(Identifier)
    /// `name(args)`: functions (`days_since`, `anniversary`) and aggregates (`sum`, `avg`, `min`, `max`, `count`).
    /// `count` written alone is a call with no arguments.
    case call(Identifier, [Operand], range: SourceRange)
    /// `client.tier`, `holdings.amount`: a field of a linked table, as written (`a.b`).
    case qualified(Identifier, Identifier, range: SourceRange)
    /// `holdings.amount where kind = fund` inside an aggregate's parentheses.
    case related(RelatedRows)
    case invalid(SourceRange)

    /// The operand inside any parentheses.
    public var unwrapped: Operand {
        if case .parenthesized(let inner, _) = self { return inner.unwrapped }
        return self
    }

    public var range: SourceRange {
        switch self {
        case .name(let id), .parameter(let id): return id.range
        case .number(let n): return n.range
        case .string(_, let r), .date(_, let r), .today(let r), .yesterday(let r), .ago(_, _, let r), .span(_, _, let r),
             .call(_, _, let r), .arithmetic(_, _, _, let r), .negate(_, let r), .parenthesized(_, let r), .invalid(let r),
             .qualified(_, _, let r):
            return r
        case .related(let rows): return rows.range
        }
    }
}

public struct ShowItem: Sendable {
    public var operand: Operand
    /// `show EXPR as NAME`: the column's heading.
    public var alias: Identifier?
    public var range: SourceRange { alias.map { SourceRange.covering(operand.range, $0.range) } ?? operand.range }

    public init(operand: Operand, alias: Identifier? = nil) {
        self.operand = operand
        self.alias = alias
    }
}

public struct SortKey: Sendable {
    public var operand: Operand
    public var descending: Bool
    public var range: SourceRange

    public init(operand: Operand, descending: Bool, range: SourceRange) {
        self.operand = operand
        self.descending = descending
        self.range = range
    }
}
