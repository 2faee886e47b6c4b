import SegBase
/// Byte-level formatting of numbers and dates, shared by every writer and the demo book generator.
/// Writes straight into a reused byte buffer, so exporting millions of cells allocates no `String`s.
public enum ByteFormat {
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let zero = UInt8(ascii: "0")

    /// Appends the decimal digits of `v`, with `,` every three digits when `grouping`.
    @inline(__always)
    public static func appendUnsigned(_ v: UInt64, grouping: Bool, into buf: inout [UInt8]) {
        let start = buf.count
        var x = v
        var n = 0
        repeat {
            if grouping && n > 0 && n % 3 == 0 { buf.append(comma) }
            buf.append(zero &+ UInt8(truncatingIfNeeded: x % 10))
            x /= 10
            n += 1
        } while x > 0
        reverse(&buf, from: start)
    }

    @inline(__always)
    public static func appendInteger(_ v: Int64, grouping: Bool = false, into buf: inout [UInt8]) {
        if v < 0 { buf.append(minus) }
        appendUnsigned(v.magnitude, grouping: grouping, into: &buf)
    }

    /// Reverses `buf[start...]` in place (plain subscripts: cheap even unoptimised).
    @inline(__always)
    static func reverse(_ buf: inout [UInt8], from start: Int) {
        var i = start
        var j = buf.count - 1
        while i < j {
            let t = buf[i]
            buf[i] = buf[j]
            buf[j] = t
            i += 1
            j -= 1
        }
    }

    /// Appends exactly `scale` fraction digits (`FixedPoint.format`), raw value = `raw / 10^scale`.
    @inline(__always)
    public static func appendDecimal(_ raw: Int64, scale: Int, grouping: Bool = false, into buf: inout [UInt8]) {
        guard scale > 0, scale < FixedPoint.powersOfTen.count else {
            appendInteger(raw, grouping: grouping, into: &buf)
            return
        }
        let p = UInt64(FixedPoint.powersOfTen[scale])
        let magnitude = raw.magnitude
        if raw < 0 { buf.append(minus) }
        appendUnsigned(magnitude / p, grouping: grouping, into: &buf)
        buf.append(UInt8(ascii: "."))
        let start = buf.count
        var f = magnitude % p
        for _ in 0..<scale {
            buf.append(zero &+ UInt8(truncatingIfNeeded: f % 10))
            f /= 10
        }
        reverse(&buf, from: start)
    }

    /// Appends `YYYY-MM-DD` (`CivilDate.format`).
    @inline(__always)
    public static func appendDate(_ days: Int, into buf: inout [UInt8]) {
        let (y, m, d) = CivilDate.civil(days)
        guard y >= 0 && y <= 9999 else {
            buf.append(contentsOf: CivilDate.format(days).utf8)
            return
        }
        buf.append(zero &+ UInt8(y / 1000))
        buf.append(zero &+ UInt8(y / 100 % 10))
        buf.append(zero &+ UInt8(y / 10 % 10))
        buf.append(zero &+ UInt8(y % 10))
        buf.append(minus)
        buf.append(zero &+ UInt8(m / 10))
        buf.append(zero &+ UInt8(m % 10))
        buf.append(minus)
        buf.append(zero &+ UInt8(d / 10))
        buf.append(zero &+ UInt8(d % 10))
    }

    /// `1234567` → `1,234,567`.
    public static func grouped(_ v: Int) -> String {
        var buf: [UInt8] = []
        appendInteger(Int64(v), grouping: true, into: &buf)
        return String(decoding: buf, as: UTF8.self)
    }
}

/// Reads the cells of one result column with the storage unpacked once, so per-cell access
/// does not re-switch on `ColumnData` or copy its arrays (hot in the CSV export).
public final class CellSource {
    public enum Kind { case integer, decimal, date, boolean, category, text, tags }

    public let name: String
    public let grouped: Bool
    public let kind: Kind
    public let rows: [Int32]?
    public let validity: Bitmap?
    public let ints: [Int64]
    public let scale: Int
    public let days: [Int32]
    public let bools: [Bool]
    public let codes: [UInt32]
    public let dictionary: [String]
    public let text: TextBuffer
    public let tagSets: TagSets
    /// UTF-8 of the tag vocabulary.
    public let vocabularyBytes: [[UInt8]]

    public init(_ column: ResultColumn) {
        name = column.name
        grouped = column.grouped
        rows = column.rows
        validity = column.column.validity
        var ints: [Int64] = [], scale = 0, days: [Int32] = [], bools: [Bool] = []
        var codes: [UInt32] = [], dictionary: [String] = [], text = TextBuffer()
        var tagSets = TagSets(vocabulary: [], wordsPerRow: 0, bits: [])
        switch column.column.data {
        case .integer(let v): kind = .integer; ints = v
        case .decimal(let v, let s): kind = .decimal; ints = v; scale = s
        case .date(let v): kind = .date; days = v
        case .boolean(let v): kind = .boolean; bools = v
        case .category(let c, let d): kind = .category; codes = c; dictionary = d
        case .text(let t): kind = .text; text = t
        case .tags(let t): kind = .tags; tagSets = t
        }
        self.ints = ints
        self.scale = scale
        self.days = days
        self.bools = bools
        self.codes = codes
        self.dictionary = dictionary
        self.text = text
        self.tagSets = tagSets
        vocabularyBytes = tagSets.vocabulary.map { Array($0.utf8) }
    }

    public var isNumeric: Bool { kind == .integer || kind == .decimal }
    /// Text-like cells: the ones that may need quoting, escaping or formula neutralisation.
    public var isStringLike: Bool { kind == .category || kind == .text || kind == .tags }

    @inline(__always)
    public func storageRow(_ i: Int) -> Int { rows.map { Int($0[i]) } ?? i }

    @inline(__always)
    public func isPresent(storage r: Int) -> Bool { validity?[r] ?? true }

    /// Appends the plain text of the present cell at storage row `r`: digits (grouped if asked),
    /// ISO dates, `true`/`false`, the string itself, or tags joined by `;`.
    @inline(__always)
    public func appendPlain(storage r: Int, grouping: Bool, into buf: inout [UInt8]) {
        switch kind {
        case .integer: ByteFormat.appendInteger(ints[r], grouping: grouping, into: &buf)
        case .decimal: ByteFormat.appendDecimal(ints[r], scale: scale, grouping: grouping, into: &buf)
        case .date: ByteFormat.appendDate(Int(days[r]), into: &buf)
        case .boolean: buf.append(contentsOf: bools[r] ? "true".utf8 : "false".utf8)
        case .category:
            let c = Int(codes[r])
            if c < dictionary.count { buf.append(contentsOf: dictionary[c].utf8) }
        case .text:
            buf.append(contentsOf: text.bytes[text.range(at: r)])
        case .tags:
            var first = true
            for t in 0..<vocabularyBytes.count where tagSets.has(row: r, tag: t) {
                if !first { buf.append(UInt8(ascii: ";")) }
                buf.append(contentsOf: vocabularyBytes[t])
                first = false
            }
        }
    }

    /// The cell at result row `i` as display text, or nil when missing.
    public func string(_ i: Int, grouping wanted: Bool) -> String? {
        let grouping = wanted && grouped
        let r = storageRow(i)
        guard isPresent(storage: r) else { return nil }
        var buf: [UInt8] = []
        appendPlain(storage: r, grouping: grouping, into: &buf)
        return String(decoding: buf, as: UTF8.self)
    }
}
