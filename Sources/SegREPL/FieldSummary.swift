import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands

/// The text of `.fields`: every field of the first table, or one field in detail.
public enum FieldSummary {
    /// How many top values `.fields NAME` lists.
    static let topValues = 10

    /// `inDatabase`: the table's rows are in a database (the catalog holds its schema, category
    /// values and tag vocabularies only), so no counts are shown rather than counts of nothing.
    /// `masks`: a masked field's values show masked (`.fields phone`: 138****0001).
    public static func text(catalog: Catalog, field: String?, width: Int?, inDatabase: Bool = false,
                            masks: MaskSet = MaskSet(), language: Language = .english) throws -> String {
        let w = { (word: ListingWord) in word.text(in: language) }
        guard let table = catalog.tables.first else { return w(.noTableLoaded) + "\n" }
        let derived = catalog.derivedColumns(for: table)
        // A stored field's declared order, after its type.
        let order = { (column: Column) -> String? in
            catalog.order(of: column.name).map { w(.declaredOrder($0.labels.map { DisplayWidth.sanitized($0.name) })) }
        }
        guard let field else {
            return (inDatabase ? databaseOverview(table, w, order) : overview(table, w, order)) + quotingNote(table, language: language)
                + derivedOverview(derived, w)
        }
        if let (definition, column) = derived.first(where: { ExactText.sameName($0.definition.name, field) }) {
            return derivedDetail(definition, column, w)
        }
        // `.fields holdings`: another table's fields; `.fields holdings.amount`: one of them.
        if table.column(named: field) == nil, let t = catalog.tableIndex(named: field) {
            let other = catalog.tables[t]
            return (inDatabase ? databaseOverview(other, w, order) : overview(other, w, order)) + quotingNote(other, language: language)
        }
        if table.column(named: field) == nil, let dot = field.firstIndex(of: "."),
           let t = catalog.tableIndex(named: String(field[..<dot])),
           let column = catalog.tables[t].column(named: String(field[field.index(after: dot)...])) {
            return inDatabase ? databaseDetail(column, table: catalog.tables[t], w) : detail(column, mask: masks.rule(for: column.name), w)
        }
        guard let column = table.column(named: field) else {
            let names = table.columns.map(\.name) + derived.map(\.definition.name) + catalog.tables.dropFirst().map(\.name)
            throw SegError(.usage, .usage(.noField(field, table: table.name, suggestion: Suggest.closest(to: field, among: names))))
        }
        let text = inDatabase ? databaseDetail(column, table: table, w) : detail(column, mask: masks.rule(for: column.name), w)
        guard let declared = order(column), let end = text.firstIndex(of: "\n") else { return text }
        return String(text[...end]) + "  " + declared + "\n" + String(text[text.index(after: end)...])
    }

    /// The derived fields (`let field`), after the stored ones: name, type and definition.
    static func derivedOverview(_ derived: [(definition: FieldDefinition, column: Column)], _ w: (ListingWord) -> String) -> String {
        guard !derived.isEmpty else { return "" }
        let names = derived.map { DisplayWidth.sanitized($0.definition.name) }
        let nameWidth = max(DisplayWidth.of(w(.derivedField)), names.map { DisplayWidth.of($0) }.max() ?? 0)
        var out = "\n" + pad(w(.derivedField), nameWidth) + "  " + pad(w(.type), 8) + "  " + w(.definition) + "\n"
        for (i, entry) in derived.enumerated() {
            let text = entry.definition.text.split(whereSeparator: \.isNewline).map { $0.trimmingPrefix(while: \.isWhitespace) }.joined(separator: " ")
            out += pad(names[i], nameWidth) + "  " + pad(entry.column.type.rawValue, 8) + "  " + DisplayWidth.sanitized(String(text)) + "\n"
        }
        return out
    }

    static func derivedDetail(_ definition: FieldDefinition, _ column: Column, _ w: (ListingWord) -> String) -> String {
        var out = w(.derivedDetail(name: DisplayWidth.sanitized(definition.name), type: column.type.rawValue,
                                   definition: DisplayWidth.sanitized(definition.text))) + "\n"
        if case .category(_, let labels) = column.data {
            out += "  " + w(.labelsInOrder) + labels.map { DisplayWidth.sanitized($0) }.joined(separator: ", ") + "\n"
        }
        return out
    }

    static func databaseOverview(_ table: Table, _ w: (ListingWord) -> String, _ order: (Column) -> String?) -> String {
        let names = table.columns.map { DisplayWidth.sanitized(Lexer.spelling(of: $0.name)) }
        let nameWidth = max(5, names.map { DisplayWidth.of($0) }.max() ?? 0)
        var out = pad(w(.field), nameWidth) + "  " + w(.type) + "\n"
        for (i, column) in table.columns.enumerated() {
            out += pad(names[i], nameWidth) + "  " + (order(column).map { pad(column.type.rawValue, 8) + "  " + $0 } ?? column.type.rawValue) + "\n"
        }
        return out + w(.databaseMissingHint(table: table.name)) + "\n"
    }

