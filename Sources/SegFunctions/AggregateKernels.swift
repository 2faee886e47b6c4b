import SegBase
import SegStore

/// Folds of one column into per-group accumulators, shared by the aggregates of the registry.
public enum AggregateKernels {
    /// Per-group exact sums and counts of present values. Tuned: sums run in Int64; an add that
    /// would overflow spills the partial sum into an Int128 total, so the result is always exact.
    public static func sumsAndCounts(_ values: [Int64], validity: Bitmap?, rows: [Int32], groupOf: [Int32],
                                     groupCount: Int) -> ([Int128], [Int64]) {
        var wide = [Int128](repeating: 0, count: groupCount)
        var narrow = [Int64](repeating: 0, count: groupCount)
        var counts = [Int64](repeating: 0, count: groupCount)
        values.withUnsafeBufferPointer { v in
            rows.withUnsafeBufferPointer { r in
                groupOf.withUnsafeBufferPointer { g in
                    narrow.withUnsafeMutableBufferPointer { acc in
                        counts.withUnsafeMutableBufferPointer { cnt in
                            for i in 0..<r.count {
                                let row = Int(r[i])
                                if let validity, !validity[row] { continue }
                                let group = Int(g[i])
                                let (sum, overflow) = acc[group].addingReportingOverflow(v[row])
                                if overflow {
                                    wide[group] += Int128(acc[group])
                                    acc[group] = v[row]
                                } else {
                                    acc[group] = sum
                                }
                                cnt[group] &+= 1
                            }
                        }
                    }
                }
            }
        }
        for i in 0..<groupCount { wide[i] += Int128(narrow[i]) }
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

    /// For each group, `pick` of its present values (a buffer it may reorder); nil from `pick` or an
    /// empty group is missing. Tuned: the values are gathered group after group into one array (a
    /// counting pass, then one placement pass), not into an array per group.
    public static func perGroup(_ values: [Int64], validity: Bitmap?, rows: [Int32], groupOf: [Int32], groupCount: Int,
                                _ pick: (UnsafeMutableBufferPointer<Int64>) throws -> Int64?) rethrows -> ([Int64], Bitmap) {
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
        var out = [Int64](repeating: 0, count: groupCount)
        var present = Bitmap(count: groupCount, filled: false)
        try gathered.withUnsafeMutableBufferPointer { all in
            for g in 0..<groupCount where offsets[g + 1] > offsets[g] {
                let slice = UnsafeMutableBufferPointer(rebasing: all[offsets[g]..<offsets[g + 1]])
                if let v = try pick(slice) {
                    out[g] = v
                    present[g] = true
                }
            }
        }
        return (out, present)
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
