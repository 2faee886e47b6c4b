import SegBase
import SegStore
import SegFunctions
import SegSemantics
// Values across links, in memory. A related aggregate is a semi-join kernel: the child rows'
// condition runs once as a column kernel over the whole child table (a bitmap), then one pass
// over the matching child rows adds each into its parent row's slot through the link's
// child → parent row index (built once per link, by hashing, in `Links`). A parent's value seen
// from child rows (`client.tier`) is the parent's column gathered through the same index.
// No nested loops: the cost is one pass over the child rows plus one over the parents.

extension Executor {
    /// `client.tier` over holdings: the parent's column, gathered to the child's rows (`rows`:
    /// only to those, in their order, as a list shows or sorts them; nil: to every child row).
    mutating func parentColumn(link l: Int, name: String, _ inner: ValueExpr, rows: [Int32]? = nil) throws -> Column {
        // Tuned: a list gathers only the rows it shows (a text field of 4M holdings is not copied).
        try parentColumn(link: l, name: name, inner, parentRows: rows.map { parentRows(link: l, of: $0) } ?? catalog.links[l].parentRow)
    }

    /// The parent row of each of `rows` of the child table (-1: no parent).
    func parentRows(link l: Int, of rows: [Int32]) -> [Int32] {
        catalog.links[l].parentRow.withUnsafeBufferPointer { parents in rows.map { parents[Int($0)] } }
    }

    /// The parent's value at `parentRows` (parent rows, -1 for none).
    mutating func parentColumn(link l: Int, name: String, _ inner: ValueExpr, parentRows: [Int32]) throws -> Column {
        var parentExecutor = Executor(catalog: catalog, today: today, interrupt: interrupt)
        let parent = try parentExecutor.column(inner, table: catalog.tables[catalog.links[l].parent])
        var column = parent.gather(parentRows)
        column.name = name
        return column
    }

    /// A test of a parent's value (`client.tier in (vip, private)`): run once per parent row, then
    /// each child row takes its parent's outcome (a missing or dangling key: neither true nor false).
    mutating func parentTestRows(_ expr: ValueExpr, _ test: RowTest, polarity: Bool, childRows: Int) throws -> Bitmap? {
        guard case .parent(let l, _, let inner, _) = expr, parentTested.insert(expr).inserted else { return nil }
        let link = catalog.links[l]
        var parentExecutor = Executor(catalog: catalog, today: today, interrupt: interrupt)
        let parentBits = try parentExecutor.rows(.test(inner, test), polarity: polarity, table: catalog.tables[link.parent])
        var out = Bitmap(count: childRows)
        // Tuned: one pass over the child rows on every core, a word of 64 child rows at a time,
        // reading the parent's bit through the row index (a bit at a time through the subscript
        // took 4 ms for 4M holdings).
        let n = min(childRows, link.parentRow.count)
        link.parentRow.withUnsafeBufferPointer { parents in
            parentBits.words.withUnsafeBufferPointer { bits in
                out.words.withUnsafeMutableBufferPointer { words in
                    let words = UncheckedSendable(words)
                    Parallel.blocks((n + 63) / 64) { block in
                        for w in block {
                            var word: UInt64 = 0
                            let base = w << 6
                            for r in base..<min(n, base + 64) {
                                let p = Int(parents[r])
                                if p >= 0 { word |= (bits[p >> 6] >> UInt64(p & 63) & 1) << UInt64(r - base) }
                            }
                            words.value[w] = word
                        }
                    }
                }
            }
        }
        return out
    }

    /// A sort key of a parent's value over the rows being sorted: the values of those rows only,
    /// and the map from a child row to its position among them.
    mutating func parentSortKey(_ expr: ValueExpr, rows: [Int32], tableRows: Int, descending: Bool) throws -> SortColumn? {
        guard case .parent(let l, let name, let inner, _) = expr, rows.count < tableRows / 2 else { return nil }
        let column = try parentColumn(link: l, name: name, inner, rows: rows)
        var position = [Int32](repeating: 0, count: tableRows)
        for (i, r) in rows.enumerated() { position[Int(r)] = Int32(i) }
        return SortColumn(column: column, rows: position, descending: descending)
    }

    /// The aggregate of each parent row's matching child rows (`count(holdings where kind = fund)`).
    mutating func relatedColumn(_ r: RelatedAggregate, parentRows: Int) throws -> Column {
        let link = catalog.links[r.link]
        let child = catalog.tables[link.child]
        guard link.parentRow.count == child.rowCount else {
            throw SegError(.internal, .internal("the link \(child.name).\(link.childField) has no row index"))
        }
        var childExecutor = Executor(catalog: catalog, today: today, interrupt: interrupt)
        let matching = try r.condition.map { try childExecutor.rows($0, polarity: true, table: child) }
        let argument = try r.argument.map { try childExecutor.column($0, table: child) }
        let date = try r.date.map { try childExecutor.column($0, table: child) }
        try interrupt?.check()
        return try RelatedKernels.aggregate(r, parentRow: link.parentRow, matching: matching, argument: argument, date: date,
                                            parentRows: parentRows)
    }
}

