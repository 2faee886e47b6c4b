import Foundation

// Results that arrive as rows of text (a database answering a `textResults` statement) written
// through seg's own writers, batch by batch, so a large answer never sits in memory whole.
// The writers take a whole `ResultSet` each time; the header is written once by cutting it off
// later batches (the bytes an empty result renders as), and JSON's brackets are stitched.

/// Builds typed columns from text cells formatted like seg's CSV.
public enum TextColumns {
    /// A column of `spec`'s type holding `cells` (nil is a missing value).
    public static func column(_ spec: SQLResultColumn, cells: [String?]) throws -> Column {
        let n = cells.count
        var validity = Bitmap(count: n, filled: true)
        for (i, c) in cells.enumerated() where c == nil { validity[i] = false }
        func bad(_ i: Int) -> SegError {
            SegError(.data, "the database sent a value for '\(spec.name)' (row \(i + 1) of a batch) that is not \(spec.type.rawValue)")
        }
        let data: ColumnData
        switch spec.type {
        case .integer:
            var values = [Int64](repeating: 0, count: n)
            for (i, c) in cells.enumerated() {
                guard let c else { continue }
                guard let v = Int64(c) else { throw bad(i) }
                values[i] = v
            }
            data = .integer(values)
        case .decimal:
            var values = [Int64](repeating: 0, count: n)
            for (i, c) in cells.enumerated() {
                guard let c else { continue }
                guard let v = parseDecimal(c, scale: spec.scale) else { throw bad(i) }
                values[i] = v
            }
            data = .decimal(values, scale: spec.scale)
        case .date:
            var values = [Int32](repeating: 0, count: n)
            for (i, c) in cells.enumerated() {
                guard let c else { continue }
                guard let d = CivilDate.parse(c), let v = Int32(exactly: d) else { throw bad(i) }
                values[i] = v
            }
            data = .date(values)
        case .boolean:
            var values = [Bool](repeating: false, count: n)
            for (i, c) in cells.enumerated() {
                guard let c else { continue }
                switch c.lowercased() {
                case "true", "t", "1": values[i] = true
                case "false", "f", "0": values[i] = false
                default: throw bad(i)
                }
            }
            data = .boolean(values)
        case .category:
            // The dictionary is sorted by bytes, as the engine's are, so codes order like values.
            // Distinct by bytes (ExactText): a Set<String> merged NFC and NFD spellings into one.
            let distinct = Set(cells.compactMap { $0.map(ExactKey.init) })
            let dictionary = distinct.map(\.text).sorted { Bytes.less($0, $1) }
            var index: [ExactKey: UInt32] = [:]
            for (i, v) in dictionary.enumerated() { index[ExactKey(v)] = UInt32(i) }
            data = .category(codes: cells.map { $0.flatMap { index[ExactKey($0)] } ?? 0 }, dictionary: dictionary)
        case .text:
            var buffer = TextBuffer()
            for c in cells { buffer.append(c ?? "") }
            data = .text(buffer)
        case .tags:
            // Tokens as the CSV reader cuts them: trimmed of spaces and tabs, empty ones skipped.
            let split = cells.map { cell in
                (cell ?? "").split(separator: ";").map { $0.trimmingCharacters(in: [" ", "\t"]) }.filter { !$0.isEmpty }
            }
            let vocabulary = Set(split.joined().map(ExactKey.init)).map(\.text).sorted { Bytes.less($0, $1) }
            var index: [ExactKey: Int] = [:]
            for (i, v) in vocabulary.enumerated() { index[ExactKey(v)] = i }
            let perRow = max(1, (vocabulary.count + 63) / 64)
            var bits = [UInt64](repeating: 0, count: n * perRow)
            for (r, tags) in split.enumerated() {
                for t in tags {
                    guard let k = index[ExactKey(t)] else { continue }
                    bits[r * perRow + (k >> 6)] |= 1 << UInt64(k & 63)
                }
            }
            data = .tags(TagSets(vocabulary: vocabulary, wordsPerRow: perRow, bits: bits))
        }
        return Column(name: spec.name, data: data, validity: validity, count: n)
    }

