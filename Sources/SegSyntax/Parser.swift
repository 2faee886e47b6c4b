import SegBase
// The seg parser: recursive descent over the lexer's tokens, one function per rule of
// grammar/seg.ebnf (each function's comment quotes its rule, as Lua's lparser.c does).
//
// Error handling follows clox's panic mode: the first error in a statement is recorded, the rest of
// the statement is skipped up to its separator (newline or `;`), and parsing resumes with the next
// statement. Errors that leave the syntax intact (a repeated clause, a bad date, a number too large)
// are recorded without skipping. After `maxErrors` errors parsing stops.
//
// Nesting (parentheses, `not`, nested queries, function arguments) is limited to `maxDepth`
// levels, `and`/`or` chains and `not` runs are built by loops, and every loop consumes a token per
// turn, so no input can exhaust the stack or hang the parser.

/// Parses seg statements into the syntax tree of AST.swift.
public enum Parser {
    /// Nesting deeper than this is an error.
    public static let maxDepth = 256
    /// Parsing stops after this many errors.
    public static let maxErrors = 10

    /// Parses a whole script. Never throws, never crashes: errors are collected (at most `maxErrors`),
    /// failed regions become `.invalid` nodes, and parsing resumes at the next statement.
    public static func parse(_ source: Source) -> (script: Script, errors: [SegError]) {
        // The parser recurses as deep as the text nests (up to `maxDepth` levels, with large frames
        // in debug and sanitizer builds): text that may nest deeply is parsed on a stack of its
        // own, whichever thread and `ulimit -s` the caller has (scripts, -c, the library).
        if !LargeStack.isCurrent, LargeStack.mayNestDeeply(source, segments: 0),
           let parsed = try? LargeStack.run({ parseOnThisStack(source) }) {
            return parsed
        }
        return parseOnThisStack(source)
    }

    private static func parseOnThisStack(_ source: Source) -> (script: Script, errors: [SegError]) {
        var state = ParserState(source)
        let script = state.script()
        return (script, state.errors)
    }

    /// Parses `text` as one literal value (`1m`, `"Li Na"`, `2026-01-31`, `averse`, `today`,
    /// `6 months ago`), as in `param NAME = VALUE`; used for `--param NAME=VALUE`.
    public static func parseLiteral(_ source: Source) -> (value: Operand?, errors: [SegError]) {
        var state = ParserState(source)
        let value = state.literal()
        if state.errors.isEmpty && state.token.kind != .endOfInput {
            state.failExpected(.oneValue)
        }
        return state.errors.isEmpty ? (value, []) : (nil, state.errors)
    }

    /// `--order risk=averse,conservative,…`: the part of `let order` after `order`.
    public static func parseOrder(_ source: Source) -> (order: Statement?, errors: [SegError]) {
        var state = ParserState(source)
        guard state.token.kind == .identifier else {
            state.failExpected(.name(after: "--order"))
            return (nil, state.errors)
        }
        let order = state.orderDefinition(start: state.token.range.start)
        return state.errors.isEmpty ? (order, []) : (nil, state.errors)
    }

    /// For a line-at-a-time prompt: true when `text` is an unfinished statement: a parenthesis is
    /// still open, or the last token needs something after it (an operator, a comma, `and`, `where`,
    /// `show`, …). An unterminated string is an error, not a continuation, so it gives false.
    public static func needsMoreInput(_ text: String) -> Bool {
        var lexer = Lexer(Source(name: "", text: text))
        var last = TokenKind.endOfInput
        while true {
            let token = lexer.next()
            switch token.kind {
            case .endOfInput:
                return lexer.parenDepth > 0 || last.expectsMore
            case .unterminatedString:
                return false
            default:
                last = token.kind
            }
        }
    }
}

/// Words that start a command statement (`save vip`, `segments`, `explain …`); see `commandWord()`.
enum CommandWord: String {
    case save, drop, segments, param, explain, why, snapshot, snapshots, diff, rule
}

// MARK: - Parser state

private struct ParserState {
    let source: Source
    var lexer: Lexer
    /// The current (not yet consumed) token.
    var token: Token
    /// The last consumed token.
    var previous: Token
    var errors: [SegError] = []
    /// Current nesting of parentheses, `not`, nested queries and calls.
    var depth = 0
    /// An error was reported in this statement: the rest of it has been skipped and further errors are dropped.
    var panicking = false
    /// Inside `having`: `count` is the aggregate (`having count > 300`).
    var countIsCall = false

    init(_ source: Source) {
        self.source = source
        self.lexer = Lexer(source)
        self.token = lexer.next()
        self.previous = Token(kind: .endOfInput, range: SourceRange(0, 0))
    }

    // MARK: Token helpers

    mutating func advance() {
        previous = token
        token = lexer.next()
    }

    // Hot code reads fields (`token.kind.isKeyword(.and)`, `previous.range.end`) rather than calling
    // helper methods of this struct: a non-mutating method called from a mutating one copies the
    // whole state, retaining its buffers, in debug builds, and the long-chain tests must be fast there.

    /// How a found token is named in messages.
    func found(_ t: Token) -> Found {
        switch t.kind {
        case .endOfInput: return .endOfInput
        case .newline: return .endOfLine
        default: return .token(lexer.text(t.range))
        }
    }

    /// The previous token's text, for "after 'X'".
    var afterPrevious: String { lexer.text(previous.range) }

    // MARK: Errors

    /// Records an error that leaves the syntax intact; parsing goes on normally.
    mutating func report(_ message: SyntaxMessage, _ range: SourceRange) {
        guard !panicking, errors.count < Parser.maxErrors else { return }
        errors.append(SegError(.query, .syntax(message), source: source, range: range))
    }

    /// Records an error and skips the rest of the statement. Callers see a statement end and unwind.
    mutating func fail(_ message: SyntaxMessage, _ range: SourceRange) {
        report(message, range)
        panicking = true
        while !token.kind.isStatementEnd { advance() }
    }

