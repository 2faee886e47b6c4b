import Foundation

// MARK: - Byte helpers for text tests

public enum Bytes {
    @inline(__always)
    public static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let r = memcmp(pa, pb, n)
            if r != 0 { return r < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    public static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        guard haystack.count >= needle.count, let h = haystack.baseAddress else { return false }
        return needle.withUnsafeBufferPointer { n in
            guard let np = n.baseAddress else { return true }
            let first = Int32(n[0])
            var start = 0
            let last = haystack.count - n.count
            // memchr finds candidate first bytes at memory speed; memcmp confirms.
            while start <= last {
                guard let hit = memchr(h + start, first, last - start + 1) else { return false }
                let at = h.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(h + at, np, n.count) == 0 { return true }
                start = at + 1
            }
            return false
        }
    }
}
extension Bytes {
    /// Byte-wise order of two strings (the engine's order for text).
    public static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

/// A test for whether bytes hold any of a few ASCII bytes, or a byte below a bound, eight bytes at
/// a time: writers use it to prove that a cell needs no quoting or escaping and copy it whole.
public struct ByteScan: Sendable {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
    private let broadcasts: [UInt64]
    private let targets: [UInt8]
    private let below: UInt8

    /// `targets`: any bytes; `below`: at most 0x80 (0: no bound).
    public init(_ targets: [UInt8], below: UInt8 = 0) {
        precondition(below <= 0x80, "ByteScan bounds ASCII bytes only")
        self.targets = targets
        self.below = below
        broadcasts = targets.map { Self.ones &* UInt64($0) }
    }

    /// True when some byte of `bytes` is one of the targets or below the bound.
    @inline(__always)
    public func any(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        // A zero byte in `w ^ target` marks that byte; `(w - b) & ~w & highs` marks a byte below b
        // (b ≤ 0x80). Both exact for "is there any": no false positives overall.
        let bound = Self.ones &* UInt64(below)
        var i = 0
        while i + 8 <= bytes.count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if below > 0, (w &- bound) & ~w & Self.highs != 0 { return true }
            for b in broadcasts {
                let v = w ^ b
                if (v &- Self.ones) & ~v & Self.highs != 0 { return true }
            }
            i += 8
        }
        while i < bytes.count {
            let b = bytes[i]
            if b < below || targets.contains(b) { return true }
            i += 1
        }
        return false
    }
}
