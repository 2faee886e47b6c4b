import Testing
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

// MARK: - An S-expression printer for syntax trees (test-only)

/// The tree of a script as S-expressions, one statement per line. Clauses print in a fixed order
/// (where, by, show, sort, limit, count) whatever order they were written in.
func describe(_ script: Script) -> String {
    script.statements.map(describe).joined(separator: "\n")
}

func describe(_ statement: Statement) -> String {
    switch statement {
    case .query(let q): return describe(q)
    case .define(let name, let q, _): return "(let \(name.name) \(describe(q)))"
    case .defineField(let name, .expression(let value), _): return "(field \(name.name) \(describe(value)))"
    case .defineField(let name, .classification(let rules, let otherwise, _), _):
        let parts = rules.map { "(\($0.label.name) \(describe($0.condition)))" } + (otherwise.map { ["(else \($0.name))"] } ?? [])
        return "(field \(name.name) \(parts.joined(separator: " ")))"
    case .defineOrder(let field, let labels, _): return "(order \(field.name) \(labels.map(\.name).joined(separator: " ")))"
    case .save(let name, let q, _): return "(save \(name.name)\(q.map { " " + describe($0) } ?? ""))"
    case .drop(let name, _): return "(drop \(name.name))"
    case .listSegments: return "(segments)"
    case .parameter(let name, let value, _): return "(param \(name.name) \(describe(value)))"
    case .explain(let q, _): return "(explain \(describe(q)))"
    case .why(let id, let name, _): return "(why \(describe(id)) \(name.name))"
    case .snapshot(let name, _): return "(snapshot \(name.name))"
    case .listSnapshots(let name, _): return "(snapshots \(name.name))"
    case .diff(let name, let since, _): return "(diff \(name.name)\(since.map { " since " + CivilDate.format($0) } ?? ""))"
    case .rule(let r): return "(rule \(r.name.name) \(r.priority) \"\(r.reason)\" \(describe(r.condition)))"
    case .dotCommand(let text, _): return "(dot \(text))"
    }
}

func describe(_ q: Query) -> String {
    var parts = ["query", describe(q.source)]
    if let c = q.condition { parts.append("(where \(describe(c)))") }
    if let keys = q.groupKeys { parts.append("(by \(keys.map(describe).joined(separator: " ")))") }
    if let items = q.show { parts.append("(show \(items.map { describe($0.operand) }.joined(separator: " ")))") }
    if let keys = q.sort {
        parts.append("(sort \(keys.map { describe($0.operand) + ($0.descending ? ":desc" : "") }.joined(separator: " ")))")
    }
    if let limit = q.limit { parts.append("(limit \(limit.value))") }
    if q.count != nil { parts.append("(count)") }
    if q.chart != nil { parts.append("(chart)") }
    if let h = q.histogram { parts.append("(histogram \(describe(h.operand)))") }
    return "(" + parts.joined(separator: " ") + ")"
}

func describe(_ s: SourceExpr) -> String {
    switch s {
    case .name(let id): return id.name
    case .parenthesized(let q, _): return describe(q)
    case .setOperation(let first, let rest, _):
        return "(set \(describe(first))" + rest.map { " \($0.0.rawValue) \(describe($0.1))" }.joined() + ")"
    case .invalid: return "<invalid>"
    }
}

func describe(_ c: Condition) -> String {
    switch c {
    case .and(let terms, _): return "(and \(terms.map(describe).joined(separator: " ")))"
    case .or(let terms, _): return "(or \(terms.map(describe).joined(separator: " ")))"
    case .not(let inner, _): return "(not \(describe(inner)))"
    case .membership(let id, _): return "(in-segment \(id.name))"
    case .related(let any, let rows, _): return "(\(any ? "has" : "no") \(describe(rows)))"
    case .predicate(let p): return describe(p)
    case .invalid: return "<invalid>"
    }
}

func describe(_ p: Predicate) -> String {
    let lhs = describe(p.lhs)
    func list(_ items: [Operand]) -> String { "(" + items.map(describe).joined(separator: " ") + ")" }
    func neg(_ negated: Bool, _ name: String) -> String { negated ? "not-" + name : name }
    switch p.test {
    case .compare(let op, let rhs, _): return "(\(op.rawValue) \(lhs) \(describe(rhs)))"
    case .inList(let items, let negated): return "(\(neg(negated, "in")) \(lhs) \(list(items)))"
    case .between(let a, let b, let negated): return "(\(neg(negated, "between")) \(lhs) \(describe(a)) \(describe(b)))"
    case .has(let x): return "(has \(lhs) \(describe(x)))"
    case .hasAny(let items): return "(has-any \(lhs) \(list(items)))"
    case .hasAll(let items): return "(has-all \(lhs) \(list(items)))"
    case .like(let x, let negated): return "(\(neg(negated, "like")) \(lhs) \(describe(x)))"
    case .matches(let x): return "(~ \(lhs) \(describe(x)))"
    case .contains(let x, let negated): return "(\(neg(negated, "contains")) \(lhs) \(describe(x)))"
    case .isEmpty(let negated): return "(\(neg(negated, "empty")) \(lhs))"
    case .before(let x): return "(before \(lhs) \(describe(x)))"
    case .after(let x): return "(after \(lhs) \(describe(x)))"
    case .inLast(let n, let unit, _): return "(in-last \(lhs) \(n) \(unit.rawValue))"
    case .inNext(let n, let unit, _): return "(in-next \(lhs) \(n) \(unit.rawValue))"
    }
}

func describe(_ o: Operand) -> String {
    switch o {
    case .name(let id): return id.name
    case .number(let n): return decimal(n)
    case .string(let s, _): return s.debugDescription
    case .date(let day, _): return CivilDate.format(day)
    case .today: return "today"
    case .ago(let n, let unit, _): return "(ago \(n) \(unit.rawValue))"
    case .parameter(let id): return "$" + id.name
    case .call(let name, let args, _):
        return "(call \(name.name)" + args.map { " " + describe($0) }.joined() + ")"
    case .yesterday: return "yesterday"
    case .span(let n, let unit, _): return "(span \(n) \(unit.rawValue))"
    case .arithmetic(let op, let a, let b, _): return "(\(op.rawValue) \(describe(a)) \(describe(b)))"
    case .negate(let inner, _): return "(neg \(describe(inner)))"
    case .parenthesized(let inner, _): return describe(inner)
    case .qualified(let t, let f, _): return "\(t.name).\(f.name)"
    case .related(let rows): return describe(rows)
    case .invalid: return "<invalid>"
    }
}