    /// Fails with "expected `what`, found …" at the current token; an illegal character or an
    /// unterminated string is reported as such instead.
    mutating func failExpected(_ what: Expected) {
        switch token.kind {
        case .illegal where lexer.isQuotedName(token.range):
            fail(.emptyQuotedName, token.range)
        case .illegal:
            fail(.unexpectedCharacter(DisplayWidth.sanitized(lexer.text(token.range))), token.range)
        case .unterminatedString:
            let quote = SourceRange(token.range.start, token.range.start + 1)
            fail(lexer.isQuotedName(token.range) ? .unterminatedQuotedName : .unterminatedString, quote)
        default:
            fail(.expected(what, found: found(token)), token.range)
        }
    }

    /// Consumes the `)` matching `open`, or fails naming where `open` was.
    mutating func close(_ open: Token) {
        if token.kind == .rightParen {
            advance()
        } else {
            let (line, column) = source.location(of: open.range.start)
            failExpected(.closingParenthesis(line: line, column: column))
        }
    }

    /// Enters one nesting level; false (after reporting) when that would exceed `maxDepth`.
    mutating func enter() -> Bool {
        if depth >= Parser.maxDepth {
            fail(.nestingTooDeep(limit: Parser.maxDepth), token.range)
            return false
        }
        depth += 1
        return true
    }

    // MARK: - Statements

    /// script      = [ statement ] , { separator , [ statement ] } ;
    /// separator   = NEWLINE | ";" ;
    mutating func script() -> Script {
        var statements: [Statement] = []
        while errors.count < Parser.maxErrors {
            switch token.kind {
            case .endOfInput:
                return Script(statements: statements)
            case .newline:
                advance()
            case .semicolon:
                // A broken statement may have left parentheses open; `;` always ends it.
                lexer.resetNesting()
                advance()
            default:
                statements.append(statement())
                if !token.kind.isStatementEnd && !panicking {
                    switch statements.last {
                    case .query?, .define?, .explain?, .save(_, .some, _)?:
                        unexpectedAfterQuery(statements.last)
                    default:
                        failExpected(.endOfStatement(after: afterPrevious))
                    }
                }
                panicking = false
                depth = 0
            }
        }
        return Script(statements: statements)
    }

    /// statement   = "let" , IDENT , "=" , query
    ///             | "let" , "field" , IDENT , "=" , field_body
    ///             | "let" , "order" , IDENT , "=" , label , { "," , label }
    ///             | "save" , IDENT , [ "=" , query ]
    ///             | "drop" , IDENT
    ///             | "segments"
    ///             | "param" , IDENT , "=" , literal
    ///             | "explain" , query
    ///             | "why" , client_id , "in" , IDENT
    ///             | "snapshot" , IDENT
    ///             | "snapshots" , IDENT
    ///             | "diff" , IDENT , [ "since" , DATE ]
    ///             | "rule" , IDENT , "priority" , INT , "reason" , STRING , "where" , condition
    ///             | DOT_COMMAND
    ///             | query ;
    mutating func statement() -> Statement {
        if token.kind == .dotCommand {
            let range = token.range
            advance()
            return .dotCommand(text: lexer.text(range), range: range)
        }
        if let word = commandWord() { return command(word) }
        guard token.kind.isKeyword(.let) else { return .query(query()) }
        let start = token.range.start
        advance()
        // `let field NAME = …` defines a field; `let field = …` is still a segment called `field`.
        if token.kind == .identifier, lexer.text(token.range).lowercased() == "field", lexer.nextKind == .identifier {
            advance()
            return fieldDefinition(start: start)
        }
        if token.kind == .identifier, lexer.text(token.range).lowercased() == "order", lexer.nextKind == .identifier {
            advance()
            return orderDefinition(start: start)
        }
        guard token.kind == .identifier else {
            failExpected(.name(after: "let"))
            return .query(Query(source: .invalid(token.range), range: SourceRange(start, previous.range.end)))
        }
        let name = Identifier(name: lexer.name(token.range), range: token.range)
        advance()
        guard token.kind == .equal else {
            failExpected(.equals(after: afterPrevious))
            return .query(Query(source: .invalid(token.range), range: SourceRange(start, previous.range.end)))
        }
        advance()
        let q = query()
        return .define(name: name, query: q, range: SourceRange(start, previous.range.end))
    }

    /// field_body  = operand | classification ;
    /// classification = rule , { "," , rule } , [ "," , "else" , label ] ;
    /// rule        = label , "when" , condition ;
    /// label       = IDENT | STRING ;
    /// (`when` and `else` are words of this rule only; a classification is told from an operand
    /// by `when` after its first word)
    mutating func fieldDefinition(start: Int) -> Statement {
        let name = Identifier(name: lexer.name(token.range), range: token.range)
        advance()
        func invalid() -> Statement {
            .query(Query(source: .invalid(token.range), range: SourceRange(start, previous.range.end)))
        }
        guard token.kind == .equal else {
            failExpected(.equals(after: afterPrevious))
            return invalid()
        }
        advance()
        let bodyStart = token.range.start
        guard (token.kind == .identifier || token.kind == .string), lexer.nextIsWord("when") else {
            let value = operand()
            return .defineField(name: name, body: .expression(value), range: SourceRange(start, previous.range.end))
        }
        var rules: [LabelRule] = []
        var otherwise: Identifier?
        while !panicking {
            if token.kind == .identifier, lexer.text(token.range).lowercased() == "else", !rules.isEmpty {
                advance()
                guard let label = label() else { break }
                otherwise = label
                break
            }
            guard let label = label() else { break }
            guard token.kind == .identifier, lexer.text(token.range).lowercased() == "when" else {
                failExpected(.whenAfterLabel(label.name))
                break
            }
            advance()
            rules.append(LabelRule(label: label, condition: condition()))
            guard token.kind == .comma else {
                if !token.kind.isStatementEnd && !panicking { failExpected(.commaOrEndAfterRule) }
                break
            }
            advance()
        }
        let body = FieldBody.classification(rules, otherwise: otherwise, range: SourceRange(bodyStart, previous.range.end))
        return .defineField(name: name, body: body, range: SourceRange(start, previous.range.end))
    }

