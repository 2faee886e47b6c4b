import SegBase
import SegStore

/// Folds of one column into per-group accumulators, shared by the aggregates of the registry.
public enum AggregateKernels {
    /// Blocks of the selected positions for a fold that keeps a partial result per group and block
    /// and merges them in block order: several only when the per-block accumulators stay small
    /// beside the rows (`blockSize` forces blocks, for tests).
    public static func foldBlocks(_ count: Int, groupCount: Int, size: Int? = nil) -> [Range<Int>] {
        guard size != nil || groupCount <= Swift.min(1 << 16, count / 16) else { return [0..<count] }
        return Parallel.ranges(count, size: size)
    }

    /// Calls `body(position, row, group)` for each selected position in `range` whose row is
    /// present in `validity` (nil: all rows).
    @inline(__always)
    static func forEachPresent(_ range: Range<Int>, _ rows: UnsafeBufferPointer<Int32>, _ groupOf: UnsafeBufferPointer<Int32>,
                               _ validity: UnsafeBufferPointer<UInt64>?, _ body: (Int, Int, Int) -> Void) {
        if let validity {
            for i in range {
                let row = Int(rows[i])
                if validity[row >> 6] & (1 &<< UInt64(row & 63)) == 0 { continue }
                body(i, row, Int(groupOf[i]))
            }
        } else {
            for i in range { body(i, Int(rows[i]), Int(groupOf[i])) }
        }
    }

    /// Runs `body(block, range, …)` on each block of `blocks` with raw views of the rows, groups and validity words,
    /// on every core, and returns the blocks' results in block order.
    static func overBlocks<T>(_ blocks: [Range<Int>], rows: [Int32], groupOf: [Int32], validity: Bitmap?,
                              _ body: (Int, Range<Int>, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<UInt64>?) -> T) -> [T] {
        rows.withUnsafeBufferPointer { r in
            groupOf.withUnsafeBufferPointer { g in
                func run(_ words: UnsafeBufferPointer<UInt64>?) -> [T] {
                    Parallel.map(blocks) { block, range in body(block, range, r, g, words) }
                }
                guard let validity else { return run(nil) }
                return validity.words.withUnsafeBufferPointer { run($0) }
            }
        }
    }

    /// Rows per group; with `validity`, only rows present in it. Tuned: a histogram per block on
    /// every core, added up.
    public static func counts(rows: [Int32], groupOf: [Int32], groupCount: Int, validity: Bitmap?, blockSize: Int? = nil) -> [Int64] {
        let blocks = foldBlocks(rows.count, groupCount: groupCount, size: blockSize)
        // Four lanes of counters, by position: consecutive rows of one group add to different
        // counters instead of waiting on one.
        let parts = overBlocks(blocks, rows: rows, groupOf: groupOf, validity: validity) { _, range, r, g, valid in
            var counts = [Int64](repeating: 0, count: 4 * groupCount)
            counts.withUnsafeMutableBufferPointer { cnt in
                forEachPresent(range, r, g, valid) { i, _, group in cnt[(i & 3) &* groupCount &+ group] &+= 1 }
            }
            return counts
        }
        var total = [Int64](repeating: 0, count: groupCount)
        for part in parts { for lane in 0..<4 { for i in 0..<groupCount { total[i] += part[lane * groupCount + i] } } }
        return total
    }

