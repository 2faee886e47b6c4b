import Dispatch
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SegBase
import SegStore

/// A binary snapshot of a loaded table (`.segbook`): opening one skips parsing and type inference,
/// it copies each column's buffers straight into memory.
///
/// Layout (native little-endian; every section starts on a 64-byte boundary, gaps are zero):
///
///     0   magic "SEGBOOK\0"
///     8   format version (UInt32)          12  byte-order marker 0x01020304 (UInt32)
///     16  file length (UInt64)             24  row count (UInt64)
///     32  metadata offset (UInt64, 64)     40  metadata length (UInt64)
///     48  metadata checksum (UInt64)       56  checksum of bytes 0..<56 (UInt64)
///     64  metadata: table name, column count, then per column its name, type, decimal scale,
///         flags, dictionary size, tag words per row and its sections (offset, length, checksum)
///     …   the sections: each column's buffers, then its validity bitmap
///
/// Every byte is covered: the header and metadata by their checksums, each section by its own,
/// the padding by being zero. Opening checks all of it, and the structure the engine relies on
/// (text offsets, category codes, sorted dictionaries, tag bits, validity), so a damaged or forged
/// file is a `.data` error naming the file, never a crash.
public enum BookFile {
    /// The first eight bytes of every book.
    public static let magic: [UInt8] = Array("SEGBOOK".utf8) + [0]
    /// The format version this seg writes, and the newest it reads.
    public static let formatVersion: UInt32 = 1
    /// The extension that marks a book.
    public static let fileExtension = "segbook"

    static let headerSize = 64
    static let alignment = 64
    static let byteOrderMarker: UInt32 = 0x0102_0304
    /// Sections are checksummed in blocks of this size, so that both cores can check one section.
    static let checksumBlock = 256 << 10

    // MARK: - Recognising a book

    /// True when `path` ends in `.segbook` or the file begins with the book magic.
    public static func isBook(path: String) -> Bool {
        if path.lowercased().hasSuffix("." + fileExtension) { return true }
        guard path != "-" else { return false }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: magic.count)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return n == magic.count && head == magic
    }

    /// True when `bytes` begin with the book magic.
    public static func hasMagic(_ bytes: [UInt8]) -> Bool {
        bytes.count >= magic.count && Array(bytes[0..<magic.count]) == magic
    }

    // MARK: - Writing

    /// Writes `table` to `path` atomically (mode 0600 for a new file) and returns the file's size.
    @discardableResult
    public static func write(_ table: Table, to path: String) throws -> Int {
        let plan = try Plan(table)
        try AtomicFile.write(to: path) { emit in try plan.emit(emit) }
        return plan.fileLength
    }

    /// The bytes of the book of `table`.
    public static func encode(_ table: Table) throws -> [UInt8] {
        let plan = try Plan(table)
        var out: [UInt8] = []
        out.reserveCapacity(plan.fileLength)
        try plan.emit { out.append(contentsOf: $0) }
        return out
    }

    // MARK: - Reading

    /// Opens the book at `path` as a table named `tableName` (its origin is `path`).
    /// `columns`, when given, names the columns to read (as in `DataLoader.load`): the others are
    /// neither copied nor checked, and their names go to `Table.unloadedColumns`.
    public static func read(path: String, tableName: String, columns: Set<String>? = nil) throws -> Table {
        if let input = try DataLoader.InputFile(path: path) {
            var reader = Reader(source: .file(input), fileName: path)
            let table: Table
            do {
                table = try reader.table(named: tableName, columns: columns)
            } catch {
                // A file that changed while it was read explains whatever else went wrong.
                try input.checkUnchanged()
                throw error
            }
            try input.checkUnchanged()
            return table
        }
        // Not a regular file (a pipe, an empty file): read it whole.
        let bytes = try DataLoader.readInput(path: path)
        return try bytes.withUnsafeBytes { file in
            var reader = Reader(source: .memory(file), fileName: path)
            return try reader.table(named: tableName, columns: columns)
        }
    }

    /// Decodes a book held in memory; `fileName` names it in messages and is the table's origin.
    public static func decode(_ bytes: [UInt8], fileName: String, tableName: String) throws -> Table {
        try bytes.withUnsafeBytes { try decode($0, fileName: fileName, tableName: tableName) }
    }

    static func decode(_ file: UnsafeRawBufferPointer, fileName: String, tableName: String) throws -> Table {
        var reader = Reader(source: .memory(file), fileName: fileName)
        return try reader.table(named: tableName)
    }

    static func corrupt(_ fileName: String, _ what: String) -> SegError {
        SegError(.data, "damaged seg book: \(what)", fileLocation: fileName)
    }

    // MARK: - Type codes

    static func code(of type: FieldType) -> UInt8 {
        switch type {
        case .integer: return 1
        case .decimal: return 2
        case .date: return 3
        case .boolean: return 4
        case .category: return 5
        case .text: return 6
        case .tags: return 7
        }
    }

    static func type(code: UInt8) -> FieldType? {
        FieldType.allCases.first { self.code(of: $0) == code }
    }

    /// The sections each type stores before its optional validity bitmap.
    static func sectionCount(_ type: FieldType) -> Int {
        switch type {
        case .integer, .decimal, .date, .boolean: return 1
        case .text: return 2
        case .category, .tags: return 3
        }
    }

    /// Dates the loader can produce: years 0000 to 9999.
    static let dayRange = Int32(CivilDate.days(year: 0, month: 1, day: 1))...Int32(CivilDate.days(year: 9999, month: 12, day: 31))
}

