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

    static func corrupt(_ fileName: String, _ damage: BookDamage) -> SegError {
        SegError(.data, .book(.damaged(damage)), fileLocation: fileName)
    }

    /// One column's entry in the column list; `Part` is a section as written (its buffer) or as
    /// read (its place and checksum).
    struct ColumnEntry<Part> {
        var name: String
        var type: FieldType
        var scale: Int
        var hasValidity: Bool
        var dictionaryCount: Int
        var wordsPerRow: Int
        var sections: [Part]
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
