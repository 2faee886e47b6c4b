import SegTestSupport
import SegBase
import SegPatterns
import SegStore
import SegSyntax
import SegFunctions
import SegSemantics
import SegSQL
import SegIO
import SegEngine
import SegCommands

// Random seg statements with their SQL equivalents. The SQL follows seg's documented semantics,
// not SQL habits: missing values are NULL (so comparisons and `not` are three-valued, exactly as
// seg's), missing values sort last in both directions with ties in book order (`x is null, x, rid`),
// `like` is case-sensitive (GLOB), text compares by bytes (BINARY), money is integer cents, and
// avg is rounded half away from zero from exact integer sums.

/// "Today" for every differential query (`days_since`, `in last …`, `ago`).
let differentialToday = "2026-11-15"

/// A condition as a tree, so the shrinker can drop terms; each leaf knows its seg and SQL text.
indirect enum Cond {
    case atom(seg: String, sql: String)
    case and([Cond])
    case or([Cond])
    case not(Cond)

    /// The seg text; `and` binds tighter than `or` and `not` tighter than both.
    var seg: String {
        switch self {
        case .atom(let s, _): return s
        case .and(let terms): return terms.map { t in if case .or = t { return "(\(t.seg))" } else { return t.seg } }.joined(separator: " and ")
        case .or(let terms): return terms.map(\.seg).joined(separator: " or ")
        case .not(let inner):
            switch inner {
            case .and, .or: return "not (\(inner.seg))"
            default: return "not \(inner.seg)"
            }
        }
    }

    var sql: String {
        switch self {
        case .atom(_, let s): return "(\(s))"
        case .and(let terms): return "(" + terms.map(\.sql).joined(separator: " AND ") + ")"
        case .or(let terms): return "(" + terms.map(\.sql).joined(separator: " OR ") + ")"
        case .not(let inner): return "(NOT \(inner.sql))"
        }
    }

    /// Smaller conditions to try when shrinking a failure.
    var simplifications: [Cond] {
        switch self {
        case .atom: return []
        case .not(let inner): return [inner] + inner.simplifications.map { .not($0) }
        case .and(let terms), .or(let terms):
            let isAnd: Bool
            if case .and = self { isAnd = true } else { isAnd = false }
            func make(_ t: [Cond]) -> Cond { t.count == 1 ? t[0] : (isAnd ? .and(t) : .or(t)) }
            var out: [Cond] = terms
            for i in terms.indices where terms.count > 1 {
                var t = terms
                t.remove(at: i)
                out.append(make(t))
            }
            for i in terms.indices {
                for s in terms[i].simplifications {
                    var t = terms
                    t[i] = s
                    out.append(make(t))
                }
            }
            return out
        }
    }
}

/// How to print an SQLite answer cell the way seg's CSV prints it.
enum CellKind {
    case plain
    case decimal(scale: Int)
    case boolean
}

/// One generated question.
struct GeneratedQuery {
    enum Shape {
        case count
        /// `show id`, in seg's order.
        case list(sort: [(BookField, Bool)], limit: Int?)
        /// `by keys show items [sort by …] [limit n]`.
        case groups(keys: [BookField], items: [GroupItem], showKeys: Bool, sort: [(GroupItem, Bool)], limit: Int?)
        /// Two conditions combined by a set operator or `in SEGMENT` (the second is the segment).
        case segment(op: String, other: Cond)
    }

    enum GroupItem: Equatable {
        case key(BookField)
        case count
        case countOf(BookField)
        case sum(BookField)
        case avg(BookField)
        case min(BookField)
        case max(BookField)
        /// `pct(count)`: the group's share of all rows counted, in percent with two decimals.
        case pctCount
    }

    var condition: Cond?
    var shape: Shape

