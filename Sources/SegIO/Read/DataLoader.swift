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

/// The file formats seg loads.
public enum DataFormat: String, Sendable, CaseIterable {
    case csv, tsv, json, jsonl
}

/// How to read a text file beyond its format: what stands for no value, and the encoding.
public struct LoadOptions: Sendable, Equatable {
    /// The cells that stand for no value (`--na`).
    public var missing: MissingValues = .standard
    /// The file's character encoding (`--encoding`); nil reads UTF-8 and, when the file is not
    /// valid UTF-8, GB18030, and says so.
    public var encoding: String?
    /// Lines of title above a CSV or TSV header (`--skip N`); nil finds them.
    public var skip: Int?
    /// Leave out a last row that is a total (`合计`, `总计`): `--skip-footer`.
    public var skipFooter: Bool
    /// The sheet of an .xlsx workbook to read (`--sheet`); nil reads the first.
    public var sheet: String?
    /// A type override naming no column of the file is left unused rather than an error: `.load`
    /// applies the command line's `--type` to the columns its file has (they were checked
    /// against the first `--data` file).
    public var typesWhereFound = false

    public init(missing: MissingValues = .standard, encoding: String? = nil, skip: Int? = nil, skipFooter: Bool = false,
                sheet: String? = nil) {
        self.missing = missing
        self.encoding = encoding
        self.skip = skip
        self.skipFooter = skipFooter
        self.sheet = sheet
    }
}

/// Loads a client book or another table from a CSV, TSV, JSON or JSON Lines file into typed columns.
///
/// Column types are inferred (see `ColumnBuilder`) unless given. Any malformed input is one error
/// naming `file:line:column` (1-based; the column counts characters), and nothing is half-loaded.
/// Messages name columns and positions, never the values in the file.
public enum DataLoader {
    /// Loads a file (path "-" = standard input). The format comes from the extension (.csv, .tsv/.tab,
    /// .json, .jsonl/.ndjson); otherwise from the content: '[' → json, '{' → jsonl, a tab in the first
    /// line and no comma → tsv, else csv. A seg book (.segbook, or the SEGBOOK magic) is opened
    /// with `BookFile`.
    /// `types` overrides inferred types by column name (case-insensitive); an override naming no
    /// column is a usage error with a "did you mean".
    ///
    /// `columns`, when given, holds the lowercased names of the columns to build (see
    /// `ColumnDemand`); those named in `types` are always built, and the names of the others are
    /// kept in `Table.unloadedColumns` for messages. Every cell of a text file is still checked,
    /// so a malformed file is an error either way; a seg book checks the sections it reads.
    public static func load(path: String, tableName: String, types: [String: FieldType],
                            columns: Set<String>? = nil, options: LoadOptions = LoadOptions()) throws -> Table {
        if BookFile.isBook(path: path) {
            try refuseOverrides(types, fileName: path)
            return try BookFile.read(path: path, tableName: tableName, columns: columns)
        }
        let fileName = path == "-" ? "<stdin>" : path
        if XLSXReader.isWorkbookName(path) {
            let bytes = try readInput(path: path)
            return try bytes.withUnsafeBufferPointer { buffer in
                try loadWorkbook(buffer, fileName: fileName, tableName: tableName, types: types, columns: columns, options: options)
            }
        }
        // A regular file is read whole into memory of seg's own, never mapped (see `InputFile`).
        if path != "-", let input = try InputFile(path: path) {
            let bytes = try input.readAll()
            defer { bytes.deallocate() }
            return try load(buffer: UnsafeBufferPointer(bytes), fileName: fileName, format: nil, tableName: tableName,
                            types: types, columns: columns, options: options)
        }
        let bytes = try readInput(path: path)
        return try load(bytes: bytes, fileName: fileName, format: nil, tableName: tableName, types: types, columns: columns,
                        options: options)
    }

    /// Loads data already in memory; `fileName` names it in messages and, when `format` is nil,
    /// its extension (or else its content) picks the format.
    public static func load(bytes: [UInt8], fileName: String, format: DataFormat?, tableName: String,
                            types: [String: FieldType], columns: Set<String>? = nil,
                            options: LoadOptions = LoadOptions()) throws -> Table {
        if format == nil && BookFile.hasMagic(bytes) {
            try refuseOverrides(types, fileName: fileName)
            return try BookFile.decode(bytes, fileName: fileName, tableName: tableName)
        }
        if format == nil && XLSXReader.isWorkbookName(fileName) {
            return try bytes.withUnsafeBufferPointer { buffer in
                try loadWorkbook(buffer, fileName: fileName, tableName: tableName, types: types, columns: columns, options: options)
            }
        }
        return try bytes.withUnsafeBufferPointer { buffer in
            try load(buffer: buffer, fileName: fileName, format: format, tableName: tableName, types: types, columns: columns,
                     options: options)
        }
    }

