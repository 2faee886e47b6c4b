import SegTestSupport
import Testing
@testable import SegBase
@testable import SegPatterns
@testable import SegStore
@testable import SegSyntax
@testable import SegFunctions
@testable import SegSemantics
@testable import SegSQL
@testable import SegIO
@testable import SegEngine
@testable import SegCommands

// The packed-key sort against a plain reference comparator, on random columns with missing
// values, negative and extreme numbers, ties, text keys and limits.

struct SortReference {
    static func compare(_ col: Column, _ a: Int, _ b: Int, descending: Bool) -> Int {
        let (ma, mb) = (!col.isPresent(a), !col.isPresent(b))
        if ma != mb { return ma ? 1 : -1 }
        if ma { return 0 }
        let c = CellOrder.compare(col, a, col, b)
        return descending ? -c : c
    }

    static func sort(_ rows: [Int32], _ keys: [(Column, Bool)], limit: Int?) -> [Int32] {
        var out = rows.sorted { p, q in
            for (col, desc) in keys {
                let c = compare(col, Int(p), Int(q), descending: desc)
                if c != 0 { return c < 0 }
            }
            return p < q
        }
        if let limit, out.count > limit { out.removeSubrange(limit...) }
        return out
    }
}

@Test(arguments: 0..<80)
func packedSortMatchesReference(seed: Int) {
    var rng = SeededRandom(seed: UInt64(seed) &+ 1)
    checkSortAgainstReference(seed: seed, n: Int(rng.next() % 300), rng: &rng)
}

/// Past `Sorter.parallelSortMinimum` rows each half is sorted on its own core and merged.
@Test(arguments: 0..<3)
func largeSortsSplitOverCoresMatchReference(seed: Int) {
    var rng = SeededRandom(seed: UInt64(seed) &+ 1000)
    checkSortAgainstReference(seed: seed, n: Sorter.parallelSortMinimum * 2 + Int(rng.next() % 1000), rng: &rng)
}

@Test func parallelSortIsTheSortForEveryLength() {
    var rng = SeededRandom(seed: 7)
    for n in [0, 1, 2, 3, 4, 5, 17, 100, 1001] {
        // Few distinct keys, so most comparisons are ties broken by position.
        let items = (0..<n).map { (key: Int(rng.next() % 5), position: $0) }
        let before: ((key: Int, position: Int), (key: Int, position: Int)) -> Bool = {
            $0.key != $1.key ? $0.key < $1.key : $0.position < $1.position
        }
        var split = items
        Sorter.parallelSort(&split, by: before, force: true)
        #expect(split.map(\.position) == items.sorted(by: before).map(\.position), "n \(n)")
    }
}

func checkSortAgainstReference(seed: Int, n: Int, rng: inout SeededRandom) {
    func validity() -> Bitmap {
        var v = Bitmap(count: n, filled: true)
        for i in 0..<n where rng.next() % 5 == 0 { v[i] = false }
        return v
    }
    let extremes: [Int64] = [Int64.min / 2, -1, 0, 1, Int64.max / 2]
    let ints = (0..<n).map { _ in rng.next() % 7 == 0 ? extremes[Int(rng.next() % 5)] : Int64(rng.next() % 9) - 4 }
    let small = (0..<n).map { _ in Int64(rng.next() % 3) }
    let dates = (0..<n).map { _ in Int32(rng.next() % 20) }
    var text = TextBuffer()
    for _ in 0..<n { text.append(["b", "a", "王", "ab", ""][Int(rng.next() % 5)]) }
    // No missing values, and prefixes of eight bytes and more in common: the prefix-word path.
    var ids = TextBuffer()
    let idValues = ["C0000001", "C0000001x", "C0000001y", "C0000002", "abcdefgh", "abcdefghi", "", "a", "王王王王", "王王王"]
    for _ in 0..<n { ids.append(idValues[Int(rng.next() % UInt64(idValues.count))]) }
    let columns = [
        Column(name: "i", data: .integer(ints), validity: validity(), count: n),
        Column(name: "s", data: .decimal(small, scale: 2), validity: validity(), count: n),
        Column(name: "d", data: .date(dates), validity: nil, count: n),
        Column(name: "t", data: .text(text), validity: validity(), count: n),
        Column(name: "id", data: .text(ids), validity: nil, count: n),
    ]
    let rows = (0..<Int32(n)).filter { _ in rng.next() % 4 != 0 }
    for _ in 0..<6 {
        let keyCount = 1 + Int(rng.next() % 3)
        let keys = (0..<keyCount).map { _ in (columns[Int(rng.next() % 5)], rng.next() % 2 == 0) }
        let limit: Int? = rng.next() % 2 == 0 ? Int(rng.next() % 20) : nil
        let expected = SortReference.sort(rows, keys, limit: limit)
        let actual = Sorter.sort(rows, by: keys.map { SortColumn(column: $0.0, rows: nil, descending: $0.1) }, limit: limit)
        #expect(actual == expected, "seed \(seed) keys \(keys.map { "\($0.0.name)\($0.1 ? " desc" : "")" }) limit \(String(describing: limit))")
    }
}

/// The one-pass range kernel behind `in next/last N days` against two comparisons intersected:
/// extremes where `v - lo` wraps, empty and one-value ranges, both element widths, many words.
@Test func betweenIsBothComparisons() {
    var rng = SeededRandom(seed: 5)
    let extremes: [Int64] = [.min, .min + 1, -1, 0, 1, .max - 1, .max]
    let wide = (0..<5000).map { _ in rng.next() % 4 == 0 ? extremes[Int(rng.next() % 7)] : Int64(rng.next() % 41) - 20 }
    let days = (0..<3000).map { _ in Int32(truncatingIfNeeded: Int64(rng.next() % 61) - 30) }
    let bounds: [(Int64, Int64)] = [(-5, 5), (0, 0), (5, -5), (.min, .max), (.min, 0), (0, .max), (.max, .max), (-30, 30), (31, 40)]
    for (lo, hi) in bounds {
        #expect(Kernels.between(wide, lo, hi) == Kernels.compare(wide, .greaterOrEqual, lo) & Kernels.compare(wide, .lessOrEqual, hi),
                "Int64 \(lo)...\(hi)")
        #expect(Kernels.between(days, lo, hi) == Kernels.compare(days, .greaterOrEqual, lo) & Kernels.compare(days, .lessOrEqual, hi),
                "Int32 \(lo)...\(hi)")
    }
}