    /// seg statements (a segment query defines its segment first).
    var seg: String {
        let whereClause = condition.map { " where \($0.seg)" } ?? ""
        switch shape {
        case .count:
            return "clients\(whereClause) count"
        case .list(let sort, let limit):
            var clauses = ["show id"]
            if !sort.isEmpty { clauses.append("sort by " + sort.map { "\($0.0.rawValue)\($0.1 ? " desc" : "")" }.joined(separator: ", ")) }
            if let limit { clauses.append("limit \(limit)") }
            // Clauses come in any order: rotate them by the condition's length, deterministically.
            let k = clauses.isEmpty ? 0 : whereClause.utf8.count % clauses.count
            clauses = Array(clauses[k...] + clauses[..<k])
            return "clients\(whereClause) " + clauses.joined(separator: " ")
        case .groups(let keys, let items, let showKeys, let sort, let limit):
            var s = "clients\(whereClause)"
            if !keys.isEmpty { s += " by " + keys.map(\.rawValue).joined(separator: ", ") }
            let shown = (showKeys ? keys.map { GroupItem.key($0) } : []) + items
            s += " show " + shown.map(Self.segName).joined(separator: ", ")
            if !sort.isEmpty { s += " sort by " + sort.map { Self.segName($0.0) + ($0.1 ? " desc" : "") }.joined(separator: ", ") }
            if let limit { s += " limit \(limit)" }
            return s
        case .segment(let op, let other):
            let define = "let seg1 = clients where \(other.seg)\n"
            let mine = condition.map { "(\($0.seg))" } ?? "age = age"
            switch op {
            case "in": return define + "clients where \(mine) and in seg1 show id"
            case "not in": return define + "clients where \(mine) and not in seg1 show id"
            case "where": return define + "seg1 where \(mine) show id"
            default: return define + "(clients where \(mine)) \(op) seg1 show id"
            }
        }
    }

    var sql: String {
        let whereClause = condition.map { " WHERE \($0.sql)" } ?? ""
        switch shape {
        case .count:
            return "SELECT count(*) FROM c\(whereClause)"
        case .list(let sort, let limit):
            let order = sort.map { "\(Self.sqlValue($0.0)) IS NULL, \(Self.sqlValue($0.0))\($0.1 ? " DESC" : "")" } + ["rid"]
            return "SELECT id FROM c\(whereClause) ORDER BY \(order.joined(separator: ", "))" + (limit.map { " LIMIT \($0)" } ?? "")
        case .groups(let keys, let items, let showKeys, let sort, let limit):
            let leading = showKeys ? [] : keys.map { GroupItem.key($0) }
            let shown = leading + (showKeys ? keys.map { GroupItem.key($0) } : []) + items
            var s = "SELECT " + shown.map(Self.sqlAggregate).joined(separator: ", ") + " FROM c\(whereClause)"
            if !keys.isEmpty {
                s += " GROUP BY " + keys.map(\.rawValue).joined(separator: ", ")
                var order: [String]
                if sort.isEmpty {
                    order = keys.map { "\($0.rawValue) IS NULL, \($0.rawValue)" }
                } else {
                    order = sort.map { "\(Self.sqlAggregate($0.0)) IS NULL, \(Self.sqlAggregate($0.0))\($0.1 ? " DESC" : "")" }
                    order.append("min(rid)")  // ties keep the order in which groups first appear
                }
                s += " ORDER BY " + order.joined(separator: ", ")
                if let limit { s += " LIMIT \(limit)" }
            }
            return s
        case .segment(let op, let other):
            let mine = condition?.sql ?? "(age = age)"
            let theirs = other.sql
            let w: String
            switch op {
            case "in", "intersect", "where": w = "\(mine) AND \(theirs)"
            case "not in", "except": w = "\(mine) AND NOT ifnull(\(theirs), 0)"
            default: w = "\(mine) OR \(theirs)"  // union
            }
            return "SELECT id FROM c WHERE \(w) ORDER BY rid"
        }
    }

    /// How each answer column prints.
    var cellKinds: [CellKind] {
        switch shape {
        case .count, .list, .segment: return [.plain]
        case .groups(let keys, let items, let showKeys, _, _):
            let shown = (showKeys ? [] : keys.map { GroupItem.key($0) }) + (showKeys ? keys.map { GroupItem.key($0) } : []) + items
            return shown.map { item in
                switch item {
                case .count, .countOf: return .plain
                case .pctCount: return .decimal(scale: 2)
                case .avg(let f): return .decimal(scale: max(2, f.scale))
                case .key(let f), .sum(let f), .min(let f), .max(let f):
                    if f.type == .boolean { return .boolean }
                    return f.type == .decimal ? .decimal(scale: f.scale) : .plain
                }
            }
        }
    }