    /// `load(bytes:…)` over bytes that stay valid for the call (the table keeps none of them).
    static func load(buffer bytes: UnsafeBufferPointer<UInt8>, fileName: String, format: DataFormat?, tableName: String,
                     types: [String: FieldType], columns: Set<String>?, options: LoadOptions) throws -> Table {
        // Another encoding, named or detected: the file converted to UTF-8 is what is read, so
        // lines and columns in messages are those of the file.
        if let encoding = options.encoding, !TextEncoding.isUTF8(encoding) {
            return try transcoded(bytes, from: encoding, detected: false, fileName: fileName, format: format, tableName: tableName,
                                  types: types, columns: columns, options: options)
        }
        do {
            return try loadUTF8(buffer: bytes, fileName: fileName, format: format, tableName: tableName, types: types,
                                columns: columns, options: options)
        } catch let error as SegError where options.encoding == nil && error.diagnostic == .data(.invalidUTF8) {
            // Not UTF-8: most likely what Excel on Chinese Windows saves. A file that does not read
            // as everyday Chinese in GB18030 either (Latin-1, damaged bytes) keeps the UTF-8
            // error, which names the first bad byte's line and column: never a silent misreading.
            if TextEncoding.looksLikeOtherEncoding(bytes), TextEncoding.mostlyCommonChinese(bytes), case .success(let utf8) = TextEncoding.toUTF8(bytes, from: TextEncoding.fallback),
               TextEncoding.readsAsChinese(utf8) {
                return try transcoded(bytes, from: TextEncoding.fallback, detected: true, fileName: fileName, format: format,
                                      tableName: tableName, types: types, columns: columns, options: options)
            }
            throw error
        }
    }

    /// Loads a sheet of an .xlsx workbook: its cells as CSV text, read and typed as a CSV file is,
    /// with places in messages given as the sheet's rows and cells (`book.xlsx:Sheet1!C7`).
    static func loadWorkbook(_ bytes: UnsafeBufferPointer<UInt8>, fileName: String, tableName: String, types: [String: FieldType],
                             columns: Set<String>?, options: LoadOptions) throws -> Table {
        let sheet = try XLSXReader.read(bytes, fileName: fileName, sheet: options.sheet)
        guard !sheet.csv.isEmpty else {
            throw SegError(.data, .data(.noHeader), fileLocation: "\(fileName):\(sheet.map.sheet)")
        }
        var table = try sheet.csv.withUnsafeBufferPointer { csv in
            try loadUTF8(buffer: csv, fileName: fileName, format: .csv, tableName: tableName, types: types, columns: columns,
                         options: options, sheet: sheet.map)
        }
        table.notes = table.notes.map { note in
            if case .titleRowSkipped(let line, let text) = note { return .titleRowSkipped(line: sheet.map.row(ofLine: line), text: text) }
            return note
        }
        return table
    }

    /// Loads the file converted from `encoding`; the table's notes say so when it was `detected`.
    static func transcoded(_ bytes: UnsafeBufferPointer<UInt8>, from encoding: String, detected: Bool, fileName: String,
                           format: DataFormat?, tableName: String, types: [String: FieldType], columns: Set<String>?,
                           options: LoadOptions) throws -> Table {
        switch TextEncoding.toUTF8(bytes, from: encoding) {
        case .failure(let failure):
            if failure.unknownEncoding { throw SegError(.usage, .data(.unknownEncoding(encoding))) }
            throw SegError(.data, .data(.notInEncoding(encoding)),
                           fileLocation: FileLocator(name: fileName, bytes: bytes).location(of: failure.offset))
        case .success(let utf8):
            var table = try utf8.withUnsafeBufferPointer { converted in
                try loadUTF8(buffer: converted, fileName: fileName, format: format, tableName: tableName, types: types,
                             columns: columns, options: options)
            }
            if detected { table.notes.insert(.readAsEncoding(encoding), at: 0) }
            return table
        }
    }

