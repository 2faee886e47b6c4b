import Synchronization
import SegBase
import SegStore

/// Which columns of a result a chart draws.
public struct ChartPlan: Sendable, Equatable {
    /// The columns whose cells, joined with " · ", label each bar; nil: every column that is not
    /// a number (in a list: `show name, assets` is labelled by name).
    public var labels: [Int]?
    /// The number columns drawn, each as its own chart; nil: every number column that is not a label.
    public var values: [Int]?

    public init(labels: [Int]? = nil, values: [Int]? = nil) {
        self.labels = labels
        self.values = values
    }

    /// The label columns and the drawn columns of `result`.
    func columns(of result: ResultSet) -> (labels: [Int], values: [Int]) {
        let count = result.columns.count
        let labels = (self.labels ?? (0..<count).filter { !result.columns[$0].type.isNumeric }).filter { $0 < count }
        let values = (self.values ?? (0..<count).filter { !labels.contains($0) })
            .filter { $0 < count && result.columns[$0].type.isNumeric }
        return (labels, values)
    }
}

/// Horizontal bar charts for the terminal, one per number column of a result:
/// ```
/// count
///  大众     6,012 ████████████████████████████████████████
///  VIP      1,203 ███████▉
/// ```
/// A label column, the value as the table shows it, then the bar: whole cells of █ and the last
/// cell in eighths (▏▎▍▌▋▊▉). Labels are cut with "…" to fit; widths are display widths (a Chinese
/// character takes two cells). With negative values a zero axis │ splits the bar area: negative
/// bars grow left of it in whole cells, positive ones right. A missing value has no bar and says so.
public enum ChartWriter {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    static let full = "█"
    private static let bold = "\u{1B}[1m"
    private static let dim = "\u{1B}[2m"
    private static let reset = "\u{1B}[0m"
    /// The width when none is known (not a terminal, no --width, no COLUMNS).
    public static let defaultWidth = 80
    /// Bars get at least this many cells, whatever the labels take.
    static let minimumBar = 10

    /// True when `plan` finds a number column to draw in `result`; otherwise it is shown as a table.
    public static func draws(_ result: ResultSet, _ plan: ChartPlan) -> Bool {
        !plan.columns(of: result).values.isEmpty
    }

    static func write(_ result: ResultSet, plan: ChartPlan, options: WriterOptions, to output: Output) throws {
        let width = max(20, options.terminalWidth ?? options.chartWidth ?? defaultWidth)
        let shown = max(0, min(result.rowCount, options.maxRows ?? result.rowCount))
        let data = ChartData(result, plan: plan, rows: Array(result.noteRows..<max(result.noteRows, shown)), language: options.language)
        var text = ""
        // No blank line between charts: the heading starts each (bold on a terminal).
        for series in data.series {
            text += (options.color ? bold + series.name + reset : series.name) + "\n"
            text += lines(labels: data.labels, series, width: width)
        }
        try output.write(text)
        var footer = ""
        if shown < result.rowCount {
            footer += Message.display(.more(result.rowCount - shown)).text(in: options.language) + "\n"
        }
        footer += TableWriter.footerLine(result, language: options.language) + "\n"
        if let note = options.footnote { footer += Message.display(note).text(in: options.language) + "\n" }
        try output.write(options.color ? dim + footer.dropLast() + reset + "\n" : footer)
    }

