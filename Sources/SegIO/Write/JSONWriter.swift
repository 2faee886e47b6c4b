import SegBase
import SegStore
/// JSON (an array with one object per line) and JSON Lines (one object per line).
/// Numbers are JSON numbers printed exactly (`980000.00`), dates strings, tags arrays, missing `null`.
enum JSONWriter {
    static func write(_ result: ResultSet, lines: Bool, to output: Output) throws {
        if lines {
            try writeRows(result, lines: true, first: true, to: output)
            return
        }
        try output.write("[")
        try writeRows(result, lines: false, first: true, to: output)
        try writeEnd(lines: false, wroteRows: result.rowCount > 0, to: output)
    }

    /// What follows the rows: `]` closing the array (after a line break when it holds objects).
    static func writeEnd(lines: Bool, wroteRows: Bool, to output: Output) throws {
        guard !lines else { return }
        try output.write(wroteRows ? "\n]\n" : "]\n")
    }

    /// One object per row. In an array each object follows a line break, and a comma unless it is
    /// the array's `first`; in JSON Lines each object is a line.
    static func writeRows(_ result: ResultSet, lines: Bool, first: Bool, to output: Output) throws {
        let sources = result.columns.map(CellSource.init)
        // `"name":` for each column, and each category value, escaped once.
        let keys: [[UInt8]] = sources.map { source in
            var out: [UInt8] = []
            appendString(Array(source.name.utf8), into: &out)
            out.append(UInt8(ascii: ":"))
            return out
        }
        let encodedDictionaries: [[[UInt8]]] = sources.map { source in
            guard source.kind == .category else { return [] }
            return source.dictionary.map { value in
                var out: [UInt8] = []
                appendString(Array(value.utf8), into: &out)
                return out
            }
        }
        let encodedVocabularies: [[[UInt8]]] = sources.map { source in
            source.vocabularyBytes.map { value in
                var out: [UInt8] = []
                appendString(value, into: &out)
                return out
            }
        }

        // Blocks of rows are formatted on both cores, a column at a time, and written in order.
        let chunk = max(1, min(1024, (1 << 18) / max(1, sources.count)))
        let cellPrefixes = sources.indices.map { ($0 == 0 ? [] : [UInt8(ascii: ",")]) + keys[$0] }
        let open: [UInt8] = lines ? Array("{".utf8) : Array(",\n{".utf8)
        let close: [UInt8] = lines ? Array("}\n".utf8) : Array("}".utf8)
        try BlockWriter.write(rowCount: result.rowCount, rowsPerBlock: chunk, to: output) { start, count in
            // In an array, the first object follows `[` and a line break, without a comma.
            let leading = !lines && first && start == 0 ? Array("\n{".utf8) : open
            let frame = RowBlock.Frame(leadingPrefix: leading, prefix: open, cellPrefixes: cellPrefixes, suffix: close)
            return RowBlock.format(sources, first: start, count: count, chunk: chunk, frame: frame) { c, storage, cells, ends, endsBase in
                formatColumn(sources[c], storage: storage, count: count, encodedDictionary: encodedDictionaries[c],
                             encodedVocabulary: encodedVocabularies[c], cells: &cells, ends: &ends, endsBase: endsBase)
            }
        }
    }

    /// Appends the JSON values of one column at `storage[0..<count]` to `cells`, recording where
    /// each ends: numbers and booleans bare, dates and text quoted, tags arrays, missing `null`.
    private static func formatColumn(_ source: CellSource, storage: [Int], count: Int, encodedDictionary: [[UInt8]],
                                     encodedVocabulary: [[UInt8]], cells: inout [UInt8], ends: inout [Int], endsBase: Int) {
        let validity = source.validity
        let null = Array("null".utf8)
        // One pass over the column's cells; `value` appends a present cell.
        func each(_ value: (Int, inout [UInt8]) -> Void) {
            for k in 0..<count {
                let r = storage[k]
                if validity?[r] ?? true { value(r, &cells) } else { cells.append(contentsOf: null) }
                ends[endsBase + k] = cells.count
            }
        }
        switch source.kind {
        case .integer:
            let ints = source.ints
            each { r, out in ByteFormat.appendInteger(ints[r], into: &out) }
        case .decimal:
            let ints = source.ints, scale = source.scale
            each { r, out in ByteFormat.appendDecimal(ints[r], scale: scale, into: &out) }
        case .boolean:
            let bools = source.bools
            each { r, out in out.append(contentsOf: bools[r] ? "true".utf8 : "false".utf8) }
        case .date:
            let days = source.days
            each { r, out in
                out.append(UInt8(ascii: "\""))
                ByteFormat.appendDate(Int(days[r]), into: &out)
                out.append(UInt8(ascii: "\""))
            }
        case .category:
            let codes = source.codes
            each { r, out in
                let code = Int(codes[r])
                out.append(contentsOf: code < encodedDictionary.count ? encodedDictionary[code] : null)
            }
        case .text:
            let text = source.text
            text.bytes.withUnsafeBufferPointer { bytes in
                each { r, out in appendString(bytes: UnsafeBufferPointer(rebasing: bytes[text.offsets[r]..<text.offsets[r + 1]]), into: &out) }
            }
        case .tags:
            let sets = source.tagSets
            each { r, out in
                out.append(UInt8(ascii: "["))
                var first = true
                for t in 0..<encodedVocabulary.count where sets.has(row: r, tag: t) {
                    if !first { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: encodedVocabulary[t])
                    first = false
                }
                out.append(UInt8(ascii: "]"))
            }
        }
    }