    /// "let" , "order" , IDENT , "=" , label , { "," , label } — the values of a stored category, lowest first.
    mutating func orderDefinition(start: Int) -> Statement {
        let field = Identifier(name: lexer.text(token.range), range: token.range)
        advance()
        guard token.kind == .equal else {
            failExpected(.equals(after: afterPrevious))
            return .query(Query(source: .invalid(token.range), range: SourceRange(start, previous.range.end)))
        }
        advance()
        var labels: [Identifier] = []
        while !panicking, let label = label() {
            labels.append(label)
            guard token.kind == .comma else { break }
            advance()
        }
        if !token.kind.isStatementEnd && !panicking { failExpected(.commaOrEndAfterOrderValue) }
        return .defineOrder(field: field, labels: labels, range: SourceRange(start, previous.range.end))
    }

    /// label       = IDENT | STRING ;
    mutating func label() -> Identifier? {
        switch token.kind {
        case .identifier:
            let id = Identifier(name: lexer.name(token.range), range: token.range)
            advance()
            return id
        case .string:
            let id = Identifier(name: lexer.stringValue(token.range), range: token.range)
            advance()
            return id
        default:
            failExpected(.label(after: afterPrevious))
            return nil
        }
    }

    /// The command word at the current token, when it starts a command statement. Command words
    /// are not reserved: only at the start of a statement and followed as their rule says
    /// (`drop` then a name, `segments` then the statement's end) do they make a command, so a
    /// table or field may still be called `diff` or `segments`.
    func commandWord() -> CommandWord? {
        guard token.kind == .identifier, let word = CommandWord(rawValue: lexer.text(token.range).lowercased()) else {
            return nil
        }
        var ahead = lexer
        let next = ahead.next().kind
        switch word {
        case .segments: return next.isStatementEnd ? word : nil
        // `param = 3` cannot be a query either: report the missing name.
        case .save, .param: return next == .identifier || next == .equal ? word : nil
        case .drop, .snapshot, .snapshots, .diff, .rule: return next == .identifier ? word : nil
        case .explain: return next == .identifier || next == .leftParen ? word : nil
        case .why: return next == .identifier || next == .number || next == .string ? word : nil
        }
    }

    /// The statements after their command word (see `statement`).
    mutating func command(_ word: CommandWord) -> Statement {
        let start = token.range.start
        let wordText = lexer.text(token.range).lowercased()
        advance()
        func range() -> SourceRange { SourceRange(start, previous.range.end) }
        func invalid() -> Statement { .query(Query(source: .invalid(range()), range: range())) }
        if word == .segments { return .listSegments(range: range()) }
        if word == .explain {
            let q = query()
            return .explain(q, range: range())
        }
        if word == .why {
            // client_id   = IDENT | NUMBER | STRING ;   (the id as written; a number keeps its digits: 00123)
            let id: Operand
            switch token.kind {
            case .string: id = .string(lexer.stringValue(token.range), range: token.range)
            default: id = .string(lexer.text(token.range), range: token.range)
            }
            advance()
            guard token.kind.isKeyword(.in) else {
                failExpected(.inAndSegmentAfterClientID)
                return invalid()
            }
            advance()
            guard token.kind == .identifier else {
                failExpected(.segmentName(after: "in"))
                return invalid()
            }
            let name = Identifier(name: lexer.name(token.range), range: token.range)
            advance()
            return .why(id: id, segment: name, range: range())
        }
        // The other commands name a segment or parameter next.
        guard token.kind == .identifier else {
            failExpected(.name(after: wordText))
            return invalid()
        }
        let name = Identifier(name: lexer.name(token.range), range: token.range)
        advance()
        switch word {
        case .rule: return planRule(name, start: start)
        case .drop: return .drop(name: name, range: range())
        case .snapshot: return .snapshot(name: name, range: range())
        case .snapshots: return .listSnapshots(name: name, range: range())
        case .save:
            guard token.kind == .equal else { return .save(name: name, query: nil, range: range()) }
            advance()
            let q = query()
            return .save(name: name, query: q, range: range())
        case .param:
            guard token.kind == .equal else {
                failExpected(.equalsAndDefault(after: "\(wordText) \(name.name)"))
                return invalid()
            }
            advance()
            let value = literal()
            return .parameter(name: name, value: value, range: range())
        case .diff:
            guard token.kind == .identifier, lexer.text(token.range).lowercased() == "since" else {
                return .diff(name: name, since: nil, range: range())
            }
            advance()
            guard token.kind == .date else {
                failExpected(.dateAfterSince)
                return invalid()
            }
            guard let day = lexer.dateValue(token.range) else {
                report(.invalidDate(lexer.text(token.range), shaped: true), token.range)
                advance()
                return invalid()
            }
            advance()
            return .diff(name: name, since: day, range: range())
        case .segments, .explain, .why:
            return invalid()  // handled above
        }
    }

    /// "rule" , IDENT , "priority" , INT , "reason" , STRING , "where" , condition — the part after
    /// the name. `priority` and `reason` are words of this rule only.
    mutating func planRule(_ name: Identifier, start: Int) -> Statement {
        func invalid() -> Statement {
            .query(Query(source: .invalid(SourceRange(start, previous.range.end)), range: SourceRange(start, previous.range.end)))
        }
        guard token.kind == .identifier, lexer.text(token.range).lowercased() == "priority" else {
            failExpected(.priorityAfterRuleName(name.name))
            return invalid()
        }
        advance()
        guard token.kind == .number, let value = wholeNumber(token) else {
            failExpected(.wholeNumber(after: "priority"))
            return invalid()
        }
        let priorityRange = token.range
        advance()
        guard token.kind == .identifier, lexer.text(token.range).lowercased() == "reason" else {
            failExpected(.reasonAfterPriority)
            return invalid()
        }
        advance()
        guard token.kind == .string else {
            failExpected(.reasonText)
            return invalid()
        }
        let reason = lexer.stringValue(token.range)
        advance()
        guard token.kind.isKeyword(.where) else {
            failExpected(.whereAfterReason)
            return invalid()
        }
        advance()
        let condition = condition()
        return .rule(PlanRule(name: name, priority: value ?? 0, priorityRange: priorityRange, reason: reason,
                              condition: condition, range: SourceRange(start, previous.range.end)))
    }

