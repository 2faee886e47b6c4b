// The parser's messages: what was expected and what was found, where the opener was.

/// What the parser found where it wanted something else.
public enum Found: Sendable, Equatable {
    case endOfInput
    case endOfLine
    /// A token, as written.
    case token(String)

    var english: String {
        switch self {
        case .endOfInput: return "end of input"
        case .endOfLine: return "end of line"
        case .token(let text): return quoted(text)
        }
    }
}

/// What the parser wanted. `after` is the previous token as written.
public enum Expected: Sendable, Equatable {
    /// `--param NAME=VALUE` holds more than one value.
    case oneValue
    case closingParenthesis(line: Int, column: Int)
    case endOfStatement(after: String)
    /// After `let`, `save`, `drop` …
    case name(after: String)
    case equals(after: String)
    case inAndSegmentAfterClientID
    case segmentName(after: String)
    /// After `param NAME`.
    case equalsAndDefault(after: String)
    case dateAfterSince
    case value
    case byAfterSort
    case wholeNumber(after: String)
    case source(after: String?)
    case condition(after: String)
    case continuationOfNot
    case parenthesisAfterIn(negated: Bool)
    case andInBetween(after: String)
    case parenthesis(after: String)
    case empty(after: String)
    case comparison(after: String)
    case timeUnit(after: String)
    case numberAfterMinus
    case fieldOrValue(after: String)
    case ago(after: String)
    /// A classification's rule: `'when' and a condition after '私行'`.
    case whenAfterLabel(String)
    /// A label of a classification (after `,` or `else`).
    case label(after: String)
    /// After a rule: `,` then the next rule, or the end of the definition.
    case commaOrEndAfterRule
    /// After a value of `let order`: `,` then the next value, or the end.
    case commaOrEndAfterOrderValue
    /// `rule birthday` then not `priority N`.
    case priorityAfterRuleName(String)
    case reasonAfterPriority
    case reasonText
    case whereAfterReason
    /// After `has` / `no`: the related table (`has holdings where …`).
    case relatedTable(after: String)
    /// After `client.`: the field of the linked table.
    case fieldAfterDot(String)

    var english: String {
        switch self {
        case .oneValue: return "one value (quote text that has spaces)"
        case .closingParenthesis(let line, let column): return "')' to close '(' at \(line):\(column)"
        case .endOfStatement(let after): return "the end of the statement after \(quoted(after))"
        case .name(let after): return "a name after \(quoted(after))"
        case .equals(let after): return "'=' after \(quoted(after))"
        case .inAndSegmentAfterClientID: return "'in' and a segment name after the client id"
        case .segmentName(let after): return "a segment name after \(quoted(after))"
        case .equalsAndDefault(let after): return "'=' and a default value after \(quoted(after))"
        case .dateAfterSince: return "a date like 2026-10-01 after 'since'"
        case .priorityAfterRuleName(let name): return "'priority' and a whole number after \(quoted("rule " + name)) (rule NAME priority 1 reason \"…\" where …)"
        case .reasonAfterPriority: return "'reason' and quoted text after the priority"
        case .reasonText: return "the reason as quoted text after 'reason' (reason \"生日\")"
        case .whereAfterReason: return "'where' and a condition after the reason"
        case .value: return "a value (a number, text, date or word)"
        case .byAfterSort: return "'by' after 'sort'"
        case .wholeNumber(let after): return "a whole number after \(quoted(after))"
        case .source(let after): return "a table or segment name" + (after.map { " after \(quoted($0))" } ?? "")
        case .condition(let after): return "a condition after \(quoted(after))"
        case .continuationOfNot: return "'in', 'between', 'like' or 'contains' after 'not'"
        case .parenthesisAfterIn(let negated): return negated ? "'(' after 'in'" : "'(', 'last' or 'next' after 'in'"
        case .andInBetween(let after): return "'and' after \(quoted(after)) in 'between'"
        case .parenthesis(let after): return "'(' after \(quoted(after))"
        case .empty(let after): return "'empty' after \(quoted(after))"
        case .comparison(let after): return "a comparison such as '=', 'in', 'has' or 'like' after \(quoted(after))"
        case .timeUnit(let after): return "a time unit (days, weeks, months or years) after \(quoted(after))"
        case .numberAfterMinus: return "a number after '-'"
        case .fieldOrValue(let after): return "a field or value after \(quoted(after))"
        case .ago(let after): return "'ago' after \(quoted(after))"
        case .whenAfterLabel(let label): return "'when' and a condition after the label \(quoted(label))"
        case .label(let after): return "a label (a word or quoted text) after \(quoted(after))"
        case .commaOrEndAfterRule: return "',' and the next rule (LABEL when CONDITION, or else LABEL), or the end of the definition"
        case .commaOrEndAfterOrderValue: return "',' and the next value (lowest first), or the end of the order"
        case .relatedTable(let after): return "the name of a related table after \(quoted(after)) (has holdings where …)"
        case .fieldAfterDot(let name): return "a field name after '\(name).'"
        }
    }
}

