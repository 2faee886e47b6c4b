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

/// Reads JSON records into raw cells: an array of objects (`[{…}, {…}]`) or JSON Lines (one object
/// per line, blank lines allowed). The first significant character decides which.
///
/// Values: strings (all escapes, `\uXXXX` with surrogate pairs), numbers (kept as their exact text,
/// so they are typed by the same rules as CSV cells), `true`/`false`, `null` (missing), and arrays of
/// strings (stored as `;`-joined cells: the column becomes tags, and an element holding `;` is an
/// error at its place, since `;` separates tags). Columns are the union of keys in first-seen order; a key absent from a record is a missing
/// value. Nested objects, arrays of other values, duplicate keys and syntax errors are errors at
/// their line and column.
///
/// The parser never recurses: records are flat, so nesting (`[[[[…`) stops at the first level it
/// does not accept.
///
/// Large files are cut into chunks at a `{` that begins a line (a raw line break cannot be inside a
/// JSON string, so in a valid file that `{` starts a record) and the chunks are parsed in parallel,
/// each with its own key list; the lists are then merged in first-seen order.
enum JSONReader {
    enum Layout { case array, lines }

    /// Bytes per parallel chunk.
    static let chunkBytes = 1 << 20

    static func read(_ buf: UnsafeBufferPointer<UInt8>) throws(DataFailure) -> RawTable {
        guard let p = buf.baseAddress else { throw DataFailure(.noRecords, at: 0) }
        return try read(p, end: buf.count, from: UTF8Check.byteOrderMarkLength(buf))
    }

    static func read(_ p: UnsafePointer<UInt8>, end: Int, from textStart: Int) throws(DataFailure) -> RawTable {
        // Prologue: which layout, and where the records begin.
        var start = JSONParser(p: p, end: end, i: textStart)
        start.skipWhitespace()
        guard start.i < end else { throw DataFailure(.noRecords, at: textStart) }
        let layout: Layout
        switch p[start.i] {
        case UInt8(ascii: "["):
            layout = .array
            start.i += 1
            start.skipWhitespace()
            if start.i < end && p[start.i] == UInt8(ascii: "]") {
                start.i += 1
                start.skipWhitespace()
                if start.i < end { throw DataFailure(.textAfterArray, at: start.i) }
                throw DataFailure(.noRecords, at: textStart)
            }
        case UInt8(ascii: "{"):
            layout = .lines
        default:
            throw DataFailure(.notJSONRecords, at: start.i)
        }
        let boundaries = planChunks(p, from: start.i, to: end)
        let count = boundaries.count - 1
        var results = [Result<JSONParser, DataFailure>?](repeating: nil, count: count)
        let shared = UncheckedSendable(p)
        results.withUnsafeMutableBufferPointer { slots in
            let out = UncheckedSendable(slots)
            Parallel.forEach(count) { j in
                var parser = JSONParser(p: shared.value, end: end, i: boundaries[j])
                do throws(DataFailure) {
                    try parser.parseRecords(layout, upTo: boundaries[j + 1], isLast: j == count - 1)
                    out.value[j] = .success(parser)
                } catch {
                    out.value[j] = .failure(error)
                }
            }
        }
        // The first failing chunk holds the first error: the chunks before it parsed cleanly up to
        // their boundaries, so it began at a true record start.
        var parsers: [JSONParser] = []
        for result in results {
            switch result {
            case .success(let parser): parsers.append(parser)
            case .failure(let failure): throw failure
            case nil: throw DataFailure(.internalError("a chunk was not parsed"), at: start.i)
            }
        }
        return try merge(parsers, textStart: textStart)
    }

