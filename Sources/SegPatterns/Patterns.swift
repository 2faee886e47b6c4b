import Foundation
import SegBase

/// A compiled SQL `LIKE` pattern: `%` matches any run of characters, `_` exactly one character.
/// Matching is on UTF-8 bytes, so `_` steps over a whole multi-byte character. Case-sensitive.
public struct LikePattern: Sendable {
    public enum Piece: Sendable, Equatable {
        case literal([UInt8])
        case anyOne
        case anyRun
    }

    public let pieces: [Piece]

    public init(_ pattern: String) {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        for scalar in pattern.unicodeScalars {
            switch scalar {
            case "%":
                if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
                if pieces.last != .anyRun { pieces.append(.anyRun) }
            case "_":
                if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
                pieces.append(.anyOne)
            default:
                literal.append(contentsOf: String(scalar).utf8)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    public func matches(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { matches(UnsafeBufferPointer(rebasing: $0[...])) }
    }

    /// Greedy matching with backtracking only to the last `%`: linear in practice, never exponential.
    public func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var p = 0
        var t = 0
        var starPiece = -1
        var starText = 0
        let n = text.count
        while true {
            if p == pieces.count {
                if t == n { return true }
            } else {
                switch pieces[p] {
                case .anyRun:
                    starPiece = p
                    starText = t
                    p += 1
                    continue
                case .anyOne:
                    if t < n {
                        t += Self.sequenceLength(text[t])
                        if t > n { t = n }
                        p += 1
                        continue
                    }
                case .literal(let bytes):
                    if t + bytes.count <= n && Self.equal(text, t, bytes) {
                        t += bytes.count
                        p += 1
                        continue
                    }
                }
            }
            // Mismatch: let the last `%` swallow one more character, or fail.
            guard starPiece >= 0, starText < n else { return false }
            starText += Self.sequenceLength(text[starText])
            if starText > n { return false }
            t = starText
            p = starPiece + 1
        }
    }

    @inline(__always)
    static func equal(_ text: UnsafeBufferPointer<UInt8>, _ at: Int, _ bytes: [UInt8]) -> Bool {
        for i in 0..<bytes.count where text[at + i] != bytes[i] { return false }
        return true
    }

    @inline(__always)
    static func sequenceLength(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead >= 0xF0 { return 4 }
        if lead >= 0xE0 { return 3 }
        if lead >= 0xC0 { return 2 }
        return 1
    }
}

/// A user's regular expression, searched anywhere in the value like `~` in PostgreSQL.
/// Compiled by `Regex.swift` to an automaton over UTF-8 bytes: linear time, never backtracks.
public struct RegexMatcher: Sendable {
    private let program: RegexProgram
    public let pattern: String

    /// Throws `RegexError` with a short reason (`missing ')'`) when the pattern is invalid or too large.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        program = try RegexProgram(pattern)
    }

    public func matches(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { program.matches($0) }
    }

    /// Matches UTF-8 bytes directly, without building a String.
    public func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        program.matches(bytes)
    }
}

// MARK: - Whole columns

/// A test on the UTF-8 bytes of one value.
public protocol BytePattern: Sendable {
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool
}

extension LikePattern: BytePattern {}
extension RegexMatcher: BytePattern {}

extension BytePattern {
    /// Sets bit `i % 64` of `words[i / 64]` for every row `i` of a text column (row `i` is
    /// `bytes[offsets[i]..<offsets[i + 1]]`) that matches, for the rows of `wordRange`'s words.
    /// Tuned: the loop lives beside `matches`, so the matcher is specialised and inlined into it
    /// (called from the engine per row, a cross-module call cost more than the match).
    public func markMatches(bytes: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<Int>,
                            words: UnsafeMutableBufferPointer<UInt64>, wordRange: Range<Int>) {
        let rows = offsets.count - 1
        for wi in wordRange {
            let base = wi << 6
            let end = Swift.min(base + 64, rows)
            var word: UInt64 = 0
            var i = base
            while i < end {
                if matches(UnsafeBufferPointer(rebasing: bytes[offsets[i]..<offsets[i + 1]])) { word |= 1 << UInt64(i - base) }
                i += 1
            }
            words[wi] = word
        }
    }
}
