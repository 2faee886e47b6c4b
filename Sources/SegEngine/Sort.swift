import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
import SegSemantics
// Ordering of rows and groups: missing values sort last in both directions (as DuckDB does),
// ties fall back to row order, and `limit` keeps only a heap of the best rows.

/// One sort key: a column viewed through an optional row mapping.
struct SortColumn {
    var column: Column
    /// Maps the index being sorted to a storage row; nil when indexes are storage rows.
    var rows: [Int32]?
    var descending: Bool
}

enum Sorter {
    /// A key made ready for fast comparison: integers for every ordered type, bytes for text.
    struct PreparedKey {
        enum Values {
            case ints([Int64])
            case text(TextBuffer, [Int32])
            case strings([String])
        }

        var values: Values
        var missing: [Bool]?
        var descending: Bool
    }

    static func prepare(_ key: SortColumn, _ items: [Int32]) -> PreparedKey {
        let col = key.column
        let storage: [Int32] = key.rows.map { map in items.map { map[Int($0)] } } ?? items
        var missing: [Bool]? = nil
        if let validity = col.validity {
            missing = storage.map { !validity[Int($0)] }
        }
        let values: PreparedKey.Values
        switch col.data {
        case .integer(let v), .decimal(let v, _): values = .ints(storage.map { v[Int($0)] })
        case .date(let v): values = .ints(storage.map { Int64(v[Int($0)]) })
        case .boolean(let v): values = .ints(storage.map { v[Int($0)] ? 1 : 0 })
        case .category(let codes, _): values = .ints(storage.map { Int64(codes[Int($0)]) })
        case .text(let buffer): values = .text(buffer, storage)
        case .tags: values = .strings(storage.map { CellOrder.string(col, Int($0)) })
        }
        return PreparedKey(values: values, missing: missing, descending: key.descending)
    }

    /// Sorts `items` (storage rows, or indexes into each key's `rows`) and keeps the first `limit`.
    static func sort(_ items: [Int32], by keys: [SortColumn], limit: Int?) -> [Int32] {
        let prepared = keys.map { prepare($0, items) }
        let n = items.count
        // Tuned: leading integer-like keys are packed into one order-preserving UInt64 per item,
        // so most comparisons are a single integer compare.
        let (packed, packedCount, packedBits) = pack(prepared, count: n)
        let rest = Array(prepared[packedCount...])
        if let packed, rest.isEmpty {
            let positionBits = max(1, Int.bitWidth - (n - 1).leadingZeroBitCount)
            if packedBits + positionBits <= 64 {
                // Keys and position in one word: a plain integer sort, ties by position for free.
                var combined = [UInt64](repeating: 0, count: n)
                for i in 0..<n { combined[i] = packed[i] << UInt64(positionBits) | UInt64(i) }
                if let limit, limit < n / 4 {
                    combined = topN(n, limit) { combined[$0] < combined[$1] }.map { combined[$0] }
                } else {
                    parallelSort(&combined, by: <)
                    if let limit, combined.count > limit { combined.removeSubrange(limit...) }
                }
                let mask = (UInt64(1) << UInt64(positionBits)) - 1
                return combined.map { items[Int($0 & mask)] }
            }
        }
        func less(_ p: Int, _ q: Int) -> Bool {
            if let packed, packed[p] != packed[q] { return packed[p] < packed[q] }
            for key in rest {
                if let missing = key.missing {
                    let (mp, mq) = (missing[p], missing[q])
                    if mp != mq { return mq }
                    if mp { continue }
                }
                var c: Int
                switch key.values {
                case .ints(let v): c = v[p] == v[q] ? 0 : (v[p] < v[q] ? -1 : 1)
                case .text(let buffer, let rows):
                    c = buffer.bytes.withUnsafeBufferPointer { b in
                        Bytes.compare(UnsafeBufferPointer(rebasing: b[buffer.range(at: Int(rows[p]))]),
                                      UnsafeBufferPointer(rebasing: b[buffer.range(at: Int(rows[q]))]))
                    }
                case .strings(let s): c = s[p] == s[q] ? 0 : (s[p] < s[q] ? -1 : 1)
                }
                if c != 0 { return key.descending ? c > 0 : c < 0 }
            }
            return p < q
        }
        // Tuned: when the first key after the packed ones is text, its first eight bytes join the
        // packed word, so most comparisons stay two integer compares (ids such as C0000001 fit whole).
        if let first = rest.first, case .text(let buffer, let rows) = first.values, first.missing == nil {
            var entries = [PrefixEntry](repeating: PrefixEntry(packed: 0, prefix: 0, position: 0), count: n)
            buffer.bytes.withUnsafeBufferPointer { b in
                for i in 0..<n {
                    let word = textPrefix(b, buffer.range(at: Int(rows[i])))
                    entries[i] = PrefixEntry(packed: packed?[i] ?? 0, prefix: first.descending ? ~word : word,
                                             position: Int32(truncatingIfNeeded: i))
                }
            }
            let before: (PrefixEntry, PrefixEntry) -> Bool = { x, y in
                if x.packed != y.packed { return x.packed < y.packed }
                if x.prefix != y.prefix { return x.prefix < y.prefix }
                return less(Int(x.position), Int(y.position))
            }
            if let limit, limit < n / 4 {
                entries = topN(n, limit) { before(entries[$0], entries[$1]) }.map { entries[$0] }
            } else {
                parallelSort(&entries, by: before)
                if let limit, entries.count > limit { entries.removeSubrange(limit...) }
            }
            return entries.map { items[Int($0.position)] }
        }
        var positions: [Int]
        if let limit, limit < n / 4 {
            positions = topN(n, limit, less)
        } else {
            positions = Array(0..<n)
            parallelSort(&positions, by: less)
            if let limit, positions.count > limit { positions.removeSubrange(limit...) }
        }
        return positions.map { items[$0] }
    }