    /// One table from chunk parsers: keys in first-seen order across chunks.
    static func merge(_ parsers: [JSONParser], textStart: Int) throws(DataFailure) -> RawTable {
        if parsers.count == 1, let only = parsers.first {
            return try finish(names: only.names, chunks: only.chunks, arrayColumns: only.arrayColumns, textStart: textStart)
        }
        var names: [String] = []
        var arrayColumns: [Bool] = []
        var index: [ExactKey: Int] = [:]
        var lowered: [String: String] = [:]  // by ExactText.nameKey
        var chunks: [RawChunk] = []
        for parser in parsers {
            var globalOfLocal: [Int] = []
            for (local, name) in parser.names.enumerated() {
                if let g = index[ExactKey(name)] {
                    globalOfLocal.append(g)
                    arrayColumns[g] = arrayColumns[g] || parser.arrayColumns[local]
                    continue
                }
                if let other = lowered[ExactText.nameKey(name)] {
                    throw DataFailure(.fieldsDifferInCase(name, other), at: parser.nameOffsets[local])
                }
                index[ExactKey(name)] = names.count
                lowered[ExactText.nameKey(name)] = name
                globalOfLocal.append(names.count)
                names.append(name)
                arrayColumns.append(parser.arrayColumns[local])
            }
            for var chunk in parser.chunks {
                var map = [Int](repeating: -1, count: 0)
                for local in 0..<chunk.columns {
                    let g = globalOfLocal[local]
                    if map.count <= g { map += [Int](repeating: -1, count: g + 1 - map.count) }
                    map[g] = local
                }
                chunk.columnMap = map
                chunks.append(chunk)
            }
        }
        return try finish(names: names, chunks: chunks, arrayColumns: arrayColumns, textStart: textStart)
    }

    private static func finish(names: [String], chunks: [RawChunk], arrayColumns: [Bool], textStart: Int) throws(DataFailure) -> RawTable {
        if chunks.allSatisfy({ $0.rows == 0 }) { throw DataFailure(.noRecords, at: textStart) }
        if names.isEmpty { throw DataFailure(.noFields, at: textStart) }
        return RawTable(names: names, chunks: chunks, arrayColumns: arrayColumns, locator: .json)
    }

    /// Chunk boundaries about `chunkBytes` apart, each at a `{` that is the first non-blank byte of a line.
    static func planChunks(_ p: UnsafePointer<UInt8>, from lo: Int, to end: Int) -> [Int] {
        if end - lo <= 2 * chunkBytes { return [lo, end] }
        var boundaries = [lo]
        var cut = lo + chunkBytes
        while cut < end {
            var i = cut
            var found = -1
            while i < end {
                if p[i] == 0x0A {
                    var j = i + 1
                    while j < end, p[j] == 0x20 || p[j] == 0x09 || p[j] == 0x0D || p[j] == 0x0A { j += 1 }
                    if j < end && p[j] == UInt8(ascii: "{") {
                        found = j
                        break
                    }
                    i = j
                } else {
                    i += 1
                }
            }
            guard found > 0 else { break }
            boundaries.append(found)
            cut = found + chunkBytes
        }
        boundaries.append(end)
        return boundaries
    }
}

struct JSONParser {
    let p: UnsafePointer<UInt8>
    let end: Int
    var i: Int

    private(set) var names: [String] = []
    private(set) var arrayColumns: [Bool] = []
    private(set) var chunks: [RawChunk] = []
    /// Where each key was first seen, for messages about it.
    private(set) var nameOffsets: [Int] = []

    /// Keys seen so far, as bytes, and their columns.
    private var nameBytes: [[UInt8]] = []
    /// Names that are their own JSON text (no byte that must be escaped), so keys can be compared raw.
    private var plainName: [Bool] = []
    private var columnOfKey: [[UInt8]: Int] = [:]
    /// The column of the n-th key of the previous record: records usually repeat the key order.
    private var keyOrder: [Int] = []
    /// The column whose key last followed each column's key.
    private var successor: [Int] = []
    private var key: [UInt8] = []
    /// The record number that last set each column, to catch duplicate keys.
    private var setInRecord: [Int] = []
    private var recordNumber = 0

