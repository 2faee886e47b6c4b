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
        let value: String, field: String, isTag: Bool, stored: StoredColumn?
        switch message {
        case .unknownValue(let v, let f, _, _, let s): (value, field, isTag, stored) = (v, f, false, s)
        case .unknownTag(let v, let f, _, _, let s): (value, field, isTag, stored) = (v, f, true, s)
        default: return false
        }
        // The resolver names the column it looked in: a related field's is in another table.
        guard let stored, let t = tableIndex(named: stored.table), let c = tables[t].columnIndex(named: stored.column),
              sampled.isSampled(table: tables[t].name, column: tables[t].columns[c].name) else { return false }
        switch tables[t].columns[c].data {
        case .category where !isTag, .tags where isTag: break
        default: return false
        }
        let (table, column) = (tables[t].name, tables[t].columns[c].name)
        if try sampled.holds(table: table, column: column, value: value) {
            return replaceValues(of: (t, c), with: Self.values(of: tables[t].columns[c].data) + [value])
        }
        guard let all = try sampled.allValues(table: table, column: column) else { return false }
        _ = replaceValues(of: (t, c), with: all)
        let suggestion = Suggest.closest(to: value, among: all)
        let lookalike = ExactText.lookalike(of: value, among: all)
        let exact: QueryMessage = isTag ? .unknownTag(value, field: field, suggestion: suggestion, lookalike: lookalike, in: stored)
            : .unknownValue(value, field: field, suggestion: suggestion, lookalike: lookalike, in: stored)
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