    static func segName(_ item: GroupItem) -> String {
        switch item {
        case .key(let f): return f.rawValue
        case .count: return "count"
        case .countOf(let f): return "count(\(f.rawValue))"
        case .sum(let f): return "sum(\(f.rawValue))"
        case .avg(let f): return "avg(\(f.rawValue))"
        case .min(let f): return "min(\(f.rawValue))"
        case .max(let f): return "max(\(f.rawValue))"
        case .pctCount: return "pct(count)"
        }
    }

    static func sqlValue(_ f: BookField) -> String { f.rawValue }

    static func sqlAggregate(_ item: GroupItem) -> String {
        switch item {
        case .key(let f): return f.rawValue
        case .count: return "count(*)"
        case .countOf(let f): return "count(\(f.rawValue))"
        case .sum(let f): return "sum(\(f.rawValue))"
        case .avg(let f):
            // Exact: scale the integer sum to max(2, scale) places, then round half away from zero.
            let factor = FixedPoint.powersOfTen[max(2, f.scale) - f.scale]
            let s = "(sum(\(f.rawValue)) * \(factor))", n = "count(\(f.rawValue))"
            return "(CASE WHEN \(s) >= 0 THEN (\(s) + \(n) / 2) / \(n) ELSE (\(s) - \(n) / 2) / \(n) END)"
        case .min(let f): return "min(\(f.rawValue))"
        case .max(let f): return "max(\(f.rawValue))"
        case .pctCount:
            // Hundredths of a percent, rounded half up (counts are never negative).
            return "((count(*) * 20000 + sum(count(*)) OVER ()) / (2 * sum(count(*)) OVER ()))"
        }
    }
}

/// Generates conditions and queries over one book, using values the book holds.
struct QueryGenerator {
    var random: SeededRandom
    let book: RandomBook

    init(seed: UInt64, book: RandomBook) {
        random = SeededRandom(seed: seed)
        self.book = book
    }

    static let comparisonOps = ["=", "!=", "<>", "<", "<=", ">", ">="]

    // MARK: Queries

    mutating func query() -> GeneratedQuery {
        let condition: Cond? = random.chance(0.92) ? self.condition(depth: random.int(0...3)) : nil
        switch random.int(0...9) {
        case 0...2:
            return GeneratedQuery(condition: condition, shape: .count)
        case 3...5:
            let sortable: [BookField] = [.id, .name, .age, .big, .assets, .rate, .birthday, .opened, .vip, .risk, .city]
            let keys = random.chance(0.8) ? random.subset(sortable, min: 1, max: 3).map { ($0, random.chance(0.5)) } : []
            let limit = random.chance(0.6) ? random.pick([0, 1, 3, 10, 100]) : nil
            return GeneratedQuery(condition: condition, shape: .list(sort: keys, limit: limit))
        case 6...8:
            let groupable: [BookField] = [.vip, .risk, .city, .age, .birthday, .name, .big]
            let keys = random.chance(0.1) ? [] : random.subset(groupable, min: 1, max: 2)
            var items: [GeneratedQuery.GroupItem] = []
            for _ in 0..<random.int(1...4) {
                let ordered: [BookField] = [.age, .big, .assets, .rate, .birthday, .name, .risk, .city, .vip]
                let item: GeneratedQuery.GroupItem
                switch random.int(0...6) {
                case 0: item = .count
                case 1: item = .countOf(random.pick(BookField.allCases))
                case 2: item = .sum(random.pick([.age, .assets]))
                case 3: item = .avg(random.pick([.age, .assets]))
                case 4: item = .min(random.pick(ordered))
                case 5: item = .max(random.pick(ordered))
                default: item = .pctCount
                }
                if !items.contains(item) { items.append(item) }
            }
            var sort: [(GeneratedQuery.GroupItem, Bool)] = []
            var limit: Int? = nil
            if !keys.isEmpty {
                if random.chance(0.5) {
                    let candidates = items + keys.map { .key($0) }
                    sort = random.subset(candidates, min: 1, max: 2).map { ($0, random.chance(0.5)) }
                }
                if random.chance(0.4) { limit = random.pick([0, 1, 2, 5]) }
            }
            return GeneratedQuery(condition: condition, shape: .groups(keys: keys, items: items, showKeys: random.chance(0.7),
                                                                        sort: sort, limit: limit))
        default:
            let op = random.pick(["union", "intersect", "except", "in", "not in", "where"])
            return GeneratedQuery(condition: condition, shape: .segment(op: op, other: self.condition(depth: random.int(0...2))))
        }
    }

