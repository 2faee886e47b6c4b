import Dispatch
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SegBase
import SegStore

// Reading a book: every byte checked before a column exists.

extension BookFile {
    struct Section {
        var offset: Int
        var length: Int
        var checksum: UInt64
    }

    /// What the column list says about one column: where its sections are and their checksums.
    typealias ColumnSpec = ColumnEntry<Section>

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

        func fail(_ damage: BookDamage) -> SegError { BookFile.corrupt(fileName, damage) }

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
            guard cursor + 1 <= metadataEnd else { throw fail(.columnListCutShort) }
            defer { cursor += 1 }
            return head[cursor]
        }

        mutating func readU32() throws -> UInt32 {
            guard cursor + 4 <= metadataEnd else { throw fail(.columnListCutShort) }
            defer { cursor += 4 }
            return u32(at: cursor)
        }

        mutating func readU64() throws -> UInt64 {
            guard cursor + 8 <= metadataEnd else { throw fail(.columnListCutShort) }
            defer { cursor += 8 }
            return u64(at: cursor)
        }

        /// A size or offset: must fit the file's arithmetic comfortably.
        mutating func readCount(_ what: BookPart) throws -> Int {
            guard cursor + 8 <= metadataEnd else { throw fail(.columnListCutShort) }
            let v = u64(at: cursor)
            cursor += 8
            guard v <= UInt64(Int.max >> 4) else { throw fail(.outOfRange(what)) }
            return Int(v)
        }

        mutating func readString(_ what: BookPart) throws -> String {
            let n = Int(try readU32())
            guard n <= metadataEnd - cursor else { throw fail(.cutShort(what)) }
            let start = cursor
            cursor += n
            guard let s = head.withUnsafeBufferPointer({ String(validating: UnsafeBufferPointer(rebasing: $0[start..<(start + n)]),
                                                                as: UTF8.self) }) else {
                throw fail(.notUTF8(what))
            }
            return s
        }

        mutating func table(named tableName: String, columns wanted: Set<String>? = nil) throws -> Table {
            let length = source.count
            guard MemoryLayout<Int>.size == 8 else { throw SegError(.internal, .internal("seg books need a 64-bit machine")) }
            head = try source.bytes(0..<min(length, BookFile.headerSize))
            guard head.count >= BookFile.magic.count, Array(head[0..<BookFile.magic.count]) == BookFile.magic else {
                throw SegError(.data, .book(.notABook), fileLocation: fileName)
            }
            guard length >= BookFile.headerSize else { throw fail(.fileCutShort(bytes: length)) }
            let version = u32(at: 8)
            if version > BookFile.formatVersion {
                throw SegError(.data, .book(.newerFormat(version: version, newest: BookFile.formatVersion)), fileLocation: fileName)
            }
            if u32(at: 12) == BookFile.byteOrderMarker.byteSwapped {
                throw SegError(.data, .book(.otherByteOrder), fileLocation: fileName)
            }
            guard version == BookFile.formatVersion, u32(at: 12) == BookFile.byteOrderMarker, hash(0..<56) == u64(at: 56) else {
                throw fail(.headerChecksum)
            }
            let fileLength = u64(at: 16)
            guard fileLength == UInt64(length) else {
                throw fail(.fileLength(actual: length, written: fileLength))
            }
            let rows = u64(at: 24), metaOffset = u64(at: 32), metaLength = u64(at: 40)
            guard rows <= UInt64(Int32.max) else { throw fail(.rowCountOutOfRange) }
            guard metaOffset == UInt64(BookFile.headerSize), metaLength <= UInt64(length - BookFile.headerSize) else {
                throw fail(.columnListOutsideFile)
            }
            rowCount = Int(rows)
            cursor = BookFile.headerSize
            metadataEnd = cursor + Int(metaLength)
            head += try source.bytes(cursor..<metadataEnd)
            guard hash(cursor..<metadataEnd) == u64(at: 48) else { throw fail(.columnListChecksum) }
            let storedName = try readString(.tableName)
            _ = storedName  // The caller names the table (clients, or NAME= on the command line).
            let columnCount = Int(try readU32())
            var specs: [ColumnSpec] = []
            for c in 0..<columnCount {
                let what = BookPart.columnNumber(c + 1)
                let name = try readString(.nameOf(what))
                guard let type = BookFile.type(code: try readU8()) else { throw fail(.unknownType(what)) }
                let scale = Int(try readU8())
                let flags = try readU8()
                let sectionCount = Int(try readU8())
                let dictionary = try readCount(.dictionarySizeOf(what))
                let words = try readCount(.tagWordsOf(what))
                guard flags <= 1, sectionCount == BookFile.sectionCount(type) + Int(flags),
                      type == .decimal ? scale <= 18 : scale == 0 else {
                    throw fail(.inconsistent(what))
                }
                var sections: [Section] = []
                for _ in 0..<sectionCount {
                    let s = Section(offset: try readCount(.sectionOffset), length: try readCount(.sectionLength),
                                    checksum: try readU64())
                    sections.append(s)
                }
                specs.append(ColumnSpec(name: name, type: type, scale: scale, hasValidity: flags == 1,
                                        dictionaryCount: dictionary, wordsPerRow: words, sections: sections))
            }
            guard cursor == metadataEnd else { throw fail(.trailingBytes) }
            try checkNames(specs)
            if rowCount > 0 && specs.isEmpty { throw fail(.rowsWithoutColumns(rows: rowCount)) }
            // Sections must follow the metadata in order, aligned, inside the file, with zero gaps.
            var position = metadataEnd
            for spec in specs {
                for s in spec.sections {
                    guard s.offset % BookFile.alignment == 0, s.offset >= position, s.length <= length - s.offset else {
                        throw fail(.sectionOutsideFile(column: spec.name))
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
                if key.isEmpty { throw fail(.emptyColumnName(column: c + 1)) }
                if let other = seen[key] {
                    throw fail(.duplicateColumnName(spec.name, columns: (other, c + 1)))
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
                throw fail(.wrongTagWords(.column(spec.name)))
            }
            for (k, (section, need)) in zip(spec.sections, sectionSizes(spec)).enumerated() {
                guard let need, section.length != need.bytes else { continue }
                throw fail(.sectionSize(section: k + 1, column: spec.name, bytes: section.length, need: need.what, needBytes: need.bytes))
            }
        }

        func checkZeros(_ range: Range<Int>) throws {
            var at = range.lowerBound
            while at < range.upperBound {
                let piece = try source.bytes(at..<min(range.upperBound, at + 65_536))
                if let i = piece.firstIndex(where: { $0 != 0 }) { throw fail(.padding(at: at + i)) }
                at += piece.count
            }
        }

        // MARK: Columns

        func column(_ spec: ColumnSpec) throws -> Column {
            let n = rowCount
            let sections = spec.sections
            let what = BookPart.column(spec.name)
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
                guard ok else { throw fail(.dateOutOfRange(what)) }
                data = .date(days)
            case .boolean:
                // Bool's only valid bytes are 0 and 1: check before they become Bools.
                let raw = try copy(sections[0], UInt8.self, count: n, what)
                guard !raw.contains(where: { $0 > 1 }) else { throw fail(.notBoolean(what)) }
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
                guard ok else { throw fail(.codePastDictionary(what)) }
                data = .category(codes: codes, dictionary: dictionary)
            case .text:
                let offsets = try copy(sections[0], Int.self, count: n + 1, what)
                let bytes = try copy(sections[1], UInt8.self, count: sections[1].length, what)
                guard offsetsAreValid(offsets, end: bytes.count) else { throw fail(.textOffsets(what)) }
                if let row = firstInvalidText(offsets, bytes) {
                    throw fail(.textNotUTF8(what, row: row + 1))
                }
                data = .text(TextBuffer(bytes: bytes, offsets: offsets))
            case .tags:
                let vocabulary = try strings(sections[0], sections[1], count: spec.dictionaryCount, what)
                let wordsPerRow = spec.wordsPerRow
                guard wordsPerRow == max(1, (vocabulary.count + 63) / 64) else { throw fail(.wrongTagWords(what)) }
                let (total, overflow) = n.multipliedReportingOverflow(by: wordsPerRow)
                guard !overflow else { throw fail(.tooLarge(what)) }
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
                    guard ok else { throw fail(.tagPastVocabulary(what)) }
                }
                data = .tags(TagSets(vocabulary: vocabulary, wordsPerRow: wordsPerRow, bits: bits))
            }
            var validity: Bitmap?
            if spec.hasValidity {
                let words = try copy(sections[sections.count - 1], UInt64.self, count: (n + 63) / 64, .missingValuesOf(what))
                let rem = n & 63
                if rem != 0, let last = words.last, last >> UInt64(rem) != 0 {
                    throw fail(.missingPastLastRow(what))
                }
                validity = Bitmap(words: words, count: n)
            }
            if case .category(_, let dictionary) = data, dictionary.isEmpty, n > 0, (validity?.popcount ?? n) > 0 {
                throw fail(.valuesWithoutDictionary(what))
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
        func strings(_ offsetSection: Section, _ byteSection: Section, count: Int, _ what: BookPart) throws -> [String] {
            guard count < Int(Int32.max) else { throw fail(.tooManyEntries(what)) }
            let offsets = try copy(offsetSection, Int.self, count: count + 1, .dictionaryOf(what))
            let bytes = try copy(byteSection, UInt8.self, count: byteSection.length, .dictionaryOf(what))
            guard offsetsAreValid(offsets, end: bytes.count) else { throw fail(.dictionaryOffsets(what)) }
            var out: [String] = []
            out.reserveCapacity(count)
            try bytes.withUnsafeBufferPointer { b in
                var previous = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
                for i in 0..<count {
                    let slice = UnsafeBufferPointer(rebasing: b[offsets[i]..<offsets[i + 1]])
                    guard let s = String(validating: slice, as: UTF8.self) else {
                        throw fail(.dictionaryNotUTF8(what, entry: i + 1))
                    }
                    if i > 0 && Bytes.compare(previous, slice) >= 0 {
                        throw fail(.dictionaryUnsorted(what, entry: i + 1))
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
        func copy<T: BitwiseCopyable>(_ section: Section, _: T.Type, count: Int, _ what: BookPart) throws -> [T] {
            let (expected, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
            guard !overflow, expected == section.length else { throw fail(.wrongSize(what)) }
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
                                failed[b] = error as? SegError ?? SegError(.io, .file(.failed(.read, path: fileName, reason: nil)))
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
                throw fail(.checksum(what))
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
