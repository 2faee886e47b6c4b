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