    /// `-12.5` at scale 2 → -1250. Exact: more fraction digits than `scale` is not a value here.
    public static func parseDecimal(_ text: String, scale: Int) -> Int64? {
        var s = Substring(text)
        var negative = false
        if s.hasPrefix("-") { negative = true; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2 else { return nil }
        var frac = parts.count == 2 ? String(parts[1]) : ""
        while frac.count > scale, frac.hasSuffix("0") { frac.removeLast() }
        guard frac.count <= scale, (whole + frac).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        frac += String(repeating: "0", count: scale - frac.count)
        guard let v = Int64(String(whole.isEmpty ? "0" : whole) + frac) else { return nil }
        return negative ? -v : v
    }
}

extension Bytes {
    /// Byte-wise order of two strings (the engine's order for text).
    static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

/// Writes a result arriving row by row in batches: the header once, then each batch.
public final class StreamingResultWriter {
    public let columns: [SQLResultColumn]
    public let kind: ResultSet.Kind
    let options: WriterOptions
    let output: Output
    let batchSize: Int
    var pending: [[String?]]
    /// Rows seen so far.
    public private(set) var rowCount = 0
    var wroteBatch = false
    var header: [UInt8]?

    public init(columns: [SQLResultColumn], kind: ResultSet.Kind, options: WriterOptions, output: Output, batchSize: Int = 10_000) {
        self.columns = columns
        self.kind = kind
        self.options = options
        self.output = output
        self.batchSize = max(1, batchSize)
        pending = Array(repeating: [], count: columns.count)
    }

    /// The table format needs every shown row for its widths: it keeps `maxRows` rows (or all).
    var keepsAll: Bool { options.format == .table }

    /// Adds one row (one text cell per column).
    public func append(_ row: [String?]) throws {
        rowCount += 1
        if keepsAll, let max = options.maxRows, rowCount > max { return }
        for (c, cell) in row.enumerated() where c < pending.count { pending[c].append(cell) }
        if !keepsAll && rowCount % batchSize == 0 { try flushBatch() }
    }

    func resultSet(_ cells: [[String?]], rowCount: Int, total: Int? = nil) throws -> ResultSet {
        let cols = try zip(columns, cells).map { spec, values in
            ResultColumn(name: spec.name, column: try TextColumns.column(spec, cells: values), rows: nil)
        }
        return ResultSet(columns: cols, rowCount: rowCount, kind: kind, totalBeforeLimit: total)
    }

    func render(_ result: ResultSet) throws -> [UInt8] {
        let memory = Output(.memory)
        try ResultWriter.write(result, options: options, to: memory)
        try memory.flush()
        return memory.captured
    }

    func headerBytes() throws -> [UInt8] {
        if let header { return header }
        let h = try render(try resultSet(columns.map { _ in [] }, rowCount: 0))
        header = h
        return h
    }

    func flushBatch() throws {
        let n = pending.first?.count ?? 0
        guard n > 0 else { return }
        let result = try resultSet(pending, rowCount: n)
        pending = Array(repeating: [], count: columns.count)
        switch options.format {
        case .table:
            return
        case .jsonl:
            try ResultWriter.write(result, options: options, to: output)
        case .json:
            // "[\n{…},\n{…}\n]\n" → the objects alone, joined across batches by ",\n".
            let bytes = try render(result)
            let body = bytes.dropFirst(2).dropLast(3)
            try output.write(wroteBatch ? ",\n" : "[\n")
            try output.write(bytes: body)
        case .csv, .tsv, .markdown:
            if wroteBatch {
                let skip = try headerBytes().count
                try output.write(bytes: try render(result).dropFirst(skip))
            } else {
                try ResultWriter.write(result, options: options, to: output)
            }
        }
        wroteBatch = true
        try output.flush()
    }

    /// Writes what is left. `total`, asked only when a table footer needs it, counts the rows
    /// before `limit` (for `20 of 1,234 clients`).
    public func finish(total: () throws -> Int?) throws {
        if keepsAll {
            var totalRows: Int? = nil
            if case .count = kind {} else { totalRows = try total() }
            // Only the kept rows are formatted; rowCount tells the footer how many there were.
            let result = try resultSet(pending, rowCount: rowCount, total: totalRows)
            try ResultWriter.write(result, options: options, to: output)
            return
        }
        try flushBatch()
        if !wroteBatch {
            try ResultWriter.write(try resultSet(pending, rowCount: 0), options: options, to: output)
        } else if options.format == .json {
            try output.write("\n]\n")
        }
        try output.flush()
    }
}