// MARK: - Checksum

/// A fast 64-bit checksum (the XXH64 algorithm: four multiply-rotate lanes over 64-bit words,
/// several GB/s per core). A section's checksum combines the checksums of its 256 KiB blocks, so
/// the blocks of one section can be checked on several cores.
public enum BookChecksum {
    static let p1: UInt64 = 11_400_714_785_074_694_791
    static let p2: UInt64 = 14_029_467_366_897_019_727
    static let p3: UInt64 = 1_609_587_929_392_839_161
    static let p4: UInt64 = 9_650_029_242_287_828_579
    static let p5: UInt64 = 2_870_177_450_012_600_261

    @inline(__always) static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always) static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always) static func merge(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        (acc ^ round(0, value)) &* p1 &+ p4
    }

    /// XXH64 of `bytes` with `seed`. Hot: keep the stripe loop free of calls and bounds checks.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return finish(seed &+ p5 &+ 0) }
        var i = 0
        var h: UInt64
        if n >= 32 {
            var v1 = seed &+ p1 &+ p2, v2 = seed &+ p2, v3 = seed, v4 = seed &- p1
            let limit = n - 32
            while i <= limit {
                v1 = round(v1, base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                v2 = round(v2, base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                v3 = round(v3, base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
                v4 = round(v4, base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
                i += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(h, v1)
            h = merge(h, v2)
            h = merge(h, v3)
            h = merge(h, v4)
        } else {
            h = seed &+ p5
        }
        h = h &+ UInt64(n)
        while i + 8 <= n {
            h ^= round(0, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            h = rotl(h, 27) &* p1 &+ p4
            i += 8
        }
        if i + 4 <= n {
            h ^= UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self))) &* p1
            h = rotl(h, 23) &* p2 &+ p3
            i += 4
        }
        while i < n {
            h ^= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) &* p5
            h = rotl(h, 11) &* p1
            i += 1
        }
        return finish(h)
    }

    @inline(__always) static func finish(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        h = h &* p3
        h ^= h >> 32
        return h
    }

    /// The checksum of a section from its block checksums.
    static func combine(_ blocks: [UInt64], length: Int) -> UInt64 {
        blocks.withUnsafeBytes { hash($0, seed: UInt64(length)) }
    }

    /// A section's checksum as a book stores it, its blocks hashed in parallel.
    public static func section(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let blockCount = max(1, (bytes.count + BookFile.checksumBlock - 1) / BookFile.checksumBlock)
        var blocks = [UInt64](repeating: 0, count: blockCount)
        blocks.withUnsafeMutableBufferPointer { out in
            let out = UncheckedSendable(out)
            let src = UncheckedSendable(bytes)
            Parallel.forEach(blockCount) { b in
                let lo = b * BookFile.checksumBlock
                let hi = min(src.value.count, lo + BookFile.checksumBlock)
                out.value[b] = hash(UnsafeRawBufferPointer(rebasing: src.value[lo..<hi]))
            }
        }
        return combine(blocks, length: bytes.count)
    }
}

// MARK: - Writer

extension BookFile {
    /// One buffer to store: an array kept alive, viewed as bytes.
    struct Payload {
        let length: Int
        let withBytes: @Sendable ((UnsafeRawBufferPointer) throws -> Void) throws -> Void

        init<T: BitwiseCopyable & Sendable>(_ array: [T]) {
            length = array.count * MemoryLayout<T>.stride
            withBytes = { body in try array.withUnsafeBytes { try body($0) } }
        }
    }

