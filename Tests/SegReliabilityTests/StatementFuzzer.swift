import Foundation
import SegTestSupport
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

// A grammar-based statement fuzzer: random statements built from the rules of grammar/seg.ebnf
// (statement, query, clause, condition, test, operand, literal …), filled with field names of a
// small book, bare values, and literals chosen to hurt: Int64 bounds and one past them, counts of
// days/weeks/months/years up to Int64.max, suffixed numbers that overflow, the first and last
// dates seg handles, texts with control characters, bidi overrides and NFC/NFD pairs. libFuzzer
// mutates bytes and rarely builds `9223372036854775807 weeks ago` in a valid place; this does it
// in every other statement.
//
// Each statement runs in-process through `Session` (memory) and `SQLScript` (every dialect), with
// today set to ordinary and edge dates. The oracle: no crash, and every failure is a `SegError` of
// a user's kind (never `internal`) whose rendered message holds no control character but line
// breaks. The suite runs a bounded number of statements; `scripts/fuzz statements N [SEED]` runs
// N (through `SEG_FUZZ_STATEMENTS` and `SEG_FUZZ_SEED`).

/// Random statements following grammar/seg.ebnf.
struct StatementGenerator {
    var random: SeededRandom

    static let fields: [(name: String, type: FieldType)] = [
        ("id", .text), ("name", .text), ("age", .integer), ("big", .integer), ("assets", .decimal),
        ("birthday", .date), ("opened", .date), ("vip", .boolean), ("risk", .category), ("city", .category),
        ("products", .tags),
        // Derived fields some scripts define (`let field`), else unknown names.
        ("net", .decimal), ("tier", .category),
    ]
    static let values = ["averse", "growth", "balanced", "深圳", "上海", "café", "cafe\u{301}", "fund", "deposit",
                         "true", "false", "nosuch", "e\u{301}", "\u{E9}"]
    static let units = ["day", "days", "week", "weeks", "month", "months", "year", "years"]
    /// Counts and numbers that have broken arithmetic somewhere.
    static let hugeNumbers = ["9223372036854775807", "303032819133199338", "1317624576693539401", "768614336404564651",
                              "2932896", "2984000", "3000000", "739000", "120000", "9223372036854775.807k",
                              "92233720368547758.07", "0", "1", "2026", "8000"]
    /// Beyond Int64: `number too large`, wherever they stand.
    static let tooLarge = ["9223372036854775808", "99999999999999999999", "9999999999999b", "1000000000000000万",
                           "100000000000亿", "9223372036854775.808k", "-9223372036854775809"]
    static let numbers = ["0", "1", "-1", "30", "1.5m", "100k", "2.5", "0.001", "-9223372036854775808",
                          "1_000", "100万", "1亿", "12.345", "-0"]
    static let dates = ["2026-11-15", "0000-01-01", "0001-01-01", "9999-12-31", "2024-02-29", "2026-02-30", "1970-01-01"]
    static let strings = ["\"Wang%\"", "'O''Brien'", "\"\"", "\"a\\u{1B}]0;x\\u{7}\"", "\"\u{1B}[2J\"", "\"\u{202E}evil\"",
                          "\"(^| )Wang\"", "\"[\"", "\"%\"", "\"_\"", "\"\\d+\"", "\"" + String(repeating: "z", count: 300) + "\""]

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    /// script = [ statement ] , { separator , [ statement ] } ;
    mutating func script() -> String {
        (0..<random.int(1...4)).map { _ in statement() }.joined(separator: random.chance(0.7) ? "\n" : "; ")
    }

