/// The types a column can have. Every column is stored in the typed buffer its type names.
public enum FieldType: String, Sendable, CaseIterable, Hashable {
    /// 64-bit signed whole numbers.
    case integer
    /// Exact fixed-point numbers (money): a scaled `Int64` with a per-column scale.
    case decimal
    /// Calendar dates, `YYYY-MM-DD`, stored as day numbers.
    case date
    /// `true` / `false`.
    case boolean
    /// Repeated strings, dictionary-encoded.
    case category
    /// Free text (names, phones, identifiers).
    case text
    /// A set of `;`-separated tokens per cell (`deposit;fund;insurance`), stored as bit sets.
    case tags

    public var isNumeric: Bool { self == .integer || self == .decimal }
    public var isString: Bool { self == .category || self == .text }
}

/// What an argument of a function or aggregate must be.
public enum ArgumentKind: Sendable, Equatable {
    case date
    case number
    /// Anything with an order: every type but tags.
    case orderable
    case any
    /// Text: category or text fields.
    case text
    /// A whole number written out (`round(x, 2)`).
    case wholeNumber

    public func accepts(_ type: FieldType) -> Bool {
        switch self {
        case .date: return type == .date
        case .number: return type.isNumeric
        case .orderable: return type != .tags
        case .any: return true
        case .text: return type.isString
        case .wholeNumber: return type == .integer
        }
    }
}
