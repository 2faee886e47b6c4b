import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
import SegSemantics
// `by` queries: rows are numbered by group (dense ids, one pass per key), then each aggregate
// folds its column into per-group accumulators. Sums are exact: Int128 accumulators over the
// scaled integers, so decimal totals are right to the cent.

enum Grouper {
    static func run(table: Table, rows filter: Bitmap?, keys: [ValueExpr], keyColumns: [Column], show: [GroupItem],
                    aggregates: [AggregateExpr], argumentColumns: [ValueExpr: Column],
                    sort: [BoundSortKey], limit: Int?, having: BoundHaving? = nil,
                    blockSize: Int? = nil,
                    keep: (BoundCondition, Table) throws -> Bitmap = { _, t in Bitmap(count: t.rowCount, filled: true) }) throws -> ResultSet {
        let rows = filter?.rowIndices() ?? Parallel.rowNumbers(table.rowCount)
        var groupOf: [Int32]
        var groupCount = keys.isEmpty ? 1 : (rows.isEmpty ? 0 : 1)
        var representative: [Int32]
        if let direct = categoryGroups(keyColumns, rows, blockSize: blockSize) {
            (groupOf, groupCount, representative) = direct
        } else {
            groupOf = [Int32](repeating: 0, count: rows.count)
            for col in keyColumns {
                let (codes, cardinality) = denseCodes(col, rows)
                (groupOf, groupCount) = combine(groupOf, groupCount, codes, cardinality)
            }
            representative = [Int32](repeating: -1, count: groupCount)
            for (i, g) in groupOf.enumerated() where representative[Int(g)] < 0 { representative[Int(g)] = rows[i] }
        }

        var aggregateColumns: [AggregateExpr: Column] = [:]
        for agg in aggregates where !agg.share {
            guard let function = Functions.aggregate(named: agg.function) else {
                throw SegError(.internal, .internal("no aggregate '\(agg.function)' in the registry"))
            }
            var input = AggregateInput(name: agg.displayName, column: agg.argument.flatMap { argumentColumns[$0] },
                                       argumentName: agg.argument?.displayName ?? "", rows: rows, groupOf: groupOf,
                                       groupCount: groupCount, fraction: agg.fraction)
            input.blockSize = blockSize
            aggregateColumns[agg] = try function.kernel(input)
        }

        var groups = (0..<Int32(groupCount)).map { $0 }
        if let having {
            // The groups as a table of the values `having` reads: one row per group.
            let columns = having.items.map { item -> Column in
                switch item {
                case .key(let k): return keyColumns[k].gather(representative)
                case .aggregate(let a): return aggregateColumns[a] ?? Column.empty(named: a.displayName, type: .integer)
                }
            }
            groups = try keep(having.condition, Table(name: table.name, columns: columns, rowCount: groupCount, origin: table.origin)).rowIndices()
        }
        // Shares (`pct`) are of the groups kept, so they come after `having`.
        for agg in aggregates where agg.share {
            guard let base = aggregateColumns[agg.unshared] else {
                throw SegError(.internal, .internal("'pct' of an aggregate not computed"))
            }
            aggregateColumns[agg] = try Functions.share.kernel(base, groups, agg.displayName)
        }

        func sortColumn(_ item: GroupItem, descending: Bool) -> SortColumn {
            switch item {
            case .key(let k): return SortColumn(column: keyColumns[k], rows: representative, descending: descending)
            case .aggregate(let a):
                let col = aggregateColumns[a] ?? Column(name: "", data: .integer([]), validity: nil, count: 0)
                return SortColumn(column: col, rows: nil, descending: descending)
            }
        }
        var sortColumns = sort.compactMap { key -> SortColumn? in
            if case .groupItem(let item) = key.target { return sortColumn(item, descending: key.descending) }
            return nil
        }
        if sortColumns.isEmpty {
            sortColumns = (0..<keys.count).map { sortColumn(.key($0), descending: false) }
        }
        let order = Sorter.sort(groups, by: sortColumns, limit: limit)

        var columns: [ResultColumn] = []
        for item in show {
            switch item {
            case .key(let k):
                columns.append(ResultColumn(name: keys[k].displayName, column: keyColumns[k], rows: order.map { representative[Int($0)] },
                                            grouped: keys[k].groupsDigits))
            case .aggregate(let a):
                if let col = aggregateColumns[a] {
                    columns.append(ResultColumn(name: a.displayName, column: col, rows: order))
                }
            }
        }
        return ResultSet(columns: columns, rowCount: order.count, kind: .groups, totalBeforeLimit: groups.count)
    }

