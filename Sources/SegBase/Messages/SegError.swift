/// Every error seg reports: the message (a case of the catalogue, `Message`), its exit code and
/// the place it names.
public struct SegError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// An error in the user's statement (exit 65).
        case query
        /// A malformed data file or value (exit 65).
        case data
        /// Bad command-line usage (exit 64).
        case usage
        /// An input file that does not exist or cannot be opened (exit 66).
        case missingInput
        /// A failed read or write (exit 74).
        case io
        /// A bug in seg (exit 70).
        case `internal`
        /// The reader of our output went away (`seg … | head -1`): stop quietly with status 0.
        case outputClosed
        /// The user pressed Ctrl-C during a statement (exit 130 outside the prompt).
        case interrupted
    }

    public var kind: Kind
    public var diagnostic: Message
    /// The message in English.
    public var message: String { diagnostic.text(in: .english) }
    /// The statement text and the span to underline, for query errors.
    public var source: Source?
    public var range: SourceRange?
    /// `file:line:column` for data-file errors.
    public var fileLocation: String?

    public init(_ kind: Kind, _ diagnostic: Message, source: Source? = nil, range: SourceRange? = nil, fileLocation: String? = nil) {
        self.kind = kind
        self.diagnostic = diagnostic
        self.source = source
        self.range = range
        self.fileLocation = fileLocation
    }

    public var exitCode: Int32 {
        switch kind {
        case .query, .data: return 65
        case .usage: return 64
        case .missingInput: return 66
        case .io: return 74
        case .internal: return 70
        case .outputClosed: return 0
        case .interrupted: return 130
        }
    }

    public var description: String { render(color: false) }

    /// A message quoting megabytes the user typed keeps its start and end, not all of it.
    static func clipped(_ message: String) -> String {
        guard message.utf8.count > 1_000 else { return message }
        return String(message.prefix(480)) + "…" + String(message.suffix(480))
    }

    /// The message as shown to a user: `error: …`, then the source line with a caret under the span.
    public func render(color: Bool, language: Language = .english) -> String {
        let red = color ? "\u{1B}[1;31m" : ""
        let bold = color ? "\u{1B}[1m" : ""
        let blue = color ? "\u{1B}[34m" : ""
        let reset = color ? "\u{1B}[0m" : ""
        var out = "\(red)\(language.errorWord)\(reset)\(bold)\(language == .chinese ? "：" : ": ")"
        // Messages quote file names, column names and values from files and statements: none of
        // them may reach the terminal raw (an OSC sequence in a CSV header rewrote the window title).
        if let fileLocation { out += "\(DisplayWidth.sanitized(fileLocation))\(language == .chinese ? "：" : ": ")" }
        out += "\(DisplayWidth.sanitized(Self.clipped(diagnostic.text(in: language)), keepingLayout: true))\(reset)\n"
        guard let source, let range else { return out }
        let lineBytes = source.lineRange(containing: range.start)
        let (line, column) = source.location(of: range.start)
        if !source.name.isEmpty {
            out += "  \(blue)-->\(reset) \(DisplayWidth.sanitized(source.name)):\(line):\(column)\n"
        }
        var lineText = String(decoding: source.bytes[lineBytes], as: UTF8.self)
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        let spanStart = min(max(range.start, lineBytes.lowerBound), lineBytes.upperBound)
        var before = String(decoding: source.bytes[lineBytes.lowerBound..<spanStart], as: UTF8.self)
        var spanEnd = min(max(range.end, range.start), lineBytes.upperBound)
        var spanText = range.start < spanEnd
            ? String(decoding: source.bytes[range.start..<spanEnd], as: UTF8.self) : ""
        if lineBytes.count > 240 {
            // A statement line can be megabytes long: show about 80 bytes either side of the span.
            let b = source.bytes
            func isContinuation(_ i: Int) -> Bool { i < b.count && b[i] & 0xC0 == 0x80 }
            var shownStart = max(lineBytes.lowerBound, spanStart - 80)
            while shownStart > lineBytes.lowerBound && isContinuation(shownStart) { shownStart -= 1 }
            spanEnd = max(spanStart, min(spanEnd, spanStart + 80))
            while spanEnd < lineBytes.upperBound && isContinuation(spanEnd) { spanEnd += 1 }
            var shownEnd = min(lineBytes.upperBound, spanEnd + 80)
            while shownEnd < lineBytes.upperBound && isContinuation(shownEnd) { shownEnd += 1 }
            let left = shownStart > lineBytes.lowerBound ? "…" : ""
            let right = shownEnd < lineBytes.upperBound ? "…" : ""
            lineText = left + String(decoding: b[shownStart..<shownEnd], as: UTF8.self) + right
            before = left + String(decoding: b[shownStart..<spanStart], as: UTF8.self)
            spanText = String(decoding: b[spanStart..<spanEnd], as: UTF8.self)
        }
        // Widths of the text as shown: a control character shows as U+FFFD, one cell wide.
        let caretCount = max(1, DisplayWidth.of(DisplayWidth.sanitized(spanText)))
        out += " \(blue)\(gutter) |\(reset) \(DisplayWidth.sanitized(lineText))\n"
        out += " \(blue)\(pad) |\(reset) \(String(repeating: " ", count: DisplayWidth.of(DisplayWidth.sanitized(before))))"
        out += "\(red)\(String(repeating: "^", count: caretCount))\(reset)\n"
        return out
    }
}
/// Several errors found in one piece of text (a script may have more than one syntax error).
public struct SegErrors: Error, Sendable {
    public var errors: [SegError]

    public init(_ errors: [SegError]) { self.errors = errors }

    public var exitCode: Int32 { errors.first?.exitCode ?? 65 }
}
