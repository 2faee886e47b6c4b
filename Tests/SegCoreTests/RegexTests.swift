import Foundation
import SegTestSupport
import Testing
@testable import SegBase
@testable import SegPatterns
@testable import SegStore
@testable import SegSyntax
@testable import SegFunctions
@testable import SegSemantics
@testable import SegSQL
@testable import SegIO
@testable import SegEngine
@testable import SegCommands

/// One search: does `pattern` match somewhere in `input`?
struct RegexCase: Sendable, CustomStringConvertible {
    var pattern: String
    var input: String
    var expected: Bool
    var description: String { "\(pattern.debugDescription) ~ \(input.debugDescription) -> \(expected)" }
}

private func yes(_ pattern: String, _ input: String) -> RegexCase { RegexCase(pattern: pattern, input: input, expected: true) }
private func no(_ pattern: String, _ input: String) -> RegexCase { RegexCase(pattern: pattern, input: input, expected: false) }

private let cases: [RegexCase] = [
    // Literals and search semantics.
    yes("", ""), yes("", "abc"), yes("abc", "xxabcxx"), no("abc", "abx"), no("abc", ""), yes("b", "abc"),
    yes("Wang", "Li Wang"), no("Wang", "wang"),
    // UTF-8 literals.
    yes("王", "王小明"), yes("小明", "王小明"), no("王", "汪小明"), yes("é", "café"), yes("😀", "a😀b"),
    // Dot: one whole character, not newline.
    yes("a.c", "abc"), yes("a.c", "a王c"), no("a.c", "a王王c"), yes("a..c", "a王王c"), no("a.c", "a\nc"),
    yes("^.$", "王"), no("^.$", "王王"), yes("^..$", "王王"), yes("^.$", "😀"), no("^.$", ""),
    yes("王.*", "王"), yes("王.*", "小王八"), no("王.*", "汪"), yes("(?s)a.c", "a\nc"),
    // Character classes.
    yes("[abc]", "xbx"), no("[abc]", "xyz"), yes("[^a-z]", "abc1"), no("[^a-z]", "abc"), yes("[^a-z]", "王"),
    yes("^[a-c]+$", "abcabc"), no("^[a-c]+$", "abcd"), yes("[]a]", "]"), yes("[a-]", "-"), yes("[-a]", "-"),
    yes("[一-龥]", "ab王c"), no("[一-龥]", "abc"), yes("^[一-龥]{2,3}$", "王小明"), no("^[一-龥]{2,3}$", "王小明明"),
    no("^[^一-龥]+$", "ab王"), yes("^[^一-龥]+$", "abc"), yes("[\\d]", "a1"), yes("[\\w.]", "."), yes("[\\]]", "]"),
    yes("[\\-]", "-"), yes("[a\\-z]", "-"), no("[a\\-z]", "b"), yes("[[:alpha:]]", "1a"), no("[[:alpha:]]", "12"),
    yes("[[:digit:][:upper:]]", "aB"), yes("[[:^digit:]]", "1a"), no("[[:^digit:]]", "12"), yes("[é-ë]", "ê"),
    yes("[\\x{4e00}-\\x{9fa5}]", "王"), yes("[^\\n]", "a"), no("^[^\\n]$", "\n"), yes("[.]", "."), no("[.]", "a"),
    // Escapes.
    yes("\\d", "a5"), no("\\d", "abc"), yes("^\\D+$", "abc"), no("^\\D+$", "ab1"), yes("\\w", "!_"), no("\\w", "!?"),
    yes("\\W", "a b"), yes("\\s", "a b"), yes("\\s", "a\tb"), no("\\s", "ab"), yes("^\\S+$", "ab"), no("^\\S+$", "a b"),
    yes("\\.", "a.b"), no("\\.", "ab"), yes("\\\\", "a\\b"), yes("\\(", "("), yes("\\[", "["), yes("\\n", "a\nb"),
    yes("\\t", "a\tb"), yes("\\*\\+\\?\\{\\}\\|\\^\\$", "*+?{}|^$"), yes("\\x41", "A"), yes("\\x{738B}", "王"),
    yes("\\u738B", "王"), yes("\\Qa.b\\E", "a.b"), no("\\Qa.b\\E", "axb"), yes("\\/", "/"), yes("\\王", "王"),
    // Anchors.
    yes("^abc", "abcd"), no("^abc", "xabc"), yes("abc$", "xabc"), no("abc$", "abcx"), yes("^$", ""), no("^$", "a"),
    yes("^abc$", "abc"), no("^abc$", "abcc"), no("^abc$", "ab"), yes("^王$", "王"), no("王$", "王a"), yes("王$", "a王"),
    no("^王", "a王"), no("^王", ""), no("^王$", ""), yes("^$", ""), yes("^", "x"), yes("$", ""), no("a^b", "ab"), no("a$b", "ab"), yes("\\Aab\\z", "ab"), no("^b", "ab\nb"), no("a$", "a\n"),
    // Word boundaries (ASCII words).
    yes("\\bWang\\b", "Li Wang"), no("\\bWang\\b", "Wangfei"), yes("\\bfoo\\b", "foo"), yes("\\bfoo\\b", "(foo)"),
    no("\\bfoo\\b", "afoo"), yes("\\Boo\\B", "foox" + "oo"), yes("a\\B", "ab"), no("a\\B", "a b"), no("\\b", ""),
    yes("\\B", ""), yes("\\b", "a"), no("^\\b$", ""), yes("王\\b", "王a"), no("王\\b", "王 "),
    // Groups and alternation.
    yes("(^| )Wang( |$)", "Wang"), yes("(^| )Wang( |$)", "Li Wang Fei"), yes("(^| )Wang( |$)", "Li Wang"),
    no("(^| )Wang( |$)", "LiWang"), no("(^| )Wang( |$)", "Wangfei"), yes("a|b", "b"), no("a|b", "c"),
    yes("^(ab|cd)+$", "abcdab"), no("^(ab|cd)+$", "abcda"), yes("(?:ab)+c", "ababc"), yes("^(a(b(c|d))+)$", "abcbd"),
    no("^(a(b(c|d))+)$", "abcbe"), yes("^(|a)$", ""), yes("^(a|)$", "a"), yes("x(a|b|)y", "xy"),
    yes("^(王|李)(小|大)明$", "李大明"), no("^(王|李)(小|大)明$", "张大明"), yes("(?<name>ab)", "ab"), yes("(?P<n>ab)c", "abc"),
    yes("a(?#comment)b", "ab"), yes("()", "x"), yes("^(?:)$", ""),
    // Quantifiers, nested and counted.
    yes("^a*$", ""), yes("^a*$", "aaa"), no("^a+$", ""), yes("^a+$", "aa"), yes("^ab?c$", "ac"), yes("^ab?c$", "abc"),
    no("^ab?c$", "abbc"), yes("^a*?b+?c??$", "aab"), yes("^a{3}$", "aaa"), no("^a{3}$", "aa"), no("^a{3}$", "aaaa"),
    yes("^a{2,}$", "aaaaa"), no("^a{2,}$", "a"), yes("^a{2,3}$", "aaa"), no("^a{2,3}$", "aaaa"), yes("^a{0}$", ""),
    yes("^(ab){2}$", "abab"), yes("^((a|b){2}c)+$", "abcbbc"), no("^((a|b){2}c)+$", "abcbc"), yes("^(a*)*$", "aa"),
    yes("^(a*)+b$", "b"), yes("^(a?){3}a{3}$", "aaa"), yes("^王{2}$", "王王"), no("^王{2}$", "王"), yes("^.{3}$", "王a😀"),
    yes("a{,2}", "a{,2}"), yes("a{x}", "a{x}"), yes("{", "{"), yes("a{1", "a{1"), yes("^[0-9]{3}-[0-9]{4}$", "555-1234"),
    // Case-insensitivity (ASCII).
    yes("(?i)wang", "WANG"), yes("(?i)WaNg", "wang"), no("wang", "WANG"), yes("(?i)[a-c]+$", "xABC"), no("(?i)[^a]", "A"),
    yes("a(?i)b", "aB"), no("a(?i)b", "AB"), yes("(?i:a)b", "Ab"), no("(?i:a)b", "AB"), yes("(?i)王", "王"),
    yes("((?i)a)b", "Ab"), no("((?i)a)b", "AB"), yes("(?i)a(?-i)b", "Ab"), no("(?i)a(?-i)b", "AB"),
]