    /// The chunk being filled: per column, cell bytes, cell ends and value positions.
    private var cellBytes: [[UInt8]] = []
    private var cellEnds: [[UInt32]] = []
    private var cellOrigins: [[UInt32]] = []
    private var chunkOffset = 0
    private var chunkRows = 0
    /// Rows per chunk: bounds the chunk's offsets to 32 bits for any sane record size.
    static let chunkRowLimit = 16_384

    init(p: UnsafePointer<UInt8>, end: Int, i: Int) {
        self.p = p
        self.end = end
        self.i = i
    }

    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C

    // MARK: - File structure

    /// Records from `i` on, stopping at the first record boundary at or after `hi`, or at the end
    /// of the file for the last chunk (which also checks what follows the records).
    mutating func parseRecords(_ layout: JSONReader.Layout, upTo hi: Int, isLast: Bool) throws(DataFailure) {
        switch layout {
        case .array:
            while true {
                skipWhitespace()
                if !isLast && i >= hi { break }
                guard i < end && p[i] == UInt8(ascii: "{") else { throw expected(.recordInArray) }
                try parseRecord()
                if try anotherElement(before: UInt8(ascii: "]"), else: .commaOrEndOfArray) { continue }
                skipWhitespace()
                if i < end { throw DataFailure(.textAfterArray, at: i) }
                break
            }
        case .lines:
            while true {
                skipWhitespace()
                if i >= hi { break }
                guard p[i] == UInt8(ascii: "{") else { throw expected(.recordStart) }
                try parseRecord()
                while i < end && (p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0D) { i += 1 }
                if i < end && p[i] != 0x0A {
                    throw DataFailure(.lineBreakAfterRecord, at: i)
                }
            }
        }
        flushChunk()
    }