    struct PlannedColumn {
        var name: String
        var type: FieldType
        var scale: Int
        var hasValidity: Bool
        var dictionaryCount: Int
        var wordsPerRow: Int
        var payloads: [Payload]
    }

    /// The layout of a book: every section's place and checksum, computed before any byte is written.
    struct Plan {
        var header: [UInt8] = []
        var metadata: [UInt8] = []
        var sections: [(offset: Int, payload: Payload)] = []
        var fileLength = 0

        init(_ table: Table) throws {
            guard MemoryLayout<Int>.size == 8 else { throw SegError(.internal, "seg books need a 64-bit machine") }
            var columns: [PlannedColumn] = []
            for column in table.columns {
                var p = PlannedColumn(name: column.name, type: column.type, scale: column.scale,
                                      hasValidity: column.validity != nil, dictionaryCount: 0, wordsPerRow: 0, payloads: [])
                switch column.data {
                case .integer(let v), .decimal(let v, _): p.payloads = [Payload(v)]
                case .date(let v): p.payloads = [Payload(v)]
                case .boolean(let v): p.payloads = [Payload(v)]
                case .category(let codes, let dictionary):
                    let strings = Plan.strings(dictionary)
                    p.dictionaryCount = dictionary.count
                    p.payloads = [Payload(codes), Payload(strings.offsets), Payload(strings.bytes)]
                case .text(let buffer):
                    p.payloads = [Payload(buffer.offsets), Payload(buffer.bytes)]
                case .tags(let tags):
                    let strings = Plan.strings(tags.vocabulary)
                    p.dictionaryCount = tags.vocabulary.count
                    p.wordsPerRow = tags.wordsPerRow
                    p.payloads = [Payload(strings.offsets), Payload(strings.bytes), Payload(tags.bits)]
                }
                if let validity = column.validity { p.payloads.append(Payload(validity.words)) }
                columns.append(p)
            }
            // The metadata's size does not depend on the offsets in it, so lay it out once with zeros.
            let metadataLength = Plan.metadata(table.name, columns, places: nil).count
            var offset = BookFile.aligned(BookFile.headerSize + metadataLength)
            var places: [(offset: Int, length: Int, checksum: UInt64)] = []
            for column in columns {
                for payload in column.payloads {
                    var checksum: UInt64 = 0
                    try payload.withBytes { checksum = BookChecksum.section($0) }
                    places.append((offset, payload.length, checksum))
                    sections.append((offset, payload))
                    offset = BookFile.aligned(offset + payload.length)
                }
            }
            fileLength = offset
            metadata = Plan.metadata(table.name, columns, places: places)
            var h = ByteWriter()
            h.bytes.append(contentsOf: BookFile.magic)
            h.u32(BookFile.formatVersion)
            h.u32(BookFile.byteOrderMarker)
            h.u64(fileLength)
            h.u64(table.rowCount)
            h.u64(BookFile.headerSize)
            h.u64(metadata.count)
            h.u64(metadata.withUnsafeBytes { BookChecksum.hash($0) })
            h.u64(h.bytes.withUnsafeBytes { BookChecksum.hash($0) })
            header = h.bytes
        }

        static func strings(_ values: [String]) -> (offsets: [Int], bytes: [UInt8]) {
            var offsets = [0]
            var bytes: [UInt8] = []
            for s in values {
                bytes.append(contentsOf: s.utf8)
                offsets.append(bytes.count)
            }
            return (offsets, bytes)
        }

        static func metadata(_ tableName: String, _ columns: [PlannedColumn],
                             places: [(offset: Int, length: Int, checksum: UInt64)]?) -> [UInt8] {
            var w = ByteWriter()
            w.string(tableName)
            w.u32(UInt32(columns.count))
            var k = 0
            for c in columns {
                w.string(c.name)
                w.bytes.append(BookFile.code(of: c.type))
                w.bytes.append(UInt8(c.scale))
                w.bytes.append(c.hasValidity ? 1 : 0)
                w.bytes.append(UInt8(c.payloads.count))
                w.u64(c.dictionaryCount)
                w.u64(c.wordsPerRow)
                for _ in c.payloads {
                    let place = places?[k] ?? (offset: 0, length: 0, checksum: 0)
                    w.u64(place.offset)
                    w.u64(place.length)
                    w.u64(place.checksum)
                    k += 1
                }
            }
            return w.bytes
        }

