import SegBase
import SegStore
/// A GitHub-flavoured Markdown table: numbers right-aligned (`---:`) with thousands separators,
/// `|` escaped, line breaks and other control characters made harmless.
enum MarkdownWriter {
    static func write(_ result: ResultSet, to output: Output) throws {
        try writeHeader(result.columns.map { ($0.name, $0.type) }, to: output)
        try writeRows(result, to: output)
    }

    /// The heading row and the alignment row (numbers right-aligned); nothing without columns.
    static func writeHeader(_ columns: [(name: String, type: FieldType)], to output: Output) throws {
        guard !columns.isEmpty else { return }
        var text = "|"
        for column in columns { text += " \(escape(column.name)) |" }
        text += "\n|"
        for column in columns { text += column.type.isNumeric ? "---:|" : "---|" }
        text += "\n"
        try output.write(text)
    }

    static func writeRows(_ result: ResultSet, to output: Output) throws {
        let sources = result.columns.map(CellSource.init)
        guard !sources.isEmpty else { return }
        for i in 0..<result.rowCount {
            var line = "|"
            for source in sources {
                line += " \(escape(source.string(i, grouping: true) ?? "")) |"
            }
            line += "\n"
            try output.write(line)
        }
    }

    static func escape(_ s: String) -> String {
        // Most cells need nothing: skip the rebuild (0xC2 leads the C1 control characters U+0080…U+009F,
        // 0xE2 the bidi controls and line separators U+2028…U+2069).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "|") || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) { return s }
        var flat = ""
        flat.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n", "\r", "\t": flat.unicodeScalars.append(" ")
            case "|": flat += "\\|"
            default: flat.unicodeScalars.append(scalar)
            }
        }
        return DisplayWidth.sanitized(flat)
    }
}
