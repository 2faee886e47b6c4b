import SegBase
// The seg lexer: turns source bytes into tokens on demand. It never fails: a character that starts
// no token becomes an `.illegal` token for the parser to report (SQLite's TK_ILLEGAL), and a string
// missing its closing quote becomes `.unterminatedString`.
//
// Line breaks are statement separators, except inside parentheses and right after a token that
// needs more (`where`, `and`, `=`, `,`, …), so a statement may be spread over several lines.
// The lexical grammar is in grammar/seg.ebnf.

/// Produces the tokens of a `Source` one at a time.
/// (`@unchecked Sendable`: the only non-Sendable part is a pointer to bytes that are never written after `init`.)
public struct Lexer: @unchecked Sendable {
    /// Keeps the bytes that `p` points to alive.
    private let store: ByteStore
    // Hot code: bytes are read through a raw pointer, several times faster than Array indexing in
    // debug builds (where the 1,000,000-term test must still be fast).
    private let p: UnsafePointer<UInt8>
    private let n: Int
    /// Byte offset of the next unread character.
    public private(set) var offset = 0
    /// Parentheses opened and not yet closed; line breaks are skipped while this is positive.
    public private(set) var parenDepth = 0
    /// The last token returned needs more after it, so a line break does not end the statement.
    private var continuing = false
    /// No token yet on this line, outside parentheses: a `.` here starts a dot-command.
    private var atLineStart = true
    /// Where the last look past a line break found the next token, and whether it continues the
    /// statement: every line break before that token has the same answer, so a million comment
    /// lines are looked past once, not once each.
    private var nextTokenStart = -1
    private var nextTokenContinues = false

    public init(_ source: Source) {
        store = ByteStore(source.bytes)
        p = UnsafePointer(store.base)
        n = store.count
    }

    /// Forgets open parentheses, so that after a broken statement line breaks separate statements again.
    public mutating func resetNesting() {
        parenDepth = 0
        continuing = false
    }

    // MARK: - Helpers shared with the parser

    /// The text of `range` as written.
    public func text(_ range: SourceRange) -> String {
        let lo = min(max(0, range.start), n)
        let hi = min(max(lo, range.end), n)
        return String(decoding: UnsafeBufferPointer(start: p + lo, count: hi - lo), as: UTF8.self)
    }

    /// True when the token at `range` is a quoted name (`` `最近联系 日期` ``).
    public func isQuotedName(_ range: SourceRange) -> Bool {
        range.start >= 0 && range.start < n && p[range.start] == 0x60
    }

    /// The name an identifier token stands for: its text, or inside backquotes with a doubled
    /// backquote read as one.
    public func name(_ range: SourceRange) -> String {
        let written = text(range)
        guard isQuotedName(range), written.utf8.count >= 2 else { return written }
        return String(written.dropFirst().dropLast()).replacingOccurrences(of: "``", with: "`")
    }

