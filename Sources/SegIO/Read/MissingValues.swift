/// The cells that stand for no value: empty, only spaces and tabs, or one of the placeholder words
/// bank systems write (`--`, `-`, `NA`, `N/A`, `null`, `NULL`, `无`, `空` by default; `--na LIST`
/// gives others). Spaces and tabs around a word are ignored; case is not (`Null` is a value).
public struct MissingValues: Sendable, Equatable {
    /// The words missing by default.
    public static let defaultWords = ["--", "-", "NA", "N/A", "null", "NULL", "无", "空"]
    public static let standard = MissingValues(words: defaultWords)

    /// The placeholder words, as the user wrote them.
    public let words: [String]
    private let bytes: [[UInt8]]
    private let longest: Int
    /// The bytes a missing cell may start with: each word's first byte, space and tab, as bits
    /// 0–63, 64–127, 128–191 and 192–255.
    private let starts: [UInt64]

    public init(words: [String]) {
        let kept = words.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        self.words = kept
        bytes = kept.map { Array($0.utf8) }
        longest = bytes.map(\.count).max() ?? 0
        var starts = [UInt64](repeating: 0, count: 4)
        for byte in bytes.map({ $0[0] }) + [0x20, 0x09] { starts[Int(byte >> 6)] |= 1 << UInt64(byte & 63) }
        self.starts = starts
    }

    /// `--na LIST`: words separated by commas (`--na '--,n/a,未知'`); an empty list leaves only
    /// empty cells missing.
    public init(list: String) {
        self.init(words: list.split(separator: ",", omittingEmptySubsequences: true).map(String.init))
    }

    @inline(__always)
    func isMissing(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n == 0 { return true }
        let c = p[0]
        // tuned: a cell that starts with a byte no word (nor a space) starts with is a value: this
        // runs once per cell, and most cells (digits, names, category values) end here
        if starts[Int(c >> 6)] & (1 << UInt64(c & 63)) == 0 { return false }
        var a = 0, b = n
        while a < b && (p[a] == 0x20 || p[a] == 0x09) { a += 1 }
        if a == b { return true }
        while b > a && (p[b - 1] == 0x20 || p[b - 1] == 0x09) { b -= 1 }
        let length = b - a
        if length > longest { return false }
        for word in bytes where word.count == length {
            var same = true
            for k in 0..<length where p[a + k] != word[k] {
                same = false
                break
            }
            if same { return true }
        }
        return false
    }
}