/// The semi-join kernels. Tuned: each walks the child rows once, in order, touching only the
/// words of the match bitmap that have bits set; do not turn them into per-parent loops.
enum RelatedKernels {
    static func aggregate(_ r: RelatedAggregate, parentRow: [Int32], matching: Bitmap?, argument: Column?, date: Column?,
                          parentRows n: Int) throws -> Column {
        switch r.function {
        case .count:
            var counts = [Int64](repeating: 0, count: n)
            forEachMatch(parentRow, matching) { _, p in counts[p] += 1 }
            return Column(name: r.label, data: .integer(counts), validity: nil, count: n)
        case .sum:
            guard let argument, let values = integers(argument) else { throw internalError(r) }
            var sums = [Int64](repeating: 0, count: n)
            var overflow = false
            forEachMatch(parentRow, matching) { row, p in
                guard argument.isPresent(row) else { return }
                let (s, o) = sums[p].addingReportingOverflow(values[row])
                sums[p] = s
                overflow = overflow || o
            }
            if overflow { throw SegError(.query, .query(.arithmeticOverflow(r.label))) }
            return Column(name: r.label, data: argument.type == .integer ? .integer(sums) : .decimal(sums, scale: argument.scale),
                          validity: nil, count: n)
        case .min, .max:
            guard let argument, let values = integers(argument) else { throw internalError(r) }
            let isMin = r.function == .min
            var best = [Int64](repeating: 0, count: n)
            var present = Bitmap(count: n)
            forEachMatch(parentRow, matching) { row, p in
                guard argument.isPresent(row) else { return }
                let v = values[row]
                if !present[p] || (isMin ? v < best[p] : v > best[p]) { best[p] = v; present[p] = true }
            }
            let data: ColumnData
            switch argument.data {
            case .date: data = .date(best.map { Int32(truncatingIfNeeded: $0) })
            case .decimal(_, let scale): data = .decimal(best, scale: scale)
            default: data = .integer(best)
            }
            return Column(name: r.label, data: data, validity: present, count: n)
        case .avg, .median:
            // The matching child rows grouped by their parent row: the column aggregate's own
            // kernel then rounds and types the result exactly as avg(assets) / median(assets) do.
            guard let argument, let function = Functions.aggregate(named: r.function.rawValue) else { throw internalError(r) }
            var rows: [Int32] = [], groupOf: [Int32] = []
            forEachMatch(parentRow, matching) { row, p in
                rows.append(Int32(truncatingIfNeeded: row))
                groupOf.append(Int32(truncatingIfNeeded: p))
            }
            return try function.kernel(AggregateInput(name: r.label, column: argument, argumentName: argument.name, rows: rows,
                                                      groupOf: groupOf, groupCount: n))
        case .latest:
            guard let argument, let date, case .date(let days) = date.data else { throw internalError(r) }
            var bestRow = [Int32](repeating: -1, count: n)
            forEachMatch(parentRow, matching) { row, p in
                guard date.isPresent(row) else { return }
                let b = bestRow[p]
                if b < 0 || days[row] > days[Int(b)]
                    || (days[row] == days[Int(b)] && laterValue(argument, row, than: Int(b))) {
                    bestRow[p] = Int32(row)
                }
            }
            var column = argument.gather(bestRow)
            column.name = r.label
            return column
        }
    }

    /// On one day, the greater value wins (a present one over a missing one), as SQL's max does.
    static func laterValue(_ c: Column, _ a: Int, than b: Int) -> Bool {
        if !c.isPresent(a) { return false }
        if !c.isPresent(b) { return true }
        return CellOrder.compare(c, a, c, b) > 0
    }

    /// Calls `body(childRow, parentRow)` for each matching child row that has a parent.
    @inline(__always)
    static func forEachMatch(_ parentRow: [Int32], _ matching: Bitmap?, _ body: (Int, Int) -> Void) {
        parentRow.withUnsafeBufferPointer { parents in
            guard let matching else {
                for row in 0..<parents.count where parents[row] >= 0 { body(row, Int(parents[row])) }
                return
            }
            for (w, word) in matching.words.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    let row = w << 6 + bits.trailingZeroBitCount
                    bits &= bits - 1
                    if row < parents.count, parents[row] >= 0 { body(row, Int(parents[row])) }
                }
            }
        }
    }

    /// The raw values of a number or date column.
    static func integers(_ c: Column) -> [Int64]? {
        switch c.data {
        case .integer(let v), .decimal(let v, _): return v
        case .date(let v): return v.map(Int64.init)
        default: return nil
        }
    }

    static func internalError(_ r: RelatedAggregate) -> SegError {
        SegError(.internal, .internal("related aggregate \(r.label) over a column of another type"))
    }
}
