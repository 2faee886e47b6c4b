// SQL for the commands that look at a segment rather than list it, when a database runs the
// session: `why ID in NAME` (one client against each condition) and the member rows that
// `snapshot` stores and `diff` compares. `explain` needs none of its own: it is a series of
// `count` statements (`generate` with `.count`), one per growing prefix of the `and` terms.
// Every cell comes back as text, formatted like seg's CSV (`SQLOptions.textResults`).

extension SQLGenerator {
    /// Ids per statement when rows are fetched by id (well under any server's parameter limit).
    public static let idsPerStatement = 1_000

    /// `why`: the first row (in row order) of `query`'s table whose id, as text, is `id`. Its
    /// columns, all text: whether the row is in the query's source (`true` when the source is the
    /// table), whether it is in the query's result (its `limit` included), `true`/`false` for
    /// each of `terms` (unknown is `false`, as in memory), then each of `values`. No row: no client.
    public mutating func generateWhy(_ query: BoundQuery, terms: [BoundCondition], values: [ValueExpr], id: String) throws -> SQLStatement {
        let t = query.tableIndex
        func truth(_ predicate: String?) -> String {
            guard let predicate else { return "'true'" }
            return "(CASE WHEN \(predicate) THEN 'true' ELSE 'false' END)"
        }
        var items: [String] = []
        items.append(truth(try sourcePredicate(query.source, table: t)) + " AS \"in_source\"")
        items.append(truth(try sourcePredicate(.query(query, name: nil), table: t)) + " AS \"in_result\"")
        for (i, term) in terms.enumerated() {
            items.append(truth(try condition(term, table: t)) + " AS \"term_\(i + 1)\"")
        }
        var columns = [SQLResultColumn](repeating: SQLResultColumn(name: "", type: .boolean, scale: 0), count: items.count)
        for (i, expr) in values.enumerated() {
            let v = try value(expr, table: t)
            items.append("\(output(v)) AS \"value_\(i + 1)\"")
            columns.append(SQLResultColumn(name: expr.displayName, type: v.type, scale: v.scale))
        }
        let body = "SELECT \(items.joined(separator: ", "))\nFROM \(try tableName(t))\nWHERE \(try idText(t)) = \(try string(id))\nORDER BY \(rowOrder(t))\nLIMIT 1"
        return SQLStatement(text: withCTEs(body), parameters: parameters, columns: columns, kind: .groups)
    }

    /// The rows of `table` whose id, as text, is one of `ids` (at most `idsPerStatement`), with
    /// `columns`, in row order.
    public mutating func generateRows(table: Int, columns exprs: [ValueExpr], ids: [String]) throws -> SQLStatement {
        var items: [String] = []
        var columns: [SQLResultColumn] = []
        for expr in exprs {
            let v = try value(expr, table: table)
            items.append("\(output(v)) AS \(try Self.identifier(expr.displayName))")
            columns.append(SQLResultColumn(name: expr.displayName, type: v.type, scale: v.scale))
        }
        let list = try ids.isEmpty ? "NULL" : ids.map { try string($0) }.joined(separator: ", ")
        let body = "SELECT \(items.joined(separator: ", "))\nFROM \(try tableName(table))\nWHERE \(try idText(table)) IN (\(list))\nORDER BY \(rowOrder(table))"
        return SQLStatement(text: withCTEs(body), parameters: parameters, columns: columns, kind: .rows(noun: "rows"))
    }

    /// The table's `id` column as text, as seg prints it (an index on a text id still serves).
    func idText(_ table: Int) throws -> String {
        let t = catalog.tables[table]
        guard let i = t.columnIndex(named: "id") else {
            throw Self.error("table '\(t.name)' has no 'id' column to find a client by")
        }
        let column = t.columns[i]
        let v = try value(.field(index: i, name: column.name, type: column.type), table: table)
        if column.type.isString { return v.sql }
        guard options.textResults else { throw Self.error("internal: ids are matched as text; generate with textResults") }
        return output(v)
    }
}
