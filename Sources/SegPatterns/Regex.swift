import Foundation
import SegBase

// A regular expression engine for seg's `~` operator, in the RE2 family: the pattern is
// compiled to a Thompson NFA over UTF-8 bytes, and the NFA to a DFA built eagerly up to a
// state budget. Matching is one table lookup per byte, never backtracks, and so takes time
// linear in the value whatever the pattern. A pattern whose DFA would be too large runs as
// an NFA simulation instead (still linear: the work per byte is bounded by the program size).
//
// Semantics follow PostgreSQL `~` and RE2 defaults: a search anywhere in the value, `^`/`$`
// at the start/end of the value, `.` any character but newline, `\d \w \s \b` ASCII.

// MARK: - Errors

/// Why a pattern could not be compiled: a short phrase such as `missing ')'`.
public struct RegexError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: PatternMessage
    public init(_ message: PatternMessage) { self.message = message }
    public var description: String { Message.pattern(message).text() }
}

// MARK: - Syntax tree

/// A set of Unicode scalar values as sorted, disjoint, non-adjacent ranges.
struct ScalarSet: Equatable, Sendable {
    private(set) var ranges: [ClosedRange<UInt32>]

    static let maxScalar: UInt32 = 0x10FFFF

    init(_ ranges: [ClosedRange<UInt32>] = []) {
        self.ranges = ranges
        normalize()
    }

    mutating func insert(_ range: ClosedRange<UInt32>) { ranges.append(range) }
    mutating func insert(_ other: ScalarSet) { ranges.append(contentsOf: other.ranges) }

    mutating func normalize() {
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for r in ranges {
            if let last = merged.last, r.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        ranges = merged
    }

    /// Every scalar not in the set (surrogates are never scalars, so they stay out).
    func inverted() -> ScalarSet {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound + 1
        }
        if next <= Self.maxScalar { out.append(next...Self.maxScalar) }
        return ScalarSet(out)
    }

    /// The set plus the other case of every ASCII letter in it (`(?i)` is ASCII-only).
    func caseFoldedASCII() -> ScalarSet {
        var out = self
        for r in ranges {
            for (lo, hi, delta) in [(UInt32(0x41), UInt32(0x5A), Int64(32)), (0x61, 0x7A, -32)] {
                let a = max(r.lowerBound, lo), b = min(r.upperBound, hi)
                if a <= b { out.insert(UInt32(Int64(a) + delta)...UInt32(Int64(b) + delta)) }
            }
        }
        out.normalize()
        return out
    }

    static let digit = ScalarSet([0x30...0x39])
    static let word = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let space = ScalarSet([0x09...0x0D, 0x20...0x20])
    static let all = ScalarSet([0...maxScalar])
    static let allButNewline = ScalarSet([0...9, 11...maxScalar])
}

enum RegexAssertion: Sendable, Equatable {
    case begin, end, wordBoundary, notWordBoundary
}

indirect enum RegexNode: Sendable, Equatable {
    case empty
    case literal(UInt32)
    case set(ScalarSet)
    case assertion(RegexAssertion)
    case concat([RegexNode])
    case alternate([RegexNode])
    /// `max == nil` is unbounded.
    case repetition(RegexNode, min: Int, max: Int?)

    /// Matches the empty string without depending on any context, so it can be dropped
    /// from either end of a search pattern without changing whether a value matches.
    var isTriviallyNullable: Bool {
        switch self {
        case .empty: return true
        case .literal, .set, .assertion: return false
        case .concat(let items): return items.allSatisfy(\.isTriviallyNullable)
        case .alternate(let branches): return branches.contains(where: \.isTriviallyNullable)
        case .repetition(let node, let min, _): return min == 0 || node.isTriviallyNullable
        }
    }

    var usesWordBoundary: Bool {
        switch self {
        case .assertion(.wordBoundary), .assertion(.notWordBoundary): return true
        case .empty, .literal, .set, .assertion: return false
        case .concat(let items), .alternate(let items): return items.contains(where: \.usesWordBoundary)
        case .repetition(let node, _, _): return node.usesWordBoundary
        }
    }
}

// MARK: - Parser

/// Recursive descent over the pattern's Unicode scalars.
struct RegexParser {
    static let maxRepeat = 1000
    static let maxDepth = 200

    private let s: [Unicode.Scalar]
    private var i = 0
    private var caseless = false
    private var dotAll = false
    private var depth = 0

    init(_ pattern: String) { s = Array(pattern.unicodeScalars) }

    mutating func parse() throws(RegexError) -> RegexNode {
        let node = try parseAlternation()
        if i < s.count { throw RegexError(.unmatchedClose) }
        return node
    }