    // MARK: Conditions

    mutating func condition(depth: Int) -> Cond {
        if depth == 0 || random.chance(0.3) { return atom() }
        switch random.int(0...4) {
        case 0, 1: return .and((0..<random.int(2...4)).map { _ in condition(depth: depth - 1) })
        case 2, 3: return .or((0..<random.int(2...4)).map { _ in condition(depth: depth - 1) })
        default: return .not(condition(depth: depth - 1))
        }
    }

    mutating func atom() -> Cond {
        let field = random.pick(BookField.allCases)
        if random.chance(0.07) {
            let negated = random.chance(0.5)
            return .atom(seg: "\(field.rawValue) is \(negated ? "not " : "")empty",
                         sql: "\(field.rawValue) IS \(negated ? "NOT " : "")NULL")
        }
        switch field.type {
        case .integer, .decimal: return numberAtom(field)
        case .date: return dateAtom(field)
        case .boolean: return booleanAtom(field)
        case .category, .text: return stringAtom(field)
        case .tags: return tagsAtom(field)
        }
    }

    // MARK: Numbers

    /// A literal: mantissa and scale (value = m / 10^s) and how seg spells it.
    struct NumberLiteral {
        var mantissa: Int64
        var scale: Int
        var text: String
    }

    mutating func numberLiteral(_ field: BookField) -> NumberLiteral {
        // Often a value the book holds (ties, exact equality), else something near or extreme.
        let held = book.present(field).compactMap { v -> Int64? in if case .int(let x) = v { return x } else { return nil } }
        var m: Int64
        var s = field.scale
        if !held.isEmpty && random.chance(0.6) {
            m = random.pick(held)
            if random.chance(0.2) { m = m.addingReportingOverflow(random.pick([-1, 1])).partialValue }
        } else if random.chance(0.2) {
            m = random.pick([Int64.max, Int64.min + 1, 0, 1, -1, 9_007_199_254_740_993])
        } else {
            m = random.int64(-200...200_000)
        }
        if m == Int64.min { m += 1 }  // the literal's magnitude must fit an Int64
        // Spell it with fewer or more fraction digits than the column sometimes.
        let shift = random.pick([0, 0, 0, -1, 1, 2])
        if shift > 0 {
            let (v, o) = m.multipliedReportingOverflow(by: FixedPoint.powersOfTen[shift])
            if !o {
                let extra = random.chance(0.5) ? 0 : Int64(random.int(0...9))
                let (w, o2) = v.addingReportingOverflow(extra)
                m = o2 ? v : w
                s += shift
            }
        } else if shift < 0 && s > 0 {
            m /= 10
            s -= 1
        }
        var text = RandomBook.decimalText(m, scale: s)
        if s == 0 && m != 0 && m % 1000 == 0 && m.magnitude < 1_000_000_000_000 && random.chance(0.5) {
            text = "\(m / 1000)k"
        } else if s == 0 && m.magnitude >= 10_000 && random.chance(0.3) {
            // Digit separators: 1_234_567.
            var digits = Array(String(m.magnitude))
            var out: [Character] = []
            for (i, c) in digits.enumerated() {
                if i > 0 && (digits.count - i) % 3 == 0 { out.append("_") }
                out.append(c)
            }
            digits = out
            text = (m < 0 ? "-" : "") + String(digits)
        }
        return NumberLiteral(mantissa: m, scale: s, text: text)
    }

