#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SegBase
import SegStore

// MARK: - Raw fields (what the readers produce)

/// A malformed file, at a byte offset of the input; the loader turns it into `file:line:column`.
struct DataFailure: Error, Sendable {
    var message: DataMessage
    var offset: Int

    init(_ message: DataMessage, at offset: Int) {
        self.message = message
        self.offset = offset
    }
}

/// A value that does not convert to its column's type, at a row; the loader finds its place in the file.
struct CellFailure: Error, Sendable {
    var message: DataMessage
    var row: Int
}

/// Bytes that do not move for the arena's lifetime, so interned cells can be referred to by pointer.
/// Written once by the reader that creates it, then only read.
final class CellArena: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: max(1, capacity))
    }

    deinit { base.deallocate() }
}

/// The cells of a run of rows, copied out of the file column after column (so that typing a column
/// reads memory in order), with quoting and escapes already removed.
struct RawChunk: Sendable {
    var rows: Int
    /// Columns recorded here; later columns (JSON keys first seen further on) are missing in these rows.
    var columns: Int
    var arena: CellArena
    /// Column-major end offsets in the arena: cell (row, col) ends at `ends[col * rows + row]` and
    /// starts where the column's previous cell ends, or at `columnStarts[col]`. Empty is missing.
    var ends: [UInt32]
    var columnStarts: [UInt32]
    /// Where the chunk's first row begins in the file.
    var fileOffset: Int
    /// JSON: each cell's value position, relative to `fileOffset`, column-major. CSV leaves it nil:
    /// a cell's position is found by reading the chunk's records again.
    var origins: [UInt32]?
    /// JSON chunks parsed in parallel number their columns in their own first-seen order: this maps
    /// the table's column to the chunk's (-1: absent). Nil: the same numbering.
    var columnMap: [Int]? = nil

    /// The chunk's own index of the table's column `column`, if the chunk has it.
    @inline(__always)
    func localColumn(_ column: Int) -> Int? {
        if let columnMap {
            guard column < columnMap.count, columnMap[column] >= 0 else { return nil }
            return columnMap[column]
        }
        return column < columns ? column : nil
    }
}

/// How to find a cell's position in the file again.
enum CellLocator: Sendable {
    case delimited(separator: UInt8, quoting: Bool)
    case json
}

/// A parsed file before typing: column names and every cell's bytes.
struct RawTable: Sendable {
    var names: [String]
    var chunks: [RawChunk]
    /// Columns that held JSON arrays (stored as `;`-joined cells): they become tags.
    var arrayColumns: [Bool]
    var locator: CellLocator
    /// Which columns were read (a one-shot run reads only the columns its statements name).
    var loaded: [Bool]
    /// What the reader did that the user should know (titles skipped, columns named).
    var notes: [DataMessage] = []

    init(names: [String], chunks: [RawChunk], arrayColumns: [Bool], locator: CellLocator, loaded: [Bool]? = nil) {
        self.names = names
        self.chunks = chunks
        self.arrayColumns = arrayColumns
        self.locator = locator
        self.loaded = loaded ?? Array(repeating: true, count: names.count)
    }

    var rowCount: Int { chunks.reduce(0) { $0 + $1.rows } }

    /// The text of the last row's first cell that says it is a total (`合计`, `总计`, `合计：`), if any.
    func totalRowMark() -> String? {
        guard let chunk = chunks.last(where: { $0.rows > 0 }) else { return nil }
        let r = chunk.rows - 1
        for c in 0..<names.count where loaded[c] {
            guard let local = chunk.localColumn(c) else { continue }
            let e = Int(chunk.ends[local * chunk.rows + r])
            let s = r == 0 ? Int(chunk.columnStarts[local]) : Int(chunk.ends[local * chunk.rows + r - 1])
            let text = String(decoding: UnsafeBufferPointer(start: chunk.arena.base + s, count: e - s), as: UTF8.self).trimmingSpaces
            if text.hasPrefix("合计") || text.hasPrefix("总计") { return ValueProfile.shortened(text) }
        }
        return nil
    }

    /// The same table without its last row.
    func droppingLastRow() -> RawTable {
        var copy = self
        guard let k = chunks.lastIndex(where: { $0.rows > 0 }) else { return self }
        var chunk = chunks[k]
        let rows = chunk.rows
        var ends: [UInt32] = []
        ends.reserveCapacity(chunk.columns * (rows - 1))
        for c in 0..<chunk.columns { ends.append(contentsOf: chunk.ends[(c * rows)..<(c * rows + rows - 1)]) }
        chunk.ends = ends
        if let origins = chunk.origins {
            var kept: [UInt32] = []
            for c in 0..<chunk.columns { kept.append(contentsOf: origins[(c * rows)..<(c * rows + rows - 1)]) }
            chunk.origins = kept
        }
        chunk.rows = rows - 1
        copy.chunks[k] = chunk
        return copy
    }

    /// Bytes held by a column's cells, summed over the chunks (a measure of the work to type it).
    func cellBytes(column: Int) -> Int {
        chunks.reduce(0) { total, chunk in
            guard let local = chunk.localColumn(column), chunk.rows > 0 else { return total }
            return total + Int(chunk.ends[local * chunk.rows + chunk.rows - 1]) - Int(chunk.columnStarts[local])
        }
    }