    /// Bytes that may need an escape: quote, backslash, DEL, the lead bytes of the C1 controls and
    /// of the separators and bidi controls, and the controls below 0x20.
    private static let specials = ByteScan([UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x7F, 0xC2, 0xE2], below: 0x20)

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a quoted JSON string: `"` `\` and control characters escaped, other UTF-8 passed
    /// through, except what a terminal would act on or reorder, written as `\uXXXX` (the same value
    /// to any JSON reader): DEL, the C1 controls U+0080…U+009F, the line separators and bidi
    /// controls U+2028…U+202E and U+2066…U+2069.
    static func appendString<C: Collection<UInt8>>(_ value: C, into out: inout [UInt8]) {
        let done: Void? = value.withContiguousStorageIfAvailable { appendString(bytes: $0, into: &out) }
        if done == nil { Array(value).withUnsafeBufferPointer { appendString(bytes: $0, into: &out) } }
    }

    /// Tuned: runs of bytes that need no escape (almost every cell) are appended whole; appending
    /// a byte at a time was a third of writing a long list.
    static func appendString(bytes value: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Tuned: almost every cell has nothing to escape, which eight bytes at a time prove.
        guard specials.any(in: value) else {
            out.append(contentsOf: value)
            out.append(UInt8(ascii: "\""))
            return
        }
        func escape(_ scalar: UInt32) {
            out.append(contentsOf: "\\u".utf8)
            for shift in [12, 8, 4, 0] { out.append(hex[Int((scalar >> UInt32(shift)) & 0xF)]) }
        }
        let n = value.count
        var run = 0, i = 0
        while i < n {
            let b = value[i]
            // Bytes that pass through: printable ASCII but `"` `\` DEL, and UTF-8 other than C2/E2 leads.
            if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") && b != 0x7F && b != 0xC2 && b != 0xE2 {
                i += 1
                continue
            }
            var skip = 1
            var replacement: [UInt8]? = nil
            var escaped: UInt32? = nil
            switch b {
            case UInt8(ascii: "\""): replacement = [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): replacement = [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): replacement = [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): replacement = [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): replacement = [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20, 0x7F: escaped = UInt32(b)
            default:
                // C2 80…9F is U+0080…U+009F; E2 80 A8…AE and E2 81 A6…A9 the separators and bidi controls.
                let b1: UInt8? = i + 1 < n ? value[i + 1] : nil
                let b2: UInt8? = b1 != nil && i + 2 < n ? value[i + 2] : nil
                if b == 0xC2, let b1, (0x80...0x9F).contains(b1) {
                    escaped = UInt32(b1)
                    skip = 2
                } else if b == 0xE2, let b1, let b2, (b1 == 0x80 && (0xA8...0xAE).contains(b2)) || (b1 == 0x81 && (0xA6...0xA9).contains(b2)) {
                    escaped = 0x2000 | (UInt32(b1 & 0x0F) << 6) | UInt32(b2 & 0x3F)
                    skip = 3
                }
            }
            guard replacement != nil || escaped != nil else {
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: value[run..<i]))
            if let replacement { out.append(contentsOf: replacement) }
            if let escaped { escape(escaped) }
            i += skip
            run = i
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: value[run..<n]))
        out.append(UInt8(ascii: "\""))
    }
}

/// Several results written to one place as one JSON document: an array with an object per
/// statement, `{"statement": "…", "result": [rows]}`.
public enum JSONDocument {
    /// What goes before a statement's result: the array's `[` for the first, a comma after it.
    public static func beforeResult(statement: String, first: Bool, to output: Output) throws {
        var out: [UInt8] = Array((first ? "[\n" : ",\n").utf8)
        out += Array("{\"statement\":".utf8)
        JSONWriter.appendString(Array(statement.utf8), into: &out)
        out += Array(",\"result\":".utf8)
        try output.write(bytes: out)
    }

    public static func afterResult(to output: Output) throws { try output.write("}") }

    /// Closes the array, when at least one result was written.
    public static func end(to output: Output) throws { try output.write("\n]\n") }
}
