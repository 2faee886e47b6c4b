// Data files: CSV, TSV, JSON and JSON Lines, the conversion of cells to their types, and the
// loading of files. The place (file:line:column) is the error's, not the message's.

/// What a JSON reader wanted where it stopped.
public enum JSONExpectation: Sendable, Equatable {
    case recordInArray, commaOrEndOfArray, recordStart, fieldName, colon(field: String), commaOrEndOfRecord(field: String)
    case value(field: String), stringInArray(field: String), commaOrEndOfTagArray(field: String)

    var english: String {
        switch self {
        case .recordInArray: return "a record ('{') in the array"
        case .commaOrEndOfArray: return "',' or ']' after a record"
        case .recordStart: return "'{' to start a record (JSON Lines holds one object per line)"
        case .fieldName: return "a field name in double quotes"
        case .colon(let field): return "':' after field name '\(field)'"
        case .commaOrEndOfRecord(let field): return "',' or '}' after the value of field '\(field)'"
        case .value(let field): return "a value for field '\(field)'"
        case .stringInArray(let field): return "a string in the array of field '\(field)'"
        case .commaOrEndOfTagArray(let field): return "',' or ']' in the array of field '\(field)'"
        }
    }
}

/// Why a cell does not convert to the type its column was given.
public enum CellProblem: Error, Sendable, Equatable {
    case notInteger, integerTooLarge, notDecimal, tooManyDecimals(limit: Int), decimalTooLarge(scale: Int)
    case notDate, notBoolean

    var english: String {
        switch self {
        case .notInteger: return "is not an integer"
        case .integerTooLarge: return "does not fit in a 64-bit integer"
        case .notDecimal: return "is not a decimal number"
        case .tooManyDecimals(let limit): return "has more than \(limit) fraction digits"
        case .decimalTooLarge(let scale): return "is too large for a decimal with \(scale) fraction digits"
        case .notDate: return "is not a date (YYYY-MM-DD)"
        case .notBoolean: return "is not true or false"
        }
    }
}

/// Why an .xlsx file cannot be read as a workbook.
public enum WorkbookProblem: Sendable, Equatable {
    /// Not a zip archive at all (a CSV renamed, a truncated download).
    case notZip
    /// An OLE compound file: a password-protected workbook or an old .xls saved as .xlsx.
    case encrypted
    /// A zip archive that cannot be read (`reason` from the unzipper).
    case damaged(String)
    /// A part every workbook has is missing (`xl/workbook.xml`, a sheet's XML).
    case missingPart(String)
    /// A part's XML does not parse.
    case badXML(part: String, line: Int)
    /// A cell refers to a shared string that is not there.
    case badSharedString(cell: String)

    var english: String {
        switch self {
        case .notZip: return "it is not a zip archive, as every .xlsx is (a CSV or another file renamed?)"
        case .encrypted:
            return "it is password-protected (encrypted) or an old .xls; save it from Excel as .xlsx without a password, or as CSV"
        case .damaged(let reason): return "the archive is damaged (\(reason))"
        case .missingPart(let part): return "it has no \(part)"
        case .badXML(let part, let line): return "\(part) is not well-formed XML (line \(line))"
        case .badSharedString(let cell): return "cell \(cell) refers to a shared string that is not in the workbook"
        }
    }
}