    /// Per-group exact sums and counts of present values. Tuned: sums run in Int64; an add that
    /// would overflow spills the partial sum into an Int128 total, so the result is always exact.
    /// Blocks of rows run on every core, each with its own partial sums, added up in Int128.
    public static func sumsAndCounts(_ values: [Int64], validity: Bitmap?, rows: [Int32], groupOf: [Int32],
                                     groupCount: Int, blockSize: Int? = nil) -> ([Int128], [Int64]) {
        let blocks = foldBlocks(rows.count, groupCount: groupCount, size: blockSize)
        let parts = values.withUnsafeBufferPointer { v in
            overBlocks(blocks, rows: rows, groupOf: groupOf, validity: validity) { _, range, r, g, valid in
                // Four lanes of accumulators, by position, so consecutive rows of one group do
                // not wait on one another's adds.
                var wide = [Int128](repeating: 0, count: groupCount)
                var narrow = [Int64](repeating: 0, count: 4 * groupCount)
                var counts = [Int64](repeating: 0, count: 4 * groupCount)
                narrow.withUnsafeMutableBufferPointer { acc in
                    counts.withUnsafeMutableBufferPointer { cnt in
                        forEachPresent(range, r, g, valid) { i, row, group in
                            let slot = (i & 3) &* groupCount &+ group
                            let (sum, overflow) = acc[slot].addingReportingOverflow(v[row])
                            if overflow {
                                wide[group] += Int128(acc[slot])
                                acc[slot] = v[row]
                            } else {
                                acc[slot] = sum
                            }
                            cnt[slot] &+= 1
                        }
                    }
                }
                var total = [Int64](repeating: 0, count: groupCount)
                for lane in 0..<4 {
                    for i in 0..<groupCount {
                        wide[i] += Int128(narrow[lane * groupCount + i])
                        total[i] += counts[lane * groupCount + i]
                    }
                }
                return (wide, total)
            }
        }
        var wide = [Int128](repeating: 0, count: groupCount)
        var counts = [Int64](repeating: 0, count: groupCount)
        for (w, c) in parts {
            for i in 0..<groupCount {
                wide[i] += w[i]
                counts[i] += c[i]
            }
        }
        return (wide, counts)
    }

    /// Per-group counts of different present values: integers, decimals, dates, booleans and
    /// category codes as numbers, text byte for byte.
    public static func distinctCounts(_ column: Column, rows: [Int32], groupOf: [Int32], groupCount: Int) -> [Int64] {
        struct Number: Hashable { var group: Int32; var value: Int64 }
        struct Text: Hashable { var group: Int32; var value: ExactKey }
        var counts = [Int64](repeating: 0, count: groupCount)
        let numbers: [Int64]?
        switch column.data {
        case .integer(let v), .decimal(let v, _): numbers = v
        case .date(let v): numbers = v.map { Int64($0) }
        case .boolean(let v): numbers = v.map { $0 ? 1 : 0 }
        case .category(let codes, _): numbers = codes.map { Int64($0) }
        case .text, .tags: numbers = nil
        }
        if let numbers {
            var seen = Set<Number>()
            for (i, r) in rows.enumerated() where column.isPresent(Int(r)) {
                if seen.insert(Number(group: groupOf[i], value: numbers[Int(r)])).inserted { counts[Int(groupOf[i])] += 1 }
            }
        } else {
            var seen = Set<Text>()
            for (i, r) in rows.enumerated() where column.isPresent(Int(r)) {
                let key = ExactKey(CellOrder.string(column, Int(r)))
                if seen.insert(Text(group: groupOf[i], value: key)).inserted { counts[Int(groupOf[i])] += 1 }
            }
        }
        return counts
    }

