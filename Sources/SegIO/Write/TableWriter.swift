import SegBase
import SegStore
/// The human table for terminals, psql-like with box-drawing rules:
/// ```
///  id       │ name   │       assets
/// ──────────┼────────┼──────────────
///  C0000012 │ 王伟   │ 1,234,567.89
/// 1 client
/// ```
/// Widths are display widths (a Chinese character takes two cells); numbers are right-aligned with
/// thousands separators; control characters in data are made visible and harmless.
enum TableWriter {
    private static let bold = "\u{1B}[1m"
    private static let dim = "\u{1B}[2m"
    private static let reset = "\u{1B}[0m"
    /// Columns are not shrunk below this many cells to fit the terminal.
    private static let minimumWidth = 4

    static func write(_ result: ResultSet, options: WriterOptions, to output: Output) throws {
        if case .count = result.kind {
            try output.write(countText(result) + "\n")
            return
        }
        let sources = result.columns.map(CellSource.init)
        let shown = max(0, min(result.rowCount, options.maxRows ?? result.rowCount))

        if !sources.isEmpty {
            let headers = sources.map { DisplayWidth.sanitized($0.name) }
            let cells: [[String]] = sources.map { source in
                (0..<shown).map { i in
                    let s = source.string(i, grouping: true) ?? ""
                    return source.isStringLike ? DisplayWidth.sanitized(s) : s
                }
            }
            let rightAligned = sources.map(\.isNumeric)
            var widths = [Int](repeating: 0, count: sources.count)
            for c in 0..<sources.count {
                var w = DisplayWidth.of(headers[c])
                for cell in cells[c] { w = max(w, DisplayWidth.of(cell)) }
                widths[c] = w
            }
            if let limit = options.terminalWidth { shrink(&widths, toFit: limit, numeric: rightAligned) }

            func line(_ texts: (Int) -> String) -> String {
                var s = ""
                for c in 0..<widths.count {
                    if c > 0 { s += "│" }
                    s += " " + pad(fit(texts(c), widths[c]), widths[c], right: rightAligned[c]) + " "
                }
                while s.hasSuffix(" ") { s.removeLast() }
                return s
            }

            var text = line { headers[$0] }
            if options.color { text = bold + text + reset }
            text += "\n" + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: "┼") + "\n"
            try output.write(text)
            for i in 0..<shown {
                try output.write(line { cells[$0][i] } + "\n")
            }
        }

        var footer = ""
        if shown < result.rowCount {
            footer += Message.display(.more(result.rowCount - shown)).text(in: options.language) + "\n"
        }
        footer += footerLine(result, language: options.language) + "\n"
        if let note = options.footnote { footer += Message.display(note).text(in: options.language) + "\n" }
        try output.write(options.color ? dim + footer.dropLast() + reset + "\n" : footer)
    }

    /// `3 clients`, `1 group`, `20 of 1,234 clients`.
    static func footerLine(_ result: ResultSet, language: Language = .english) -> String {
        let plural: String
        switch result.kind {
        case .rows(let noun), .count(let noun): plural = noun
        case .groups: plural = "groups"
        }
        return Message.display(.footer(shown: result.rowCount - result.noteRows, total: result.totalBeforeLimit.map { $0 - result.noteRows },
                                       RowNoun(plural: plural))).text(in: language)
    }

    /// A `count` result: just the grouped number.
    static func countText(_ result: ResultSet) -> String {
        guard let first = result.columns.first, result.rowCount > 0 else { return "0" }
        return CellSource(first).string(0, grouping: true) ?? ""
    }

    /// Narrows the widest columns until the table fits `limit` cells, text columns before numbers
    /// (a cut number misleads more than a cut name). Gives up at `minimumWidth` per column.
    static func shrink(_ widths: inout [Int], toFit limit: Int, numeric: [Bool]) {
        var total = widths.reduce(0) { $0 + $1 + 2 } + max(0, widths.count - 1)
        while total > limit {
            var pick: Int?
            for pass in [false, true] {
                for c in 0..<widths.count where numeric[c] == pass && widths[c] > minimumWidth {
                    if pick.map({ widths[c] > widths[$0] }) ?? true { pick = c }
                }
                if pick != nil { break }
            }
            guard let c = pick else { return }
            widths[c] -= 1
            total -= 1
        }
    }

    /// `s` cut to `width` display cells, ending in "…" when cut.
    static func fit(_ s: String, _ width: Int) -> String {
        guard DisplayWidth.of(s) > width else { return s }
        var out = ""
        var used = 0
        for ch in s {
            let w = DisplayWidth.of(String(ch))
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    static func pad(_ s: String, _ width: Int, right: Bool) -> String {
        let gap = String(repeating: " ", count: max(0, width - DisplayWidth.of(s)))
        return right ? gap + s : s + gap
    }
}