    /// How a field called `name` is written in a statement: bare when it lexes as one plain
    /// name, else in backquotes (`` `资产余额(元)` ``, `` `count` ``) with a backquote doubled.
    public static func spelling(of name: String) -> String {
        isName(name) ? name : "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }

    /// The day number of a date token, nil unless it is a real `YYYY-MM-DD` date.
    func dateValue(_ range: SourceRange) -> Int? {
        guard range.start >= 0, range.end <= n, range.start <= range.end else { return nil }
        return CivilDate.parse(UnsafeBufferPointer(start: p + range.start, count: range.end - range.start))
    }

    /// The exact value of a number token (`1_000`, `1.25`, `1.5m`, `100万`), negated when asked;
    /// nil when it does not fit in an Int64 mantissa.
    func numberValue(_ range: SourceRange, negative: Bool) -> (mantissa: Int64, scale: Int)? {
        guard range.start >= 0, range.end <= n, range.start <= range.end else { return nil }
        var magnitude: UInt64 = 0
        var fractionDigits = 0
        var inFraction = false
        var exponent = 0
        var i = range.start
        while i < range.end {
            let c = p[i]
            if c >= 0x30 && c <= 0x39 {
                let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(c - 0x30))
                if o1 || o2 { return nil }
                magnitude = s
                if inFraction { fractionDigits += 1 }
            } else {
                switch c {
                case 0x2E: inFraction = true
                case 0x5F: break  // `_` separators
                default:  // the suffix, always last
                    exponent = Lexer.suffix(p, range.end, at: i)?.exponent ?? 0
                    i = range.end
                }
            }
            i += 1
        }
        var scale = fractionDigits - exponent
        while scale < 0 {
            let (m, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            magnitude = m
            scale += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return (magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude), scale)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return (Int64(magnitude), scale)
    }

    /// The value of a string token (quotes included in `range`): a doubled quote stands for one quote;
    /// `\"`, `\'`, `\\`, `\n`, `\t` are escapes; any other backslash is kept as written (for regular expressions).
    func stringValue(_ range: SourceRange) -> String {
        guard range.start >= 0, range.end <= n, range.start <= range.end else { return "" }
        let text = UnsafeBufferPointer(start: p + range.start, count: range.end - range.start)
        guard text.count >= 2, let quote = text.first else { return "" }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = text.startIndex + 1
        let end = text.endIndex - 1
        while i < end {
            let c = text[i]
            if c == 0x5C && i + 1 < end {  // backslash
                switch text[i + 1] {
                case 0x22, 0x27, 0x5C: out.append(text[i + 1])  // " ' backslash
                case 0x6E: out.append(0x0A)  // n
                case 0x74: out.append(0x09)  // t
                default: out.append(c); out.append(text[i + 1])
                }
                i += 2
            } else if c == quote && i + 1 < end && text[i + 1] == quote {
                out.append(c)
                i += 2
            } else {
                out.append(c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: - Scanning

extension Lexer {
    /// True when `text` is one name a statement can use as a table or segment: a single identifier
    /// (a letter or `_`, then letters, digits, `_`), not a keyword. The one rule for table names,
    /// whether they come from `--data NAME=`, `--table` or `.load … as NAME`.
    public static func isName(_ text: String) -> Bool {
        let source = Source(name: "", text: text)
        var lexer = Lexer(source)
        let token = lexer.next()
        return token.kind == .identifier && !lexer.isQuotedName(token.range) && token.range == SourceRange(0, source.bytes.count)
            && lexer.next().kind == .endOfInput
    }

    /// The next token; `.endOfInput` (with an empty range at the end) once the source is exhausted, forever.
    public mutating func next() -> Token {
        skipping: while offset < n {
            switch p[offset] {
            case 0x20, 0x09, 0x0D, 0x0B, 0x0C:
                offset += 1
            case 0x0A:
                offset += 1
                // A line that starts with `and`, `where`, `count` … continues the statement above.
                if parenDepth == 0 && !continuing && !continuesAfterLineBreak() {
                    atLineStart = true
                    return Token(kind: .newline, range: SourceRange(offset - 1, offset))
                }
            case 0x23:  // `#` comment
                skipComment()
            case 0x2D where offset + 1 < n && p[offset + 1] == 0x2D:  // `--` comment
                skipComment()
            case 0xE3 where offset + 2 < n && p[offset + 1] == 0x80 && p[offset + 2] == 0x80:
                offset += 3  // U+3000 IDEOGRAPHIC SPACE
            default:
                break skipping
            }
        }
        let start = offset
        guard offset < n else { return Token(kind: .endOfInput, range: SourceRange(n, n)) }
        if atLineStart && parenDepth == 0 && p[offset] == 0x2E {  // `.output FILE` …
            while offset < n && p[offset] != 0x0A { offset += 1 }
            var end = offset
            while end > start && (p[end - 1] == 0x0D || p[end - 1] == 0x20 || p[end - 1] == 0x09) { end -= 1 }
            continuing = false
            return Token(kind: .dotCommand, range: SourceRange(start, end))
        }
        atLineStart = false
        let kind = scanToken()
        continuing = kind.expectsMore
        switch kind {
        case .leftParen: parenDepth += 1
        case .rightParen: if parenDepth > 0 { parenDepth -= 1 }
        default: break
        }
        return Token(kind: kind, range: SourceRange(start, offset))
    }

    // Hot code: bytes are compared with integer literals, not `UInt8(ascii:)`, which is a real call in debug builds.

    /// True when the next token is `(` (full-width too), right after the current one.
    public var nextIsLeftParenthesis: Bool {
        var ahead = self
        return ahead.next().kind == .leftParen
    }

    /// The kind of the next token, without consuming it.
    public var nextKind: TokenKind {
        var ahead = self
        return ahead.next().kind
    }

    /// True when the next token is the word `word` (any case), which the grammar reserves only in
    /// one place (`when` in a classification).
    public func nextIsWord(_ word: String) -> Bool {
        var ahead = self
        let t = ahead.next()
        return t.kind == .identifier && text(t.range).lowercased() == word
    }

    /// True when the byte at `i` is an ASCII digit (the parser asks this to glue `-` to a number).
    func isDigit(_ i: Int) -> Bool { i < n && p[i] >= 0x30 && p[i] <= 0x39 }

    /// The words that, first on a line, continue the statement of the line above (as SQL users
    /// write `where …` / `and …` / `count` under the source).
    public static let continuationWords: Set<Keyword> = [.and, .or, .where, .by, .show, .sort, .limit, .count, .union, .intersect, .except]

    /// `continuesStatement` from the current offset, remembered up to the token it found.
    private mutating func continuesAfterLineBreak() -> Bool {
        if offset <= nextTokenStart { return nextTokenContinues }
        (nextTokenContinues, nextTokenStart) = Lexer.continuesStatement(p, n, from: offset)
        return nextTokenContinues
    }

    /// True when the next line that holds a token (after blank and comment lines) starts with one
    /// of `continuationWords`, followed by something other than a letter, digit or `_`; and where
    /// that token starts.
    static func continuesStatement(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int) -> (Bool, Int) {
        var i = start
        while i < n {
            switch p[i] {
            case 0x20, 0x09, 0x0D, 0x0B, 0x0C, 0x0A: i += 1
            case 0x23: while i < n && p[i] != 0x0A { i += 1 }
            case 0x2D where i + 1 < n && p[i + 1] == 0x2D: while i < n && p[i] != 0x0A { i += 1 }
            case 0xE3 where i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0x80: i += 3
            default:
                let wordStart = i
                while i < n && ((p[i] >= 0x61 && p[i] <= 0x7A) || (p[i] >= 0x41 && p[i] <= 0x5A)) { i += 1 }
                guard i > wordStart, i - wordStart <= 9 else { return (false, wordStart) }
                if i < n && ((p[i] >= 0x30 && p[i] <= 0x39) || p[i] == 0x5F || p[i] >= 0x80) { return (false, wordStart) }
                guard let keyword = Lexer.keyword(p, wordStart, i) else { return (false, wordStart) }
                return (continuationWords.contains(keyword), wordStart)
            }
        }
        return (false, n)
    }

    private mutating func skipComment() {
        while offset < n && p[offset] != 0x0A { offset += 1 }
    }

    private mutating func scanToken() -> TokenKind {
        // If-chains rather than range patterns: `case 0x30...0x39` is a generic call in debug builds.
        let c = p[offset]
        if (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F {  // a-z A-Z _
            let start = offset
            offset += 1
            scanIdentifierRest()
            if let keyword = Lexer.keyword(p, start, offset) { return .keyword(keyword) }
            return .identifier
        }
        if c >= 0x30 && c <= 0x39 { return scanNumber() }
        if c == 0x22 || c == 0x27 { return scanString(quote: c) }  // " '
        if c == 0x60 { return scanQuotedName() }  // `
        if c == 0x24 {  // $
            offset += 1
            guard identifierStart(at: offset) > 0 else { return .illegal }
            scanIdentifierRest()
            return .parameter
        }
        if c >= 0x80 {
            if let (ascii, length) = fullWidthPunctuation(at: offset) {
                offset += length
                return operatorToken(ascii)
            }
            let length = identifierStart(at: offset)
            if length > 0 {
                offset += length
                scanIdentifierRest()
                return .identifier
            }
            // Skip the whole character so the illegal token is valid UTF-8.
            offset += Lexer.decode(p, n, at: offset).length
            return .illegal
        }
        offset += 1
        return operatorToken(c)
    }

    /// The token for ASCII punctuation `c` just consumed (also reached through its full-width twin).
    private mutating func operatorToken(_ c: UInt8) -> TokenKind {
        switch c {
        case 0x28: return .leftParen
        case 0x29: return .rightParen
        case 0x2C: return .comma
        case 0x3B: return .semicolon
        case 0x3D: return .equal
        case 0x7E: return .tilde
        case 0x2D: return .minus
        case 0x2B: return .plus
        case 0x2A: return .star
        case 0x2F: return .slash
        case 0x2E:  // `.` joining two names: `client.tier`
            let before = offset >= 2 ? p[offset - 2] : 0x20
            let joinsName = (before >= 0x80 || before == 0x60 || before == 0x5F || (before >= 0x30 && before <= 0x39)
                || (before >= 0x61 && before <= 0x7A) || (before >= 0x41 && before <= 0x5A))
            return joinsName && (identifierStart(at: offset) > 0 || (offset < n && p[offset] == 0x60)) ? .dot : .illegal
        case 0x21:  // `!=`
            if nextPunctuation() == 0x3D { return .notEqual }
            return .illegal
        case 0x3C:  // `<`, `<=`, `<>`
            switch nextPunctuation() {
            case 0x3D: return .lessOrEqual
            case 0x3E: return .notEqual
            default: return .less
            }
        case 0x3E:  // `>`, `>=`
            if nextPunctuation() == 0x3D { return .greaterOrEqual }
            return .greater
        default:
            return .illegal
        }
    }

    /// For the second character of `<=`, `>=`, `<>`, `!=`: consumes `=` or `>` (ASCII or full-width)
    /// and returns it; returns 0 and consumes nothing otherwise.
    private mutating func nextPunctuation() -> UInt8 {
        guard offset < n else { return 0 }
        let c = p[offset]
        if c == 0x3D || c == 0x3E {
            offset += 1
            return c
        }
        if let (ascii, length) = fullWidthPunctuation(at: offset), ascii == 0x3D || ascii == 0x3E {
            offset += length
            return ascii
        }
        return 0
    }

    /// The ASCII twin of the full-width punctuation at `i` (`（）`, `，`, `；`, `＝`, `＜`, `＞`, `！`, `～`) and its byte length.
    private func fullWidthPunctuation(at i: Int) -> (UInt8, Int)? {
        // Full-width forms U+FF01…U+FF5E are EF BC 81…EF BD 9E and map to ASCII 0x21…0x7E.
        guard i + 2 < n, p[i] == 0xEF else { return nil }
        let b1 = p[i + 1], b2 = p[i + 2]
        let ascii: UInt8
        if b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF {
            ascii = b2 - 0x81 + 0x21
        } else if b1 == 0xBD && b2 == 0x9E {
            ascii = 0x7E
        } else {
            return nil
        }
        switch ascii {
        case 0x28, 0x29, 0x2C, 0x3B, 0x3D, 0x7E, 0x21, 0x3C, 0x3E, 0x2B, 0x2D, 0x2A, 0x2F: return (ascii, 3)
        default: return nil
        }
    }

    /// `"…"` or `'…'` on one line; a doubled quote or a backslash escapes the next character.
    private mutating func scanString(quote: UInt8) -> TokenKind {
        offset += 1
                while offset < n {
            let c = p[offset]
            if c == 0x0A { return .unterminatedString }
            if c == 0x5C && offset + 1 < n && p[offset + 1] != 0x0A {  // backslash
                offset += 2
            } else if c == quote {
                if offset + 1 < n && p[offset + 1] == quote {
                    offset += 2
                } else {
                    offset += 1
                    return .string
                }
            } else {
                offset += 1
            }
        }
        return .unterminatedString
    }

    /// `` `…` `` on one line: a field name with spaces or brackets (`` `资产余额(元)` ``), an
    /// `.identifier` whose range includes the backquotes; a doubled backquote stands for one. Never
    /// a keyword. Empty (` `` `) is illegal; a missing closing backquote is `.unterminatedString`
    /// (the parser names it a quoted name by its first byte).
    private mutating func scanQuotedName() -> TokenKind {
        let start = offset
        offset += 1
        while offset < n {
            let c = p[offset]
            if c == 0x0A { return .unterminatedString }
            offset += 1
            if c == 0x60 {
                if offset < n && p[offset] == 0x60 {
                    offset += 1
                } else {
                    return offset - start == 2 ? .illegal : .identifier
                }
            }
        }
        return .unterminatedString
    }

    /// digits [`.` digits] [suffix] (digits may have single `_` separators), or a date-like `digits {- digits}`.
    private mutating func scanNumber() -> TokenKind {
        let start = offset
        scanDigits()
        // Four digits joined by `-` to more digits are a date (`2026-01-31`; `2026-1-5` too, which
        // the parser refuses by name); other digits and `-` are a subtraction (`100-20`).
        if offset - start == 4 && offset < n && p[offset] == 0x2D && isDigit(offset + 1) {
            while offset < n && p[offset] == 0x2D && isDigit(offset + 1) {
                offset += 1
                scanDigits()
            }
            return .date
        }
        if offset < n && p[offset] == 0x2E && isDigit(offset + 1) {  // `.`
            offset += 1
            scanDigits()
        }
        guard offset < n else { return .number }
        // A suffix counts only when it ends the word: `6months` is 6 then `months`, `5weeks` 5 then weeks.
        if let (length, _) = Lexer.suffix(p, n, at: offset), identifierContinue(at: offset + length) == 0 {
            offset += length
        }
        return .number
    }

    /// Digits with single `_` separators between them.
    private mutating func scanDigits() {
                while true {
            while offset < n && p[offset] >= 0x30 && p[offset] <= 0x39 { offset += 1 }
            guard offset + 1 < n && p[offset] == 0x5F && isDigit(offset + 1) else { return }
            offset += 1
        }
    }

    private mutating func scanIdentifierRest() {
                while offset < n {
            let c = p[offset]
            if (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F {
                offset += 1
            } else if c < 0x80 {
                return
            } else {
                let length = identifierContinue(at: offset)
                if length == 0 { return }
                offset += length
            }
        }
    }

    /// Byte length of an identifier-starting character at `i` (ASCII letter, `_`, any non-ASCII letter), else 0.
    private func identifierStart(at i: Int) -> Int {
        guard i < n else { return 0 }
        let c = p[i]
        if c < 0x80 {
            return (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F ? 1 : 0
        }
        let (scalar, length) = Lexer.decode(p, n, at: i)
        guard let scalar else { return 0 }
        return scalar.properties.isAlphabetic ? length : 0
    }

    /// Byte length of an identifier character at `i` (a start character, a digit, a combining mark), else 0.
    private func identifierContinue(at i: Int) -> Int {
        guard i < n else { return 0 }
        let c = p[i]
        if c < 0x80 {
            return (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F ? 1 : 0
        }
        let (scalar, length) = Lexer.decode(p, n, at: i)
        guard let scalar else { return 0 }
        let p = scalar.properties
        if p.isAlphabetic { return length }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber: return length
        default: return 0
        }
    }

    /// Decodes the UTF-8 sequence at `i`; a malformed sequence gives nil and length 1.
    private static func decode(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int) -> (scalar: Unicode.Scalar?, length: Int) {
        let c = p[i]
        let length: Int
        var value: UInt32
        if c < 0x80 { return (Unicode.Scalar(c), 1) }
        if c & 0xE0 == 0xC0 { length = 2; value = UInt32(c & 0x1F) }
        else if c & 0xF0 == 0xE0 { length = 3; value = UInt32(c & 0x0F) }
        else if c & 0xF8 == 0xF0 { length = 4; value = UInt32(c & 0x07) }
        else { return (nil, 1) }
        guard i + length <= n else { return (nil, 1) }
        for k in 1..<length {
            let b = p[i + k]
            guard b & 0xC0 == 0x80 else { return (nil, 1) }
            value = value << 6 | UInt32(b & 0x3F)
        }
        return (Unicode.Scalar(value), length)
    }

    /// The keyword spelled by `bytes[start..<end]`, ignoring ASCII case. Hot code: the word is packed
    /// little-endian into an integer and matched with a switch (`LexerTests` checks every keyword).
    private static func keyword(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Keyword? {
        let length = end - start
        guard length <= 9 else { return nil }
        var packed: UInt64 = 0
        var k = 0
        while k < length && k < 8 {
            var c = p[start + k]
            if c >= 0x41 && c <= 0x5A { c += 0x20 }
            packed |= UInt64(c) << (8 * UInt64(k))
            k += 1
        }
        if length == 9 {  // `intersect`, `yesterday`
            if packed == 0x6365737265746E69 && p[start + 8] | 0x20 == 0x74 { return .intersect }
            return packed == 0x6164726574736579 && p[start + 8] | 0x20 == 0x79 ? .yesterday : nil
        }
        // Split by length first: a long case list is a linear scan in debug builds.
        switch length {
        case 2:
            switch packed {
            case 0x726F: return .or
            case 0x6E69: return .in
            case 0x7369: return .is
            case 0x7962: return .by
            case 0x7361: return .as
            default: return nil
            }
        case 3:
            switch packed {
            case 0x74656C: return .let
            case 0x646E61: return .and
            case 0x746F6E: return .not
            case 0x736168: return .has
            case 0x796E61: return .any
            case 0x6C6C61: return .all
            case 0x6F6761: return .ago
            case 0x637361: return .asc
            case 0x796164: return .day
            default: return nil
            }
        case 4:
            switch packed {
            case 0x656B696C: return .like
            case 0x7473616C: return .last
            case 0x7478656E: return .next
            case 0x776F6873: return .show
            case 0x74726F73: return .sort
            case 0x63736564: return .desc
            case 0x73796164: return .days
            case 0x6B656577: return .week
            case 0x72616579: return .year
            default: return nil
            }
        case 5:
            switch packed {
            case 0x6572656877: return .where
            case 0x7974706D65: return .empty
            case 0x7265746661: return .after
            case 0x7961646F74: return .today
            case 0x74696D696C: return .limit
            case 0x746E756F63: return .count
            case 0x6E6F696E75: return .union
            case 0x736B656577: return .weeks
            case 0x68746E6F6D: return .month
            case 0x7372616579: return .years
            default: return nil
            }
        case 6:
            switch packed {
            case 0x65726F666562: return .before
            case 0x747065637865: return .except
            case 0x7368746E6F6D: return .months
            default: return nil
            }
        case 7:
            switch packed {
            case 0x6E656577746562: return .between
            default: return nil
            }
        case 8:
            switch packed {
            case 0x736E6961746E6F63: return .contains
            default: return nil
            }
        default: return nil
        }
    }

    /// True when a `万` (10^4) or `亿` (10^8) suffix is at `i`.
    /// The number suffix at `i` (before `n`): its length in bytes and its power of ten.
    /// k K 10^3, m M 10^6, b B 10^9, w W 10^4, 千 10^3, 万 10^4, 百万 10^6, 千万 10^7, 亿 10^8.
    static func suffix(_ p: UnsafePointer<UInt8>, _ n: Int, at i: Int) -> (length: Int, exponent: Int)? {
        guard i < n else { return nil }
        switch p[i] {
        case 0x6B, 0x4B: return (1, 3)
        case 0x6D, 0x4D: return (1, 6)
        case 0x62, 0x42: return (1, 9)
        case 0x77, 0x57: return (1, 4)
        default: break
        }
        func char(_ at: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
            at + 2 < n && p[at] == a && p[at + 1] == b && p[at + 2] == c
        }
        let wan = { (at: Int) in char(at, 0xE4, 0xB8, 0x87) }  // 万 U+4E07
        if wan(i) { return (3, 4) }
        if char(i, 0xE4, 0xBA, 0xBF) { return (3, 8) }  // 亿 U+4EBF
        if char(i, 0xE5, 0x8D, 0x83) { return wan(i + 3) ? (6, 7) : (3, 3) }  // 千 U+5343, 千万
        if char(i, 0xE7, 0x99, 0xBE), wan(i + 3) { return (6, 6) }  // 百万 (百 U+767E)
        return nil
    }
}

/// A copy of the source bytes at a stable address, freed with the last lexer that reads it.
/// (`@unchecked Sendable`: written only in `init`.)
private final class ByteStore: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let count: Int

    init(_ bytes: [UInt8]) {
        count = bytes.count
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        bytes.withUnsafeBufferPointer { source in
            if let start = source.baseAddress { base.initialize(from: start, count: source.count) }
        }
    }

    deinit { base.deallocate() }
}
