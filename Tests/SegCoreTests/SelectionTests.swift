import Testing
@testable import SegBase
@testable import SegStore
@testable import SegFunctions

// The quickselect behind median and quantile against a sort, on random arrays with many ties,
// sorted and reversed runs (where a naive pivot goes quadratic), and the nearest rank of a
// fraction against the definition.

@Suite("selection for median and quantile")
struct SelectionTests {
    /// A small deterministic generator, so a failure names its seed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    }

    static func arrays(seed: UInt64) -> [[Int64]] {
        var random = Random(state: seed)
        var out: [[Int64]] = [[1], [2, 1], [5, 5, 5, 5], [Int64.max, Int64.min, 0, -1, 1]]
        for _ in 0..<200 {
            let n = random.int(1...300)
            let spread = [2, 10, 1_000_000][random.int(0...2)]
            out.append((0..<n).map { _ in Int64(random.int(-spread...spread)) })
        }
        out.append(Array(0..<5000))
        out.append(Array((0..<5000).reversed()))
        out.append((0..<5000).map { Int64($0 % 2 == 0 ? $0 : 5000 - $0) })  // organ pipe
        return out
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func selectsWhatASortPuts(seed: UInt64) {
        var random = Random(state: seed)
        for values in Self.arrays(seed: seed) {
            let sorted = values.sorted()
            for k in Set([0, values.count - 1, (values.count - 1) / 2, random.int(0...(values.count - 1))]) {
                var work = values
                let picked = work.withUnsafeMutableBufferPointer { AggregateKernels.select($0, k) }
                #expect(picked == sorted[k], "n \(values.count), k \(k)")
                // Partitioned around k, and still the same values.
                #expect(work[..<k].allSatisfy { $0 <= picked } && work[(k + 1)...].allSatisfy { $0 >= picked })
                #expect(work.sorted() == sorted)
            }
        }
    }

    @Test func gatheringTakesEachGroupsPresentValues() {
        let values: [Int64] = [5, 1, 9, 3, 7, 2]
        var validity = Bitmap(count: 6, filled: true)
        validity[2] = false
        // Rows 0…5 in groups 1, 0, 1, 1, 2, 0; group 3 has no rows.
        let lowest = AggregateKernels.gatheredRanks(values, validity: validity, rows: [0, 1, 2, 3, 4, 5],
                                                    groupOf: [1, 0, 1, 1, 2, 0], groupCount: 4) { _ in [0] }
        #expect(lowest == [[1], [3], [7], []])
        let both = AggregateKernels.gatheredRanks(values, validity: validity, rows: [0, 1, 2, 3, 4, 5],
                                                  groupOf: [1, 0, 1, 1, 2, 0], groupCount: 4) { n in n == 2 ? [0, 1] : [0] }
        #expect(both == [[1, 2], [3, 5], [7], []])
    }

    @Test func nearestRankIsTheCeilingOfNTimesP() {
        for scale in 0...Fraction.maxScale {
            let one = Int64(FixedPoint.powersOfTen[scale])
            for mantissa in stride(from: Int64(0), through: one, by: Int(Swift.max(1, one / 97))) {
                guard let p = Fraction(mantissa: mantissa, scale: scale) else {
                    Issue.record("\(mantissa)e-\(scale) refused")
                    continue
                }
                for n in [1, 2, 7, 12, 100, 1_000_003] {
                    // ⌈n·m / 10^s⌉ by counting: the smallest k with k·10^s ≥ n·m.
                    let target = Int128(n) * Int128(mantissa)
                    let k = Int((target + Int128(one) - 1) / Int128(one))
                    #expect(p.rank(of: n) == Swift.max(1, k))
                    #expect(p.rank(of: n) >= 1 && p.rank(of: n) <= n)
                }
            }
        }
        #expect(Fraction(mantissa: 15, scale: 1) == nil)
        #expect(Fraction(mantissa: -1, scale: 1) == nil)
        #expect(Fraction(mantissa: 1, scale: Fraction.maxScale + 1) == nil)
        #expect(Fraction(mantissa: 7, scale: 2)?.rank(of: 100) == 7)  // 0.07 × 100 is 7 exactly, not 8
    }
}