    /// The same table reading only the `wanted` columns; nil keeps all.
    func keeping(_ wanted: Set<String>?) -> RawTable {
        guard wanted != nil else { return self }
        var copy = self
        copy.loaded = names.indices.map { ColumnSelection.wants(names[$0], index: $0, in: wanted) }
        return copy
    }
}

/// The cells of one column, read chunk by chunk.
struct ColumnCells {
    let chunks: [RawChunk]
    let column: Int
    let rowCount: Int
    /// Which cells stand for no value.
    var missing: MissingValues = .standard

    @inline(__always)
    func isMissing(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool { missing.isMissing(p, n) }

    /// Calls `body(row, bytes, count)` for every cell in row order until it returns false.
    @inline(__always)
    func forEach(_ body: (_ row: Int, _ p: UnsafePointer<UInt8>, _ count: Int) -> Bool) {
        var row = 0
        for chunk in chunks {
            let base = UnsafePointer(chunk.arena.base)
            if let local = chunk.localColumn(column) {
                let stop: Bool = chunk.ends.withUnsafeBufferPointer { ends in
                    let off = local * chunk.rows
                    var s = Int(chunk.columnStarts[local])
                    for r in 0..<chunk.rows {
                        let e = Int(ends[off + r])
                        if !body(row + r, base + s, e - s) { return true }
                        s = e
                    }
                    return false
                }
                if stop { return }
            } else {
                for r in 0..<chunk.rows where !body(row + r, base, 0) { return }
            }
            row += chunk.rows
        }
    }
}

// MARK: - Byte-string interning

/// An open-addressing hash set of byte strings held in memory that outlives it (cell arenas); each
/// distinct string gets a code in first-seen order. Used for categories and tag vocabularies without
/// making a `String` per cell.
struct ByteInterner {
    private(set) var pointers: [UnsafePointer<UInt8>] = []
    private(set) var lengths: [Int] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { pointers.count }

    /// A fast non-cryptographic hash, eight bytes at a time (tuned: this runs once per cell).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        // tuned: the tail in at most two loads that stay inside the cell (they may overlap bytes
        // already hashed; the hash is still a function of the bytes and the length)
        var tail: UInt64 = 0
        let rest = n - i
        if rest > 0 {
            if n >= 8 {
                tail = raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            } else if rest >= 4 {
                tail = UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
                    | UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
            } else {
                tail = UInt64(p[0]) | UInt64(p[rest >> 1]) << 8 | UInt64(p[rest - 1]) << 16
            }
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        // tuned: short cells compare as (overlapping) words; memcmp's call costs more than the compare
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        if n >= 8 && n <= 16 {
            return ra.loadUnaligned(as: UInt64.self) == rb.loadUnaligned(as: UInt64.self)
                && ra.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == rb.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 && n < 8 {
            return ra.loadUnaligned(as: UInt32.self) == rb.loadUnaligned(as: UInt32.self)
                && ra.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == rb.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        if n < 4 {
            for k in 0..<n where a[k] != b[k] { return false }
            return true
        }
        return memcmp(a, b, n) == 0
    }

    /// The code of the `n` bytes at `p`, adding them if new. `p` must stay valid while the interner is used.
    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
        let h = ByteInterner.hash(p, n)
        var idx = Int(truncatingIfNeeded: h) & mask
        while true {
            let code = Int(slots[idx])
            if code < 0 { break }
            if hashes[code] == h && lengths[code] == n && ByteInterner.equal(pointers[code], p, n) {
                return UInt32(code)
            }
            idx = (idx + 1) & mask
        }
        let code = pointers.count
        pointers.append(p)
        lengths.append(n)
        hashes.append(h)
        slots[idx] = Int32(code)
        if pointers.count * 2 > slots.count { grow() }
        return UInt32(code)
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for code in 0..<hashes.count {
            var idx = Int(truncatingIfNeeded: hashes[code]) & mask
            while slots[idx] >= 0 { idx = (idx + 1) & mask }
            slots[idx] = Int32(code)
        }
    }

    /// The interned strings sorted by UTF-8 bytes, and for each first-seen code its sorted position.
    func sorted() -> (values: [String], rank: [UInt32]) {
        let order = (0..<count).sorted { a, b in
            let la = lengths[a], lb = lengths[b]
            let c = memcmp(pointers[a], pointers[b], min(la, lb))
            return c != 0 ? c < 0 : la < lb
        }
        var rank = [UInt32](repeating: 0, count: count)
        var values: [String] = []
        values.reserveCapacity(count)
        for (position, code) in order.enumerated() {
            rank[code] = UInt32(position)
            values.append(String(decoding: UnsafeBufferPointer(start: pointers[code], count: lengths[code]), as: UTF8.self))
        }
        return (values, rank)
    }
}

// MARK: - Number text

/// A cell matching `-?[0-9]+(\.[0-9]+)?`, the only number syntax seg accepts in files
/// (no exponents, no grouping commas, no `inf`/`nan`), so values are never rounded.
struct NumberText {
    var negative: Bool
    var intStart: Int
    var intEnd: Int
    var fracEnd: Int

    var fractionDigits: Int { intEnd == fracEnd ? 0 : fracEnd - intEnd - 1 }