        /// Hands the file's bytes to `sink` in order, sections straight from the column buffers.
        func emit(_ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
            var position = 0
            func pad(to offset: Int) throws {
                let zeros = [UInt8](repeating: 0, count: offset - position)
                try zeros.withUnsafeBytes { try sink($0) }
                position = offset
            }
            try header.withUnsafeBytes { try sink($0) }
            try metadata.withUnsafeBytes { try sink($0) }
            position = header.count + metadata.count
            for (offset, payload) in sections {
                try pad(to: offset)
                try payload.withBytes { try sink($0) }
                position += payload.length
            }
            try pad(to: fileLength)
        }
    }

    static func aligned(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }
}

struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: Int) { u64(UInt64(v)) }
    mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
}

// MARK: - Reader

extension BookFile {
    struct Section {
        var offset: Int
        var length: Int
        var checksum: UInt64
    }

    /// What the column list says about one column.
    struct ColumnSpec {
        var name: String
        var type: FieldType
        var scale: Int
        var hasValidity: Bool
        var dictionaryCount: Int
        var wordsPerRow: Int
        var sections: [Section]
    }

    /// Where a book's bytes come from: memory, or a file read piece by piece with `pread` (never
    /// mapped: a mapped file that another process truncates kills the reader with SIGBUS; see
    /// `DataLoader.InputFile`).
    enum Source {
        case memory(UnsafeRawBufferPointer)
        case file(DataLoader.InputFile)

        var count: Int {
            switch self {
            case .memory(let bytes): return bytes.count
            case .file(let file): return file.size
            }
        }

        /// Copies the bytes `range` (inside `0..<count`) to `target`.
        func read(_ range: Range<Int>, into target: UnsafeMutableRawPointer) throws {
            guard !range.isEmpty else { return }
            switch self {
            case .memory(let bytes):
                if let base = bytes.baseAddress { memcpy(target, base + range.lowerBound, range.count) }
            case .file(let file):
                try file.read(into: target, count: range.count, at: range.lowerBound)
            }
        }

        func bytes(_ range: Range<Int>) throws -> [UInt8] {
            guard !range.isEmpty else { return [] }
            return try [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initialized in
                if let base = buffer.baseAddress { try read(range, into: base) }
                initialized = range.count
            }
        }
    }

    /// Parses and checks a book. Every read is bounds-checked against the file, every size is
    /// checked against the file's size before anything is allocated for it, and every section a
    /// column uses is checked (checksum, structure, UTF-8) in seg's own memory, after it was
    /// copied there, before the column exists.
    struct Reader {
        let source: Source
        let fileName: String
        /// The header and the column list: bytes `0..<metadataEnd` of the book.
        var head: [UInt8] = []
        var cursor = 0
        var metadataEnd = 0
        var rowCount = 0

        init(source: Source, fileName: String) {
            self.source = source
            self.fileName = fileName
        }

        func fail(_ what: String) -> SegError { BookFile.corrupt(fileName, what) }

        func u32(at offset: Int) -> UInt32 {
            head.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        }

        func u64(at offset: Int) -> UInt64 {
            head.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        }

        func hash(_ range: Range<Int>) -> UInt64 {
            head.withUnsafeBytes { BookChecksum.hash(UnsafeRawBufferPointer(rebasing: $0[range])) }
        }

        mutating func readU8() throws -> UInt8 {
            guard cursor + 1 <= metadataEnd else { throw fail("the column list is cut short") }
            defer { cursor += 1 }
            return head[cursor]
        }

        mutating func readU32() throws -> UInt32 {
            guard cursor + 4 <= metadataEnd else { throw fail("the column list is cut short") }
            defer { cursor += 4 }
            return u32(at: cursor)
        }

        mutating func readU64() throws -> UInt64 {
            guard cursor + 8 <= metadataEnd else { throw fail("the column list is cut short") }
            defer { cursor += 8 }
            return u64(at: cursor)
        }

        /// A size or offset: must fit the file's arithmetic comfortably.
        mutating func readCount(_ what: String) throws -> Int {
            guard cursor + 8 <= metadataEnd else { throw fail("the column list is cut short") }
            let v = u64(at: cursor)
            cursor += 8
            guard v <= UInt64(Int.max >> 4) else { throw fail("\(what) is out of range") }
            return Int(v)
        }

        mutating func readString(_ what: String) throws -> String {
            let n = Int(try readU32())
            guard n <= metadataEnd - cursor else { throw fail("\(what) is cut short") }
            let start = cursor
            cursor += n
            guard let s = head.withUnsafeBufferPointer({ String(validating: UnsafeBufferPointer(rebasing: $0[start..<(start + n)]),
                                                                as: UTF8.self) }) else {
                throw fail("\(what) is not valid UTF-8")
            }
            return s
        }