    /// literal     = [ "-" ] , NUMBER | INT , unit , [ "ago" ] | STRING | DATE | IDENT | "today" | "yesterday" ;
    mutating func literal() -> Operand {
        switch token.kind {
        case .identifier:
            let id = Identifier(name: lexer.name(token.range), range: token.range)
            advance()
            return .name(id)
        case .number, .minus, .string, .date, .keyword(.today), .keyword(.yesterday):
            return atom(allowCount: false)
        default:
            failExpected(.value)
            return .invalid(token.range)
        }
    }

    /// Reports the token after a complete query that is neither a clause nor the statement's end.
    mutating func unexpectedAfterQuery(_ statement: Statement?) {
        var hasCondition = false
        switch statement {
        case .query(let q)?, .define(_, let q, _)?, .explain(let q, _)?, .save(_, let q?, _)?: hasCondition = q.condition != nil
        default: break
        }
        unexpectedAfterQuery(hasCondition: hasCondition)
    }

    mutating func unexpectedAfterQuery(hasCondition: Bool) {
        switch token.kind {
        case .illegal, .unterminatedString:
            failExpected(.value)  // reported as the character or string it is
        case .keyword(.where):
            fail(hasCondition ? .clauseTwice("where") : .whereAfterOtherClauses, token.range)
        default:
            var suggestion: String?
            if token.kind == .identifier {
                let candidates = ["where", "by", "show", "sort", "limit", "count", "chart", "histogram"] + (hasCondition ? ["and", "or"] : [])
                suggestion = Suggest.closest(to: lexer.text(token.range), among: candidates)
            }
            fail(.unexpectedAfterQuery(found: found(token), suggestion: suggestion), token.range)
        }
    }

    // MARK: - Queries

    /// query       = source , [ "where" , condition ] , { clause } ;
    /// clause      = "by" , keylist
    ///             | "show" , showlist
    ///             | "sort" , "by" , sortlist
    ///             | "limit" , INT , [ "per" , keylist ]
    ///             | "having" , condition        (after by or show: a condition on each group)
    ///             | "count"
    ///             | "chart"                     (draw the answer as a bar chart)
    ///             | "histogram" , operand ;     (the operand's distribution in bins)
    /// (each clause at most once, in any order)
    mutating func query() -> Query {
        let start = token.range.start
        var q = Query(source: sourceExpr(), range: SourceRange(start, start))
        if token.kind.isKeyword(.where) {
            advance()
            q.condition = condition()
        }
        clauses: while true {
            let clauseToken = token
            // `having` is a word of this clause only, so a field may still be called `having`.
            if token.kind == .identifier, lexer.text(token.range).lowercased() == "having", q.groupKeys != nil || q.show != nil {
                advance()
                countIsCall = true
                let c = condition()
                countIsCall = false
                if q.having == nil { q.having = c } else { report(.clauseTwice("having"), clauseToken.range) }
                continue
            }
            // `chart` and `histogram` are words of these clauses only, as `having` is.
            if token.kind == .identifier, lexer.text(token.range).lowercased() == "chart" {
                advance()
                if q.chart == nil { q.chart = clauseToken.range } else { report(.clauseTwice("chart"), clauseToken.range) }
                continue
            }
            if token.kind == .identifier, lexer.text(token.range).lowercased() == "histogram" {
                advance()
                let operand = operand()
                let histogram = Histogram(operand: operand, range: SourceRange(clauseToken.range.start, previous.range.end))
                if q.histogram == nil { q.histogram = histogram } else { report(.clauseTwice("histogram"), clauseToken.range) }
                continue
            }
            guard case .keyword(let keyword) = token.kind else { break }
            switch keyword {
            case .by:
                advance()
                let keys = keyList()
                if q.groupKeys == nil { q.groupKeys = keys } else { report(.clauseTwice("by"), clauseToken.range) }
            case .show:
                advance()
                let alreadyShown = q.show != nil || q.showsAllFields
                if token.kind.isKeyword(.all) {
                    advance()
                    if alreadyShown { report(.clauseTwice("show"), clauseToken.range) } else { q.showsAllFields = true }
                } else {
                    let items = showList()
                    if alreadyShown { report(.clauseTwice("show"), clauseToken.range) } else { q.show = items }
                }
            case .sort:
                advance()
                guard token.kind.isKeyword(.by) else {
                    failExpected(.byAfterSort)
                    break clauses
                }
                advance()
                let range = SourceRange(clauseToken.range.start, previous.range.end)
                let keys = sortList()
                if q.sort == nil { q.sort = keys } else { report(.clauseTwice("sort by"), range) }
            case .limit:
                advance()
                let limit = self.limit()
                if q.limit == nil { q.limit = limit } else { report(.clauseTwice("limit"), clauseToken.range) }
            case .count:
                advance()
                if q.count == nil { q.count = clauseToken.range } else { report(.clauseTwice("count"), clauseToken.range) }
            default:
                break clauses
            }
        }
        q.range = SourceRange(start, max(start, previous.range.end))
        return q
    }

    /// clause      = … | "limit" , INT | … ;   (a whole number, suffixes allowed: `limit 1k`)
    /// (`limit 5 per manager`: the first 5 rows of each manager, in the sort order; `per` is a
    /// word of this clause only)
    mutating func limit() -> Limit? {
        guard token.kind == .number, let value = wholeNumber(token) else {
            failExpected(.wholeNumber(after: "limit"))
            return nil
        }
        let range = token.range
        advance()
        var per: [Operand]?
        if token.kind == .identifier, lexer.text(token.range).lowercased() == "per" {
            advance()
            per = keyList()
        }
        return value.map { Limit(value: $0, range: range, per: per) }
    }

