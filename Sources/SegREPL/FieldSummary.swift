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
        guard let table = catalog.tables.first else { return "no table loaded\n" }
        let derived = catalog.derivedColumns(for: table)
        guard let field else {
            return (inDatabase ? databaseOverview(table) : overview(table)) + quotingNote(table, language: language) + derivedOverview(derived)
        }
        if let (definition, column) = derived.first(where: { ExactText.sameName($0.definition.name, field) }) {
            return derivedDetail(definition, column)
        }
        guard let column = table.column(named: field) else {
            let names = table.columns.map(\.name) + derived.map(\.definition.name)
            throw SegError(.usage, .usage(.noField(field, table: table.name, suggestion: Suggest.closest(to: field, among: names))))
        }
        return inDatabase ? databaseDetail(column, table: table) : detail(column, mask: masks.rule(for: column.name))
    }

    /// The derived fields (`let field`), after the stored ones: name, type and definition.
    static func derivedOverview(_ derived: [(definition: FieldDefinition, column: Column)]) -> String {
        guard !derived.isEmpty else { return "" }
        let names = derived.map { DisplayWidth.sanitized($0.definition.name) }
        let nameWidth = max(13, names.map { DisplayWidth.of($0) }.max() ?? 0)
        var out = "\n" + pad("derived field", nameWidth) + "  " + pad("type", 8) + "  definition\n"
        for (i, entry) in derived.enumerated() {
            let text = entry.definition.text.split(whereSeparator: \.isNewline).map { $0.trimmingPrefix(while: \.isWhitespace) }.joined(separator: " ")
            out += pad(names[i], nameWidth) + "  " + pad(entry.column.type.rawValue, 8) + "  " + DisplayWidth.sanitized(String(text)) + "\n"
        }
        return out
    }

    static func derivedDetail(_ definition: FieldDefinition, _ column: Column) -> String {
        var out = "\(DisplayWidth.sanitized(definition.name)): derived \(column.type.rawValue) = \(DisplayWidth.sanitized(definition.text))\n"
        if case .category(_, let labels) = column.data {
            out += "  labels, in order: " + labels.map { DisplayWidth.sanitized($0) }.joined(separator: ", ") + "\n"
        }
        return out
    }

    static func databaseOverview(_ table: Table) -> String {
        let names = table.columns.map { DisplayWidth.sanitized(Lexer.spelling(of: $0.name)) }
        let nameWidth = max(5, names.map { DisplayWidth.of($0) }.max() ?? 0)
        var out = pad("field", nameWidth) + "  type\n"
        for (i, column) in table.columns.enumerated() { out += pad(names[i], nameWidth) + "  " + column.type.rawValue + "\n" }
        return out + "(in the database: count missing values with '\(table.name) where FIELD is empty count')\n"
    }

    static func databaseDetail(_ column: Column, table: Table) -> String {
        let name = DisplayWidth.sanitized(Lexer.spelling(of: column.name))
        var values: [String] = []
        switch column.data {
        case .category(_, let dictionary): values = dictionary
        case .tags(let sets): values = sets.vocabulary
        default:
            return "\(name): \(column.type.rawValue) (in the database: try '\(table.name) show count(\(name)), min(\(name)), max(\(name))')\n"
        }
        var out = "\(name): \(column.type.rawValue) · \(values.count) distinct (counts: '\(table.name) by \(name) show count')\n"
        for v in values.prefix(topValues) { out += "  \(DisplayWidth.sanitized(v))\n" }
        if values.count > topValues { out += "  … \(values.count - topValues) more\n" }
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

    static func overview(_ table: Table) -> String {
        let names = table.columns.map { DisplayWidth.sanitized(Lexer.spelling(of: $0.name)) }
        let missing = table.columns.map { FixedPoint.format(Int64($0.missingCount), grouping: true) }
        let nameWidth = max(5, names.map { DisplayWidth.of($0) }.max() ?? 0)
        let missingWidth = max(7, missing.map(\.count).max() ?? 0)
        var out = pad("field", nameWidth) + "  " + pad("type", 8) + "  " + padLeft("missing", missingWidth) + "\n"
        for (i, column) in table.columns.enumerated() {
            out += pad(names[i], nameWidth) + "  " + pad(column.type.rawValue, 8) + "  " + padLeft(missing[i], missingWidth) + "\n"
        }
        return out
    }

    static func detail(_ column: Column, mask: MaskRule? = nil) -> String {
        func shownValue(_ value: String) -> String { DisplayWidth.sanitized(mask.map { $0.apply(value) } ?? value) }
        let present = column.count - column.missingCount
        var out = "\(DisplayWidth.sanitized(column.name)): \(column.type.rawValue) · \(FixedPoint.format(Int64(column.missingCount), grouping: true)) missing"
        switch column.data {
        case .category, .tags:
            let counts = Completer.valueCounts(of: column)
            out += " · \(counts.count) distinct\n"
            let shown = counts.prefix(topValues)
            let valueWidth = shown.map { DisplayWidth.of(shownValue($0.value)) }.max() ?? 0
            let countTexts = shown.map { FixedPoint.format(Int64($0.count), grouping: true) }
            let countWidth = countTexts.map(\.count).max() ?? 0
            for (i, entry) in shown.enumerated() {
                out += "  " + pad(shownValue(entry.value), valueWidth) + "  " + padLeft(countTexts[i], countWidth) + "\n"
            }
            if counts.count > shown.count { out += "  … \(counts.count - shown.count) more\n" }
        case .text(let buffer):
            var seen = Set<ArraySlice<UInt8>>()
            for row in 0..<buffer.count where column.isPresent(row) { seen.insert(buffer.bytes[buffer.range(at: row)]) }
            out += " · \(FixedPoint.format(Int64(seen.count), grouping: true)) distinct\n"
        case .boolean(let values):
            var trues = 0
            for row in 0..<values.count where column.isPresent(row) && values[row] { trues += 1 }
            out += "\n  true   \(FixedPoint.format(Int64(trues), grouping: true))\n  false  \(FixedPoint.format(Int64(present - trues), grouping: true))\n"
        case .integer(let values):
            out += range(values.indices.filter { column.isPresent($0) }.map { values[$0] }) { value in
                mask.map { $0.apply(String(value)) } ?? FixedPoint.format(value, grouping: true)
            }
        case .decimal(let values, let scale):
            out += range(values.indices.filter { column.isPresent($0) }.map { values[$0] }) {
                shownValue(FixedPoint.format($0, scale: scale, grouping: mask == nil))
            }
        case .date(let values):
            out += range(values.indices.filter { column.isPresent($0) }.map { Int64(values[$0]) }) { shownValue(CivilDate.format(Int($0))) }
        }
        return out
    }

    static func range(_ values: [Int64], format: (Int64) -> String) -> String {
        let distinct = Set(values).count
        guard let lo = values.min(), let hi = values.max() else { return " · no values\n" }
        return " · \(FixedPoint.format(Int64(distinct), grouping: true)) distinct\n  min  \(format(lo))\n  max  \(format(hi))\n"
    }
}