    /// An item with its packed integer keys and the first eight bytes of its leading text key.
    struct PrefixEntry {
        var packed: UInt64
        var prefix: UInt64
        var position: Int32
    }

    /// The first eight bytes of a text cell as a big-endian word (zero-padded), so word order is
    /// byte order; equal words leave the decision to a full comparison.
    @inline(__always)
    static func textPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var word: UInt64 = 0
        let end = min(range.upperBound, range.lowerBound + 8)
        var shift: UInt64 = 56
        for k in range.lowerBound..<end {
            word |= UInt64(bytes[k]) << shift
            shift &-= 8
        }
        return word
    }

    /// Packs the leading integer-like keys into one UInt64 per item: each key is rebased to its
    /// minimum (or maximum, descending) and missing values take the largest code, so they sort last.
    /// Returns nil when the first key is not integer-like.
    static func pack(_ keys: [PreparedKey], count n: Int) -> ([UInt64]?, Int, Int) {
        var packed: [UInt64]?
        var used = 0
        var bits = 0
        for key in keys {
            guard case .ints(let values) = key.values else { break }
            var lo = Int64.max, hi = Int64.min
            for i in 0..<n where !(key.missing?[i] ?? false) {
                lo = min(lo, values[i])
                hi = max(hi, values[i])
            }
            if lo > hi { lo = 0; hi = 0 }
            let (span, overflow) = hi.subtractingReportingOverflow(lo)
            guard !overflow, span < Int64.max - 1 else { break }
            let missingCode = UInt64(span) + 1
            let width = Int.bitWidth - Int(missingCode).leadingZeroBitCount
            guard bits + width <= 64 else { break }
            var out = packed ?? [UInt64](repeating: 0, count: n)
            for i in 0..<n {
                let code: UInt64
                if key.missing?[i] ?? false {
                    code = missingCode
                } else {
                    code = key.descending ? UInt64(hi &- values[i]) : UInt64(values[i] &- lo)
                }
                out[i] = (out[i] << UInt64(width)) | code
            }
            packed = out
            bits += width
            used += 1
        }
        return (packed, used, bits)
    }

    /// Below this many items a sort stays on one thread.
    static let parallelSortMinimum = 1 << 14

    /// Sorts `items` under `before`, a strict total order (every key ends in the item's position,
    /// so the result is the same however it is split): large arrays as two halves, one per core,
    /// then merged. `force` splits small arrays too (tests).
    static func parallelSort<T>(_ items: inout [T], by before: (T, T) -> Bool, force: Bool = false) {
        let n = items.count
        guard force || (Parallel.cores > 1 && n >= parallelSortMinimum), n > 1 else {
            items.sort(by: before)
            return
        }
        let mid = n / 2
        items.withUnsafeMutableBufferPointer { buffer in
            let halves = UncheckedSendable(buffer)
            Parallel.forEach(2) { h in
                var half = UnsafeMutableBufferPointer(rebasing: halves.value[h == 0 ? 0..<mid : mid..<n])
                half.sort(by: before)
            }
        }
        var merged: [T] = []
        merged.reserveCapacity(n)
        var i = 0, j = mid
        while i < mid && j < n {
            if before(items[j], items[i]) { merged.append(items[j]); j += 1 } else { merged.append(items[i]); i += 1 }
        }
        merged.append(contentsOf: items[i..<mid])
        merged.append(contentsOf: items[j..<n])
        items = merged
    }

    /// The `k` smallest of `0..<n` under `less`, in order, with a bounded max-heap.
    static func topN(_ n: Int, _ k: Int, _ less: (Int, Int) -> Bool) -> [Int] {
        guard k > 0 else { return [] }
        var heap: [Int] = []
        heap.reserveCapacity(k)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var largest = i
                if l < heap.count && less(heap[largest], heap[l]) { largest = l }
                if r < heap.count && less(heap[largest], heap[r]) { largest = r }
                if largest == i { return }
                heap.swapAt(i, largest)
                i = largest
            }
        }
        for x in 0..<n {
            if heap.count < k {
                heap.append(x)
                var i = heap.count - 1
                while i > 0 {
                    let parent = (i - 1) / 2
                    if less(heap[parent], heap[i]) { heap.swapAt(parent, i); i = parent } else { break }
                }
            } else if less(x, heap[0]) {
                heap[0] = x
                siftDown(0)
            }
        }
        return heap.sorted(by: less)
    }
}