    /// Group ids straight from category codes (mixed radix; a key with missing values has one
    /// more code for them) when every key is a small category, numbered in order of first
    /// appearance; also each group's first row. Tuned: the numbering usually shows in the first
    /// rows (every code met), and then one pass on every core gives the ids; otherwise blocks on
    /// every core note where their codes first appear, and a second pass renumbers.
    static func categoryGroups(_ keyColumns: [Column], _ rows: [Int32], blockSize: Int? = nil) -> ([Int32], Int, [Int32])? {
        guard !keyColumns.isEmpty, !rows.isEmpty else { return nil }
        var space = 1
        var parts: [(codes: [UInt32], radix: Int32, validity: Bitmap?)] = []
        for col in keyColumns {
            guard case .category(let codes, let dictionary) = col.data else { return nil }
            let gaps = col.validity.flatMap { $0.popcount < col.count ? $0 : nil }
            let radix = Swift.max(1, dictionary.count + (gaps == nil ? 0 : 1))
            space *= radix
            guard space <= 1 << 20 else { return nil }
            parts.append((codes, Int32(radix), gaps))
        }
        // The composite code of selected position i.
        @inline(__always) func code(_ i: Int, _ r: UnsafeBufferPointer<Int32>) -> Int32 {
            var k: Int32 = 0
            for part in parts {
                let row = Int(r[i])
                let c = part.validity.map { $0[row] } ?? true ? Int32(truncatingIfNeeded: part.codes[row]) : part.radix - 1
                k = k &* part.radix &+ c
            }
            return k
        }
        // Per-block tables of first positions cost `space` each: several blocks only for small spaces.
        let blocks = blockSize != nil || space <= 1 << 12 ? Parallel.ranges(rows.count, size: blockSize) : [0..<rows.count]
        var first = [Int32](repeating: -1, count: space)
        var seen: [Int] = []  // codes in order of first appearance
        var scanned = 0
        rows.withUnsafeBufferPointer { r in
            while scanned < Swift.min(rows.count, 1 << 16) && seen.count < space {
                let k = Int(code(scanned, r))
                if first[k] < 0 { first[k] = Int32(scanned); seen.append(k) }
                scanned += 1
            }
        }
        var composite: [Int32]
        if scanned == rows.count || seen.count == space {
            var map = [Int32](repeating: 0, count: space)
            for (g, k) in seen.enumerated() { map[k] = Int32(g) }
            composite = [Int32](unsafeUninitializedCapacity: rows.count) { out, initialized in
                let out = UncheckedSendable(out)
                rows.withUnsafeBufferPointer { r in
                    Parallel.forEach(blocks.count) { b in
                        if parts.count == 1, parts[0].validity == nil {
                            parts[0].codes.withUnsafeBufferPointer { c in
                                for i in blocks[b] { out.value[i] = map[Int(c[Int(r[i])])] }
                            }
                        } else {
                            for i in blocks[b] { out.value[i] = map[Int(code(i, r))] }
                        }
                    }
                }
                initialized = rows.count
            }
        } else {
            composite = [Int32](repeating: 0, count: rows.count)
            let firsts: [[Int32]] = composite.withUnsafeMutableBufferPointer { out in
                let out = UncheckedSendable(out)
                return rows.withUnsafeBufferPointer { r in
                    Parallel.map(blocks) { _, range in
                        let out = out.value
                        var first = [Int32](repeating: -1, count: space)
                        for i in range {
                            let k = code(i, r)
                            out[i] = k
                            if first[Int(k)] < 0 { first[Int(k)] = Int32(i) }
                        }
                        return first
                    }
                }
            }
            // A code's first position is in the first block that has it; groups number by that position.
            first = firsts[0]
            for block in firsts.dropFirst() {
                for k in 0..<space where first[k] < 0 { first[k] = block[k] }
            }
            seen = (0..<space).filter { first[$0] >= 0 }.sorted { first[$0] < first[$1] }
            var map = [Int32](repeating: -1, count: space)
            for (g, k) in seen.enumerated() { map[k] = Int32(g) }
            composite.withUnsafeMutableBufferPointer { out in
                let out = UncheckedSendable(out)
                Parallel.forEach(blocks.count) { b in
                    for i in blocks[b] { out.value[i] = map[Int(out.value[i])] }
                }
            }
        }
        return (composite, seen.count, seen.map { rows[Int(first[$0])] })
    }

