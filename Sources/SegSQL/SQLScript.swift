import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
import SegSemantics
// `seg sql` and `.sql`: statements in, SQL out. `let` defines a segment (checked exactly as the
// session checks it) and later statements use it as a CTE; each query becomes one SQL statement.

/// Translates seg statements to SQL without running them.
public enum SQLScript {
    /// Resolves each statement of `source` against `catalog` (adding its `let` segments) and
    /// returns the SQL of each query statement, in order.
    public static func translate(_ source: Source, catalog: inout Catalog, options: SQLOptions) throws -> [SQLStatement] {
        let (script, errors) = Parser.parse(source)
        if !errors.isEmpty { throw SegErrors(errors) }
        var out: [SQLStatement] = []
        for statement in script.statements {
            switch statement {
            case .query(let query):
                // A histogram's bins are counted by seg, after the query (Bins in SegCommands).
                if let histogram = query.histogram {
                    throw SegError(.query, .database(.notTranslatable("histogram", .binsCountedBySeg)), source: source, range: histogram.range)
                }
                let bound = try resolve(query, catalog: catalog, today: options.today, source: source)
                var generator = SQLGenerator(catalog: catalog, options: options)
                do {
                    out.append(try generator.generate(bound))
                } catch var error as SegError {
                    // Point at the statement that cannot be translated.
                    if error.source == nil { error.source = source; error.range = query.range }
                    throw error
                }
            case .define(let name, let query, _):
                try define(name: name, query: query, source: source, catalog: &catalog, today: options.today)
            case .defineField(let name, let body, _):
                try catalog.defineField(name: name, body: body, source: source, today: options.today)
            case .defineOrder(let field, let labels, let range):
                try catalog.defineOrder(FieldOrder(field: field, labels: labels, source: source, range: range), today: options.today)
            case .parameter(let name, let value, _):
                // As in a session: a value given from outside wins over the script's default; a
                // later `param` of the same name replaces an earlier one.
                if catalog.parameters[ExactText.nameKey(name.name)]?.isFromCommandLine != true {
                    catalog.parameters[ExactText.nameKey(name.name)] = ParameterValue(name: name.name, value: value, source: source)
                }
            case .save, .drop, .listSegments, .explain, .why, .snapshot, .diff, .listSnapshots, .rule, .dotCommand:
                let (word, reason) = Self.untranslatable(statement)
                throw SegError(.query, .database(.notTranslatable(word, reason)),
                               source: source, range: statement.range)
            }
        }
        return out
    }

    /// The word of a statement that is not a query, and why it has no SQL.
    static func untranslatable(_ statement: Statement) -> (String, UntranslatableReason) {
        switch statement {
        case .save: return ("save", .library)
        case .rule: return ("rule", .library)
        case .drop: return ("drop", .library)
        case .listSegments: return ("segments", .localState)
        case .listSnapshots: return ("snapshots", .localState)
        case .snapshot: return ("snapshot", .snapshots)
        case .diff: return ("diff", .snapshots)
        case .explain: return ("explain", .severalQueries)
        case .why: return ("why", .severalQueries)
        case .dotCommand(let text, _): return (String(text.prefix { !$0.isWhitespace }), .prompt)
        case .query, .define, .defineField, .defineOrder, .parameter: return ("", .severalQueries)
        }
    }

    /// Resolves one query as the session does.
    public static func resolve(_ query: Query, catalog: Catalog, today: Int, source: Source) throws -> BoundQuery {
        var resolver = Resolver(catalog: catalog, today: today, source: source)
        return try resolver.resolve(query)
    }

    /// Adds a `let` segment to `catalog` after the same checks as the session (no table name, no cycle).
    /// Returns the segment's resolved query.
    @discardableResult
    public static func define(name: Identifier, query: Query, source: Source, catalog: inout Catalog, today: Int) throws -> BoundQuery {
        if let conflict = catalog.segmentNameConflict(name.name) {
            throw SegError(.query, .query(conflict), source: source, range: name.range)
        }
        let definition = SegmentDefinition(name: name.name, query: query, source: source)
        var trial = catalog
        trial.segments[ExactText.nameKey(name.name)] = definition
        var resolver = Resolver(catalog: trial, today: today, source: source)
        let bound = try resolver.resolveSegment(definition, at: name.range)
        catalog = trial
        return bound
    }

    /// Statements as text for people: each ends with `;`, parameters listed after it as comments.
    public static func render(_ statements: [SQLStatement]) -> String {
        statements.map { s in
            var text = s.text + ";\n"
            for (i, p) in s.parameters.enumerated() {
                // A comment line must not be ended early by a line break inside the value.
                let shown = p.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
                text += "-- $\(i + 1) = \(shown)\n"
            }
            return text
        }.joined(separator: "\n")
    }
}
