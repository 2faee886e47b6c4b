import SegBase
import SegStore
/// How a result is written: the format and the table's terminal niceties.
public struct WriterOptions: Sendable {
    public var format: OutputFormat
    /// ANSI colour in table headers (bold) and footers (dim); set only when writing to a terminal.
    public var color: Bool = false
    /// Table: fit the columns into this many cells (shrink the widest columns, cut with "…"); nil = no limit.
    public var terminalWidth: Int? = nil
    /// Table: show only the first `maxRows` rows, then a "… N more" line.
    public var maxRows: Int? = nil
    /// csv/tsv: a text, category or tags cell starting with `=` `+` `-` `@` TAB or CR gets a leading `'`,
    /// so a spreadsheet does not run it as a formula. Numbers are never touched.
    public var neutralizeFormulas: Bool = true
    /// Rows per batch when an answer streams from a database (each batch is formatted and written).
    public var batchSize: Int = 10_000
    /// The result goes to a terminal: csv and tsv (like table and markdown always) show control
    /// characters and bidi controls as U+FFFD (`DisplayWidth.sanitized`), so client data cannot
    /// send escape sequences to the terminal or reorder what it shows.
    public var terminal: Bool = false
    /// The language of footers.
    public var language: Language = .english
    /// The result goes to a file: xlsx is refused anywhere else (screen, pipe, standard output).
    public var workbookAllowed = false
    /// A line under a table's footer that says how to read the groups (`by products`: per tag).
    public var footnote: DisplayMessage? = nil
    /// Table format: draw the result as bar charts (`chart`, `.chart on`, `histogram`) instead of
    /// a table. Other formats write the numbers as they are.
    public var chart: ChartPlan? = nil
    /// Charts: the width when `terminalWidth` is nil (`--width`, COLUMNS; else 80 cells).
    public var chartWidth: Int? = nil
    /// `seg report`: every result is handed to this collector instead of being written.
    public var collector: ResultCollector? = nil

    public init(format: OutputFormat, color: Bool = false, terminalWidth: Int? = nil, maxRows: Int? = nil,
                neutralizeFormulas: Bool = true) {
        self.format = format
        self.color = color
        self.terminalWidth = terminalWidth
        self.maxRows = maxRows
        self.neutralizeFormulas = neutralizeFormulas
    }
}

/// Writes a `ResultSet` in one of the output formats.
public enum ResultWriter {
    /// The UTF-8 byte order mark: a .csv file starts with it so Excel reads its Chinese as UTF-8.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    public static func write(_ result: ResultSet, options: WriterOptions, to output: Output) throws {
        if let collector = options.collector {
            collector.add(result, chart: options.chart)
            return
        }
        switch options.format {
        case .table:
            if let plan = options.chart, !result.isCount, ChartWriter.draws(result, plan) {
                try ChartWriter.write(result, plan: plan, options: options, to: output)
            } else {
                try TableWriter.write(result, options: options, to: output)
            }
        case .xlsx:
            guard options.workbookAllowed else { throw SegError(.usage, .usage(.xlsxNeedsFile)) }
            try XLSXWriter.write(result, options: options, to: output)
        case .csv: try DelimitedWriter.write(result, separator: UInt8(ascii: ","), options: options, to: output)
        case .tsv: try DelimitedWriter.write(result, separator: UInt8(ascii: "\t"), options: options, to: output)
        case .json: try JSONWriter.write(result, lines: false, to: output)
        case .jsonl: try JSONWriter.write(result, lines: true, to: output)
        case .markdown: try MarkdownWriter.write(result, to: output)
        case .value:
            // One cell, bare, for `n=$(seg -c '… count')`: anything else is refused, not cut.
            guard result.rowCount == 1, result.columns.count == 1 else {
                throw SegError(.query, .usage(.valueNeedsOneCell(rows: result.rowCount, columns: result.columns.count)))
            }
            try DelimitedWriter.writeRows(result, separator: UInt8(ascii: "\t"), options: options, to: output)
        }
    }

    /// The footer noun for `count` rows: `clients` → `client` for exactly one.
    static func noun(_ plural: String, count: Int) -> String {
        if count == 1 && plural.hasSuffix("s") { return String(plural.dropLast()) }
        return plural
    }
}
/// Output formats of results.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, tsv, json, jsonl, markdown
    /// An Excel workbook: to a file only.
    case xlsx
    /// One value alone (a count), as a shell's `$(…)` wants it.
    case value

    /// The format a file's extension names (`list.csv` → csv); nil for any other name.
    public init?(fileExtensionOf path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        case "md", "markdown": self = .markdown
        case "txt": self = .table
        case "xlsx": self = .xlsx
        default: return nil
        }
    }
}