@Test(arguments: cases)
func regexMatches(_ c: RegexCase) throws {
    let matcher = try RegexMatcher(c.pattern)
    #expect(matcher.matches(c.input) == c.expected)
    var bytes = Array(c.input.utf8)
    #expect(bytes.withUnsafeBufferPointer { matcher.matches($0) } == c.expected)
    // The NFA simulation (used when a DFA would be too large) gives the same answer.
    let nfaOnly = try RegexProgram(c.pattern, maxDFAStates: 0)
    bytes = Array(c.input.utf8)
    #expect(bytes.withUnsafeBufferPointer { nfaOnly.matches($0) } == c.expected)
}

/// A pattern seg refuses, and the reason it gives.
struct RegexErrorCase: Sendable, CustomStringConvertible {
    var pattern: String
    var message: String
    var description: String { pattern.debugDescription }
}

private let errorCases: [RegexErrorCase] = [
    .init(pattern: "(unclosed", message: "missing ')'"),
    .init(pattern: "a)", message: "unmatched ')'"),
    .init(pattern: "[abc", message: "missing ']'"),
    .init(pattern: "[a\\", message: "missing ']'"),
    .init(pattern: "*a", message: "nothing to repeat before '*'"),
    .init(pattern: "a|+", message: "nothing to repeat before '+'"),
    .init(pattern: "(?", message: "missing ')'"),
    .init(pattern: "{2}", message: "nothing to repeat before '{2}'"),
    .init(pattern: "a**", message: "quantifier '*' follows another quantifier"),
    .init(pattern: "a*+", message: "possessive quantifier '*+' is not supported"),
    .init(pattern: "a{3,2}", message: "invalid repetition {3,2}: minimum above maximum"),
    .init(pattern: "a{1001}", message: "regular expression too large: repetition {1001} is above 1000"),
    .init(pattern: "a{1,5000}", message: "regular expression too large: repetition {1,5000} is above 1000"),
    .init(pattern: "(a{1000}){1000}", message: "regular expression too large"),
    .init(pattern: "[^a]{1000}[^b]{1000}", message: "regular expression too large"),
    .init(pattern: "(a)\\1", message: "backreference '\\1' is not supported"),
    .init(pattern: "\\k<n>", message: "backreference '\\k' is not supported"),
    .init(pattern: "a(?=b)", message: "lookahead '(?=' is not supported"),
    .init(pattern: "a(?!b)", message: "negative lookahead '(?!' is not supported"),
    .init(pattern: "(?<=a)b", message: "lookbehind '(?<=' is not supported"),
    .init(pattern: "(?<!a)b", message: "negative lookbehind '(?<!' is not supported"),
    .init(pattern: "(?>a)", message: "atomic group '(?>' is not supported"),
    .init(pattern: "(?m)a", message: "unsupported group or flag '(?m'"),
    .init(pattern: "(?<>a)", message: "invalid group name"),
    .init(pattern: "(?<a", message: "invalid group name"),
    .init(pattern: "(?P", message: "unsupported group or flag '(?P'"),
    .init(pattern: "(?Px)", message: "unsupported group or flag '(?P'"),
    .init(pattern: "(?P=n)", message: "backreference '(?P=' is not supported"),
    .init(pattern: "(?i", message: "missing ')'"),
    .init(pattern: "(?#", message: "missing ')'"),
    .init(pattern: "\\x{41", message: "missing '}' in '\\x{…}'"),
    .init(pattern: "[[:alpha:]", message: "missing ']'"),
    .init(pattern: "\\p{Han}", message: "Unicode property classes ('\\p{…}') are not supported"),
    .init(pattern: "\\q", message: "unknown escape '\\q'"),
    .init(pattern: "a\\", message: "trailing backslash at end of pattern"),
    .init(pattern: "\\xZZ", message: "invalid escape '\\xZZ'"),
    .init(pattern: "\\x{110000}", message: "invalid escape '\\x110000'"),
    .init(pattern: "[z-a]", message: "invalid range 'z-a' in character class"),
    .init(pattern: "[a-\\d]", message: "invalid range in character class"),
    .init(pattern: "[[:alfa:]]", message: "unknown character class '[:alfa:]'"),
    .init(pattern: String(repeating: "(", count: 300), message: "groups nested more than 200 deep"),
]