    /// statement = "let" … | "save" … | "drop" … | "segments" | "param" … | "explain" … | "why" … | "snapshot" … | query ;
    mutating func statement() -> String {
        switch random.int(0...19) {
        case 0, 1: return "let \(segmentName()) = \(query(depth: 0))"
        case 2: return "param \(random.pick(["d", "n", "c", "x"])) = \(literal())"
        case 3: return "explain \(query(depth: 0))"
        case 4: return "why \(random.pick(["C1", "C2", "c9", "\"C3\"", "9223372036854775807"])) in \(segmentName())"
        case 5: return random.pick(["segments", "snapshots \(segmentName())", "diff \(segmentName())",
                                    "diff \(segmentName()) since \(random.pick(Self.dates))", "drop \(segmentName())"])
        case 6: return random.chance(0.3) ? "save \(segmentName()) = \(query(depth: 0))" : "snapshot \(segmentName())"
        case 7:
            // field_body = operand | rule , { "," , rule } , [ "," , "else" , label ] ;
            if random.chance(0.5) { return "let field \(random.pick(["net", "assets", "tier"])) = \(operand(for: .decimal))" }
            let rules = (0..<random.int(1...3)).map { k in "\(random.pick(["A", "B", "\"C c\"", "深圳"]))\(k) when \(condition(depth: 1))" }
            return "let field \(random.pick(["tier", "net", "risk"])) = " + rules.joined(separator: ", ")
                + (random.chance(0.5) ? ", else \(random.pick(["Z", "A0", "\"\""]))" : "")
        default: return query(depth: 0)
        }
    }

    mutating func segmentName() -> String { random.pick(["s", "t", "café", "cafe\u{301}", "clients", "vip"]) }

    /// query = source , [ "where" , condition ] , { clause } ;
    mutating func query(depth: Int) -> String {
        var q = source(depth: depth)
        if random.chance(0.8) { q += " where " + condition(depth: depth) }
        var clauses: [String] = []
        if random.chance(0.2) { clauses.append("by " + (0..<random.int(1...2)).map { _ in operand(for: nil) }.joined(separator: ", ")) }
        if random.chance(0.3) { clauses.append("show " + showList()) }
        if random.chance(0.25) { clauses.append("sort by " + sortKey() + (random.chance(0.3) ? ", " + sortKey() : "")) }
        if random.chance(0.25) { clauses.append("limit " + random.pick(["0", "3", "1k", "9223372036854775807", "9223372036854775808", "1.5", "1e3", "-1", "7"])) }
        if random.chance(0.3) { clauses.append("count") }
        // Charts and histograms (issue 17): drawn in table format, refused with count, by …
        if random.chance(0.1) { clauses.append(random.chance(0.5) ? "chart" : "histogram " + operand(for: nil)) }
        return q + clauses.map { " " + $0 }.joined()
    }

    /// source = source_term , { set_operator , source_term } ;  source_term = IDENT | "(" , query , ")" ;
    mutating func source(depth: Int) -> String {
        func term(_ g: inout StatementGenerator) -> String {
            if depth < 2 && g.random.chance(0.15) { return "(" + g.query(depth: depth + 1) + ")" }
            return g.random.pick(["clients", "clients", "clients", "s", "t", "café", "cafe\u{301}"])
        }
        var s = term(&self)
        while random.chance(0.15) { s += " " + random.pick(["union", "intersect", "except"]) + " " + term(&self) }
        return s
    }

    /// condition = and_condition , { "or" , and_condition } ; and_condition = not_condition , { "and" , not_condition } ;
    mutating func condition(depth: Int) -> String {
        let terms = (0..<random.int(1...3)).map { _ -> String in
            var t = (random.chance(0.15) ? "not " : "") + primary(depth: depth)
            if random.chance(0.3) { t += " and " + primary(depth: depth) }
            return t
        }
        return terms.joined(separator: " or ")
    }

    /// primary_condition = "(" , condition , ")" | "in" , IDENT | predicate ;
    mutating func primary(depth: Int) -> String {
        if depth < 3 && random.chance(0.1) { return "(" + condition(depth: depth + 1) + ")" }
        if random.chance(0.05) { return "in " + segmentName() }
        return predicate()
    }

    /// predicate = operand , test ;
    mutating func predicate() -> String {
        let field: (name: String, type: FieldType) = random.chance(0.97) ? random.pick(Self.fields) : ("nosuch", .text)
        var lhs = field.name
        var type = field.type
        if type == .date && random.chance(0.3) {
            if random.chance(0.5) { lhs = "days_since(\(lhs))"; type = .integer } else { lhs = "anniversary(\(lhs))" }
        }
        return lhs + " " + test(for: type)
    }

    /// test = compare_op , operand | [ "not" ] , "in" , list | "in" , ( "last" | "next" ) , INT , unit | … ;
    /// Mostly a test that fits the field's type, so statements reach the engine; sometimes any.
    mutating func test(for type: FieldType) -> String {
        var kinds: [Int]
        switch type {
        case .integer, .decimal: kinds = [0, 0, 3, 6, 10]
        case .date: kinds = [0, 3, 4, 4, 6, 11, 11]
        case .boolean: kinds = [0, 10]
        case .category, .text: kinds = [0, 0, 3, 8, 9, 10]
        case .tags: kinds = [7, 7, 8, 10]
        }
        if random.chance(0.15) { kinds = Array(0...11) }
        switch random.pick(kinds) {
        case 0, 1, 2: return random.pick(["=", "!=", "<>", "<", "<=", ">", ">="]) + " " + operand(for: type)
        case 3: return (random.chance(0.3) ? "not " : "") + "in " + list(for: type)
        case 4, 5: return "in " + random.pick(["last", "next"]) + " " + count() + " " + random.pick(Self.units)
        case 6: return (random.chance(0.3) ? "not " : "") + "between " + operand(for: type) + " and " + operand(for: type)
        case 7: return random.chance(0.5) ? "has " + random.pick(Self.values) : random.pick(["has any ", "has all "]) + list(for: .tags)
        case 8: return (random.chance(0.3) ? "not " : "") + random.pick(["like ", "contains "]) + random.pick(Self.strings)
        case 9: return "~ " + random.pick(Self.strings)
        case 10: return random.pick(["is empty", "is not empty"])
        default: return random.pick(["before ", "after "]) + dateOperand()
        }
    }

    /// list = "(" , operand , { "," , operand } , ")" ;
    mutating func list(for type: FieldType?) -> String {
        "(" + (0..<random.int(1...4)).map { _ in operand(for: type) }.joined(separator: ", ") + ")"
    }

    /// A count for `in last N unit` and `N unit ago`: INT.
    mutating func count() -> String {
        if random.chance(0.03) { return random.pick(Self.tooLarge) }
        return random.chance(0.5) ? random.pick(Self.hugeNumbers) : String(random.int(0...400))
    }

    mutating func dateOperand() -> String {
        switch random.int(0...5) {
        case 0, 1: return count() + " " + random.pick(Self.units) + " ago"
        case 2: return "today"
        case 3: return "$d"
        case 4: return "\"" + random.pick(Self.dates) + "\""
        default: return random.pick(Self.dates)
        }
    }

    /// operand = IDENT , [ call_arguments ] | [ "-" ] , NUMBER | INT , unit , "ago" | STRING | DATE | "today" | PARAMETER ;
    mutating func operand(for type: FieldType?) -> String {
        if random.chance(0.1) { return random.pick(Self.fields).name }
        if random.chance(0.08) { return random.pick(["$d", "$n", "$c", "$x", "$nosuch"]) }
        switch type {
        case .integer?, .decimal?:
            if random.chance(0.03) { return random.pick(Self.tooLarge) }
            return random.chance(0.3) ? random.pick(Self.hugeNumbers) : random.pick(Self.numbers)
        case .date?: return dateOperand()
        case .boolean?: return random.pick(["true", "false", "TRUE", "maybe"])
        case .category?, .tags?, .text?: return random.chance(0.6) ? random.pick(Self.values) : random.pick(Self.strings)
        case nil: return random.pick(Self.fields).name
        }
    }

    /// literal = [ "-" ] , NUMBER | INT , unit , "ago" | STRING | DATE | IDENT | "today" ;
    mutating func literal() -> String {
        switch random.int(0...4) {
        case 0: return random.pick(Self.hugeNumbers + Self.numbers)
        case 1: return count() + " " + random.pick(Self.units) + " ago"
        case 2: return random.pick(Self.strings)
        case 3: return random.pick(Self.dates + ["today"])
        default: return random.pick(Self.values)
        }
    }

    /// showlist = "all" | show_item , { "," , show_item } ;
    mutating func showList() -> String {
        if random.chance(0.1) { return "all" }
        return (0..<random.int(1...3)).map { _ -> String in
            switch random.int(0...5) {
            case 0: return random.pick(["count", "count()"])
            case 1: return random.pick(["sum", "avg", "min", "max", "count"]) + "(" + random.pick(Self.fields).name + ")"
            case 2: return random.pick(["days_since(opened)", "anniversary(birthday)"])
            default: return random.pick(Self.fields).name
            }
        }.joined(separator: ", ")
    }

    /// sort_key = ( operand | count_call ) , [ "asc" | "desc" ] ;
    mutating func sortKey() -> String {
        random.pick(Self.fields.map(\.name) + ["count", "anniversary(birthday)", "avg(big)"]) + random.pick(["", " asc", " desc"])
    }
}

