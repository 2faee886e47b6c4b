/// A GitHub-flavoured Markdown table: numbers right-aligned (`---:`) with thousands separators,
/// `|` escaped, line breaks and other control characters made harmless.
enum MarkdownWriter {
    static func write(_ result: ResultSet, to output: Output) throws {
        let sources = result.columns.map(CellSource.init)
        guard !sources.isEmpty else { return }
        var text = "|"
        for source in sources { text += " \(escape(source.name)) |" }
        text += "\n|"
        for source in sources { text += source.isNumeric ? "---:|" : "---|" }
        text += "\n"
        try output.write(text)
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
