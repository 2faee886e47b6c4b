import Dispatch

/// Reads CSV (RFC 4180) and TSV files into raw cells.
///
/// CSV: a header row is required; fields are separated by `,`; a field may be quoted with `"`, and
/// then holds commas, line breaks and doubled quotes (`""`). Lines end with LF, CRLF or a lone CR.
/// A UTF-8 byte order mark is skipped; the last line may lack its line break; blank lines at the end
/// are ignored. Everything else that is not RFC 4180 is an error at its line and column: a quote
/// inside an unquoted field, text after a closing quote, an unterminated quoted field (reported at
/// its opening quote), a line with more or fewer fields than the header (reported at the start of
/// the record), an empty or duplicate header name, invalid UTF-8, a NUL byte.
///
/// TSV: fields separated by tabs, no quoting (a `"` is an ordinary character), LF or CRLF line ends.
///
/// Large files are cut into chunks at line breaks outside quotes (found from quote parity) and the
/// chunks are parsed in parallel; each chunk copies its cells, unquoted, into a column-ordered arena.
enum CSVReader {
    static let quote: UInt8 = 0x22
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    /// Bytes per parallel chunk: small enough that a chunk's bytes and spans stay in cache between
    /// the parse and the copy into columns.
    static let chunkBytes = 1 << 20

    static func classTable(separator: UInt8, quoting: Bool) -> [UInt8] {
        var classes = [UInt8](repeating: 0, count: 256)
        classes[Int(separator)] |= CSVScanner.separatorClass
        classes[Int(lf)] |= CSVScanner.lineEndClass
        classes[Int(cr)] |= CSVScanner.lineEndClass
        if quoting { classes[Int(quote)] |= CSVScanner.quoteClass }
        classes[0] |= CSVScanner.nulClass
        for b in 0x80...0xFF { classes[b] |= CSVScanner.highClass }
        return classes
    }

    static func read(_ bytes: [UInt8], separator: UInt8, quoting: Bool) throws(DataFailure) -> RawTable {
        let textStart = UTF8Check.byteOrderMarkLength(bytes)
        let classes = classTable(separator: separator, quoting: quoting)
        let parsed: Result<(names: [String], chunks: [RawChunk]), DataFailure> = bytes.withUnsafeBufferPointer { buf in
            classes.withUnsafeBufferPointer { cls in
                guard let p = buf.baseAddress, let table = cls.baseAddress,
                      !CSVScanner.restIsBlank(p, from: textStart, end: buf.count) else {
                    return .failure(DataFailure("no header row", at: textStart))
                }
                let end = buf.count
                do throws(DataFailure) {
                    var scanner = CSVScanner(p: p, end: end, sep: separator, classes: table, i: textStart)
                    let names = try readHeader(&scanner)
                    let dataStart = scanner.i
                    let boundaries = planChunks(p, from: dataStart, to: end, quoting: quoting)
                    let chunkCount = boundaries.count - 1
                    var results = [Result<RawChunk, DataFailure>?](repeating: nil, count: chunkCount)
                    let shared = UncheckedSendable((p, table))
                    results.withUnsafeMutableBufferPointer { slots in
                        let out = UncheckedSendable(slots)
                        DispatchQueue.concurrentPerform(iterations: chunkCount) { j in
                            let (p, table) = shared.value
                            let scanner = CSVScanner(p: p, end: end, sep: separator, classes: table, i: boundaries[j])
                            do throws(DataFailure) {
                                out.value[j] = .success(try parseChunk(scanner, upTo: boundaries[j + 1], columns: names.count))
                            } catch {
                                out.value[j] = .failure(error)
                            }
                        }
                    }
                    var chunks: [RawChunk] = []
                    chunks.reserveCapacity(chunkCount)
                    // The first failing chunk holds the first error of the file: every chunk before it
                    // parsed cleanly and ended exactly at its boundary, so this one began at a true row start.
                    for result in results {
                        switch result {
                        case .success(let chunk): chunks.append(chunk)
                        case .failure(let failure): return .failure(failure)
                        case nil: return .failure(DataFailure("internal error: a chunk was not parsed", at: dataStart))
                        }
                    }
                    return .success((names, chunks))
                } catch {
                    return .failure(error)
                }
            }
        }
        switch parsed {
        case .failure(let failure):
            throw failure
        case .success(let (names, chunks)):
            return RawTable(names: names, chunks: chunks, arrayColumns: Array(repeating: false, count: names.count),
                            locator: .delimited(separator: separator, quoting: quoting))
        }
    }