public enum DataMessage: Sendable, Equatable {
    // CSV and TSV
    case noHeader
    case recordTooLarge
    case fieldCount(found: Int, header: Int)
    case quoteInUnquotedField
    case nulByte
    case invalidUTF8
    case unterminatedQuotedField
    case textAfterClosingQuote
    // JSON
    case noRecords
    case textAfterArray
    case notJSONRecords
    case fieldsDifferInCase(String, String)
    case noFields
    case lineBreakAfterRecord
    case recordsTooLarge(rows: Int)
    case emptyFieldName
    case duplicateField(String)
    case nestedObject(field: String)
    case invalidNumber(field: String)
    case arrayOfStringsOnly(field: String)
    case semicolonInTag(field: String)
    case unterminatedString
    case unpairedSurrogate
    case nulInString
    case invalidEscape
    case controlCharacterInString
    case invalidUnicodeEscape
    case jsonExpected(JSONExpectation, atEnd: Bool)
    // Types
    /// The value is shown (cut to a readable length): it is the user's own file, and the fix
    /// (`--na`, another type) depends on what it is.
    case cellType(column: String, type: FieldType, CellProblem, value: String)
    /// A note, not an error: a column of date-times was loaded as dates.
    case timeOfDayDropped(column: String)
    /// Notes on the header: a title row above it, a column without a name, a repeated name.
    case titleRowSkipped(line: Int, text: String)
    case unnamedColumn(column: Int, name: String)
    case renamedDuplicate(String, column: Int, name: String)
    /// Notes on the last row: a total row, kept or left out.
    case totalRow(line: Int, text: String, skipped: Bool)
    /// A note: the file was not valid UTF-8 and was read in this encoding.
    case readAsEncoding(String)
    case unknownEncoding(String)
    case notInEncoding(String)
    case typeOnBook(file: String)
    case noColumnToType(String, file: String, suggestion: String?)
    // Workbooks (.xlsx)
    case notWorkbook(file: String, WorkbookProblem)
    case noSheet(String, file: String, sheets: [String], suggestion: String?)
    /// `--sheet` given for a file that is not a workbook.
    case sheetOnText(file: String)
    // Loading
    case changedWhileRead(path: String, sizes: (then: Int, now: Int)?)
    case device(path: String, block: Bool)
    case streamTooLarge(name: String, limit: String)
    case internalError(String)
    // Links between tables (`--link holdings.client_id=clients.id`, or found by name)
    /// A note: rows of `child` whose key names no row of `parent` (kept, never silently dropped).
    case danglingKeys(child: String, field: String, parent: String, key: String, rows: Int, of: Int)
    /// A note: a field that looks like a link was not linked, as the parent's key repeats a value.
    case keyNotUnique(table: String, field: String, rows: (Int, Int), declared: Bool)
    case linkSpec(String)
    case linkUnknownTable(String, suggestion: String?)
    case linkUnknownField(String, table: String, suggestion: String?)
    case linkToItself(String)

    public static func == (a: DataMessage, b: DataMessage) -> Bool { a.english == b.english }

