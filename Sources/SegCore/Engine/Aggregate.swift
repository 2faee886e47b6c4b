// `by` queries: rows are numbered by group (dense ids, one pass per key), then each aggregate
// folds its column into per-group accumulators. Sums are exact: Int128 accumulators over the
// scaled integers, so decimal totals are right to the cent.

extension Column {
    /// A new column holding this column's values at `rows`; a negative row gives a missing value.
    func gather(_ rows: [Int32]) -> Column {
        var validity = Bitmap(count: rows.count, filled: true)
        for (i, r) in rows.enumerated() where r < 0 || !isPresent(Int(r)) { validity[i] = false }
        func pick<T>(_ values: [T], _ zero: T) -> [T] { rows.map { $0 < 0 ? zero : values[Int($0)] } }
        let data: ColumnData
        switch self.data {
        case .integer(let v): data = .integer(pick(v, 0))
        case .decimal(let v, let s): data = .decimal(pick(v, 0), scale: s)
        case .date(let v): data = .date(pick(v, 0))
        case .boolean(let v): data = .boolean(pick(v, false))
        case .category(let codes, let dictionary): data = .category(codes: pick(codes, 0), dictionary: dictionary)
        case .text(let buffer):
            var out = TextBuffer()
            for r in rows {
                if r < 0 { out.append("") } else { out.append(bytes: buffer.bytes[buffer.range(at: Int(r))]) }
            }
            data = .text(out)
        case .tags(let sets):
            var bits: [UInt64] = []
            bits.reserveCapacity(rows.count * sets.wordsPerRow)
            for r in rows {
                for j in 0..<sets.wordsPerRow { bits.append(r < 0 ? 0 : sets.bits[Int(r) * sets.wordsPerRow + j]) }
            }
            data = .tags(TagSets(vocabulary: sets.vocabulary, wordsPerRow: sets.wordsPerRow, bits: bits))
        }
        return Column(name: name, data: data, validity: validity, count: rows.count)
    }
}