func describe(_ rows: RelatedRows) -> String {
    "(rows \(rows.table.name)" + (rows.field.map { "." + $0.name } ?? "") + (rows.condition.map { " " + describe($0) } ?? "") + ")"
}

/// `mantissa / 10^scale` written out exactly.
func decimal(_ n: NumberLiteral) -> String {
    guard n.scale > 0 else { return String(n.mantissa) }
    let negative = n.mantissa < 0
    var digits = String(n.mantissa.magnitude)
    while digits.count <= n.scale { digits = "0" + digits }
    let point = digits.index(digits.endIndex, offsetBy: -n.scale)
    return (negative ? "-" : "") + digits[..<point] + "." + digits[point...]
}

// MARK: - Cases

struct ParseCase: Sendable, CustomTestStringConvertible {
    var input: String
    var expected: String
    init(_ input: String, _ expected: String) {
        self.input = input
        self.expected = expected
    }
    var testDescription: String { input.debugDescription }
}

struct ErrorCase: Sendable, CustomTestStringConvertible {
    var input: String
    var messages: [String]
    /// The text each error underlines, in order.
    var underlined: [String]
    /// Byte offset where the first error's range starts.
    var start: Int
    init(_ input: String, _ message: String, underlines: String, at start: Int) {
        self.input = input
        self.messages = [message]
        self.underlined = [underlines]
        self.start = start
    }
    init(_ input: String, messages: [String], underlines: [String], at start: Int) {
        self.input = input
        self.messages = messages
        self.underlined = underlines
        self.start = start
    }
    var testDescription: String { input.debugDescription }
}

private func parse(_ text: String) -> (script: Script, errors: [SegError]) {
    Parser.parse(Source(name: "test", text: text))
}