    var english: String {
        switch self {
        case .noHeader: return "no header row"
        case .recordTooLarge: return "a record is larger than 2 GiB"
        case .fieldCount(let found, let header): return "line has \(found) field\(found == 1 ? "" : "s"), the header has \(header)"
        case .quoteInUnquotedField: return "quote inside an unquoted field (quote the whole field and double the quote)"
        case .nulByte: return "NUL byte in the data"
        case .invalidUTF8: return "invalid UTF-8 (the file must be UTF-8 encoded)"
        case .unterminatedQuotedField: return "unterminated quoted field"
        case .textAfterClosingQuote: return "unexpected character after closing quote"
        case .noRecords: return "no records"
        case .textAfterArray: return "unexpected text after the JSON array"
        case .notJSONRecords: return "expected '[' (an array of records) or '{' (JSON Lines) at the start of the file"
        case .fieldsDifferInCase(let a, let b): return "field '\(a)' differs from field '\(b)' only in case"
        case .noFields: return "no fields in any record"
        case .lineBreakAfterRecord: return "expected a line break after the record (JSON Lines holds one object per line)"
        case .recordsTooLarge(let rows): return "records are too large (over 2 GiB in \(rows) records)"
        case .emptyFieldName: return "empty field name"
        case .duplicateField(let name): return "duplicate field '\(name)' in one record"
        case .nestedObject(let field): return "field '\(field)': nested objects are not supported"
        case .invalidNumber(let field): return "invalid number for field '\(field)'"
        case .arrayOfStringsOnly(let field): return "field '\(field)': only arrays of strings are supported"
        case .semicolonInTag(let field): return "field '\(field)': a tag cannot contain ';' (it separates tags); give each tag as its own string"
        case .unterminatedString: return "unterminated string"
        case .unpairedSurrogate: return "unpaired surrogate in a \\u escape"
        case .nulInString: return "NUL character (\\u0000) in a string"
        case .invalidEscape: return "invalid escape in a string"
        case .controlCharacterInString: return "control character in a string (it must be escaped)"
        case .invalidUnicodeEscape: return "invalid \\u escape (it needs four hex digits)"
        case .jsonExpected(let what, let atEnd):
            return atEnd ? "unexpected end of input (expected \(what.english))" : "expected \(what.english)"
        case .cellType(let column, let type, let problem, let value):
            return "column '\(column)' was given type \(type.rawValue) but '\(value)' \(problem.english)"
        case .readAsEncoding(let name):
            return "note: not valid UTF-8, read as \(name) (what Excel on Chinese Windows writes); --encoding NAME reads another"
        case .unknownEncoding(let name): return "unknown encoding '\(name)' for --encoding (try UTF-8, GB18030, GBK or BIG5)"
        case .notInEncoding(let name): return "this byte is not valid \(name); give the file's encoding with --encoding NAME"
        case .titleRowSkipped(let line, let text):
            return "note: line \(line) ('\(text)') is a title above the header, so it was skipped; --skip N gives the number of such lines"
        case .unnamedColumn(let column, let name):
            return "note: column \(column) has no name in the header; it is called '\(name)'"
        case .renamedDuplicate(let original, let column, let name):
            return "note: column \(column) repeats the name '\(original)'; it is called '\(name)'"
        case .totalRow(let line, let text, let skipped):
            return skipped ? "note: line \(line) ('\(text)') is a total row; it was left out (--skip-footer)"
                : "note: line \(line) ('\(text)') looks like a total row and is loaded as a client; --skip-footer leaves it out"
        case .timeOfDayDropped(let column):
            return "note: '\(column)' holds dates with a time of day; seg keeps the date and drops the time"
        case .typeOnBook(let file): return "--type does not apply to the seg book '\(file)': its columns are typed already"
        case .noColumnToType(let key, let file, let s): return "cannot set the type of '\(key)': \(file) has no such column\(didYouMean(s))"
        case .notWorkbook(let file, let problem): return "cannot read '\(file)' as an .xlsx workbook: \(problem.english)"
        case .noSheet(let name, let file, let sheets, let s):
            return "'\(file)' has no sheet '\(name)'\(didYouMean(s)); its sheets: \(sheets.map { "'\($0)'" }.joined(separator: ", "))"
        case .sheetOnText(let file): return "--sheet chooses a sheet of an .xlsx workbook; '\(file)' is not one"
        case .changedWhileRead(let path, let sizes):
            let how = sizes.map { "\(grouped($0.then)) bytes when opened, \(grouped($0.now)) now" } ?? "modified in place"
            return "cannot read '\(path)': it changed while seg was reading it (\(how)); load it again once it is complete"
        case .device(let path, let block):
            return "cannot load '\(path)': it is a \(block ? "block" : "character") device, not a data file; give a file, a pipe, or - for standard input"
        case .streamTooLarge(let name, let limit):
            return "'\(name)' holds more than \(limit) (half this machine's memory), more than seg can load; split it, or keep fewer columns"
        case .internalError(let what): return "internal error: \(what)"
        case .danglingKeys(let child, let field, let parent, let key, let rows, let of):
            return "note: \(grouped(rows)) of \(grouped(of)) \(child) rows have a \(field) that is in no row of \(parent).\(key); they stay in \(child) (client.… is missing for them) and count for no client"
        case .keyNotUnique(let table, let field, let rows, let declared):
            let what = "\(table).\(field) holds one value in rows \(rows.0) and \(rows.1), so it cannot identify a \(table) row"
            return declared ? what : "note: \(what); it is not linked (--link CHILD.FIELD=\(table).KEY names the key)"
        case .linkSpec(let spec):
            return "--link '\(spec)': expected CHILD.FIELD=PARENT.KEY, as in --link holdings.client_id=clients.id"
        case .linkUnknownTable(let name, let s): return "--link: no table '\(name)' is loaded\(didYouMean(s))"
        case .linkUnknownField(let name, let table, let s): return "--link: table \(table) has no field '\(name)'\(didYouMean(s))"
        case .linkToItself(let table): return "--link: a table cannot link to itself (\(table))"
        }
    }
}

/// `1,234,567`
func grouped(_ n: Int) -> String { FixedPoint.format(Int64(n), grouping: true) }