enum Grouper {
    static func run(table: Table, rows filter: Bitmap?, keys: [ValueExpr], keyColumns: [Column], show: [GroupItem],
                    aggregates: [AggregateExpr], argumentColumns: [ValueExpr: Column],
                    sort: [BoundSortKey], limit: Int?) throws -> ResultSet {
        let rows = filter?.rowIndices() ?? (0..<Int32(table.rowCount)).map { $0 }
        var groupOf = [Int32](repeating: 0, count: rows.count)
        var groupCount = keys.isEmpty ? 1 : (rows.isEmpty ? 0 : 1)
        if let direct = categoryGroups(keyColumns, rows) {
            (groupOf, groupCount) = direct
        } else {
            for col in keyColumns {
                let (codes, cardinality) = denseCodes(col, rows)
                (groupOf, groupCount) = combine(groupOf, groupCount, codes, cardinality)
            }
        }
        var representative = [Int32](repeating: -1, count: groupCount)
        for (i, g) in groupOf.enumerated() where representative[Int(g)] < 0 { representative[Int(g)] = rows[i] }

        var aggregateColumns: [AggregateExpr: Column] = [:]
        for agg in aggregates {
            aggregateColumns[agg] = try compute(agg, rows: rows, groupOf: groupOf, groupCount: groupCount,
                                                column: agg.argument.flatMap { argumentColumns[$0] })
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
        let order = Sorter.sort((0..<Int32(groupCount)).map { $0 }, by: sortColumns, limit: limit)

        var columns: [ResultColumn] = []
        for item in show {
            switch item {
            case .key(let k):
                columns.append(ResultColumn(name: keys[k].displayName, column: keyColumns[k], rows: order.map { representative[Int($0)] }))
            case .aggregate(let a):
                if let col = aggregateColumns[a] {
                    columns.append(ResultColumn(name: a.displayName, column: col, rows: order))
                }
            }
        }
        return ResultSet(columns: columns, rowCount: order.count, kind: .groups, totalBeforeLimit: groupCount)
    }

    /// Group ids straight from category codes (mixed radix, missing = one extra code per key) when
    /// every key is a small category: one pass, then a renumbering in order of first appearance.
    static func categoryGroups(_ keyColumns: [Column], _ rows: [Int32]) -> ([Int32], Int)? {
        guard !keyColumns.isEmpty, !rows.isEmpty else { return nil }
        var space = 1
        var parts: [(codes: [UInt32], radix: Int, validity: Bitmap?)] = []
        for col in keyColumns {
            guard case .category(let codes, let dictionary) = col.data else { return nil }
            space *= dictionary.count + 1
            guard space <= 1 << 20 else { return nil }
            parts.append((codes, dictionary.count + 1, col.validity))
        }
        var composite = [Int32](repeating: 0, count: rows.count)
        composite.withUnsafeMutableBufferPointer { out in
            rows.withUnsafeBufferPointer { r in
                for part in parts {
                    let missing = Int32(part.radix - 1)
                    let radix = Int32(part.radix)
                    part.codes.withUnsafeBufferPointer { c in
                        // Tuned: one tight loop per key; validity only when the column has gaps.
                        if let validity = part.validity {
                            for i in 0..<r.count {
                                let row = Int(r[i])
                                out[i] = out[i] &* radix &+ (validity[row] ? Int32(c[row]) : missing)
                            }
                        } else {
                            for i in 0..<r.count { out[i] = out[i] &* radix &+ Int32(c[Int(r[i])]) }
                        }
                    }
                }
            }
        }
        var map = [Int32](repeating: -1, count: space)
        var next: Int32 = 0
        composite.withUnsafeMutableBufferPointer { out in
            for i in 0..<out.count {
                let k = Int(out[i])
                if map[k] < 0 { map[k] = next; next &+= 1 }
                out[i] = map[k]
            }
        }
        return (composite, Int(next))
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

    static func compute(_ agg: AggregateExpr, rows: [Int32], groupOf: [Int32], groupCount: Int, column: Column?) throws -> Column {
        let name = agg.displayName
        guard let column else {
            var counts = [Int64](repeating: 0, count: groupCount)
            for g in groupOf { counts[Int(g)] += 1 }
            return Column(name: name, data: .integer(counts), validity: nil, count: groupCount)
        }
        switch agg.kind {
        case .count:
            var counts = [Int64](repeating: 0, count: groupCount)
            for (i, r) in rows.enumerated() where column.isPresent(Int(r)) { counts[Int(groupOf[i])] += 1 }
            return Column(name: name, data: .integer(counts), validity: nil, count: groupCount)
        case .sum, .avg:
            guard case .integer(let v) = column.data.integerView else {
                throw SegError(.query, "'\(agg.kind.rawValue)' needs a number field")
            }
            let (sums, counts) = sumsAndCounts(v, validity: column.validity, rows: rows, groupOf: groupOf, groupCount: groupCount)
            var validity = Bitmap(count: groupCount, filled: true)
            var values = [Int64](repeating: 0, count: groupCount)
            let scale = column.scale
            // avg has at least two decimals, but an average beyond ±92 quadrillion does not fit two
            // decimals in 64 bits: then it takes fewer, down to the field's own scale, where it always
            // fits (an average lies between the smallest and the largest value).
            var outScale = agg.kind == .avg ? max(2, scale) : scale
            var g = 0
            while g < groupCount {
                guard counts[g] > 0 else { validity[g] = false; g += 1; continue }
                var total = sums[g]
                if agg.kind == .avg {
                    total *= Int128(FixedPoint.powersOfTen[outScale - scale])
                    let n = Int128(counts[g])
                    // Round half away from zero.
                    total = total >= 0 ? (total + n / 2) / n : (total - n / 2) / n
                }
                guard let exact = Int64(exactly: total) else {
                    if agg.kind == .avg && outScale > scale {
                        outScale -= 1
                        g = 0
                        continue
                    }
                    throw SegError(.query, "the \(agg.kind.rawValue) of '\(agg.argument?.displayName ?? "")' is too large for 64-bit exact arithmetic")
                }
                values[g] = exact
                g += 1
            }
            let data: ColumnData = (outScale == 0 && column.type == .integer && agg.kind == .sum)
                ? .integer(values) : .decimal(values, scale: outScale)
            return Column(name: name, data: data, validity: validity, count: groupCount)
        case .min, .max:
            let wantMax = agg.kind == .max
            let ordered: [Int64]?
            switch column.data {
            case .integer(let v), .decimal(let v, _): ordered = v
            case .date(let v): ordered = v.map { Int64($0) }
            case .category(let codes, _): ordered = codes.map { Int64($0) }
            default: ordered = nil
            }
            if let ordered {
                var result = column.gather(extremeRows(ordered, validity: column.validity, rows: rows, groupOf: groupOf,
                                                       groupCount: groupCount, wantMax: wantMax))
                result.name = name
                return result
            }
            var best = [Int32](repeating: -1, count: groupCount)
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
            var result = column.gather(best)
            result.name = name
            return result
        }
    }
}

extension Grouper {
    /// Per-group exact sums and counts of present values. Tuned: sums run in Int64; an add that
    /// would overflow spills the partial sum into an Int128 total, so the result is always exact.
    static func sumsAndCounts(_ values: [Int64], validity: Bitmap?, rows: [Int32], groupOf: [Int32],
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
}

extension Grouper {
    /// For each group, the row holding its smallest (or largest) present value; -1 when none.
    static func extremeRows(_ values: [Int64], validity: Bitmap?, rows: [Int32], groupOf: [Int32],
                            groupCount: Int, wantMax: Bool) -> [Int32] {
        var best = [Int32](repeating: -1, count: groupCount)
        var bestValue = [Int64](repeating: 0, count: groupCount)
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