    @inline(__always)
    init?(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var i = 0
        negative = n > 0 && p[0] == 0x2D
        if negative { i += 1 }
        intStart = i
        while i < n && p[i] &- 0x30 < 10 { i += 1 }
        intEnd = i
        guard intEnd > intStart else { return nil }
        if i < n && p[i] == 0x2E {
            i += 1
            let fracStart = i
            while i < n && p[i] &- 0x30 < 10 { i += 1 }
            guard i > fracStart else { return nil }
        }
        fracEnd = i
        guard i == n else { return nil }
    }

    /// `00123`, `-01`, `00.5`: a zero-padded identifier rather than a quantity.
    @inline(__always)
    func hasLeadingZero(_ p: UnsafePointer<UInt8>) -> Bool {
        intEnd - intStart > 1 && p[intStart] == 0x30
    }

    /// The exact value times 10^scale, or nil if it has more fraction digits or does not fit in an Int64.
    /// With `integerPartOnly`, the fraction is ignored (to check the integer part before the scale is known).
    @inline(__always)
    func scaled(_ p: UnsafePointer<UInt8>, by scale: Int, integerPartOnly: Bool = false) -> Int64? {
        let f = integerPartOnly ? 0 : fractionDigits
        guard f <= scale else { return nil }
        var mag: UInt64 = 0
        // 18 digits cannot overflow; beyond that, check every step.
        let digits = intEnd - intStart + scale
        if digits <= 18 {
            for i in intStart..<intEnd { mag = mag &* 10 &+ UInt64(p[i] &- 0x30) }
            for k in 0..<scale { mag = mag &* 10 &+ (k < f ? UInt64(p[intEnd + 1 + k] &- 0x30) : 0) }
        } else {
            var overflow = false
            @inline(__always) func push(_ d: UInt64) {
                let (m, o1) = mag.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(d)
                mag = a
                overflow = overflow || o1 || o2
            }
            var i = intStart
            while i < intEnd && !overflow {
                push(UInt64(p[i] &- 0x30))
                i += 1
            }
            var k = 0
            while k < scale && !overflow {
                push(k < f ? UInt64(p[intEnd + 1 + k] &- 0x30) : 0)
                k += 1
            }
            if overflow { return nil }
        }
        if negative {
            guard mag <= UInt64(Int64.max) + 1 else { return nil }
            return Int64(bitPattern: 0 &- mag)
        }
        guard mag <= UInt64(Int64.max) else { return nil }
        return Int64(mag)
    }
}

/// One pass over a cell that may be a number (the syntax of `NumberText`), accumulating its digits.
struct NumberScan {
    var negative: Bool
    /// All digits, integer and fraction, as one number; exact only when `digits <= 19`.
    var magnitude: UInt64
    var digits: Int
    var fractionDigits: Int
    var leadingZero: Bool

    @inline(__always)
    init?(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var i = 0
        negative = n > 0 && p[0] == 0x2D
        if negative { i = 1 }
        let intStart = i
        var mag: UInt64 = 0
        while i < n {
            let d = p[i] &- 0x30
            if d >= 10 { break }
            mag = mag &* 10 &+ UInt64(d)
            i += 1
        }
        let intDigits = i - intStart
        guard intDigits > 0 else { return nil }
        leadingZero = intDigits > 1 && p[intStart] == 0x30
        fractionDigits = 0
        if i < n && p[i] == 0x2E {
            i += 1
            let fracStart = i
            while i < n {
                let d = p[i] &- 0x30
                if d >= 10 { break }
                mag = mag &* 10 &+ UInt64(d)
                i += 1
            }
            guard i > fracStart else { return nil }
            fractionDigits = i - fracStart
        }
        guard i == n else { return nil }
        magnitude = mag
        digits = intDigits + fractionDigits
    }
}

// MARK: - Typing and conversion

/// Turns the raw cells of a column into typed column storage.
///
/// Inference rules, applied to the non-missing cells (a cell that is empty or only spaces and tabs
/// is missing; nothing else is trimmed):
/// 1. No value at all → `text`.
/// 2. Every value is `true`/`false` (any case) → `boolean`.
/// 3. Every value is a real calendar date `YYYY-MM-DD` → `date`.
/// 4. Every value matches `-?[0-9]+(\.[0-9]+)?`:
///    - `text` if the column name marks an identifier (`id`, `…_id`, `… id`, `clientId`, or contains
///      phone/tel/mobile/zip/postcode/account/card/code), if any value has a leading zero (`00123`),
///      more than 9 fraction digits, or does not fit an Int64 exactly — numbers are never rounded;
///    - else `integer` when no value has a fraction, else `decimal` with scale = the most fraction digits.
///    `1e5`, `1,234`, `inf`, `nan`, ` 42` are not numbers.
/// 5. Otherwise strings: `tags` if some value contains `;`, the token vocabulary is at most 4,096 and
///    tokens repeat (vocabulary ≤ half the values, or ≤ 64); else `category` if there are at most
///    65,536 distinct values and either at most 32 or at most a tenth of the values; else `text`.
///
/// A column given a type by the user is converted strictly: a value that does not convert is an
/// error at its cell (never a rounding). JSON array cells make a column `tags`.
enum ColumnBuilder {
    static let maxDecimalScale = 9
    static let maxCategoryValues = 65_536
    static let maxTagVocabulary = 4_096

