// The resolver's messages: names, types and values in a statement, each with "did you mean"
// when a real one is close.

/// Where a value stands in a query, for "it cannot be …" messages.
public enum QueryRole: Sendable, Equatable {
    case byKey, sortKey, shownColumn

    var english: String {
        switch self {
        case .byKey: return "a 'by' key"
        case .sortKey: return "a sort key"
        case .shownColumn: return "a shown column"
        }
    }
}

/// What a place in a query wanted when it found an unknown word.
public enum Wanted: Sendable, Equatable {
    case fieldToTest
    case argument(ArgumentKind)
    case field(as: QueryRole)
    case byKeyOrAggregate

    var english: String {
        switch self {
        case .fieldToTest: return "a field to test"
        case .argument(let kind): return kind.english
        case .field(let role): return "a field as \(role.english)"
        case .byKeyOrAggregate: return "a 'by' key or an aggregate"
        }
    }
}

/// A literal as a type mismatch names it.
public enum LiteralKind: Sendable, Equatable {
    case text(String)
    case number
    case date
    case span(String)
    case other

    var english: String {
        switch self {
        case .text(let s): return "the text \"\(s)\""
        case .number: return "a number"
        case .date: return "a date"
        case .span(let text): return "the span of time '\(text)' (add it to a date: 'birthday + \(text)')"
        case .other: return "this value"
        }
    }
}

/// What ends a query that should be a set of rows.
public enum RowSetSource: Sendable, Equatable {
    case parenthesized
    case segment(String)

    var english: String {
        switch self {
        case .parenthesized: return "a query in parentheses"
        case .segment(let name): return "segment '\(name)'"
        }
    }
}

extension ArgumentKind {
    /// `a date field`, as messages and help name it.
    public var english: String {
        switch self {
        case .date: return "a date field"
        case .number: return "a number field"
        case .orderable, .any: return "a field"
        case .text: return "a text field"
        case .wholeNumber: return "a whole number"
        }
    }
}

/// ` (the book has 'é' written with other Unicode code points: U+00E9, not U+0065 U+0301; …)`.
func lookalikeNote(_ typed: String, _ twin: String) -> String {
    " (the book has '\(twin)' written with other Unicode code points: \(codePoints(twin)), not \(codePoints(typed)); seg compares text byte for byte)"
}

/// `U+00E9 U+0301`
func codePoints(_ s: String) -> String {
    s.unicodeScalars.map { scalar in
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }.joined(separator: " ")
}

/// A relative date beyond the dates seg handles: the span as written (and the parameter's value).
public struct DateOverflow: Sendable, Equatable {
    public enum Place: Sendable, Equatable { case asWritten, beforeToday, afterToday }
    public var written: String
    public var parameter: String?
    public var place: Place
    /// Before the earliest date (else after the latest).
    public var earliest: Bool
    public var limit: String
    public var today: String

    public init(written: String, parameter: String?, place: Place, earliest: Bool, limit: String, today: String) {
        self.written = written
        self.parameter = parameter
        self.place = place
        self.earliest = earliest
        self.limit = limit
        self.today = today
    }

    var english: String {
        let what = "'\(written)'" + (parameter.map { " (\($0))" } ?? "")
        let where_: String
        switch place {
        case .asWritten: where_ = ""
        case .beforeToday: where_ = " before today"
        case .afterToday: where_ = " after today"
        }
        let bound = earliest ? "before \(limit), the earliest" : "after \(limit), the latest"
        return "\(what)\(where_) falls \(bound) date seg handles (today is \(today))"
    }
}

/// How a query would order a text column as if it held numbers or dates.
public enum TextOrdering: Sendable, Equatable {
    /// `assets > 1m`, `opened between 2024-01-01 and …`: an operator against a number or a date.
    case compared(op: String, literal: LiteralKind)
    /// `sort by assets`.
    case sorted
    /// `max(assets)`.
    case aggregated(String)

