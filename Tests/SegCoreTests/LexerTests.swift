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

/// A token as the tests compare it: its kind and the text it covers.
struct LexedToken: Equatable, Sendable, CustomStringConvertible {
    var kind: TokenKind
    var text: String
    var description: String { "\(kind) \(text.debugDescription)" }
}

private func tok(_ kind: TokenKind, _ text: String) -> LexedToken { LexedToken(kind: kind, text: text) }
private func id(_ text: String) -> LexedToken { LexedToken(kind: .identifier, text: text) }
private func kw(_ keyword: Keyword, _ text: String? = nil) -> LexedToken {
    LexedToken(kind: .keyword(keyword), text: text ?? keyword.rawValue)
}
private func num(_ text: String) -> LexedToken { LexedToken(kind: .number, text: text) }
private let nl = LexedToken(kind: .newline, text: "\n")

/// All tokens of `input` up to (not including) the end, as (kind, text) pairs.
func lexAll(_ input: String) -> [LexedToken] {
    let source = Source(name: "", text: input)
    var lexer = Lexer(source)
    var out: [LexedToken] = []
    while out.count < 100_000 {
        let t = lexer.next()
        if t.kind == .endOfInput { break }
        out.append(LexedToken(kind: t.kind, text: t.text(in: source)))
    }
    return out
}

struct LexCase: Sendable, CustomTestStringConvertible {
    var input: String
    var tokens: [LexedToken]
    init(_ input: String, _ tokens: [LexedToken]) {
        self.input = input
        self.tokens = tokens
    }
    var testDescription: String { input.debugDescription }
}