    /// `x op literal` as an exact SQL comparison on the stored scaled integers.
    static func sqlCompare(_ column: String, scale S: Int, _ op: String, _ lit: NumberLiteral) -> String {
        let m = Int128(lit.mantissa)
        let always = "\(column) = \(column)", never = "\(column) <> \(column)"
        var threshold: Int128
        var sqlOp = op == "<>" ? "!=" : op
        if lit.scale <= S {
            threshold = m * Int128(FixedPoint.powersOfTen[S - lit.scale])
        } else {
            let d = Int128(FixedPoint.powersOfTen[lit.scale - S])
            var floor = m / d
            let exact = m % d == 0
            if !exact && m < 0 { floor -= 1 }
            let ceil = exact ? floor : floor + 1
            switch sqlOp {
            case "=": if !exact { return never }; threshold = floor
            case "!=": if !exact { return always }; threshold = floor
            case ">", "<=": threshold = floor
            default: threshold = ceil  // >=, <
            }
        }
        if threshold > Int128(Int64.max) || threshold < Int128(Int64.min) {
            let huge = threshold > 0
            switch sqlOp {
            case "=": return never
            case "!=": return always
            case "<", "<=": return huge ? always : never
            default: return huge ? never : always
            }
        }
        if sqlOp == "!=" { sqlOp = "<>" }
        return "\(column) \(sqlOp) \(threshold)"
    }

    mutating func numberAtom(_ field: BookField) -> Cond {
        let name = field.rawValue
        let S = field.scale
        switch random.int(0...9) {
        case 0...4:
            let op = random.pick(Self.comparisonOps)
            let lit = numberLiteral(field)
            if random.chance(0.15) {
                // `5 < age` reads as `age > 5`.
                let flipped = ["<": ">", "<=": ">=", ">": "<", ">=": "<="][op] ?? op
                return .atom(seg: "\(lit.text) \(op) \(name)", sql: Self.sqlCompare(name, scale: S, flipped, lit))
            }
            return .atom(seg: "\(name) \(op) \(lit.text)", sql: Self.sqlCompare(name, scale: S, op, lit))
        case 5, 6:
            let items = (0..<random.int(1...4)).map { _ in numberLiteral(field) }
            let sql = items.map { Self.sqlCompare(name, scale: S, "=", $0) }.map { "(\($0))" }.joined(separator: " OR ")
            let negated = random.chance(0.4)
            let seg = "\(name) \(negated ? "not in" : "in") (\(items.map(\.text).joined(separator: ", ")))"
            return .atom(seg: seg, sql: negated ? "NOT (\(sql))" : sql)
        case 7, 8:
            let a = numberLiteral(field), b = numberLiteral(field)
            let negated = random.chance(0.3)
            let sql = "(\(Self.sqlCompare(name, scale: S, ">=", a))) AND (\(Self.sqlCompare(name, scale: S, "<=", b)))"
            return .atom(seg: "\(name) \(negated ? "not between" : "between") \(a.text) and \(b.text)",
                         sql: negated ? "NOT (\(sql))" : sql)
        case 9 where field != .big && random.chance(0.6):
            // Arithmetic of two fields against a literal; the reference computes on integers of the
            // smallest unit (SQLite holds money as integer cents here), division rounded half away from zero.
            let other = random.pick([BookField.age, .assets, .rate])
            let (so, op) = (other.scale, random.pick(["+", "-", "*", "/"]))
            let cmp = random.pick(Self.comparisonOps)
            let lit = numberLiteral(field)
            let expr: String, scale: Int
            switch op {
            case "*":
                (expr, scale) = ("(\(name) * \(other.rawValue))", S + so)
            case "/":
                scale = max(4, S, so)
                let n = "(\(name) * \(FixedPoint.powersOfTen[scale - S + so]))"
                let b = other.rawValue
                let q = "((abs(\(n)) * 2 + abs(\(b))) / (2 * abs(\(b))))"
                expr = "(CASE WHEN \(b) = 0 THEN NULL WHEN (\(n) < 0) <> (\(b) < 0) THEN -\(q) ELSE \(q) END)"
            default:
                scale = max(S, so)
                let l = S == scale ? name : "\(name) * \(FixedPoint.powersOfTen[scale - S])"
                let r = so == scale ? other.rawValue : "\(other.rawValue) * \(FixedPoint.powersOfTen[scale - so])"
                expr = "(\(l) \(op) \(r))"
            }
            return .atom(seg: "\(name) \(op) \(other.rawValue) \(cmp) \(lit.text)", sql: Self.sqlCompare(expr, scale: scale, cmp, lit))
        default:
            // Field against field; scales aligned exactly without overflow (big only meets integers).
            let op = random.pick(Self.comparisonOps)
            let sqlOp = op == "!=" ? "<>" : op
            let partners: [BookField] = field == .big ? [.age, .big] : [.age, .assets, .rate]
            let other = random.pick(partners)
            let s = max(S, other.scale)
            let l = S == s ? name : "\(name) * \(FixedPoint.powersOfTen[s - S])"
            let r = other.scale == s ? other.rawValue : "\(other.rawValue) * \(FixedPoint.powersOfTen[s - other.scale])"
            return .atom(seg: "\(name) \(op) \(other.rawValue)", sql: "\(l) \(sqlOp) \(r)")
        }
    }