        mutating func table(named tableName: String, columns wanted: Set<String>? = nil) throws -> Table {
            let length = source.count
            guard MemoryLayout<Int>.size == 8 else { throw SegError(.internal, "seg books need a 64-bit machine") }
            head = try source.bytes(0..<min(length, BookFile.headerSize))
            guard head.count >= BookFile.magic.count, Array(head[0..<BookFile.magic.count]) == BookFile.magic else {
                throw SegError(.data, "not a seg book (it does not begin with SEGBOOK)", fileLocation: fileName)
            }
            guard length >= BookFile.headerSize else { throw fail("the file is cut short (\(length) bytes)") }
            let version = u32(at: 8)
            if version > BookFile.formatVersion {
                throw SegError(.data, "written by a newer seg (book format \(version); this seg reads up to \(BookFile.formatVersion)); "
                               + "upgrade seg or save the book again from its CSV", fileLocation: fileName)
            }
            if u32(at: 12) == BookFile.byteOrderMarker.byteSwapped {
                throw SegError(.data, "written on a machine with the other byte order; save the book again from its CSV", fileLocation: fileName)
            }
            guard version == BookFile.formatVersion, u32(at: 12) == BookFile.byteOrderMarker, hash(0..<56) == u64(at: 56) else {
                throw fail("the header checksum does not match")
            }
            let fileLength = u64(at: 16)
            guard fileLength == UInt64(length) else {
                throw fail(UInt64(length) < fileLength ? "the file is cut short (\(length) of \(fileLength) bytes)"
                           : "the file is longer than written (\(length) of \(fileLength) bytes)")
            }
            let rows = u64(at: 24), metaOffset = u64(at: 32), metaLength = u64(at: 40)
            guard rows <= UInt64(Int32.max) else { throw fail("the row count is out of range") }
            guard metaOffset == UInt64(BookFile.headerSize), metaLength <= UInt64(length - BookFile.headerSize) else {
                throw fail("the column list lies outside the file")
            }
            rowCount = Int(rows)
            cursor = BookFile.headerSize
            metadataEnd = cursor + Int(metaLength)
            head += try source.bytes(cursor..<metadataEnd)
            guard hash(cursor..<metadataEnd) == u64(at: 48) else { throw fail("the column list checksum does not match") }
            let storedName = try readString("the table name")
            _ = storedName  // The caller names the table (clients, or NAME= on the command line).
            let columnCount = Int(try readU32())
            var specs: [ColumnSpec] = []
            for c in 0..<columnCount {
                let what = "column \(c + 1)"
                let name = try readString("the name of \(what)")
                guard let type = BookFile.type(code: try readU8()) else { throw fail("\(what) has an unknown type") }
                let scale = Int(try readU8())
                let flags = try readU8()
                let sectionCount = Int(try readU8())
                let dictionary = try readCount("the dictionary size of \(what)")
                let words = try readCount("the tag words of \(what)")
                guard flags <= 1, sectionCount == BookFile.sectionCount(type) + Int(flags),
                      type == .decimal ? scale <= 18 : scale == 0 else {
                    throw fail("the description of \(what) is inconsistent")
                }
                var sections: [Section] = []
                for _ in 0..<sectionCount {
                    let s = Section(offset: try readCount("a section offset"), length: try readCount("a section length"),
                                    checksum: try readU64())
                    sections.append(s)
                }
                specs.append(ColumnSpec(name: name, type: type, scale: scale, hasValidity: flags == 1,
                                        dictionaryCount: dictionary, wordsPerRow: words, sections: sections))
            }
            guard cursor == metadataEnd else { throw fail("the column list has trailing bytes") }
            try checkNames(specs)
            if rowCount > 0 && specs.isEmpty { throw fail("it claims \(ByteFormat.grouped(rowCount)) rows but has no columns") }
            // Sections must follow the metadata in order, aligned, inside the file, with zero gaps.
            var position = metadataEnd
            for spec in specs {
                for s in spec.sections {
                    guard s.offset % BookFile.alignment == 0, s.offset >= position, s.length <= length - s.offset else {
                        throw fail("a section of column '\(spec.name)' lies outside the file")
                    }
                    try checkZeros(position..<s.offset)
                    position = s.offset + s.length
                }
                // Every column's sizes follow from the row count: a forged count fails here, for
                // columns that are not read too, before anything is allocated for it.
                try checkSizes(spec)
            }
            try checkZeros(position..<length)
            var columns: [Column] = []
            var unloaded: [String] = []
            for (index, spec) in specs.enumerated() {
                guard ColumnSelection.wants(spec.name, index: index, in: wanted) else {
                    unloaded.append(spec.name)
                    continue
                }
                columns.append(try column(spec))
            }
            var table = Table(name: tableName, columns: columns, rowCount: rowCount, origin: fileName)
            table.unloadedColumns = unloaded
            return table
        }