    static func build(name: String, cells: ColumnCells, type override: FieldType?, isArrayColumn: Bool) throws(CellFailure) -> Column {
        var note: DataMessage?
        return try build(name: name, cells: cells, type: override, isArrayColumn: isArrayColumn, note: &note)
    }

    /// `note`: what the user should know of how the column was read (times of day dropped).
    static func build(name: String, cells: ColumnCells, type override: FieldType?, isArrayColumn: Bool,
                      note: inout DataMessage?) throws(CellFailure) -> Column {
        let n = cells.rowCount
        let (data, validity): (ColumnData, [UInt64])
        if let type = override {
            (data, validity) = try convert(cells, name: name, to: type)
        } else if isArrayColumn {
            (data, validity) = try convert(cells, name: name, to: .tags)
        } else {
            var droppedTime = false
            (data, validity) = try infer(cells, name: name, droppedTime: &droppedTime)
            if droppedTime { note = .timeOfDayDropped(column: name) }
        }
        var column = Column(name: name, data: data, validity: Bitmap(words: validity, count: n), count: n)
        if data.type.isString { column.profile = profile(cells) }
        return column
    }

    /// Present values a text column's profile looks at before it gives up on a column in which
    /// none reads as a number or a date (names, phones as text, emails): such a column is plain
    /// text, and scanning every cell of it for numbers tripled the load time of a clean CSV.
    static let profileSample = 1_000

    /// How many of a text column's values read as numbers and as dates, and the first of each
    /// that does not (its row; the loader finds its line). nil for a plain text column (see
    /// `profileSample`): ordering it against a number is still an error, stated without counts.
    static func profile(_ cells: ColumnCells) -> ValueProfile? {
        var present = 0, numbers = 0, dates = 0
        var plainText = false
        // A kind that none of the first `profileSample` values has is not looked for further, as
        // plain text is not: a phone column's digits need no date parsing (a tenth of a clean
        // CSV's load went to trying every phone number as a date).
        var countNumbers = true, countDates = true
        var notNumber: ValueProfile.Example?, notDate: ValueProfile.Example?
        func example(_ row: Int, _ p: UnsafePointer<UInt8>, _ len: Int) -> ValueProfile.Example {
            ValueProfile.Example(row: row, text: ValueProfile.shortened(String(decoding: UnsafeBufferPointer(start: p, count: len), as: UTF8.self)))
        }
        cells.forEach { row, p, len in
            if cells.isMissing(p, len) { return true }
            if present == profileSample {
                if numbers == 0 && dates == 0 {
                    plainText = true
                    return false
                }
                countNumbers = numbers > 0
                countDates = dates > 0
            }
            present += 1
            if countNumbers {
                if readsAsNumber(p, len) {
                    numbers += 1
                } else if notNumber == nil {
                    notNumber = example(row, p, len)
                }
            }
            if countDates {
                if readsAsDate(p, len) {
                    dates += 1
                } else if notDate == nil {
                    notDate = example(row, p, len)
                }
            }
            return true
        }
        if plainText { return nil }
        return ValueProfile(present: present, numbers: numbers, dates: dates, notNumber: notNumber, notDate: notDate)
    }

    /// Whether a cell reads as a number in some notation seg knows.
    @inline(__always)
    static func readsAsNumber(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        NumberScan(p, n) != nil || BankNumber(p, n) != nil
    }

    /// A cell's fraction digits as seg reads it (plain or as banks write it); nil when not a number.
    @inline(__always)
    static func fractionDigits(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        if let plain = NumberText(p, n) { return plain.fractionDigits }
        return BankNumber(p, n)?.scale
    }

    /// A cell's exact value times 10^scale; nil when it is no number, has more fraction digits,
    /// or does not fit.
    @inline(__always)
    static func scaledValue(_ p: UnsafePointer<UInt8>, _ n: Int, scale: Int) -> Int64? {
        if let plain = NumberText(p, n) { return plain.scaled(p, by: scale) }
        return BankNumber(p, n)?.scaled(to: scale)
    }

    /// Whether a cell reads as a date in some notation seg knows.
    @inline(__always)
    static func readsAsDate(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        date(p, n) != nil || ExportDate(p, n) != nil
    }

    /// A cell's day number in any date notation seg reads, and whether a time of day was dropped.
    @inline(__always)
    static func anyDate(_ p: UnsafePointer<UInt8>, _ n: Int) -> (day: Int32, hadTime: Bool)? {
        if let day = date(p, n) { return (day, false) }
        return ExportDate(p, n).map { ($0.day, $0.hadTime) }
    }

    /// Whether the name marks an identifier, whose digits are not a quantity.
    static func looksLikeIdentifier(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower == "id" || lower.hasSuffix("_id") || lower.hasSuffix(" id") || lower.hasSuffix("-id") || lower.hasSuffix(".id") {
            return true
        }
        // camelCase: clientId, clientID
        let scalars = Array(name.unicodeScalars)
        if scalars.count > 2, scalars[scalars.count - 2] == "I", scalars[scalars.count - 1] == "d" || scalars[scalars.count - 1] == "D" {
            let before = scalars[scalars.count - 3]
            if before.properties.isLowercase || ("0"..."9").contains(before) { return true }
        }
        let words = ["phone", "tel", "mobile", "zip", "postcode", "account", "card", "code",
                     "电话", "手机", "邮编", "账号", "卡号", "编号", "代码"]
        return words.contains { lower.contains($0) }
    }

