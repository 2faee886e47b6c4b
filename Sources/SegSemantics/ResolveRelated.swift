import SegBase
import SegSyntax
import SegStore
import SegFunctions
// Names across links: `has holdings where …`, `no contacts where …`, `count(holdings where …)`,
// `sum(holdings.amount where …)`, `latest contacts.outcome` (child rows, seen from the parent),
// and `client.tier`, or `tier` alone at the top of a query over holdings (the parent's value,
// seen from a child row). Inside a related condition a bare name is the related table's field
// only: `has holdings where kind = fund and tier = vip` would otherwise read `tier` as the
// holding's client's, which is a different question; seg asks for `client.tier` or parentheses.

extension Resolver {
    /// `has T [where C]` (`any`) / `no T [where C]`: the count of matching related rows against 0.
    mutating func relatedCondition(any: Bool, _ rows: RelatedRows, range: SourceRange) throws -> BoundCondition {
        let aggregate = try relatedAggregate(.count, rows, label: source.slice(range))
        return .test(.related(aggregate), .compare(any ? .greater : .equal, 0))
    }

    /// The child table and link that `rows` name, seen from the table being resolved.
    func relatedLink(_ table: Identifier) throws -> (child: Int, link: Int) {
        let current = catalog.tables[tableIndex].name
        let children = catalog.links.filter { $0.parent == tableIndex }.map { catalog.tables[$0.child].name }
        guard let c = catalog.tableIndex(named: table.name) else {
            throw error(.unknownSource(table.name, suggestion: Suggest.closest(to: table.name, among: children + catalog.sourceNames)), table.range)
        }
        guard let l = catalog.link(from: c, to: tableIndex) else {
            throw error(.notRelated(catalog.tables[c].name, to: current, related: children), table.range)
        }
        return (c, l)
    }

    /// An aggregate over related rows, its condition and field resolved in the child table.
    mutating func relatedAggregate(_ function: RelatedFunction, _ rows: RelatedRows, label: String) throws -> RelatedAggregate {
        let (c, l) = try relatedLink(rows.table)
        let child = catalog.tables[c]
        let outer = tableIndex
        let saved = (fieldNames, mentioned, insideRelated)
        fieldNames = child.columns.map(\.name) + child.unloadedColumns
        mentioned = []
        tableIndex = c
        insideRelated = outer
        defer {
            (fieldNames, mentioned, insideRelated) = saved
            tableIndex = outer
        }
        let condition = try rows.condition.map { try resolveCondition($0, table: child, tableIndex: c) }
        var argument: ValueExpr? = nil
        if let field = rows.field {
            guard let value = try fieldExpr(.name(field), table: child) else {
                throw unknownField(.name(field), table: child, expected: .argument(.any))
            }
            argument = value
        }
        let written = rows.field.map { "\(rows.table.name).\($0.name)" } ?? rows.table.name
        var type = FieldType.integer, scale = 0
        var date: ValueExpr? = nil
        switch function {
        case .count:
            if rows.field != nil { throw error(.relatedCountOfField(written), rows.range) }
        case .sum, .min, .max:
            guard let argument else { throw error(.relatedNeedsField(function.rawValue), rows.range) }
            let accepted = function == .sum ? argument.type.isNumeric : (argument.type.isNumeric || argument.type == .date)
            guard accepted else {
                throw error(.aggregateType(function.rawValue, wanted: .number,
                                           field: argument.displayName, type: argument.type), rows.range)
            }
            type = argument.type
            scale = argument.scale(in: child)
        case .avg, .median:
            guard let argument else { throw error(.relatedNeedsField(function.rawValue), rows.range) }
            guard argument.type.isNumeric, let aggregate = Functions.aggregate(named: function.rawValue) else {
                throw error(.aggregateType(function.rawValue, wanted: .number,
                                           field: argument.displayName, type: argument.type), rows.range)
            }
            (type, scale) = aggregate.result(argument.type, argument.scale(in: child))
        case .latest:
            guard let argument else { throw error(.relatedNeedsField(function.rawValue), rows.range) }
            guard let d = child.columns.firstIndex(where: { $0.type == .date }) else {
                throw error(.latestNeedsDate(table: child.name), rows.range)
            }
            guard argument.type != .tags else {
                throw error(.aggregateType(function.rawValue, wanted: .any, field: argument.displayName, type: argument.type), rows.range)
            }
            date = .field(index: d, name: child.columns[d].name, type: .date)
            type = argument.type
            scale = argument.scale(in: child)
        }
        return RelatedAggregate(link: l, function: function, argument: argument, date: date, condition: condition,
                                label: label, type: type, scale: scale)
    }

    /// `count(holdings …)`, `sum(holdings.amount …)`, `latest contacts.outcome`: a call whose one
    /// argument is rows of a table linked to this one; nil for any other call.
    func relatedCallRows(_ operand: Operand) -> (RelatedFunction?, String, RelatedRows)? {
        guard case .call(let name, let args, _) = operand, args.count == 1 else { return nil }
        let rows: RelatedRows
        switch args[0] {
        case .related(let r): rows = r
        case .name(let t) where isChildTable(t.name): rows = RelatedRows(table: t, field: nil, condition: nil, range: t.range)
        case .qualified(let t, let f, let r) where isChildTable(t.name): rows = RelatedRows(table: t, field: f, condition: nil, range: r)
        case .qualified(let t, _, let r) where name.name.lowercased() == RelatedFunction.latest.rawValue:
            // `latest managers.team`: rows of a table that is not related this way; `relatedCall` says so.
            rows = RelatedRows(table: t, field: nil, condition: nil, range: r)
        default: return nil
        }
        let lower = name.name.lowercased()
        return (RelatedFunction(rawValue: lower), lower, rows)
    }