@Test(arguments: errorCases)
func regexErrors(_ c: RegexErrorCase) {
    #expect { try RegexMatcher(c.pattern) } throws: { ($0 as? RegexError)?.description == c.message }
}

/// The same errors as catalogue cases, which a translation renders in its own words.
@Test func regexErrorsAreCatalogueCases() {
    #expect(throws: RegexError(.missing(")", in: nil))) { try RegexMatcher("(unclosed") }
    #expect(throws: RegexError(.notSupported(.lookahead))) { try RegexMatcher("a(?=b)") }
    #expect(throws: RegexError(.repetitionTooLarge("{1001}", limit: 1000))) { try RegexMatcher("a{1001}") }
    #expect(throws: RegexError(.invalidClassRange("z-a"))) { try RegexMatcher("[z-a]") }
}

@Test func regexDeepButAllowedNesting() throws {
    let pattern = String(repeating: "(", count: 200) + "a" + String(repeating: ")", count: 200)
    #expect(try RegexMatcher(pattern).matches("xa"))
}

/// Random strings of metacharacters: each either compiles and runs, or fails with a RegexError.
@Test func regexSurvivesGarbagePatterns() {
    var rng = SeededRandom(seed: 7)
    let pieces = ["(", ")", "[", "]", "{", "}", "?", "*", "+", "|", "^", "$", ".", "\\", "-", ",", ":", "<", ">",
                  "=", "!", "#", "'", "P", "i", "a", "1", "2", "王", "x", "Q", "E", "b", "d", "w"]
    var compiled = 0
    for _ in 0..<3000 {
        let pattern = (0..<Int.random(in: 1...10, using: &rng)).map { _ in
            pieces[Int.random(in: 0..<pieces.count, using: &rng)]
        }.joined()
        do {
            let matcher = try RegexMatcher(pattern)
            _ = matcher.matches("a1王x(b]")
            compiled += 1
        } catch {
            #expect(error is RegexError, "\(pattern)")
        }
    }
    #expect(compiled > 100)
}