    static func databaseDetail(_ column: Column, table: Table, _ w: (ListingWord) -> String) -> String {
        let name = DisplayWidth.sanitized(Lexer.spelling(of: column.name))
        var values: [String] = []
        switch column.data {
        case .category(_, let dictionary): values = dictionary
        case .tags(let sets): values = sets.vocabulary
        default:
            return w(.databaseDetail(name: name, type: column.type.rawValue, table: table.name)) + "\n"
        }
        var out = w(.databaseDistinct(name: name, type: column.type.rawValue, count: values.count, table: table.name)) + "\n"
        for v in values.prefix(topValues) { out += "  \(DisplayWidth.sanitized(v))\n" }
        if values.count > topValues { out += "  " + w(.more(values.count - topValues)) + "\n" }
        return out
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - DisplayWidth.of(s)))
    }

    static func padLeft(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - DisplayWidth.of(s))) + s
    }

    /// Under the list when some name must be written in backquotes (spaces, brackets, a keyword).
    static func quotingNote(_ table: Table, language: Language) -> String {
        guard let name = table.columns.map(\.name).first(where: { Lexer.spelling(of: $0) != $0 }) else { return "" }
        let example = "\(table.name) show \(DisplayWidth.sanitized(Lexer.spelling(of: name)))"
        return Message.display(.quotedNames(example: example)).text(in: language) + "\n"
    }

    static func overview(_ table: Table, _ w: (ListingWord) -> String, _ order: (Column) -> String?) -> String {
        let names = table.columns.map { DisplayWidth.sanitized(Lexer.spelling(of: $0.name)) }
        let missing = table.columns.map { FixedPoint.format(Int64($0.missingCount), grouping: true) }
        let nameWidth = max(5, names.map { DisplayWidth.of($0) }.max() ?? 0)
        let missingWidth = max(DisplayWidth.of(w(.missing)), missing.map(\.count).max() ?? 0)
        var out = pad(w(.field), nameWidth) + "  " + pad(w(.type), 8) + "  " + padLeft(w(.missing), missingWidth) + "\n"
        for (i, column) in table.columns.enumerated() {
            out += pad(names[i], nameWidth) + "  " + pad(column.type.rawValue, 8) + "  " + padLeft(missing[i], missingWidth)
                + (order(column).map { "  " + $0 } ?? "") + "\n"
        }
        return out
    }

    static func detail(_ column: Column, mask: MaskRule? = nil, _ w: (ListingWord) -> String) -> String {
        func shownValue(_ value: String) -> String { DisplayWidth.sanitized(mask.map { $0.apply(value) } ?? value) }
        let present = column.count - column.missingCount
        var out = w(.missingCount(name: DisplayWidth.sanitized(column.name), type: column.type.rawValue, missing: column.missingCount))
        switch column.data {
        case .category, .tags:
            let counts = Completer.valueCounts(of: column)
            out += w(.distinct(counts.count)) + "\n"
            let shown = counts.prefix(topValues)
            let valueWidth = shown.map { DisplayWidth.of(shownValue($0.value)) }.max() ?? 0
            let countTexts = shown.map { FixedPoint.format(Int64($0.count), grouping: true) }
            let countWidth = countTexts.map(\.count).max() ?? 0
            for (i, entry) in shown.enumerated() {
                out += "  " + pad(shownValue(entry.value), valueWidth) + "  " + padLeft(countTexts[i], countWidth) + "\n"
            }
            if counts.count > shown.count { out += "  " + w(.more(counts.count - shown.count)) + "\n" }
        case .text(let buffer):
            var seen = Set<ArraySlice<UInt8>>()
            for row in 0..<buffer.count where column.isPresent(row) { seen.insert(buffer.bytes[buffer.range(at: row)]) }
            out += w(.distinct(seen.count)) + "\n"
        case .boolean(let values):
            var trues = 0
            for row in 0..<values.count where column.isPresent(row) && values[row] { trues += 1 }
            out += "\n  true   \(FixedPoint.format(Int64(trues), grouping: true))\n  false  \(FixedPoint.format(Int64(present - trues), grouping: true))\n"
        case .integer(let values):
            out += range(values.indices.filter { column.isPresent($0) }.map { values[$0] }, w) { value in
                mask.map { $0.apply(String(value)) } ?? FixedPoint.format(value, grouping: true)
            }
        case .decimal(let values, let scale):
            out += range(values.indices.filter { column.isPresent($0) }.map { values[$0] }, w) {
                shownValue(FixedPoint.format($0, scale: scale, grouping: mask == nil))
            }
        case .date(let values):
            out += range(values.indices.filter { column.isPresent($0) }.map { Int64(values[$0]) }, w) { shownValue(CivilDate.format(Int($0))) }
        }
        return out
    }

    static func range(_ values: [Int64], _ w: (ListingWord) -> String, format: (Int64) -> String) -> String {
        let distinct = Set(values).count
        guard let lo = values.min(), let hi = values.max() else { return w(.noValues) + "\n" }
        return w(.distinct(distinct)) + "\n  \(w(.minimum))  \(format(lo))\n  \(w(.maximum))  \(format(hi))\n"
    }
}
