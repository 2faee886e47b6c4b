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

    /// Replaces control characters (which could move the cursor or rewrite the screen) with visible escapes.
    public static func sanitized(_ text: String) -> String {
        var needs = false
        for s in text.unicodeScalars where s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) { needs = true; break }
        guard needs else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s.value == 0x09 {
                out.append(" ")
            } else if s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) {
                out.append(contentsOf: "\u{FFFD}".unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
