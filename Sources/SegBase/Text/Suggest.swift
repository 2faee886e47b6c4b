// MARK: - "did you mean"

public enum Suggest {
    /// The candidate closest to `word` (case-insensitive edit distance), when it is close enough to be a likely typo.
    /// Distances count Characters (what a reader sees as one letter or 汉字), so `深证` is one
    /// edit from `深圳`.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let w = Array(word.lowercased())
        guard !w.isEmpty else { return nil }
        let wide = w.contains(where: isIdeograph)
        var best: (String, Int)?
        for candidate in candidates {
            let c = Array(candidate.lowercased())
            if c == w { return candidate }
            // Short words need a closer match: one edit turns any 1- or 2-letter word into another.
            // An ideograph carries a syllable's worth: two of them with one right is a likely typo.
            let longest = max(w.count, c.count)
            let limit = wide && c.contains(where: isIdeograph)
                ? (longest <= 1 ? 0 : max(1, min(3, longest / 2)))
                : (longest <= 2 ? 0 : max(1, min(3, (longest + 1) / 3)))
            let d = editDistance(w, c, limit: limit)
            if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    /// Levenshtein distance with transpositions counted as one edit; stops early past `limit`.
    /// CJK ideographs (and the kana and hangul around them), which a one-letter rule undervalues.
    static func isIdeograph(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0x2E80...0x9FFF).contains(v) || (0xAC00...0xD7AF).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0x20000...0x3FFFF).contains(v)
    }

    static func editDistance<T: Equatable>(_ a: [T], _ b: [T], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prevPrev = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    v = min(v, prevPrev[j - 2] + 1)
                }
                cur[j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > limit { return limit + 1 }
            (prevPrev, prev, cur) = (prev, cur, prevPrev)
        }
        return prev[b.count]
    }

    /// ` (did you mean 'x'?)` or the empty string.
    public static func hint(_ word: String, among candidates: some Sequence<String>) -> String {
        guard let match = closest(to: word, among: candidates) else { return "" }
        return " (did you mean '\(match)'?)"
    }
}
