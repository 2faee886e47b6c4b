#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Dispatch
import Foundation
import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
import SegSemantics

// Column kernels: each turns one whole column into a bitmap of the rows that pass a test,
// 64 rows per output word. They run over contiguous typed buffers and ignore validity; the
// caller masks missing rows. Hot loops: keep them branch-free and free of allocation.

protocol IntComparison {
    static func test(_ a: Int64, _ b: Int64) -> Bool
}

/// A test of one integer-like value, for `Kernels.bits`.
protocol ValueTest {
    func holds(_ v: Int64) -> Bool
}

/// The value compares true with a constant.
struct Compared<C: IntComparison>: ValueTest {
    let constant: Int64
    @inline(__always) func holds(_ v: Int64) -> Bool { C.test(v, constant) }
}

/// The value lies in `low...low + span`: `v - low` as an unsigned word is at most `span` exactly
/// then, whatever the values.
struct InRange: ValueTest {
    let low: Int64
    let span: UInt64
    @inline(__always) func holds(_ v: Int64) -> Bool { UInt64(bitPattern: v &- low) <= span }
}

enum Equal: IntComparison { @inline(__always) static func test(_ a: Int64, _ b: Int64) -> Bool { a == b } }
enum NotEqual: IntComparison { @inline(__always) static func test(_ a: Int64, _ b: Int64) -> Bool { a != b } }
enum Less: IntComparison { @inline(__always) static func test(_ a: Int64, _ b: Int64) -> Bool { a < b } }
enum LessOrEqual: IntComparison { @inline(__always) static func test(_ a: Int64, _ b: Int64) -> Bool { a <= b } }
enum Greater: IntComparison { @inline(__always) static func test(_ a: Int64, _ b: Int64) -> Bool { a > b } }
enum GreaterOrEqual: IntComparison { @inline(__always) static func test(_ a: Int64, _ b: Int64) -> Bool { a >= b } }

enum Kernels {
    /// Rows whose value compares true with `k`.
    static func compare<T: FixedWidthInteger>(_ values: [T], _ op: ComparisonOperator, _ k: Int64) -> Bitmap {
        switch op {
        case .equal: return compare(values, Equal.self, k)
        case .notEqual: return compare(values, NotEqual.self, k)
        case .less: return compare(values, Less.self, k)
        case .lessOrEqual: return compare(values, LessOrEqual.self, k)
        case .greater: return compare(values, Greater.self, k)
        case .greaterOrEqual: return compare(values, GreaterOrEqual.self, k)
        }
    }

    /// Rows whose value lies in `lo...hi`: one pass instead of two comparisons and an intersection
    /// (`maturity in next 30 days` over 4M holdings).
    static func between<T: FixedWidthInteger>(_ values: [T], _ lo: Int64, _ hi: Int64) -> Bitmap {
        guard lo <= hi else { return Bitmap(count: values.count) }
        return bits(values, InRange(low: lo, span: UInt64(bitPattern: hi &- lo)))
    }

    static func compare<T: FixedWidthInteger, C: IntComparison>(_ values: [T], _: C.Type, _ k: Int64) -> Bitmap {
        bits(values, Compared<C>(constant: k))
    }

    // Tuned: specialised per test and element type; one word of 64 results per inner loop, the
    // words on every core.
    static func bits<T: FixedWidthInteger, Test: ValueTest>(_ values: [T], _ test: Test) -> Bitmap {
        var out = Bitmap(count: values.count)
        values.withUnsafeBufferPointer { v in
            out.words.withUnsafeMutableBufferPointer { w in
                Parallel.blocks(w.count) { range in
                    for wi in range {
                        let base = wi << 6
                        let end = min(base + 64, v.count)
                        var word: UInt64 = 0
                        // Branch-free: the test's result is shifted in, never branched on.
                        for i in base..<end {
                            word |= UInt64(test.holds(Int64(truncatingIfNeeded: v[i])) ? 1 : 0) &<< UInt64(i &- base)
                        }
                        w[wi] = word
                    }
                }
            }
        }
        return out
    }

