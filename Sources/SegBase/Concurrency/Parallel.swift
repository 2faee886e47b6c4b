import Dispatch
import Foundation

/// The one way seg spreads work over the cores: scans over bitmap words, column checks when a book
/// opens, CSV chunks. Work items write disjoint parts of their output, so they need no locking.
public enum Parallel {
    public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Below this many output words (64 rows each) a scan is faster on one thread.
    public static let minimumWords = 2048

    /// Runs `body(i)` for every `i` in `0..<count`, on every core; a single item stays on this thread.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1, cores > 1 else {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { shared.value($0) }
        }
    }

    /// Splits `wordCount` output words into blocks, two per core; small inputs stay on this thread.
    public static func blocks(_ wordCount: Int, _ body: (Range<Int>) -> Void) {
        guard cores > 1, wordCount >= minimumWords else {
            body(0..<wordCount)
            return
        }
        let blocks = cores * 2
        let per = (wordCount + blocks - 1) / blocks
        forEach(blocks) { b in
            let lo = b * per
            let hi = min(wordCount, lo + per)
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Below this many items a fold over rows (a grouped sum, a top-N) stays on one thread.
    public static let minimumItems = 1 << 17

    /// `0..<count` cut into blocks for folds that keep a partial result per block and merge them in
    /// block order: two per core, or one when the input is small or there is one core. `size`
    /// forces blocks of that many items (tests use it to check the merge over many blocks).
    public static func ranges(_ count: Int, size: Int? = nil) -> [Range<Int>] {
        let per: Int
        if let size {
            per = max(1, size)
        } else {
            guard cores > 1, count >= minimumItems else { return [0..<count] }
            per = (count + cores * 2 - 1) / (cores * 2)
        }
        return stride(from: 0, to: max(count, 1), by: per).map { $0..<min(count, $0 + per) }
    }

    /// Runs `body(b, range)` for each block of `ranges`, on every core; returns the blocks' results
    /// in block order.
    public static func map<T>(_ ranges: [Range<Int>], _ body: (Int, Range<Int>) -> T) -> [T] {
        var results = [T?](repeating: nil, count: ranges.count)
        results.withUnsafeMutableBufferPointer { out in
            let out = UncheckedSendable(out)
            forEach(ranges.count) { b in out.value[b] = body(b, ranges[b]) }
        }
        return results.compactMap { $0 }
    }

    /// The row numbers 0, 1, …, count - 1, written in blocks on every core (no zeroing first).
    public static func rowNumbers(_ count: Int) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            let out = UncheckedSendable(buffer)
            let blocks = ranges(count)
            forEach(blocks.count) { b in
                for i in blocks[b] { out.value[i] = Int32(truncatingIfNeeded: i) }
            }
            initialized = count
        }
    }

    /// True when `test` holds for every block of `0..<count` (split across the cores).
    public static func all(_ count: Int, _ test: (Range<Int>) -> Bool) -> Bool {
        let blocks = count >= 1 << 16 ? cores * 4 : 1
        let per = max(1, (count + blocks - 1) / blocks)
        var ok = [Bool](repeating: true, count: blocks)
        ok.withUnsafeMutableBufferPointer { out in
            let out = UncheckedSendable(out)
            forEach(blocks) { b in
                let lo = min(count, b * per), hi = min(count, lo + per)
                out.value[b] = test(lo..<hi)
            }
        }
        return !ok.contains(false)
    }
}

/// Lets a pointer or buffer that several threads use on disjoint parts cross into `concurrentPerform`.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
