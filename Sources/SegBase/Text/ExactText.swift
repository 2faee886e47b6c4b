/// seg's one rule for comparing text: byte for byte (UTF-8), never by Unicode canonical
/// equivalence. `é` written as U+00E9 (NFC) and as `e` + U+0301 (NFD) are two different values,
/// two different names and two different snapshot folders, as they are to the column kernels,
/// the file system and PostgreSQL's `COLLATE "C"`. Names are case-insensitive first (lowercased),
/// then compared the same way.
///
/// Swift's `String ==`, `Set<String>` and `Dictionary<String, …>` treat canonically equivalent
/// texts as equal; where text from a book or a statement is compared or used as a key, go
/// through this type instead (before, `v = a or v = b` found 4 rows, `v in (a, b)` 2 and
/// `not v in (a, b)` 3, on two NFC and two NFD cells).
public enum ExactText {
    /// Equal UTF-8 bytes.
    @inline(__always)
    public static func same(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// The first index of a value with the same bytes as `text`.
    public static func index(of text: String, in values: [String]) -> Int? {
        values.firstIndex { same($0, text) }
    }

    /// A dictionary key for a name: equal to another key exactly when the lowercased names' bytes
    /// are. Non-ASCII scalars (and `\`) are spelled out in ASCII, so `String`'s canonical
    /// equivalence cannot merge two keys. Keys are for lookups, never for display.
    public static func nameKey(_ name: String) -> String {
        let lower = name.lowercased()
        guard !lower.utf8.contains(where: { $0 >= 0x80 || $0 == UInt8(ascii: "\\") }) else {
            var key = ""
            for scalar in lower.unicodeScalars {
                if scalar.isASCII && scalar != "\\" { key.unicodeScalars.append(scalar) } else { key += "\\\(scalar.value);" }
            }
            return key
        }
        return lower
    }

    /// Same names: case-insensitive, then byte for byte.
    public static func sameName(_ a: String, _ b: String) -> Bool { same(a.lowercased(), b.lowercased()) }

    /// The one of `values` that is canonically equivalent to `text` but not the same bytes: the two
    /// look alike, and a message says why they differ (`Message` spells out the code points).
    public static func lookalike(of text: String, among values: some Sequence<String>) -> String? {
        values.first { $0 == text && !same($0, text) }
    }
}

/// A dictionary or set key that compares a text by its bytes (see `ExactText`).
public struct ExactKey: Hashable, Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (a: ExactKey, b: ExactKey) -> Bool { ExactText.same(a.text, b.text) }

    public func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