    static func oneOf<T: FixedWidthInteger>(_ values: [T], _ set: [Int64]) -> Bitmap {
        if set.count == 1 { return compare(values, Equal.self, set[0]) }
        let sorted = Array(Set(set)).sorted()
        // A binary search per row: a scan of every candidate made `age in (10,000 numbers)` on a
        // million rows 10^10 comparisons.
        return sorted.withUnsafeBufferPointer { s in
            byRow(values.count) { i in
                let x = Int64(truncatingIfNeeded: values[i])
                var lo = 0, hi = s.count
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if s[mid] < x { lo = mid + 1 } else { hi = mid }
                }
                return lo < s.count && s[lo] == x
            }
        }
    }

    /// Category rows whose dictionary code passes: the test ran once per dictionary entry.
    static func lookup(_ codes: [UInt32], _ table: [Bool]) -> Bitmap {
        var out = Bitmap(count: codes.count)
        let lut = table.map { UInt64($0 ? 1 : 0) }
        codes.withUnsafeBufferPointer { c in
            lut.withUnsafeBufferPointer { l in
                out.words.withUnsafeMutableBufferPointer { w in
                    Parallel.blocks(w.count) { range in
                        for wi in range {
                            let base = wi << 6
                            let end = min(base + 64, c.count)
                            var word: UInt64 = 0
                            for i in base..<end {
                                let code = Int(c[i])
                                word |= (code < l.count ? l[code] : 0) &<< UInt64(i &- base)
                            }
                            w[wi] = word
                        }
                    }
                }
            }
        }
        return out
    }

    static func tags(_ sets: TagSets, mask: [UInt64], all: Bool, count: Int) -> Bitmap {
        var out = Bitmap(count: count)
        let wpr = sets.wordsPerRow
        sets.bits.withUnsafeBufferPointer { b in
            out.words.withUnsafeMutableBufferPointer { w in
                if wpr == 1 {
                    let m = mask[0]
                    Parallel.blocks(w.count) { range in
                        for wi in range {
                            let base = wi << 6
                            let end = min(base + 64, count)
                            var word: UInt64 = 0
                            for i in base..<end {
                                let hit = all ? (b[i] & m) == m : (b[i] & m) != 0
                                word |= UInt64(hit ? 1 : 0) &<< UInt64(i &- base)
                            }
                            w[wi] = word
                        }
                    }
                } else {
                    for i in 0..<count {
                        var any = false
                        var every = true
                        for j in 0..<wpr {
                            let x = b[i * wpr + j] & mask[j]
                            if x != 0 { any = true }
                            if x != mask[j] { every = false }
                        }
                        if all ? every : any { w[i >> 6] |= 1 << UInt64(i & 63) }
                    }
                }
            }
        }
        return out
    }

    /// Text rows whose UTF-8 bytes pass `test`.
    public static func text(_ buffer: TextBuffer, _ test: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bitmap {
        var out = Bitmap(count: buffer.count)
        buffer.bytes.withUnsafeBufferPointer { bytes in
            buffer.offsets.withUnsafeBufferPointer { offsets in
                for i in 0..<(offsets.count - 1) {
                    let slice = UnsafeBufferPointer(rebasing: bytes[offsets[i]..<offsets[i + 1]])
                    if test(slice) { out.words[i >> 6] |= 1 << UInt64(i & 63) }
                }
            }
        }
        return out
    }

    /// Text rows that match a pattern, split across the cores.
    static func text(_ buffer: TextBuffer, _ pattern: some BytePattern) -> Bitmap {
        var out = Bitmap(count: buffer.count)
        buffer.bytes.withUnsafeBufferPointer { bytes in
            buffer.offsets.withUnsafeBufferPointer { offsets in
                out.words.withUnsafeMutableBufferPointer { words in
                    let shared = UncheckedSendable((bytes, offsets, words))
                    // Blocks write disjoint words.
                    Parallel.blocks(words.count) { range in
                        pattern.markMatches(bytes: shared.value.0, offsets: shared.value.1, words: shared.value.2, wordRange: range)
                    }
                }
            }
        }
        return out
    }

    static func byRow(_ count: Int, _ test: (Int) -> Bool) -> Bitmap {
        var out = Bitmap(count: count)
        for i in 0..<count where test(i) { out.words[i >> 6] |= 1 << UInt64(i & 63) }
        return out
    }
}