    // MARK: Dates

    mutating func dateLiteral(_ field: BookField) -> (seg: String, sql: String) {
        let held = book.present(field).compactMap { v -> Int? in if case .day(let d) = v { return d } else { return nil } }
        switch random.int(0...9) {
        case 0: return ("today", "'\(differentialToday)'")
        case 1:
            let n = random.int(0...4000)
            let unit = random.pick(["days", "weeks"])
            let days = unit == "days" ? n : 7 * n
            return ("\(n) \(unit) ago", "date('\(differentialToday)', '-\(days) days')")
        case 2: return ("2024-02-29", "'2024-02-29'")
        default:
            let d = !held.isEmpty && random.chance(0.7) ? random.pick(held) + random.pick([0, 0, 0, -1, 1]) : RandomBook.randomDay(&random)
            let text = CivilDate.format(d)
            return (random.chance(0.2) ? "\"\(text)\"" : text, "'\(text)'")
        }
    }

    mutating func dateAtom(_ field: BookField) -> Cond {
        let name = field.rawValue
        switch random.int(0...10) {
        case 0...3:
            let op = random.pick(Self.comparisonOps + ["before", "after"])
            let lit = dateLiteral(field)
            let sqlOp = ["before": "<", "after": ">", "!=": "<>"][op] ?? op
            return .atom(seg: "\(name) \(op) \(lit.seg)", sql: "\(name) \(sqlOp) \(lit.sql)")
        case 4, 5:
            let a = dateLiteral(field), b = dateLiteral(field)
            let negated = random.chance(0.3)
            let sql = "\(name) >= \(a.sql) AND \(name) <= \(b.sql)"
            return .atom(seg: "\(name) \(negated ? "not between" : "between") \(a.seg) and \(b.seg)", sql: negated ? "NOT (\(sql))" : sql)
        case 6:
            let items = (0..<random.int(1...3)).map { _ in dateLiteral(field) }
            let negated = random.chance(0.4)
            let sql = "\(name) IN (\(items.map(\.sql).joined(separator: ", ")))"
            return .atom(seg: "\(name) \(negated ? "not in" : "in") (\(items.map(\.seg).joined(separator: ", ")))",
                         sql: negated ? "NOT (\(sql))" : sql)
        case 7:
            let n = random.int(0...2000)
            let unit = random.pick(["days", "weeks"])
            let days = unit == "days" ? n : 7 * n
            if random.chance(0.5) {
                return .atom(seg: "\(name) in last \(n) \(unit)",
                             sql: "\(name) >= date('\(differentialToday)', '-\(days) days') AND \(name) <= '\(differentialToday)'")
            }
            return .atom(seg: "\(name) in next \(n) \(unit)",
                         sql: "\(name) >= '\(differentialToday)' AND \(name) <= date('\(differentialToday)', '+\(days) days')")
        case 8:
            let op = random.pick(Self.comparisonOps)
            let sqlOp = op == "!=" ? "<>" : op
            if random.chance(0.5) {
                // Whole months: count the calendar months between, less one when the day of the
                // month has not come round yet (or, for a later date, has gone past).
                let n = random.int(-20...800)
                let today = "'\(differentialToday)'"
                let months = "((CAST(strftime('%Y', \(today)) AS INTEGER) - CAST(strftime('%Y', \(name)) AS INTEGER)) * 12 "
                    + "+ CAST(strftime('%m', \(today)) AS INTEGER) - CAST(strftime('%m', \(name)) AS INTEGER))"
                let dayAhead = "CAST(strftime('%d', \(name)) AS INTEGER) > CAST(strftime('%d', \(today)) AS INTEGER)"
                let dayBehind = "CAST(strftime('%d', \(name)) AS INTEGER) < CAST(strftime('%d', \(today)) AS INTEGER)"
                let sql = "(CASE WHEN \(name) <= \(today) THEN \(months) - (CASE WHEN \(dayAhead) THEN 1 ELSE 0 END) "
                    + "ELSE \(months) + (CASE WHEN \(dayBehind) THEN 1 ELSE 0 END) END) \(sqlOp) \(n)"
                return .atom(seg: "months_since(\(name)) \(op) \(n)", sql: sql)
            }
            let n = random.int(-400...40_000)
            return .atom(seg: "days_since(\(name)) \(op) \(n)",
                         sql: "CAST(julianday('\(differentialToday)') - julianday(\(name)) AS INTEGER) \(sqlOp) \(n)")
        default:
            let other: BookField = field == .birthday ? .opened : .birthday
            let op = random.pick(Self.comparisonOps + ["before", "after"])
            let sqlOp = ["before": "<", "after": ">", "!=": "<>"][op] ?? op
            return .atom(seg: "\(name) \(op) \(other.rawValue)", sql: "\(name) \(sqlOp) \(other.rawValue)")
        }
    }