    /// `by` on tag fields: the selected rows repeated once per tag of each tag key (once, with the
    /// key missing, when a row has none). Gives each position's source row, and for each tag key
    /// a category column of the position's tag, its dictionary in byte order as SQL sorts it.
    static func perTag(_ rows: [Int32], _ keyColumns: [Column]) -> (source: [Int32], exploded: [Int: Column]) {
        var source = rows
        var codes: [Int: [Int32]] = [:]  // per tag key: a vocabulary index per position, -1 for none
        for (k, col) in keyColumns.enumerated() {
            guard case .tags(let sets) = col.data else { continue }
            var next: [Int32] = [], nextCodes: [Int: [Int32]] = codes.mapValues { _ in [] }
            var mine: [Int32] = []
            next.reserveCapacity(source.count)
            for (p, r) in source.enumerated() {
                let row = Int(r)
                var any = false
                if col.isPresent(row) {
                    for t in 0..<sets.vocabulary.count where sets.has(row: row, tag: t) {
                        any = true
                        next.append(r)
                        mine.append(Int32(t))
                        for key in codes.keys { nextCodes[key]?.append(codes[key]?[p] ?? -1) }
                    }
                }
                if !any {
                    next.append(r)
                    mine.append(-1)
                    for key in codes.keys { nextCodes[key]?.append(codes[key]?[p] ?? -1) }
                }
            }
            source = next
            nextCodes[k] = mine
            codes = nextCodes
        }
        var exploded: [Int: Column] = [:]
        for (k, tagOf) in codes {
            guard case .tags(let sets) = keyColumns[k].data else { continue }
            let order = sets.vocabulary.indices.sorted { Array(sets.vocabulary[$0].utf8).lexicographicallyPrecedes(Array(sets.vocabulary[$1].utf8)) }
            var rank = [UInt32](repeating: 0, count: sets.vocabulary.count)
            for (position, t) in order.enumerated() { rank[t] = UInt32(position) }
            var validity = Bitmap(count: tagOf.count, filled: true)
            let values = tagOf.enumerated().map { p, t -> UInt32 in
                if t < 0 { validity[p] = false; return 0 }
                return rank[Int(t)]
            }
            exploded[k] = Column(name: keyColumns[k].name, data: .category(codes: values, dictionary: order.map { sets.vocabulary[$0] }),
                                 validity: validity, count: tagOf.count)
        }
        return (source, exploded)
    }

    /// Each selected row's value as a dense code `0..<cardinality`; missing values share the last code.
    static func denseCodes(_ col: Column, _ rows: [Int32]) -> ([Int32], Int) {
        var codes = [Int32](repeating: 0, count: rows.count)
        switch col.data {
        case .category(let c, let dictionary):
            let missing = Int32(dictionary.count)
            for (i, r) in rows.enumerated() { codes[i] = col.isPresent(Int(r)) ? Int32(c[Int(r)]) : missing }
            return (codes, dictionary.count + 1)
        case .boolean(let v):
            for (i, r) in rows.enumerated() { codes[i] = col.isPresent(Int(r)) ? (v[Int(r)] ? 1 : 0) : 2 }
            return (codes, 3)
        default:
            var seen: [Int64: Int32] = [:]
            var seenText: [ExactKey: Int32] = [:]  // by bytes, as everywhere (ExactText)
            var missingCode: Int32 = -1
            var next: Int32 = 0
            for (i, r) in rows.enumerated() {
                let row = Int(r)
                if !col.isPresent(row) {
                    if missingCode < 0 { missingCode = next; next += 1 }
                    codes[i] = missingCode
                    continue
                }
                switch col.data {
                case .integer(let v), .decimal(let v, _):
                    if let c = seen[v[row]] { codes[i] = c } else { seen[v[row]] = next; codes[i] = next; next += 1 }
                case .date(let v):
                    let k = Int64(v[row])
                    if let c = seen[k] { codes[i] = c } else { seen[k] = next; codes[i] = next; next += 1 }
                default:
                    let s = ExactKey(CellOrder.string(col, row))
                    if let c = seenText[s] { codes[i] = c } else { seenText[s] = next; codes[i] = next; next += 1 }
                }
            }
            return (codes, Int(next))
        }
    }

    /// Combines group ids with one more key's codes and renumbers the groups densely.
    static func combine(_ groupOf: [Int32], _ groupCount: Int, _ codes: [Int32], _ cardinality: Int) -> ([Int32], Int) {
        var out = [Int32](repeating: 0, count: codes.count)
        var next: Int32 = 0
        let space = groupCount * cardinality
        if space <= 1 << 22 {
            var map = [Int32](repeating: -1, count: space)
            for i in 0..<codes.count {
                let k = Int(groupOf[i]) * cardinality + Int(codes[i])
                if map[k] < 0 { map[k] = next; next += 1 }
                out[i] = map[k]
            }
        } else {
            var map: [Int: Int32] = [:]
            for i in 0..<codes.count {
                let k = Int(groupOf[i]) * cardinality + Int(codes[i])
                if let g = map[k] { out[i] = g } else { map[k] = next; out[i] = next; next += 1 }
            }
        }
        return (out, Int(next))
    }
}