@Suite("grammar-based statement fuzzer")
struct StatementFuzzTests {
    /// Every type, missing values, Int64 extremes, the first and last dates, a Feb 29, NFC and NFD
    /// spellings of one word, a bidi override and an escape sequence.
    static let bookCSV = """
        id,name,age,big,assets,birthday,opened,vip,risk,city,products
        C1,Wang Wei,34,9223372036854775807,1200.50,1990-02-28,2020-01-01,true,averse,深圳,deposit;fund
        C2,李娜,,-9223372036854775808,99.99,2000-02-29,0000-01-01,false,growth,上海,fund
        C3,"O'Brien, Ann",71,0,,1955-12-31,9999-12-31,,averse,,insurance;wealth
        C4,,18,1,-92233720368547758.08,0000-01-01,,true,balanced,café,
        C5,\u{202E}Zhang,45,-1,92233720368547758.07,9999-12-31,2026-11-15,false,,cafe\u{301},deposit;credit_card;fund
        C6,"\u{1B}]0;title\u{07}",0,9223372036854775807,0.01,1981-07-04,1970-01-01,false,growth,深圳,fund

        """

    static func book() throws -> Table {
        try DataLoader.load(bytes: Array(bookCSV.utf8), fileName: "fuzz.csv", format: .csv, tableName: "clients",
                            types: ["id": .text, "name": .text, "risk": .category, "city": .category, "products": .tags])
    }

