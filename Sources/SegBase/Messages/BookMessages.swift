// Seg books (.segbook): a file that is not one, one from a newer seg or another machine, and
// every way a damaged or forged book is caught.

/// The part of a book a damage names.
public indirect enum BookPart: Sendable, Equatable {
    /// `column 3` (by position, before its name is read)
    case columnNumber(Int)
    /// `column 'assets'`
    case column(String)
    case nameOf(BookPart)
    case dictionarySizeOf(BookPart)
    case tagWordsOf(BookPart)
    case missingValuesOf(BookPart)
    case dictionaryOf(BookPart)
    case tableName
    case sectionOffset
    case sectionLength

    var english: String {
        switch self {
        case .columnNumber(let n): return "column \(n)"
        case .column(let name): return "column '\(name)'"
        case .nameOf(let p): return "the name of \(p.english)"
        case .dictionarySizeOf(let p): return "the dictionary size of \(p.english)"
        case .tagWordsOf(let p): return "the tag words of \(p.english)"
        case .missingValuesOf(let p): return "the missing values of \(p.english)"
        case .dictionaryOf(let p): return "the dictionary of \(p.english)"
        case .tableName: return "the table name"
        case .sectionOffset: return "a section offset"
        case .sectionLength: return "a section length"
        }
    }
}

/// What is wrong in a damaged book.
public enum BookDamage: Sendable, Equatable {
    case columnListCutShort
    case outOfRange(BookPart)
    case cutShort(BookPart)
    case notUTF8(BookPart)
    case fileCutShort(bytes: Int)
    /// The header names a length the file does not have.
    case fileLength(actual: Int, written: UInt64)
    case headerChecksum
    case rowCountOutOfRange
    case columnListOutsideFile
    case columnListChecksum
    case unknownType(BookPart)
    case inconsistent(BookPart)
    case trailingBytes
    case rowsWithoutColumns(rows: Int)
    case sectionOutsideFile(column: String)
    case emptyColumnName(column: Int)
    case duplicateColumnName(String, columns: (Int, Int))
    case wrongTagWords(BookPart)
    /// `section 2 of column 'x' is 10 bytes; <need>`
    case sectionSize(section: Int, column: String, bytes: Int, need: String, needBytes: Int?)
    case padding(at: Int)
    case dateOutOfRange(BookPart)
    case notBoolean(BookPart)
    case codePastDictionary(BookPart)
    case textOffsets(BookPart)
    case textNotUTF8(BookPart, row: Int)
    case tooLarge(BookPart)
    case tagPastVocabulary(BookPart)
    case missingPastLastRow(BookPart)
    case valuesWithoutDictionary(BookPart)
    case tooManyEntries(BookPart)
    case dictionaryOffsets(BookPart)
    case dictionaryNotUTF8(BookPart, entry: Int)
    case dictionaryUnsorted(BookPart, entry: Int)
    case wrongSize(BookPart)
    case checksum(BookPart)

    public static func == (a: BookDamage, b: BookDamage) -> Bool { a.english == b.english }

    var english: String {
        switch self {
        case .columnListCutShort: return "the column list is cut short"
        case .outOfRange(let p): return "\(p.english) is out of range"
        case .cutShort(let p): return "\(p.english) is cut short"
        case .notUTF8(let p): return "\(p.english) is not valid UTF-8"
        case .fileCutShort(let bytes): return "the file is cut short (\(bytes) bytes)"
        case .fileLength(let actual, let written):
            return UInt64(actual) < written ? "the file is cut short (\(actual) of \(written) bytes)"
                : "the file is longer than written (\(actual) of \(written) bytes)"
        case .headerChecksum: return "the header checksum does not match"
        case .rowCountOutOfRange: return "the row count is out of range"
        case .columnListOutsideFile: return "the column list lies outside the file"
        case .columnListChecksum: return "the column list checksum does not match"
        case .unknownType(let p): return "\(p.english) has an unknown type"
        case .inconsistent(let p): return "the description of \(p.english) is inconsistent"
        case .trailingBytes: return "the column list has trailing bytes"
        case .rowsWithoutColumns(let rows): return "it claims \(grouped(rows)) rows but has no columns"
        case .sectionOutsideFile(let column): return "a section of column '\(column)' lies outside the file"
        case .emptyColumnName(let column): return "column \(column) has an empty name"
        case .duplicateColumnName(let name, let columns): return "duplicate column name '\(name)' (columns \(columns.0) and \(columns.1))"
        case .wrongTagWords(let p): return "\(p.english) has the wrong tag words per row"
        case .sectionSize(let section, let column, let bytes, let need, let needBytes):
            return "section \(section) of column '\(column)' is \(grouped(bytes)) bytes; \(need) \(needBytes.map(grouped) ?? "more than a file can hold")"
        case .padding(let at): return "padding at byte \(at) is not zero"
        case .dateOutOfRange(let p): return "\(p.english) holds a date outside 0000-01-01…9999-12-31"
        case .notBoolean(let p): return "\(p.english) holds a byte that is not true or false"
        case .codePastDictionary(let p): return "\(p.english) has a code past its dictionary"
        case .textOffsets(let p): return "\(p.english) has text offsets out of order"
        case .textNotUTF8(let p, let row): return "\(p.english) holds text that is not valid UTF-8 (row \(grouped(row)))"
        case .tooLarge(let p): return "\(p.english) is too large"
        case .tagPastVocabulary(let p): return "\(p.english) has a tag past its vocabulary"
        case .missingPastLastRow(let p): return "the missing values of \(p.english) run past the last row"
        case .valuesWithoutDictionary(let p): return "\(p.english) has values but an empty dictionary"
        case .tooManyEntries(let p): return "\(p.english) has too many dictionary entries"
        case .dictionaryOffsets(let p): return "the dictionary of \(p.english) has offsets out of order"
        case .dictionaryNotUTF8(let p, let entry): return "the dictionary of \(p.english) holds invalid UTF-8 (entry \(entry))"
        case .dictionaryUnsorted(let p, let entry): return "the dictionary of \(p.english) is not sorted (entry \(entry))"
        case .wrongSize(let p): return "\(p.english) has the wrong size"
        case .checksum(let p): return "the checksum of \(p.english) does not match"
        }
    }
}

public enum BookMessage: Sendable, Equatable {
    case damaged(BookDamage)
    case notABook
    case newerFormat(version: UInt32, newest: UInt32)
    case otherByteOrder

    var english: String {
        switch self {
        case .damaged(let damage): return "damaged seg book: \(damage.english)"
        case .notABook: return "not a seg book (it does not begin with SEGBOOK)"
        case .newerFormat(let version, let newest):
            return "written by a newer seg (book format \(version); this seg reads up to \(newest)); upgrade seg or save the book again from its CSV"
        case .otherByteOrder: return "written on a machine with the other byte order; save the book again from its CSV"
        }
    }
}
