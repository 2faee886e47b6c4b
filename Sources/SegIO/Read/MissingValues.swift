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
    /// Whether some word starts with a digit, which turns off the digit shortcut.
    private let digitWord: Bool

    public init(words: [String]) {
        let kept = words.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        self.words = kept
        bytes = kept.map { Array($0.utf8) }
        longest = bytes.map(\.count).max() ?? 0
        digitWord = bytes.contains { $0[0] &- 0x30 < 10 }
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
        // tuned: a cell that starts with a digit is a value (this runs once per cell)
        if c &- 0x30 < 10 && !digitWord { return false }
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