// MARK: - Top N per category

extension Sorter {
    /// `limit N per CATEGORY`: the rows bucketed by code (code order is value order, missing last),
    /// then each bucket's best `limit` rows under `keys`, in order: the same rows and order as
    /// sorting every row by the category first. `rows` ascending.
    static func topPerBucket(_ rows: [Int32], codes: [UInt32], buckets groups: Int, validity: Bitmap?,
                             by keys: [SortColumn], limit: Int, blockSize: Int? = nil) -> [Int32] {
        var candidates: [[Int32]]?
        if let first = keys.first, first.rows == nil, limit > 0 {
            switch first.column.data {
            case .integer(let v), .decimal(let v, _):
                candidates = candidatesPerBucket(rows, v, first, codes: codes, buckets: groups, validity: validity, limit: limit, blockSize: blockSize)
            case .date(let v):
                candidates = candidatesPerBucket(rows, v, first, codes: codes, buckets: groups, validity: validity, limit: limit, blockSize: blockSize)
            case .category(let v, _):
                candidates = candidatesPerBucket(rows, v, first, codes: codes, buckets: groups, validity: validity, limit: limit, blockSize: blockSize)
            default:
                break
            }
        }
        guard let candidates else {
            var buckets = [[Int32]](repeating: [], count: groups + 1)
            for row in rows {
                let i = Int(row)
                buckets[validity.map { $0[i] } ?? true ? Int(codes[i]) : groups].append(row)
            }
            return buckets.flatMap { keys.isEmpty ? Array($0.prefix(limit)) : sort($0, by: keys, limit: limit) }
        }
        return candidates.flatMap { sort($0, by: keys, limit: limit) }
    }

    /// For each bucket, in ascending row order, a superset of its best `limit` rows: every row but
    /// those with `limit` rows of their bucket strictly ahead on the first sort key alone. Tuned:
    /// blocks of rows on every core; a row is kept only if its first key is no worse than its
    /// bucket's bound, so most rows cost one compare; a bucket's kept rows are cut back to about
    /// `limit` when they pile up.
    static func candidatesPerBucket<T: FixedWidthInteger>(_ rows: [Int32], _ values: [T], _ key: SortColumn, codes: [UInt32], buckets groups: Int,
                                                          validity: Bitmap?, limit: Int, blockSize: Int?) -> [[Int32]] {
        let bucketCount = groups + 1
        let blocks = blockSize != nil || bucketCount <= rows.count / 64 ? Parallel.ranges(rows.count, size: blockSize) : [0..<rows.count]
        let descending = key.descending, keyValidity = key.column.validity
        let parts = rows.withUnsafeBufferPointer { r in
            codes.withUnsafeBufferPointer { c in
                values.withUnsafeBufferPointer { v in
                    Parallel.map(blocks) { _, range -> [[Int32]] in
                        var kept = [[Int32]](repeating: [], count: bucketCount)
                        var keptRanks = [[UInt64]](repeating: [], count: bucketCount)
                        var bound = [UInt64](repeating: .max, count: bucketCount)
                        var room = [Int](repeating: Swift.max(64, 4 * limit), count: bucketCount)
                        for i in range {
                            let row = Int(r[i])
                            let b = validity.map { $0[row] } ?? true ? Int(c[row]) : groups
                            // The first key as an unsigned word in sort order, missing last: smaller is better.
                            var rank = UInt64.max
                            if keyValidity.map({ $0[row] }) ?? true {
                                let biased = UInt64(bitPattern: Int64(truncatingIfNeeded: v[row])) ^ (1 << 63)
                                rank = descending ? ~biased : biased
                            }
                            if rank > bound[b] { continue }
                            kept[b].append(Int32(row))
                            keptRanks[b].append(rank)
                            if kept[b].count >= room[b] {
                                // The limit-th best rank becomes the bound; rows behind it go (ties stay).
                                var sorted = keptRanks[b]
                                sorted.sort()
                                let cut = sorted[limit - 1]
                                var k = 0
                                for j in 0..<kept[b].count where keptRanks[b][j] <= cut {
                                    kept[b][k] = kept[b][j]
                                    keptRanks[b][k] = keptRanks[b][j]
                                    k += 1
                                }
                                kept[b].removeSubrange(k...)
                                keptRanks[b].removeSubrange(k...)
                                bound[b] = cut
                                room[b] = Swift.max(room[b], 2 * k)
                            }
                        }
                        return kept
                    }
                }
            }
        }
        return (0..<bucketCount).map { b in parts.flatMap { $0[b] } }
    }
}
