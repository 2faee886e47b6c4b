import SegBase
import SegStore

/// `seg report SCRIPT --html FILE`: one self-contained page of a script's results. Each statement
/// is a section headed by its text; a result is a table, and a `by` result or a histogram also a
/// bar chart in inline SVG. Nothing is fetched: the CSS is inline, there are no scripts, images
/// or fonts to load, and a Content-Security-Policy forbids the page any request. Every text that
/// comes from the script or the data is escaped, and control and bidi characters are made visible
/// (`DisplayWidth.sanitized`), so a cell cannot add markup to the page or reorder what it shows.
public enum HTMLReport {
    /// One statement of the script and what it wrote.
    public struct Section: Sendable {
        public var statement: String
        public var results: [ResultCollector.Item]

        public init(statement: String, results: [ResultCollector.Item]) {
            self.statement = statement
            self.results = results
        }
    }

    /// A chart draws at most this many bars (the table below it has every row).
    static let maximumBars = 100

    /// The whole page. `title` heads it (the script's name); `subtitle` says what it ran on.
    public static func page(title: String, subtitle: String, sections: [Section], language: Language) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="\(language == .chinese ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="seg">
            <title>\(escaped(title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header><h1>\(escaped(title))</h1><p class="meta">\(escaped(subtitle))</p></header>

            """
        for (n, section) in sections.enumerated() {
            html += "<section id=\"s\(n + 1)\">\n<h2><span class=\"n\">\(n + 1)</span><code>\(escaped(section.statement))</code></h2>\n"
            for item in section.results { html += result(item, language: language) }
            html += "</section>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }

    static func result(_ item: ResultCollector.Item, language: Language) -> String {
        let result = item.result
        if case .count = result.kind {
            let value = result.columns.first.flatMap { CellSource($0).string(0, grouping: true) } ?? "0"
            return "<p class=\"count\">\(escaped(value))</p>\n"
        }
        var html = ""
        if let plan = item.chart { html += chart(result, plan: plan, language: language) }
        html += table(result)
        html += "<p class=\"footer\">\(escaped(TableWriter.footerLine(result, language: language)))</p>\n"
        return html
    }

    static func table(_ result: ResultSet) -> String {
        let sources = result.columns.map(CellSource.init)
        var html = "<div class=\"scroll\"><table>\n<thead><tr>"
        for source in sources {
            html += "<th\(source.isNumeric ? " class=\"num\"" : "")>\(escaped(source.name))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for i in 0..<result.rowCount {
            html += "<tr>"
            for source in sources {
                let cell = source.string(i, grouping: true)
                let classes = [source.isNumeric ? "num" : nil, cell == nil ? "missing" : nil].compactMap { $0 }
                html += "<td\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>\(escaped(cell ?? ""))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table></div>\n"
    }

    /// An SVG bar chart per drawn column: the label, the bar, the value. Negative values grow
    /// left of a zero line; a missing value has no bar.
    static func chart(_ result: ResultSet, plan: ChartPlan, language: Language) -> String {
        let rows = Array(result.noteRows..<min(result.rowCount, result.noteRows + maximumBars))
        guard !rows.isEmpty else { return "" }
        let data = ChartData(result, plan: plan, rows: rows, language: language)
        let labels = data.labels
        let labelWidth = min(220, max(40, (labels.map { DisplayWidth.of($0) }.max() ?? 0) * 8 + 8))
        var html = ""
        for series in data.series {
            let (values, texts) = (series.values, series.texts)
            let valueWidth = (texts.map { DisplayWidth.of($0) }.max() ?? 0) * 8 + 12
            let barArea = 640 - labelWidth - valueWidth
            let low = series.low
            let span: Double = series.high - low
            let offset: Double = span > 0 ? Double(barArea) * -low / span : 0
            let zero: Double = Double(labelWidth + 4) + offset
            let rowHeight = 22
            let height = rows.count * rowHeight + 8
            html += "<figure><figcaption>\(escaped(series.name))</figcaption>\n"
            html += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"\(height)\" viewBox=\"0 0 640 \(height)\" role=\"img\">\n"
            for (k, label) in labels.enumerated() {
                let y = 4 + k * rowHeight
                let cut = TableWriter.fit(label, max(4, (labelWidth - 8) / 8))
                html += "<text x=\"\(labelWidth)\" y=\"\(y + 15)\" text-anchor=\"end\">\(escaped(cut))</text>"
                if let v = values[k], v != 0, span > 0 {
                    let w = max(1, Double(barArea) * abs(v) / span)
                    let x = v < 0 ? zero - w : zero
                    html += "<rect x=\"\(format(x))\" y=\"\(y + 3)\" width=\"\(format(w))\" height=\"\(rowHeight - 6)\" class=\"\(v < 0 ? "neg" : "bar")\"/>"
                }
                var end = zero
                if let v = values[k], v > 0, span > 0 { end += Double(barArea) * v / span }
                html += "<text x=\"\(format(end + 4))\" y=\"\(y + 15)\" class=\"v\">\(escaped(texts[k]))</text>\n"
            }
            if low < 0 {
                html += "<line x1=\"\(format(zero))\" y1=\"0\" x2=\"\(format(zero))\" y2=\"\(height)\" class=\"axis\"/>\n"
            }
            html += "</svg></figure>\n"
        }
        return html
    }

    static func format(_ x: Double) -> String {
        let tenths = (x * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(tenths / 10)
    }

    /// Text for HTML content and attributes: markup characters as entities, control and bidi
    /// characters as U+FFFD, line breaks kept (the statements are shown as written).
    public static func escaped(_ text: String) -> String {
        Markup.escaped(DisplayWidth.sanitized(text, keepingLayout: true), apostrophe: "&#39;")
    }

    static let style = """
        body{font-family:system-ui,-apple-system,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;\
        margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1f2933;background:#fff}\
        h1{font-size:1.6rem;margin:0}.meta{color:#52606d;margin:.3rem 0 1.5rem}\
        section{border-top:1px solid #d9e2ec;padding:1rem 0}\
        h2{font-size:1rem;font-weight:600;margin:0 0 .8rem}h2 code{white-space:pre-wrap;font-family:ui-monospace,Menlo,Consolas,monospace}\
        .n{display:inline-block;min-width:1.6em;color:#829ab1;font-weight:400}\
        .scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.9rem}\
        th,td{padding:.25rem .7rem;border-bottom:1px solid #e4e7eb;text-align:left;white-space:nowrap}\
        th{background:#f0f4f8}.num{text-align:right;font-variant-numeric:tabular-nums}\
        td.missing{background:#fafafa}.footer{color:#52606d;font-size:.85rem;margin:.4rem 0 0}\
        .count{font-size:2rem;font-weight:600;margin:.2rem 0}\
        figure{margin:0 0 1rem}figcaption{font-weight:600;font-size:.9rem;margin-bottom:.3rem}\
        svg text{font-size:12px;fill:#1f2933}svg .v{fill:#52606d}\
        svg .bar{fill:#2f80ed}svg .neg{fill:#e5534b}svg .axis{stroke:#52606d;stroke-width:1}
        """
}