    /// Whether the column was meant to hold dates rather than numbers.
    var wantsDates: Bool {
        if case .compared(_, .date) = self { return true }
        return false
    }
}

/// The stored column a value of a statement was looked up in: the table and the column as the
/// table spells them. For a related field (`client.tier`, `latest contacts.outcome`) it is the
/// other table's column, which the field's name only shows through its link.
public struct StoredColumn: Sendable, Hashable {
    public var table: String
    public var column: String

    public init(table: String, column: String) {
        self.table = table
        self.column = column
    }
}

public enum QueryMessage: Sendable, Equatable {
    /// A text or category column ordered as if it held numbers or dates: the answer would be in
    /// text order, so seg refuses and says why the column is text.
    case textOrdered(field: String, type: FieldType, use: TextOrdering, profile: ValueProfile?)
    case showAllWithGroups
    case countWithGroups
    case unknownSource(String, suggestion: String?)
    // Related tables (`has holdings where …`, `count(…)`, `client.tier`)
    case notRelated(String, to: String, related: [String])
    case relatedFunction(String, suggestion: String?)
    /// `clients by tier show avg(holdings.amount)`: a client's average is not summed over a group.
    case relatedAggregateInGroups(String, function: String)
    case relatedNeedsField(String)
    case relatedCountOfField(String)
    case relatedRowsAsValue(String)
    case latestNeedsDate(table: String)
    case outerFieldInRelated(String, outer: String, link: String, related: String)
    case ambiguousParentField(String, among: [String])
    case relatedOutsideAggregate(String)
    case unknownLinkedTable(String, suggestion: String?)
    /// `cannot union rows of 'a' with rows of 'b'`.
    case setOfOtherTable(operation: String, table: String, other: String)
    case invalidSource
    case invalidCondition
    case segmentsTooDeep(limit: Int)
    case segmentDefinedByItself(String)
    case segmentCycle([String])
    case countNotRows(RowSetSource)
    case groupsNotRows(RowSetSource)
    /// `histogram name`: a histogram counts the values of a number.
    case histogramNeedsNumber(String, type: FieldType)
    /// `histogram assets` with `by`, `show`, `sort by` …: the bins are the groups.
    case histogramWith(clause: String)
    /// `count chart`: a count is one number.
    case chartOfCount
    /// `let h = clients histogram assets`: bins are no set of clients.
    case histogramNotRows
    /// `histogram assets` while assets is masked.
    case histogramOfMasked(String)
    case segmentOfOtherTable(segment: String, table: String, other: String)
    case aggregateInCondition(String)
    case unknownFunction(String, suggestion: String?)
    /// `'days_since' takes one date field, found 2 arguments`.
    case functionArity(function: String, arguments: [ArgumentKind], found: Int)
    case argumentType(function: String, wanted: ArgumentKind, field: String, type: FieldType)
    case unknownField(String, suggestion: String?)
    case expectedOperand(Wanted)
    case tagFieldCompared(field: String)
    case tagFieldInList(field: String)
    case invalidRegex(pattern: String, reason: PatternMessage?)
    case dateTestOnOther(field: String, type: FieldType)
    case rangeTestOnOther(field: String, type: FieldType)
    case incomparableFields(String, FieldType, String, FieldType)
    /// `'like' tests text; 'age' is an integer field`.
    case textTestOnOther(keyword: String, field: String, type: FieldType)
    case expectedQuotedString(after: String)
    case tagFieldEquality(field: String)
    /// `in`: the stored column the value was looked up in (nil for a classification's labels); not
    /// shown, it tells a database whose values are a sample where to look the value up.
    case unknownValue(String, field: String, suggestion: String?, lookalike: String?, in: StoredColumn?)
    case notADate(field: String, text: String)
    case compareDateWith(field: String)
    /// An unknown word where a field or a value of `type` could stand.
    case unknownFieldOrValue(String, field: String, type: FieldType)
    case typeMismatch(field: String, type: FieldType, literal: LiteralKind)
    case tagTestOnOther(keyword: String, field: String, type: FieldType)
    case expectedTag(after: String)
    /// `in`: as for `unknownValue`.
    case unknownTag(String, field: String, suggestion: String?, lookalike: String?, in: StoredColumn?)
    case aggregateInList(String, role: QueryRole)
    case aggregateArity(String, found: Int)
    case aggregateType(String, wanted: ArgumentKind, field: String, type: FieldType)
    case aggregateCannotOrder(String)
    case notAByKey(String, aggregates: [String])
    case unknownParameter(String, suggestion: String?)
    case tableNotSegment(String)
    case segmentNamedLikeTable(String)
    case unknownSegment(String, suggestion: String?)
    case noClient(id: String, table: String)
    /// `table 'x' has no 'id' column to find a client by` (`snapshots`: snapshots identify clients by id).
    case noIDColumn(table: String, snapshots: Bool, names: [String])
    case unknownKeyColumn(String, table: String, suggestion: String?)
    case aggregateTooLarge(String, field: String)
    case dateOutOfRange(DateOverflow)
    /// `'+' works on numbers; 'name' is a text field`
    case arithmeticOnType(operation: String, field: String, type: FieldType)
    case textInArithmetic(String)
    /// `30 days` where no date takes it.
    case spanWithoutDate(String)
    case spanTooLong(String)
    case dateArithmetic(operation: String)
    case tooManyDecimals(String)
    /// A computed value left the range of exact 64-bit numbers.
    case arithmeticOverflow(String)
    case wholeNumberArgument(function: String)
    case argumentsDisagree(function: String, types: [FieldType])
    case roundPlaces(function: String)
    /// `anniversary` when today is in the last year seg handles: the next one could fall beyond it.
    case anniversaryBeyondRange(today: String, last: String)
    /// `let field assets = …` where the table has a field `assets`.
    case fieldNamedLikeStored(String, table: String)
    /// A name used by a segment and a derived field at once.
    case fieldNamedLikeSegment(String)
    case segmentNamedLikeField(String)
    /// `band(x)`, or thresholds that are not rising numbers.
    case bandArguments
    /// `pct(assets)`: pct takes an aggregate.
    case shareArgument
    /// `having pct(count) > 10`
    case shareInHaving
    /// `by products having products has fund`
    case havingOnTagKey(String)
    /// `quantile(x)`, or a fraction that is not written out from 0 to 1 with at most `maxScale` decimals.
    case quantileFraction(maxScale: Int)
    /// `by … limit 5 per x`: groups are not limited per group.
    case limitPerOnGroups
    /// `having assets > 1m`: a field that is neither a by key nor inside an aggregate.
    case havingNeedsAggregate(String)
    case havingWithoutGroups
    case fieldDefinedByItself(String)
    case fieldCycle([String])
    /// Two rules of one classification give the same label.
    case labelTwice(String, field: String)
    /// `aum_tier >= 财富` on a classification whose rules are not thresholds on one value.
    case labelsHaveNoOrder(field: String, operation: String)
    /// `--order assets=…`: only a category's values can be ordered.
    case orderOnNonCategory(field: String, type: FieldType)
    case orderValueTwice(String, field: String)
    /// The order leaves out values the field holds (a client with one would have no rank).
    case orderLeavesOut(field: String, values: [String])
    /// `product_risk > risk_level` between orders of different lengths.
    case orderedFieldsDiffer(String, levels: Int, String, otherLevels: Int)

