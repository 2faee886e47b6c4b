import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
// Which columns a one-shot run needs. `seg --data book.csv -c '… count'` reads two columns of
// twenty; building only those (every cell is still checked) is most of a one-shot's time saved.
// The answer over-approximates: every word of the statements and of the segment library that
// could name a column counts, plus, when a statement lists rows without `show`, the columns a
// listing shows by default (id, name, or else the first).

/// The columns that a known set of statements can read.
public enum ColumnDemand {
    /// Lowercased words that may name a column, or nil when the statements may read any column:
    /// they fail to parse, `show all`, or a statement other than a query, `let`, `param`,
    /// `explain`, `save` or `segments` (snapshots, diffs and `why` read every field they report).
    /// `extra` adds words from outside the statements (`--param` values).
    public static func names(in sources: [Source], extra: [String] = []) -> Set<String>? {
        var words: Set<String> = []
        for word in extra { words.insert(word.lowercased()) }
        var listsDefaults = false
        for source in sources {
            let (script, errors) = Parser.parse(source)
            if !errors.isEmpty { return nil }
            for statement in script.statements {
                switch statement {
                case .query(let query):
                    // Only what a statement prints can depend on the default columns: a count, a
                    // grouping or a show list prints none of them.
                    if query.count == nil && query.show == nil && query.groupKeys == nil { listsDefaults = true }
                case .define, .defineField, .defineOrder, .parameter, .explain, .save, .listSegments, .drop, .rule:
                    break
                case .why, .snapshot, .diff, .listSnapshots:
                    return nil
                case .dotCommand(let text, _):
                    // Where results go and how they look need no column; `.fields`, `.load` … may.
                    let name = text.prefix { !$0.isWhitespace }.lowercased()
                    if ![".output", ".output!", ".format", ".mask", ".timer", ".today", ".maxrows"].contains(name) { return nil }
                }
            }
            var lexer = Lexer(source)
            tokens: while true {
                let token = lexer.next()
                switch token.kind {
                case .endOfInput:
                    break tokens
                case .identifier:
                    words.insert(lexer.name(token.range).lowercased())  // `资产余额(元)` names 资产余额(元)
                case .string:
                    words.insert(String(token.text(in: source).dropFirst().dropLast()).lowercased())
                case .keyword(let keyword):
                    // `show all` shows every column; other keywords may also name a column.
                    if keyword == .all { return nil }
                    words.insert(keyword.rawValue)
                default:
                    break
                }
            }
        }
        if listsDefaults { words.formUnion(["id", "name", ColumnSelection.firstColumn]) }
        return words
    }
}