@Suite("Parser")
struct ParserTests {
    static let examples: [ParseCase] = [
        ParseCase("clients where risk=averse and assets>1m",
                  "(query clients (where (and (= risk averse) (> assets 1000000))))"),
        ParseCase("clients where risk in (averse, conservative) and not products has fund",
                  "(query clients (where (and (in risk (averse conservative)) (not (has products fund)))))"),
        ParseCase("clients where age between 30 and 50 and city = 深圳",
                  "(query clients (where (and (between age 30 50) (= city 深圳))))"),
        ParseCase("clients where assets >= 100万 and loans = 0            -- 万 = 10^4, 亿 = 10^8",
                  "(query clients (where (and (>= assets 1000000) (= loans 0))))"),
        ParseCase(#"clients where name like "王%" or name ~ "(^| )Wang( |$)""#,
                  #"(query clients (where (or (like name "王%") (~ name "(^| )Wang( |$)"))))"#),
        ParseCase("clients where products has any (fund, wealth) and products has all (deposit, credit_card)",
                  "(query clients (where (and (has-any products (fund wealth)) (has-all products (deposit credit_card)))))"),
        ParseCase("clients where phone is empty or email is not empty",
                  "(query clients (where (or (empty phone) (not-empty email))))"),
        ParseCase("clients where last_contact before 6 months ago",
                  "(query clients (where (before last_contact (ago 6 months))))"),
        ParseCase("clients where last_contact after 2026-01-31",
                  "(query clients (where (after last_contact 2026-01-31)))"),
        ParseCase("clients where last_contact in last 30 days",
                  "(query clients (where (in-last last_contact 30 days)))"),
        ParseCase("clients where birthday in next 2 weeks",
                  "(query clients (where (in-next birthday 2 weeks)))"),
        ParseCase("clients where days_since(last_contact) > 180",
                  "(query clients (where (> (call days_since last_contact) 180)))"),
        // Arithmetic: * and / bind tighter than + and -, left to right; parentheses group.
        ParseCase("clients where assets - loans > 1m", "(query clients (where (> (- assets loans) 1000000)))"),
        // Quoted names stand wherever a field name may.
        ParseCase("clients where `资产余额(元)` > 1m and `最近联系 日期` before 2024-01-01",
                  "(query clients (where (and (> 资产余额(元) 1000000) (before 最近联系 日期 2024-01-01))))"),
        ParseCase("clients by `Last Contact` show count, sum(`资产余额(元)`) sort by `Last Contact` desc",
                  "(query clients (by Last Contact) (show (call count) (call sum 资产余额(元))) (sort Last Contact:desc))"),
        ParseCase("clients where days_since(`最近联系 日期`) > 30 show `count`", "(query clients (where (> (call days_since 最近联系 日期) 30)) (show count))"),
        ParseCase("let field `净值(元)` = `资产余额(元)` - loans", "(field 净值(元) (- 资产余额(元) loans))"),
        ParseCase("clients where a + b * c - d / 2 > 0", "(query clients (where (> (- (+ a (* b c)) (/ d 2)) 0)))"),
        ParseCase("clients where (assets - loans) / assets > 0.9 and x = 1",
                  "(query clients (where (and (> (/ (- assets loans) assets) 0.9) (= x 1))))"),
        ParseCase("clients where (a = 1 or b = 2) and c = 3", "(query clients (where (and (or (= a 1) (= b 2)) (= c 3))))"),
        ParseCase("clients where not (a + b) between 1 and 2", "(query clients (where (not (between (+ a b) 1 2))))"),
        ParseCase("clients where birthday + 30 days < today and opened - 1 year > 2020-01-01",
                  "(query clients (where (and (< (+ birthday (span 30 days)) today) (> (- opened (span 1 years)) 2020-01-01))))"),
        ParseCase("clients where -assets < -1 and - (a - b) > 0", "(query clients (where (and (< (neg assets) -1) (> (neg (- a b)) 0))))"),
        ParseCase("clients where x = 100-20 and y = a-b", "(query clients (where (and (= x (- 100 20)) (= y (- a b)))))"),
        ParseCase("clients where assets > 1千万 and loans < 5w and deposits > 1百万 and x > 2千 and y > 3W",
                  "(query clients (where (and (> assets 10000000) (< loans 50000) (> deposits 1000000) (> x 2000) (> y 30000))))"),
        ParseCase("clients where last_contact = yesterday", "(query clients (where (= last_contact yesterday)))"),
        ParseCase("clients where a ＋ b ＊ c ／ d － e > 0", "(query clients (where (> (- (+ a (/ (* b c) d)) e) 0)))"),
        ParseCase("clients where anniversary(birthday) in next 14 days",
                  "(query clients (where (in-next (call anniversary birthday) 14 days)))"),
        ParseCase("clients where tier = vip sort by assets desc, name limit 10 show name, phone, assets",
                  "(query clients (where (= tier vip)) (show name phone assets) (sort assets:desc name) (limit 10))"),
        ParseCase("clients where risk = averse count",
                  "(query clients (where (= risk averse)) (count))"),
        ParseCase("clients by tier, risk show count, sum(assets), avg(age), min(assets), max(assets)",
                  "(query clients (by tier risk) (show (call count) (call sum assets) (call avg age) (call min assets) (call max assets)))"),
        ParseCase("clients by manager show count sort by count desc",
                  "(query clients (by manager) (show (call count)) (sort (call count):desc))"),
        ParseCase("let rich = clients where assets > 5m",
                  "(let rich (query clients (where (> assets 5000000))))"),
        ParseCase("rich where risk = averse", "(query rich (where (= risk averse)))"),
        ParseCase("vip union big_depositors", "(query (set vip union big_depositors))"),
        ParseCase("(clients where age > 60) except vip where risk = averse",
                  "(query (set (query clients (where (> age 60))) except vip) (where (= risk averse)))"),
        ParseCase("clients where in vip and assets > 1m",
                  "(query clients (where (and (in-segment vip) (> assets 1000000))))"),
        ParseCase("clients where assets > $min_assets", "(query clients (where (> assets $min_assets)))"),

        // Set operations: one precedence, left to right; a where after them applies to the whole.
        ParseCase("a union b intersect c except d", "(query (set a union b intersect c except d))"),
        ParseCase("a union b where x = 1 count", "(query (set a union b) (where (= x 1)) (count))"),
        ParseCase("(a union b) intersect (c where x = 1)",
                  "(query (set (query (set a union b)) intersect (query c (where (= x 1)))))"),
        ParseCase("((clients))", "(query (query (query clients)))"),

        // Condition precedence: not > and > or; chains are flat.
        ParseCase("t where a = 1 and b = 2 and c = 3 or d = 4 and e = 5",
                  "(query t (where (or (and (= a 1) (= b 2) (= c 3)) (and (= d 4) (= e 5)))))"),
        ParseCase("t where a = 1 or b = 2 or c = 3", "(query t (where (or (= a 1) (= b 2) (= c 3))))"),
        ParseCase("t where not (a = 1 or b = 2) and c != 3",
                  "(query t (where (and (not (or (= a 1) (= b 2))) (!= c 3))))"),
        ParseCase("t where not not a = 1", "(query t (where (not (not (= a 1)))))"),
        ParseCase("t where ((a = 1))", "(query t (where (= a 1)))"),
        ParseCase("t where (a = 1 or b = 2) and (c = 3 or d = 4)",
                  "(query t (where (and (or (= a 1) (= b 2)) (or (= c 3) (= d 4)))))"),
        ParseCase("t where not in vip", "(query t (where (not (in-segment vip))))"),

        // Every test.
        ParseCase("t where a = 1 and a != 1 and a <> 1 and a < 1 and a <= 1 and a > 1 and a >= 1",
                  "(query t (where (and (= a 1) (!= a 1) (!= a 1) (< a 1) (<= a 1) (> a 1) (>= a 1))))"),
        ParseCase(#"t where x not in (1, 2) and y not between 1 and 2 and z not like "a%" and w not contains "x""#,
                  #"(query t (where (and (not-in x (1 2)) (not-between y 1 2) (not-like z "a%") (not-contains w "x"))))"#),
        ParseCase("t where x contains 'O''Brien' and y in (a)",
                  #"(query t (where (and (contains x "O\'Brien") (in y (a)))))"#),
        ParseCase("t where d before today and d after 1 year ago and e between 2 weeks ago and today",
                  "(query t (where (and (before d today) (after d (ago 1 years)) (between e (ago 2 weeks) today))))"),
        ParseCase("t where d in last 1 day or d in next 3 months or d in last 2 year",
                  "(query t (where (or (in-last d 1 days) (in-next d 3 months) (in-last d 2 years))))"),
        ParseCase("t where 1m < assets", "(query t (where (< 1000000 assets)))"),

        // Operands.
        ParseCase("t where loans > -1 and x = -1.5k and y = -0.25",
                  "(query t (where (and (> loans -1) (= x -1500) (= y -0.25))))"),
        ParseCase("t where x in (1.25, 1.5m, 0.5k, 100万, 2亿, 1_000, 3b, 1.2345k, 1.50)",
                  "(query t (where (in x (1.25 1500000 500 1000000 200000000 1000 3000000000 1234.5 1.50))))"),
        ParseCase("t where x = 9223372036854775807 or x = -9223372036854775808",
                  "(query t (where (or (= x 9223372036854775807) (= x -9223372036854775808))))"),
        ParseCase(#"t where x = "a\"b\\c\n" or x = 'it''s' or x ~ "\d+\.""#,
                  #"(query t (where (or (= x "a\"b\\c\n") (= x "it\'s") (~ x "\\d+\\."))))"#),
        ParseCase("t where x = 2024-02-29", "(query t (where (= x 2024-02-29)))"),
        ParseCase("t where f() = g(a, 1, 'x', h(b))",
                  #"(query t (where (= (call f) (call g a 1 "x" (call h b)))))"#),
        ParseCase("t where x = $深圳", "(query t (where (= x $深圳)))"),
        ParseCase("t show count(), COUNT sort by COUNT() asc",
                  "(query t (show (call count) (call count)) (sort (call count)))"),

        // Clauses in any order.
        ParseCase("clients limit 5 show name by tier sort by name",
                  "(query clients (by tier) (show name) (sort name) (limit 5))"),
        ParseCase("clients count by tier", "(query clients (by tier) (count))"),
        ParseCase("clients limit 1k", "(query clients (limit 1000))"),
        ParseCase("clients limit 0", "(query clients (limit 0))"),
        ParseCase("clients", "(query clients)"),

        // Case, full-width punctuation, Chinese names.
        ParseCase("CLIENTS WHERE Risk = Averse LIMIT 5", "(query CLIENTS (where (= Risk Averse)) (limit 5))"),
        ParseCase("客户 where 城市＝深圳 and 风险 in （保守，稳健） show 姓名，电话",
                  "(query 客户 (where (and (= 城市 深圳) (in 风险 (保守 稳健)))) (show 姓名 电话))"),

        // Scripts: statements separated by newlines and `;`, empty statements allowed, continuation lines.
        ParseCase("let a = clients where x = 1; a count\n\n;; b\n",
                  "(let a (query clients (where (= x 1))))\n(query a (count))\n(query b)"),
        ParseCase("clients where\n  risk = averse and\n  assets > 1m\nvip", // a line ending in `and` continues
                  "(query clients (where (and (= risk averse) (> assets 1000000))))\n(query vip)"),
        ParseCase("clients where (risk = averse\n  or risk = conservative)\n  -- a comment\nvip",
                  "(query clients (where (or (= risk averse) (= risk conservative))))\n(query vip)"),
        ParseCase("clients where x in (a,\nb) show\n name", "(query clients (where (in x (a b))) (show name))"),
        ParseCase("", ""),
        ParseCase("  -- nothing\n\n", ""),

        // Commands: words that start a statement only where the next token fits.
        ParseCase("save vip", "(save vip)"),
        ParseCase("SAVE vip = clients where tier = vip", "(save vip (query clients (where (= tier vip))))"),
        ParseCase("drop vip; segments\nsnapshots vip", "(drop vip)\n(segments)\n(snapshots vip)"),
        ParseCase("param min_assets = 1.5m", "(param min_assets 1.5)".replacingOccurrences(of: "1.5", with: "1500000")),
        ParseCase("param since = 6 months ago", "(param since (ago 6 months))"),
        ParseCase("param city = 深圳", "(param city 深圳)"),
        ParseCase("clients where assets > $min_assets", "(query clients (where (> assets $min_assets)))"),
        ParseCase("explain clients where a = 1 and b = 2", "(explain (query clients (where (and (= a 1) (= b 2)))))"),
        ParseCase("explain (vip union rich) where a = 1", "(explain (query (query (set vip union rich)) (where (= a 1))))"),
        ParseCase("why C0001 in vip", "(why \"C0001\" vip)"),
        ParseCase("why 00123 in vip; why 'A-1' in vip", "(why \"00123\" vip)\n(why \"A-1\" vip)"),
        ParseCase("snapshot vip\ndiff vip\ndiff vip since 2026-10-01", "(snapshot vip)\n(diff vip)\n(diff vip since 2026-10-01)"),
        ParseCase("rule birthday priority 1 reason \"生日\" where anniversary(birthday) in next 7 days\nrule q priority 20 reason 'x' where\n  tier = vip and\n  assets > 1m",
                  "(rule birthday 1 \"生日\" (in-next (call anniversary birthday) 7 days))\n(rule q 20 \"x\" (and (= tier vip) (> assets 1000000)))"),
        // Elsewhere, command words are ordinary names.
        ParseCase("segments where diff > 3", "(query segments (where (> diff 3)))"),
        ParseCase("rule where priority = 1", "(query rule (where (= priority 1)))"),
        ParseCase("diff count", "(query diff (count))"),
        ParseCase("let save = clients where why = 1", "(let save (query clients (where (= why 1))))"),
        // Derived fields and classifications; `field` is still a segment name when no name follows.
        ParseCase("let field net = assets - loans", "(field net (- assets loans))"),
        ParseCase("let field = clients where field > 1", "(let field (query clients (where (> field 1))))"),
        ParseCase("let field tier2 = 私行 when assets >= 600万, \"high net\" when assets >= 60万 and risk = averse, else 大众",
                  "(field tier2 (私行 (>= assets 6000000)) (high net (and (>= assets 600000) (= risk averse))) (else 大众))"),
        ParseCase("let field stage =\n  new when opened after 1 year ago,\n  old when opened before 1 year ago",
                  "(field stage (new (after opened (ago 1 years))) (old (before opened (ago 1 years))))"),
        ParseCase("let field when_ = when + 1", "(field when_ (+ when 1))"),
        // Orders of stored fields; `order` is still a segment name when no name follows.
        ParseCase("let order risk = averse, conservative, balanced, growth, aggressive",
                  "(order risk averse conservative balanced growth aggressive)"),
        ParseCase("let order 风险 =\n  \"C1 低\", C2,\n  C3", "(order 风险 C1 低 C2 C3)"),
        ParseCase("let order = clients where order > 1", "(let order (query clients (where (> order 1))))"),
        // Charts and histograms; `chart` and `histogram` are words of these clauses only.
        ParseCase("clients by tier show count, sum(assets) chart", "(query clients (by tier) (show (call count) (call sum assets)) (chart))"),
        ParseCase("clients CHART by tier", "(query clients (by tier) (chart))"),
        ParseCase("clients where tier = vip histogram assets", "(query clients (where (= tier vip)) (histogram assets))"),
        ParseCase("clients histogram assets - loans chart", "(query clients (chart) (histogram (- assets loans)))"),
        ParseCase("chart where chart > 1 by histogram show chart", "(query chart (where (> chart 1)) (by histogram) (show chart))"),
        ParseCase("clients by tier show count as chart", "(query clients (by tier) (show (call count)))"),
        // Related tables (issue 15): the related condition runs to the end of its condition.
        ParseCase("clients where has holdings where kind = wealth and maturity in next 14 days",
                  "(query clients (where (has (rows holdings (and (= kind wealth) (in-next maturity 14 days))))))"),
        ParseCase("clients where tier = vip and no contacts where outcome = reached",
                  "(query clients (where (and (= tier vip) (no (rows contacts (= outcome reached))))))"),
        ParseCase("clients where (has holdings where kind = fund) and tier = vip",
                  "(query clients (where (and (has (rows holdings (= kind fund))) (= tier vip))))"),
        ParseCase("clients where not has contacts", "(query clients (where (not (has (rows contacts)))))"),
        ParseCase("clients where count(holdings where kind = fund) >= 2",
                  "(query clients (where (>= (call count (rows holdings (= kind fund))) 2)))"),
        ParseCase("clients where sum(holdings.amount where kind = fund) > 1m",
                  "(query clients (where (> (call sum (rows holdings.amount (= kind fund))) 1000000)))"),
        ParseCase("clients where latest contacts.outcome = disconnected",
                  "(query clients (where (= (call latest contacts.outcome) disconnected)))"),
        ParseCase("holdings where client.tier in (vip, private)", "(query holdings (where (in client.tier (vip private))))"),
        // `no` is a name unless a name follows it.
        ParseCase("t where no = 1", "(query t (where (= no 1)))"),
    ]

    @Test(arguments: examples)
    func parses(_ c: ParseCase) {
        let (script, errors) = parse(c.input)
        #expect(errors.map(\.message) == [])
        #expect(describe(script) == c.expected)
    }

    static let errors: [ErrorCase] = [
        ErrorCase("clients where assets >", "expected a field or value after '>', found end of input",
                  underlines: "", at: 22),
        ErrorCase("clients where assets >\n", "expected a field or value after '>', found end of input",
                  underlines: "", at: 23),
        ErrorCase("clients where  (risk = averse", "expected ')' to close '(' at 1:16, found end of input",
                  underlines: "", at: 29),
        ErrorCase("clients where (risk = averse xyz)", "expected ')' to close '(' at 1:15, found 'xyz'",
                  underlines: "xyz", at: 29),
        ErrorCase("(clients where a = 1", "expected ')' to close '(' at 1:1, found end of input",
                  underlines: "", at: 20),
        ErrorCase("clients where x in (a, b", "expected ')' to close '(' at 1:20, found end of input",
                  underlines: "", at: 24),
        ErrorCase("clients where f(a", "expected ')' to close '(' at 1:16, found end of input",
                  underlines: "", at: 17),
        ErrorCase("clients where sort by name", "expected a condition after 'where', found 'sort'",
                  underlines: "sort", at: 14),
        ErrorCase("clients where a = 1 and or b = 2", "expected a condition after 'and', found 'or'",
                  underlines: "or", at: 24),
        ErrorCase("clients where", "expected a condition after 'where', found end of input", underlines: "", at: 13),
        ErrorCase("clients limit 5 limit 6", "'limit' given twice", underlines: "limit", at: 16),
        ErrorCase("clients show a show b", "'show' given twice", underlines: "show", at: 15),
        ErrorCase("clients by a count by b", "'by' given twice", underlines: "by", at: 19),
        ErrorCase("clients count count", "'count' given twice", underlines: "count", at: 14),
        ErrorCase("clients sort by a limit 1 sort  by b", "'sort by' given twice", underlines: "sort  by", at: 26),
        ErrorCase("clients where risk = averse where x = 1", "'where' given twice", underlines: "where", at: 28),
        ErrorCase("clients show name where x = 1",
                  "'where' must come right after the source, before by, show, sort by, limit and count",
                  underlines: "where", at: 18),
        ErrorCase("clients where risk = averse xyz",
                  "unexpected 'xyz' after the query; expected where, by, show, sort by, limit or count",
                  underlines: "xyz", at: 28),
        ErrorCase("clients shwo name",
                  "unexpected 'shwo' after the query; expected where, by, show, sort by, limit or count (did you mean 'show'?)",
                  underlines: "shwo", at: 8),
        ErrorCase("clients wher risk = averse",
                  "unexpected 'wher' after the query; expected where, by, show, sort by, limit or count (did you mean 'where'?)",
                  underlines: "wher", at: 8),
        ErrorCase("clients where risk = averse adn x = 1",
                  "unexpected 'adn' after the query; expected where, by, show, sort by, limit or count (did you mean 'and'?)",
                  underlines: "adn", at: 28),
        ErrorCase("clients where a = 1 union vip",
                  "unexpected 'union' after the query; expected where, by, show, sort by, limit or count",
                  underlines: "union", at: 20),
        ErrorCase("(clients limt 5)",
                  "unexpected 'limt' after the query; expected where, by, show, sort by, limit or count (did you mean 'limit'?)",
                  underlines: "limt", at: 9),
        ErrorCase("clients)", "unexpected ')' after the query; expected where, by, show, sort by, limit or count",
                  underlines: ")", at: 7),
        ErrorCase("clients where last_contact in last 30 dayz", "unknown time unit 'dayz' (did you mean 'days'?)",
                  underlines: "dayz", at: 38),
        ErrorCase("clients where last_contact before 6 dayz ago", "unknown time unit 'dayz' (did you mean 'days'?)",
                  underlines: "dayz", at: 36),
        ErrorCase("clients where d in next 2 fortnights", "unknown time unit 'fortnights'",
                  underlines: "fortnights", at: 26),
        ErrorCase("clients where d in last 2", "expected a time unit (days, weeks, months or years) after '2', found end of input",
                  underlines: "", at: 25),
        ErrorCase("clients where d in last x days", "expected a whole number after 'last', found 'x'",
                  underlines: "x", at: 24),
        ErrorCase("clients where d in next 1.5 days", "expected a whole number after 'next', found '1.5'",
                  underlines: "1.5", at: 24),
        ErrorCase("clients where x > 1.5 months ago", "expected a whole number of months, found '1.5'",
                  underlines: "1.5", at: 18),
        ErrorCase("clients where x > 30 days ago ago", "unexpected 'ago' after the query; expected where, by, show, sort by, limit or count",
                  underlines: "ago", at: 30),
        ErrorCase("clients where @", "unexpected character '@'", underlines: "@", at: 14),
        ErrorCase("clients where a = 1 @", "unexpected character '@'", underlines: "@", at: 20),
        ErrorCase("clients where a = 深圳。", "unexpected character '。'", underlines: "。", at: 24),
        ErrorCase(#"clients where name = "abc"#, "unterminated string", underlines: "\"", at: 21),
        ErrorCase("clients where name = 'abc\nvip", "unterminated string", underlines: "'", at: 21),
        ErrorCase("clients where x = 99999999999999999999", "number too large",
                  underlines: "99999999999999999999", at: 18),
        ErrorCase("clients where x = -9223372036854775809", "number too large",
                  underlines: "-9223372036854775809", at: 18),
        ErrorCase("clients where x = 10000000000b", "number too large", underlines: "10000000000b", at: 18),
        ErrorCase("clients where d = 2026-02-30", "invalid date '2026-02-30'", underlines: "2026-02-30", at: 18),
        ErrorCase("clients where d = 2026-1-5", "invalid date '2026-1-5' (expected YYYY-MM-DD)",
                  underlines: "2026-1-5", at: 18),
        ErrorCase("clients limit 1.5", "expected a whole number after 'limit', found '1.5'", underlines: "1.5", at: 14),
        ErrorCase("clients limit -1", "expected a whole number after 'limit', found '-'", underlines: "-", at: 14),
        ErrorCase("clients limit", "expected a whole number after 'limit', found end of input", underlines: "", at: 13),
        ErrorCase("clients sort name", "expected 'by' after 'sort', found 'name'", underlines: "name", at: 13),
        ErrorCase("clients show", "expected a field or value after 'show', found end of input", underlines: "", at: 12),
        ErrorCase("clients show a,", "expected a field or value after ',', found end of input", underlines: "", at: 15),
        ErrorCase("clients by count", "expected a field or value after 'by', found 'count'", underlines: "count", at: 11),
        ErrorCase("clients where x = * 1", "expected a field or value after '=', found '*'", underlines: "*", at: 18),
        ErrorCase("clients where x > (1 + ) and y", "expected a field or value after '+', found ')'", underlines: ")", at: 23),
        ErrorCase("clients where (assets - loans > 1", "expected ')' to close '(' at 1:15, found end of input", underlines: "", at: 33),
        ErrorCase("clients show assets as", "expected a name after 'as', found end of input", underlines: "", at: 22),
        ErrorCase("clients show today - opened as days", "'days' is a word of the language, so it cannot name a column after 'as'; "
                  + "choose another name", underlines: "days", at: 31),
        ErrorCase("where x = 1", "expected a table or segment name, found 'where' (a statement starts with what it reads, as in 'clients where …')",
                  underlines: "where", at: 0),
        // Issue 16: a line that starts with `show` continues the statement above; after `;` it stands alone.
        ErrorCase("clients;show name", "expected a table or segment name, found 'show' (a statement starts with what it reads, "
                  + "as in 'clients show …')", underlines: "show", at: 8),
        ErrorCase("(where x = 1)", "expected a table or segment name, found 'where'", underlines: "where", at: 1),
        ErrorCase("vip union", "expected a table or segment name after 'union', found end of input", underlines: "", at: 9),
        ErrorCase("let x = 5", "expected a table or segment name after '=', found '5'", underlines: "5", at: 8),
        ErrorCase("let = clients", "expected a name after 'let', found '='", underlines: "=", at: 4),
        ErrorCase("let x clients", "expected '=' after 'x', found 'clients'", underlines: "clients", at: 6),
        ErrorCase("let field x assets", "expected '=' after 'x', found 'assets'", underlines: "assets", at: 12),
        ErrorCase("let order risk averse", "expected '=' after 'risk', found 'averse'", underlines: "averse", at: 15),
        ErrorCase("let order risk = averse growth", "expected ',' and the next value (lowest first), or the end of the order, found 'growth'",
                  underlines: "growth", at: 24),
        ErrorCase("let order risk = averse,", "expected a label (a word or quoted text) after ',', found end of input", underlines: "", at: 24),
        ErrorCase("let field t = A when age > 5 B when age > 3",
                  "expected ',' and the next rule (LABEL when CONDITION, or else LABEL), or the end of the definition, found 'B'",
                  underlines: "B", at: 29),
        ErrorCase("let field t = A when age > 5, B age > 3", "expected 'when' and a condition after the label 'B', found 'age'",
                  underlines: "age", at: 32),
        ErrorCase("let field t = A when age > 5, else", "expected a label (a word or quoted text) after 'else', found end of input",
                  underlines: "", at: 34),
        ErrorCase("clients where risk averse",
                  "expected a comparison such as '=', 'in', 'has' or 'like' after 'risk', found 'averse'",
                  underlines: "averse", at: 19),
        ErrorCase("clients where days_since(x)",
                  "expected a comparison such as '=', 'in', 'has' or 'like' after 'days_since(x)', found end of input",
                  underlines: "", at: 27),
        ErrorCase("clients where x is null", "expected 'empty' after 'is', found 'null'", underlines: "null", at: 19),
        ErrorCase("clients where `资产 > 1", "quoted name without its closing backquote (`)", underlines: "`", at: 14),
        // A quoted name is never a function: `(` after it is not a call.
        ErrorCase("clients where `资产余额(元)` (1)",
                  "expected a comparison such as '=', 'in', 'has' or 'like' after '`资产余额(元)`', found '('",
                  underlines: "(", at: 34),
        ErrorCase("clients where `` > 1", "empty quoted name: write the field's name between the backquotes",
                  underlines: "``", at: 14),
        ErrorCase("clients where x is not", "expected 'empty' after 'not', found end of input", underlines: "", at: 22),
        ErrorCase("clients where x not = 1", "expected 'in', 'between', 'like' or 'contains' after 'not', found '='",
                  underlines: "=", at: 20),
        ErrorCase("clients where x between 1 or 2", "expected 'and' after '1' in 'between', found 'or'",
                  underlines: "or", at: 26),
        ErrorCase("clients where x in vip", "expected '(', 'last' or 'next' after 'in', found 'vip'",
                  underlines: "vip", at: 19),
        ErrorCase("clients where x not in last 3 days", "expected '(' after 'in', found 'last'",
                  underlines: "last", at: 23),
        ErrorCase("clients where in (a)", "expected a segment name after 'in', found '('", underlines: "(", at: 17),
        ErrorCase("clients where p has any fund", "expected '(' after 'any', found 'fund'", underlines: "fund", at: 24),
        ErrorCase("clients where x = -2026-01-01", "expected a number after '-', found '2026-01-01'",
                  underlines: "2026-01-01", at: 19),
        ErrorCase("clients where x > -6 months ago", "expected a whole number of months, found '-6'",
                  underlines: "-6", at: 18),
        ErrorCase("clients where x > 99999999999999999999 days ago", "number too large",
                  underlines: "99999999999999999999", at: 18),
        ErrorCase("clients where risk\nvip",
                  "expected a comparison such as '=', 'in', 'has' or 'like' after 'risk', found end of line",
                  underlines: "\n", at: 18),
        ErrorCase("(clients show a where x = 1)",
                  "'where' must come right after the source, before by, show, sort by, limit and count",
                  underlines: "where", at: 16),
        ErrorCase("(clients where a = 1 where b = 2) union vip", "'where' given twice", underlines: "where", at: 21),
        ErrorCase("clients where x = 1 sort by", "expected a field or value after 'by', found end of input",
                  underlines: "", at: 27),
        // Recovery: each statement gets its own error, and the statements after an error still parse.
        ErrorCase("clients where x >;clients where y = @\nclients limit 5 limit 6\nok where a = 1",
                  messages: ["expected a field or value after '>', found ';'", "unexpected character '@'",
                             "'limit' given twice"],
                  underlines: [";", "@", "limit"], at: 17),
        // Errors that leave the syntax intact do not stop the statement.
        ErrorCase("t where d = 2026-02-30 and x = 99999999999999999999 limit 1 limit 2",
                  messages: ["invalid date '2026-02-30'", "number too large", "'limit' given twice"],
                  underlines: ["2026-02-30", "99999999999999999999", "limit"], at: 12),
        ErrorCase("clients by tier chart chart", "'chart' given twice", underlines: "chart", at: 22),
        ErrorCase("clients histogram assets histogram age", "'histogram' given twice", underlines: "histogram", at: 25),
        ErrorCase("clients histogram", "expected a field or value after 'histogram', found end of input", underlines: "", at: 17),
        ErrorCase("clients charts", "unexpected 'charts' after the query; expected where, by, show, sort by, limit or count (did you mean 'chart'?)", underlines: "charts", at: 8),
        ErrorCase("drop vip now", "expected the end of the statement after 'vip', found 'now'", underlines: "now", at: 9),
        ErrorCase("param x 3", "expected '=' and a default value after 'param x', found '3'", underlines: "3", at: 8),
        ErrorCase("param x = (1)", "expected a value (a number, text, date or word), found '('", underlines: "(", at: 10),
        ErrorCase("save = clients", "expected a name after 'save', found '='", underlines: "=", at: 5),
        ErrorCase("why C1 vip", "expected 'in' and a segment name after the client id, found 'vip'", underlines: "vip", at: 7),
        ErrorCase("clients where has (x)", "expected the name of a related table after 'has' (has holdings where …), found '('",
                  underlines: "(", at: 18),
        ErrorCase("holdings where client.1 = 2", "unexpected character '.'", underlines: ".", at: 21),
        ErrorCase("diff vip since monday", "expected a date like 2026-10-01 after 'since', found 'monday'", underlines: "monday", at: 15),
        ErrorCase("rule b reason \"x\" where a = 1", "expected 'priority' and a whole number after 'rule b' (rule NAME priority 1 reason \"…\" where …), found 'reason'", underlines: "reason", at: 7),
        ErrorCase("rule b priority 1.5 reason \"x\" where a = 1", "expected a whole number after 'priority', found '1.5'", underlines: "1.5", at: 16),
        ErrorCase("rule b priority 1 reason x where a = 1", "expected the reason as quoted text after 'reason' (reason \"生日\"), found 'x'", underlines: "x", at: 25),
        ErrorCase("rule b priority 1 reason \"x\" a = 1", "expected 'where' and a condition after the reason, found 'a'", underlines: "a", at: 29),
        // A broken statement with an open parenthesis ends at `;`.
        ErrorCase("t where (a = ;t where b = @",
                  messages: ["expected a field or value after '=', found ';'", "unexpected character '@'"],
                  underlines: [";", "@"], at: 13),
    ]

    @Test(arguments: errors)
    func reportsErrors(_ c: ErrorCase) {
        let source = Source(name: "test", text: c.input)
        let (_, errors) = Parser.parse(source)
        #expect(errors.map(\.message) == c.messages)
        #expect(errors.map { $0.range.map(source.slice) ?? "<none>" } == c.underlined)
        #expect(errors.first?.range?.start == c.start)
        #expect(errors.allSatisfy { $0.kind == .query && $0.source?.text == c.input })
    }

    @Test func recoveredScriptKeepsEveryStatement() {
        let (script, errors) = parse("clients where x >;clients where y = @\nclients limit 5 limit 6\nok where a = 1")
        #expect(errors.count == 3)
        #expect(script.statements.count == 4)
        #expect(describe(script.statements[3]) == "(query ok (where (= a 1)))")
        #expect(describe(script.statements[2]) == "(query clients (limit 5))")
    }

    @Test func stopsAfterTenErrors() {
        let (script, errors) = parse(String(repeating: "clients where @\n", count: 50))
        #expect(errors.count == Parser.maxErrors)
        #expect(script.statements.count <= Parser.maxErrors)
    }

    @Test func rendersWithCaret() {
        let (_, errors) = parse("clients where risk=averse shwo name")
        #expect(errors.first?.render(color: false) == """
            error: unexpected 'shwo' after the query; expected where, by, show, sort by, limit or count (did you mean 'show'?)
              --> test:1:27
             1 | clients where risk=averse shwo name
               |                           ^^^^

            """)
    }

    // MARK: Ranges

    @Test func nodeRanges() throws {
        let text = "let rich = (clients where not a = 1 and b in last 3 days) union vip where c > 6 months ago sort by d desc limit 1k"
        let source = Source(name: "", text: text)
        let (script, errors) = Parser.parse(source)
        #expect(errors.isEmpty)
        guard case .define(let name, let q, let range) = try #require(script.statements.first) else {
            Issue.record("not a let")
            return
        }
        #expect(source.slice(name.range) == "rich")
        #expect(source.slice(range) == String(text.dropFirst(0)))
        #expect(source.slice(q.range) == String(text.dropFirst(11)))
        #expect(source.slice(q.source.range) == "(clients where not a = 1 and b in last 3 days) union vip")
        guard case .setOperation(let first, _, _) = q.source, case .parenthesized(let inner, _) = first else {
            Issue.record("not a set operation")
            return
        }
        #expect(source.slice(first.range) == "(clients where not a = 1 and b in last 3 days)")
        #expect(source.slice(inner.range) == "clients where not a = 1 and b in last 3 days")
        let cond = try #require(inner.condition)
        #expect(source.slice(cond.range) == "not a = 1 and b in last 3 days")
        guard case .and(let terms, _) = cond, case .predicate(let p) = terms[1], case .inLast(_, _, let r) = p.test else {
            Issue.record("unexpected shape")
            return
        }
        #expect(source.slice(terms[0].range) == "not a = 1")
        #expect(source.slice(p.range) == "b in last 3 days")
        #expect(source.slice(r) == "in last 3 days")
        guard case .predicate(let outer) = try #require(q.condition), case .compare(.greater, let rhs, let opRange) = outer.test else {
            Issue.record("unexpected shape")
            return
        }
        #expect(source.slice(outer.range) == "c > 6 months ago")
        #expect(source.slice(opRange) == ">")
        #expect(source.slice(rhs.range) == "6 months ago")
        let sort = try #require(q.sort)
        #expect(source.slice(sort[0].range) == "d desc")
        #expect(source.slice(try #require(q.limit).range) == "1k")
    }

    @Test func negativeNumberRangeIncludesMinus() throws {
        let source = Source(name: "", text: "t where x > -1.5")
        let (script, _) = Parser.parse(source)
        guard case .query(let q) = try #require(script.statements.first),
              case .predicate(let p) = try #require(q.condition),
              case .compare(_, let rhs, _) = p.test,
              case .number(let n) = rhs else {
            Issue.record("unexpected shape")
            return
        }
        #expect(source.slice(n.range) == "-1.5")
        #expect(n.mantissa == -15 && n.scale == 1)
    }

    // MARK: needsMoreInput

    static let continuation: [(String, Bool)] = [
        ("clients where", true),
        ("clients where risk =", true),
        ("clients where risk = averse", false),
        ("clients where (risk = averse", true),
        ("clients where (risk = averse)", false),
        ("clients where x = 'abc", false),
        ("clients where x = (\"abc", false),
        ("clients where risk in (a,", true),
        ("clients where risk in", true),
        ("clients where a = 1 and", true),
        ("clients where a = 1 or", true),
        ("clients where not", true),
        ("clients where a between", true),
        ("clients where a between 1 and", true),
        ("clients where p has", true),
        ("clients where p has any", true),
        ("clients where n like", true),
        ("clients where x is", true),
        ("clients where x is not", true),
        ("clients where x is not empty", false),
        ("clients where d before", true),
        ("clients where d after", true),
        ("clients where d in last", true),
        ("clients where d in next", true),
        ("clients where d in last 3 days", false),
        ("clients where d > 3 months ago", false),
        ("clients where n ~", true),
        ("clients where n contains", true),
        ("clients where x = -", true),
        ("clients where a = 1 and -- more to come", true),
        ("clients where a = 1 and\n", true),
        ("clients where (a = 1)\n", false),
        ("let x =", true),
        ("let", true),
        ("clients by", true),
        ("clients show", true),
        ("clients show name,", true),
        ("clients sort", true),
        ("clients sort by", true),
        ("clients sort by a desc", false),
        ("clients limit", true),
        ("clients limit 5", false),
        ("clients count", false),
        ("vip union", true),
        ("vip intersect", true),
        ("vip except", true),
        ("clients where x = 1;", false),
        ("clients where x = 1 @", false),
        ("", false),
        ("   ", false),
        ("-- just a comment", false),
        ("（", true),
    ]

    @Test func needsMoreInput() {
        for (text, expected) in Self.continuation {
            #expect(Parser.needsMoreInput(text) == expected, "\(text.debugDescription)")
        }
    }

    // MARK: Limits: deep nesting and long chains (sizes are part of the requirement)

    @Test func nesting256LevelsIsAllowed() {
        let parens = String(repeating: "(", count: 256) + "clients" + String(repeating: ")", count: 256)
        #expect(parse(parens).errors.isEmpty)
        let conds = "t where " + String(repeating: "(", count: 256) + "a = 1" + String(repeating: ")", count: 256)
        #expect(parse(conds).errors.isEmpty)
        let nots = "t where " + String(repeating: "not ", count: 256) + "a = 1"
        #expect(parse(nots).errors.isEmpty)
        let tooDeep = "t where " + String(repeating: "(", count: 257) + "a = 1" + String(repeating: ")", count: 257)
        #expect(parse(tooDeep).errors.map(\.message) == ["nesting deeper than 256 levels"])
    }

    @Test(.timeLimit(.minutes(1)))
    func hundredThousandNestedQueryParentheses() {
        let n = 100_000
        let text = String(repeating: "(", count: n) + "clients" + String(repeating: ")", count: n) + "\nvip"
        let source = Source(name: "", text: text)
        let (script, errors) = Parser.parse(source)
        #expect(errors.map(\.message) == ["nesting deeper than 256 levels"])
        #expect(errors.first?.range == SourceRange(256, 257))
        #expect(script.statements.count == 2)
        #expect(describe(script.statements[1]) == "(query vip)")
    }

    @Test(.timeLimit(.minutes(1)))
    func hundredThousandNestedConditionParentheses() {
        let n = 100_000
        let text = "clients where " + String(repeating: "(", count: n) + "a = 1" + String(repeating: ")", count: n)
        #expect(parse(text).errors.map(\.message) == ["nesting deeper than 256 levels"])
        let unclosed = "clients where " + String(repeating: "(", count: n)
        #expect(parse(unclosed).errors.map(\.message) == ["nesting deeper than 256 levels"])
        let calls = "clients where " + String(repeating: "f(", count: n) + "x" + String(repeating: ")", count: n) + " > 1"
        #expect(parse(calls).errors.map(\.message) == ["nesting deeper than 256 levels"])
    }

    @Test(.timeLimit(.minutes(1)))
    func hundredThousandNots() {
        let text = "clients where " + String(repeating: "not ", count: 100_000) + "a = 1"
        #expect(parse(text).errors.map(\.message) == ["nesting deeper than 256 levels"])
    }

    @Test(.timeLimit(.minutes(1)))
    func millionTermAndChain() throws {
        let n = 1_000_000
        let text = "clients where a = 1" + String(repeating: " and a = 1", count: n - 1)
        let (script, errors) = parse(text)
        #expect(errors.isEmpty)
        guard case .query(let q) = try #require(script.statements.first), case .and(let terms, _) = try #require(q.condition) else {
            Issue.record("not an and chain")
            return
        }
        #expect(terms.count == n)
    }

    @Test(.timeLimit(.minutes(1)))
    func longOrChainAndSetOperations() throws {
        let n = 100_000
        let ors = "t where " + Array(repeating: "a = 1", count: n).joined(separator: " or ")
        guard case .query(let q) = try #require(parse(ors).script.statements.first),
              case .or(let terms, _) = try #require(q.condition) else {
            Issue.record("not an or chain")
            return
        }
        #expect(terms.count == n)
        let sets = Array(repeating: "vip", count: n).joined(separator: " union ")
        guard case .query(let s) = try #require(parse(sets).script.statements.first),
              case .setOperation(_, let rest, _) = s.source else {
            Issue.record("not a set operation")
            return
        }
        #expect(rest.count == n - 1)
    }
}
