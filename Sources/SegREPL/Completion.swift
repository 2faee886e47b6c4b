import Foundation
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands

/// What Tab offers at the cursor: the partial word before it and the texts that may replace it.
public struct Completion: Sendable, Equatable {
    /// The partial word just before the cursor that a candidate replaces (may be empty).
    public var word: String
    /// Candidates in the order to show them (values: most frequent first).
    public var candidates: [String]

    public init(word: String, candidates: [String]) {
        self.word = word
        self.candidates = candidates
    }

    /// What to insert for `candidate` after deleting `word`: a space follows a finished word,
    /// nothing follows `(`, `/` (a directory) or an open quote.
    public static func insertion(for candidate: String) -> String {
        if candidate.hasSuffix("(") || candidate.hasSuffix("/") { return candidate }
        return candidate + " "
    }

    /// The longest common prefix of the candidates (by characters), when it is longer than `word`.
    public var commonExtension: String? {
        guard var prefix = candidates.first.map(Array.init) else { return nil }
        for candidate in candidates.dropFirst() {
            let c = Array(candidate)
            var k = 0
            while k < prefix.count && k < c.count && prefix[k] == c[k] { k += 1 }
            prefix.removeSubrange(k...)
        }
        let text = String(prefix)
        return text.count > word.count ? text : nil
    }
}

/// Context-aware completion from the live schema and data. Pure: the text before the cursor
/// (the unfinished statement's earlier lines included) and the catalog in, candidates out.
public enum Completer {
    /// Functions usable in conditions and `show`.
    /// Functions usable in conditions and `show`, from the registry.
    static let functions = Functions.scalars.map { $0.name + "(" }.sorted()
    /// (`count(distinct x)` is offered as `count(`: its registry name is not written.)
    static let aggregates = Functions.aggregates.filter { $0.heading == nil }.map { $0.allowsNoArgument ? $0.name : $0.name + "(" }
        + [Functions.share.name + "("]
    static let clauseKeywords = ["where", "by", "show", "sort by", "limit", "count"]
    static let setOperators = ["union", "intersect", "except"]

    /// Candidates for the word ending at the end of `text`. A field `masks` masks offers no
    /// values: completion would show what the output hides.
    public static func complete(_ text: String, catalog: Catalog, masks: MaskSet = MaskSet(),
                                fileManager: FileManager = .default) -> Completion {
        let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
        if trimmed.hasPrefix(".") && !trimmed.contains("\n") {
            return dotCommand(String(trimmed), catalog: catalog, fileManager: fileManager)
        }
        return statement(text, catalog: catalog, masks: masks)
    }

    // MARK: - Dot-commands

