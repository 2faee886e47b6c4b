import SegBase
import SegStore

/// Prints the answers to statements in one output format: the `ResultSink` that sessions hand to
/// a backend. A whole answer is written at once; one that streams from a database (rows of text)
/// is written batch by batch through the same writers, header first and then rows, so a large
/// answer never sits in memory whole. Only the table format waits for every shown row (for its
/// column widths).
public final class ResultPrinter: ResultSink {
    let options: WriterOptions
    let output: Output
    var batchSize: Int { max(1, options.batchSize) }
    var columns: [ColumnShape] = []
    public var kind: ResultSet.Kind = .groups
    /// Cells of the rows not yet written, one array per column.
    var pending: [[String?]] = []
    /// Rows seen of the streaming answer.
    public private(set) var rowCount = 0
    var wroteHeader = false

    public init(options: WriterOptions, output: Output) {
        self.options = options
        self.output = output
    }

    public func write(_ result: ResultSet) throws {
        try ResultWriter.write(result, options: options, to: output)
        try output.flush()
    }

    public func begin(_ columns: [ColumnShape], kind: ResultSet.Kind) throws {
        self.columns = columns
        self.kind = kind
        pending = Array(repeating: [], count: columns.count)
        rowCount = 0
        wroteHeader = false
    }

    /// The table format needs every shown row for its widths: it keeps `maxRows` rows (or all).
    var keepsAll: Bool {
        options.format == .table || options.format == .value || options.format == .xlsx || options.collector != nil
    }

    public func append(_ row: [String?]) throws {
        rowCount += 1
        if keepsAll, let max = options.maxRows, rowCount > max { return }
        for (c, cell) in row.enumerated() where c < pending.count { pending[c].append(cell) }
        if !keepsAll && rowCount % batchSize == 0 { try writeBatch() }
    }

    public func end(total: () throws -> Int?) throws {
        if keepsAll {
            var totalRows: Int? = nil
            if case .count = kind {} else { totalRows = try total() }
            // Only the kept rows are formatted; rowCount tells the footer how many there were.
            try ResultWriter.write(try batch(rowCount: rowCount, total: totalRows), options: options, to: output)
            try output.flush()
            return
        }
        try writeBatch()
        try writeHeaderOnce()
        switch options.format {
        case .json: try JSONWriter.writeEnd(lines: false, wroteRows: rowCount > 0, to: output)
        case .table, .jsonl, .csv, .tsv, .markdown, .value, .xlsx: break
        }
        try output.flush()
    }

    /// The pending cells as a result of typed columns.
    func batch(rowCount: Int, total: Int? = nil) throws -> ResultSet {
        let cols = try zip(columns, pending).map { shape, cells in
            ResultColumn(name: shape.name, column: try TextCells.column(shape, cells: cells), rows: nil, grouped: shape.grouped)
        }
        return ResultSet(columns: cols, rowCount: rowCount, kind: kind, totalBeforeLimit: total)
    }

    func writeHeaderOnce() throws {
        guard !wroteHeader else { return }
        wroteHeader = true
        switch options.format {
        case .csv: try DelimitedWriter.writeHeader(columns.map(\.name), separator: UInt8(ascii: ","), options: options, to: output)
        case .tsv: try DelimitedWriter.writeHeader(columns.map(\.name), separator: UInt8(ascii: "\t"), options: options, to: output)
        case .markdown: try MarkdownWriter.writeHeader(columns.map { ($0.name, $0.type) }, to: output)
        case .json: try output.write("[")
        case .jsonl, .table, .value, .xlsx: break
        }
    }

    func writeBatch() throws {
        let n = pending.first?.count ?? 0
        guard n > 0 else { return }
        let first = rowCount - n == 0
        let result = try batch(rowCount: n)
        pending = Array(repeating: [], count: columns.count)
        try writeHeaderOnce()
        switch options.format {
        case .table, .value, .xlsx: return
        case .jsonl: try JSONWriter.writeRows(result, lines: true, first: first, to: output)
        case .json: try JSONWriter.writeRows(result, lines: false, first: first, to: output)
        case .csv: try DelimitedWriter.writeRows(result, separator: UInt8(ascii: ","), options: options, to: output)
        case .tsv: try DelimitedWriter.writeRows(result, separator: UInt8(ascii: "\t"), options: options, to: output)
        case .markdown: try MarkdownWriter.writeRows(result, to: output)
        }
        try output.flush()
    }
}
