import SegBase
/// One cell of a column as text.
public enum CellText {
    /// Reads the cells of one result column as `plain` gives them, with the column unpacked once.
    public struct Reader {
        let source: CellSource
        let isTags: Bool

        public init(_ column: ResultColumn) {
            source = CellSource(column)
            isTags = column.type == .tags
        }

        /// The result's `i`-th cell as `CellText.plain` gives it.
        public func plain(_ i: Int) -> String? {
            guard let s = source.string(i, grouping: false) else { return nil }
            return isTags ? s.split(separator: ";").map(String.init).sorted().joined(separator: ";") : s
        }
    }

    /// As shown in a table (`5,200,000.00`), or nil when missing.
    public static func display(_ column: Column, row: Int) -> String? {
        CellSource(ResultColumn(name: column.name, column: column, rows: [Int32(row)])).string(0, grouping: true)
    }

    /// As stored in a snapshot and compared by `diff`: digits without grouping, ISO dates, tags
    /// sorted and joined by `;`; nil when missing.
    public static func plain(_ column: Column, row: Int) -> String? {
        guard let s = CellSource(ResultColumn(name: column.name, column: column, rows: [Int32(row)])).string(0, grouping: false) else {
            return nil
        }
        if column.type == .tags { return s.split(separator: ";").map(String.init).sorted().joined(separator: ";") }
        return s
    }

    /// A cell read back from a database in seg's CSV form, as `plain` gives it for a column of
    /// `type`: tags in vocabulary (byte) order; an empty tag list is missing, as in a CSV file.
    public static func plain(text: String?, type: FieldType) -> String? {
        guard let text else { return nil }
        guard type == .tags else { return text }
        let tags = text.split(separator: ";").map(String.init)
        return tags.isEmpty ? nil : tags.sorted().joined(separator: ";")
    }

    /// A cell read back from a database, as `display` shows it for a column of `type`.
    public static func display(text: String?, type: FieldType) -> String? {
        guard let s = plain(text: text, type: type) else { return nil }
        if type == .tags {
            return s.split(separator: ";").sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: ";")
        }
        return type.isNumeric ? grouped(s) : s
    }

    /// The `id` column's text for every row (for matching clients by id).
    public static func ids(_ column: Column) -> [String] {
        let source = CellSource(ResultColumn(name: column.name, column: column, rows: nil))
        return (0..<column.count).map { source.string($0, grouping: false) ?? "" }
    }

    /// `5200000.00` → `5,200,000.00`; text that is not a plain number is returned as it is.
    public static func grouped(_ plain: String) -> String {
        var digits = Substring(plain)
        var sign = ""
        if digits.hasPrefix("-") { sign = "-"; digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigitChar),
              parts.count == 1 || parts[1].allSatisfy(\.isASCIIDigitChar) else { return plain }
        var out = ""
        for (i, c) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return sign + out + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A number's text with trailing fraction zeros removed (`4.50` and `4.5` compare equal across books).
    public static func normalizedNumber(_ plain: String) -> String {
        guard plain.contains("."), plain.allSatisfy({ $0.isASCIIDigitChar || $0 == "." || $0 == "-" }) else { return plain }
        var s = Substring(plain)
        while s.hasSuffix("0") { s = s.dropLast() }
        if s.hasSuffix(".") { s = s.dropLast() }
        return String(s)
    }
}

private extension Character {
    var isASCIIDigitChar: Bool { ("0"..."9").contains(self) }
}
