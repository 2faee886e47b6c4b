import SegBase
/// A fixed-size set of row numbers stored as 64-bit words; bit `i % 64` of word `i / 64` is row `i`.
/// Bits past `count` in the last word are always zero, so popcounts need no masking.
public struct Bitmap: Sendable, Equatable {
    public var words: [UInt64]
    public let count: Int

    public init(count: Int, filled: Bool = false) {
        self.count = count
        let wordCount = (count + 63) >> 6
        if filled {
            words = [UInt64](repeating: ~0, count: wordCount)
            clearTail()
        } else {
            words = [UInt64](repeating: 0, count: wordCount)
        }
    }

    public init(words: [UInt64], count: Int) {
        self.words = words
        self.count = count
        clearTail()
    }

    @inline(__always)
    public subscript(_ i: Int) -> Bool {
        get { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
        }
    }

    public mutating func clearTail() {
        let rem = count & 63
        if rem != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(rem)) - 1 }
    }

    public var popcount: Int {
        var n = 0
        for w in words { n += w.nonzeroBitCount }
        return n
    }

    public var isFull: Bool { popcount == count }

    public static func & (a: Bitmap, b: Bitmap) -> Bitmap {
        var r = a
        r.formIntersection(b)
        return r
    }

    public static func | (a: Bitmap, b: Bitmap) -> Bitmap {
        var r = a
        r.formUnion(b)
        return r
    }

    public mutating func formIntersection(_ other: Bitmap) {
        words.withUnsafeMutableBufferPointer { w in
            other.words.withUnsafeBufferPointer { o in
                for i in 0..<w.count { w[i] &= o[i] }
            }
        }
    }

    public mutating func formUnion(_ other: Bitmap) {
        words.withUnsafeMutableBufferPointer { w in
            other.words.withUnsafeBufferPointer { o in
                for i in 0..<w.count { w[i] |= o[i] }
            }
        }
    }

    /// Removes the rows of `other` from this set.
    public mutating func subtract(_ other: Bitmap) {
        words.withUnsafeMutableBufferPointer { w in
            other.words.withUnsafeBufferPointer { o in
                for i in 0..<w.count { w[i] &= ~o[i] }
            }
        }
    }

    public func inverted() -> Bitmap {
        var r = self
        for i in 0..<r.words.count { r.words[i] = ~r.words[i] }
        r.clearTail()
        return r
    }

    /// The set rows in ascending order.
    public func rowIndices() -> [Int32] {
        var out = [Int32]()
        out.reserveCapacity(popcount)
        for (wi, word) in words.enumerated() {
            var w = word
            while w != 0 {
                let bit = w.trailingZeroBitCount
                out.append(Int32(wi << 6 | bit))
                w &= w - 1
            }
        }
        return out
    }
}
