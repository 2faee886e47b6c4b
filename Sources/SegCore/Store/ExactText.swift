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

    /// ` (the book writes 'café' with other code points …)` when `text` is canonically equivalent
    /// to one of `values` but not byte for byte: the texts look alike, so say why they differ.
    public static func lookalikeHint(_ text: String, among values: some Sequence<String>) -> String {
        guard let twin = values.first(where: { $0 == text && !same($0, text) }) else { return "" }
        func points(_ s: String) -> String {
            s.unicodeScalars.map { scalar in
                let hex = String(scalar.value, radix: 16, uppercase: true)
                return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }.joined(separator: " ")
        }
        return " (the book has '\(twin)' written with other Unicode code points: \(points(twin)), not \(points(text)); seg compares text byte for byte)"
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