    /// `sheet`: the text is a worksheet's (see `loadWorkbook`), and places are its rows and cells.
    static func loadUTF8(buffer bytes: UnsafeBufferPointer<UInt8>, fileName: String, format: DataFormat?, tableName: String,
                         types: [String: FieldType], columns: Set<String>?, options: LoadOptions,
                         sheet: SheetMap? = nil) throws -> Table {
        let locator = FileLocator(name: fileName, bytes: bytes, sheet: sheet)
        let format = format ?? self.format(forFileName: fileName) ?? sniffFormat(bytes)
        // The first column is always read: a total row (`合计`) is found by it.
        let wanted = columns.map { $0.union(types.keys.map { $0.trimmingSpaces.lowercased() }).union([ColumnSelection.firstColumn]) }
        var raw: RawTable
        do throws(DataFailure) {
            switch format {
            case .csv: raw = try CSVReader.read(bytes, separator: UInt8(ascii: ","), quoting: true, wanted: wanted, skip: options.skip)
            case .tsv: raw = try CSVReader.read(bytes, separator: 0x09, quoting: false, wanted: wanted, skip: options.skip)
            case .json, .jsonl: raw = try JSONReader.read(bytes).keeping(wanted)
            }
        } catch {
            throw SegError(.data, .data(error.message), fileLocation: locator.location(of: error.offset))
        }
        if let mark = raw.totalRowMark() {
            // A total row loaded as a client doubles every sum: said, and left out when asked.
            let line = locator.position(of: cellOffset(raw, row: raw.rowCount - 1, column: 0, bytes: bytes)).line
            raw.notes.append(.totalRow(line: line, text: mark, skipped: options.skipFooter))
            if options.skipFooter { raw = raw.droppingLastRow() }
        }
        let overrides = try resolveOverrides(types, names: raw.names, fileName: fileName, whereFound: options.typesWhereFound)
        let built = try buildColumns(raw, overrides: overrides, bytes: bytes, locator: locator, missing: options.missing)
        var table = Table(name: tableName, columns: built.columns, rowCount: raw.rowCount, origin: fileName)
        table.notes = raw.notes + built.notes
        table.unloadedColumns = raw.names.indices.filter { !raw.loaded[$0] }.map { raw.names[$0] }
        return table
    }

