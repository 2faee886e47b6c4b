import SegBase
import SegStore
import SegSemantics

// A database read in bounded time holds samples of its columns' values (see `SampledValues`).
// The resolver reports a value a sample lacks as unknown; here the data settles it, so the
// answer and the message are those a full dictionary would have given.
extension Catalog {
    /// For `Session.execute`, after `error`: true when it named a value of a sampled column that
    /// the data holds (now in the dictionary: resolve again); throws it again with "did you mean"
    /// drawn from every value of the column when the data lacks it; false for any other error.
    mutating func learn(from error: SegError, _ sampled: any SampledValues) throws -> Bool {
        guard case .query(let message) = error.diagnostic else { return false }
        let value: String, field: String, isTag: Bool
        switch message {
        case .unknownValue(let v, let f, _, _): (value, field, isTag) = (v, f, false)
        case .unknownTag(let v, let f, _, _): (value, field, isTag) = (v, f, true)
        default: return false
        }
        // A related field is named through its link (`client.tier`, `latest contacts.outcome`):
        // its column is the name after the last dot, in whichever table holds it.
        let column = field.split(separator: ".").last.map(String.init) ?? field
        var holders: [(table: Int, column: Int)] = []
        for (t, table) in tables.enumerated() {
            guard let c = table.columnIndex(named: field) ?? table.columnIndex(named: column),
                  sampled.isSampled(table: table.name, column: table.columns[c].name) else { continue }
            switch table.columns[c].data {
            case .category where !isTag, .tags where isTag: holders.append((t, c))
            default: continue
            }
        }
        guard let first = holders.first else { return false }
        var added = false
        for (t, c) in holders where try sampled.holds(table: tables[t].name, column: tables[t].columns[c].name, value: value) {
            added = replaceValues(of: (t, c), with: Self.values(of: tables[t].columns[c].data) + [value]) || added
        }
        if added { return true }
        guard let all = try sampled.allValues(table: tables[first.table].name, column: tables[first.table].columns[first.column].name) else {
            return false
        }
        _ = replaceValues(of: first, with: all)
        let suggestion = Suggest.closest(to: value, among: all)
        let lookalike = ExactText.lookalike(of: value, among: all)
        let exact: QueryMessage = isTag ? .unknownTag(value, field: field, suggestion: suggestion, lookalike: lookalike)
            : .unknownValue(value, field: field, suggestion: suggestion, lookalike: lookalike)
        throw SegError(error.kind, .query(exact), source: error.source, range: error.range, fileLocation: error.fileLocation)
    }

    static func values(of data: ColumnData) -> [String] {
        switch data {
        case .category(_, let dictionary): return dictionary
        case .tags(let sets): return sets.vocabulary
        default: return []
        }
    }

    /// Sets a schema-only column's dictionary or vocabulary (sorted by bytes, as the database read
    /// makes them); false when nothing changed.
    mutating func replaceValues(of place: (table: Int, column: Int), with values: [String]) -> Bool {
        let sorted = Set(values).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let data = tables[place.table].columns[place.column].data
        guard sorted != Self.values(of: data) else { return false }
        switch data {
        case .category:
            tables[place.table].columns[place.column].data = .category(codes: [], dictionary: sorted)
        case .tags:
            tables[place.table].columns[place.column].data = .tags(TagSets(vocabulary: sorted, wordsPerRow: max(1, (sorted.count + 63) / 64), bits: []))
        default:
            return false
        }
        return true
    }
}