    /// Each session starts with the segments and parameters the generator names.
    static let prelude = ["let s = clients where age > 30", "let t = clients where risk = averse",
                          "let café = s union t", "param d = 2026-01-01", "param n = 5", "param c = averse", "param x = \"a\""]

    static let todays = ["2026-11-15", "9999-12-31", "0000-01-01", "9998-12-31", "2024-02-29"].compactMap(CivilDate.parse)

    /// What one statement did.
    enum Outcome: Hashable { case answered, error(SegError.Kind) }

    /// Runs `count` generated scripts from `seed`; returns the outcomes and the failures of the oracle.
    static func fuzz(count: Int, seed: UInt64) throws -> (outcomes: [Outcome: Int], failures: [String]) {
        let table = try book()
        let dir = try Seg.temporaryDirectory()
        var generator = StatementGenerator(seed: seed)
        var outcomes: [Outcome: Int] = [:]
        var failures: [String] = []
        var session: Session?
        for i in 0..<count {
            let today = todays[i % todays.count]
            if i % 8 == 0 || session?.options.today != today {
                // A fresh session now and then, so segments defined earlier come and go.
                let options = SessionOptions(today: today, writer: WriterOptions(format: i % 3 == 0 ? .table : .csv),
                                             libraryPath: dir.appendingPathComponent("lib\(i % 4).seg").path)
                session = Session(tables: [table], options: options)
                for prelude in prelude {
                    _ = check(prelude, today: today, session: &session!, failures: &failures)
                }
            }
            let text = generator.script()
            // Each statement on its own, so one error does not hide the rest; then the whole
            // script as one text (a syntax error anywhere stops it before it runs).
            for statement in text.split(separator: "\n") where !statement.isEmpty {
                let outcome = check(String(statement), today: today, session: &session!, failures: &failures)
                outcomes[outcome, default: 0] += 1
            }
            _ = check(text, today: today, session: &session!, failures: &failures)
            var catalog = session!.catalog
            for dialect in SQLDialect.allCases {
                do {
                    _ = try SQLScript.translate(Source(name: "", text: text), catalog: &catalog,
                                                options: SQLOptions(dialect: dialect, today: today))
                } catch {
                    if let problem = oracle(error) { failures.append("sql \(dialect) today \(CivilDate.format(today)): \(problem)\n\(text)") }
                }
            }
        }
        return (outcomes, failures)
    }