    static func dotCommand(_ text: String, catalog: Catalog, fileManager: FileManager) -> Completion {
        guard let space = text.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            return filtered(word: text, DotCommand.names)
        }
        let name = text[..<space].lowercased()
        let rest = text[space...].drop(while: { $0 == " " || $0 == "\t" })
        // Only the first argument is completed.
        if rest.contains(" ") && name != ".load" { return Completion(word: "", candidates: []) }
        let argument = String(rest)
        switch name {
        case ".load", ".read", ".output", ".savebook":
            if name == ".load", let lastSpace = argument.lastIndex(of: " ") {
                let before = argument[..<lastSpace].split(separator: " ")
                let word = String(argument[argument.index(after: lastSpace)...])
                return before.count == 1 ? filtered(word: word, ["as"]) : Completion(word: word, candidates: [])
            }
            return Completion(word: argument, candidates: paths(argument, fileManager: fileManager))
        case ".format":
            return filtered(word: argument, OutputFormat.allCases.map(\.rawValue))
        case ".timer", ".chart":
            return filtered(word: argument, ["on", "off"])
        case ".help":
            return filtered(word: argument, ["language"])
        case ".fields":
            // The first table's fields, then the other tables (`.fields holdings`).
            return filtered(word: argument, (catalog.tables.first?.columns.map(\.name) ?? []) + catalog.tables.dropFirst().map(\.name))
        default:
            return Completion(word: argument, candidates: [])
        }
    }

    /// Files and directories starting with `prefix` (`~/` is the home directory); directories end in `/`.
    static func paths(_ prefix: String, fileManager: FileManager) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let directoryPart = slash.map { String(prefix[...$0]) } ?? ""
        let base = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        var directory = directoryPart.isEmpty ? "." : directoryPart
        if directory.hasPrefix("~/") || directory == "~/" {
            directory = NSHomeDirectory() + directory.dropFirst()
        }
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else { return [] }
        var out: [String] = []
        for name in names.sorted() where name.hasPrefix(base) && (base.hasPrefix(".") || !name.hasPrefix(".")) {
            var isDirectory: ObjCBool = false
            let full = (directory as NSString).appendingPathComponent(name)
            _ = fileManager.fileExists(atPath: full, isDirectory: &isDirectory)
            out.append(directoryPart + name + (isDirectory.boolValue ? "/" : ""))
        }
        return out
    }

    // MARK: - Statements

    /// One lexed token with its text.
    struct Word {
        var kind: TokenKind
        var text: String
        var lower: String
        /// The name an identifier stands for (`` `资产余额(元)` `` is 资产余额(元)); else the text.
        var name: String

        func isKeyword(_ k: Keyword) -> Bool { kind.isKeyword(k) }
        var isName: Bool { kind == .identifier }
    }

    static func statement(_ text: String, catalog: Catalog, masks: MaskSet = MaskSet()) -> Completion {
        let source = Source(name: "", text: text)
        var lexer = Lexer(source)
        var words: [Word] = []
        var lastToken: Token?
        while true {
            let token = lexer.next()
            if token.kind == .endOfInput { break }
            if token.kind.isStatementEnd {
                words.removeAll()
                lastToken = nil
                continue
            }
            let t = token.text(in: source)
            let name = token.kind == .identifier ? lexer.name(token.range) : t
            words.append(Word(kind: token.kind, text: t, lower: t.lowercased(), name: name))
            lastToken = token
        }
        // The partial word: the last token when it touches the cursor and can be extended.
        var word = ""
        if let lastToken, lastToken.range.end == source.bytes.count, let last = words.last {
            switch last.kind {
            case .identifier, .keyword, .number, .unterminatedString:
                word = last.text
                words.removeLast()
            case .illegal where last.text == "." && words.count >= 2 && words[words.count - 2].isName:
                // `client.` with the field still to type.
                words[words.count - 1].kind = .dot
            case .string, .illegal, .date, .parameter:
                return Completion(word: "", candidates: [])
            default:
                break
            }
        }
        return filtered(word: word, candidates(after: words, catalog: catalog, masks: masks))
    }

    /// Keeps the candidates that start with `word` (ignoring case; a quoted value or name also
    /// matches without its quote or backquote), without repeats.
    static func filtered(word: String, _ all: [String]) -> Completion {
        let lower = word.lowercased()
        var seen = Set<String>()
        var out: [String] = []
        for c in all where !seen.contains(c) {
            let l = c.lowercased()
            if l.hasPrefix(lower) || ((l.hasPrefix("\"") || l.hasPrefix("`")) && l.dropFirst().hasPrefix(lower)) {
                seen.insert(c)
                out.append(c)
            }
        }
        return Completion(word: word, candidates: out)
    }

    /// Everything that may come after `words` (the current statement before the partial word).
    static func candidates(after all: [Word], catalog: Catalog, masks: MaskSet = MaskSet()) -> [String] {
        let sources = catalog.sourceNames
        var words = all[...]
        if words.first?.isKeyword(.let) == true {
            if words.count == 1 { return [] }
            if words.count == 2 { return ["="] }
            words = words.dropFirst(3)
        }
        guard let p = words.last else {
            return all.isEmpty ? sources + ["let"] + DotCommand.names : sources
        }
        let table = sourceTable(words, catalog: catalog)
        // Derived fields complete as stored ones do (a classification offers its labels).
        let columns = (table?.columns ?? []) + (table.map { catalog.derivedColumns(for: $0).map(\.column) } ?? [])
        func column(_ w: Word?) -> Column? {
            guard let w, w.isName else { return nil }
            return columns.first { ExactText.sameName($0.name, w.name) }
        }
        // Offered as they must be typed: `资产余额(元)` in backquotes; then the linked tables'
        // fields through the link (`client.tier` over holdings) and the related tables (`has holdings`).
        let t = table.flatMap { catalog.tableIndex(named: $0.name) }
        let linkedFields = t.map { t in
            catalog.links(from: t).flatMap { link in catalog.tables[link.parent].columns.map { "\(link.name).\(Lexer.spelling(of: $0.name))" } }
        } ?? []
        let related = t.map { t in catalog.links.filter { $0.parent == t }.map { catalog.tables[$0.child].name } } ?? []
        let fieldNames = columns.map { Lexer.spelling(of: $0.name) } + linkedFields
        let body = Array(words)
        let n = body.count
        let q: Word? = n >= 2 ? body[n - 2] : nil
        let clause = currentClause(body)

        // Inside `field in (…)`, `field has any (…)`, `field has all (…)`: that field's values.
        func values(of field: Column) -> [String] {
            guard masks.rule(for: field.name) == nil else { return [] }
            // A field with a declared order offers its values in that order, lowest first.
            if let order = catalog.order(of: field.name) { return order.labels.map { Completer.quotedIfNeeded($0.name) } }
            return Completer.values(of: field)
        }
        // `client.` / `holdings.`: the fields of the linked table the name before the dot names.
        if p.kind == .dot, let q, q.isName, let t {
            let other = catalog.link(from: t, named: q.name).map { catalog.links[$0].parent } ?? catalog.tableIndex(named: q.name)
            return other.map { catalog.tables[$0].columns.map { Lexer.spelling(of: $0.name) } } ?? []
        }
        if p.kind == .leftParen || p.kind == .comma, let field = listField(body, table: table) {
            return values(of: field)
        }
        if p.kind == .leftParen, let f = q, f.isName, f.lower == Functions.share.name {
            return aggregates.filter { $0 != Functions.share.name + "(" }  // pct( takes an aggregate
        }
        if p.kind == .leftParen, let f = q, f.isName {
            // The fields the registry entry takes (min and max: those whose order people ask for).
            if let function = Functions.scalar(named: f.lower), let kind = function.arguments.first {
                return columns.filter { kind.accepts($0.type) }.map { Lexer.spelling(of: $0.name) }
            }
            if let aggregate = Functions.aggregate(named: f.lower), aggregate.argument != .any {
                let kind = aggregate.argument
                return columns.filter { c in
                    kind == .orderable ? (c.type.isNumeric || c.type == .date) : kind.accepts(c.type)
                }.map { Lexer.spelling(of: $0.name) }
            }
        }
        switch p.kind {
        case .keyword(.union), .keyword(.intersect), .keyword(.except):
            return sources
        case .keyword(.sort):
            return ["by"]
        case .keyword(.limit), .keyword(.last), .keyword(.next), .keyword(.between):
            return []
        case .keyword(.show):
            return fieldNames + aggregates + functions
        case .keyword(.by):
            return fieldNames
        case .comma:
            switch clause {
            case .show: return fieldNames + aggregates + functions
            case .sort: return fieldNames + ["count"]
            default: return fieldNames
            }
        case .keyword(.where), .keyword(.and), .keyword(.or), .leftParen:
            return fieldNames + functions + ["not", "in"] + (related.isEmpty ? [] : ["has", "no"])
        case .keyword(.not):
            if let field = column(q), clause == .condition {
                return field.type == .tags ? ["has"] : ["in", "between", "like", "contains"]
            }
            return fieldNames + functions + ["in"]
        case .less, .lessOrEqual, .greater, .greaterOrEqual, .tilde, .minus, .keyword(.like), .keyword(.contains):
            return []
        case .keyword(.before), .keyword(.after):
            return ["today"]
        case .keyword(.is):
            return ["empty", "not empty"]
        case .keyword(.any), .keyword(.all):
            return q?.isKeyword(.has) == true ? ["("] : []
        case .keyword(.in):
            if let field = column(q) ?? column(n >= 3 && q?.isKeyword(.not) == true ? body[n - 3] : nil) {
                return field.type == .date ? ["last", "next", "("] : ["("]
            }
            if q == nil || q?.isKeyword(.where) == true || q?.isKeyword(.and) == true || q?.isKeyword(.or) == true
                || q?.isKeyword(.not) == true || q?.kind == .leftParen {
                return catalog.segments.values.map(\.name).sorted()
            }
            return []
        case .equal, .notEqual, .keyword(.has):
            guard let field = column(q) else { return p.isKeyword(.has) ? related : [] }
            if field.type == .boolean { return ["true", "false"] }
            let vals = values(of: field)
            return p.isKeyword(.has) ? vals + ["any (", "all ("] : vals
        default:
            // `no holdings`: the related tables.
            if p.isName, p.lower == "no", q.map({ $0.isKeyword(.where) || $0.isKeyword(.and) || $0.isKeyword(.or) || $0.isKeyword(.not) }) ?? false {
                return related
            }
        }
        // After a name: a source wants its clauses; a field wants what may follow it.
        if n == 1 || (clause == .none && (p.isName || p.kind == .rightParen)) {
            return clauseKeywords + setOperators
        }
        if let field = column(p) {
            switch clause {
            case .condition: return operators(for: field.type)
            case .show, .group: return [","] + clauseKeywords
            case .sort: return ["desc", "asc", ",", "limit", "count"]
            default: break
            }
        }
        if clause == .condition, p.kind == .rightParen, let call = closedCall(body), let function = Functions.scalar(named: call) {
            return operators(for: function.result)
        }
        switch clause {
        case .condition: return ["and", "or"] + clauseKeywords
        case .show, .group: return [","] + clauseKeywords
        case .sort: return ["desc", "asc", ",", "limit", "count"]
        case .limit: return clauseKeywords
        case .none: return clauseKeywords
        }
    }

    /// Operators and keywords that may follow a field of `type` in a condition.
    public static func operators(for type: FieldType) -> [String] {
        let tail = ["is empty", "is not empty"]
        switch type {
        case .integer, .decimal:
            return ["=", "!=", "<", "<=", ">", ">=", "between", "in", "not"] + tail
        case .date:
            return ["before", "after", "in", "between", "=", "!=", "<", "<=", ">", ">="] + tail
        case .category, .text:
            return ["=", "!=", "in", "like", "~", "contains", "not"] + tail
        case .tags:
            return ["has", "not"] + tail
        case .boolean:
            return ["=", "!="] + tail
        }
    }

    enum Clause { case none, condition, group, show, sort, limit }

    /// The clause the end of `body` is in (outside parentheses of the condition).
    static func currentClause(_ body: [Word]) -> Clause {
        var clause = Clause.none
        var depth = 0
        for (i, w) in body.enumerated() {
            switch w.kind {
            case .leftParen: depth += 1
            case .rightParen: depth = max(0, depth - 1)
            case .keyword(.where): clause = .condition
            case .keyword(.show): clause = .show
            case .keyword(.limit): clause = .limit
            case .keyword(.by):
                if i > 0 && body[i - 1].isKeyword(.sort) { clause = .sort } else if depth == 0 || clause != .condition { clause = .group }
            case .keyword(.union), .keyword(.intersect), .keyword(.except):
                if depth == 0 { clause = .none }
            default: break
            }
        }
        return clause
    }

    /// The table a query reads: its first name, followed through segment definitions.
    static func sourceTable(_ body: ArraySlice<Word>, catalog: Catalog) -> Table? {
        guard let first = body.first(where: { $0.isName }) else { return catalog.tables.first }
        return table(named: first.name, catalog: catalog, depth: 0) ?? catalog.tables.first
    }

    static func table(named name: String, catalog: Catalog, depth: Int) -> Table? {
        if let i = catalog.tableIndex(named: name) { return catalog.tables[i] }
        guard depth < 32, let segment = catalog.segment(named: name) else { return nil }
        var source = segment.query.source
        while true {
            switch source {
            case .name(let id): return table(named: id.name, catalog: catalog, depth: depth + 1)
            case .parenthesized(let query, _): source = query.source
            case .setOperation(let first, _, _): source = first
            case .invalid: return nil
            }
        }
    }

    /// The field whose value list the innermost open parenthesis starts (`f in (`, `f not in (`, `f has any (`).
    static func listField(_ body: [Word], table: Table?) -> Column? {
        var depth = 0
        var i = body.count - 1
        while i >= 0 {
            switch body[i].kind {
            case .rightParen: depth += 1
            case .leftParen:
                if depth == 0 {
                    guard i >= 2 else { return nil }
                    let k = body[i - 1]
                    var fieldIndex = i - 2
                    if k.isKeyword(.in) {
                        if body[fieldIndex].isKeyword(.not) { fieldIndex -= 1 }
                    } else if k.isKeyword(.any) || k.isKeyword(.all) {
                        guard body[i - 2].isKeyword(.has) else { return nil }
                        fieldIndex = i - 3
                    } else {
                        return nil
                    }
                    guard fieldIndex >= 0, body[fieldIndex].isName else { return nil }
                    return table?.column(named: body[fieldIndex].name)
                }
                depth -= 1
            default: break
            }
            i -= 1
        }
        return nil
    }

    /// The function name of the call that the final `)` closes, if any.
    static func closedCall(_ body: [Word]) -> String? {
        var depth = 0
        for i in stride(from: body.count - 1, through: 0, by: -1) {
            switch body[i].kind {
            case .rightParen: depth += 1
            case .leftParen:
                depth -= 1
                if depth == 0 { return i > 0 && body[i - 1].isName ? body[i - 1].lower : nil }
            default: break
            }
        }
        return nil
    }

    // MARK: - Values

    /// The values of a category or tags field, most frequent first, quoted when not a bare word.
    public static func values(of column: Column) -> [String] {
        // A column of no rows here (a classification's labels, a database's values, whose rows stay
        // there) offers its values in their order: it has no counts to rank them by.
        if column.count == 0 {
            switch column.data {
            case .category(_, let labels): return labels.map(quotedIfNeeded)
            case .tags(let sets): return sets.vocabulary.map(quotedIfNeeded)
            default: break
            }
        }
        return valueCounts(of: column).map { quotedIfNeeded($0.value) }
    }

    /// The values of a category or tags field with their counts, most frequent first (ties by value).
    public static func valueCounts(of column: Column) -> [(value: String, count: Int)] {
        var counts: [Int]
        let names: [String]
        switch column.data {
        case .category(let codes, let dictionary):
            names = dictionary
            counts = [Int](repeating: 0, count: dictionary.count)
            for row in 0..<codes.count where column.isPresent(row) {
                let code = Int(codes[row])
                if code < counts.count { counts[code] += 1 }
            }
        case .tags(let sets):
            names = sets.vocabulary
            counts = [Int](repeating: 0, count: sets.vocabulary.count)
            for row in 0..<column.count where column.isPresent(row) {
                for t in 0..<names.count where sets.has(row: row, tag: t) { counts[t] += 1 }
            }
        default:
            return []
        }
        return zip(names, counts).filter { $0.1 > 0 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .map { (value: $0.0, count: $0.1) }
    }

    /// `value` as it must be typed: bare when it lexes as one name, else in double quotes.
    public static func quotedIfNeeded(_ value: String) -> String {
        if Lexer.isName(value) { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Listing

    /// Candidates laid out in columns across `width` cells (display width, so Chinese lines up).
    public static func columns(_ items: [String], width: Int) -> String {
        guard !items.isEmpty else { return "" }
        let cell = (items.map { DisplayWidth.of($0) }.max() ?? 0) + 2
        let perRow = max(1, width / max(cell, 1))
        let rows = (items.count + perRow - 1) / perRow
        var out = ""
        for r in 0..<rows {
            var line = ""
            for c in 0..<perRow {
                let i = c * rows + r
                guard i < items.count else { break }
                let item = items[i]
                line += item
                if c < perRow - 1 && (c + 1) * rows + r < items.count {
                    line += String(repeating: " ", count: cell - DisplayWidth.of(item))
                }
            }
            out += line + "\n"
        }
        return out
    }
}
