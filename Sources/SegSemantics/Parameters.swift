import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
// Parameters of saved scripts: `param min_assets = 1m` declares `$min_assets` with a default,
// `--param min_assets=5m` overrides it. Before a query is resolved each `$name` is replaced by its
// value as a literal operand at the parameter's place, so types, "did you mean" and category
// checks work exactly as for a literal written there.

/// The value of a `$name` parameter: a literal operand and the text it was written in.
public struct ParameterValue: Sendable {
    public var name: String
    public var value: Operand
    /// The text `value`'s range points into (a `param` statement or a `--param` argument).
    public var source: Source

    public init(name: String, value: Operand, source: Source) {
        self.name = name
        self.value = value
        self.source = source
    }

    /// Given with `--param` (see `parse(argument:)`), not declared by a `param` statement.
    public var isFromCommandLine: Bool { source.name.hasPrefix("--param ") }

    /// The value as written (`5m`, `"Li Na"`).
    public var text: String { source.slice(value.range) }

    /// Reads `--param NAME=VALUE`: the value is lexed as one literal (`5m`, `2026-01-31`, `averse`, `"Li Na"`).
    public static func parse(argument: String) throws -> ParameterValue {
        guard let eq = argument.firstIndex(of: "=") else {
            throw SegError(.usage, .usage(.parameterSpec(argument)))
        }
        var name = String(argument[..<eq])
        if name.hasPrefix("$") { name.removeFirst() }
        let validName = !name.isEmpty && name.unicodeScalars.first.map { $0 == "_" || $0.properties.isAlphabetic } == true
            && name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil }
        guard validName else {
            throw SegError(.usage, .usage(.parameterName(name)))
        }
        let source = Source(name: "--param \(name)", text: String(argument[argument.index(after: eq)...]))
        let (value, errors) = Parser.parseLiteral(source)
        guard let value else {
            let first = errors.first
            throw SegError(.usage, .usage(.parameterValue(name: name, reason: first?.diagnostic)), source: source, range: first?.range)
        }
        return ParameterValue(name: name, value: value, source: source)
    }
}

extension Resolver {
    /// `query` with every `$name` replaced by its value; an unknown parameter is an error at its place.
    mutating func substituteParameters(_ query: Query) throws -> Query {
        var q = query
        q.source = try substitute(query.source)
        q.condition = try query.condition.map { try substitute($0) }
        q.groupKeys = try query.groupKeys?.map { try substitute($0) }
        q.show = try query.show?.map { ShowItem(operand: try substitute($0.operand), alias: $0.alias) }
        q.sort = try query.sort?.map { SortKey(operand: try substitute($0.operand), descending: $0.descending, range: $0.range) }
        return q
    }

    private mutating func substitute(_ source: SourceExpr) throws -> SourceExpr {
        switch source {
        case .name, .invalid: return source
        case .parenthesized(let q, let range): return .parenthesized(try substituteParameters(q), range: range)
        case .setOperation(let first, let rest, let range):
            return .setOperation(first: try substitute(first), rest: try rest.map { ($0.0, try substitute($0.1)) }, range: range)
        }
    }

    private mutating func substitute(_ condition: Condition) throws -> Condition {
        switch condition {
        case .and(let terms, let range): return .and(try terms.map { try substitute($0) }, range: range)
        case .or(let terms, let range): return .or(try terms.map { try substitute($0) }, range: range)
        case .not(let inner, let range): return .not(try substitute(inner), range: range)
        case .membership, .invalid: return condition
        case .related(let any, let rows, let range):
            return .related(any: any, try substitute(rows), range: range)
        case .predicate(let p):
            var out = p
            out.lhs = try substitute(p.lhs)
            switch p.test {
            case .compare(let op, let rhs, let r): out.test = .compare(op, try substitute(rhs), operatorRange: r)
            case .inList(let items, let negated): out.test = .inList(try items.map { try substitute($0) }, negated: negated)
            case .between(let lo, let hi, let negated): out.test = .between(try substitute(lo), try substitute(hi), negated: negated)
            case .has(let x): out.test = .has(try substitute(x))
            case .hasAny(let items): out.test = .hasAny(try items.map { try substitute($0) })
            case .hasAll(let items): out.test = .hasAll(try items.map { try substitute($0) })
            case .like(let x, let negated): out.test = .like(try substitute(x), negated: negated)
            case .matches(let x): out.test = .matches(try substitute(x))
            case .contains(let x, let negated): out.test = .contains(try substitute(x), negated: negated)
            case .before(let x): out.test = .before(try substitute(x))
            case .after(let x): out.test = .after(try substitute(x))
            case .isEmpty, .inLast, .inNext: break
            }
            return .predicate(out)
        }
    }

    private mutating func substitute(_ operand: Operand) throws -> Operand {
        switch operand {
        case .parameter(let id):
            guard let parameter = catalog.parameters[ExactText.nameKey(id.name)] else {
                let known = catalog.parameters.values.map { "$" + $0.name }.sorted()
                throw error(.unknownParameter(id.name, suggestion: Suggest.closest(to: "$" + id.name, among: known)), id.range)
            }
            let r = id.range
            parameterTexts[r] = parameter.text
            switch parameter.value {
            case .number(let n): return .number(NumberLiteral(mantissa: n.mantissa, scale: n.scale, range: r))
            case .string(let s, _): return .string(s, range: r)
            // A word given as a value stays a value: it never turns into a field of the same name.
            case .name(let word): return .string(word.name, range: r)
            case .date(let d, _): return .date(d, range: r)
            case .today: return .today(range: r)
            case .yesterday: return .yesterday(range: r)
            case .ago(let n, let unit, _): return .ago(n, unit, range: r)
            case .span(let n, let unit, _): return .span(n, unit, range: r)
            case .parameter, .call, .arithmetic, .negate, .parenthesized, .invalid, .qualified, .related: return .invalid(r)
            }
        case .call(let name, let args, let range):
            return .call(name, try args.map { try substitute($0) }, range: range)
        case .arithmetic(let op, let a, let b, let range):
            return .arithmetic(op, try substitute(a), try substitute(b), range: range)
        case .negate(let inner, let range):
            return .negate(try substitute(inner), range: range)
        case .parenthesized(let inner, let range):
            return .parenthesized(try substitute(inner), range: range)
        case .related(let rows):
            return .related(try substitute(rows))
        default:
            return operand
        }
    }

    /// Related rows with the parameters of their condition replaced.
    private mutating func substitute(_ rows: RelatedRows) throws -> RelatedRows {
        var out = rows
        out.condition = try rows.condition.map { try substitute($0) }
        return out
    }

    /// The text of a literal at `range`: as written, or the value of the parameter written there.
    func literalText(_ range: SourceRange) -> String {
        parameterTexts[range] ?? source.slice(range)
    }
}