    /// The value of a number token without a fraction: `.some(nil)` after reporting "number too
    /// large", nil when it has a fraction.
    mutating func wholeNumber(_ t: Token) -> Int?? {
        guard let (mantissa, scale) = lexer.numberValue(t.range, negative: false) else {
            report(.numberTooLarge, t.range)
            return .some(nil)
        }
        guard scale == 0 else { return nil }
        return .some(Int(mantissa))
    }

    /// source      = source_term , { set_operator , source_term } ;
    /// set_operator = "union" | "intersect" | "except" ;
    mutating func sourceExpr() -> SourceExpr {
        let first = sourceTerm()
        var rest: [(SetOperator, SourceExpr)] = []
        while case .keyword(let keyword) = token.kind, let op = keyword.setOperator {
            advance()
            rest.append((op, sourceTerm()))
        }
        if rest.isEmpty { return first }
        let end = rest.last.map { $0.1.range.end } ?? first.range.end
        return .setOperation(first: first, rest: rest, range: SourceRange(first.range.start, end))
    }

    /// source_term = IDENT
    ///             | "(" , query , ")" ;
    mutating func sourceTerm() -> SourceExpr {
        switch token.kind {
        case .identifier:
            let id = Identifier(name: lexer.name(token.range), range: token.range)
            advance()
            return .name(id)
        case .leftParen:
            let open = token
            guard enter() else { return .invalid(open.range) }
            defer { depth -= 1 }
            advance()
            let q = query()
            if !panicking && token.kind != .rightParen && !token.kind.isStatementEnd {
                unexpectedAfterQuery(hasCondition: q.condition != nil)
            }
            close(open)
            return .parenthesized(q, range: SourceRange(open.range.start, previous.range.end))
        default:
            let range = token.range
            switch previous.kind {
            case .keyword(.union), .keyword(.intersect), .keyword(.except), .equal:
                failExpected(.source(after: afterPrevious))
            case let kind where kind.isStatementEnd && token.kind.isClauseKeyword:
                // `count` on the line after a finished statement: say why it stands alone.
                fail(.statementStartsWithClause(word: lexer.text(token.range), afterLineBreak: kind == .newline), range)
            default:
                failExpected(.source(after: nil))
            }
            return .invalid(range)
        }
    }

    /// keylist     = operand , { "," , operand } ;
    mutating func keyList() -> [Operand] {
        var keys = [operand()]
        while token.kind == .comma {
            advance()
            keys.append(operand())
        }
        return keys
    }

    /// showlist    = "all" | show_item , { "," , show_item } ;   ("all" is handled by the caller)
    /// show_item   = ( operand | count_call ) , [ "as" , IDENT ] ;
    mutating func showList() -> [ShowItem] {
        var items = [showItem()]
        while token.kind == .comma {
            advance()
            items.append(showItem())
        }
        return items
    }

    mutating func showItem() -> ShowItem {
        let value = operand(allowCount: true)
        guard token.kind.isKeyword(.as) else { return ShowItem(operand: value) }
        advance()
        if case .keyword = token.kind {
            // `as days`: the heading would be a word `sort by` cannot name.
            fail(.keywordAsHeading(lexer.text(token.range)), token.range)
            return ShowItem(operand: value)
        }
        guard token.kind == .identifier else {
            failExpected(.name(after: "as"))
            return ShowItem(operand: value)
        }
        let name = Identifier(name: lexer.name(token.range), range: token.range)
        advance()
        return ShowItem(operand: value, alias: name)
    }

    /// sortlist    = sort_key , { "," , sort_key } ;
    /// sort_key    = ( operand | count_call ) , [ "asc" | "desc" ] ;
    mutating func sortList() -> [SortKey] {
        var keys: [SortKey] = []
        repeat {
            if !keys.isEmpty { advance() }  // the comma
            let key = operand(allowCount: true)
            var descending = false
            if token.kind.isKeyword(.asc) || token.kind.isKeyword(.desc) {
                descending = token.kind.isKeyword(.desc)
                advance()
            }
            keys.append(SortKey(operand: key, descending: descending, range: SourceRange(key.range.start, max(key.range.end, previous.range.end))))
        } while token.kind == .comma
        return keys
    }

    // MARK: - Conditions

    /// condition   = and_condition , { "or" , and_condition } ;
    mutating func condition() -> Condition {
        var terms = [andCondition()]
        while token.kind.isKeyword(.or) {
            advance()
            terms.append(andCondition())
        }
        if terms.count == 1 { return terms[0] }
        return .or(terms, range: SourceRange(terms[0].range.start, previous.range.end))
    }

    /// and_condition = not_condition , { "and" , not_condition } ;
    mutating func andCondition() -> Condition {
        var terms = [notCondition()]
        while token.kind.isKeyword(.and) {
            advance()
            terms.append(notCondition())
        }
        if terms.count == 1 { return terms[0] }
        return .and(terms, range: SourceRange(terms[0].range.start, previous.range.end))
    }

    /// not_condition = { "not" } , primary_condition ;
    /// (a loop, not recursion, so a long run of `not` cannot exhaust the stack; each `not` is a nesting level)
    mutating func notCondition() -> Condition {
        guard token.kind.isKeyword(.not) else { return primaryCondition() }
        var nots: [Int] = []
        while token.kind.isKeyword(.not) {
            if depth >= Parser.maxDepth {
                fail(.nestingTooDeep(limit: Parser.maxDepth), token.range)
                break
            }
            nots.append(token.range.start)
            depth += 1
            advance()
        }
        var c = primaryCondition()
        depth -= nots.count
        var i = nots.count - 1
        while i >= 0 {
            c = .not(c, range: SourceRange(nots[i], max(nots[i], c.range.end)))
            i -= 1
        }
        return c
    }