    /// For each group, the row holding its smallest (or largest) present value; -1 when none.
    /// Numbers, dates and categories (whose codes follow value order) compare as integers.
    public static func extremeRows(_ column: Column, rows: [Int32], groupOf: [Int32], groupCount: Int, wantMax: Bool) -> [Int32] {
        let ordered: [Int64]?
        switch column.data {
        case .integer(let v), .decimal(let v, _): ordered = v
        case .date(let v): ordered = v.map { Int64($0) }
        case .category(let codes, _): ordered = codes.map { Int64($0) }
        default: ordered = nil
        }
        var best = [Int32](repeating: -1, count: groupCount)
        guard let values = ordered else {
            for (i, r) in rows.enumerated() where column.isPresent(Int(r)) {
                let g = Int(groupOf[i])
                let current = best[g]
                if current < 0 {
                    best[g] = r
                } else {
                    let c = CellOrder.compare(column, Int(r), column, Int(current))
                    if wantMax ? c > 0 : c < 0 { best[g] = r }
                }
            }
            return best
        }
        var bestValue = [Int64](repeating: 0, count: groupCount)
        let validity = column.validity
        for i in 0..<rows.count {
            let row = Int(rows[i])
            if let validity, !validity[row] { continue }
            let g = Int(groupOf[i])
            let v = values[row]
            if best[g] < 0 || (wantMax ? v > bestValue[g] : v < bestValue[g]) {
                best[g] = rows[i]
                bestValue[g] = v
            }
        }
        return best
    }

