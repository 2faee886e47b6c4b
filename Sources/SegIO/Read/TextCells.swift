import Foundation
import SegBase
import SegStore

/// Builds typed columns from text cells in seg's CSV form: a result that a database sent as text
/// (a `textResults` statement), read back into the types seg gave its columns.
public enum TextCells {
    /// A column of `spec`'s type holding `cells` (nil is a missing value).
    public static func column(_ spec: ColumnShape, cells: [String?]) throws -> Column {
        let n = cells.count
        var validity = Bitmap(count: n, filled: true)
        for (i, c) in cells.enumerated() where c == nil { validity[i] = false }
        func bad(_ i: Int) -> SegError {
            SegError(.data, .database(.badCell(column: spec.name, row: i + 1, type: spec.type)))
        }
        let data: ColumnData
        switch spec.type {
        case .integer:
            var values = [Int64](repeating: 0, count: n)
            for (i, c) in cells.enumerated() {
                guard let c else { continue }
                guard let v = Int64(c) else { throw bad(i) }
                values[i] = v
            }
            data = .integer(values)
        case .decimal:
            var values = [Int64](repeating: 0, count: n)
            for (i, c) in cells.enumerated() {
                guard let c else { continue }
                guard let v = parseDecimal(c, scale: spec.scale) else { throw bad(i) }
                values[i] = v
            }
            data = .decimal(values, scale: spec.scale)
        case .date:
            var values = [Int32](repeating: 0, count: n)
            for (i, c) in cells.enumerated() {
                guard let c else { continue }
                guard let d = CivilDate.parse(c), let v = Int32(exactly: d) else { throw bad(i) }
                values[i] = v
            }
            data = .date(values)
        case .boolean:
            var values = [Bool](repeating: false, count: n)
            for (i, c) in cells.enumerated() {
                guard let c else { continue }
                switch c.lowercased() {
                case "true", "t", "1": values[i] = true
                case "false", "f", "0": values[i] = false
                default: throw bad(i)
                }
            }
            data = .boolean(values)
        case .category:
            // The dictionary is sorted by bytes, as the engine's are, so codes order like values.
            // Distinct by bytes (ExactText): a Set<String> merged NFC and NFD spellings into one.
            let distinct = Set(cells.compactMap { $0.map(ExactKey.init) })
            let dictionary = distinct.map(\.text).sorted { Bytes.less($0, $1) }
            var index: [ExactKey: UInt32] = [:]
            for (i, v) in dictionary.enumerated() { index[ExactKey(v)] = UInt32(i) }
            data = .category(codes: cells.map { $0.flatMap { index[ExactKey($0)] } ?? 0 }, dictionary: dictionary)
        case .text:
            var buffer = TextBuffer()
            for c in cells { buffer.append(c ?? "") }
            data = .text(buffer)
        case .tags:
            // Tokens as the CSV reader cuts them: trimmed of spaces and tabs, empty ones skipped.
            let split = cells.map { cell in
                (cell ?? "").split(separator: ";").map { $0.trimmingCharacters(in: [" ", "\t"]) }.filter { !$0.isEmpty }
            }
            let vocabulary = Set(split.joined().map(ExactKey.init)).map(\.text).sorted { Bytes.less($0, $1) }
            var index: [ExactKey: Int] = [:]
            for (i, v) in vocabulary.enumerated() { index[ExactKey(v)] = i }
            let perRow = max(1, (vocabulary.count + 63) / 64)
            var bits = [UInt64](repeating: 0, count: n * perRow)
            for (r, tags) in split.enumerated() {
                for t in tags {
                    guard let k = index[ExactKey(t)] else { continue }
                    bits[r * perRow + (k >> 6)] |= 1 << UInt64(k & 63)
                }
            }
            data = .tags(TagSets(vocabulary: vocabulary, wordsPerRow: perRow, bits: bits))
        }
        return Column(name: spec.name, data: data, validity: validity, count: n)
    }

    /// `-12.5` at scale 2 → -1250. Exact: more fraction digits than `scale` is not a value here.
    public static func parseDecimal(_ text: String, scale: Int) -> Int64? {
        var s = Substring(text)
        var negative = false
        if s.hasPrefix("-") { negative = true; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2 else { return nil }
        var frac = parts.count == 2 ? String(parts[1]) : ""
        while frac.count > scale, frac.hasSuffix("0") { frac.removeLast() }
        guard frac.count <= scale, (whole + frac).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        frac += String(repeating: "0", count: scale - frac.count)
        guard let v = Int64(String(whole.isEmpty ? "0" : whole) + frac) else { return nil }
        return negative ? -v : v
    }
}