    /// Column names from the first record: trimmed, non-empty, unique ignoring case.
    static func readHeader(_ scanner: inout CSVScanner) throws(DataFailure) -> [String] {
        var names: [String] = []
        var seen: [String: Int] = [:]
        while true {
            let fieldAt = scanner.i
            let field = try scanner.nextField()
            var raw = [UInt8](UnsafeBufferPointer(start: scanner.p + field.start, count: field.end - field.start))
            if field.escaped { raw = unescaped(raw) }
            let name = String(decoding: raw, as: UTF8.self).trimmingSpaces
            let number = names.count + 1
            if name.isEmpty {
                throw DataFailure("empty column name in the header (column \(number))", at: fieldAt)
            }
            if let other = seen[name.lowercased()] {
                throw DataFailure("duplicate column name '\(name)' in the header (columns \(other) and \(number))", at: fieldAt)
            }
            seen[name.lowercased()] = number
            names.append(name)
            if field.terminator != .separator { break }
        }
        return names
    }

    static func unescaped(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var skip = false
        for b in bytes {
            if b == quote && skip {
                skip = false
                continue
            }
            skip = b == quote
            out.append(b)
        }
        return out
    }

    /// Parses the records that start in `start.i..<hi` (they must end exactly at `hi`) and copies
    /// their cells into a column-ordered arena.
    static func parseChunk(_ start: CSVScanner, upTo hi: Int, columns: Int) throws(DataFailure) -> RawChunk {
        var scanner = start
        let lo = scanner.i
        let p = scanner.p
        guard hi - lo < Int(Int32.max) else {
            throw DataFailure("a record is larger than 2 GiB", at: lo)
        }
        // Pass 1: row-major spans relative to `lo`; bit 31 of a start marks a cell with doubled quotes.
        var spans: [UInt32] = []
        spans.reserveCapacity((hi - lo) / 4)
        var blankTail = false
        var rows = 0
        while scanner.i < hi {
            let recordStart = scanner.i
            let c = p[recordStart]
            if (c == lf || c == cr) && CSVScanner.restIsBlank(p, from: recordStart, end: scanner.end) {
                blankTail = true
                break
            }
            var count = 0
            while true {
                let field = try scanner.nextField()
                if count < columns {
                    spans.append(UInt32(truncatingIfNeeded: field.start - lo) | (field.escaped ? 1 << 31 : 0))
                    spans.append(UInt32(truncatingIfNeeded: field.end - lo))
                }
                count += 1
                if field.terminator != .separator { break }
            }
            if count != columns {
                throw DataFailure(
                    "line has \(count) field\(count == 1 ? "" : "s"), the header has \(columns)", at: recordStart)
            }
            rows += 1
        }
        if !blankTail && scanner.i != hi {
            throw DataFailure("internal error: CSV chunk ended off its boundary", at: lo)
        }
        // Pass 2: copy the cells into column regions of one arena. Reading row by row keeps the
        // source sequential (tuned: column by column re-read the chunk with a stride and missed L2).
        var columnStarts = [UInt32](repeating: 0, count: columns)
        var cursors = [Int](repeating: 0, count: columns)
        var total = 0
        spans.withUnsafeBufferPointer { sp in
            cursors.withUnsafeMutableBufferPointer { size in
                var k = 0
                for _ in 0..<rows {
                    for c in 0..<columns {
                        size[c] += Int(sp[k + 1]) - Int(sp[k] & 0x7FFF_FFFF)
                        k += 2
                    }
                }
                for c in 0..<columns {
                    columnStarts[c] = UInt32(total)
                    let n = size[c]
                    size[c] = total
                    total += n
                }
            }
        }
        let arena = CellArena(capacity: total)
        var ends = [UInt32](repeating: 0, count: rows * columns)
        spans.withUnsafeBufferPointer { sp in
            ends.withUnsafeMutableBufferPointer { en in
                cursors.withUnsafeMutableBufferPointer { cursor in
                    let src = p + lo
                    let dst = arena.base
                    var k = 0
                    for r in 0..<rows {
                        for c in 0..<columns {
                            let s = sp[k], e = Int(sp[k + 1])
                            var w = cursor[c]
                            if s & (1 << 31) == 0 {
                                let s = Int(s)
                                // tuned: short cells copy inline; a memcpy call costs more than the copy
                                if e - s <= 16 {
                                    for t in s..<e { dst[w + t - s] = src[t] }
                                } else {
                                    (dst + w).update(from: src + s, count: e - s)
                                }
                                w += e - s
                            } else {
                                var t = Int(s & 0x7FFF_FFFF)
                                while t < e {
                                    let b = src[t]
                                    dst[w] = b
                                    w += 1
                                    t += b == quote ? 2 : 1
                                }
                            }
                            cursor[c] = w
                            en[c * rows + r] = UInt32(w)
                            k += 2
                        }
                    }
                }
            }
        }
        return RawChunk(rows: rows, columns: columns, arena: arena, ends: ends, columnStarts: columnStarts,
                        fileOffset: lo, origins: nil)
    }