    /// A yes-or-no word: `true`/`false` (any case), `Y`/`N` (either case), `是`/`否`; and, with
    /// `digits` (a column typed boolean by the user), `1`/`0`. Inference leaves `1`/`0` to integers:
    /// a column of counts that happen to be 0 or 1 must still sum.
    @inline(__always)
    static func boolean(_ p: UnsafePointer<UInt8>, _ n: Int, digits: Bool = false) -> Bool? {
        switch n {
        case 1:
            switch p[0] | 0x20 {
            case 0x79: return true
            case 0x6E: return false
            default:
                if digits && p[0] == 0x31 { return true }
                if digits && p[0] == 0x30 { return false }
                return nil
            }
        case 3:
            if p[0] == 0xE6, p[1] == 0x98, p[2] == 0xAF { return true }   // 是
            if p[0] == 0xE5, p[1] == 0x90, p[2] == 0xA6 { return false }  // 否
            return nil
        case 4:
            return p[0] | 0x20 == 0x74 && p[1] | 0x20 == 0x72 && p[2] | 0x20 == 0x75 && p[3] | 0x20 == 0x65 ? true : nil
        case 5:
            return p[0] | 0x20 == 0x66 && p[1] | 0x20 == 0x61 && p[2] | 0x20 == 0x6C && p[3] | 0x20 == 0x73 && p[4] | 0x20 == 0x65
                ? false : nil
        default:
            return nil
        }
    }