    /// primary_condition
    ///             = "(" , condition , ")"
    ///             | "in" , IDENT
    ///             | predicate ;
    mutating func primaryCondition() -> Condition {
        switch token.kind {
        case .leftParen where !parenthesisStartsOperand():
            let open = token
            guard enter() else { return .invalid(open.range) }
            defer { depth -= 1 }
            advance()
            let c = condition()
            close(open)
            return c
        case .keyword(.in):
            let start = token.range.start
            advance()
            guard token.kind == .identifier else {
                failExpected(.segmentName(after: "in"))
                return .invalid(SourceRange(start, token.range.end))
            }
            let id = Identifier(name: lexer.name(token.range), range: token.range)
            advance()
            return .membership(id, range: SourceRange(start, previous.range.end))
        case .keyword(.has):
            return relatedCondition(any: true)
        case .identifier where lexer.nextKind == .identifier && !lexer.isQuotedName(token.range)
                && lexer.text(token.range).lowercased() == "no":
            return relatedCondition(any: false)
        default:
            var unitCall = false
            if case .keyword(let k) = token.kind, k.dateUnit != nil { unitCall = lexer.nextIsLeftParenthesis }
            let countCall = token.kind.isKeyword(.count) && (countIsCall || lexer.nextIsLeftParenthesis)
            guard token.kind.startsOperand || unitCall || countCall else {
                let range = token.range
                failExpected(.condition(after: afterPrevious))
                return .invalid(range)
            }
            return .predicate(predicate())
        }
    }

    /// primary_condition = … | ( "has" | "no" ) , related_rows ;
    /// related_rows = IDENT , [ "where" , condition ] ;
    /// (the condition runs to the end of the enclosing condition: parentheses close it sooner)
    mutating func relatedCondition(any: Bool) -> Condition {
        let start = token.range.start
        let word = lexer.text(token.range)
        advance()
        guard token.kind == .identifier else {
            failExpected(.relatedTable(after: word))
            return .invalid(SourceRange(start, token.range.end))
        }
        let table = Identifier(name: lexer.name(token.range), range: token.range)
        advance()
        let rows = relatedRows(table: table, field: nil, start: table.range.start)
        return .related(any: any, rows, range: SourceRange(start, previous.range.end))
    }

    /// The optional `where CONDITION` of related rows.
    mutating func relatedRows(table: Identifier, field: Identifier?, start: Int) -> RelatedRows {
        var condition: Condition? = nil
        if token.kind.isKeyword(.where) {
            advance()
            if enter() {
                condition = self.condition()
                depth -= 1
            }
        }
        return RelatedRows(table: table, field: field, condition: condition, range: SourceRange(start, previous.range.end))
    }

    /// A `(` in a condition groups a condition, unless what follows its `)` continues an operand
    /// or tests one: `(assets - loans) / assets > 0.5`, `(a + b) between 1 and 2`.
    func parenthesisStartsOperand() -> Bool {
        var ahead = lexer
        var depth = 1
        while depth > 0 {
            let t = ahead.next()
            switch t.kind {
            case .leftParen: depth += 1
            case .rightParen: depth -= 1
            case .endOfInput, .semicolon: return false
            default: break
            }
        }
        switch ahead.next().kind {
        case .plus, .minus, .star, .slash, .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .tilde,
             .keyword(.in), .keyword(.between), .keyword(.has), .keyword(.like), .keyword(.contains), .keyword(.is),
             .keyword(.before), .keyword(.after):
            return true
        case .keyword(.not):
            // `(x) not in (…)`, `(x) not between …`: a test; `(c) not …` cannot follow a condition.
            return true
        default:
            return false
        }
    }

    /// predicate   = operand , test ;
    mutating func predicate() -> Predicate {
        let lhs = operand()
        let test = panicking ? .compare(.equal, .invalid(token.range), operatorRange: token.range) : self.test(after: lhs)
        let start = lhs.range.start
        return Predicate(lhs: lhs, test: test, range: SourceRange(start, max(start, previous.range.end)))
    }

    /// test        = compare_op , operand
    ///             | [ "not" ] , "in" , list
    ///             | "in" , ( "last" | "next" ) , INT , unit
    ///             | [ "not" ] , "between" , operand , "and" , operand
    ///             | "has" , operand
    ///             | "has" , "any" , list
    ///             | "has" , "all" , list
    ///             | [ "not" ] , "like" , operand
    ///             | "~" , operand
    ///             | [ "not" ] , "contains" , operand
    ///             | "is" , [ "not" ] , "empty"
    ///             | "before" , operand
    ///             | "after" , operand ;
    /// compare_op  = "=" | "!=" | "<>" | "<" | "<=" | ">" | ">=" ;
    /// (`lhs`, the predicate's operand, has just been parsed)
    mutating func test(after lhs: Operand) -> Predicate.Test {
        var negated = false
        if token.kind.isKeyword(.not) {
            advance()
            negated = true
            switch token.kind {
            case .keyword(.in), .keyword(.between), .keyword(.like), .keyword(.contains):
                break
            default:
                failExpected(.continuationOfNot)
                return .isEmpty(negated: true)
            }
        }

        let op = token
        switch token.kind {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            let comparison: ComparisonOperator
            switch token.kind {
            case .equal: comparison = .equal
            case .notEqual: comparison = .notEqual
            case .less: comparison = .less
            case .lessOrEqual: comparison = .lessOrEqual
            case .greater: comparison = .greater
            default: comparison = .greaterOrEqual
            }
            advance()
            let rhs = operand()
            return .compare(comparison, rhs, operatorRange: op.range)
        case .tilde:
            advance()
            return .matches(operand())
        case .keyword(.in):
            advance()
            if !negated, token.kind.isKeyword(.last) || token.kind.isKeyword(.next) {
                let isLast = token.kind.isKeyword(.last)
                advance()
                let (n, unit) = countAndUnit()
                let range = SourceRange(op.range.start, previous.range.end)
                return isLast ? .inLast(n, unit, range: range) : .inNext(n, unit, range: range)
            }
            guard token.kind == .leftParen else {
                failExpected(.parenthesisAfterIn(negated: negated))
                return .inList([], negated: negated)
            }
            return .inList(list(), negated: negated)
        case .keyword(.between):
            advance()
            let low = operand()
            guard token.kind.isKeyword(.and) else {
                failExpected(.andInBetween(after: afterPrevious))
                return .between(low, .invalid(token.range), negated: negated)
            }
            advance()
            let high = operand()
            return .between(low, high, negated: negated)
        case .keyword(.has):
            advance()
            if token.kind.isKeyword(.any) || token.kind.isKeyword(.all) {
                let isAny = token.kind.isKeyword(.any)
                advance()
                guard token.kind == .leftParen else {
                    failExpected(.parenthesis(after: afterPrevious))
                    return isAny ? .hasAny([]) : .hasAll([])
                }
                let items = list()
                return isAny ? .hasAny(items) : .hasAll(items)
            }
            return .has(operand())
        case .keyword(.like):
            advance()
            return .like(operand(), negated: negated)
        case .keyword(.contains):
            advance()
            return .contains(operand(), negated: negated)
        case .keyword(.is):
            advance()
            let isNot = token.kind.isKeyword(.not)
            if isNot { advance() }
            if token.kind.isKeyword(.empty) {
                advance()
            } else {
                failExpected(.empty(after: afterPrevious))
            }
            return .isEmpty(negated: isNot)
        case .keyword(.before):
            advance()
            return .before(operand())
        case .keyword(.after):
            advance()
            return .after(operand())
        default:
            failExpected(.comparison(after: lexer.text(lhs.range)))
            return .compare(.equal, .invalid(op.range), operatorRange: op.range)
        }
    }