@Suite("Lexer")
struct LexerTests {
    static let cases: [LexCase] = [
        // A whole statement.
        LexCase("clients where risk=averse and assets>1m", [
            id("clients"), kw(.where), id("risk"), tok(.equal, "="), id("averse"), kw(.and), id("assets"),
            tok(.greater, ">"), num("1m"),
        ]),
        // Every punctuation token.
        LexCase("= != <> < <= > >= ~ , ; ( ) -", [
            tok(.equal, "="), tok(.notEqual, "!="), tok(.notEqual, "<>"), tok(.less, "<"), tok(.lessOrEqual, "<="),
            tok(.greater, ">"), tok(.greaterOrEqual, ">="), tok(.tilde, "~"), tok(.comma, ","), tok(.semicolon, ";"),
            tok(.leftParen, "("), tok(.rightParen, ")"), tok(.minus, "-"),
        ]),
        LexCase("a<=b>=c<>d!=e", [
            id("a"), tok(.lessOrEqual, "<="), id("b"), tok(.greaterOrEqual, ">="), id("c"), tok(.notEqual, "<>"),
            id("d"), tok(.notEqual, "!="), id("e"),
        ]),
        // Keywords are case-insensitive and keep their spelling; identifiers keep theirs.
        LexCase("WHERE Where wHeRe Risk", [kw(.where, "WHERE"), kw(.where, "Where"), kw(.where, "wHeRe"), id("Risk")]),
        LexCase("sort by assets desc, name asc limit 10 show count", [
            kw(.sort), kw(.by), id("assets"), kw(.desc), tok(.comma, ","), id("name"), kw(.asc), kw(.limit), num("10"),
            kw(.show), kw(.count),
        ]),
        LexCase("union intersect except let", [kw(.union), kw(.intersect), kw(.except), kw(.let)]),
        LexCase("in last 30 days in next 2 weeks 6 months ago 1 year ago today", [
            kw(.in), kw(.last), num("30"), kw(.days), kw(.in), kw(.next), num("2"), kw(.weeks), num("6"), kw(.months),
            kw(.ago), num("1"), kw(.year), kw(.ago), kw(.today),
        ]),
        LexCase("is not empty has any all between like contains before after or", [
            kw(.is), kw(.not), kw(.empty), kw(.has), kw(.any), kw(.all), kw(.between), kw(.like), kw(.contains),
            kw(.before), kw(.after), kw(.or),
        ]),
        LexCase("day week month years", [kw(.day), kw(.week), kw(.month), kw(.years)]),
        // Identifiers: letters, digits, `_`, non-ASCII letters; not starting with a digit.
        LexCase("last_contact _x a1 深圳 王伟 Zoë", [
            id("last_contact"), id("_x"), id("a1"), id("深圳"), id("王伟"), id("Zoë"),
        ]),
        LexCase("city=深圳", [id("city"), tok(.equal, "="), id("深圳")]),
        // Numbers and suffixes.
        LexCase("1_000 1.25 1.5m 100万 2亿 3k 4K 5M 6b 7B 0.5k 007", [
            num("1_000"), num("1.25"), num("1.5m"), num("100万"), num("2亿"), num("3k"), num("4K"), num("5M"),
            num("6b"), num("7B"), num("0.5k"), num("007"),
        ]),
        // A suffix only counts when it ends the word.
        LexCase("6months", [num("6"), kw(.months)]),
        LexCase("1mm 1abc 100万元", [num("1"), id("mm"), num("1"), id("abc"), num("100"), id("万元")]),
        LexCase("1. 1_ 1__0", [num("1"), tok(.illegal, "."), num("1"), id("_"), num("1"), id("__0")]),
        LexCase("-1 - 1", [tok(.minus, "-"), num("1"), tok(.minus, "-"), num("1")]),
        // Dates are one token; the parser checks the calendar.
        LexCase("2026-01-05 2026-02-30 2026-1-5", [
            tok(.date, "2026-01-05"), tok(.date, "2026-02-30"), tok(.date, "2026-1-5"),
        ]),
        LexCase("after 2026-01-05)", [kw(.after), tok(.date, "2026-01-05"), tok(.rightParen, ")")]),
        // Strings, with doubled quotes and backslash escapes inside.
        LexCase(#""abc" 'xyz' 'O''Brien' "say \"hi\"" 'a\\b' "王%" """#, [
            tok(.string, #""abc""#), tok(.string, "'xyz'"), tok(.string, "'O''Brien'"), tok(.string, #""say \"hi\"""#),
            tok(.string, #"'a\\b'"#), tok(.string, #""王%""#), tok(.string, #""""#),
        ]),
        LexCase(#"name ~ "(^| )Wang( |$)""#, [id("name"), tok(.tilde, "~"), tok(.string, #""(^| )Wang( |$)""#)]),
        LexCase(#"x = "abc"#, [id("x"), tok(.equal, "="), tok(.unterminatedString, #""abc"#)]),
        LexCase("x = 'abc\ny", [id("x"), tok(.equal, "="), tok(.unterminatedString, "'abc"), nl, id("y")]),
        LexCase(#"'a\'"#, [tok(.unterminatedString, #"'a\'"#)]),
        // Parameters.
        LexCase("$min_assets $深圳", [tok(.parameter, "$min_assets"), tok(.parameter, "$深圳")]),
        // Comments run to the end of the line.
        LexCase("a -- comment\nb", [id("a"), nl, id("b")]),
        LexCase("a # comment\nb", [id("a"), nl, id("b")]),
        LexCase("loans > 10-- c", [id("loans"), tok(.greater, ">"), num("10")]),
        LexCase("-- only a comment", []),
        // Full-width punctuation and the ideographic space.
        LexCase("（a，b）＝＜＞；", [
            tok(.leftParen, "（"), id("a"), tok(.comma, "，"), id("b"), tok(.rightParen, "）"), tok(.equal, "＝"),
            tok(.notEqual, "＜＞"), tok(.semicolon, "；"),
        ]),
        LexCase("a＜＝b＞＝c！＝d～e＜f＞g", [
            id("a"), tok(.lessOrEqual, "＜＝"), id("b"), tok(.greaterOrEqual, "＞＝"), id("c"), tok(.notEqual, "！＝"),
            id("d"), tok(.tilde, "～"), id("e"), tok(.less, "＜"), id("f"), tok(.greater, "＞"), id("g"),
        ]),
        LexCase("城市\u{3000}＝\u{3000}深圳", [id("城市"), tok(.equal, "＝"), id("深圳")]),
        // Illegal characters become tokens; the lexer goes on after them.
        LexCase("a @ b", [id("a"), tok(.illegal, "@"), id("b")]),
        LexCase("! $ $1 。 %", [
            tok(.illegal, "!"), tok(.illegal, "$"), tok(.illegal, "$"), num("1"), tok(.illegal, "。"), tok(.illegal, "%"),
        ]),
        // Line breaks end statements, except inside parentheses and after a token that needs more.
        LexCase("a\nb", [id("a"), nl, id("b")]),
        LexCase("a\n\nb", [id("a"), nl, nl, id("b")]),
        LexCase("a\r\nb", [id("a"), nl, id("b")]),
        LexCase("\na", [nl, id("a")]),
        LexCase("clients where\n  risk=\naverse", [id("clients"), kw(.where), id("risk"), tok(.equal, "="), id("averse")]),
        LexCase("a and -- more below\n b", [id("a"), kw(.and), id("b")]),
        LexCase("(a\nb)\nc", [tok(.leftParen, "("), id("a"), id("b"), tok(.rightParen, ")"), nl, id("c")]),
        LexCase("x in (a,\n b)", [id("x"), kw(.in), tok(.leftParen, "("), id("a"), tok(.comma, ","), id("b"), tok(.rightParen, ")")]),
        LexCase("a count\nb", [id("a"), kw(.count), nl, id("b")]),
        LexCase("sort\nby\nx", [kw(.sort), kw(.by), id("x")]),
        LexCase("a ;\nb", [id("a"), tok(.semicolon, ";"), nl, id("b")]),
        LexCase(")\na", [tok(.rightParen, ")"), nl, id("a")]),
        // Quoted names: one identifier whatever is inside, never a keyword, never a string.
        LexCase("clients show `资产余额(元)`, `最近联系 日期`", [
            id("clients"), kw(.show), id("`资产余额(元)`"), tok(.comma, ","), id("`最近联系 日期`"),
        ]),
        LexCase("`Last Contact`>=2024-01-01", [id("`Last Contact`"), tok(.greaterOrEqual, ">="), tok(.date, "2024-01-01")]),
        LexCase("`count` `where` `a``b`", [id("`count`"), id("`where`"), id("`a``b`")]),
        LexCase("`资产（元）`", [id("`资产（元）`")]),
        LexCase("x = \"`a`\"", [id("x"), tok(.equal, "="), tok(.string, "\"`a`\"")]),
        LexCase("`a", [tok(.unterminatedString, "`a")]),
        LexCase("`a\nb", [tok(.unterminatedString, "`a"), nl, id("b")]),
        LexCase("`` x", [tok(.illegal, "``"), id("x")]),
    ]

    @Test(arguments: cases)
    func lexes(_ c: LexCase) {
        #expect(lexAll(c.input) == c.tokens)
    }

    @Test func everyKeywordLexesAsItself() {
        for keyword in Keyword.allCases {
            #expect(lexAll(keyword.rawValue) == [kw(keyword)])
            #expect(lexAll(keyword.rawValue.uppercased()) == [kw(keyword, keyword.rawValue.uppercased())])
            // A keyword with more letters is an identifier.
            #expect(lexAll(keyword.rawValue + "x") == [id(keyword.rawValue + "x")])
        }
    }

    @Test func rangesAreByteOffsets() {
        let source = Source(name: "", text: "深圳 = 'x'")
        var lexer = Lexer(source)
        #expect(lexer.next().range == SourceRange(0, 6))
        #expect(lexer.next().range == SourceRange(7, 8))
        #expect(lexer.next().range == SourceRange(9, 12))
        let end = lexer.next()
        #expect(end.kind == .endOfInput)
        #expect(end.range == SourceRange(12, 12))
        #expect(lexer.next().kind == .endOfInput)
    }

    @Test func parenDepthIsTracked() {
        var lexer = Lexer(Source(name: "", text: "((a)"))
        while lexer.next().kind != .endOfInput {}
        #expect(lexer.parenDepth == 1)
        lexer.resetNesting()
        #expect(lexer.parenDepth == 0)
    }

    // MARK: Literal values (read through the parser, which asks the lexer for them)

    static let numbers: [(String, Int64, Int)] = [
        ("0", 0, 0), ("007", 7, 0), ("1_000_000", 1_000_000, 0), ("1.25", 125, 2), ("1.50", 150, 2),
        ("1.5m", 1_500_000, 0), ("1.5M", 1_500_000, 0), ("0.5k", 500, 0), ("3K", 3_000, 0), ("2b", 2_000_000_000, 0),
        ("2B", 2_000_000_000, 0), ("100万", 1_000_000, 0), ("1.5万", 15_000, 0), ("2亿", 200_000_000, 0),
        ("1.2345k", 12_345, 1), ("0.000001m", 1, 0), ("0.0000001m", 1, 1), ("1_000.000_5", 10_000_005, 4),
        ("9223372036854775807", Int64.max, 0), ("9.223372036854775807b", 9_223_372_036_854_775_807, 9),
        ("-1", -1, 0), ("-1.5k", -1_500, 0), ("-9223372036854775808", Int64.min, 0),
    ]

    @Test func numberValues() throws {
        for (text, mantissa, scale) in Self.numbers {
            let (script, errors) = Parser.parse(Source(name: "", text: "t where x = \(text)"))
            #expect(errors.isEmpty, "\(text)")
            guard case .query(let q)? = script.statements.first, case .predicate(let p)? = q.condition,
                  case .compare(_, .number(let n), _) = p.test else {
                Issue.record("\(text): not a number")
                continue
            }
            #expect(n.mantissa == mantissa && n.scale == scale, "\(text): \(n.mantissa) scale \(n.scale)")
        }
    }

    static let strings: [(String, String)] = [
        (#""abc""#, "abc"), ("'abc'", "abc"), (#""""#, ""), ("'O''Brien'", "O'Brien"), (#""say ""hi""""#, #"say "hi""#),
        (#""say \"hi\"""#, #"say "hi""#), (#"'it\'s'"#, "it's"), (#""a\\b""#, #"a\b"#), (#""a\nb\tc""#, "a\nb\tc"),
        (#""\d+\.\w""#, #"\d+\.\w"#), (#""王%""#, "王%"), (#"'"'"#, #"""#), (#""'""#, "'"),
    ]

    @Test func quotedNames() {
        let text = "`资产余额(元)` `a``b` plain"
        let source = Source(name: "", text: text)
        var lexer = Lexer(source)
        var names: [String] = []
        var quoted: [Bool] = []
        while true {
            let t = lexer.next()
            if t.kind == .endOfInput { break }
            names.append(lexer.name(t.range))
            quoted.append(lexer.isQuotedName(t.range))
        }
        #expect(names == ["资产余额(元)", "a`b", "plain"])
        #expect(quoted == [true, true, false])
        // How a field is written: bare when it lexes as one plain name.
        #expect(Lexer.spelling(of: "assets") == "assets")
        #expect(Lexer.spelling(of: "资产余额") == "资产余额")
        #expect(Lexer.spelling(of: "资产余额(元)") == "`资产余额(元)`")
        #expect(Lexer.spelling(of: "最近联系 日期") == "`最近联系 日期`")
        #expect(Lexer.spelling(of: "count") == "`count`")
        #expect(Lexer.spelling(of: "a`b") == "`a``b`")
        #expect(Lexer.spelling(of: "2024") == "`2024`")
        // A quoted name is not a table name (`--data NAME=`, `.load … as NAME`).
        #expect(!Lexer.isName("`a b`"))
    }

    @Test func stringValues() throws {
        for (text, value) in Self.strings {
            let (script, errors) = Parser.parse(Source(name: "", text: "t where x = \(text)"))
            #expect(errors.isEmpty, "\(text)")
            guard case .query(let q)? = script.statements.first, case .predicate(let p)? = q.condition,
                  case .compare(_, .string(let s, _), _) = p.test else {
                Issue.record("\(text): not a string")
                continue
            }
            #expect(s == value, "\(text)")
        }
    }

    @Test func dateValues() throws {
        for (text, ymd) in [("1970-01-01", (1970, 1, 1)), ("2024-02-29", (2024, 2, 29)), ("2026-12-31", (2026, 12, 31))] {
            let (script, errors) = Parser.parse(Source(name: "", text: "t where x = \(text)"))
            #expect(errors.isEmpty, "\(text)")
            guard case .query(let q)? = script.statements.first, case .predicate(let p)? = q.condition,
                  case .compare(_, .date(let day, _), _) = p.test else {
                Issue.record("\(text): not a date")
                continue
            }
            #expect(day == CivilDate.days(year: ymd.0, month: ymd.1, day: ymd.2), "\(text)")
        }
    }
}