    private var atEnd: Bool { i >= s.count }
    private func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < s.count ? s[i + offset] : nil }

    private mutating func parseAlternation() throws(RegexError) -> RegexNode {
        var branches = [try parseConcat()]
        while peek() == "|" {
            i += 1
            branches.append(try parseConcat())
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    private mutating func parseConcat() throws(RegexError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek(), c != "|", c != ")" {
            guard let atom = try parseAtom() else { continue }
            let node = try parseQuantifiers(atom)
            if case .concat(let inner) = node { items.append(contentsOf: inner) } else { items.append(node) }
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    private mutating func parseQuantifiers(_ atom: RegexNode) throws(RegexError) -> RegexNode {
        var node = atom
        var quantified = false
        while let c = peek() {
            let start = i
            let bounds: (Int, Int?)
            switch c {
            case "*": bounds = (0, nil); i += 1
            case "+": bounds = (1, nil); i += 1
            case "?": bounds = (0, 1); i += 1
            case "{":
                guard let interval = try parseInterval() else { return node }
                bounds = interval
            default: return node
            }
            let text = String(String.UnicodeScalarView(s[start..<i]))
            if quantified { throw RegexError(.quantifierAfterQuantifier(text)) }
            quantified = true
            if peek() == "?" {
                i += 1 // lazy: the same values match, only the match's extent would differ
            } else if peek() == "+" {
                throw RegexError(.notSupported(.possessive(text + "+")))
            }
            node = .repetition(node, min: bounds.0, max: bounds.1)
        }
        return node
    }

    /// `{m}`, `{m,}` or `{m,n}` at `i`; nil (nothing consumed) when the brace is a literal.
    private mutating func parseInterval() throws(RegexError) -> (Int, Int?)? {
        var j = i + 1
        func number(_ j: inout Int) -> Int? {
            var value = 0, digits = 0
            while j < s.count, ("0"..."9").contains(s[j]) {
                value = min(value * 10 + Int(s[j].value - 0x30), 1_000_000)
                digits += 1
                j += 1
            }
            return digits > 0 ? value : nil
        }
        guard let lo = number(&j) else { return nil }
        var hi: Int? = lo
        if j < s.count, s[j] == "," {
            j += 1
            hi = number(&j)
        }
        guard j < s.count, s[j] == "}" else { return nil }
        let text = String(String.UnicodeScalarView(s[i...j]))
        i = j + 1
        if lo > Self.maxRepeat || (hi ?? 0) > Self.maxRepeat {
            throw RegexError(.repetitionTooLarge(text, limit: Self.maxRepeat))
        }
        if let hi, hi < lo { throw RegexError(.repetitionOutOfOrder(text)) }
        return (lo, hi)
    }

    private func literal(_ c: UInt32) -> RegexNode {
        if caseless, (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) {
            return .set(ScalarSet([c...c]).caseFoldedASCII())
        }
        return .literal(c)
    }

    /// One atom, or nil for text that matches nothing by itself (`(?i)`, `(?#comment)`).
    private mutating func parseAtom() throws(RegexError) -> RegexNode? {
        guard let c = peek() else { return .empty }
        switch c {
        case "(":
            return try parseGroup()
        case "[":
            return .set(try parseClass())
        case ".":
            i += 1
            return .set(dotAll ? .all : .allButNewline)
        case "^":
            i += 1
            return .assertion(.begin)
        case "$":
            i += 1
            return .assertion(.end)
        case "\\":
            return try parseEscape()
        case "*", "+", "?":
            throw RegexError(.nothingToRepeat(String(c)))
        case "{":
            let save = i
            if try parseInterval() != nil {
                let text = String(String.UnicodeScalarView(s[save..<i]))
                throw RegexError(.nothingToRepeat(text))
            }
            i += 1
            return literal(c.value)
        default:
            i += 1
            return literal(c.value)
        }
    }

    private mutating func parseGroup() throws(RegexError) -> RegexNode? {
        i += 1 // (
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw RegexError(.groupsTooDeep(limit: Self.maxDepth)) }
        let saved = (caseless, dotAll)
        if peek() == "?" {
            i += 1
            guard let c = peek() else { throw RegexError(.missing(")", in: nil)) }
            switch c {
            case ":":
                i += 1
            case "=": throw RegexError(.notSupported(.lookahead))
            case "!": throw RegexError(.notSupported(.negativeLookahead))
            case ">": throw RegexError(.notSupported(.atomicGroup))
            case "<" where peek(1) == "=": throw RegexError(.notSupported(.lookbehind))
            case "<" where peek(1) == "!": throw RegexError(.notSupported(.negativeLookbehind))
            case "P" where peek(1) == "=": throw RegexError(.notSupported(.backreference("(?P=")))
            case "P" where peek(1) != "<":
                throw RegexError(.unsupportedGroup("(?P"))
            case "<", "P", "'":
                // A named group: the name is ignored, the group is an ordinary group.
                i += c == "P" ? 2 : 1
                let close: Unicode.Scalar = c == "'" ? "'" : ">"
                let nameStart = i
                while let n = peek(), n != close {
                    guard n.properties.isAlphabetic || n.properties.numericType != nil || n == "_" else {
                        throw RegexError(.invalidGroupName)
                    }
                    i += 1
                }
                if atEnd || i == nameStart { throw RegexError(.invalidGroupName) }
                i += 1
            case "#":
                while let n = peek(), n != ")" { i += 1 }
                if atEnd { throw RegexError(.missing(")", in: nil)) }
                i += 1
                return nil
            default:
                var on = true
                let flagsStart = i
                while let f = peek(), f != ")", f != ":" {
                    switch f {
                    case "i": caseless = on
                    case "s": dotAll = on
                    case "-": on = false
                    default:
                        let text = String(String.UnicodeScalarView(s[(flagsStart - 2)...i]))
                        throw RegexError(.unsupportedGroup(text))
                    }
                    i += 1
                }
                guard let end = peek() else { throw RegexError(.missing(")", in: nil)) }
                i += 1
                if end == ")" { return nil } // flags hold to the end of the enclosing group
            }
        }
        let inner = try parseAlternation()
        guard peek() == ")" else { throw RegexError(.missing(")", in: nil)) }
        i += 1
        (caseless, dotAll) = saved
        return inner
    }

    private mutating func parseEscape() throws(RegexError) -> RegexNode {
        i += 1 // backslash
        guard let c = peek() else { throw RegexError(.trailingBackslash) }
        switch c {
        case "b": i += 1; return .assertion(.wordBoundary)
        case "B": i += 1; return .assertion(.notWordBoundary)
        case "A": i += 1; return .assertion(.begin)
        case "z", "Z": i += 1; return .assertion(.end)
        case "Q":
            i += 1
            var items: [RegexNode] = []
            while let n = peek() {
                if n == "\\", peek(1) == "E" { i += 2; break }
                items.append(literal(n.value))
                i += 1
            }
            return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
        default:
            if let set = try classEscape() { return .set(set) }
            return literal(try characterEscape())
        }
    }

    /// `\d \D \w \W \s \S` at `i` (after the backslash), consumed; nil for anything else.
    private mutating func classEscape() throws(RegexError) -> ScalarSet? {
        let set: ScalarSet
        switch peek() {
        case "d": set = .digit
        case "D": set = ScalarSet.digit.inverted()
        case "w": set = .word
        case "W": set = ScalarSet.word.inverted()
        case "s": set = .space
        case "S": set = ScalarSet.space.inverted()
        case "p", "P": throw RegexError(.notSupported(.unicodeProperties))
        default: return nil
        }
        i += 1
        return set
    }

    /// A single-character escape at `i` (after the backslash): `\n`, `\x41`, `\.` and so on.
    private mutating func characterEscape() throws(RegexError) -> UInt32 {
        guard let c = peek() else { throw RegexError(.trailingBackslash) }
        i += 1
        switch c {
        case "n": return 0x0A
        case "t": return 0x09
        case "r": return 0x0D
        case "f": return 0x0C
        case "v": return 0x0B
        case "a": return 0x07
        case "e": return 0x1B
        case "x", "u":
            var digits = ""
            if c == "x", peek() == "{" {
                i += 1
                while let d = peek(), d != "}" { digits.unicodeScalars.append(d); i += 1 }
                if atEnd { throw RegexError(.missing("}", in: "\\x{…}")) }
                i += 1
            } else {
                for _ in 0..<(c == "x" ? 2 : 4) {
                    guard let d = peek() else { break }
                    digits.unicodeScalars.append(d)
                    i += 1
                }
            }
            guard !digits.isEmpty, digits.count <= 8, let v = UInt32(digits, radix: 16), v <= ScalarSet.maxScalar,
                  !(0xD800...0xDFFF).contains(v)
            else { throw RegexError(.invalidEscape("\\\(c)\(digits)")) }
            return v
        case "1"..."9":
            throw RegexError(.notSupported(.backreference("\\\(c)")))
        case "k":
            throw RegexError(.notSupported(.backreference("\\k")))
        default:
            if c.isASCII, c.properties.isAlphabetic || c.properties.numericType != nil {
                throw RegexError(.unknownEscape("\\\(c)"))
            }
            return c.value
        }
    }

    /// `[...]`, `[^...]` with ranges, escapes and POSIX names such as `[:alpha:]`.
    private mutating func parseClass() throws(RegexError) -> ScalarSet {
        i += 1 // [
        var negated = false
        if peek() == "^" {
            negated = true
            i += 1
        }
        var set = ScalarSet()
        var first = true
        while true {
            guard let c = peek() else { throw RegexError(.missing("]", in: nil)) }
            if c == "]", !first {
                i += 1
                break
            }
            first = false
            if c == "[", peek(1) == ":", let posix = try parsePosixClass() {
                set.insert(posix)
                continue
            }
            let low = try classAtom()
            guard case .literal(let a) = low else {
                if case .set(let s) = low { set.insert(s) }
                continue
            }
            if peek() == "-", let after = peek(1), after != "]" {
                i += 1
                guard case .literal(let b) = try classAtom() else {
                    throw RegexError(.invalidClassRange(nil))
                }
                guard a <= b else {
                    throw RegexError(.invalidClassRange("\(Self.text(a))-\(Self.text(b))"))
                }
                set.insert(a...b)
            } else {
                set.insert(a...a)
            }
        }
        set.normalize()
        if caseless { set = set.caseFoldedASCII() }
        return negated ? set.inverted() : set
    }

    private static func text(_ c: UInt32) -> String {
        Unicode.Scalar(c).map { String($0) } ?? "?"
    }

    private mutating func classAtom() throws(RegexError) -> RegexNode {
        guard let c = peek() else { throw RegexError(.missing("]", in: nil)) }
        if c == "\\" {
            i += 1
            guard peek() != nil else { throw RegexError(.missing("]", in: nil)) }
            if let set = try classEscape() { return .set(set) }
            if peek() == "b" {
                i += 1
                return .literal(0x08) // backspace inside a class, as in Perl
            }
            return .literal(try characterEscape())
        }
        i += 1
        return .literal(c.value)
    }

    /// `[:name:]` or `[:^name:]` at `i`; nil (nothing consumed) if there is no closing `:]`.
    private mutating func parsePosixClass() throws(RegexError) -> ScalarSet? {
        var j = i + 2
        var name = ""
        while j + 1 < s.count, !(s[j] == ":" && s[j + 1] == "]") {
            if s[j] == "]" { return nil }
            name.unicodeScalars.append(s[j])
            j += 1
        }
        guard j + 1 < s.count else { return nil }
        let negated = name.hasPrefix("^")
        if negated { name.removeFirst() }
        let ranges: [ClosedRange<UInt32>]
        switch name {
        case "alpha": ranges = [0x41...0x5A, 0x61...0x7A]
        case "digit": ranges = [0x30...0x39]
        case "alnum": ranges = [0x30...0x39, 0x41...0x5A, 0x61...0x7A]
        case "upper": ranges = [0x41...0x5A]
        case "lower": ranges = [0x61...0x7A]
        case "space": ranges = [0x09...0x0D, 0x20...0x20]
        case "blank": ranges = [0x09...0x09, 0x20...0x20]
        case "punct": ranges = [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]
        case "xdigit": ranges = [0x30...0x39, 0x41...0x46, 0x61...0x66]
        case "word": ranges = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
        case "cntrl": ranges = [0x00...0x1F, 0x7F...0x7F]
        case "print": ranges = [0x20...0x7E]
        case "graph": ranges = [0x21...0x7E]
        default: throw RegexError(.unknownCharacterClass("[:\(negated ? "^" : "")\(name):]"))
        }
        i = j + 2
        let set = ScalarSet(ranges)
        return negated ? set.inverted() : set
    }
}

// MARK: - UTF-8 ranges

enum UTF8Ranges {
    /// The UTF-8 encoding of a scalar value.
    static func encode(_ c: UInt32) -> [UInt8] {
        switch c {
        case 0..<0x80: return [UInt8(c)]
        case 0x80..<0x800: return [UInt8(0xC0 | c >> 6), UInt8(0x80 | c & 0x3F)]
        case 0x800..<0x10000:
            return [UInt8(0xE0 | c >> 12), UInt8(0x80 | (c >> 6) & 0x3F), UInt8(0x80 | c & 0x3F)]
        default:
            return [UInt8(0xF0 | c >> 18), UInt8(0x80 | (c >> 12) & 0x3F),
                    UInt8(0x80 | (c >> 6) & 0x3F), UInt8(0x80 | c & 0x3F)]
        }
    }

    /// Byte-range sequences that together match exactly the UTF-8 encodings of the set's scalars
    /// (the construction of RE2 and Rust's utf8-ranges: split until each piece's encodings
    /// differ only in a suffix of full continuation ranges).
    static func sequences(_ set: ScalarSet) -> [[ClosedRange<UInt8>]] {
        var out: [[ClosedRange<UInt8>]] = []
        var stack: [(UInt32, UInt32)] = []
        for r in set.ranges.reversed() {
            // Surrogates have no UTF-8 encoding.
            if r.lowerBound <= 0xDFFF && r.upperBound >= 0xD800 {
                if r.upperBound > 0xDFFF { stack.append((0xE000, r.upperBound)) }
                if r.lowerBound < 0xD800 { stack.append((r.lowerBound, 0xD7FF)) }
            } else {
                stack.append((r.lowerBound, r.upperBound))
            }
        }
        outer: while let (start, initialEnd) = stack.popLast() {
            var end = initialEnd
            inner: while true {
                for boundary: UInt32 in [0x7F, 0x7FF, 0xFFFF] where start <= boundary && boundary < end {
                    stack.append((boundary + 1, end))
                    end = boundary
                    continue inner
                }
                if end <= 0x7F {
                    out.append([UInt8(start)...UInt8(end)])
                    continue outer
                }
                for k: UInt32 in 1..<4 {
                    let m: UInt32 = (1 << (6 * k)) - 1
                    if start & ~m != end & ~m {
                        if start & m != 0 {
                            stack.append(((start | m) + 1, end))
                            end = start | m
                            continue inner
                        }
                        if end & m != m {
                            stack.append((end & ~m, end))
                            end = (end & ~m) - 1
                            continue inner
                        }
                    }
                }
                let a = encode(start), b = encode(end)
                out.append(zip(a, b).map { $0...$1 })
                continue outer
            }
        }
        return out
    }
}

// MARK: - NFA

/// One NFA instruction. `next` is the successor; `split` also continues at `alt`.
struct RegexInst: Sendable {
    enum Op: UInt8, Sendable {
        case byte, split, match, begin, end, wordBoundary, notWordBoundary
    }
    var op: Op
    var lo: UInt8 = 0
    var hi: UInt8 = 0
    var next: Int32 = 0
    var alt: Int32 = 0
}

/// Thompson construction, emitted back to front so each piece knows its continuation.
struct RegexCompiler {
    static let maxInstructions = 10_000
    private(set) var insts: [RegexInst] = []

    mutating func emit(_ inst: RegexInst) throws(RegexError) -> Int32 {
        guard insts.count < Self.maxInstructions else { throw RegexError(.tooLarge) }
        insts.append(inst)
        return Int32(insts.count - 1)
    }

    /// Compiles `node` so that it continues at `next`; returns its entry.
    mutating func compile(_ node: RegexNode, next: Int32) throws(RegexError) -> Int32 {
        switch node {
        case .empty:
            return next
        case .literal(let c):
            var pc = next
            for b in UTF8Ranges.encode(c).reversed() { pc = try emit(RegexInst(op: .byte, lo: b, hi: b, next: pc)) }
            return pc
        case .set(let set):
            let sequences = UTF8Ranges.sequences(set)
            if sequences.isEmpty { return try emit(RegexInst(op: .byte, lo: 1, hi: 0, next: next)) } // never matches
            var entries: [Int32] = []
            for sequence in sequences {
                var pc = next
                for r in sequence.reversed() {
                    pc = try emit(RegexInst(op: .byte, lo: r.lowerBound, hi: r.upperBound, next: pc))
                }
                entries.append(pc)
            }
            return try alternation(entries)
        case .assertion(let a):
            let op: RegexInst.Op
            switch a {
            case .begin: op = .begin
            case .end: op = .end
            case .wordBoundary: op = .wordBoundary
            case .notWordBoundary: op = .notWordBoundary
            }
            return try emit(RegexInst(op: op, next: next))
        case .concat(let items):
            var pc = next
            for item in items.reversed() { pc = try compile(item, next: pc) }
            return pc
        case .alternate(let branches):
            var entries: [Int32] = []
            for branch in branches { entries.append(try compile(branch, next: next)) }
            return try alternation(entries)
        case .repetition(let body, let min, let max):
            var pc = next
            var mandatory = min
            if let max {
                for _ in 0..<(max - min) {
                    let entry = try compile(body, next: pc)
                    pc = try emit(RegexInst(op: .split, next: entry, alt: next))
                }
            } else {
                let loop = try emit(RegexInst(op: .split))
                let entry = try compile(body, next: loop)
                insts[Int(loop)] = RegexInst(op: .split, next: entry, alt: next)
                if mandatory > 0 {
                    pc = entry
                    mandatory -= 1
                } else {
                    pc = loop
                }
            }
            for _ in 0..<mandatory { pc = try compile(body, next: pc) }
            return pc
        }
    }

    private mutating func alternation(_ entries: [Int32]) throws(RegexError) -> Int32 {
        guard var pc = entries.last else { return try emit(RegexInst(op: .byte, lo: 1, hi: 0)) }
        for entry in entries.dropLast().reversed() { pc = try emit(RegexInst(op: .split, next: entry, alt: pc)) }
        return pc
    }
}

// MARK: - Subset construction

/// What is known about the position between two bytes while following empty transitions.
struct RegexContext {
    enum Next { case unknown, end, word, other }
    var atStart: Bool
    var next: Next
    var previousIsWord: Bool
}

/// A set of NFA threads between two bytes: consuming instructions and assertions that the
/// next byte will decide. The DFA's states are these, and so is the NFA simulation's state.
struct RegexThreads: Hashable {
    var pcs: [Int32]
    var atStart: Bool
    var previousIsWord: Bool
}

/// Scratch space for epsilon closures; one per compile or per NFA-simulated match.
struct RegexClosure {
    private var stamp: [UInt32]
    private var generation: UInt32 = 0
    private var stack: [Int32] = []
    /// Instructions visited so far, to bound the work of building the DFA.
    var work = 0

    init(count: Int) { stamp = Array(repeating: 0, count: count) }

    /// Follows empty transitions from `seeds` under `context` into `out`; true if `match` is reached.
    mutating func run(_ insts: UnsafeBufferPointer<RegexInst>, from seeds: [Int32], _ context: RegexContext,
                      into out: inout [Int32]) -> Bool {
        out.removeAll(keepingCapacity: true)
        generation &+= 1
        if generation == 0 {
            for k in stamp.indices { stamp[k] = 0 }
            generation = 1
        }
        stack.removeAll(keepingCapacity: true)
        stack.append(contentsOf: seeds.reversed())
        while let pc = stack.popLast() {
            let k = Int(pc)
            if stamp[k] == generation { continue }
            stamp[k] = generation
            work += 1
            let inst = insts[k]
            switch inst.op {
            case .byte:
                out.append(pc)
            case .match:
                return true
            case .split:
                stack.append(inst.alt)
                stack.append(inst.next)
            case .begin:
                if context.atStart { stack.append(inst.next) }
            case .end:
                switch context.next {
                case .unknown: out.append(pc)
                case .end: stack.append(inst.next)
                case .word, .other: break
                }
            case .wordBoundary, .notWordBoundary:
                let nextIsWord: Bool
                switch context.next {
                case .unknown:
                    out.append(pc)
                    continue
                case .end, .other: nextIsWord = false
                case .word: nextIsWord = true
                }
                if (context.previousIsWord != nextIsWord) == (inst.op == .wordBoundary) { stack.append(inst.next) }
            }
        }
        return false
    }
}

enum RegexStep {
    case match
    case threads(RegexThreads)
}

@inline(__always)
func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || (b >= 0x61 && b <= 0x7A)
}

/// The NFA, with the transition function shared by the DFA builder and the NFA simulation.
struct RegexNFA: Sendable {
    let insts: [RegexInst]
    let start: Int32
    let tracksWords: Bool
    /// Every path from `start` passes `^` before reading a byte: once no thread is alive, none will be.
    let anchored: Bool

    init(insts: [RegexInst], start: Int32, tracksWords: Bool) {
        self.insts = insts
        self.start = start
        self.tracksWords = tracksWords
        var seen = Set<Int32>(), stack = [start], anchored = true
        while let pc = stack.popLast(), anchored {
            guard seen.insert(pc).inserted else { continue }
            let inst = insts[Int(pc)]
            switch inst.op {
            case .byte, .match: anchored = false
            case .split: stack += [inst.next, inst.alt]
            case .begin: break
            case .end, .wordBoundary, .notWordBoundary: stack.append(inst.next)
            }
        }
        self.anchored = anchored
    }

    func startThreads(_ closure: inout RegexClosure) -> RegexStep {
        var out: [Int32] = []
        let context = RegexContext(atStart: true, next: .unknown, previousIsWord: false)
        let matched = insts.withUnsafeBufferPointer { closure.run($0, from: [start], context, into: &out) }
        if matched { return .match }
        out.sort()
        return .threads(RegexThreads(pcs: out, atStart: true, previousIsWord: false))
    }

    /// The consuming threads of `threads` once the next byte's kind is known (assertions
    /// between here and there resolved), or nil if a match ends here.
    func resolve(_ threads: RegexThreads, nextIsWord: Bool, _ closure: inout RegexClosure) -> [Int32]? {
        var out: [Int32] = []
        let matched = insts.withUnsafeBufferPointer { insts in
            if threads.pcs.allSatisfy({ insts[Int($0)].op == .byte }) {
                out = threads.pcs
                return false
            }
            let before = RegexContext(atStart: threads.atStart, next: nextIsWord ? .word : .other,
                                      previousIsWord: threads.previousIsWord)
            return closure.run(insts, from: threads.pcs, before, into: &out)
        }
        return matched ? nil : out
    }

    /// Where the consuming threads go on byte `b`, plus a fresh start (the search is unanchored);
    /// sorted and without duplicates, so equal seeds can share one target state.
    func seeds(_ consuming: [Int32], _ b: UInt8, into seeds: inout [Int32]) {
        seeds.removeAll(keepingCapacity: true)
        insts.withUnsafeBufferPointer { insts in
            for pc in consuming {
                let inst = insts[Int(pc)]
                if inst.lo <= b, b <= inst.hi { seeds.append(inst.next) }
            }
        }
        seeds.append(start)
        seeds.sort()
        var last: Int32 = -1, kept = 0
        for pc in seeds where pc != last {
            seeds[kept] = pc
            kept += 1
            last = pc
        }
        seeds.removeLast(seeds.count - kept)
    }

    /// The threads after a byte, from its seeds, or `.match` if a match is already complete.
    func advance(_ seeds: [Int32], previousIsWord: Bool, _ closure: inout RegexClosure) -> RegexStep {
        let after = RegexContext(atStart: false, next: .unknown, previousIsWord: previousIsWord)
        var out: [Int32] = []
        if insts.withUnsafeBufferPointer({ closure.run($0, from: seeds, after, into: &out) }) { return .match }
        out.sort()
        return .threads(RegexThreads(pcs: out, atStart: false, previousIsWord: tracksWords && previousIsWord))
    }

    func acceptsAtEnd(_ threads: RegexThreads, _ closure: inout RegexClosure) -> Bool {
        var out: [Int32] = []
        let context = RegexContext(atStart: threads.atStart, next: .end, previousIsWord: threads.previousIsWord)
        return insts.withUnsafeBufferPointer { closure.run($0, from: threads.pcs, context, into: &out) }
    }

    /// Simulates the NFA one byte at a time (a Pike VM without captures): linear in the input,
    /// for patterns whose DFA is too big. Knowing the next byte, it resolves assertions at once.
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = insts.count
        // Scratch: visit stamps (m), a stack (at most 3m + 1 pushes per closure), threads (m), seeds (m + 1).
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 6 * m + 4) { scratch in
            guard let base = scratch.baseAddress else { return false }
            base.initialize(repeating: 0, count: 6 * m + 4)
            defer { base.deinitialize(count: 6 * m + 4) }
            let stamp = base, stack = base + m, threads = base + 4 * m + 2, seeds = base + 5 * m + 3
            return insts.withUnsafeBufferPointer { insts in
                var generation = 0
                var threadCount = 0
                // Follows empty transitions from the seeds at the position before `next` (-1: the end).
                func close(_ seedCount: Int, atStart: Bool, previousIsWord: Bool, next: Int) -> Bool {
                    generation += 1
                    threadCount = 0
                    var sp = 0
                    for k in stride(from: seedCount - 1, through: 0, by: -1) {
                        stack[sp] = seeds[k]
                        sp += 1
                    }
                    let nextIsWord = next >= 0 && isWordByte(UInt8(truncatingIfNeeded: next))
                    while sp > 0 {
                        sp -= 1
                        let pc = stack[sp]
                        if stamp[pc] == generation { continue }
                        stamp[pc] = generation
                        let inst = insts[pc]
                        var follow = false
                        switch inst.op {
                        case .byte:
                            threads[threadCount] = pc
                            threadCount += 1
                        case .match:
                            return true
                        case .split:
                            stack[sp] = Int(inst.alt)
                            sp += 1
                            follow = true
                        case .begin: follow = atStart
                        case .end: follow = next < 0
                        case .wordBoundary: follow = previousIsWord != nextIsWord
                        case .notWordBoundary: follow = previousIsWord == nextIsWord
                        }
                        if follow {
                            stack[sp] = Int(inst.next)
                            sp += 1
                        }
                    }
                    return false
                }
                seeds[0] = Int(start)
                if close(1, atStart: true, previousIsWord: false, next: bytes.isEmpty ? -1 : Int(bytes[0])) {
                    return true
                }
                let n = bytes.count
                for i in 0..<n {
                    let b = bytes[i]
                    var seedCount = 0
                    for k in 0..<threadCount {
                        let inst = insts[threads[k]]
                        if inst.lo <= b && b <= inst.hi {
                            seeds[seedCount] = Int(inst.next)
                            seedCount += 1
                        }
                    }
                    seeds[seedCount] = Int(start) // unanchored search: a match may begin after any byte
                    let next = i + 1 < n ? Int(bytes[i + 1]) : -1
                    if close(seedCount + 1, atStart: false, previousIsWord: isWordByte(b), next: next) { return true }
                    if threadCount == 0 && anchored { return false }
                }
                return false
            }
        }
    }
}