    @inline(__always)
    static func isBoolean(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool { boolean(p, n) != nil }

    /// Days since 1970-01-01 of a cell holding exactly `YYYY-MM-DD` with a real calendar day
    /// (the rule of `CivilDate.parse`).
    @inline(__always)
    static func date(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        // tuned: fixed offsets and unsigned arithmetic (this runs per cell; the generic parse cost 180 instructions)
        guard n == 10, p[4] == 0x2D, p[7] == 0x2D else { return nil }
        let y0 = p[0] &- 0x30, y1 = p[1] &- 0x30, y2 = p[2] &- 0x30, y3 = p[3] &- 0x30
        let m0 = p[5] &- 0x30, m1 = p[6] &- 0x30, d0 = p[8] &- 0x30, d1 = p[9] &- 0x30
        guard y0 < 10, y1 < 10, y2 < 10, y3 < 10, m0 < 10, m1 < 10, d0 < 10, d1 < 10 else { return nil }
        let y = UInt(y0) * 1000 + UInt(y1) * 100 + UInt(y2) * 10 + UInt(y3)
        let m = UInt(m0) * 10 + UInt(m1)
        let d = UInt(d0) * 10 + UInt(d1)
        guard m >= 1, m <= 12, d >= 1 else { return nil }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        // Months with 31 days are the set bits of 0x15AA.
        let monthDays = m == 2 ? (leap ? 29 : 28) : 30 + ((0x15AA >> m) & 1)
        guard d <= monthDays else { return nil }
        // days_from_civil with the year shifted by one 400-year era so that every quotient is of a
        // positive number; 865,565 makes 1970-01-01 day 0.
        let (yy, mp) = m > 2 ? (y + 400, m - 3) : (y + 399, m + 9)
        let count = 365 * yy + yy / 4 - yy / 100 + yy / 400 + (153 * mp + 2) / 5 + d - 1
        return Int32(truncatingIfNeeded: Int(count) - 865_565)
    }

    // MARK: Inference

    static func infer(_ cells: ColumnCells, name: String) throws(CellFailure) -> (ColumnData, [UInt64]) {
        var droppedTime = false
        return try infer(cells, name: name, droppedTime: &droppedTime)
    }

    /// `droppedTime`: set when the column became dates whose cells had a time of day.
    static func infer(_ cells: ColumnCells, name: String, droppedTime: inout Bool) throws(CellFailure) -> (ColumnData, [UInt64]) {
        let n = cells.rowCount
        var present = 0
        var maybeBool = true, maybeDate = true, maybeNumber = true
        var numberProblem = false
        var maxFraction = 0, minFraction = Int.max
        let identifier = looksLikeIdentifier(name)
        // tuned: dates and numbers are converted in the same pass that types the column; `allStored`
        // turns false when a value was not kept (more than 18 digits) and the column is converted again.
        var allStored = !identifier
        var valid = [UInt64](repeating: 0, count: (n + 63) >> 6)
        // Only a column whose first value is a date (a number) can become one: the others get no buffer.
        var firstIsDate = false, firstIsNumber = false
        var sawTime = false
        cells.forEach { _, p, n in
            if cells.isMissing(p, n) { return true }
            firstIsDate = anyDate(p, n) != nil
            firstIsNumber = readsAsNumber(p, n)
            return false
        }
        var dates = [Int32](repeating: 0, count: firstIsDate ? n : 0)
        var numbers = [Int64](repeating: 0, count: firstIsNumber ? n : 0)
        valid.withUnsafeMutableBufferPointer { v in
            dates.withUnsafeMutableBufferPointer { dateOut in
                numbers.withUnsafeMutableBufferPointer { numberOut in
                    cells.forEach { row, p, n in
                        if cells.isMissing(p, n) { return true }
                        present += 1
                        v[row >> 6] |= 1 << UInt64(row & 63)
                        if maybeBool && !isBoolean(p, n) { maybeBool = false }
                        if maybeDate {
                            if let (day, time) = anyDate(p, n) {
                                dateOut[row] = day
                                if time { sawTime = true }
                            } else {
                                maybeDate = false
                            }
                        }
                        if maybeNumber {
                            if let num = NumberScan(p, n) {
                                let f = num.fractionDigits
                                if f > maxFraction { maxFraction = f }
                                if f < minFraction { minFraction = f }
                                if f > maxDecimalScale || num.leadingZero { numberProblem = true }
                                if num.digits <= 18 {
                                    // Fewer than 19 digits always fit, as an integer and as the integer part.
                                    numberOut[row] = num.negative ? 0 &- Int64(num.magnitude) : Int64(num.magnitude)
                                } else {
                                    allStored = false
                                    if NumberText(p, n)?.scaled(p, by: 0, integerPartOnly: true) == nil { numberProblem = true }
                                }
                            } else if let bank = BankNumber(p, n) {
                                // Written as banks write it (`1,234.50`, `3万`): converted again at the column's scale.
                                allStored = false
                                let f = bank.scale
                                if f > maxFraction { maxFraction = f }
                                if f < minFraction { minFraction = f }
                                if f > maxDecimalScale { numberProblem = true }
                            } else {
                                maybeNumber = false
                            }
                        }
                        return maybeBool || maybeDate || maybeNumber
                    }
                }
            }
        }
        if maybeBool || maybeDate || maybeNumber {
            if present == 0 { return textColumn(cells) }
            if maybeBool { return try convert(cells, name: name, to: .boolean) }
            if maybeDate {
                droppedTime = sawTime
                return (.date(dates), valid)
            }
            if numberProblem || identifier { return textColumn(cells) }
            // Every value was kept with `minFraction` fraction digits: when that is the column's scale
            // the kept values are the column.
            if allStored && minFraction == maxFraction {
                return maxFraction == 0 ? (.integer(numbers), valid) : (.decimal(numbers, scale: maxFraction), valid)
            }
            if maxFraction == 0 { return try convert(cells, name: name, to: .integer) }
            return decimalColumn(cells, scale: maxFraction) ?? textColumn(cells)
        }
        return inferString(cells)
    }

    /// Tags, category or text, by the rules in the type's doc comment.
    static func inferString(_ cells: ColumnCells) -> (ColumnData, [UInt64]) {
        let n = cells.rowCount
        var present = 0
        var sawSemicolon = false
        var interner = ByteInterner(capacity: 256)
        var codes = [UInt32](repeating: 0, count: n)
        var valid = [UInt64](repeating: 0, count: (n + 63) >> 6)
        var tooMany = false
        codes.withUnsafeMutableBufferPointer { out in
            valid.withUnsafeMutableBufferPointer { v in
                cells.forEach { row, p, len in
                    if cells.isMissing(p, len) { return true }
                    present += 1
                    v[row >> 6] |= 1 << UInt64(row & 63)
                    if !tooMany {
                        let before = interner.count
                        let code = interner.intern(p, len)
                        out[row] = code
                        if interner.count != before {
                            // tuned: a repeated cell has the bytes of its first copy, so only new
                            // values are searched for `;`
                            if !sawSemicolon && memchr(p, 0x3B, len) != nil { sawSemicolon = true }
                            // More distinct values than a category may hold, even if every row is present:
                            // stop interning (tuned: a column of unique ids interned every row).
                            let count = interner.count
                            if count > maxCategoryValues || (count > 32 && count * 10 > n) { tooMany = true }
                        }
                    } else if !sawSemicolon && memchr(p, 0x3B, len) != nil {
                        sawSemicolon = true
                    }
                    return true
                }
            }
        }
        if present == 0 { return textColumn(cells) }
        if sawSemicolon {
            let tags = tooMany ? tagsColumn(cells, limit: maxTagVocabulary)
                : tagsColumn(rows: n, interner: interner, codes: codes, valid: valid, limit: maxTagVocabulary)
            if let tags {
                let vocabulary = tags.0.tagVocabularyCount
                if vocabulary * 2 <= present || vocabulary <= 64 { return tags }
            }
        }
        let distinct = interner.count
        if !tooMany && (distinct <= 32 || distinct * 10 <= present) {
            return categoryColumn(interner: interner, codes: codes, valid: valid)
        }
        return textColumn(cells)
    }

    // MARK: Strict conversion

    static func convert(_ cells: ColumnCells, name: String, to type: FieldType) throws(CellFailure) -> (ColumnData, [UInt64]) {
        let n = cells.rowCount
        var valid = [UInt64](repeating: 0, count: (n + 63) >> 6)
        var failure: CellFailure?
        func fail(_ what: CellProblem, _ row: Int, _ p: UnsafePointer<UInt8>, _ len: Int) {
            let value = ValueProfile.shortened(String(decoding: UnsafeBufferPointer(start: p, count: len), as: UTF8.self))
            failure = CellFailure(message: .cellType(column: name, type: type, what, value: value), row: row)
        }
        /// The column's values: each present cell converted, its validity bit set; the first
        /// cell with a problem stops the conversion.
        func values<T>(_ zero: T, _ convert: (UnsafePointer<UInt8>, Int) -> Result<T, CellProblem>) -> [T] {
            var values = [T](repeating: zero, count: n)
            values.withUnsafeMutableBufferPointer { out in
                valid.withUnsafeMutableBufferPointer { v in
                    cells.forEach { row, p, len in
                        if cells.isMissing(p, len) { return true }
                        switch convert(p, len) {
                        case .success(let value): out[row] = value
                        case .failure(let problem):
                            fail(problem, row, p, len)
                            return false
                        }
                        v[row >> 6] |= 1 << UInt64(row & 63)
                        return true
                    }
                }
            }
            return values
        }
        let data: ColumnData
        switch type {
        case .integer:
            data = .integer(values(0) { p, len in
                guard let f = fractionDigits(p, len), f == 0 else { return .failure(.notInteger) }
                guard let value = scaledValue(p, len, scale: 0) else { return .failure(.integerTooLarge) }
                return .success(value)
            })
        case .decimal:
            var scale = 0
            cells.forEach { row, p, len in
                if cells.isMissing(p, len) { return true }
                guard let f = fractionDigits(p, len) else {
                    fail(.notDecimal, row, p, len)
                    return false
                }
                if f > maxDecimalScale {
                    fail(.tooManyDecimals(limit: maxDecimalScale), row, p, len)
                    return false
                }
                scale = max(scale, f)
                return true
            }
            if let failure { throw failure }
            data = .decimal(values(0) { p, len in
                guard let value = scaledValue(p, len, scale: scale) else { return .failure(.decimalTooLarge(scale: scale)) }
                return .success(value)
            }, scale: scale)
        case .date:
            data = .date(values(0) { p, len in anyDate(p, len).map { .success($0.day) } ?? .failure(.notDate) })
        case .boolean:
            data = .boolean(values(false) { p, len in
                boolean(p, len, digits: true).map { .success($0) } ?? .failure(.notBoolean)
            })
        case .category:
            var interner = ByteInterner(capacity: 256)
            let codes = values(UInt32(0)) { p, len in .success(interner.intern(p, len)) }
            return categoryColumn(interner: interner, codes: codes, valid: valid)
        case .text:
            return textColumn(cells)
        case .tags:
            // Without a vocabulary limit, so this cannot fail.
            return tagsColumn(cells, limit: Int.max) ?? textColumn(cells)
        }
        if let failure { throw failure }
        return (data, valid)
    }

    // MARK: Column makers

    static func textColumn(_ cells: ColumnCells) -> (ColumnData, [UInt64]) {
        let n = cells.rowCount
        var valid = [UInt64](repeating: 0, count: (n + 63) >> 6)
        var total = 0
        cells.forEach { _, _, len in
            total += len
            return true
        }
        var offsets = [Int](repeating: 0, count: n + 1)
        // Every cell empty: all missing, nothing to copy. (With capacity 0 the initializer would
        // write the count of the shared empty-array storage, a data race with other threads.)
        guard total > 0 else { return (.text(TextBuffer(bytes: [], offsets: offsets)), valid) }
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            var w = 0
            offsets.withUnsafeMutableBufferPointer { off in
                valid.withUnsafeMutableBufferPointer { v in
                    cells.forEach { row, p, len in
                        if !cells.isMissing(p, len) {
                            (base + w).initialize(from: p, count: len)
                            w += len
                            v[row >> 6] |= 1 << UInt64(row & 63)
                        }
                        off[row + 1] = w
                        return true
                    }
                }
            }
            initialized = w
        }
        return (.text(TextBuffer(bytes: bytes, offsets: offsets)), valid)
    }

