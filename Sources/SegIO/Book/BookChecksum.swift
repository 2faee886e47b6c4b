import Dispatch
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SegBase
import SegStore

/// A fast 64-bit checksum (the XXH64 algorithm: four multiply-rotate lanes over 64-bit words,
/// several GB/s per core). A section's checksum combines the checksums of its 256 KiB blocks, so
/// the blocks of one section can be checked on several cores.
public enum BookChecksum {
    static let p1: UInt64 = 11_400_714_785_074_694_791
    static let p2: UInt64 = 14_029_467_366_897_019_727
    static let p3: UInt64 = 1_609_587_929_392_839_161
    static let p4: UInt64 = 9_650_029_242_287_828_579
    static let p5: UInt64 = 2_870_177_450_012_600_261

    @inline(__always) static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always) static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always) static func merge(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        (acc ^ round(0, value)) &* p1 &+ p4
    }

    /// XXH64 of `bytes` with `seed`. Hot: keep the stripe loop free of calls and bounds checks.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return finish(seed &+ p5 &+ 0) }
        var i = 0
        var h: UInt64
        if n >= 32 {
            var v1 = seed &+ p1 &+ p2, v2 = seed &+ p2, v3 = seed, v4 = seed &- p1
            let limit = n - 32
            while i <= limit {
                v1 = round(v1, base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                v2 = round(v2, base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                v3 = round(v3, base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
                v4 = round(v4, base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
                i += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(h, v1)
            h = merge(h, v2)
            h = merge(h, v3)
            h = merge(h, v4)
        } else {
            h = seed &+ p5
        }
        h = h &+ UInt64(n)
        while i + 8 <= n {
            h ^= round(0, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            h = rotl(h, 27) &* p1 &+ p4
            i += 8
        }
        if i + 4 <= n {
            h ^= UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self))) &* p1
            h = rotl(h, 23) &* p2 &+ p3
            i += 4
        }
        while i < n {
            h ^= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) &* p5
            h = rotl(h, 11) &* p1
            i += 1
        }
        return finish(h)
    }

    @inline(__always) static func finish(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        h = h &* p3
        h ^= h >> 32
        return h
    }

    /// The checksum of a section from its block checksums.
    static func combine(_ blocks: [UInt64], length: Int) -> UInt64 {
        blocks.withUnsafeBytes { hash($0, seed: UInt64(length)) }
    }

    /// A section's checksum as a book stores it, its blocks hashed in parallel.
    public static func section(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let blockCount = max(1, (bytes.count + BookFile.checksumBlock - 1) / BookFile.checksumBlock)
        var blocks = [UInt64](repeating: 0, count: blockCount)
        blocks.withUnsafeMutableBufferPointer { out in
            let out = UncheckedSendable(out)
            let src = UncheckedSendable(bytes)
            Parallel.forEach(blockCount) { b in
                let lo = b * BookFile.checksumBlock
                let hi = min(src.value.count, lo + BookFile.checksumBlock)
                out.value[b] = hash(UnsafeRawBufferPointer(rebasing: src.value[lo..<hi]))
            }
        }
        return combine(blocks, length: bytes.count)
    }
}