    /// `{ "key": value, … }` starting at `i`.
    mutating func parseRecord() throws(DataFailure) {
        let recordStart = i
        if chunkRows == 0 { chunkOffset = recordStart }
        guard recordStart - chunkOffset < Int(UInt32.max) / 2 else {
            throw DataFailure(.recordsTooLarge(rows: JSONParser.chunkRowLimit), at: recordStart)
        }
        recordNumber += 1
        i += 1
        skipWhitespace()
        var keyIndex = 0
        var previousColumn = -1
        if i < end && p[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipWhitespace()
                guard i < end && p[i] == JSONParser.quote else { throw expected(.fieldName) }
                let keyAt = i
                let column: Int
                if let expected = predictedKey(keyIndex, after: previousColumn) {
                    column = expected
                } else {
                    key.removeAll(keepingCapacity: true)
                    try JSONParser.parseString(p, end, &i, into: &key)
                    if key.isEmpty { throw DataFailure(.emptyFieldName, at: keyAt) }
                    column = try columnFor(keyIndex: keyIndex, at: keyAt)
                }
                keyIndex += 1
                if previousColumn >= 0 { successor[previousColumn] = column }
                previousColumn = column
                if setInRecord[column] == recordNumber {
                    throw DataFailure(.duplicateField(names[column]), at: keyAt)
                }
                setInRecord[column] = recordNumber
                skipWhitespace()
                guard i < end && p[i] == UInt8(ascii: ":") else { throw expected(.colon(field: names[column])) }
                i += 1
                skipWhitespace()
                let before = cellBytes[column].count
                cellOrigins[column].append(UInt32(truncatingIfNeeded: i - chunkOffset))
                try parseValue(column: column)
                if cellBytes[column].count - before == 0 { cellOrigins[column].removeLast() }
                if try anotherElement(before: UInt8(ascii: "}"), else: .commaOrEndOfRecord(field: names[column])) { continue }
                break
            }
        }
        // Every column gets an end for this row; a column not set here repeats its end (missing).
        for c in 0..<names.count {
            cellEnds[c].append(UInt32(truncatingIfNeeded: cellBytes[c].count))
            if cellOrigins[c].count < cellEnds[c].count { cellOrigins[c].append(UInt32(truncatingIfNeeded: recordStart - chunkOffset)) }
        }
        chunkRows += 1
        // The arena's offsets are 32-bit, so a chunk also ends before its cells pass 2 GiB.
        if chunkRows == JSONParser.chunkRowLimit || cellBytes.reduce(0, { $0 + $1.count }) > Int(Int32.max) {
            flushChunk()
        }
    }

    /// When the key at `i` is the one predicted — the key the previous record had in this place, or
    /// the key that last followed `previous` — and is written without escapes, consumes it and returns
    /// its column (tuned: records repeat their key order, often with keys left out; this compares the
    /// key in place instead of copying and hashing it).
    @inline(__always)
    private mutating func predictedKey(_ keyIndex: Int, after previous: Int) -> Int? {
        if keyIndex < keyOrder.count, matchRawKey(keyOrder[keyIndex]) { return keyOrder[keyIndex] }
        if previous >= 0, successor[previous] >= 0, matchRawKey(successor[previous]) { return successor[previous] }
        return nil
    }

    /// Whether the key at `i` is the name of `column` written plainly; if so, consumes it.
    @inline(__always)
    private mutating func matchRawKey(_ column: Int) -> Bool {
        guard plainName[column] else { return false }
        let matched = nameBytes[column].withUnsafeBufferPointer { name -> Bool in
            let n = name.count
            let s = i + 1
            // The name holds no backslash, quote or control byte, so equal raw bytes hold no escape.
            guard s + n < end, p[s + n] == JSONParser.quote, let base = name.baseAddress else { return false }
            return memcmp(p + s, base, n) == 0
        }
        if matched { i += nameBytes[column].count + 2 }
        return matched
    }

    /// The column of `key`, the `keyIndex`-th key of the record; a new key adds a column.
    private mutating func columnFor(keyIndex: Int, at keyAt: Int) throws(DataFailure) -> Int {
        if keyIndex < keyOrder.count, nameBytes[keyOrder[keyIndex]] == key { return keyOrder[keyIndex] }
        let column: Int
        if let known = columnOfKey[key] {
            column = known
        } else {
            let name = String(decoding: key, as: UTF8.self)
            // Column names are looked up ignoring case, so two keys may not differ only in case.
            if let other = names.first(where: { ExactText.sameName($0, name) }) {
                throw DataFailure(.fieldsDifferInCase(name, other), at: keyAt)
            }
            column = names.count
            names.append(name)
            nameOffsets.append(keyAt)
            nameBytes.append(key)
            successor.append(-1)
            plainName.append(!key.contains { $0 < 0x20 || $0 == JSONParser.quote || $0 == JSONParser.backslash })
            columnOfKey[key] = column
            arrayColumns.append(false)
            setInRecord.append(0)
            // Rows already in this chunk lack the new column.
            var buffer: [UInt8] = []
            // Cells take roughly the chunk's bytes shared among its keys; reserving avoids regrowth.
            buffer.reserveCapacity(min(JSONReader.chunkBytes, (end - i) / 2) / max(8, names.count * 2))
            cellBytes.append(buffer)
            cellEnds.append([UInt32](repeating: 0, count: chunkRows))
            cellOrigins.append([UInt32](repeating: 0, count: chunkRows))
        }
        if keyIndex < keyOrder.count {
            keyOrder[keyIndex] = column
        } else {
            keyOrder.append(column)
        }
        return column
    }

    private mutating func flushChunk() {
        guard chunkRows > 0 else { return }
        let columns = names.count
        let total = cellBytes.reduce(0) { $0 + $1.count }
        let arena = CellArena(capacity: total)
        var ends = [UInt32](repeating: 0, count: chunkRows * columns)
        var origins = [UInt32](repeating: 0, count: chunkRows * columns)
        var columnStarts = [UInt32](repeating: 0, count: columns)
        var w = 0
        for c in 0..<columns {
            columnStarts[c] = UInt32(w)
            cellBytes[c].withUnsafeBufferPointer { b in
                if let base = b.baseAddress { (arena.base + w).initialize(from: base, count: b.count) }
            }
            for r in 0..<chunkRows {
                ends[c * chunkRows + r] = UInt32(w) + cellEnds[c][r]
                origins[c * chunkRows + r] = cellOrigins[c][r]
            }
            w += cellBytes[c].count
            cellBytes[c].removeAll(keepingCapacity: true)
            cellEnds[c].removeAll(keepingCapacity: true)
            cellOrigins[c].removeAll(keepingCapacity: true)
        }
        chunks.append(RawChunk(rows: chunkRows, columns: columns, arena: arena, ends: ends, columnStarts: columnStarts,
                               fileOffset: chunkOffset, origins: origins))
        chunkRows = 0
    }

    // MARK: - Values

    /// A value appended to its column's cell bytes; `null` and `[]` append nothing (missing).
    mutating func parseValue(column: Int) throws(DataFailure) {
        guard i < end else { throw expected(.value(field: names[column])) }
        let s = i
        switch p[i] {
        case JSONParser.quote:
            try JSONParser.parseString(p, end, &i, into: &cellBytes[column])
            return
        case UInt8(ascii: "t"):
            if matchLiteral("true") {
                cellBytes[column].append(contentsOf: UnsafeBufferPointer(start: p + s, count: i - s))
                return
            }
        case UInt8(ascii: "f"):
            if matchLiteral("false") {
                cellBytes[column].append(contentsOf: UnsafeBufferPointer(start: p + s, count: i - s))
                return
            }
        case UInt8(ascii: "n"):
            if matchLiteral("null") { return }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try parseNumber(column: column)
            cellBytes[column].append(contentsOf: UnsafeBufferPointer(start: p + s, count: i - s))
            return
        case UInt8(ascii: "["):
            try parseStringArray(column: column)
            return
        case UInt8(ascii: "{"):
            throw DataFailure(.nestedObject(field: names[column]), at: i)
        default:
            break
        }
        throw DataFailure(.jsonExpected(.value(field: names[column]), atEnd: false), at: s)
    }

    private mutating func matchLiteral(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard end - i >= n else { return false }
        let w = word.utf8Start
        for k in 0..<n where p[i + k] != w[k] { return false }
        // The literal must not run on into more letters (`truex`).
        if i + n < end, (p[i + n] | 0x20) >= UInt8(ascii: "a"), (p[i + n] | 0x20) <= UInt8(ascii: "z") { return false }
        i += n
        return true
    }

    /// A number by the JSON grammar, kept as its text.
    private mutating func parseNumber(column: Int) throws(DataFailure) {
        let s = i
        var bad: DataFailure { DataFailure(.invalidNumber(field: names[column]), at: s) }
        @inline(__always) func isDigit(_ k: Int) -> Bool { k < end && p[k] &- 0x30 < 10 }
        if p[i] == UInt8(ascii: "-") { i += 1 }
        if i < end && p[i] == UInt8(ascii: "0") {
            i += 1
        } else if isDigit(i) {
            while isDigit(i) { i += 1 }
        } else {
            throw bad
        }
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { throw bad }
            while isDigit(i) { i += 1 }
        }
        if i < end && (p[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            if i < end && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            guard isDigit(i) else { throw bad }
            while isDigit(i) { i += 1 }
        }
    }

    /// `["a", "b"]` stored as the cell `a;b`.
    private mutating func parseStringArray(column: Int) throws(DataFailure) {
        let name = names[column]
        arrayColumns[column] = true
        i += 1
        skipWhitespace()
        if i < end && p[i] == UInt8(ascii: "]") {
            i += 1
            return
        }
        var first = true
        while true {
            skipWhitespace()
            guard i < end else { throw expected(.stringInArray(field: name)) }
            guard p[i] == JSONParser.quote else {
                throw DataFailure(.arrayOfStringsOnly(field: name), at: i)
            }
            if !first { cellBytes[column].append(UInt8(ascii: ";")) }
            let elementAt = i
            let elementStart = cellBytes[column].count
            try JSONParser.parseString(p, end, &i, into: &cellBytes[column])
            // `["a;b"]` silently became the two tags a and b: `;` is what separates tags.
            if cellBytes[column][elementStart...].contains(UInt8(ascii: ";")) {
                throw DataFailure(.semicolonInTag(field: name), at: elementAt)
            }
            first = false
            if try anotherElement(before: UInt8(ascii: "]"), else: .commaOrEndOfTagArray(field: name)) { continue }
            break
        }
    }

    /// The string whose opening quote is at `i`, unescaped and appended to `out`.
    /// Static, so that `out` may be one of the parser's own buffers.
    static func parseString(_ p: UnsafePointer<UInt8>, _ end: Int, _ i: inout Int, into out: inout [UInt8]) throws(DataFailure) {
        let open = i
        i += 1
        while true {
            // tuned: copy runs of plain ASCII at once
            let run = i
            while i < end, case let b = p[i], b >= 0x20, b < 0x80, b != JSONParser.quote, b != JSONParser.backslash { i += 1 }
            if i > run { out.append(contentsOf: UnsafeBufferPointer(start: p + run, count: i - run)) }
            guard i < end else { throw DataFailure(.unterminatedString, at: open) }
            let b = p[i]
            if b == JSONParser.quote {
                i += 1
                return
            }
            if b == JSONParser.backslash {
                guard i + 1 < end else { throw DataFailure(.unterminatedString, at: open) }
                let escapeAt = i
                let c = p[i + 1]
                i += 2
                switch c {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4(p, end, &i, at: escapeAt)
                    if scalar >= 0xD800 && scalar <= 0xDBFF {
                        guard i + 1 < end, p[i] == JSONParser.backslash, p[i + 1] == UInt8(ascii: "u") else {
                            throw DataFailure(.unpairedSurrogate, at: escapeAt)
                        }
                        i += 2
                        let low = try hex4(p, end, &i, at: escapeAt)
                        guard low >= 0xDC00 && low <= 0xDFFF else {
                            throw DataFailure(.unpairedSurrogate, at: escapeAt)
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                        throw DataFailure(.unpairedSurrogate, at: escapeAt)
                    }
                    if scalar == 0 { throw DataFailure(.nulInString, at: escapeAt) }
                    appendUTF8(scalar, to: &out)
                default:
                    throw DataFailure(.invalidEscape, at: escapeAt)
                }
                continue
            }
            if b < 0x20 { throw DataFailure(.controlCharacterInString, at: i) }
            let n = UTF8Check.sequenceLength(p, i, end)
            if n == 0 { throw DataFailure(.invalidUTF8, at: i) }
            out.append(contentsOf: UnsafeBufferPointer(start: p + i, count: n))
            i += n
        }
    }

    /// Four hex digits at `i`, consumed.
    private static func hex4(_ p: UnsafePointer<UInt8>, _ end: Int, _ i: inout Int, at escapeAt: Int) throws(DataFailure) -> UInt32 {
        guard end - i >= 4 else { throw DataFailure(.invalidUnicodeEscape, at: escapeAt) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = p[i + k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 0x41 + 10)
            default: throw DataFailure(.invalidUnicodeEscape, at: escapeAt)
            }
            v = v << 4 | d
        }
        i += 4
        return v
    }

    private static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | (scalar >> 12) & 0x3F))
            out.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: - Helpers

    @inline(__always)
    mutating func skipWhitespace() {
        while i < end, case let b = p[i], b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 }
    }

    /// After an element of an array or record: true past a `,` (another element follows), false
    /// past `close` (the last one); anything else is the error `what`.
    @inline(__always)
    mutating func anotherElement(before close: UInt8, else what: JSONExpectation) throws(DataFailure) -> Bool {
        skipWhitespace()
        if i < end && p[i] == UInt8(ascii: ",") {
            i += 1
            return true
        }
        if i < end && p[i] == close {
            i += 1
            return false
        }
        throw expected(what)
    }

    /// "expected …", or "unexpected end of input (expected …)" at the end.
    func expected(_ what: JSONExpectation) -> DataFailure {
        DataFailure(.jsonExpected(what, atEnd: i >= end), at: i)
    }
}