    var english: String {
        switch self {
        case .textOrdered(let field, let type, let use, let profile):
            return textOrderedEnglish(field: field, type: type, use: use, profile: profile)
        case .showAllWithGroups: return "'show all' lists every field; with 'by' or 'count' show keys or aggregates"
        case .countWithGroups: return "'count' with 'by' or aggregates is written as 'show count'"
        case .unknownSource(let name, let s): return "unknown table or segment '\(name)'\(didYouMean(s))"
        case .notRelated(let name, let table, let related):
            let linked = related.isEmpty ? "no table is linked to \(table)" : "tables linked to \(table): \(related.joined(separator: ", "))"
            return "'\(name)' is not linked to \(table) (\(linked)); --link \(name).FIELD=\(table).KEY links it"
        case .relatedFunction(let f, let s):
            return "'\(f)' over related rows\(didYouMean(s)): seg computes count, sum, avg, median, min, max and latest there (count(holdings where …), sum(holdings.amount where …), avg(holdings.amount where …), latest contacts.outcome)"
        case .relatedAggregateInGroups(let what, let f):
            return "'\(what)' is each client's \(f) over its related rows, which does not add up over a group: in groups show count(…), sum(…), min(…) or max(…) of related rows; \(f)(…) works without 'by'"
        case .relatedNeedsField(let f): return "\(f) over related rows needs their field: \(f)(holdings.amount where …)"
        case .relatedCountOfField(let what): return "count counts related rows: write count(\(what.split(separator: ".").first.map(String.init) ?? what) where …), or test the field in its condition"
        case .relatedRowsAsValue(let what):
            return "'\(what)' holds many values for one row here: use sum(\(what)), min(…), max(…), latest \(what), or count(… where …)"
        case .latestNeedsDate(let table): return "latest needs a date field in \(table) to order its rows; it has none"
        case .outerFieldInRelated(let field, let outer, let link, let related):
            return "'\(field)' is a field of \(outer), not of \(related): the condition after 'where' runs to its end; write \(link).\(field), or close the related part in parentheses: (has \(related) where …) and \(field) …"
        case .ambiguousParentField(let field, let among):
            return "'\(field)' is a field of \(among.joined(separator: " and ")): write \(among.map { "\($0).\(field)" }.joined(separator: " or "))"
        case .relatedOutsideAggregate(let what):
            return "'\(what) where …' is rows of a related table: use it after has or no, or inside count(…), sum(…), min(…), max(…), latest(…)"
        case .unknownLinkedTable(let name, let s): return "no table is linked as '\(name)'\(didYouMean(s))"
        case .setOfOtherTable(let op, let table, let other): return "cannot \(op) rows of '\(table)' with rows of '\(other)'"
        case .invalidSource: return "invalid source"
        case .invalidCondition: return "invalid condition"
        case .segmentsTooDeep(let limit): return "segments refer to segments more than \(limit) levels deep"
        case .segmentDefinedByItself(let name): return "segment '\(name)' cannot be defined in terms of itself; choose a new name"
        case .segmentCycle(let names): return "segments refer to each other in a cycle: \(names.joined(separator: " → "))"
        case .countNotRows(let what): return "\(what.english) ends in 'count', so it is a number, not a set of rows"
        case .groupsNotRows(let what): return "\(what.english) groups rows with 'by' or aggregates, so it is not a set of rows"
        case .histogramNeedsNumber(let operand, let type):
            return "a histogram counts numbers in bins; '\(operand)' is \(type.withArticle) (try 'by \(operand) chart')"
        case .histogramWith(let clause):
            return "'histogram' makes its own groups (the bins), so it cannot go with '\(clause)'; narrow the clients with 'where'"
        case .histogramOfMasked(let operand):
            return "'\(operand)' reads a masked field, so its values are not shown, in a histogram either (.mask off shows them)"
        case .histogramNotRows:
            return "'histogram' gives bins, not clients: it ends a statement, not a segment or a query inside another"
        case .chartOfCount: return "'count' gives one number, which 'chart' cannot draw; chart a 'by' result, as in 'clients by tier chart'"
        case .segmentOfOtherTable(let segment, let table, let other): return "'\(segment)' holds rows of '\(table)', not of '\(other)'"
        case .aggregateInCondition(let name): return "aggregate '\(name)' cannot be used in a condition; use it in 'show' with 'by'"
        case .unknownFunction(let name, let s): return "unknown function '\(name)'\(didYouMean(s))"
        case .functionArity(let function, let arguments, let found):
            if arguments.count == 1 { return "'\(function)' takes one \(arguments[0].english.dropFirst(2)), found \(found) arguments" }
            return "'\(function)' takes \(arguments.count) arguments (\(arguments.map(\.english).joined(separator: ", "))), found \(found)"
        case .argumentType(let function, let wanted, let field, let type):
            return "'\(function)' needs \(wanted.english); '\(field)' is \(type.withArticle)"
        case .unknownField(let name, let s): return "unknown field '\(name)'\(didYouMean(s))"
        case .expectedOperand(let wanted): return "expected \(wanted.english)"
        case .tagFieldCompared(let field): return "'\(field)' is a tag field; test it with 'has', 'has any (…)' or 'has all (…)'"
        case .tagFieldInList(let field): return "'\(field)' is a tag field; test it with 'has any (…)'"
        case .invalidRegex(let pattern, let reason):
            return "invalid regular expression \"\(pattern)\"" + (reason.map { ": \($0.english)" } ?? "")
        case .dateTestOnOther(let field, let type): return "'before' and 'after' compare dates; '\(field)' is \(type.withArticle)"
        case .rangeTestOnOther(let field, let type): return "'in last/next …' tests dates; '\(field)' is \(type.withArticle)"
        case .incomparableFields(let a, let at, let b, let bt): return "cannot compare '\(a)' (\(at.rawValue)) with '\(b)' (\(bt.rawValue))"
        case .textTestOnOther(let keyword, let field, let type):
            let hint = type == .tags ? "; test it with 'has', 'has any (…)' or 'has all (…)'" : ""
            return "'\(keyword)' tests text; '\(field)' is \(type.withArticle)\(hint)"
        case .expectedQuotedString(let keyword): return "expected a quoted string after '\(keyword)'"
        case .tagFieldEquality(let field): return "'\(field)' is a tag field; test it with 'has'"
        case .unknownValue(let value, let field, let s, let twin, _):
            return "unknown value '\(value)' for field '\(field)'" + (twin.map { lookalikeNote(value, $0) } ?? didYouMean(s))
        case .notADate(let field, let text): return "'\(field)' is a date; \"\(text)\" is not a date like 2026-01-31"
        case .compareDateWith(let field): return "'\(field)' is a date; compare it with a date like 2026-01-31, today or 6 months ago"
        case .unknownFieldOrValue(let word, let field, let type):
            let expected: String
            switch type {
            case .integer, .decimal: expected = "a number"
            case .date: expected = "a date"
            case .boolean: expected = "true or false"
            default: expected = "a value"
            }
            return "unknown field '\(word)'; compare '\(field)' (\(type.withArticle)) with \(expected) or another field"
        case .typeMismatch(let field, let type, let literal):
            return "type mismatch: '\(field)' is \(type.withArticle) and cannot be compared with \(literal.english)"
        case .tagTestOnOther(let keyword, let field, let type): return "'\(keyword)' tests a tag field; '\(field)' is \(type.withArticle)"
        case .expectedTag(let keyword): return "expected a tag name after '\(keyword)'"
        case .unknownTag(let tag, let field, let s, let twin, _):
            return "no client has '\(tag)' in '\(field)'" + (twin.map { lookalikeNote(tag, $0) } ?? didYouMean(s))
        case .aggregateInList(let name, let role):
            return "aggregate '\(name)' needs 'by' or other aggregates; it cannot be \(role.english) of a list"
        case .aggregateArity(let name, let found): return "'\(name)' takes one field, found \(found) arguments"
        case .aggregateType(let name, let wanted, let field, let type):
            return "'\(name)' needs \(wanted.english); '\(field)' is \(type.withArticle)"
        case .aggregateCannotOrder(let name): return "'\(name)' cannot order a tag field"
        case .notAByKey(let name, let aggregates):
            return "'\(name)' is not a 'by' key; show keys or aggregates (\(aggregates.joined(separator: ", ")))"
        case .unknownParameter(let name, let s):
            return "unknown parameter '$\(name)'\(didYouMean(s)); declare it with 'param \(name) = VALUE' or give --param \(name)=VALUE"
        case .tableNotSegment(let name): return "'\(name)' is a table, not a segment"
        case .segmentNamedLikeTable(let name): return "'\(name)' is a table; choose another name for the segment"
        case .fieldNamedLikeStored(let name, let table):
            return "'\(name)' is already a field of '\(table)'; choose another name for the derived field"
        case .fieldNamedLikeSegment(let name): return "'\(name)' is a segment; a derived field needs a name of its own"
        case .havingNeedsAggregate(let field):
            return "'having' tests each group, so it needs an aggregate (count, sum(\(field)), avg(\(field)) …) or a 'by' key, not \(quoted(field)); a condition on each client goes in 'where'"
        case .havingWithoutGroups: return "'having' tests groups: use it after 'by' or with aggregates in 'show'"
        case .limitPerOnGroups:
            return "'limit … per' keeps the first rows of each group of a list; with 'by', sort the groups and use 'limit N'"
        case .quantileFraction(let maxScale):
            return "quantile takes a field and a fraction from 0 to 1 written out with at most \(maxScale) decimals, as in quantile(assets, 0.9)"
        case .havingOnTagKey(let field):
            return "'having' cannot test the tag key '\(field)' (each group is one tag); test the tags in 'where', as in \(field) has …"
        case .shareArgument: return "pct takes one aggregate, as in pct(count) or pct(sum(assets))"
        case .shareInHaving: return "pct is a share of the groups that 'having' keeps, so 'having' cannot test it; test the aggregate itself"
        case .bandArguments:
            return "band takes a number and rising thresholds written as numbers, as in band(assets, 5万, 60万, 600万)"
        case .segmentNamedLikeField(let name): return "'\(name)' is a derived field; choose another name for the segment"
        case .fieldDefinedByItself(let name): return "field '\(name)' cannot be defined in terms of itself"
        case .fieldCycle(let names): return "derived fields refer to each other in a cycle: \(names.joined(separator: " → "))"
        case .labelTwice(let label, let field):
            return "label \(quoted(label)) is given twice in '\(field)'; join its conditions with 'or' in one rule"
        case .labelsHaveNoOrder(let field, let operation):
            return "'\(field)' has no order for '\(operation)': its rules are not thresholds on one value (as in 'A when assets >= 600万, B when assets >= 60万'); compare with '=' or 'in (…)' (a stored category takes an order with --order or 'let order FIELD = LOW, …, HIGH')"
        case .orderOnNonCategory(let field, let type):
            return "'\(field)' is \(type.withArticle); --order and 'let order' list the values of a category field, lowest first"
        case .orderValueTwice(let value, let field):
            return "value \(quoted(value)) is given twice in the order of '\(field)'; give each value once, lowest first"
        case .orderLeavesOut(let field, let values):
            return "the order of '\(field)' leaves out \(values.count == 1 ? "its value" : "its values") \(values.prefix(5).map(quoted).joined(separator: ", "))\(values.count > 5 ? " and \(values.count - 5) more" : ""); list every value of the field, lowest first"
        case .orderedFieldsDiffer(let a, let n, let b, let m):
            return "'\(a)' has \(n) levels and '\(b)' has \(m): ordered fields compare level by level, so they need the same number of levels"
        case .unknownSegment(let name, let s): return "unknown segment '\(name)'\(didYouMean(s))"
        case .noClient(let id, let table): return "no client with id '\(id)' in '\(table)'"
        case .noIDColumn(let table, let snapshots, let names):
            return "table '\(table)' has no column that identifies clients (" + names.map { "'\($0)'" }.joined(separator: ", ")
                + ")" + (snapshots ? "; snapshots match clients by it" : "") + "; name one with --key COLUMN"
        case .unknownKeyColumn(let key, let table, let s):
            return "--key names '\(key)', but table '\(table)' has no such column\(didYouMean(s))"
        case .anniversaryBeyondRange(let today, let last):
            return "'anniversary' can fall in the year after today (\(today)), beyond \(last), the latest date seg handles"
        case .dateOutOfRange(let overflow): return overflow.english
        case .arithmeticOnType(let op, let field, let type):
            return "'\(op)' works on numbers (and '+' '-' on dates); '\(field)' is \(type.withArticle)"
        case .textInArithmetic(let text): return "the text \"\(text)\" cannot take part in arithmetic"
        case .spanWithoutDate(let span): return "'\(span)' is a span of time: add it to a date or take it from one, as in 'birthday + \(span)'"
        case .spanTooLong(let span): return "'\(span)' is longer than the 10,000 years of dates seg handles"
        case .dateArithmetic(let op):
            return "'\(op)' with a date: a date takes a span ('opened + 30 days'), and two dates give the days between ('today - birthday')"
        case .tooManyDecimals(let expression): return "'\(expression)' would have more than 18 decimal places; round a factor first"
        case .wholeNumberArgument(let function): return "'\(function)' takes a whole number written out here, such as 2"
        case .argumentsDisagree(let function, let types):
            return "'\(function)' takes values of one kind; these are \(types.map(\.withArticle).joined(separator: " and "))"
        case .roundPlaces(let function): return "'\(function)' rounds to 0 to 18 decimal places"
        case .arithmeticOverflow(let expression): return "'\(expression)' is too large for exact 64-bit arithmetic in some row"
        case .aggregateTooLarge(let name, let field): return "the \(name) of '\(field)' is too large for 64-bit exact arithmetic"
        }
    }
}