// MARK: - DFA

/// A DFA over byte classes. Row `s` starts at `s * stride`; entry `c` holds the target row's
/// offset and entry `stride - 1` is 1 if the state accepts at the end of the value.
/// Row 0 is the dead state, row 1 the (absorbing) match state.
struct RegexDFA: Sendable {
    static let maxStates = 4096
    static let maxTableEntries = 1 << 20
    static let maxWork = 1 << 22

    let classes: [UInt8]
    let table: [Int32]
    let stride: Int
    let startOffset: Int

    /// A placeholder that matches nothing, for programs that need no DFA.
    init() {
        classes = [UInt8](repeating: 0, count: 256)
        table = [0, 0]
        stride = 2
        startOffset = 0
    }

    /// Builds the whole DFA, or returns nil when it would exceed the state or work budget.
    init?(_ nfa: RegexNFA, maxStates: Int = RegexDFA.maxStates) {
        // Bytes that no instruction tells apart share a class.
        var boundary = [Bool](repeating: false, count: 257)
        for inst in nfa.insts where inst.op == .byte && inst.lo <= inst.hi {
            boundary[Int(inst.lo)] = true
            boundary[Int(inst.hi) + 1] = true
        }
        if nfa.tracksWords {
            for b in [0x30, 0x3A, 0x41, 0x5B, 0x5F, 0x60, 0x61, 0x7B] { boundary[b] = true }
        }
        var classes = [UInt8](repeating: 0, count: 256)
        var representatives: [UInt8] = [0]
        for b in 1..<256 {
            if boundary[b] { representatives.append(UInt8(b)) }
            classes[b] = UInt8(representatives.count - 1)
        }
        let classCount = representatives.count
        let stride = classCount + 1

        var closure = RegexClosure(count: nfa.insts.count)
        var seeds: [Int32] = []
        // Many transitions share their seeds (often just a fresh start): build each target once.
        var targets: [RegexThreads: Int32] = [:]
        var table = [Int32](repeating: 0, count: 2 * stride)
        for c in 0..<classCount { table[stride + c] = Int32(stride) }
        table[2 * stride - 1] = 1
        var ids: [RegexThreads: Int32] = [:]
        var states: [RegexThreads] = []

        func intern(_ step: RegexStep) -> Int32? {
            guard case .threads(let threads) = step else { return 1 }
            if threads.pcs.isEmpty { return 0 }
            if let id = ids[threads] { return id }
            let id = Int32(states.count + 2)
            guard states.count < maxStates, (states.count + 3) * stride <= Self.maxTableEntries else { return nil }
            ids[threads] = id
            states.append(threads)
            table.append(contentsOf: repeatElement(0, count: stride))
            return id
        }

        guard let start = intern(nfa.startThreads(&closure)) else { return nil }
        var next = 0
        while next < states.count {
            let threads = states[next]
            let row = (next + 2) * stride
            next += 1
            closure.work += classCount * threads.pcs.count // sorting, hashing and scanning the sets
            var resolved: [Bool: [Int32]?] = [:]
            for c in 0..<classCount {
                let b = representatives[c]
                let word = isWordByte(b)
                if resolved[word] == nil { resolved[word] = nfa.resolve(threads, nextIsWord: word, &closure) }
                guard let consuming = resolved[word] ?? nil else {
                    table[row + c] = Int32(stride) // a match ends before this byte
                    continue
                }
                nfa.seeds(consuming, b, into: &seeds)
                let key = RegexThreads(pcs: seeds, atStart: false, previousIsWord: nfa.tracksWords && word)
                let target: Int32
                if let known = targets[key] {
                    target = known
                } else {
                    guard let id = intern(nfa.advance(seeds, previousIsWord: word, &closure)) else { return nil }
                    targets[key] = id
                    target = id
                }
                table[row + c] = target * Int32(stride)
            }
            table[row + classCount] = nfa.acceptsAtEnd(threads, &closure) ? 1 : 0
            if closure.work > Self.maxWork { return nil }
        }
        self.classes = classes
        self.table = table
        self.stride = stride
        self.startOffset = Int(start) * stride
    }

    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        table.withUnsafeBufferPointer { table in
            classes.withUnsafeBufferPointer { classes in
                let stride = self.stride
                var s = startOffset
                if s <= stride { return s == stride }
                // Hot loop: one class lookup and one table lookup per byte; dead and match rows come first.
                for b in bytes {
                    s = Int(table[s &+ Int(classes[Int(b)])])
                    if s <= stride { return s == stride }
                }
                return table[s &+ stride &- 1] != 0
            }
        }
    }
}