        /// Column names as a CSV header must have them: not empty, unique ignoring case.
        func checkNames(_ specs: [ColumnSpec]) throws {
            var seen: [String: Int] = [:]
            for (c, spec) in specs.enumerated() {
                let key = spec.name.trimmingSpaces.lowercased()
                if key.isEmpty { throw fail("column \(c + 1) has an empty name") }
                if let other = seen[key] {
                    throw fail("duplicate column name '\(spec.name)' (columns \(other) and \(c + 1))")
                }
                seen[key] = c + 1
            }
        }

        /// The length each section of `spec` must have, from the row count and the dictionary size
        /// alone, and what needs it (nil for the bytes of text and dictionaries: their offsets say).
        func sectionSizes(_ spec: ColumnSpec) -> [(bytes: Int?, what: String)?] {
            let n = rowCount, d = spec.dictionaryCount
            func times(_ count: Int, _ stride: Int) -> Int? {
                let (v, overflow) = count.multipliedReportingOverflow(by: stride)
                return overflow ? nil : v
            }
            let rows = n == 1 ? "1 row needs" : "\(ByteFormat.grouped(n)) rows need"
            let entries = d == 1 ? "1 dictionary entry needs" : "\(ByteFormat.grouped(d)) dictionary entries need"
            var sizes: [(bytes: Int?, what: String)?]
            switch spec.type {
            case .integer, .decimal: sizes = [(times(n, 8), rows)]
            case .date: sizes = [(times(n, 4), rows)]
            case .boolean: sizes = [(n, rows)]
            case .category: sizes = [(times(n, 4), rows), (times(d + 1, 8), entries), nil]
            case .text: sizes = [(times(n + 1, 8), rows), nil]
            case .tags: sizes = [(times(d + 1, 8), entries), nil, (times(n, spec.wordsPerRow).flatMap { times($0, 8) }, rows)]
            }
            if spec.hasValidity { sizes.append((times((n + 63) / 64, 8), rows)) }
            return sizes
        }

        func checkSizes(_ spec: ColumnSpec) throws {
            if spec.type == .tags && spec.wordsPerRow != max(1, (spec.dictionaryCount + 63) / 64) {
                throw fail("column '\(spec.name)' has the wrong tag words per row")
            }
            for (k, (section, need)) in zip(spec.sections, sectionSizes(spec)).enumerated() {
                guard let need, section.length != need.bytes else { continue }
                throw fail("section \(k + 1) of column '\(spec.name)' is \(ByteFormat.grouped(section.length)) bytes; "
                           + "\(need.what) \(need.bytes.map(ByteFormat.grouped) ?? "more than a file can hold")")
            }
        }

        func checkZeros(_ range: Range<Int>) throws {
            var at = range.lowerBound
            while at < range.upperBound {
                let piece = try source.bytes(at..<min(range.upperBound, at + 65_536))
                if let i = piece.firstIndex(where: { $0 != 0 }) { throw fail("padding at byte \(at + i) is not zero") }
                at += piece.count
            }
        }

        // MARK: Columns