    /// The byte offset where the cell (row, column) of `chunk` begins, found by reading its records again.
    static func locateCell(in bytes: [UInt8], chunk: RawChunk, row: Int, column: Int, separator: UInt8, quoting: Bool) -> Int {
        let classes = classTable(separator: separator, quoting: quoting)
        return bytes.withUnsafeBufferPointer { buf in
            classes.withUnsafeBufferPointer { cls in
                guard let p = buf.baseAddress, let table = cls.baseAddress else { return 0 }
                var scanner = CSVScanner(p: p, end: buf.count, sep: separator, classes: table, i: chunk.fileOffset)
                do throws(DataFailure) {
                    for _ in 0..<row {
                        while try scanner.nextField().terminator == .separator {}
                    }
                    for _ in 0..<column { _ = try scanner.nextField() }
                } catch {
                    return error.offset
                }
                return scanner.i
            }
        }
    }

    /// Chunk boundaries: about `chunkBytes` apart, each just after a line break outside quotes.
    /// Quote parity before each cut comes from a parallel count of quote bytes.
    static func planChunks(_ p: UnsafePointer<UInt8>, from lo: Int, to end: Int, quoting: Bool) -> [Int] {
        let size = end - lo
        if size <= 2 * chunkBytes { return [lo, end] }
        let pieces = size / chunkBytes
        let cuts = (0...pieces).map { $0 == pieces ? end : lo + $0 * chunkBytes }
        var quoteCounts = [Int](repeating: 0, count: pieces)
        if quoting {
            let shared = UncheckedSendable(p)
            quoteCounts.withUnsafeMutableBufferPointer { counts in
                let out = UncheckedSendable(counts)
                DispatchQueue.concurrentPerform(iterations: pieces) { j in
                    out.value[j] = countQuotes(shared.value, from: cuts[j], to: cuts[j + 1])
                }
            }
        }
        var boundaries = [lo]
        var previous = lo
        var inQuotes = false
        for j in 1..<pieces {
            inQuotes = inQuotes != (quoteCounts[j - 1] & 1 == 1)
            var q = inQuotes
            var i = cuts[j]
            while i < end {
                let b = p[i]
                if b == quote && quoting {
                    q.toggle()
                } else if !q && (b == lf || (b == cr && (i + 1 == end || p[i + 1] != lf))) {
                    break
                }
                i += 1
            }
            let boundary = i + 1
            if boundary > previous && boundary < end {
                boundaries.append(boundary)
                previous = boundary
            }
        }
        boundaries.append(end)
        return boundaries
    }

    /// Number of `"` bytes in `p[from..<to]`.
    static func countQuotes(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var n = 0
        var i = from
        let raw = UnsafeRawPointer(p)
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let quotes: UInt64 = 0x2222_2222_2222_2222
        // tuned: eight bytes at a time; a byte of `v` is zero exactly where the input has a quote
        while i + 8 <= to {
            let v = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ quotes
            let t = ~(((v & low7) &+ low7) | v | low7)
            n += t.nonzeroBitCount
            i += 8
        }
        while i < to {
            if p[i] == quote { n += 1 }
            i += 1
        }
        return n
    }
}

/// A cursor over CSV/TSV bytes that returns one field at a time.
struct CSVScanner {
    static let separatorClass: UInt8 = 1
    static let lineEndClass: UInt8 = 2
    static let quoteClass: UInt8 = 4
    static let nulClass: UInt8 = 8
    static let highClass: UInt8 = 16

    enum Terminator { case separator, lineEnd, end }

    let p: UnsafePointer<UInt8>
    let end: Int
    let sep: UInt8
    /// Byte classes (the bits above); class 0 is an ordinary byte.
    let classes: UnsafePointer<UInt8>
    var i: Int

