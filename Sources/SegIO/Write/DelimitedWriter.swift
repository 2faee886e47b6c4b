import Dispatch
import SegBase
import SegStore

/// CSV (RFC 4180, LF line ends) and TSV. Numbers are raw digits without grouping.
/// Hot path: a whole export of ~10^7 cells goes through here, so cells are formatted as bytes into
/// one reused line buffer and category cells are encoded once per dictionary entry.
enum DelimitedWriter {
    private static let quote = UInt8(ascii: "\"")
    private static let apostrophe = UInt8(ascii: "'")
    private static let newline = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let tab = UInt8(ascii: "\t")
    private static let space = UInt8(ascii: " ")

    static func write(_ result: ResultSet, separator: UInt8, options: WriterOptions, to output: Output) throws {
        try writeHeader(result.columns.map(\.name), separator: separator, options: options, to: output)
        try writeRows(result, separator: separator, options: options, to: output)
    }

    /// The header line: the column names.
    static func writeHeader(_ names: [String], separator: UInt8, options: WriterOptions, to output: Output) throws {
        let csv = separator != tab
        var line: [UInt8] = []
        line.reserveCapacity(1024)
        for (c, name) in names.enumerated() {
            if c > 0 { line.append(separator) }
            // Header names come from the data file too (`=HYPERLINK(…)` as a column name): guarded like cells.
            encode(Array(name.utf8), csv: csv, neutralize: options.neutralizeFormulas, into: &line)
        }
        line.append(newline)
        try output.write(bytes: shown(line, options))
    }

    /// On a terminal, records keep their separators and line ends; everything else that could
    /// act on the terminal shows as U+FFFD (not the hot path: a screen is slower than this).
    private static func shown(_ bytes: [UInt8], _ options: WriterOptions) -> [UInt8] {
        options.terminal ? Array(DisplayWidth.sanitized(String(decoding: bytes, as: UTF8.self), keepingLayout: true).utf8) : bytes
    }

    /// The result's rows, one line each.
    static func writeRows(_ result: ResultSet, separator: UInt8, options: WriterOptions, to output: Output) throws {
        let csv = separator != tab
        let neutralize = options.neutralizeFormulas
        let sources = result.columns.map(CellSource.init)

        // Category cells: encode each dictionary entry once.
        let encodedDictionaries: [[[UInt8]]] = sources.map { source in
            guard source.kind == .category else { return [] }
            return source.dictionary.map { value in
                var out: [UInt8] = []
                encode(Array(value.utf8), csv: csv, neutralize: neutralize, into: &out)
                return out
            }
        }

        // Hot path: blocks of rows are formatted on both cores and written in order.
        // A block keeps one end offset per cell: with 10^6 columns, 1,024-row blocks took 8 GB
        // for `show all` of one row. Fewer rows per block when the rows are wide (at most 2^18 cells).
        let chunk = max(1, min(1024, (1 << 18) / max(1, sources.count)))
        try BlockWriter.write(rowCount: result.rowCount, rowsPerBlock: chunk, to: output, shown: { shown($0, options) }) { start, count in
            formatBlock(sources, encodedDictionaries: encodedDictionaries, first: start, count: count, chunk: chunk,
                        separator: separator, csv: csv, neutralize: neutralize)
        }
    }

    /// Rows `first..<first+count` as lines: cells separated, a newline after each row.
    private static func formatBlock(_ sources: [CellSource], encodedDictionaries: [[[UInt8]]], first: Int, count: Int,
                                    chunk: Int, separator: UInt8, csv: Bool, neutralize: Bool) -> [UInt8] {
        var scratch: [UInt8] = []
        let frame = RowBlock.Frame(leadingPrefix: [], prefix: [], cellPrefixes: sources.indices.map { $0 == 0 ? [] : [separator] },
                                   suffix: [newline])
        return RowBlock.format(sources, first: first, count: count, chunk: chunk, frame: frame) { c, storage, cells, ends, endsBase in
            formatColumn(sources[c], storage: storage, count: count, encodedDictionary: encodedDictionaries[c],
                         csv: csv, neutralize: neutralize, scratch: &scratch, cells: &cells, ends: &ends, endsBase: endsBase)
        }
    }

