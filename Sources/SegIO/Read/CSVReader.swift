import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SegBase
import SegStore

/// Reads CSV (RFC 4180) and TSV files into raw cells.
///
/// CSV: a header row is required; fields are separated by `,`; a field may be quoted with `"`, and
/// then holds commas, line breaks and doubled quotes (`""`). Lines end with LF, CRLF or a lone CR.
/// A UTF-8 byte order mark is skipped; the last line may lack its line break; blank lines at the end
/// are ignored. Everything else that is not RFC 4180 is an error at its line and column: a quote
/// inside an unquoted field, text after a closing quote, an unterminated quoted field (reported at
/// its opening quote), a line with more or fewer fields than the header (reported at the start of
/// the record), invalid UTF-8, a NUL byte. (An empty header name becomes `column3`, a repeated one
/// gets `_2`, and seg says so: see `readHeader`.)
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

    /// `wanted`, when given, holds the lowercased names of the columns to keep (see
    /// `ColumnDemand.wants`); the cells of the others are checked but not copied.
    /// `skip`: lines of title above the header; nil finds them (a first record with one value
    /// above one with several is a title, up to `maxTitleRows`).
    static func read(_ buf: UnsafeBufferPointer<UInt8>, separator: UInt8, quoting: Bool, wanted: Set<String>? = nil,
                     skip: Int? = 0) throws(DataFailure) -> RawTable {
        var notes: [DataMessage] = []
        let textStart = UTF8Check.byteOrderMarkLength(buf)
        let classes = classTable(separator: separator, quoting: quoting)
        let parsed: Result<(names: [String], kept: [Int], chunks: [RawChunk]), DataFailure> =
            classes.withUnsafeBufferPointer { cls in
                guard let p = buf.baseAddress, let table = cls.baseAddress,
                      !CSVScanner.restIsBlank(p, from: textStart, end: buf.count) else {
                    return .failure(DataFailure(.noHeader, at: textStart))
                }
                let end = buf.count
                do throws(DataFailure) {
                    var scanner = CSVScanner(p: p, end: end, sep: separator, classes: table, i: textStart)
                    try skipTitles(&scanner, count: skip, notes: &notes)
                    let names = try readHeader(&scanner, notes: &notes)
                    let kept = names.indices.filter { ColumnSelection.wants(names[$0], index: $0, in: wanted) }
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
                                out.value[j] = .success(try parseChunk(scanner, upTo: boundaries[j + 1], columns: names.count, kept: kept))
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
                        case nil: return .failure(DataFailure(.internalError("a chunk was not parsed"), at: dataStart))
                        }
                    }
                    return .success((names, kept, chunks))
                } catch {
                    return .failure(error)
                }
            }
        switch parsed {
        case .failure(let failure):
            throw failure
        case .success(let (names, kept, chunks)):
            var loaded = [Bool](repeating: false, count: names.count)
            for c in kept { loaded[c] = true }
            var raw = RawTable(names: names, chunks: chunks, arrayColumns: Array(repeating: false, count: names.count),
                               locator: .delimited(separator: separator, quoting: quoting), loaded: loaded)
            raw.notes = notes
            return raw
        }
    }

    /// The most title rows found above a header.
    static let maxTitleRows = 5

    /// The fields of one record, trimmed of spaces and tabs.
    static func readRecord(_ scanner: inout CSVScanner) throws(DataFailure) -> [String] {
        var fields: [String] = []
        while true {
            let field = try scanner.nextField()
            var raw = [UInt8](UnsafeBufferPointer(start: scanner.p + field.start, count: field.end - field.start))
            if field.escaped { raw = unescaped(raw) }
            fields.append(String(decoding: raw, as: UTF8.self).trimmingSpaces)
            if field.terminator != .separator { break }
        }
        return fields
    }

    /// Skips `count` records of title above the header, or with nil finds them: a record with one
    /// value (a report's title, `客户资产明细表`) above a record with three or more. Each is said in `notes`.
    static func skipTitles(_ scanner: inout CSVScanner, count: Int?, notes: inout [DataMessage]) throws(DataFailure) {
        var line = 1
        if let count {
            for _ in 0..<max(0, count) where scanner.i < scanner.end {
                let before = scanner.i
                _ = try readRecord(&scanner)
                line += lineBreaks(scanner.p, from: before, to: scanner.i)
            }
            return
        }
        // Records of one value (at most `maxTitleRows`), then one of three names at least (`id,`
        // above `1,2` is a header with an unnamed column, not a title).
        var peek = scanner
        var titles: [(text: String, end: Int)] = []
        var header = false
        while !header, peek.i < peek.end {
            guard let record = try? readRecord(&peek) else { return }
            let values = record.filter { !$0.isEmpty }
            if values.count >= 3 {
                header = true
            } else {
                guard values.count == 1, titles.count < maxTitleRows else { return }
                titles.append((ValueProfile.shortened(values[0]), peek.i))
            }
        }
        guard header, !titles.isEmpty else { return }
        for title in titles {
            notes.append(.titleRowSkipped(line: line, text: title.text))
            line += lineBreaks(scanner.p, from: scanner.i, to: title.end)
            scanner.i = title.end
        }
    }

    /// Line ends between two offsets (CRLF counts once).
    static func lineBreaks(_ p: UnsafePointer<UInt8>, from a: Int, to b: Int) -> Int {
        var n = 0, i = a
        while i < b {
            if p[i] == lf || (p[i] == cr && (i + 1 >= b || p[i + 1] != lf)) { n += 1 }
            i += 1
        }
        return n
    }

    /// Column names from the header record, trimmed. An empty name becomes `column3` (R and pandas
    /// write the row names' column without one) and a repeated name gets `_2`, `_3` (names are
    /// compared ignoring case); each is said in `notes`.
    static func readHeader(_ scanner: inout CSVScanner, notes: inout [DataMessage]) throws(DataFailure) -> [String] {
        let fields = try readRecord(&scanner)
        var names: [String] = []
        var seen = Set<String>()
        for field in fields {
            seen.insert(ExactText.nameKey(field))
        }
        var taken = Set<String>()
        for (k, field) in fields.enumerated() {
            let number = k + 1
            var name = field
            if name.isEmpty {
                name = "column\(number)"
                var extra = 2
                while seen.contains(ExactText.nameKey(name)) || taken.contains(ExactText.nameKey(name)) {
                    name = "column\(number)_\(extra)"
                    extra += 1
                }
                notes.append(.unnamedColumn(column: number, name: name))
            } else if taken.contains(ExactText.nameKey(name)) {
                var extra = 2
                while taken.contains(ExactText.nameKey("\(field)_\(extra)")) || seen.contains(ExactText.nameKey("\(field)_\(extra)")) {
                    extra += 1
                }
                name = "\(field)_\(extra)"
                notes.append(.renamedDuplicate(field, column: number, name: name))
            }
            taken.insert(ExactText.nameKey(name))
            names.append(name)
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
    /// the cells of the `kept` columns into a column-ordered arena.
    static func parseChunk(_ start: CSVScanner, upTo hi: Int, columns: Int, kept: [Int]) throws(DataFailure) -> RawChunk {
        var scanner = start
        let lo = scanner.i
        let p = scanner.p
        guard hi - lo < Int(Int32.max) else {
            throw DataFailure(.recordTooLarge, at: lo)
        }
        // Pass 1: row-major spans relative to `lo`; bit 31 of a start marks a cell with doubled quotes.
        // tuned: a raw growable buffer (Array.append's checks cost more than the scan) and the column
        // sizes summed here rather than in a second walk over the spans
        var capacity = max(64, (hi - lo) / 4 + 2 * columns)
        var spans = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        defer { spans.deallocate() }
        var count = 0
        let sizes = UnsafeMutablePointer<Int>.allocate(capacity: max(1, columns))
        sizes.initialize(repeating: 0, count: max(1, columns))
        defer { sizes.deallocate() }
        var blankTail = false
        var rows = 0
        while scanner.i < hi {
            let recordStart = scanner.i
            let c = p[recordStart]
            if (c == lf || c == cr) && CSVScanner.restIsBlank(p, from: recordStart, end: scanner.end) {
                blankTail = true
                break
            }
            if count + 2 * columns > capacity {
                let grown = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity * 2)
                grown.moveInitialize(from: spans, count: count)
                spans.deallocate()
                spans = grown
                capacity *= 2
            }
            var fields = 0
            while true {
                let field = try scanner.nextField()
                if fields < columns {
                    spans[count] = UInt32(truncatingIfNeeded: field.start - lo) | (field.escaped ? 1 << 31 : 0)
                    spans[count + 1] = UInt32(truncatingIfNeeded: field.end - lo)
                    sizes[fields] += field.end - field.start
                    count += 2
                }
                fields += 1
                if field.terminator != .separator { break }
            }
            if fields != columns {
                throw DataFailure(.fieldCount(found: fields, header: columns), at: recordStart)
            }
            rows += 1
        }
        if !blankTail && scanner.i != hi {
            throw DataFailure(.internalError("CSV chunk ended off its boundary"), at: lo)
        }
        // Pass 2: copy the cells into column regions of one arena. Reading row by row keeps the
        // source sequential (tuned: column by column re-read the chunk with a stride and missed L2).
        // Each region has `pad` spare bytes after it, so short cells can be copied as whole words.
        let pad = 32
        var columnStarts = [UInt32](repeating: 0, count: columns)
        var cursors = [Int](repeating: 0, count: columns)
        var total = 0
        for c in kept {
            columnStarts[c] = UInt32(truncatingIfNeeded: total)
            cursors[c] = total
            total += sizes[c] + pad
        }
        guard total < Int(UInt32.max) else {
            throw DataFailure(.recordTooLarge, at: lo)
        }
        let arena = CellArena(capacity: total)
        var ends = [UInt32](repeating: 0, count: rows * columns)
        let srcLimit = scanner.end - lo
        ends.withUnsafeMutableBufferPointer { en in
            cursors.withUnsafeMutableBufferPointer { cursor in
                let src = p + lo
                let dst = arena.base
                let rawSrc = UnsafeRawPointer(src)
                let rawDst = UnsafeMutableRawPointer(dst)
                for r in 0..<rows {
                    let rowSpans = r * 2 * columns
                    for c in kept {
                        let k = rowSpans + 2 * c
                        let s = spans[k], e = Int(spans[k + 1])
                        var w = cursor[c]
                        if s & (1 << 31) == 0 {
                            let s = Int(s)
                            let n = e - s
                            // tuned: short cells copy as whole words into the region's slack (the
                            // bytes past the cell are overwritten by the next cell); memcpy's call costs more
                            if n <= 16 && s + 16 <= srcLimit {
                                rawDst.storeBytes(of: rawSrc.loadUnaligned(fromByteOffset: s, as: UInt64.self),
                                                  toByteOffset: w, as: UInt64.self)
                                rawDst.storeBytes(of: rawSrc.loadUnaligned(fromByteOffset: s + 8, as: UInt64.self),
                                                  toByteOffset: w + 8, as: UInt64.self)
                            } else if n <= 32 && s + 32 <= srcLimit {
                                for q in stride(from: 0, to: 32, by: 8) {
                                    rawDst.storeBytes(of: rawSrc.loadUnaligned(fromByteOffset: s + q, as: UInt64.self),
                                                      toByteOffset: w + q, as: UInt64.self)
                                }
                            } else {
                                (dst + w).update(from: src + s, count: n)
                            }
                            w += n
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
                        en[c * rows + r] = UInt32(truncatingIfNeeded: w)
                    }
                }
            }
        }
        return RawChunk(rows: rows, columns: columns, arena: arena, ends: ends, columnStarts: columnStarts,
                        fileOffset: lo, origins: nil)
    }

    /// The byte offset where the cell (row, column) of `chunk` begins, found by reading its records again.
    static func locateCell(in buf: UnsafeBufferPointer<UInt8>, chunk: RawChunk, row: Int, column: Int, separator: UInt8, quoting: Bool) -> Int {
        let classes = classTable(separator: separator, quoting: quoting)
        return classes.withUnsafeBufferPointer { cls in
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
            // A cut inside the record the previous scan ended in has the same boundary: scanning
            // again from each cut made one long field (no line break for 256 MB) cost
            // pieces × its length, quadratic. Every byte is now scanned at most once.
            if cuts[j] < previous { continue }
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
            // No line break after this cut: none after the later cuts either.
            if i >= end { break }
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
        // tuned: most books hold no quote at all, and memchr skips a quote-free piece at memory speed
        guard to > from, let first = memchr(p + from, Int32(quote), to - from) else { return 0 }
        var i = from + (UnsafeRawPointer(first) - UnsafeRawPointer(p + from))
        var n = 0
        let raw = UnsafeRawPointer(p)
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let quotes: UInt64 = 0x2222_2222_2222_2222
        // tuned: eight bytes at a time; a byte of `v` is zero exactly where the input has a quote, and
        // the flags are summed with one multiply (popcount is not in the baseline x86-64 instruction set)
        while i + 8 <= to {
            let v = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ quotes
            let t = ~(((v & low7) &+ low7) | v | low7)
            n += Int(truncatingIfNeeded: ((t >> 7) &* 0x0101_0101_0101_0101) >> 56)
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
    /// `t` in every byte, where every special byte of an unquoted field (separator, quote, CR, LF,
    /// NUL) is below `t`: a word with no byte below it and no high bit holds only ordinary bytes.
    let unquotedLimit: UInt64
    /// The same for quoted fields, where only quote and NUL are special.
    let quotedLimit: UInt64

    init(p: UnsafePointer<UInt8>, end: Int, sep: UInt8, classes: UnsafePointer<UInt8>, i: Int) {
        self.p = p
        self.end = end
        self.sep = sep
        self.classes = classes
        self.i = i
        let quoting = classes[Int(CSVReader.quote)] & CSVScanner.quoteClass != 0
        let top = max(sep, CSVReader.cr, quoting ? CSVReader.quote : 0)
        // A limit of 0x80 makes every byte a candidate: still correct, only slower.
        unquotedLimit = UInt64(min(0x80, Int(top) + 1)) &* 0x0101_0101_0101_0101
        quotedLimit = UInt64(CSVReader.quote + 1) &* 0x0101_0101_0101_0101
    }

    /// Whether only line breaks remain from `i` on.
    static func restIsBlank(_ p: UnsafePointer<UInt8>, from i: Int, end: Int) -> Bool {
        var j = i
        while j < end && (p[j] == CSVReader.lf || p[j] == CSVReader.cr) { j += 1 }
        return j == end
    }

    /// Moves `i` to the first byte at or after it that is below `limit`'s byte or has its high bit
    /// set, and returns true; or returns false with `i` somewhere in the last 7 bytes.
    @inline(__always)
    mutating func skipWords(_ limit: UInt64) -> Bool {
        let raw = UnsafeRawPointer(p)
        // tuned: eight bytes per step instead of a table lookup per byte. A borrow in `w - limit`
        // can only flag bytes after the first byte below the limit, so the lowest flag is exact.
        while i + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let m = ((w &- limit) | w) & 0x8080_8080_8080_8080
            if m != 0 {
                i += m.trailingZeroBitCount >> 3
                return true
            }
            i += 8
        }
        return false
    }

    /// Steps over the valid UTF-8 sequence at `i` (a byte ≥ 0x80), or returns false if it is invalid.
    @inline(__always)
    mutating func skipSequence() -> Bool {
        // tuned: the common three-byte sequence (CJK text) checked with one load
        if i + 4 <= end {
            let w = UnsafeRawPointer(p).loadUnaligned(fromByteOffset: i, as: UInt32.self)
            let b0 = w & 0xFF
            if w & 0x00C0_C0F0 == 0x0080_80E0 && b0 != 0xE0 && b0 != 0xED {
                i += 3
                return true
            }
        }
        let n = UTF8Check.sequenceLength(p, i, end)
        i += n
        return n != 0
    }

    /// The next field's content span (inside the quotes, if quoted), whether it holds doubled
    /// quotes, and what ended it.
    @inline(__always)
    mutating func nextField() throws(DataFailure) -> (start: Int, end: Int, escaped: Bool, terminator: Terminator) {
        // tuned: the common field (unquoted, ordinary ASCII or CJK text, ended by the separator or
        // LF) is found inline; anything else is left to the full scan, from the field's start.
        let s = i
        var j = i
        let raw = UnsafeRawPointer(p)
        while j + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)
            let m = ((w &- unquotedLimit) | w) & 0x8080_8080_8080_8080
            if m == 0 {
                j += 8
                continue
            }
            j += m.trailingZeroBitCount >> 3
            let b = p[j]
            if b == sep {
                i = j + 1
                return (s, j, false, .separator)
            }
            if b == CSVReader.lf {
                i = j + 1
                return (s, j, false, .lineEnd)
            }
            if b >= 0x80 && j + 4 <= end {
                let v = raw.loadUnaligned(fromByteOffset: j, as: UInt32.self)
                let b0 = v & 0xFF
                if v & 0x00C0_C0F0 == 0x0080_80E0 && b0 != 0xE0 && b0 != 0xED {
                    j += 3
                    continue
                }
            }
            break
        }
        return try fullField()
    }

    /// `nextField` for any field: quoted, at the end of the input, or with bytes that need a closer look.
    @inline(never)
    mutating func fullField() throws(DataFailure) -> (start: Int, end: Int, escaped: Bool, terminator: Terminator) {
        if i < end && classes[Int(p[i])] & CSVScanner.quoteClass != 0 { return try quotedField() }
        let s = i
        while true {
            if !skipWords(unquotedLimit) {
                while i < end && classes[Int(p[i])] == 0 { i += 1 }
                if i == end { return (s, i, false, .end) }
            }
            let b = p[i]
            let c = classes[Int(b)]
            if c == 0 {
                i += 1
                continue
            }
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
                throw DataFailure(.quoteInUnquotedField, at: i)
            }
            if c & CSVScanner.nulClass != 0 { throw DataFailure(.nulByte, at: i) }
            let at = i
            if !skipSequence() { throw DataFailure(.invalidUTF8, at: at) }
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
            if !skipWords(quotedLimit) {
                while i < end && classes[Int(p[i])] & stop == 0 { i += 1 }
                if i == end { throw DataFailure(.unterminatedQuotedField, at: open) }
            }
            let b = p[i]
            if classes[Int(b)] & stop == 0 {
                i += 1
                continue
            }
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
                throw DataFailure(.textAfterClosingQuote, at: i)
            }
            if b == 0 { throw DataFailure(.nulByte, at: i) }
            let at = i
            if !skipSequence() { throw DataFailure(.invalidUTF8, at: at) }
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
    static func byteOrderMarkLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }
}
