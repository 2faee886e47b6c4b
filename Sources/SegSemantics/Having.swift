import SegBase
import SegSyntax
import SegStore
import SegFunctions
// `having CONDITION` on a grouped query: each aggregate or `by` key the condition names becomes a
// column of the groups, and the condition is resolved over those columns as a `where` is over a
// table's, with the same tests, types and messages (`'sum(assets)' is a decimal field`).

/// A `having` condition, over the columns of the groups.
public struct BoundHaving: Sendable {
    /// The group values the condition reads, in order; `condition`'s fields index them.
    public var items: [GroupItem]
    public var condition: BoundCondition
}

extension Resolver {
    mutating func having(_ condition: Condition, keys: [ValueExpr], table: Table,
                         add: (AggregateExpr) -> GroupItem) throws -> BoundHaving {
        var items: [GroupItem] = []
        var columns: [Column] = []
        var stored: [StoredColumn?] = []
        /// An aggregate or a key, renamed to its column of the groups; anything else as it is.
        func groupColumn(_ operand: Operand) throws -> Operand {
            if !isAggregateCall(operand) {
                guard let value = try fieldExpr(operand, table: table) else { return operand }
                guard keys.contains(value) else { throw error(.havingNeedsAggregate(value.displayName), operand.range) }
            }
            let item = try groupItem(operand, keys: keys, table: table, add: add)
            // A share is of the groups `having` keeps, so it cannot decide which those are.
            if case .aggregate(let agg) = item, agg.share { throw error(.shareInHaving, operand.range) }
            let column: Column
            var home: StoredColumn? = nil
            switch item {
            case .key(let k):
                // Grouped per tag, the key is one tag, not the client's set: `where` tests the set.
                if keys[k].type == .tags { throw error(.havingOnTagKey(keys[k].displayName), operand.range) }
                column = self.column(keys[k], table: table)
                home = storedColumn(keys[k], table: table)
            case .aggregate(let agg):
                let argumentScale = agg.argument?.scale(in: table) ?? 0
                let result = Functions.aggregate(named: agg.function)?.result(agg.argument?.type, argumentScale) ?? (.integer, 0)
                column = Column.empty(named: agg.displayName, type: result.type, scale: result.scale)
            }
            let name = item.displayName(keys: keys)
            if !items.contains(item) {
                items.append(item)
                var named = column
                named.name = name
                columns.append(named)
                stored.append(home)
            }
            return .name(Identifier(name: name, range: operand.range))
        }
        func rewrite(_ c: Condition) throws -> Condition {
            switch c {
            case .and(let terms, let r): return .and(try terms.map(rewrite), range: r)
            case .or(let terms, let r): return .or(try terms.map(rewrite), range: r)
            case .not(let inner, let r): return .not(try rewrite(inner), range: r)
            case .membership(_, let r): throw error(.havingNeedsAggregate("in"), r)
            case .related(_, _, let r): throw error(.havingNeedsAggregate("has"), r)
            case .invalid: return c
            case .predicate(var p):
                p.lhs = try groupColumn(p.lhs)
                switch p.test {
                case .compare(let op, let rhs, let r): p.test = .compare(op, try groupColumn(rhs), operatorRange: r)
                case .between(let a, let b, let negated): p.test = .between(try groupColumn(a), try groupColumn(b), negated: negated)
                default: break
                }
                return .predicate(p)
            }
        }
        let rewritten = try rewrite(condition)
        let groups = Table(name: table.name, columns: columns, rowCount: 0, origin: table.origin)
        let saved = groupColumns
        groupColumns = stored
        defer { groupColumns = saved }
        let bound = try resolveCondition(rewritten, table: groups, tableIndex: tableIndex)
        return BoundHaving(items: items, condition: bound)
    }
}

extension GroupItem {
    /// The heading of this item in the results: the key's name or the aggregate's.
    public func displayName(keys: [ValueExpr]) -> String {
        switch self {
        case .key(let k): return keys[k].displayName
        case .aggregate(let a): return a.displayName
        }
    }
}
