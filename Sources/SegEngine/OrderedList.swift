import SegBase
import SegStore
import SegSemantics
// A sorted list of a few of a table's rows, read through a gather. The selected rows come in
// storage order; their sort keys and shown values are gathered in that order (memory read
// forwards), the positions among them are sorted, and the list shows the gathered values through
// the sorted positions. Reading each shown cell at its storage row in sorted order instead missed
// the cache on every cell of a 4M-row table (the maturity call list spent most of its time there).

/// The rows a list shows, in order. With `positions`, listed row `i` is the `positions[i]`-th of
/// `selected`, and `gathered` holds values of the selected rows in selection order.
struct OrderedList {
    var rows: [Int32]
    var selected: [Int32] = []
    var positions: [Int32]? = nil
    var gathered: [ValueExpr: Column] = [:]
    /// The parent row of each selected row, per link (`client.id`, `client.name` map once).
    var parentRows: [Int: [Int32]] = [:]
}

extension Executor {
    /// At most this many selected rows are gathered: the gathered copies of the shown columns
    /// stay small beside the table (a longer list reads each cell where it is stored).
    static let gatheredRowsLimit = 1 << 20

    /// Whether a sorted list reads through a gather: its rows are few of the table's, and it
    /// shows many of them or sorts by a parent's value (whose whole column would be gathered).
    func sortsByGathering(_ query: BoundQuery, selected: Int, tableRows: Int, limit: Int?) -> Bool {
        guard query.limitPer.isEmpty, !query.sort.isEmpty, selected < tableRows / 2,
              selected <= Self.gatheredRowsLimit else { return false }
        let parentKey = query.sort.contains { key in
            if case .value(let expr) = key.target, case .parent = expr, computed[expr] == nil { return true }
            return false
        }
        return parentKey || (limit ?? selected) >= selected / 4
    }

    /// The values of `expr` at the selected rows, in selection order (a parent's value through
    /// the link, only for those rows), gathered once per list.
    mutating func gatheredValues(_ expr: ValueExpr, _ list: inout OrderedList, table: Table) throws -> Column {
        if let column = list.gathered[expr] { return column }
        let column: Column
        if case .parent(let l, let name, let inner, _) = expr, computed[expr] == nil {
            let rows = list.parentRows[l] ?? parentRows(link: l, of: list.selected)
            list.parentRows[l] = rows
            column = try parentColumn(link: l, name: name, inner, parentRows: rows)
        } else {
            column = try self.column(expr, table: table).gather(list.selected)
        }
        list.gathered[expr] = column
        return column
    }

    /// Sorts the selected rows by gathering (see `sortsByGathering`).
    mutating func orderedByGathering(_ query: BoundQuery, selected: [Int32], table: Table, limit: Int?) throws -> OrderedList {
        var list = OrderedList(rows: [], selected: selected)
        var keys: [SortColumn] = []
        for key in query.sort {
            guard case .value(let expr) = key.target else { continue }
            let column = try gatheredValues(expr, &list, table: table)
            keys.append(SortColumn(column: column, rows: nil, descending: key.descending))
        }
        // Ties keep selection order, which is storage order: the same order as sorting rows.
        let positions = Sorter.sort(Parallel.rowNumbers(selected.count), by: keys, limit: limit)
        list.rows = selected.withUnsafeBufferPointer { s in positions.map { s[Int($0)] } }
        list.positions = positions
        return list
    }

    /// A shown column of a list: read through the gather when the list was sorted by one and
    /// shows many of the selected rows or sorted by this value; nil otherwise.
    mutating func listedColumn(_ expr: ValueExpr, named name: String, _ list: inout OrderedList, table: Table) throws -> ResultColumn? {
        guard let positions = list.positions,
              list.gathered[expr] != nil || positions.count >= list.selected.count / 4 else { return nil }
        let column = try gatheredValues(expr, &list, table: table)
        return ResultColumn(name: name, column: column, rows: positions, grouped: expr.groupsDigits)
    }
}