// MARK: - Compiled pattern

/// A compiled regular expression searched anywhere in UTF-8 bytes, in linear time.
/// Plain stored properties rather than an enum with payloads, so the per-value call copies nothing.
struct RegexProgram: Sendable {
    enum Kind: Sendable {
        /// Matches every value (`a*`, the empty pattern).
        case always
        /// `literal` anywhere, at the start (`^abc`), at the end (`abc$`), or the whole value.
        case contains, prefix, suffix, exact
        case dfa
        /// The DFA would be too large: simulate the NFA.
        case nfa
    }

    public let kind: Kind
    /// The literal of the literal kinds; for `dfa` and `nfa`, a substring every match contains
    /// (possibly empty), checked first with a fast byte search.
    let literal: [UInt8]
    let dfa: RegexDFA
    let nfa: RegexNFA?

    init(_ pattern: String, maxDFAStates: Int = RegexDFA.maxStates) throws(RegexError) {
        var parser = RegexParser(pattern)
        var items: [RegexNode]
        switch try parser.parse() {
        case .concat(let all): items = all
        case let node: items = [node]
        }
        // Pieces at either end that match the empty string anywhere cannot change the answer.
        while let first = items.first, first.isTriviallyNullable { items.removeFirst() }
        while let last = items.last, last.isTriviallyNullable { items.removeLast() }

        if items.isEmpty {
            (kind, literal, dfa, nfa) = (.always, [], RegexDFA(), nil)
            return
        }
        if let (kind, literal) = Self.literalKind(items) {
            (self.kind, self.literal, dfa, nfa) = (kind, literal, RegexDFA(), nil)
            return
        }
        var best: [UInt8] = [], run: [UInt8] = []
        for item in items {
            if case .literal(let c) = item {
                run.append(contentsOf: UTF8Ranges.encode(c))
            } else {
                if run.count > best.count { best = run }
                run = []
            }
        }
        literal = run.count > best.count ? run : best

        let root: RegexNode = items.count == 1 ? items[0] : .concat(items)
        var compiler = RegexCompiler()
        let match = try compiler.emit(RegexInst(op: .match))
        let start = try compiler.compile(root, next: match)
        let nfa = RegexNFA(insts: compiler.insts, start: start, tracksWords: root.usesWordBoundary)
        if let dfa = RegexDFA(nfa, maxStates: maxDFAStates) {
            (kind, self.dfa, self.nfa) = (.dfa, dfa, nil)
        } else {
            (kind, self.dfa, self.nfa) = (.nfa, RegexDFA(), nfa)
        }
    }

