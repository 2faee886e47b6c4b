import SegBase
/// UTF-8 text of many rows in one contiguous buffer: row `i` is `bytes[offsets[i]..<offsets[i+1]]`.
public struct TextBuffer: Sendable {
    public var bytes: [UInt8]
    public var offsets: [Int]

    public init() {
        bytes = []
        offsets = [0]
    }

    public init(bytes: [UInt8], offsets: [Int]) {
        self.bytes = bytes
        self.offsets = offsets
    }

    public var count: Int { offsets.count - 1 }

    public mutating func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        offsets.append(bytes.count)
    }

    public mutating func append<C: Collection<UInt8>>(bytes b: C) {
        bytes.append(contentsOf: b)
        offsets.append(bytes.count)
    }

    public func string(at row: Int) -> String {
        String(decoding: bytes[offsets[row]..<offsets[row + 1]], as: UTF8.self)
    }

    public func range(at row: Int) -> Range<Int> { offsets[row]..<offsets[row + 1] }
}

/// Tag sets: each row holds a bit set over `vocabulary` in `wordsPerRow` consecutive words of `bits`.
public struct TagSets: Sendable {
    public var vocabulary: [String]
    public var wordsPerRow: Int
    public var bits: [UInt64]

    public init(vocabulary: [String], wordsPerRow: Int, bits: [UInt64]) {
        self.vocabulary = vocabulary
        self.wordsPerRow = wordsPerRow
        self.bits = bits
    }

    @inline(__always)
    public func has(row: Int, tag: Int) -> Bool {
        bits[row * wordsPerRow + (tag >> 6)] & (1 << UInt64(tag & 63)) != 0
    }

    /// The row's tags, in vocabulary order.
    public func tags(at row: Int) -> [String] {
        var out: [String] = []
        for t in 0..<vocabulary.count where has(row: row, tag: t) { out.append(vocabulary[t]) }
        return out
    }
}

/// The typed storage of one column. Missing values hold a placeholder (0 or empty); the column's
/// `validity` bitmap is the authority on what is missing.
public enum ColumnData: Sendable {
    case integer([Int64])
    /// Value = raw / 10^scale.
    case decimal([Int64], scale: Int)
    /// Days since 1970-01-01.
    case date([Int32])
    case boolean([Bool])
    /// `dictionary` is sorted by UTF-8 bytes, so code order is value order; a classification's
    /// labels (computed, never stored) keep the order their rules are written in instead.
    case category(codes: [UInt32], dictionary: [String])
    case text(TextBuffer)
    case tags(TagSets)

    public var type: FieldType {
        switch self {
        case .integer: return .integer
        case .decimal: return .decimal
        case .date: return .date
        case .boolean: return .boolean
        case .category: return .category
        case .text: return .text
        case .tags: return .tags
        }
    }
}

/// One named, typed column of a table.
public struct Column: Sendable {
    public var name: String
    public var data: ColumnData
    /// Set bits are present values; nil means no value is missing.
    public var validity: Bitmap?
    public var count: Int
    /// For a text or category column read from a file: how many values would read as numbers or
    /// dates (nil when unknown, as for a book or a computed column).
    public var profile: ValueProfile? = nil

    public init(name: String, data: ColumnData, validity: Bitmap?, count: Int) {
        self.name = name
        self.data = data
        self.validity = (validity?.isFull ?? true) ? nil : validity
        self.count = count
    }

    public var type: FieldType { data.type }

    @inline(__always)
    public func isPresent(_ row: Int) -> Bool { validity?[row] ?? true }

    public var missingCount: Int { validity.map { count - $0.popcount } ?? 0 }

    /// Decimal scale (0 for integers).
    public var scale: Int {
        if case .decimal(_, let s) = data { return s }
        return 0
    }
}

/// A named table of equally long columns: the client book or another loaded file.
public struct Table: Sendable {
    public var name: String
    public var columns: [Column]
    public var rowCount: Int
    /// Where the table came from, for messages (`clients.csv`, `demo book`).
    public var origin: String
    /// Columns of the file that were not read because no statement names them (a one-shot run);
    /// "did you mean" still offers them.
    public var unloadedColumns: [String] = []
    /// What the loader wants the user to know of how the file was read (said on standard error).
    public var notes: [DataMessage] = []

    public init(name: String, columns: [Column], rowCount: Int, origin: String) {
        self.name = name
        self.columns = columns
        self.rowCount = rowCount
        self.origin = origin
    }

    /// Case-insensitive lookup of a column index, then byte for byte (`ExactText`).
    public func columnIndex(named name: String) -> Int? {
        if let i = columns.firstIndex(where: { ExactText.same($0.name, name) }) { return i }
        return columns.firstIndex(where: { ExactText.sameName($0.name, name) })
    }

    public func column(named name: String) -> Column? { columnIndex(named: name).map { columns[$0] } }
}