public enum SyntaxMessage: Sendable, Equatable {
    case unexpectedCharacter(String)
    case unterminatedString
    /// A `` `quoted name` `` whose closing backquote is missing on its line.
    case unterminatedQuotedName
    /// `` `` ``: a quoted name with nothing inside.
    case emptyQuotedName
    case expected(Expected, found: Found)
    case nestingTooDeep(limit: Int)
    /// `'where' given twice`: a clause (as written, `sort by`) that a query may have once.
    case clauseTwice(String)
    case whereAfterOtherClauses
    case unexpectedAfterQuery(found: Found, suggestion: String?)
    /// `count` or `where` at the start of a statement; `afterLineBreak` when a line break ended
    /// the statement before it.
    case statementStartsWithClause(word: String, afterLineBreak: Bool)
    case unknownTimeUnit(String, suggestion: String?)
    case fractionalTimeSpan(unit: String, written: String)
    /// `invalidDate(text, shaped)`: `shaped` when it has the form YYYY-MM-DD but is no real day.
    case invalidDate(String, shaped: Bool)
    case numberTooLarge
    /// `show … as days`: a heading that is a word of the language.
    case keywordAsHeading(String)

    var english: String {
        switch self {
        case .unexpectedCharacter(let c): return "unexpected character '\(c)'"
        case .unterminatedString: return "unterminated string"
        case .unterminatedQuotedName: return "quoted name without its closing backquote (`)"
        case .emptyQuotedName: return "empty quoted name: write the field's name between the backquotes"
        case .expected(let what, let found): return "expected \(what.english), found \(found.english)"
        case .nestingTooDeep(let limit): return "nesting deeper than \(limit) levels"
        case .clauseTwice(let clause): return "'\(clause)' given twice"
        case .whereAfterOtherClauses:
            return "'where' must come right after the source, before by, show, sort by, limit and count"
        case .unexpectedAfterQuery(let found, let suggestion):
            return "unexpected \(found.english) after the query; expected where, by, show, sort by, limit or count\(didYouMean(suggestion))"
        case .statementStartsWithClause(let word, let afterLineBreak):
            let example = word.lowercased() == "count" ? "clients count" : "clients \(word) …"
            let why = afterLineBreak ? "; a line ends its statement unless it ends in 'and', 'where', ',' …" : ""
            return "expected a table or segment name, found '\(word)' (a statement starts with what it reads, as in '\(example)'\(why))"
        case .unknownTimeUnit(let word, let suggestion): return "unknown time unit \(quoted(word))\(didYouMean(suggestion))"
        case .fractionalTimeSpan(let unit, let written): return "expected a whole number of \(unit), found \(quoted(written))"
        case .invalidDate(let text, let shaped):
            return shaped ? "invalid date \(quoted(text))" : "invalid date \(quoted(text)) (expected YYYY-MM-DD)"
        case .numberTooLarge: return "number too large"
        case .keywordAsHeading(let word):
            return "\(quoted(word)) is a word of the language, so it cannot name a column after 'as'; choose another name"
        }
    }
}