        func column(_ spec: ColumnSpec) throws -> Column {
            let n = rowCount
            let sections = spec.sections
            let what = "column '\(spec.name)'"
            let data: ColumnData
            switch spec.type {
            case .integer:
                data = .integer(try copy(sections[0], Int64.self, count: n, what))
            case .decimal:
                data = .decimal(try copy(sections[0], Int64.self, count: n, what), scale: spec.scale)
            case .date:
                let days = try copy(sections[0], Int32.self, count: n, what)
                let ok = days.withUnsafeBufferPointer { d in
                    Parallel.all(n) { r in r.allSatisfy { BookFile.dayRange.contains(d[$0]) } }
                }
                guard ok else { throw fail("\(what) holds a date outside 0000-01-01…9999-12-31") }
                data = .date(days)
            case .boolean:
                // Bool's only valid bytes are 0 and 1: check before they become Bools.
                let raw = try copy(sections[0], UInt8.self, count: n, what)
                guard !raw.contains(where: { $0 > 1 }) else { throw fail("\(what) holds a byte that is not true or false") }
                data = .boolean(raw.map { $0 == 1 })
            case .category:
                let codes = try copy(sections[0], UInt32.self, count: n, what)
                let dictionary = try strings(sections[1], sections[2], count: spec.dictionaryCount, what)
                // A missing value's placeholder code is 0, even when the dictionary is empty (every
                // value missing: checked with the validity below).
                let limit = UInt32(truncatingIfNeeded: max(1, dictionary.count))
                let ok = dictionary.count <= Int(UInt32.max) && codes.withUnsafeBufferPointer { c in
                    Parallel.all(n) { r in
                        var high: UInt32 = 0
                        for i in r { high = max(high, c[i]) }
                        return r.isEmpty || high < limit
                    }
                }
                guard ok else { throw fail("\(what) has a code past its dictionary") }
                data = .category(codes: codes, dictionary: dictionary)
            case .text:
                let offsets = try copy(sections[0], Int.self, count: n + 1, what)
                let bytes = try copy(sections[1], UInt8.self, count: sections[1].length, what)
                guard offsetsAreValid(offsets, end: bytes.count) else { throw fail("\(what) has text offsets out of order") }
                if let row = firstInvalidText(offsets, bytes) {
                    throw fail("\(what) holds text that is not valid UTF-8 (row \(ByteFormat.grouped(row + 1)))")
                }
                data = .text(TextBuffer(bytes: bytes, offsets: offsets))
            case .tags:
                let vocabulary = try strings(sections[0], sections[1], count: spec.dictionaryCount, what)
                let wordsPerRow = spec.wordsPerRow
                guard wordsPerRow == max(1, (vocabulary.count + 63) / 64) else { throw fail("\(what) has the wrong tag words per row") }
                let (total, overflow) = n.multipliedReportingOverflow(by: wordsPerRow)
                guard !overflow else { throw fail("\(what) is too large") }
                let bits = try copy(sections[2], UInt64.self, count: total, what)
                // Bits past the vocabulary in each row's last word must be clear.
                let rem = vocabulary.count & 63
                if rem != 0 || vocabulary.isEmpty {
                    let mask: UInt64 = vocabulary.isEmpty ? ~0 : ~((1 << UInt64(rem)) - 1)
                    let ok = bits.withUnsafeBufferPointer { b in
                        Parallel.all(n) { r in
                            var stray: UInt64 = 0
                            for row in r { stray |= b[row * wordsPerRow + wordsPerRow - 1] & mask }
                            return stray == 0
                        }
                    }
                    guard ok else { throw fail("\(what) has a tag past its vocabulary") }
                }
                data = .tags(TagSets(vocabulary: vocabulary, wordsPerRow: wordsPerRow, bits: bits))
            }
            var validity: Bitmap?
            if spec.hasValidity {
                let words = try copy(sections[sections.count - 1], UInt64.self, count: (n + 63) / 64, "the missing values of \(what)")
                let rem = n & 63
                if rem != 0, let last = words.last, last >> UInt64(rem) != 0 {
                    throw fail("the missing values of \(what) run past the last row")
                }
                validity = Bitmap(words: words, count: n)
            }
            if case .category(_, let dictionary) = data, dictionary.isEmpty, n > 0, (validity?.popcount ?? n) > 0 {
                throw fail("\(what) has values but an empty dictionary")
            }
            return Column(name: spec.name, data: data, validity: validity, count: n)
        }

        /// True when offsets start at 0, never decrease and end at `end`.
        func offsetsAreValid(_ offsets: [Int], end: Int) -> Bool {
            guard offsets.first == 0, offsets.last == end else { return false }
            return offsets.withUnsafeBufferPointer { o in
                Parallel.all(o.count - 1) { r in
                    // Branch-free: one pass the compiler can vectorise.
                    var bad: UInt8 = 0
                    for i in r { bad |= o[i] > o[i + 1] ? 1 : 0 }
                    return bad == 0
                }
            }
        }