    /// A category column from the first-seen codes of the present rows (`valid`); missing rows get code 0.
    static func categoryColumn(interner: ByteInterner, codes: [UInt32], valid: [UInt64]) -> (ColumnData, [UInt64]) {
        let (dictionary, rank) = interner.sorted()
        var codes = codes
        codes.withUnsafeMutableBufferPointer { out in
            rank.withUnsafeBufferPointer { rk in
                valid.withUnsafeBufferPointer { v in
                    for row in 0..<out.count {
                        out[row] = v[row >> 6] & (1 << UInt64(row & 63)) != 0 ? rk[Int(out[row])] : 0
                    }
                }
            }
        }
        return (.category(codes: codes, dictionary: dictionary), valid)
    }

    /// Tokens of one cell: split at `;`, trimmed of spaces and tabs, empty ones dropped.
    @inline(__always)
    static func forEachToken(_ p: UnsafePointer<UInt8>, _ n: Int, _ body: (UnsafePointer<UInt8>, Int) -> Bool) -> Bool {
        var i = 0
        while i <= n {
            var j = i
            while j < n && p[j] != 0x3B { j += 1 }
            var a = i, b = j
            while a < b && (p[a] == 0x20 || p[a] == 0x09) { a += 1 }
            while b > a && (p[b - 1] == 0x20 || p[b - 1] == 0x09) { b -= 1 }
            if a < b && !body(p + a, b - a) { return false }
            i = j + 1
        }
        return true
    }