// MARK: - Pathological patterns: linear time, no backtracking

@Test func regexPathologicalPatternsFinish() throws {
    let a = String(repeating: "a", count: 30_000)
    let x = String(repeating: "x", count: 30_000)
    #expect(try !RegexMatcher("(a+)+$").matches(a + "b"))
    #expect(try !RegexMatcher("^(a+)+$").matches(a + "b"))
    #expect(try RegexMatcher("^(a+)+$").matches(a))
    #expect(try !RegexMatcher("(a|a)*b").matches(a))
    #expect(try RegexMatcher("(a|a)*b").matches(a + "b"))
    #expect(try !RegexMatcher("(x+x+)+y").matches(x))
    #expect(try RegexMatcher("(x+x+)+y").matches(x + "y"))
    #expect(try !RegexMatcher("^(a|aa)*c$").matches(a))
    #expect(try !RegexMatcher("(.*a){20}b").matches(a))
    #expect(try !RegexMatcher("^(\\w+\\s?)*$").matches(a + "!"))
}

@Test func regexLargeDFAFallsBackToNFA() throws {
    // The DFA for "an a, 12 characters from the end" needs 2^12 states: too many to build.
    #expect(try RegexProgram("a[ab]{12}$").kind == .nfa)
    let matcher = try RegexMatcher("a[ab]{12}$")
    #expect(matcher.matches(String(repeating: "b", count: 30_000) + "a" + String(repeating: "b", count: 12)))
    #expect(!matcher.matches(String(repeating: "b", count: 30_000) + "a" + String(repeating: "b", count: 13)))
    #expect(!matcher.matches(String(repeating: "ab", count: 15_000)))
}