    static func check(_ text: String, today: Int, session: inout Session, failures: inout [String]) -> Outcome {
        let output = Output(.memory)
        do {
            try session.run(Source(name: "", text: text), output: output)
            return .answered
        } catch {
            if let problem = oracle(error) { failures.append("today \(CivilDate.format(today)): \(problem)\n\(text)") }
            if ProcessInfo.processInfo.environment["SEG_FUZZ_VERBOSE"] != nil {
                let first = (error as? SegError) ?? (error as? SegErrors)?.errors.first
                print("fuzz: \(first?.message.prefix(80) ?? "") @@ \(text.prefix(200))")
            }
            if let e = error as? SegError { return .error(e.kind) }
            if let e = error as? SegErrors, let first = e.errors.first { return .error(first.kind) }
            return .error(.internal)
        }
    }

    /// Why an error breaks the oracle, or nil when it is a proper answer to a bad statement.
    static func oracle(_ error: any Error) -> String? {
        let errors: [SegError]
        if let e = error as? SegError { errors = [e] } else if let e = error as? SegErrors { errors = e.errors } else {
            return "not a SegError: \(error)"
        }
        for e in errors {
            if e.kind == .internal { return "internal error: \(e.message)" }
            let rendered = e.render(color: false)
            if rendered.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value)
                                                      || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }) {
                return "a control character in the message: \(rendered.debugDescription)"
            }
        }
        return nil
    }

    @Test func generatedStatementsAnswerOrFailCleanly() throws {
        let env = ProcessInfo.processInfo.environment
        let count = env["SEG_FUZZ_STATEMENTS"].flatMap(Int.init) ?? 3_000
        let seed = env["SEG_FUZZ_SEED"].flatMap(UInt64.init) ?? 20
        let (outcomes, failures) = try Self.fuzz(count: count, seed: seed)
        for failure in failures.prefix(5) { Issue.record("\(failure)") }
        let answered = outcomes[.answered] ?? 0
        let summary = outcomes.sorted { $0.value > $1.value }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        let statements = outcomes.values.reduce(0, +)
        print("statement fuzzer: \(count) scripts (\(statements) statements) from seed \(seed): \(summary); \(failures.count) oracle failures")
        // The generator must reach the engine, not stop at the parser every time.
        #expect(answered > statements / 5, "\(summary)")
    }

    /// The statements that crashed the binary before the fix are among the generator's output.
    @Test func generatorReachesTheOverflowingShifts() {
        var generator = StatementGenerator(seed: 20)
        var found = false
        for _ in 0..<2_000 where !found {
            let s = generator.script()
            found = s.contains("9223372036854775807 weeks ago") || s.contains("303032819133199338 month")
        }
        #expect(found)
    }
}
