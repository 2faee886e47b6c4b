/// Terminal display width of text: East Asian wide characters take two cells, combining marks none.
public enum DisplayWidth {
    public static func of(_ text: some StringProtocol) -> Int {
        var width = 0
        for scalar in text.unicodeScalars { width += of(scalar) }
        return width
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        // Combining marks and zero-width characters.
        if (0x300...0x36F).contains(v) || (0x200B...0x200F).contains(v) || (0xFE00...0xFE0F).contains(v)
            || (0x1AB0...0x1AFF).contains(v) || (0x20D0...0x20FF).contains(v) { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v) { return 2 }
        return 1
    }

    /// Replaces what could rewrite the screen or mislead a reader with U+FFFD: control characters
    /// (C0, DEL, C1: escape sequences move the cursor, set the window title, clear the screen), the
    /// bidi embedding, override and isolate controls (U+202A…U+202E, U+2066…U+2069: U+202E shows
    /// the text after it reversed) and the line and paragraph separators (U+2028, U+2029). A tab
    /// becomes a space. `keepingLayout`: line feeds and tabs stay as they are (multi-line messages,
    /// CSV and TSV records on a terminal).
    public static func sanitized(_ text: String, keepingLayout: Bool = false) -> String {
        @inline(__always) func isUnsafe(_ v: UInt32) -> Bool {
            v < 0x20 || (v >= 0x7F && v < 0xA0) || (v >= 0x2028 && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
        }
        var needs = false
        for s in text.unicodeScalars where isUnsafe(s.value) && !(keepingLayout && (s == "\n" || s == "\t")) {
            needs = true
            break
        }
        guard needs else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if keepingLayout && (s == "\n" || s == "\t") {
                out.append(s)
            } else if s.value == 0x09 {
                out.append(" ")
            } else if isUnsafe(s.value) {
                out.append(contentsOf: "\u{FFFD}".unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
