import SegBase
// Tokens of the seg language: a kind plus a byte range into the source (as clox does). The text
// is always a slice of the source, so a token is a few plain words and copying one costs nothing.

/// A reserved word. Keywords are matched case-insensitively; `rawValue` is the lowercase spelling.
public enum Keyword: String, CaseIterable, Sendable {
    case `let`, `where`, and, or, not, `in`, between, has, any, all, like, contains, `is`, empty
    case before, after, last, next, ago, today, yesterday, `as`
    case by, show, sort, limit, count, asc, desc
    case union, intersect, except
    case day, days, week, weeks, month, months, year, years

    /// The time unit a unit keyword names (`day` and `days` are both `.days`); nil for other keywords.
    public var dateUnit: DateUnit? {
        switch self {
        case .day, .days: return .days
        case .week, .weeks: return .weeks
        case .month, .months: return .months
        case .year, .years: return .years
        default: return nil
        }
    }

    /// The set operator a keyword names, if any.
    public var setOperator: SetOperator? {
        switch self {
        case .union: return .union
        case .intersect: return .intersect
        case .except: return .except
        default: return nil
        }
    }

    /// The spellings of the time units, plural first so "did you mean" prefers them.
    public static let unitNames = ["days", "weeks", "months", "years", "day", "week", "month", "year"]

    /// Keywords that only make sense with something after them: a statement ending in one of
    /// these is unfinished, and a newline right after one does not end the statement.
    var expectsMore: Bool {
        switch self {
        case .let, .where, .and, .or, .not, .in, .between, .has, .any, .like, .contains, .is,
             .before, .after, .last, .next, .by, .show, .sort, .limit, .union, .intersect, .except, .as:
            return true
        case .all, .empty, .ago, .today, .yesterday, .count, .asc, .desc, .day, .days, .week, .weeks, .month, .months, .year, .years:
            return false
        }
    }
}

/// What a token is. Full-width punctuation (`（）`, `，`, `＝`, `＜`, `＞`, `；`, `！`, `～`) lexes as
/// the same kind as its ASCII twin.
public enum TokenKind: Hashable, Sendable {
    case endOfInput
    /// A line break that ends a statement (line breaks inside parentheses or after an operator are skipped).
    case newline
    case semicolon
    case leftParen
    case rightParen
    case comma
    /// `=`
    case equal
    /// `!=` or `<>`
    case notEqual
    case less
    case lessOrEqual
    case greater
    case greaterOrEqual
    /// `~` (regular-expression match)
    case tilde
    /// `-`: subtraction, or a negative number directly before a digit.
    case minus
    /// `+`
    case plus
    /// `*`
    case star
    /// `/`
    case slash
    case identifier
    /// Digits with optional `_` separators, fraction and suffix (`1_000`, `1.5m`, `100万`).
    case number
    /// A quoted string, quotes included in the range.
    case string
    /// Digits joined by `-` (`2026-01-31`); the parser checks it is a real `YYYY-MM-DD` date.
    case date
    /// `$name`
    case parameter
    case keyword(Keyword)
    /// A character that starts no token; the parser reports `unexpected character`.
    case illegal
    /// A string whose closing quote is missing on its line.
    case unterminatedString
    /// A line that starts with `.` (`.output list.csv`): a dot-command, to the end of its line.
    case dotCommand
    /// `.` between two names with no space (`client.tier`): a field of a linked table.
    case dot

    /// True when a statement cannot end right after this token (see `Keyword.expectsMore`).
    public var expectsMore: Bool {
        switch self {
        case .leftParen, .comma, .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .tilde, .minus,
             .plus, .star, .slash:
            return true
        case .keyword(let k):
            return k.expectsMore
        default:
            return false
        }
    }

    /// True when this is the keyword `keyword`.
    public func isKeyword(_ keyword: Keyword) -> Bool {
        if case .keyword(let k) = self { return k == keyword }
        return false
    }

    /// True for tokens that can begin an operand (and so a predicate).
    public var startsOperand: Bool {
        switch self {
        case .identifier, .number, .minus, .string, .date, .parameter, .keyword(.today), .keyword(.yesterday), .leftParen:
            return true
        default: return false
        }
    }

    /// A keyword that continues a query (`where`, `count`, `show` …): a statement cannot start with one.
    public var isClauseKeyword: Bool {
        switch self {
        case .keyword(.where), .keyword(.and), .keyword(.or), .keyword(.by), .keyword(.show), .keyword(.sort),
             .keyword(.limit), .keyword(.count):
            return true
        default:
            return false
        }
    }

    /// True for tokens that end a statement.
    public var isStatementEnd: Bool {
        switch self {
        case .newline, .semicolon, .endOfInput: return true
        default: return false
        }
    }
}

/// One token: its kind and the bytes of the source it covers.
public struct Token: Sendable, Hashable {
    public var kind: TokenKind
    public var range: SourceRange

    public init(kind: TokenKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// The token as written.
    public func text(in source: Source) -> String { source.slice(range) }
}
