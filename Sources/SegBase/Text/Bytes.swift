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
