import SegBase
import SegStore
import SegSemantics
// Masking in output: a result column that shows a masked field gets its rule (138****1234);
// one computed from a masked field (upper(name), phone like '138%') shows as `other`, so no
// expression can carry a masked value out unmasked.

enum Masking {
    /// The rule for a value: its field's, `other` when it only reads a masked field, nil when
    /// it reads none.
    static func rule(_ e: ValueExpr, _ masks: MaskSet) -> MaskRule? {
        guard !masks.isEmpty else { return nil }
        if case .field(_, let name, _) = e { return masks.rule(for: name) }
        // A linked table's field (`client.phone`) is masked as the field; an aggregate over related
        // rows as its field is, except a count (`latest contacts.phone` shows a phone).
        if case .parent(_, _, let inner, _) = e { return rule(inner, masks) }
        if case .related(let r) = e { return r.function == .count ? nil : r.argument.flatMap { rule($0, masks) } }
        for case .field(_, let name, _) in e.fields where masks.rule(for: name) != nil { return .other }
        if linked(in: e).contains(where: { rule($0, masks) != nil }) { return .other }
        return nil
    }

    /// The linked values (`client.…`, related aggregates) a computed value reads.
    static func linked(in e: ValueExpr) -> [ValueExpr] {
        switch e {
        case .parent, .related: return [e]
        case .truth(let c, _): return c.values.flatMap(linked)
        default: return e.operands.flatMap(linked)
        }
    }

    /// The rule for each output column of `query`.
    static func rules(_ query: BoundQuery, _ masks: MaskSet) -> [MaskRule?] {
        guard !masks.isEmpty else { return [] }
        switch query.mode {
        case .list(let columns): return columns.map { rule($0, masks) }
        case .count: return [nil]
        case .groups(let keys, let show, _):
            return show.map { item in
                switch item {
                case .key(let k): return k < keys.count ? rule(keys[k], masks) : nil
                // A count of masked values says nothing about any one of them.
                case .aggregate(let a): return a.function == "count" ? nil : a.argument.flatMap { rule($0, masks) }
                }
            }
        }
    }

    /// `result` with the cells of masked columns replaced by their masked text.
    static func apply(_ rules: [MaskRule?], to result: ResultSet) -> ResultSet {
        guard rules.contains(where: { $0 != nil }) else { return result }
        var out = result
        for (k, rule) in rules.enumerated() where k < out.columns.count {
            guard let rule else { continue }
            let source = CellSource(out.columns[k])
            let cells = (0..<result.rowCount).map { source.string($0, grouping: false).map(rule.apply) }
            out.columns[k] = ResultColumns.text(out.columns[k].name, cells)
        }
        return out
    }
}

/// Masks the answers a backend delivers before they reach the printer, whole or streamed.
final class MaskingSink: ResultSink {
    let inner: any ResultSink
    let rules: [MaskRule?]

    init(_ inner: any ResultSink, rules: [MaskRule?]) {
        self.inner = inner
        self.rules = rules
    }

    func write(_ result: ResultSet) throws { try inner.write(Masking.apply(rules, to: result)) }

    func begin(_ columns: [ColumnShape], kind: ResultSet.Kind) throws {
        let shapes = columns.enumerated().map { k, shape in
            k < rules.count && rules[k] != nil ? ColumnShape(name: shape.name, type: .text, scale: 0, grouped: false) : shape
        }
        try inner.begin(shapes, kind: kind)
    }

    func append(_ row: [String?]) throws {
        var masked = row
        for (k, rule) in rules.enumerated() where k < masked.count {
            if let rule, let cell = masked[k] { masked[k] = rule.apply(cell) }
        }
        try inner.append(masked)
    }

    func end(total: () throws -> Int?) throws { try inner.end(total: total) }
}