    /// For each group, its present values at the 0-based `ranks(n)` (ascending, at most two) of
    /// its n values in ascending order; empty for a group without values. Exact, and the same as
    /// sorting each group. Tuned: with few groups and many rows, no copy of the values: histogram
    /// passes on every core narrow each rank to a value range (buckets as coarse floating point:
    /// a top bit and six more, so skewed amounts spread out), and only the values left in the
    /// range are gathered and selected. With many groups, each group's values are gathered and
    /// selected, the groups spread over the cores.
    public static func valuesAtRanks(_ values: [Int64], validity: Bitmap?, rows: [Int32], groupOf: [Int32], groupCount: Int,
                                     ranks: (Int) -> [Int], blockSize: Int? = nil) -> [[Int64]] {
        guard groupCount <= 32, blockSize != nil || rows.count >= 1 << 15 else {
            return gatheredRanks(values, validity: validity, rows: rows, groupOf: groupOf, groupCount: groupCount, ranks: ranks)
        }
        let blocks = Parallel.ranges(rows.count, size: blockSize)
        // First pass: a histogram per group over every value (signed buckets), which gives each
        // group's count and its ranks' first ranges.
        let width = 2 * RankBuckets.count
        let firstParts = values.withUnsafeBufferPointer { v in
            overBlocks(blocks, rows: rows, groupOf: groupOf, validity: validity) { _, range, r, g, valid in
                var histogram = [UInt32](repeating: 0, count: groupCount * width)
                histogram.withUnsafeMutableBufferPointer { h in
                    forEachPresent(range, r, g, valid) { _, row, group in h[group * width + RankBuckets.signed(v[row])] &+= 1 }
                }
                return histogram
            }
        }
        // One target per wanted rank: its value lies in lo...hi, `rank` counts from lo, `count`
        // values of the group are in the range, `perBlock` of them in each block.
        struct Target { var group: Int, rank: Int, lo: Int64, hi: Int64, count: Int, perBlock: [Int], value: Int64? }
        var targets: [Target] = []
        var ranksOf = [[Int]](repeating: [], count: groupCount)  // indexes into targets
        for g in 0..<groupCount {
            var counts = [Int](repeating: 0, count: width)
            for part in firstParts { for b in 0..<width { counts[b] += Int(part[g * width + b]) } }
            let n = counts.reduce(0, +)
            guard n > 0 else { continue }
            for k in ranks(n) {
                let (b, before) = Self.bucket(holding: k, counts)
                let values = RankBuckets.signedRange(b)
                ranksOf[g].append(targets.count)
                targets.append(Target(group: g, rank: k - before, lo: values.lowerBound, hi: values.upperBound, count: counts[b],
                                      perBlock: firstParts.map { Int($0[g * width + b]) },
                                      value: values.lowerBound == values.upperBound ? values.lowerBound : nil))
            }
        }
        // Narrowing passes, while a range holds more values than are worth gathering.
        let enough = Swift.max(1 << 14, rows.count >> 6)
        let span = RankBuckets.count + 1  // a spare bucket per range takes the values outside it
        while true {
            let active = targets.indices.filter { targets[$0].value == nil && targets[$0].count > enough }
            if active.isEmpty { break }
            let slots = RankSlots(active.map { (targets[$0].group, targets[$0].lo, targets[$0].hi) }, groupCount: groupCount)
            let parts = values.withUnsafeBufferPointer { v in
                overBlocks(blocks, rows: rows, groupOf: groupOf, validity: validity) { _, range, r, g, valid in
                    // Tuned: every group checks two slots (a spare one when it has fewer ranges),
                    // so the only branch is on a value being in a range, which is rare.
                    var histogram = [UInt32](repeating: 0, count: (active.count + 1) * span)
                    histogram.withUnsafeMutableBufferPointer { h in
                        slots.withPointers { first, second, lo, width in
                            @inline(__always) func count(_ slot: Int, _ x: Int64) {
                                let d = UInt64(bitPattern: x &- lo[slot])
                                if d <= width[slot] { h[slot &* span &+ RankBuckets.bucket(d)] &+= 1 }
                            }
                            forEachPresent(range, r, g, valid) { _, row, group in
                                count(first[group], v[row])
                                count(second[group], v[row])
                            }
                        }
                    }
                    return histogram
                }
            }
            for (slot, t) in active.enumerated() {
                var counts = [Int](repeating: 0, count: RankBuckets.count)
                for part in parts { for b in 0..<RankBuckets.count { counts[b] += Int(part[slot * span + b]) } }
                let (b, before) = Self.bucket(holding: targets[t].rank, counts)
                let d = RankBuckets.range(b)
                // Distances from lo, at most the old range's width: no overflow near Int64.max.
                let lo = targets[t].lo
                let width = UInt64(bitPattern: targets[t].hi &- lo)
                targets[t].lo = lo &+ Int64(bitPattern: d.lowerBound)
                targets[t].hi = lo &+ Int64(bitPattern: Swift.min(d.upperBound, width))
                targets[t].rank -= before
                targets[t].count = counts[b]
                targets[t].perBlock = parts.map { Int($0[slot * span + b]) }
                if targets[t].lo == targets[t].hi { targets[t].value = targets[t].lo }
            }
        }
        // Gather what is left in each open range and select there. Tuned: each block writes its
        // values of a range into its own stretch of one buffer (the counts per block are known).
        let open = targets.indices.filter { targets[$0].value == nil }
        guard !open.isEmpty else { return ranksOf.map { $0.map { targets[$0].value ?? 0 } } }
        let slots = RankSlots(open.map { (targets[$0].group, targets[$0].lo, targets[$0].hi) }, groupCount: groupCount)
        // A stretch per block and range (and an empty one for the spare slot).
        var starts = [[Int]](repeating: [], count: blocks.count)
        var total = 0
        for j in blocks.indices {
            for t in open {
                starts[j].append(total)
                total += targets[t].perBlock[j]
            }
            starts[j].append(total)
        }
        var buffer = [Int64](repeating: 0, count: total)
        buffer.withUnsafeMutableBufferPointer { out in
            let out = UncheckedSendable(out)
            values.withUnsafeBufferPointer { v in
                _ = overBlocks(blocks, rows: rows, groupOf: groupOf, validity: validity) { block, range, r, g, valid in
                    var cursor = starts[block]
                    let spare = open.count
                    slots.withPointers { first, second, lo, width in
                        cursor.withUnsafeMutableBufferPointer { at in
                            let out = out.value
                            @inline(__always) func keep(_ slot: Int, _ x: Int64) {
                                if UInt64(bitPattern: x &- lo[slot]) <= width[slot] && slot != spare {
                                    out[at[slot]] = x
                                    at[slot] &+= 1
                                }
                            }
                            forEachPresent(range, r, g, valid) { _, row, group in
                                keep(first[group], v[row])
                                keep(second[group], v[row])
                            }
                        }
                    }
                    return 0
                }
            }
        }
        for (slot, t) in open.enumerated() {
            var found = [Int64]()
            found.reserveCapacity(targets[t].count)
            for j in blocks.indices { found += buffer[starts[j][slot]..<(starts[j][slot] + targets[t].perBlock[j])] }
            targets[t].value = found.withUnsafeMutableBufferPointer { select($0, targets[t].rank) }
        }
        return ranksOf.map { $0.map { targets[$0].value ?? 0 } }
    }

