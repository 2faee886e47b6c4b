import SegBase
import SegStore
import SegFunctions
import SegSemantics
// Related tables in SQL: `has` / `no` become EXISTS / NOT EXISTS, an aggregate over related rows a
// correlated subquery over the child table (the column aggregate's own SQL, so avg rounds as
// avg(assets) does), and a parent's value (`client.tier`) a scalar subquery over the parent by
// its key; the planners of PostgreSQL and DuckDB turn these into semi-joins and joins. Inside a
// subquery the child's own name binds its columns (the innermost FROM wins), so a condition on
// the child reads as it does at the top of a query.

extension SQLGenerator {
    /// `child.field = parent.key` for link `l` (both as text when their types differ, as seg
    /// matches keys by their text).
    func linkCondition(_ l: Int) throws -> String {
        let link = catalog.links[l]
        let child = catalog.tables[link.child], parent = catalog.tables[link.parent]
        var a = try qualified(link.child, link.childField), b = try qualified(link.parent, link.parentKey)
        let ta = child.column(named: link.childField)?.type, tb = parent.column(named: link.parentKey)?.type
        if ta != tb || ta.map({ !$0.isString && $0 != .integer }) ?? true {
            let text = dialect == .duckdb ? "VARCHAR" : "TEXT"
            a = "CAST(\(a) AS \(text))"
            b = "CAST(\(b) AS \(text))"
        }
        return "\(a) = \(b)"
    }

    /// `FROM child WHERE link [AND condition]` of an aggregate's subquery.
    mutating func relatedFrom(_ r: RelatedAggregate, extra: String? = nil) throws -> String {
        let link = catalog.links[r.link]
        var terms = [try linkCondition(r.link)]
        if let c = r.condition { terms.append(try condition(c, table: link.child)) }
        if let extra { terms.append(extra) }
        return "FROM \(try tableName(link.child)) WHERE \(terms.joined(separator: " AND "))"
    }

    /// `has T where …` / `no T where …` as (NOT) EXISTS; nil for other tests of a related value.
    mutating func relatedExists(_ expr: ValueExpr, _ test: RowTest) throws -> String? {
        guard case .related(let r) = expr, r.function == .count, case .compare(let op, 0) = test,
              op == .greater || op == .equal else { return nil }
        let exists = "EXISTS (SELECT 1 \(try relatedFrom(r)))"
        return op == .greater ? exists : "NOT \(exists)"
    }

    /// The value of an aggregate over related rows, as a correlated subquery.
    mutating func relatedValue(_ r: RelatedAggregate) throws -> Value {
        let link = catalog.links[r.link]
        switch r.function {
        case .count:
            return Value(sql: "(SELECT COUNT(*) \(try relatedFrom(r)))", type: .integer, scale: 0)
        case .median where dialect == .sqlite:
            return try sqliteMedian(r)
        case .sum, .min, .max, .avg, .median:
            guard let argument = r.argument, let function = Functions.aggregate(named: r.function.rawValue) else {
                throw Self.internalError("related \(r.function.rawValue) without its field")
            }
            var v = try function.sql(try value(argument, table: link.child), nil, self)
            let from = try relatedFrom(r)
            v.sql = r.function == .sum ? "COALESCE((SELECT \(v.sql) \(from)), 0)" : "(SELECT \(v.sql) \(from))"
            v.orderSQL = nil
            return v
        case .latest:
            guard let argument = r.argument, let date = r.date else { throw Self.internalError("latest without its field") }
            var v = try value(argument, table: link.child)
            let d = try value(date, table: link.child).sql
            let best = "(SELECT MAX(\(d)) \(try relatedFrom(r)))"
            let pick = v.type.isString ? collated(v.sql, v.type) : v.sql
            let from = try relatedFrom(r, extra: "\(d) = \(best)")
            v.sql = "(SELECT MAX(\(pick)) \(from))"
            v.orderSQL = nil
            return v
        }
    }

    /// `median(holdings.amount …)` in SQLite, which has no ordered-set aggregate: the related
    /// rows' values ranked by a window inside the correlated subquery, the one or two middle ones
    /// summed to twice the median (exact integers of the smallest unit), then halved and rounded
    /// half away from zero, as seg's median is.
    mutating func sqliteMedian(_ r: RelatedAggregate) throws -> Value {
        let link = catalog.links[r.link]
        guard let argument = r.argument else { throw Self.internalError("related median without its field") }
        let v = try value(argument, table: link.child)
        let x = scaledInteger(v)
        let factor = FixedPoint.powersOfTen[r.scale - v.scale]
        let ranked = "SELECT \(x) AS v, ROW_NUMBER() OVER (ORDER BY \(x)) AS k, COUNT(*) OVER () AS n "
            + (try relatedFrom(r, extra: "\(v.sql) IS NOT NULL"))
        let twice = "SELECT SUM(v) * (3 - COUNT(*)) * \(factor) AS t FROM (\(ranked)) WHERE k IN ((n + 1) / 2, n / 2 + 1)"
        let sql = "(SELECT CASE WHEN t >= 0 THEN (t + 1) / 2 ELSE (t - 1) / 2 END FROM (\(twice)))"
        return Value(sql: sql, type: .decimal, scale: r.scale, scaled: true)
    }

    /// A value of the parent row, by its key: `(SELECT clients.tier FROM clients WHERE …)`.
    mutating func parentValue(link l: Int, _ inner: ValueExpr) throws -> Value {
        let link = catalog.links[l]
        var v = try value(inner, table: link.parent)
        let from = "FROM \(try tableName(link.parent)) WHERE \(try linkCondition(l))"
        v.sql = "(SELECT \(v.sql) \(from))"
        v.orderSQL = v.orderSQL.map { "(SELECT \($0) \(from))" }
        return v
    }
}