    /// Appends the cells of `storage[0..<count]` of one column to `cells`, recording where each ends.
    private static func formatColumn(_ source: CellSource, storage: [Int], count: Int, encodedDictionary: [[UInt8]],
                                     csv: Bool, neutralize: Bool, scratch: inout [UInt8], cells: inout [UInt8],
                                     ends: inout [Int], endsBase: Int) {
        let validity = source.validity
        switch source.kind {
        case .integer:
            let ints = source.ints
            for k in 0..<count {
                let r = storage[k]
                if validity?[r] ?? true { ByteFormat.appendInteger(ints[r], into: &cells) }
                ends[endsBase + k] = cells.count
            }
        case .decimal:
            let ints = source.ints
            let scale = source.scale
            for k in 0..<count {
                let r = storage[k]
                if validity?[r] ?? true { ByteFormat.appendDecimal(ints[r], scale: scale, into: &cells) }
                ends[endsBase + k] = cells.count
            }
        case .date:
            let days = source.days
            for k in 0..<count {
                let r = storage[k]
                if validity?[r] ?? true { ByteFormat.appendDate(Int(days[r]), into: &cells) }
                ends[endsBase + k] = cells.count
            }
        case .category:
            // Encoded entries flattened into one pool: no per-cell reference counting.
            var pool: [UInt8] = []
            var offsets = [0]
            for entry in encodedDictionary {
                pool.append(contentsOf: entry)
                offsets.append(pool.count)
            }
            let codes = source.codes
            pool.withUnsafeBufferPointer { pool in
                for k in 0..<count {
                    let r = storage[k]
                    let code = Int(codes[r])
                    if validity?[r] ?? true, code + 1 < offsets.count {
                        cells.append(contentsOf: UnsafeBufferPointer(rebasing: pool[offsets[code]..<offsets[code + 1]]))
                    }
                    ends[endsBase + k] = cells.count
                }
            }
        case .text:
            let text = source.text
            text.bytes.withUnsafeBufferPointer { bytes in
                for k in 0..<count {
                    let r = storage[k]
                    if validity?[r] ?? true {
                        let cell = UnsafeBufferPointer(rebasing: bytes[text.offsets[r]..<text.offsets[r + 1]])
                        // tuned: most cells need no quoting; a word-at-a-time check proves it and
                        // the bytes go out in one copy
                        if csv && isPlainCSV(cell, neutralize: neutralize) {
                            cells.append(contentsOf: cell)
                        } else {
                            encode(cell, csv: csv, neutralize: neutralize, into: &cells)
                        }
                    }
                    ends[endsBase + k] = cells.count
                }
            }
        case .tags:
            let sets = source.tagSets
            var pool: [UInt8] = []
            var offsets = [0]
            var plain = true
            for word in source.vocabularyBytes {
                pool.append(contentsOf: word)
                offsets.append(pool.count)
                // Tags that never need quoting or neutralising are joined straight into `cells`.
                var probe = word
                probe.append(UInt8(ascii: "x"))
                var encoded: [UInt8] = []
                encode(probe, csv: csv, neutralize: neutralize, into: &encoded)
                if encoded != probe || word.first == space { plain = false }
            }
            pool.withUnsafeBufferPointer { pool in
                for k in 0..<count {
                    let r = storage[k]
                    if validity?[r] ?? true {
                        if plain {
                            appendTags(sets, row: r, pool: pool, offsets: offsets, into: &cells)
                        } else {
                            scratch.removeAll(keepingCapacity: true)
                            appendTags(sets, row: r, pool: pool, offsets: offsets, into: &scratch)
                            encode(scratch, csv: csv, neutralize: neutralize, into: &cells)
                        }
                    }
                    ends[endsBase + k] = cells.count
                }
            }
        case .boolean:
            let bools = source.bools
            for k in 0..<count {
                let r = storage[k]
                if validity?[r] ?? true { cells.append(contentsOf: bools[r] ? "true".utf8 : "false".utf8) }
                ends[endsBase + k] = cells.count
            }
        }
    }

    /// The row's tags joined by `;`, in vocabulary order.
    @inline(__always)
    private static func appendTags(_ sets: TagSets, row: Int, pool: UnsafeBufferPointer<UInt8>, offsets: [Int],
                                   into out: inout [UInt8]) {
        var first = true
        for w in 0..<sets.wordsPerRow {
            var word = sets.bits[row * sets.wordsPerRow + w]
            while word != 0 {
                let t = w * 64 + word.trailingZeroBitCount
                word &= word - 1
                guard t + 1 < offsets.count else { break }
                if !first { out.append(UInt8(ascii: ";")) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: pool[offsets[t]..<offsets[t + 1]]))
                first = false
            }
        }
    }

    /// Appends one string field: CSV quotes it when needed, TSV replaces tabs and line breaks by spaces.
    @inline(__always)
    static func encode<Bytes: RandomAccessCollection<UInt8>>(_ value: Bytes, csv: Bool, neutralize: Bool,
                                                              into out: inout [UInt8]) {
        let prefix = neutralize && needsNeutralizing(value)
        if !csv {
            if prefix { out.append(apostrophe) }
            for b in value { out.append(b == tab || b == newline || b == cr ? space : b) }
            return
        }
        var needsQuotes = false
        if let first = value.first, let last = value.last, (first == space && !prefix) || last == space {
            needsQuotes = true
        } else {
            for b in value where b == UInt8(ascii: ",") || b == quote || b == cr || b == newline {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else {
            if prefix { out.append(apostrophe) }
            out.append(contentsOf: value)
            return
        }
        out.append(quote)
        if prefix { out.append(apostrophe) }
        for b in value {
            if b == quote { out.append(quote) }
            out.append(b)
        }
        out.append(quote)
    }

    /// Whether a CSV cell goes out as it is: no comma, quote or line break, no space at either end,
    /// and (when neutralising) no formula lead. Eight bytes per step.
    @inline(__always)
    static func isPlainCSV(_ cell: UnsafeBufferPointer<UInt8>, neutralize: Bool) -> Bool {
        guard let first = cell.first, let last = cell.last else { return true }
        if first == space || last == space || (neutralize && needsNeutralizing(cell)) { return false }
        return !csvSpecials.any(in: cell)
    }

    /// The bytes that make a CSV cell need quotes: comma, quote, line ends.
    private static let csvSpecials = ByteScan([UInt8(ascii: ","), quote, newline, cr])

    /// Spreadsheets treat a cell starting with one of these as a formula.
    @inline(__always)
    static func needsNeutralizing<Bytes: RandomAccessCollection<UInt8>>(_ value: Bytes) -> Bool {
        guard let first = value.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == tab || first == cr
    }
}