    /// list        = "(" , operand , { "," , operand } , ")" ;
    mutating func list() -> [Operand] {
        let open = token
        advance()
        var items = [operand()]
        while token.kind == .comma {
            advance()
            items.append(operand())
        }
        close(open)
        return items
    }

    /// test        = … | "in" , ( "last" | "next" ) , INT , unit | … ;   (the part after "last" / "next")
    mutating func countAndUnit() -> (Int, DateUnit) {
        guard token.kind == .number, let value = wholeNumber(token) else {
            failExpected(.wholeNumber(after: afterPrevious))
            return (0, .days)
        }
        advance()
        return (value ?? 0, unit())
    }

    /// unit        = "day" | "days" | "week" | "weeks" | "month" | "months" | "year" | "years" ;
    mutating func unit() -> DateUnit {
        if case .keyword(let keyword) = token.kind, let unit = keyword.dateUnit {
            advance()
            return unit
        }
        if token.kind == .identifier {
            let word = lexer.text(token.range)
            fail(.unknownTimeUnit(word, suggestion: Suggest.closest(to: word, among: Keyword.unitNames)), token.range)
        } else {
            failExpected(.timeUnit(after: afterPrevious))
        }
        return .days
    }

    // MARK: - Operands

    /// operand     = term , { ( "+" | "-" ) , term } ;
    /// (`allowCount`: `count` alone is an aggregate call, in show and sort lists)
    mutating func operand(allowCount: Bool = false) -> Operand {
        var lhs = term(allowCount: allowCount)
        while token.kind == .plus || token.kind == .minus {
            let op: ArithmeticOperator = token.kind == .plus ? .add : .subtract
            advance()
            let rhs = term(allowCount: allowCount)
            lhs = .arithmetic(op, lhs, rhs, range: SourceRange.covering(lhs.range, rhs.range))
        }
        return lhs
    }

    /// term        = factor , { ( "*" | "/" ) , factor } ;
    mutating func term(allowCount: Bool) -> Operand {
        var lhs = factor(allowCount: allowCount)
        while token.kind == .star || token.kind == .slash {
            let op: ArithmeticOperator = token.kind == .star ? .multiply : .divide
            advance()
            let rhs = factor(allowCount: allowCount)
            lhs = .arithmetic(op, lhs, rhs, range: SourceRange.covering(lhs.range, rhs.range))
        }
        return lhs
    }

    /// factor      = [ "-" ] , atom ;     ("-" directly before digits makes a negative number)
    mutating func factor(allowCount: Bool) -> Operand {
        let t = token
        if t.kind == .minus && !lexer.isDigit(t.range.end) {
            guard enter() else { return .invalid(t.range) }
            defer { depth -= 1 }
            advance()
            let inner = factor(allowCount: allowCount)
            return .negate(inner, range: SourceRange(t.range.start, max(t.range.end, inner.range.end)))
        }
        return atom(allowCount: allowCount)
    }

