import Foundation
import SegTestSupport
import Testing
@testable import SegBase
@testable import SegStore
@testable import SegFunctions
@testable import SegSemantics
@testable import SegIO
@testable import SegEngine
@testable import SegCommands

// The folds that run blocks of rows on every core — group numbering, counts, exact sums, the
// values at a rank (median, quantile), top N per category — forced into many small blocks, against
// plain references and against one block: the same answers, the same group order, the same ties.

@Suite("folds over blocks of rows")
struct ParallelFoldTests {
    static let blockSizes: [Int?] = [nil, 1, 7, 1000]

    /// Selected rows (every row but some), groups, values with missing rows and extremes.
    struct Data {
        var values: [Int64]
        var validity: Bitmap
        var rows: [Int32]
        var groupOf: [Int32]
        var groupCount: Int
    }

    static func data(seed: UInt64, n: Int, groups: Int, spread: ClosedRange<Int64>) -> Data {
        var rng = SeededRandom(seed: seed)
        let extremes: [Int64] = [.max, .min, .max - 1, .min + 1, 0]
        let values = (0..<n).map { _ in rng.chance(0.01) ? rng.pick(extremes) : rng.int64(spread) }
        var validity = Bitmap(count: n, filled: true)
        for i in 0..<n where rng.chance(0.1) { validity[i] = false }
        let rows = (0..<Int32(n)).filter { _ in !rng.chance(0.2) }
        let groupOf = rows.map { _ in Int32(rng.int(0...(groups - 1))) }
        return Data(values: values, validity: validity, rows: rows, groupOf: groupOf, groupCount: groups)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func countsAndSumsAreTheOneLoopsOnEveryBlockSize(seed: UInt64) {
        let d = Self.data(seed: seed, n: 5_000, groups: 6, spread: -1_000_000...1_000_000)
        var sums = [Int128](repeating: 0, count: d.groupCount), counts = [Int64](repeating: 0, count: d.groupCount)
        var all = [Int64](repeating: 0, count: d.groupCount)
        for (i, r) in d.rows.enumerated() {
            let g = Int(d.groupOf[i])
            all[g] += 1
            guard d.validity[Int(r)] else { continue }
            sums[g] += Int128(d.values[Int(r)])
            counts[g] += 1
        }
        for size in Self.blockSizes {
            let (s, c) = AggregateKernels.sumsAndCounts(d.values, validity: d.validity, rows: d.rows, groupOf: d.groupOf,
                                                        groupCount: d.groupCount, blockSize: size)
            #expect(s == sums && c == counts, "block size \(String(describing: size))")
            #expect(AggregateKernels.counts(rows: d.rows, groupOf: d.groupOf, groupCount: d.groupCount, validity: d.validity,
                                            blockSize: size) == counts)
            #expect(AggregateKernels.counts(rows: d.rows, groupOf: d.groupOf, groupCount: d.groupCount, validity: nil,
                                            blockSize: size) == all)
        }
    }

    /// Sums beyond 64 bits in every block stay exact when the blocks' totals are added.
    @Test func sumsBeyondSixtyFourBitsStayExact() {
        let n = 1_000
        let values = [Int64](repeating: .max - 3, count: n)
        let rows = (0..<Int32(n)).map { $0 }
        let groupOf = rows.map { $0 % 2 }
        for size in Self.blockSizes {
            let (s, c) = AggregateKernels.sumsAndCounts(values, validity: nil, rows: rows, groupOf: groupOf, groupCount: 2, blockSize: size)
            #expect(s == [Int128(Int64.max - 3) * 500, Int128(Int64.max - 3) * 500] && c == [500, 500])
        }
    }

    /// The values a sort of each group puts at the wanted ranks.
    static func sortedRanks(_ d: Data, _ ranks: (Int) -> [Int]) -> [[Int64]] {
        var groups = [[Int64]](repeating: [], count: d.groupCount)
        for (i, r) in d.rows.enumerated() where d.validity[Int(r)] { groups[Int(d.groupOf[i])].append(d.values[Int(r)]) }
        return groups.map { values in
            let sorted = values.sorted()
            return sorted.isEmpty ? [] : ranks(sorted.count).map { sorted[$0] }
        }
    }

    static let rankChoices: [(String, @Sendable (Int) -> [Int])] = [
        ("median", { n in n % 2 == 1 ? [n / 2] : [n / 2 - 1, n / 2] }),
        ("lowest", { _ in [0] }),
        ("highest", { n in [n - 1] }),
        ("90%", { n in [Swift.max(0, (n * 9 + 9) / 10 - 1)] }),
    ]

    /// Histogram passes (few groups) and gathering (many groups), one block and many: the values
    /// of a sort, on narrow, wide and skewed spreads, ties, and groups without values.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func ranksAreWhatASortPuts(seed: UInt64) {
        let spreads: [ClosedRange<Int64>] = [0...3, -50...50, -1_000_000_000...1_000_000_000, .min / 2 ... .max / 2]
        for spread in spreads {
            for groups in [1, 5, 40] {
                let d = Self.data(seed: seed, n: 3_000, groups: groups, spread: spread)
                for (name, ranks) in Self.rankChoices {
                    let expected = Self.sortedRanks(d, ranks)
                    // Not blocks of one row: each block's histograms take 30 kB per group.
                    for size in [nil, 7, 1000] as [Int?] {
                        let actual = AggregateKernels.valuesAtRanks(d.values, validity: d.validity, rows: d.rows, groupOf: d.groupOf,
                                                                    groupCount: d.groupCount, ranks: ranks, blockSize: size)
                        #expect(actual == expected, "\(name), spread \(spread), \(groups) groups, block size \(String(describing: size))")
                    }
                }
            }
        }
    }

    /// Large groups whose ranks sit in crowded buckets: narrowing passes (many equal values, a
    /// narrow band of large amounts, a long tail) before the values are gathered.
    @Test func crowdedRangesNarrowBeforeGathering() {
        var rng = SeededRandom(seed: 11)
        let n = 120_000
        let shapes: [(String, () -> Int64)] = [
            ("one value", { 1_000_000_000_000 }),
            ("two values", { rng.chance(0.5) ? 7 : 1_000_000_000_000 }),
            ("narrow band", { 1 << 40 + rng.int64(0...(1 << 20)) }),
            ("long tail", { rng.chance(0.001) ? rng.int64(0...(.max / 2)) : rng.int64(0...100_000) }),
        ]
        for (name, value) in shapes {
            let values = (0..<n).map { _ in value() }
            let rows = (0..<Int32(n)).map { $0 }
            let groupOf: [Int32] = rows.map { $0 % 3 == 0 ? 1 : 0 }
            let d = Data(values: values, validity: Bitmap(count: n, filled: true), rows: rows, groupOf: groupOf, groupCount: 2)
            for (rank, ranks) in Self.rankChoices {
                let expected = Self.sortedRanks(d, ranks)
                for size in [nil, 10_007] as [Int?] {
                    let actual = AggregateKernels.valuesAtRanks(values, validity: nil, rows: rows, groupOf: groupOf, groupCount: 2,
                                                                ranks: ranks, blockSize: size)
                    #expect(actual == expected, "\(name), \(rank), block size \(String(describing: size))")
                }
            }
        }
    }

    /// Small books, whose numbering shows in their first rows, and a large one with a value of
    /// the dictionary that no row holds (so the first rows never show every code).
    @Test(arguments: [(1, 4_000), (2, 4_000), (3, 70_000)] as [(UInt64, Int)])
    func categoryGroupsNumberByFirstAppearanceOnEveryBlockSize(seed: UInt64, n: Int) {
        var rng = SeededRandom(seed: seed)
        func category(_ size: Int, missing: Bool) -> Column {
            var validity = Bitmap(count: n, filled: true)
            if missing { for i in 0..<n where rng.chance(0.05) { validity[i] = false } }
            // The last value of the dictionary is held by no row in the large book.
            let highest = n > 65_536 ? size - 2 : size - 1
            return Column(name: "c", data: .category(codes: (0..<n).map { _ in UInt32(rng.int(0...highest)) },
                                                     dictionary: (0..<size).map { "v\($0)" }),
                          validity: missing ? validity : nil, count: n)
        }
        let keys = [category(5, missing: true), category(3, missing: false)]
        let rows = (0..<Int32(n)).filter { _ in rng.chance(0.7) }
        // The reference: composite codes numbered as they first appear.
        var seen: [[Int32]: Int32] = [:]
        var groupOf: [Int32] = [], firsts: [Int32] = []
        for r in rows {
            let key = keys.map { col -> Int32 in
                guard col.isPresent(Int(r)), case .category(let codes, _) = col.data else { return -1 }
                return Int32(codes[Int(r)])
            }
            if let g = seen[key] { groupOf.append(g) } else {
                seen[key] = Int32(seen.count)
                groupOf.append(Int32(seen.count - 1))
                firsts.append(r)
            }
        }
        for size in Self.blockSizes {
            let result = Grouper.categoryGroups(keys, rows, blockSize: size)
            #expect(result?.0 == groupOf && result?.1 == seen.count && result?.2 == firsts, "block size \(String(describing: size))")
        }
    }

    @Test(arguments: 0..<30)
    func topPerBucketIsTheFullSortsFirstRows(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed) &+ 100)
        let n = rng.int(0...3_000)
        let buckets = rng.int(1...6)
        func validity(_ p: Double) -> Bitmap {
            var v = Bitmap(count: n, filled: true)
            for i in 0..<n where rng.chance(p) { v[i] = false }
            return v
        }
        let codes = (0..<n).map { _ in UInt32(rng.int(0...(buckets - 1))) }
        let bucketValidity = validity(0.05)
        let small = (0..<n).map { _ in Int64(rng.int(-3...3)) }
        let wide = (0..<n).map { _ in rng.chance(0.05) ? rng.pick([Int64.max, .min, 0]) : rng.int64(-1_000_000...1_000_000) }
        let dates = (0..<n).map { _ in Int32(rng.int(0...40)) }
        var ids = TextBuffer()
        for _ in 0..<n { ids.append(rng.pick(["C1", "C2", "C3", "a", "王"])) }
        let columns = [
            Column(name: "small", data: .decimal(small, scale: 2), validity: validity(0.1), count: n),
            Column(name: "wide", data: .integer(wide), validity: validity(0.1), count: n),
            Column(name: "date", data: .date(dates), validity: nil, count: n),
            Column(name: "cat", data: .category(codes: codes.map { $0 % 2 }, dictionary: ["x", "y"]), validity: validity(0.1), count: n),
            Column(name: "id", data: .text(ids), validity: nil, count: n),
        ]
        let rows = (0..<Int32(n)).filter { _ in !rng.chance(0.3) }
        for _ in 0..<4 {
            let keys = (0..<rng.int(0...3)).map { _ in (rng.pick(columns), rng.chance(0.5)) }
            let limit = rng.pick([0, 1, 2, 5, 70])
            var expected: [Int32] = []
            for b in 0...buckets {
                let inBucket = rows.filter { (bucketValidity[Int($0)] ? Int(codes[Int($0)]) : buckets) == b }
                expected += keys.isEmpty ? Array(inBucket.prefix(limit)) : SortReference.sort(inBucket, keys, limit: limit)
            }
            for size in Self.blockSizes {
                let actual = Sorter.topPerBucket(rows, codes: codes, buckets: buckets, validity: bucketValidity,
                                                 by: keys.map { SortColumn(column: $0.0, rows: nil, descending: $0.1) },
                                                 limit: limit, blockSize: size)
                #expect(actual == expected, "seed \(seed), keys \(keys.map { "\($0.0.name)\($0.1 ? " desc" : "")" }), limit \(limit), block size \(String(describing: size))")
            }
        }
    }

    /// Whole statements on the demo book, in blocks of a few rows and in one: the same output.
    @Test func statementsGiveTheSameOutputInSmallBlocks() throws {
        let table = DemoBook.table(rows: 3_000)
        let statements = [
            "clients by band(assets, 5万, 60万, 600万) show count, sum(assets), avg(assets)",
            "clients where city = 上海 by tier, risk show count, count(assets), sum(deposits), median(assets), quantile(loans, 0.9)",
            "clients by tier show median(assets), quantile(assets, 0.25), min(assets), max(assets)",
            "clients by manager show count, median(assets) sort by median(assets) desc limit 7",
            "clients sort by assets desc, id limit 5 per manager show id, manager, assets",
            "clients where age > 40 sort by opened, id limit 3 per tier show id, tier, opened",
            "clients sort by assets limit 2 per risk show id, risk, assets",
            "clients sort by assets desc limit 2 per tier, risk show id, tier, risk, assets",
            "clients where age < 50 sort by opened limit 3 per gender, city, tier show id",
            "clients by products show count, sum(assets)",
            "clients by gender, tier show count having count > 100",
        ]
        func outputs(_ backend: MemoryBackend) -> [String] {
            var session = Session(tables: [table], options: SessionOptions(today: 20_000, writer: WriterOptions(format: .csv)),
                                  backend: backend)
            return statements.map { GoldenFile.run(&session, $0) }
        }
        let one = outputs(MemoryBackend())
        #expect(!one.contains { $0.contains("error") }, "\(one)")
        for size in [13, 500] {
            #expect(outputs(MemoryBackend(blockSize: size)) == one, "block size \(size)")
        }
    }
}
