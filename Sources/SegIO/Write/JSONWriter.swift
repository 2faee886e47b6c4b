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

        var line: [UInt8] = []
        for i in 0..<result.rowCount {
            if !lines {
                if !(first && i == 0) { line.append(UInt8(ascii: ",")) }
                line.append(UInt8(ascii: "\n"))
            }
            line.append(UInt8(ascii: "{"))
            for c in 0..<sources.count {
                if c > 0 { line.append(UInt8(ascii: ",")) }
                line.append(contentsOf: keys[c])
                let source = sources[c]
                let r = source.storageRow(i)
                guard source.isPresent(storage: r) else {
                    line.append(contentsOf: "null".utf8)
                    continue
                }
                switch source.kind {
                case .integer, .decimal, .boolean:
                    source.appendPlain(storage: r, grouping: false, into: &line)
                case .date:
                    line.append(UInt8(ascii: "\""))
                    source.appendPlain(storage: r, grouping: false, into: &line)
                    line.append(UInt8(ascii: "\""))
                case .category:
                    let code = Int(source.codes[r])
                    if code < encodedDictionaries[c].count {
                        line.append(contentsOf: encodedDictionaries[c][code])
                    } else {
                        line.append(contentsOf: "null".utf8)
                    }
                case .text:
                    appendString(source.text.bytes[source.text.range(at: r)], into: &line)
                case .tags:
                    line.append(UInt8(ascii: "["))
                    var first = true
                    for t in 0..<encodedVocabularies[c].count where source.tagSets.has(row: r, tag: t) {
                        if !first { line.append(UInt8(ascii: ",")) }
                        line.append(contentsOf: encodedVocabularies[c][t])
                        first = false
                    }
                    line.append(UInt8(ascii: "]"))
                }
            }
            line.append(UInt8(ascii: "}"))
            if lines { line.append(UInt8(ascii: "\n")) }
            try output.write(bytes: line)
            line.removeAll(keepingCapacity: true)
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a quoted JSON string: `"` `\` and control characters escaped, other UTF-8 passed
    /// through, except what a terminal would act on or reorder, written as `\uXXXX` (the same value
    /// to any JSON reader): DEL, the C1 controls U+0080…U+009F, the line separators and bidi
    /// controls U+2028…U+202E and U+2066…U+2069.
    static func appendString<C: Collection<UInt8>>(_ value: C, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        func escape(_ scalar: UInt32) {
            out.append(contentsOf: "\\u".utf8)
            for shift in [12, 8, 4, 0] { out.append(hex[Int((scalar >> UInt32(shift)) & 0xF)]) }
        }
        var i = value.startIndex
        while i != value.endIndex {
            let b = value[i]
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                escape(UInt32(b))
            case 0xC2, 0xE2:
                // C2 80…9F is U+0080…U+009F; E2 80 A8…AE and E2 81 A6…A9 the separators and bidi controls.
                let j = value.index(after: i)
                let b1: UInt8? = j != value.endIndex ? value[j] : nil
                let k = b1 == nil ? j : value.index(after: j)
                let b2: UInt8? = b1 != nil && k != value.endIndex ? value[k] : nil
                if b == 0xC2, let b1, (0x80...0x9F).contains(b1) {
                    escape(UInt32(b1))
                    i = k
                    continue
                }
                if b == 0xE2, let b1, let b2, (b1 == 0x80 && (0xA8...0xAE).contains(b2)) || (b1 == 0x81 && (0xA6...0xA9).contains(b2)) {
                    escape(0x2000 | (UInt32(b1 & 0x0F) << 6) | UInt32(b2 & 0x3F))
                    i = value.index(after: k)
                    continue
                }
                out.append(b)
            default:
                out.append(b)
            }
            i = value.index(after: i)
        }
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