    /// The format named by a file's extension, if it names one.
    public static func format(forFileName name: String) -> DataFormat? {
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "json": return .json
        case "jsonl", "ndjson": return .jsonl
        default: return nil
        }
    }

    /// Guesses the format of content with no telling extension.
    public static func sniffFormat(_ bytes: [UInt8]) -> DataFormat {
        bytes.withUnsafeBufferPointer { sniffFormat($0) }
    }

    static func sniffFormat(_ bytes: UnsafeBufferPointer<UInt8>) -> DataFormat {
        var i = UTF8Check.byteOrderMarkLength(bytes)
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        if i < bytes.count && bytes[i] == UInt8(ascii: "[") { return .json }
        if i < bytes.count && bytes[i] == UInt8(ascii: "{") { return .jsonl }
        var sawTab = false, sawComma = false
        var j = UTF8Check.byteOrderMarkLength(bytes)
        while j < bytes.count && bytes[j] != 0x0A && bytes[j] != 0x0D {
            if bytes[j] == 0x09 { sawTab = true }
            if bytes[j] == UInt8(ascii: ",") { sawComma = true }
            j += 1
        }
        return sawTab && !sawComma ? .tsv : .csv
    }

    // MARK: - Loading

    /// A book's columns are typed already; --type cannot change them.
    static func refuseOverrides(_ types: [String: FieldType], fileName: String) throws {
        if !types.isEmpty {
            throw SegError(.usage, .data(.typeOnBook(file: fileName)))
        }
    }

    /// The override for each column index; an override naming no column is a usage error.
    static func resolveOverrides(_ types: [String: FieldType], names: [String], fileName: String,
                                 whereFound: Bool = false) throws -> [FieldType?] {
        var result = [FieldType?](repeating: nil, count: names.count)
        // Sorted so that with several bad names the message does not depend on dictionary order.
        for (key, type) in types.sorted(by: { $0.key < $1.key }) {
            let trimmed = key.trimmingSpaces
            let index = ExactText.index(of: trimmed, in: names) ?? names.firstIndex { ExactText.sameName($0, trimmed) }
            guard let index else {
                if whereFound { continue }
                throw SegError(.usage, .data(.noColumnToType(key, file: fileName,
                                                              suggestion: Suggest.closest(to: trimmed, among: names))))
            }
            result[index] = type
        }
        return result
    }

    /// Types and converts every loaded column, in parallel; of several failures, the one earliest in the file wins.
    static func buildColumns(_ raw: RawTable, overrides: [FieldType?], bytes: UnsafeBufferPointer<UInt8>, locator: FileLocator,
                             missing: MissingValues) throws -> (columns: [Column], notes: [DataMessage]) {
        // tuned: the columns with the most bytes start first, so no long column is left running
        // alone on one core at the end (longest-task-first scheduling)
        let sizes = raw.names.indices.map { raw.loaded[$0] ? raw.cellBytes(column: $0) : 0 }
        let loaded = raw.names.indices.filter { raw.loaded[$0] }.sorted { sizes[$0] > sizes[$1] }
        let rowCount = raw.rowCount
        var slots = [Result<Column, CellFailure>?](repeating: nil, count: raw.names.count)
        var notes = [DataMessage?](repeating: nil, count: raw.names.count)
        slots.withUnsafeMutableBufferPointer { out in
          notes.withUnsafeMutableBufferPointer { notesOut in
            let out = UncheckedSendable(out), notesOut = UncheckedSendable(notesOut)
            DispatchQueue.concurrentPerform(iterations: loaded.count) { k in
                let c = loaded[k]
                let cells = ColumnCells(chunks: raw.chunks, column: c, rowCount: rowCount, missing: missing)
                do throws(CellFailure) {
                    var note: DataMessage?
                    let column = try ColumnBuilder.build(name: raw.names[c], cells: cells, type: overrides[c],
                                                         isArrayColumn: raw.arrayColumns[c], note: &note)
                    out.value[c] = .success(column)
                    notesOut.value[c] = note
                } catch {
                    out.value[c] = .failure(error)
                }
            }
          }
        }
        var columns: [Column] = []
        var first: (offset: Int, message: DataMessage)?
        for c in raw.names.indices where raw.loaded[c] {
            switch slots[c] {
            case .success(var column):
                if var profile = column.profile {
                    // The examples' lines, while the file's bytes are at hand.
                    func line(_ example: ValueProfile.Example?) -> ValueProfile.Example? {
                        guard var example else { return nil }
                        example.line = locator.position(of: cellOffset(raw, row: example.row, column: c, bytes: bytes)).line
                        return example
                    }
                    profile.notNumber = line(profile.notNumber)
                    if let number = profile.notNumber, profile.notDate?.row == number.row {
                        profile.notDate?.line = number.line
                    } else {
                        profile.notDate = line(profile.notDate)
                    }
                    column.profile = profile
                }
                columns.append(column)
            case .failure(let failure):
                let offset = cellOffset(raw, row: failure.row, column: c, bytes: bytes)
                if offset < (first?.offset ?? Int.max) { first = (offset, failure.message) }
            case nil:
                throw SegError(.internal, .internal("column \(c + 1) of \(locator.name) was not built"))
            }
        }
        if let first {
            throw SegError(.data, .data(first.message), fileLocation: locator.location(of: first.offset))
        }
        return (columns, raw.names.indices.compactMap { notes[$0] })
    }

    /// The byte offset in the file where a cell begins.
    static func cellOffset(_ raw: RawTable, row: Int, column: Int, bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var r = row
        for chunk in raw.chunks {
            if r >= chunk.rows {
                r -= chunk.rows
                continue
            }
            switch raw.locator {
            case .json:
                guard let origins = chunk.origins, let local = chunk.localColumn(column) else { return chunk.fileOffset }
                return chunk.fileOffset + Int(origins[local * chunk.rows + r])
            case .delimited(let separator, let quoting):
                return CSVReader.locateCell(in: bytes, chunk: chunk, row: r, column: column, separator: separator, quoting: quoting)
            }
        }
        return 0
    }

    // MARK: - Reading files

    /// A regular file, read into memory seg owns; nil for anything else (a pipe, a device, a
    /// folder, an empty file), which `readInput` reads whole (and names a folder in its error).
    ///
    /// Input files are never mapped: when another process truncates a mapped file, the first
    /// touch of a page past its new end kills seg with SIGBUS, and a file rewritten in place
    /// changes under the parser, which reads some bytes twice (once to find the cells, once to
    /// copy them). Bytes read with `pread` stay as they were read. The size and modification time
    /// taken when the file was opened are compared with the file's after the reads
    /// (`checkUnchanged`): a file that changed meanwhile is an I/O error naming it, never a crash
    /// or a table made of two versions. (A rewrite that keeps the size within the file system's
    /// timestamp tick, a few milliseconds, can go unseen.)
    ///
    /// Test hook: `SEG_TEST_TRUNCATE_INPUT=BYTES` truncates (or extends) the file to BYTES right
    /// after its size is taken, before any byte is read, as another process could.
    final class InputFile: Sendable {
        let path: String
        /// The size when opened.
        let size: Int
        private let fd: Int32
        private let modified: (seconds: Int, nanoseconds: Int)

        init?(path: String) throws {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw SegError(.missingInput, .file(.failed(.open, path: path, reason: errorText(errno)))) }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else {
                close(fd)
                return nil
            }
            self.path = path
            self.fd = fd
            size = Int(info.st_size)
            modified = (Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec))
            if let cut = getenv("SEG_TEST_TRUNCATE_INPUT").flatMap({ Int(String(cString: $0)) }), cut >= 0 {
                _ = truncate(path, off_t(cut))
            }
        }

        deinit { close(fd) }

        /// Reads `count` bytes at `offset` into `target`. The file ending early means it changed.
        func read(into target: UnsafeMutableRawPointer, count: Int, at offset: Int) throws {
            var done = 0
            while done < count {
                let n = pread(fd, target + done, count - done, off_t(offset + done))
                if n < 0 {
                    let err = errno
                    if err == EINTR { continue }
                    throw SegError(.io, .file(.failed(.read, path: path, reason: errorText(err))))
                }
                if n == 0 { throw changed() }
                done += n
            }
        }

        /// The whole file in a buffer the caller deallocates, read on every core and checked unchanged.
        func readAll() throws -> UnsafeMutableBufferPointer<UInt8> {
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: size)
            // tuned: the copy lands in huge pages (a few faults instead of one per 4 KiB page), a
            // few MiB per read so both cores copy (see docs/reliability.md for its cost)
            BookFile.adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            let piece = 4 << 20
            let pieces = (size + piece - 1) / piece
            var failures = [SegError?](repeating: nil, count: pieces)
            failures.withUnsafeMutableBufferPointer { slots in
                let out = UncheckedSendable((slots, buffer))
                DispatchQueue.concurrentPerform(iterations: pieces) { k in
                    let (slots, buffer) = out.value
                    guard let base = buffer.baseAddress else { return }
                    let lo = k * piece, hi = min(size, lo + piece)
                    do {
                        try read(into: base + lo, count: hi - lo, at: lo)
                    } catch {
                        slots[k] = error as? SegError ?? SegError(.io, .file(.failed(.read, path: path, reason: nil)))
                    }
                }
            }
            do {
                if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
                try checkUnchanged()
            } catch {
                buffer.deallocate()
                throw error
            }
            return buffer
        }

        /// Throws when the file's size or modification time is no longer what it was when opened.
        func checkUnchanged() throws {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw SegError(.io, .file(.failed(.read, path: path, reason: errorText(errno)))) }
            if Int(info.st_size) != size || Int(info.st_mtim.tv_sec) != modified.seconds
                || Int(info.st_mtim.tv_nsec) != modified.nanoseconds {
                throw changed()
            }
        }

        /// The error for a file that changed while it was read.
        func changed() -> SegError {
            var info = stat()
            let now = fstat(fd, &info) == 0 ? Int(info.st_size) : -1
            let sizes = now >= 0 && now != size ? (then: size, now: now) : nil
            return SegError(.io, .data(.changedWhileRead(path: path, sizes: sizes)))
        }
    }

    /// The whole content of a file, or of standard input for "-".
    static func readInput(path: String) throws -> [UInt8] {
        if path == "-" {
            return try readAll(fd: 0, sizeHint: 1 << 16, name: "<stdin>")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw SegError(.missingInput, .file(.failed(.open, path: path, reason: errorText(errno))))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SegError(.missingInput, .file(.failed(.open, path: path, reason: errorText(errno))))
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw SegError(.missingInput, .file(.failed(.open, path: path, reason: errorText(EISDIR))))
        }
        // `--data /dev/zero` read forever: a device is no data file (a pipe or - is read as a stream).
        let kind = info.st_mode & S_IFMT
        if kind == S_IFCHR || kind == S_IFBLK {
            throw SegError(.usage, .data(.device(path: path, block: kind == S_IFBLK)))
        }
        return try readAll(fd: fd, sizeHint: Int(info.st_size) + 1, name: path)
    }

    /// The most a stream (standard input, a pipe) may hold: half the machine's memory, since
    /// loading needs the text and the columns at once. `SEG_TEST_STREAM_LIMIT` (bytes) lowers it
    /// for tests.
    static var streamLimit: Int {
        if let raw = getenv("SEG_TEST_STREAM_LIMIT"), let n = Int(String(cString: raw)), n > 0 { return n }
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return Int.max }
        return pages.multipliedReportingOverflow(by: size).overflow ? Int.max : pages * size / 2
    }

    /// Reads `fd` to its end. Bounded: a stream never ends by itself (`cat /dev/zero | seg --data -`),
    /// so reading stops at the first NUL byte, which no CSV, TSV or JSON text holds (the reader
    /// then reports it at its line and column), and beyond `streamLimit` bytes it is an error.
    private static func readAll(fd: Int32, sizeHint: Int, name: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let limit = streamLimit
        let tooLarge = SegError(.data, .data(.streamTooLarge(name: name, limit: formatBytes(limit))))
        var capacity = min(max(sizeHint, 4096), limit + 1)
        var filled = 0
        while true {
            if filled == capacity {
                guard filled <= limit else { throw tooLarge }
                capacity = min(capacity * 2, limit + 1)
            }
            var readError: Int32 = 0
            var atEnd = false
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                guard let base = buffer.baseAddress else { return }
                // Keep what was read so far (the buffer is fresh when capacity grew).
                bytes.withUnsafeBufferPointer { old in
                    if let o = old.baseAddress, filled > 0 { base.update(from: o, count: filled) }
                }
                var n = filled
                while n < capacity {
                    let r = read(fd, base + n, capacity - n)
                    if r < 0 {
                        if errno == EINTR { continue }
                        readError = errno
                        break
                    }
                    if r == 0 {
                        atEnd = true
                        break
                    }
                    // The first NUL ends the read: everything after it is past the first error.
                    if memchr(base + n, 0, r) != nil {
                        n += r
                        atEnd = true
                        break
                    }
                    n += r
                }
                initialized = n
            }
            filled = bytes.count
            if readError != 0 { throw SegError(.io, .file(.failed(.read, path: name, reason: errorText(readError)))) }
            if atEnd {
                guard bytes.count <= limit else { throw tooLarge }
                return bytes
            }
        }
    }

    /// `12.0 GiB`, `512 MiB`, `1,000 bytes`.
    static func formatBytes(_ n: Int) -> String {
        if n >= 1 << 30 { return String(Double(Int(Double(n) / Double(1 << 30) * 10)) / 10) + " GiB" }
        if n >= 1 << 20 { return "\(n >> 20) MiB" }
        return FixedPoint.format(Int64(n), grouping: true) + " bytes"
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// Turns byte offsets into `file:line:column` (1-based; the column counts characters). Lines end at
/// LF, CRLF or a lone CR, as the CSV reader accepts.
struct FileLocator {
    let name: String
    let bytes: UnsafeBufferPointer<UInt8>
    /// The bytes are a worksheet's cells as CSV text: places are the sheet's rows and columns.
    var sheet: SheetMap? = nil

    func position(of offset: Int) -> (line: Int, column: Int) {
        if let sheet {
            let cell = sheet.cell(at: offset, in: bytes)
            return (cell.row, cell.column)
        }
        let target = min(max(0, offset), bytes.count)
        var line = 1
        var lineStart = UTF8Check.byteOrderMarkLength(bytes)
        var i = lineStart
        while i < target {
            let c = bytes[i]
            if c == 0x0A || (c == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        var column = 1
        if lineStart < target {
            for k in lineStart..<target where bytes[k] & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    func location(of offset: Int) -> String {
        let (line, column) = position(of: offset)
        if let sheet {
            // As Excel writes a reference: `Sheet1!C7`, `'客户 明细'!C7`.
            let plain = sheet.sheet.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            return "\(name):\(plain ? sheet.sheet : "'\(sheet.sheet)'")!\(SheetMap.letters(column))\(line)"
        }
        return "\(name):\(line):\(column)"
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