    /// Whether `name` is a table linked to the one being resolved (as its child).
    func isChildTable(_ name: String) -> Bool {
        guard let c = catalog.tableIndex(named: name) else { return false }
        return catalog.links.contains { $0.child == c && $0.parent == tableIndex }
    }

    /// The value of a related call (see `relatedCallRows`).
    mutating func relatedCall(_ operand: Operand) throws -> ValueExpr? {
        guard let (function, written, rows) = relatedCallRows(operand) else { return nil }
        guard let function else {
            if case .call(let name, _, _) = operand {
                let known = RelatedFunction.allCases.map(\.rawValue)
                throw error(.relatedFunction(written, suggestion: Suggest.closest(to: written, among: known)), name.range)
            }
            return nil
        }
        return .related(try relatedAggregate(function, rows, label: source.slice(operand.range)))
    }

    /// `client.tier`: a field of the parent that a link of this table names; `holdings.amount`
    /// from clients is many values and asks for an aggregate.
    mutating func qualifiedField(_ table: Identifier, _ field: Identifier, range: SourceRange) throws -> ValueExpr {
        guard let l = catalog.link(from: tableIndex, named: table.name) else {
            if isChildTable(table.name) { throw error(.relatedRowsAsValue(source.slice(range)), range) }
            let names = catalog.links(from: tableIndex).flatMap { [$0.name, catalog.tables[$0.parent].name] }
            throw error(.unknownLinkedTable(table.name, suggestion: Suggest.closest(to: table.name, among: names)), table.range)
        }
        return try parentValue(link: l, field: field, written: "\(catalog.links[l].name).")
    }

    /// A field of the parent of link `l`, resolved in the parent table (which may itself read its
    /// own parent's: `manager.team`).
    mutating func parentValue(link l: Int, field: Identifier, written prefix: String) throws -> ValueExpr {
        let link = catalog.links[l]
        let parent = catalog.tables[link.parent]
        let saved = (fieldNames, mentioned, insideRelated, tableIndex)
        fieldNames = parent.columns.map(\.name) + parent.unloadedColumns
        tableIndex = link.parent
        insideRelated = nil
        defer { (fieldNames, mentioned, insideRelated, tableIndex) = saved }
        guard let value = try fieldExpr(.name(field), table: parent) else {
            throw unknownField(.name(field), table: parent, expected: .fieldToTest)
        }
        let name: String
        if case .parent(_, let inner, _, _) = value { name = inner } else { name = prefix + value.displayName }
        return .parent(link: l, name: name, value, scale: value.scale(in: parent))
    }

    /// A bare name that is no field of this table: a field of a parent (`tier` in a query over
    /// holdings is `client.tier`; `team` over clients is `manager.team`), searched one link
    /// then two links away; nil when none holds it. Inside a related condition, a field of the
    /// table outside is an error that says how to write it.
    mutating func parentField(_ id: Identifier) throws -> ValueExpr? {
        if let outer = insideRelated {
            if catalog.tables[outer].columnIndex(named: id.name) != nil, let l = catalog.link(from: tableIndex, to: outer) {
                throw error(.outerFieldInRelated(id.name, outer: catalog.tables[outer].name, link: catalog.links[l].name,
                                                 related: catalog.tables[tableIndex].name), id.range)
            }
            return nil
        }
        var holders: [Int] = []
        for (l, link) in catalog.links.enumerated() where link.child == tableIndex {
            if catalog.tables[link.parent].columnIndex(named: id.name) != nil { holders.append(l) }
        }
        if holders.isEmpty {
            // Two links away: holdings → clients → managers.
            for (l, link) in catalog.links.enumerated() where link.child == tableIndex {
                for next in catalog.links where next.child == link.parent && next.parent != tableIndex
                    && catalog.tables[next.parent].columnIndex(named: id.name) != nil {
                    holders.append(l)
                }
            }
        }
        guard !holders.isEmpty else { return nil }
        guard holders.count == 1 else {
            throw error(.ambiguousParentField(id.name, among: holders.map { catalog.links[$0].name }), id.range)
        }
        return try parentValue(link: holders[0], field: id, written: "\(catalog.links[holders[0]].name).")
    }

    /// The column a parent's value or a related aggregate reads, for checking the values it is
    /// compared with (`client.tier = vip`, `latest contacts.outcome = disconnected`).
    func linkedColumn(_ expr: ValueExpr) -> Column? {
        switch expr {
        case .parent(let l, let name, let inner, _):
            var resolver = related(table: catalog.links[l].parent)
            var col = resolver.column(inner, table: catalog.tables[catalog.links[l].parent])
            col.name = name
            return col
        case .related(let r) where r.function == .latest || r.function == .min || r.function == .max:
            guard let argument = r.argument else { return nil }
            var resolver = related(table: catalog.links[r.link].child)
            var col = resolver.column(argument, table: catalog.tables[catalog.links[r.link].child])
            col.name = r.label
            return col
        default:
            return nil
        }
    }
}