    /// The bucket holding 0-based rank `k` of the values counted in `counts`, and how many values
    /// lie in the buckets before it.
    static func bucket(holding k: Int, _ counts: [Int]) -> (Int, Int) {
        var before = 0, b = 0
        while b < counts.count - 1 && before + counts[b] <= k {
            before += counts[b]
            b += 1
        }
        return (b, before)
    }

    /// `valuesAtRanks` by gathering each group's values into one array, group after group (a
    /// counting pass, then one placement pass), and selecting in each, the groups on every core.
    static func gatheredRanks(_ values: [Int64], validity: Bitmap?, rows: [Int32], groupOf: [Int32], groupCount: Int,
                              ranks: (Int) -> [Int]) -> [[Int64]] {
        var offsets = [Int](repeating: 0, count: groupCount + 1)
        for i in 0..<rows.count where validity.map({ $0[Int(rows[i])] }) ?? true { offsets[Int(groupOf[i]) + 1] += 1 }
        for g in 0..<groupCount { offsets[g + 1] += offsets[g] }
        var next = offsets
        var gathered = [Int64](repeating: 0, count: offsets[groupCount])
        for i in 0..<rows.count {
            let row = Int(rows[i])
            if let validity, !validity[row] { continue }
            let g = Int(groupOf[i])
            gathered[next[g]] = values[row]
            next[g] += 1
        }
        var out = [[Int64]](repeating: [], count: groupCount)
        let wanted = (0..<groupCount).map { g in ranks(offsets[g + 1] - offsets[g]) }
        gathered.withUnsafeMutableBufferPointer { all in
            out.withUnsafeMutableBufferPointer { result in
                let shared = UncheckedSendable((all, result))
                let chunks = Parallel.ranges(groupCount, size: groupCount >= 64 ? Swift.max(1, groupCount / (Parallel.cores * 4)) : nil)
                Parallel.forEach(chunks.count) { c in
                    let (all, result) = shared.value
                    for g in chunks[c] where offsets[g + 1] > offsets[g] {
                        result[g] = pick(UnsafeMutableBufferPointer(rebasing: all[offsets[g]..<offsets[g + 1]]), wanted[g])
                    }
                }
            }
        }
        return out
    }

    /// The values at the ascending 0-based `ranks` of `a`, which it reorders: each rank is selected
    /// among the values after the one before it (all at least that one's value).
    static func pick(_ a: UnsafeMutableBufferPointer<Int64>, _ ranks: [Int]) -> [Int64] {
        var start = 0
        return ranks.map { k in
            let rest = UnsafeMutableBufferPointer(rebasing: a[start...])
            var v: Int64
            if k == start, var m = rest.indices.first {
                // The smallest: a scan, brought to the front so later ranks stay after it.
                for i in rest.indices where rest[i] < rest[m] { m = i }
                rest.swapAt(rest.startIndex, m)
                v = rest[rest.startIndex]
            } else {
                v = select(rest, k - start)
            }
            start = k + 1
            return v
        }
    }