    /// A tags column, or nil when the vocabulary grows past `limit`.
    static func tagsColumn(_ cells: ColumnCells, limit: Int) -> (ColumnData, [UInt64])? {
        let n = cells.rowCount
        var valid = [UInt64](repeating: 0, count: (n + 63) >> 6)
        var vocabulary = ByteInterner(capacity: 64)
        var tokenCodes: [UInt32] = []
        var rowEnds = [Int](repeating: 0, count: n)
        var overLimit = false
        rowEnds.withUnsafeMutableBufferPointer { ends in
            valid.withUnsafeMutableBufferPointer { v in
                cells.forEach { row, p, len in
                    if !cells.isMissing(p, len) {
                        v[row >> 6] |= 1 << UInt64(row & 63)
                        let ok = forEachToken(p, len) { t, tn in
                            tokenCodes.append(vocabulary.intern(t, tn))
                            return vocabulary.count <= limit
                        }
                        if !ok {
                            overLimit = true
                            return false
                        }
                    }
                    ends[row] = tokenCodes.count
                    return true
                }
            }
        }
        if overLimit { return nil }
        let (words, rank) = vocabulary.sorted()
        let perRow = max(1, (words.count + 63) / 64)
        var bits = [UInt64](repeating: 0, count: n * perRow)
        bits.withUnsafeMutableBufferPointer { out in
            var k = 0
            for row in 0..<n {
                while k < rowEnds[row] {
                    let t = Int(rank[Int(tokenCodes[k])])
                    out[row * perRow + (t >> 6)] |= 1 << UInt64(t & 63)
                    k += 1
                }
            }
        }
        return (.tags(TagSets(vocabulary: words, wordsPerRow: perRow, bits: bits)), valid)
    }

    /// A tags column built from the distinct cells of a column (`interner`, with each present row's
    /// first-seen code in `codes`), each split once; nil when the vocabulary grows past `limit`.
    /// The same result as `tagsColumn(_:limit:)`: a vocabulary's sorted order does not depend on the
    /// order its tokens were met in.
    static func tagsColumn(rows n: Int, interner: ByteInterner, codes: [UInt32], valid: [UInt64], limit: Int) -> (ColumnData, [UInt64])? {
        var vocabulary = ByteInterner(capacity: 64)
        var tokenCodes: [UInt32] = []
        var cellEnds = [Int](repeating: 0, count: interner.count + 1)
        for cell in 0..<interner.count {
            let ok = forEachToken(interner.pointers[cell], interner.lengths[cell]) { t, tn in
                tokenCodes.append(vocabulary.intern(t, tn))
                return vocabulary.count <= limit
            }
            if !ok { return nil }
            cellEnds[cell + 1] = tokenCodes.count
        }
        let (words, rank) = vocabulary.sorted()
        let perRow = max(1, (words.count + 63) / 64)
        // Each distinct cell's bit set, then one copy per row.
        var cellBits = [UInt64](repeating: 0, count: interner.count * perRow)
        for cell in 0..<interner.count {
            for k in cellEnds[cell]..<cellEnds[cell + 1] {
                let t = Int(rank[Int(tokenCodes[k])])
                cellBits[cell * perRow + (t >> 6)] |= 1 << UInt64(t & 63)
            }
        }
        var bits = [UInt64](repeating: 0, count: n * perRow)
        bits.withUnsafeMutableBufferPointer { out in
            cellBits.withUnsafeBufferPointer { cb in
                codes.withUnsafeBufferPointer { cd in
                    valid.withUnsafeBufferPointer { v in
                        for row in 0..<n where v[row >> 6] & (1 << UInt64(row & 63)) != 0 {
                            let from = Int(cd[row]) * perRow
                            for w in 0..<perRow { out[row * perRow + w] = cb[from + w] }
                        }
                    }
                }
            }
        }
        return (.tags(TagSets(vocabulary: words, wordsPerRow: perRow, bits: bits)), valid)
    }

    /// A decimal column at `scale`, or nil if some value does not fit once scaled.
    static func decimalColumn(_ cells: ColumnCells, scale: Int) -> (ColumnData, [UInt64])? {
        let n = cells.rowCount
        var valid = [UInt64](repeating: 0, count: (n + 63) >> 6)
        var values = [Int64](repeating: 0, count: n)
        var fits = true
        values.withUnsafeMutableBufferPointer { out in
            valid.withUnsafeMutableBufferPointer { v in
                cells.forEach { row, p, len in
                    if cells.isMissing(p, len) { return true }
                    guard let value = scaledValue(p, len, scale: scale) else {
                        fits = false
                        return false
                    }
                    out[row] = value
                    v[row >> 6] |= 1 << UInt64(row & 63)
                    return true
                }
            }
        }
        return fits ? (.decimal(values, scale: scale), valid) : nil
    }
}

extension ColumnData {
    var tagVocabularyCount: Int {
        if case .tags(let t) = self { return t.vocabulary.count }
        return 0
    }
}