        /// The first row whose text is not valid UTF-8, or nil. `offsets` are valid already. Each
        /// block of rows has its bytes validated in one go, and no row may start inside a character
        /// (so no row's text ends with half of one): then every row is valid on its own.
        func firstInvalidText(_ offsets: [Int], _ bytes: [UInt8]) -> Int? {
            let rows = offsets.count - 1
            let valid = offsets.withUnsafeBufferPointer { o in
                bytes.withUnsafeBufferPointer { b in
                    Parallel.all(rows) { r in
                        guard !r.isEmpty else { return true }
                        var split: UInt8 = 0
                        for i in r where o[i] < b.count { split |= b[o[i]] & 0xC0 == 0x80 ? 1 : 0 }
                        let text = UnsafeBufferPointer(rebasing: b[o[r.lowerBound]..<o[r.upperBound]])
                        return split == 0 && (try? UTF8Span(validating: text.span)) != nil
                    }
                }
            }
            if valid { return nil }
            // Rare: find the row to name, one at a time.
            return bytes.withUnsafeBufferPointer { b in
                (0..<rows).first { i in
                    String(validating: UnsafeBufferPointer(rebasing: b[offsets[i]..<offsets[i + 1]]), as: UTF8.self) == nil
                } ?? 0
            }
        }

        /// A dictionary or vocabulary: distinct valid UTF-8 strings in ascending byte order.
        func strings(_ offsetSection: Section, _ byteSection: Section, count: Int, _ what: String) throws -> [String] {
            guard count < Int(Int32.max) else { throw fail("\(what) has too many dictionary entries") }
            let offsets = try copy(offsetSection, Int.self, count: count + 1, "the dictionary of \(what)")
            let bytes = try copy(byteSection, UInt8.self, count: byteSection.length, "the dictionary of \(what)")
            guard offsetsAreValid(offsets, end: bytes.count) else { throw fail("the dictionary of \(what) has offsets out of order") }
            var out: [String] = []
            out.reserveCapacity(count)
            try bytes.withUnsafeBufferPointer { b in
                var previous = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
                for i in 0..<count {
                    let slice = UnsafeBufferPointer(rebasing: b[offsets[i]..<offsets[i + 1]])
                    guard let s = String(validating: slice, as: UTF8.self) else {
                        throw fail("the dictionary of \(what) holds invalid UTF-8 (entry \(i + 1))")
                    }
                    if i > 0 && Bytes.compare(previous, slice) >= 0 {
                        throw fail("the dictionary of \(what) is not sorted (entry \(i + 1))")
                    }
                    previous = slice
                    out.append(s)
                }
            }
            return out
        }

        /// Reads a section into a new array of `count` elements and checks its size and checksum,
        /// on every core. The checksum is taken of the copy, not of the file: these are the bytes
        /// seg will use, whatever happens to the file meanwhile. Hot: one pass per 256 KiB block,
        /// hashed while it is still in cache.
        func copy<T: BitwiseCopyable>(_ section: Section, _: T.Type, count: Int, _ what: String) throws -> [T] {
            let (expected, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
            guard !overflow, expected == section.length else { throw fail("\(what) has the wrong size") }
            let blockCount = max(1, (section.length + BookFile.checksumBlock - 1) / BookFile.checksumBlock)
            var blocks = [UInt64](repeating: 0, count: blockCount)
            var failures = [SegError?](repeating: nil, count: blockCount)
            let source = UncheckedSendable(self.source)
            let array = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                let target = UncheckedSendable(UnsafeMutableRawBufferPointer(buffer))
                BookFile.adviseHugePages(target.value)
                blocks.withUnsafeMutableBufferPointer { out in
                    failures.withUnsafeMutableBufferPointer { failed in
                        let slots = UncheckedSendable((out, failed))
                        Parallel.forEach(blockCount) { b in
                            let (out, failed) = slots.value
                            let lo = b * BookFile.checksumBlock
                            let hi = min(section.length, lo + BookFile.checksumBlock)
                            guard lo < hi, let to = target.value.baseAddress else {
                                out[b] = BookChecksum.hash(UnsafeRawBufferPointer(start: nil, count: 0))
                                return
                            }
                            do {
                                try source.value.read((section.offset + lo)..<(section.offset + hi), into: to + lo)
                            } catch {
                                failed[b] = error as? SegError ?? SegError(.io, "cannot read '\(fileName)'")
                                return
                            }
                            out[b] = BookChecksum.hash(UnsafeRawBufferPointer(start: to + lo, count: hi - lo))
                        }
                    }
                }
                initialized = count
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
            guard BookChecksum.combine(blocks, length: section.length) == section.checksum else {
                throw fail("the checksum of \(what) does not match")
            }
            return array
        }
    }

    /// Asks for huge pages under a large fresh buffer: a few faults instead of one per 4 KiB page.
    static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        let huge = 2 << 20
        guard buffer.count >= 2 * huge, let base = buffer.baseAddress else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(huge - 1)
        if end > start, let p = UnsafeMutableRawPointer(bitPattern: start) {
            _ = madvise(p, end - start, MADV_HUGEPAGE)
        }
        #endif
    }
}