    /// atom        = IDENT , [ call_arguments ]
    ///             | [ "-" ] , NUMBER
    ///             | INT , unit , [ "ago" ]
    ///             | STRING
    ///             | DATE
    ///             | "today" | "yesterday"
    ///             | unit , call_arguments          (year(opened), month(birthday))
    ///             | PARAMETER
    ///             | "(" , operand , ")" ;
    /// count_call  = "count" , [ "(" , [ operand , { "," , operand } ] , ")" ] ;   (when `allowCount`)
    mutating func atom(allowCount: Bool) -> Operand {
        let t = token
        switch t.kind {
        case .identifier:
            advance()
            let id = Identifier(name: lexer.name(t.range), range: t.range)
            if token.kind == .dot { return qualified(id) }
            // `latest contacts.outcome`: the value on the related rows' latest date.
            if token.kind == .identifier, !lexer.isQuotedName(t.range), id.name.lowercased() == "latest", lexer.nextKind == .dot {
                let table = Identifier(name: lexer.name(token.range), range: token.range)
                advance()
                let field = qualified(table)
                return .call(id, [field], range: SourceRange(t.range.start, previous.range.end))
            }
            // A quoted name is always a field: `资产余额(元)` is one name, never a call.
            return token.kind == .leftParen && !lexer.isQuotedName(t.range) ? call(id) : .name(id)
        case .keyword(let keyword) where keyword.dateUnit != nil && lexer.nextIsLeftParenthesis:
            // `year(opened)`, `month(birthday)`: a unit word called as a function.
            advance()
            return call(Identifier(name: lexer.name(t.range), range: t.range))
        case .keyword(.count) where allowCount || countIsCall || lexer.nextIsLeftParenthesis:
            advance()
            let id = Identifier(name: "count", range: t.range)
            return token.kind == .leftParen ? call(id) : .call(id, [], range: t.range)
        case .number:
            return number(negativeFrom: nil)
        case .minus where lexer.isDigit(t.range.end):
            advance()
            guard token.kind == .number else {
                failExpected(.numberAfterMinus)
                return .invalid(t.range)
            }
            return number(negativeFrom: t.range.start)
        case .string:
            advance()
            return .string(lexer.stringValue(t.range), range: t.range)
        case .date:
            advance()
            guard let day = lexer.dateValue(t.range) else {
                let written = lexer.text(t.range)
                let shape = Array(written.utf8).map { $0 == UInt8(ascii: "-") ? "-" : "9" }.joined()
                report(.invalidDate(written, shaped: shape == "9999-99-99"), t.range)
                return .invalid(t.range)
            }
            return .date(day, range: t.range)
        case .keyword(.today):
            advance()
            return .today(range: t.range)
        case .keyword(.yesterday):
            advance()
            return .yesterday(range: t.range)
        case .parameter:
            advance()
            return .parameter(Identifier(name: source.slice(SourceRange(t.range.start + 1, t.range.end)), range: t.range))
        case .leftParen:
            guard enter() else { return .invalid(t.range) }
            defer { depth -= 1 }
            advance()
            let inner = operand(allowCount: allowCount)
            close(t)
            return .parenthesized(inner, range: SourceRange(t.range.start, previous.range.end))
        default:
            failExpected(.fieldOrValue(after: afterPrevious))
            return .invalid(t.range)
        }
    }

    /// atom        = … | IDENT , "." , IDENT ;     (client.tier: a field of a linked table)
    /// (`table` and the `.` token are current)
    mutating func qualified(_ table: Identifier) -> Operand {
        advance()
        guard token.kind == .identifier else {
            failExpected(.fieldAfterDot(table.name))
            return .invalid(SourceRange(table.range.start, token.range.end))
        }
        let field = Identifier(name: lexer.name(token.range), range: token.range)
        advance()
        return .qualified(table, field, range: SourceRange(table.range.start, field.range.end))
    }

    /// call_arguments = "(" , [ operand , { "," , operand } ] , ")" ;
    /// count_call  = … | "count" , "(" , "distinct" , operand , ")" ;   (the registry's count_distinct)
    /// share_call  = "pct" , "(" , count_call | operand , ")" ;           (`count` alone is the aggregate)
    mutating func call(_ name: Identifier) -> Operand {
        let open = token
        guard enter() else { return .invalid(open.range) }
        defer { depth -= 1 }
        advance()
        if name.name.lowercased() == "count", token.kind == .identifier, lexer.text(token.range).lowercased() == "distinct",
           lexer.nextKind.startsOperand {
            advance()
            let arg = operand()
            close(open)
            return .call(Identifier(name: "count_distinct", range: name.range), [arg], range: SourceRange(name.range.start, previous.range.end))
        }
        // `pct(count)`: inside pct, `count` alone is the aggregate, as in a show list.
        let countIsAggregate = name.name.lowercased() == "pct"
        var args: [Operand] = []
        if token.kind != .rightParen {
            args.append(operand(allowCount: countIsAggregate))
            // `count(holdings where kind = fund)`, `sum(holdings.amount where …)`: related rows.
            if token.kind.isKeyword(.where) {
                switch args[0] {
                case .name(let table):
                    args[0] = .related(relatedRows(table: table, field: nil, start: table.range.start))
                case .qualified(let table, let field, _):
                    args[0] = .related(relatedRows(table: table, field: field, start: table.range.start))
                default: break
                }
            }
            while token.kind == .comma {
                advance()
                args.append(operand(allowCount: countIsAggregate))
            }
        }
        close(open)
        return .call(name, args, range: SourceRange(name.range.start, previous.range.end))
    }

    /// atom        = … | [ "-" ] , NUMBER | INT , unit , [ "ago" ] | … ;
    mutating func number(negativeFrom minusStart: Int?) -> Operand {
        let t = token
        let start = minusStart ?? t.range.start
        let range = SourceRange(start, t.range.end)
        advance()
        let value = lexer.numberValue(t.range, negative: minusStart != nil)
        if value == nil { report(.numberTooLarge, range) }

        if case .keyword(let keyword) = token.kind, let unit = keyword.dateUnit {
            let unitToken = token
            advance()
            if let value, value.scale != 0 || value.mantissa < 0 {
                fail(.fractionalTimeSpan(unit: unit.rawValue, written: lexer.text(range)), range)
                return .invalid(range)
            }
            guard token.kind.isKeyword(.ago) else {
                // `30 days` alone: a span to add to a date or take from one.
                guard let value else { return .invalid(SourceRange(start, previous.range.end)) }  // too large, reported
                return .span(Int(value.mantissa), unit, range: SourceRange(start, unitToken.range.end))
            }
            advance()
            guard let value else { return .invalid(SourceRange(start, previous.range.end)) }  // too large, reported
            return .ago(Int(value.mantissa), unit, range: SourceRange(start, previous.range.end))
        }
        if token.kind == .identifier {
            // `6 dayz ago`: a misspelt unit, not a value followed by junk.
            var ahead = lexer
            if ahead.next().kind == .keyword(.ago) {
                let word = lexer.text(token.range)
                fail(.unknownTimeUnit(word, suggestion: Suggest.closest(to: word, among: Keyword.unitNames)), token.range)
                return .invalid(range)
            }
        }
        guard let value else { return .invalid(range) }
        return .number(NumberLiteral(mantissa: value.mantissa, scale: value.scale, range: range))
    }
}
