import Dispatch
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SegBase
import SegStore

// Writing a book: the layout computed first, then the bytes streamed to the file.

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

    /// A column to write: its buffers, one per section.
    typealias PlannedColumn = ColumnEntry<Payload>

    /// The layout of a book: every section's place and checksum, computed before any byte is written.
    struct Plan {
        var header: [UInt8] = []
        var metadata: [UInt8] = []
        var sections: [(offset: Int, payload: Payload)] = []
        var fileLength = 0

        init(_ table: Table) throws {
            guard MemoryLayout<Int>.size == 8 else { throw SegError(.internal, .internal("seg books need a 64-bit machine")) }
            var columns: [PlannedColumn] = []
            for column in table.columns {
                var p = PlannedColumn(name: column.name, type: column.type, scale: column.scale,
                                      hasValidity: column.validity != nil, dictionaryCount: 0, wordsPerRow: 0, sections: [])
                switch column.data {
                case .integer(let v), .decimal(let v, _): p.sections = [Payload(v)]
                case .date(let v): p.sections = [Payload(v)]
                case .boolean(let v): p.sections = [Payload(v)]
                case .category(let codes, let dictionary):
                    let strings = Plan.strings(dictionary)
                    p.dictionaryCount = dictionary.count
                    p.sections = [Payload(codes), Payload(strings.offsets), Payload(strings.bytes)]
                case .text(let buffer):
                    p.sections = [Payload(buffer.offsets), Payload(buffer.bytes)]
                case .tags(let tags):
                    let strings = Plan.strings(tags.vocabulary)
                    p.dictionaryCount = tags.vocabulary.count
                    p.wordsPerRow = tags.wordsPerRow
                    p.sections = [Payload(strings.offsets), Payload(strings.bytes), Payload(tags.bits)]
                }
                if let validity = column.validity { p.sections.append(Payload(validity.words)) }
                columns.append(p)
            }
            // The metadata's size does not depend on the offsets in it, so lay it out once with zeros.
            let metadataLength = Plan.metadata(table.name, columns, places: nil).count
            var offset = BookFile.aligned(BookFile.headerSize + metadataLength)
            var places: [(offset: Int, length: Int, checksum: UInt64)] = []
            for column in columns {
                for payload in column.sections {
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
                w.bytes.append(UInt8(c.sections.count))
                w.u64(c.dictionaryCount)
                w.u64(c.wordsPerRow)
                for _ in c.sections {
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
