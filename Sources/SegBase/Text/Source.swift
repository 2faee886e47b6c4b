/// A half-open range of UTF-8 byte offsets into a `Source`.
/// Line and column are derived only when a message is rendered (as Go's `token.Pos`).
public struct SourceRange: Sendable, Hashable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    public static func covering(_ a: SourceRange, _ b: SourceRange) -> SourceRange {
        SourceRange(min(a.start, b.start), max(a.end, b.end))
    }

    public var isEmpty: Bool { start == end }
}

/// The text of one statement, script or command-line argument, with a name for messages.
public struct Source: Sendable {
    public let name: String
    public let text: String
    public let bytes: [UInt8]

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        self.bytes = Array(text.utf8)
    }

    /// The substring covered by `range` (clamped, and repaired if it splits a UTF-8 sequence).
    public func slice(_ range: SourceRange) -> String {
        let lo = min(max(0, range.start), bytes.count)
        let hi = min(max(lo, range.end), bytes.count)
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    /// 1-based line and column (column counted in Unicode scalars) of a byte offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let target = min(max(0, offset), bytes.count)
        var line = 1
        var lineStart = 0
        var i = 0
        while i < target {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        var column = 1
        var j = lineStart
        while j < target {
            if bytes[j] & 0xC0 != 0x80 { column += 1 }
            j += 1
        }
        return (line, column)
    }

    /// Byte range of the line that holds `offset`, without its line terminator.
    public func lineRange(containing offset: Int) -> Range<Int> {
        let target = min(max(0, offset), bytes.count)
        var lo = target
        while lo > 0 && bytes[lo - 1] != UInt8(ascii: "\n") { lo -= 1 }
        var hi = target
        while hi < bytes.count && bytes[hi] != UInt8(ascii: "\n") { hi += 1 }
        var end = hi
        if end > lo && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return lo..<end
    }
}