    /// The `k`-th smallest (0-based) of `a`, which it reorders so that no value before position k
    /// is larger and none after it smaller (quickselect, median-of-three pivots; a sort when the
    /// pivots keep choosing badly, so the worst case stays n log n).
    public static func select(_ a: UnsafeMutableBufferPointer<Int64>, _ k: Int) -> Int64 {
        var lo = 0, hi = a.count - 1
        var budget = 2 * (Int.bitWidth - a.count.leadingZeroBitCount) + 8
        while hi > lo {
            if budget == 0 {
                var rest = UnsafeMutableBufferPointer(rebasing: a[lo...hi])
                rest.sort()
                return a[k]
            }
            budget -= 1
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now a[lo...j] ≤ pivot ≤ a[i...hi], and everything between equals the pivot.
            if k <= j { hi = j } else if k >= i { lo = i } else { return a[k] }
        }
        return a[k]
    }
}

extension ColumnData {
    /// Integer-valued storage (integers and scaled decimals) as `.integer`, for sums.
    var integerView: ColumnData {
        switch self {
        case .integer(let v), .decimal(let v, _): return .integer(v)
        default: return self
        }
    }
}

/// Buckets for narrowing a rank to a value range: a distance from the range's low end as a coarse
/// floating-point number, its top bit and the six bits after it (exact below 64), so bucket order
/// is value order and each bucket is at most 1/64 of the range it splits.
enum RankBuckets {
    static let count = 64 + 58 * 64

    @inline(__always)
    static func bucket(_ d: UInt64) -> Int {
        if d < 64 { return Int(d) }
        let top = 63 - d.leadingZeroBitCount
        return 64 + (top - 6) << 6 + Int((d >> UInt64(top - 6)) & 63)
    }

    /// The distances bucket `b` holds.
    static func range(_ b: Int) -> ClosedRange<UInt64> {
        if b < 64 { return UInt64(b)...UInt64(b) }
        let top = (b - 64) >> 6 + 6
        let start = UInt64(64 + (b - 64) & 63) << UInt64(top - 6)
        let end = start &+ (UInt64(1) << UInt64(top - 6)) &- 1
        return start...end
    }

    /// A bucket for any value (twice `count` of them): negatives mirrored below the non-negatives.
    @inline(__always)
    static func signed(_ x: Int64) -> Int {
        x >= 0 ? count + bucket(UInt64(x)) : count - 1 - bucket(UInt64(~x))
    }

    /// The values signed bucket `b` holds.
    static func signedRange(_ b: Int) -> ClosedRange<Int64> {
        // A bucket that holds a value lies within Int64's magnitudes: clamping changes nothing.
        if b >= count {
            let r = range(b - count)
            return Int64(clamping: r.lowerBound)...Int64(clamping: r.upperBound)
        }
        let r = range(count - 1 - b)
        return ~Int64(clamping: r.upperBound)...(~Int64(clamping: r.lowerBound))
    }
}

/// Which ranks' ranges (at most two per group) a group's values are checked against, for the
/// passes of `valuesAtRanks`: each group has two slots, a spare one (past the ranges, an empty
/// range) where it has fewer ranges, so the passes check both without branching.
struct RankSlots {
    var first: [Int], second: [Int]
    var lo: [Int64], width: [UInt64]

    init(_ ranges: [(group: Int, lo: Int64, hi: Int64)], groupCount: Int) {
        let spare = ranges.count
        first = [Int](repeating: spare, count: groupCount)
        second = first
        // The spare range holds only Int64.min (width 0): rarely met, and never used.
        lo = ranges.map(\.lo) + [.min]
        width = ranges.map { UInt64(bitPattern: $0.hi &- $0.lo) } + [0]
        for (slot, r) in ranges.enumerated() {
            if first[r.group] == spare { first[r.group] = slot } else { second[r.group] = slot }
        }
    }

    /// `body` with raw views of the slots and ranges.
    @inline(__always)
    func withPointers<T>(_ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int64>, UnsafeBufferPointer<UInt64>) -> T) -> T {
        first.withUnsafeBufferPointer { f in
            second.withUnsafeBufferPointer { s in
                lo.withUnsafeBufferPointer { l in width.withUnsafeBufferPointer { w in body(f, s, l, w) } }
            }
        }
    }
}