    /// `abc`, `^abc`, `abc$` or `^abc$`: a byte comparison, no automaton needed.
    private static func literalKind(_ items: [RegexNode]) -> (Kind, [UInt8])? {
        var middle = items[...]
        let atStart = middle.first == .assertion(.begin)
        if atStart { middle = middle.dropFirst() }
        let atEnd = middle.last == .assertion(.end)
        if atEnd { middle = middle.dropLast() }
        var bytes: [UInt8] = []
        for item in middle {
            guard case .literal(let c) = item else { return nil }
            bytes.append(contentsOf: UTF8Ranges.encode(c))
        }
        switch (atStart, atEnd) {
        case (true, true): return (.exact, bytes)
        case (true, false): return (.prefix, bytes)
        case (false, true): return (.suffix, bytes)
        case (false, false): return (.contains, bytes)
        }
    }

    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch kind {
        case .always: return true
        case .contains: return Bytes.contains(bytes, literal)
        case .prefix: return bytes.count >= literal.count && equal(bytes, at: 0)
        case .suffix: return bytes.count >= literal.count && equal(bytes, at: bytes.count - literal.count)
        case .exact: return bytes.count == literal.count && equal(bytes, at: 0)
        case .dfa: return (literal.isEmpty || Bytes.contains(bytes, literal)) && dfa.matches(bytes)
        case .nfa: return (literal.isEmpty || Bytes.contains(bytes, literal)) && (nfa?.matches(bytes) ?? false)
        }
    }

    @inline(__always)
    private func equal(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        for k in 0..<literal.count where bytes[offset + k] != literal[k] { return false }
        return true
    }
}
