// Why a regular expression could not be compiled: short phrases (`missing ')'`) that the query
// message around them (`invalid regular expression "…": …`) completes.

/// A construct of other regex flavours that seg's regular expressions leave out.
public enum RegexConstruct: Sendable, Equatable {
    case lookahead, negativeLookahead, lookbehind, negativeLookbehind, atomicGroup
    /// `\1`, `\k`, `(?P=`: the reference as written.
    case backreference(String)
    /// `*+`
    case possessive(String)
    case unicodeProperties

    var english: String {
        switch self {
        case .lookahead: return "lookahead '(?='"
        case .negativeLookahead: return "negative lookahead '(?!'"
        case .lookbehind: return "lookbehind '(?<='"
        case .negativeLookbehind: return "negative lookbehind '(?<!'"
        case .atomicGroup: return "atomic group '(?>'"
        case .backreference(let text): return "backreference '\(text)'"
        case .possessive(let text): return "possessive quantifier '\(text)'"
        case .unicodeProperties: return "Unicode property classes ('\\p{…}')"
        }
    }
}

public enum PatternMessage: Sendable, Equatable {
    case unmatchedClose
    /// `missing ')'`; `in` names the construct being closed (`\x{…}`).
    case missing(String, in: String?)
    case quantifierAfterQuantifier(String)
    case notSupported(RegexConstruct)
    case repetitionTooLarge(String, limit: Int)
    case repetitionOutOfOrder(String)
    case nothingToRepeat(String)
    case groupsTooDeep(limit: Int)
    case unsupportedGroup(String)
    case invalidGroupName
    case trailingBackslash
    case invalidEscape(String)
    case unknownEscape(String)
    case invalidClassRange(String?)
    case unknownCharacterClass(String)
    case tooLarge

    var english: String {
        switch self {
        case .unmatchedClose: return "unmatched ')'"
        case .missing(let what, let construct): return "missing '\(what)'" + (construct.map { " in '\($0)'" } ?? "")
        case .quantifierAfterQuantifier(let q): return "quantifier '\(q)' follows another quantifier"
        case .notSupported(let construct):
            return "\(construct.english) \(construct == .unicodeProperties ? "are" : "is") not supported"
        case .repetitionTooLarge(let text, let limit): return "regular expression too large: repetition \(text) is above \(limit)"
        case .repetitionOutOfOrder(let text): return "invalid repetition \(text): minimum above maximum"
        case .nothingToRepeat(let text): return "nothing to repeat before '\(text)'"
        case .groupsTooDeep(let limit): return "groups nested more than \(limit) deep"
        case .unsupportedGroup(let text): return "unsupported group or flag '\(text)'"
        case .invalidGroupName: return "invalid group name"
        case .trailingBackslash: return "trailing backslash at end of pattern"
        case .invalidEscape(let text): return "invalid escape '\(text)'"
        case .unknownEscape(let text): return "unknown escape '\(text)'"
        case .invalidClassRange(let range): return "invalid range " + (range.map { "'\($0)' " } ?? "") + "in character class"
        case .unknownCharacterClass(let text): return "unknown character class '\(text)'"
        case .tooLarge: return "regular expression too large"
        }
    }
}