    // MARK: Booleans

    mutating func booleanAtom(_ field: BookField) -> Cond {
        let name = field.rawValue
        func lit() -> (String, Int) {
            let b = random.chance(0.5)
            let spelled = random.pick(b ? ["true", "TRUE", "\"True\""] : ["false", "False", "\"false\""])
            return (spelled, b ? 1 : 0)
        }
        if random.chance(0.25) {
            let items = (0..<random.int(1...2)).map { _ in lit() }
            let negated = random.chance(0.4)
            let sql = "\(name) IN (\(items.map { String($0.1) }.joined(separator: ", ")))"
            return .atom(seg: "\(name) \(negated ? "not in" : "in") (\(items.map(\.0).joined(separator: ", ")))",
                         sql: negated ? "NOT (\(sql))" : sql)
        }
        let op = random.pick(Self.comparisonOps)
        let (spelled, v) = lit()
        return .atom(seg: "\(name) \(op) \(spelled)", sql: "\(name) \(op == "!=" ? "<>" : op) \(v)")
    }

    // MARK: Strings

    static func segString(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    static func sqlString(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    /// seg's LIKE pattern as a GLOB (case-sensitive, one character per `?`).
    static func glob(_ like: String) -> String {
        var out = ""
        for ch in like.unicodeScalars {
            switch ch {
            case "%": out += "*"
            case "_": out += "?"
            case "*": out += "[*]"
            case "?": out += "[?]"
            case "[": out += "[[]"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    mutating func someString(_ field: BookField) -> String {
        let held = book.strings(field)
        if !held.isEmpty && random.chance(0.7) { return random.pick(held) }
        switch field {
        case .risk: return random.pick(RandomBook.riskValues)
        case .city: return random.pick(RandomBook.cityValues)
        case .id: return "c\(String(random.int(0...2100)).leftPadded(to: 5))"
        default: return RandomBook.randomName(&random)
        }
    }

    /// A value that must exist (category equality and lists), or nil when the column is all missing.
    mutating func heldString(_ field: BookField) -> String? {
        let held = book.strings(field)
        return held.isEmpty ? nil : random.pick(held)
    }

    mutating func likePattern(_ field: BookField) -> String {
        var scalars = Array(someString(field).unicodeScalars)
        for _ in 0..<random.int(0...3) where !scalars.isEmpty {
            let i = random.int(0...(scalars.count - 1))
            switch random.int(0...4) {
            case 0: scalars[i] = "_"
            case 1: scalars.replaceSubrange(i..<min(scalars.count, i + random.int(0...4)), with: ["%"])
            case 2: scalars.insert("%", at: 0)
            case 3: scalars.append("%")
            default:
                // Another case: must not match, as like is case-sensitive.
                let s = String(scalars[i])
                let flipped = s == s.lowercased() ? s.uppercased() : s.lowercased()
                if let u = flipped.unicodeScalars.first, flipped.unicodeScalars.count == 1 { scalars[i] = u }
            }
        }
        if random.chance(0.1) { return random.pick(["%", "_", "%a%", "W%", "%_%_", "__", "%%"]) }
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars)
        return s
    }

    mutating func stringAtom(_ field: BookField) -> Cond {
        let name = field.rawValue
        let isCategory = field.type == .category
        switch random.int(0...11) {
        case 0...3:
            let op = random.pick(Self.comparisonOps)
            let equality = op == "=" || op == "!=" || op == "<>"
            guard let value = (isCategory && equality) ? heldString(field) : someString(field) else {
                return .atom(seg: "\(name) is empty", sql: "\(name) IS NULL")
            }
            return .atom(seg: "\(name) \(op) \(Self.segString(value))", sql: "\(name) \(op == "!=" ? "<>" : op) \(Self.sqlString(value))")
        case 4, 5:
            var items: [String] = []
            for _ in 0..<random.int(1...3) {
                if let v = isCategory ? heldString(field) : someString(field) { items.append(v) }
            }
            guard !items.isEmpty else { return .atom(seg: "\(name) is not empty", sql: "\(name) IS NOT NULL") }
            let negated = random.chance(0.4)
            let sql = "\(name) IN (\(items.map(Self.sqlString).joined(separator: ", ")))"
            return .atom(seg: "\(name) \(negated ? "not in" : "in") (\(items.map(Self.segString).joined(separator: ", ")))",
                         sql: negated ? "NOT (\(sql))" : sql)
        case 6...8:
            let pattern = likePattern(field)
            let negated = random.chance(0.3)
            let sql = "\(name) GLOB \(Self.sqlString(Self.glob(pattern)))"
            return .atom(seg: "\(name) \(negated ? "not like" : "like") \(Self.segString(pattern))", sql: negated ? "NOT (\(sql))" : sql)
        case 9:
            var needle = someString(field)
            let scalars = Array(needle.unicodeScalars)
            if scalars.count > 2 {
                let a = random.int(0...(scalars.count - 2))
                let b = random.int((a + 1)...scalars.count)
                needle = ""
                needle.unicodeScalars.append(contentsOf: scalars[a..<b])
            }
            let negated = random.chance(0.3)
            let sql = "instr(\(name), \(Self.sqlString(needle))) > 0"
            return .atom(seg: "\(name) \(negated ? "not contains" : "contains") \(Self.segString(needle))", sql: negated ? "NOT (\(sql))" : sql)
        case 10:
            let a = someString(field), b = someString(field)
            return .atom(seg: "\(name) between \(Self.segString(a)) and \(Self.segString(b))",
                         sql: "\(name) >= \(Self.sqlString(a)) AND \(name) <= \(Self.sqlString(b))")
        default:
            let other = random.pick([BookField.name, .risk, .city, .id])
            let op = random.pick(Self.comparisonOps)
            return .atom(seg: "\(name) \(op) \(other.rawValue)", sql: "\(name) \(op == "!=" ? "<>" : op) \(other.rawValue)")
        }
    }

    // MARK: Tags

    static func sqlHas(_ field: String, _ tag: String) -> String {
        "instr(';' || \(field) || ';', \(sqlString(";" + tag + ";"))) > 0"
    }

    mutating func tagsAtom(_ field: BookField) -> Cond {
        let name = field.rawValue
        let held = book.tagsPresent()
        guard !held.isEmpty else { return .atom(seg: "\(name) is empty", sql: "\(name) IS NULL") }
        switch random.int(0...3) {
        case 0:
            let t = random.pick(held)
            return .atom(seg: "\(name) has \(Self.segString(t))", sql: Self.sqlHas(name, t))
        case 1:
            let ts = random.subset(held, min: 1, max: 3)
            return .atom(seg: "\(name) has any (\(ts.map(Self.segString).joined(separator: ", ")))",
                         sql: ts.map { "(\(Self.sqlHas(name, $0)))" }.joined(separator: " OR "))
        case 2:
            let ts = random.subset(held, min: 1, max: 3)
            return .atom(seg: "\(name) has all (\(ts.map(Self.segString).joined(separator: ", ")))",
                         sql: ts.map { "(\(Self.sqlHas(name, $0)))" }.joined(separator: " AND "))
        default:
            let t = random.pick(held)
            return .atom(seg: "\(name) contains \(Self.segString(t))", sql: Self.sqlHas(name, t))
        }
    }
}