    /// Whether only line breaks remain from `i` on.
    static func restIsBlank(_ p: UnsafePointer<UInt8>, from i: Int, end: Int) -> Bool {
        var j = i
        while j < end && (p[j] == CSVReader.lf || p[j] == CSVReader.cr) { j += 1 }
        return j == end
    }

    /// The next field's content span (inside the quotes, if quoted), whether it holds doubled
    /// quotes, and what ended it.
    @inline(__always)
    mutating func nextField() throws(DataFailure) -> (start: Int, end: Int, escaped: Bool, terminator: Terminator) {
        if i < end && classes[Int(p[i])] & CSVScanner.quoteClass != 0 { return try quotedField() }
        let s = i
        while true {
            // tuned: table-driven skip of ordinary bytes
            while i < end && classes[Int(p[i])] == 0 { i += 1 }
            if i == end { return (s, i, false, .end) }
            let b = p[i]
            let c = classes[Int(b)]
            if c & CSVScanner.separatorClass != 0 {
                i += 1
                return (s, i - 1, false, .separator)
            }
            if c & CSVScanner.lineEndClass != 0 {
                let e = i
                i += 1
                if b == CSVReader.cr && i < end && p[i] == CSVReader.lf { i += 1 }
                return (s, e, false, .lineEnd)
            }
            if c & CSVScanner.quoteClass != 0 {
                throw DataFailure("quote inside an unquoted field (quote the whole field and double the quote)", at: i)
            }
            if c & CSVScanner.nulClass != 0 { throw DataFailure("NUL byte in the data", at: i) }
            let n = UTF8Check.sequenceLength(p, i, end)
            if n == 0 { throw DataFailure("invalid UTF-8 (the file must be UTF-8 encoded)", at: i) }
            i += n
        }
    }

    /// A quoted field whose opening quote is at `i`.
    mutating func quotedField() throws(DataFailure) -> (start: Int, end: Int, escaped: Bool, terminator: Terminator) {
        let open = i
        i += 1
        let s = i
        var escaped = false
        let stop = CSVScanner.quoteClass | CSVScanner.nulClass | CSVScanner.highClass
        while true {
            while i < end && classes[Int(p[i])] & stop == 0 { i += 1 }
            if i == end { throw DataFailure("unterminated quoted field", at: open) }
            let b = p[i]
            if b == CSVReader.quote {
                if i + 1 < end && p[i + 1] == CSVReader.quote {
                    escaped = true
                    i += 2
                    continue
                }
                let e = i
                i += 1
                if i == end { return (s, e, escaped, .end) }
                let c = p[i]
                if c == sep {
                    i += 1
                    return (s, e, escaped, .separator)
                }
                if c == CSVReader.lf || c == CSVReader.cr {
                    i += 1
                    if c == CSVReader.cr && i < end && p[i] == CSVReader.lf { i += 1 }
                    return (s, e, escaped, .lineEnd)
                }
                throw DataFailure("unexpected character after closing quote", at: i)
            }
            if b == 0 { throw DataFailure("NUL byte in the data", at: i) }
            let n = UTF8Check.sequenceLength(p, i, end)
            if n == 0 { throw DataFailure("invalid UTF-8 (the file must be UTF-8 encoded)", at: i) }
            i += n
        }
    }
}

/// UTF-8 validation of one sequence at a time (the hot loops skip ASCII themselves).
enum UTF8Check {
    /// Length of the valid UTF-8 sequence at `i`, or 0 if it is invalid or cut off.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        let b0 = p[i]
        if b0 < 0x80 { return 1 }
        @inline(__always) func cont(_ k: Int) -> Bool { i + k < end && p[i + k] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0...0xEF:
            guard cont(1), cont(2) else { return 0 }
            let b1 = p[i + 1]
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }  // overlong
            if b0 == 0xED && b1 >= 0xA0 { return 0 }  // surrogate
            return 3
        case 0xF0...0xF4:
            guard cont(1), cont(2), cont(3) else { return 0 }
            let b1 = p[i + 1]
            if b0 == 0xF0 && b1 < 0x90 { return 0 }  // overlong
            if b0 == 0xF4 && b1 >= 0x90 { return 0 }  // past U+10FFFF
            return 4
        default:
            return 0
        }
    }

    /// 3 if `bytes` starts with a UTF-8 byte order mark, else 0.
    static func byteOrderMarkLength(_ bytes: [UInt8]) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }
}