    /// One line per row: ` label  value bar`, each line at most `width` cells.
    static func lines(labels: [String], _ series: ChartData.Series, width: Int) -> String {
        let (values, texts, high, low) = (series.values, series.texts, series.high, series.low)
        let valueWidth = texts.map { DisplayWidth.of($0) }.max() ?? 0
        let widest = labels.map { DisplayWidth.of($0) }.max() ?? 0
        // The label column takes what it needs, up to two fifths of the line, and leaves the bars
        // at least `minimumBar` cells.
        let labelWidth = max(1, min(widest, width * 2 / 5, width - 4 - valueWidth - minimumBar))
        let area = max(minimumBar, width - 3 - labelWidth - valueWidth)
        // With negatives: cells left of the axis for them, the axis, cells right of it.
        let negativeCells = low < 0 ? max(1, Int((Double(area - 1) * -low / (high - low)).rounded())) : 0
        let positiveCells = low < 0 ? max(0, area - 1 - negativeCells) : area
        var out = ""
        for (k, label) in labels.enumerated() {
            var line = " " + TableWriter.pad(TableWriter.fit(label, labelWidth), labelWidth, right: false)
            line += " " + TableWriter.pad(texts[k], valueWidth, right: true) + " "
            if low < 0 {
                let v = values[k] ?? 0
                let left = v < 0 && values[k] != nil ? max(1, Int((Double(negativeCells) * v / low).rounded())) : 0
                line += String(repeating: " ", count: negativeCells - min(left, negativeCells))
                line += String(repeating: full, count: min(left, negativeCells)) + "│"
                if v > 0 { line += bar(v / high, cells: positiveCells) }
            } else if let v = values[k], v > 0, high > 0 {
                line += bar(v / high, cells: positiveCells)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// A bar `fraction` (0…1) of `cells` long, in eighths of a cell; a value above zero shows at
    /// least one eighth, so it never looks like zero.
    static func bar(_ fraction: Double, cells: Int) -> String {
        let total = max(1, Int((fraction * Double(cells * 8)).rounded()))
        return String(repeating: full, count: total / 8) + eighths[total % 8]
    }
}

/// What the charts of a result draw: a label per row, and per drawn column its values (as
/// `Double`, for bar lengths only) and their texts as a table shows them.
struct ChartData {
    struct Series {
        /// The column's heading.
        let name: String
        /// nil: missing.
        let values: [Double?]
        let texts: [String]
        /// The largest value or 0, the least value or 0: the ends of the bar scale.
        let high: Double
        let low: Double
    }

    let labels: [String]
    let series: [Series]

    /// The charts of `result`'s `rows`: the label columns joined with " · " (row numbers when
    /// there are none), missing cells as the language's word for missing.
    init(_ result: ResultSet, plan: ChartPlan, rows: [Int], language: Language) {
        let (labelColumns, valueColumns) = plan.columns(of: result)
        let missing = ResultWord.missingValue.text(in: language)
        let labelSources = labelColumns.map { CellSource(result.columns[$0]) }
        labels = rows.map { i in
            if labelSources.isEmpty { return String(i + 1 - result.noteRows) }
            return labelSources.map { DisplayWidth.sanitized($0.string(i, grouping: true) ?? missing) }.joined(separator: " · ")
        }
        series = valueColumns.map { c in
            let source = CellSource(result.columns[c])
            let values: [Double?] = rows.map { i in
                let r = source.storageRow(i)
                guard source.isPresent(storage: r) else { return nil }
                let raw = Double(source.ints[r])
                return source.kind == .decimal ? raw / Double(FixedPoint.powersOfTen[min(source.scale, 18)]) : raw
            }
            let present = values.compactMap { $0 }
            return Series(name: DisplayWidth.sanitized(source.name), values: values,
                          texts: rows.map { DisplayWidth.sanitized(source.string($0, grouping: true) ?? missing) },
                          high: max(0, present.max() ?? 0), low: min(0, present.min() ?? 0))
        }
    }
}

/// Text for XML and HTML: the markup characters as entities, and the characters `replaced` picks
/// (those the format cannot hold) as U+FFFD.
enum Markup {
    static func escaped(_ text: String, apostrophe: String, replaced: (Unicode.Scalar) -> Bool = { _ in false }) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += apostrophe
            default:
                if replaced(scalar) { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// The results of a run gathered for `seg report`, in order, each with the chart it asked for.
public final class ResultCollector: Sendable {
    public struct Item: Sendable {
        public var result: ResultSet
        public var chart: ChartPlan?
    }

    private let items = Mutex<[Item]>([])

    public init() {}

    func add(_ result: ResultSet, chart: ChartPlan?) {
        items.withLock { $0.append(Item(result: result, chart: chart)) }
    }

    /// The results gathered since the last call, which forgets them.
    public func take() -> [Item] {
        items.withLock { items in
            defer { items.removeAll() }
            return items
        }
    }
}