@Test func regexEnginesChosen() throws {
    func kind(_ p: String) throws -> RegexProgram.Kind { try RegexProgram(p).kind }
    #expect(try kind("a*") == .always)
    #expect(try kind("") == .always)
    #expect(try kind(".*王.*") == .contains)
    #expect(try kind("王.*") == .contains)
    #expect(try kind("^王") == .prefix)
    #expect(try kind("王$") == .suffix)
    #expect(try kind("^王小明$") == .exact)
    #expect(try kind("^王|李") == .dfa)
    #expect(try kind("(^| )Wang( |$)") == .dfa)
    #expect(try RegexProgram("(^| )Wang( |$)").literal == Array("Wang".utf8))
    #expect(try RegexProgram("(?i)wang").literal.isEmpty)
}

@Test func regexMatcherIsSendable() async throws {
    let matcher = try RegexMatcher("(^| )Wang( |$)")
    let results = await withTaskGroup(of: Bool.self) { group in
        for k in 0..<8 { group.addTask { matcher.matches(k.isMultiple(of: 2) ? "Li Wang" : "Wangfei") } }
        var all: [Bool] = []
        for await r in group { all.append(r) }
        return all
    }
    #expect(results.filter { $0 }.count == 4)
}

// MARK: - Cross-check against NSRegularExpression

private func randomAtom(_ rng: inout SeededRandom, depth: Int) -> String {
    let atoms = ["a", "b", "a", "b", ".", "[ab]", "[^a]", "\\b", "\\B", "^", "$", "\\w", "\\s", " ", "A"]
    if depth < 2, Int.random(in: 0..<4, using: &rng) == 0 {
        return "(" + randomPattern(&rng, depth: depth + 1) + ")"
    }
    return atoms[Int.random(in: 0..<atoms.count, using: &rng)]
}

private func randomPattern(_ rng: inout SeededRandom, depth: Int) -> String {
    var branches: [String] = []
    for _ in 0..<(Int.random(in: 0..<5, using: &rng) == 0 ? 2 : 1) {
        var branch = ""
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let atom = randomAtom(&rng, depth: depth)
            let zeroWidth = ["\\b", "\\B", "^", "$"].contains(atom)
            let quantifiers = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}"]
            branch += atom + (zeroWidth ? "" : quantifiers[Int.random(in: 0..<quantifiers.count, using: &rng)])
        }
        branches.append(branch)
    }
    return branches.joined(separator: "|")
}

@Test func regexAgreesWithNSRegularExpression() throws {
    var rng = SeededRandom(seed: 20_240_611)
    var disagreements: [String] = []
    var checked = 0
    for _ in 0..<400 {
        var pattern = randomPattern(&rng, depth: 0)
        if Int.random(in: 0..<8, using: &rng) == 0 { pattern = "(?i)" + pattern }
        let ours = try RegexMatcher(pattern)
        let nfa = try RegexProgram(pattern, maxDFAStates: 0)
        let icu = try NSRegularExpression(pattern: pattern)
        for _ in 0..<12 {
            // ICU's \w and \b count 王 as a word character; seg's (like RE2's) are ASCII.
            let ascii = ["\\w", "\\b", "\\B"].contains { pattern.contains($0) }
            let alphabet: [Character] = ascii ? ["a", "b", " ", "A", "-"] : ["a", "b", " ", "A", "王"]
            let input = String((0..<Int.random(in: 0...8, using: &rng)).map { _ in
                alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
            })
            let expected = icu.firstMatch(in: input, range: NSRange(input.startIndex..., in: input)) != nil
            let bytes = Array(input.utf8)
            let viaNFA = bytes.withUnsafeBufferPointer { nfa.matches($0) }
            let viaMatcher = ours.matches(input)
            if viaMatcher != expected || viaNFA != expected {
                disagreements.append("\(pattern.debugDescription) ~ \(input.debugDescription): ICU says \(expected), "
                    + "seg \(viaMatcher), NFA \(viaNFA)")
            }
            checked += 1
        }
    }
    #expect(disagreements.isEmpty, "\(disagreements.prefix(20).joined(separator: "\n"))")
    #expect(checked == 4800)
}