/// What a "text ordered as numbers" message says, in any language: whether the column was meant
/// to hold dates or numbers, the type to load it as, and the counts with a first bad value when
/// some values did read as wanted.
struct TextOrderedFacts {
    let dates: Bool
    var wanted: String { dates ? "date" : "decimal" }
    /// Values that are not numbers (dates), of `present`, with the first of them.
    let counts: (bad: Int, present: Int, example: ValueProfile.Example)?

    init(use: TextOrdering, profile: ValueProfile?) {
        dates = use.wantsDates || (profile.map { $0.mostlyDates && !$0.mostlyNumbers } ?? false)
        if let profile, let example = dates ? profile.notDate : profile.notNumber, (dates ? profile.dates : profile.numbers) > 0 {
            counts = (profile.present - (dates ? profile.dates : profile.numbers), profile.present, example)
        } else {
            counts = nil
        }
    }
}

/// `'assets' is text: 2 of 2,000 values are not numbers, e.g. line 17 '--'; use --type assets=decimal or --na '--'`.
func textOrderedEnglish(field: String, type: FieldType, use: TextOrdering, profile: ValueProfile?) -> String {
    let facts = TextOrderedFacts(use: use, profile: profile)
    let kind = type == .category ? "a category field" : "text"
    let what: String
    switch use {
    case .compared(let op, let literal): what = "'\(op)' would compare it with \(literal.english) as text"
    case .sorted: what = "'sort by' would order it as text"
    case .aggregated(let name): what = "'\(name)' would order it as text"
    }
    if let (bad, present, example) = facts.counts {
        let place = example.line.map { "line \($0) " } ?? ""
        return "'\(field)' is \(kind): \(grouped(bad)) of \(grouped(present)) values are not \(facts.dates ? "dates" : "numbers"), "
            + "e.g. \(place)'\(example.text)', so \(what); use --type \(field)=\(facts.wanted) or --na '\(example.text)'"
    }
    return "'\(field)' is \(kind), so \(what); write the value in quotes to compare text, "
        + "or load the column with --type \(field)=\(facts.wanted)"
}
