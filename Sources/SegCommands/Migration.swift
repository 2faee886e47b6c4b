import SegBase
import SegSyntax
import SegStore
import SegSemantics
import SegEngine
// Snapshots of a classification (`snapshot aum_tier`): every client's label today, in the same
// store and file format as a segment's snapshot; `diff aum_tier [since DATE]` then answers with
// the migration matrix: from each label then (rows) to each label now (columns), counted by
// client id, with how many moved up and down when the labels have an order.

extension Session {
    /// The classification a snapshot or diff names, when `name` is a derived field rather than a segment.
    func classification(_ name: Identifier, source: Source) throws -> (FieldDefinition, Classification, BoundQuery)? {
        guard catalog.segment(named: name.name) == nil, let field = catalog.field(named: name.name),
              let table = catalog.tables.first else { return nil }
        var resolver = Resolver(catalog: catalog, today: options.today, source: source)
        let value = try resolver.resolve(Query(source: .name(Identifier(name: table.name, range: name.range)),
                                               show: [ShowItem(operand: .name(name))], range: name.range))
        guard case .list(let columns) = value.mode, case .classify(let c)? = columns.first else {
            throw SegError(.query, .command(.snapshotNeedsLabels(field.name)), source: source, range: name.range)
        }
        let key = try clientKey(table, forSnapshots: true, source: source, range: name.range)
        var rows = value
        rows.mode = .list(columns: [key, .classify(c)])
        return (field, c, rows)
    }

    /// `snapshot FIELD`: each client's id and label today.
    func takeLabelSnapshot(_ field: FieldDefinition, rows: BoundQuery, source: Source, range: SourceRange) throws -> Snapshot {
        let store = try snapshotStore(for: "snapshot", source: source, range: range)
        try requireSaved(field.name, text: field.text, source: source, range: range)
        let snapshot = Snapshot(segment: field.name, date: options.today, columns: ["id", field.name], fields: [field.name],
                                rows: try backend.rows(rows, in: context()))
        try store.write(snapshot, definition: field.text)
        return snapshot
    }

    /// `diff FIELD [since DATE]`: the migration matrix since the latest snapshot on or before DATE.
    func migration(_ field: FieldDefinition, _ c: Classification, rows: BoundQuery, since: Int?,
                   source: Source, range: SourceRange) throws -> ResultSet {
        let store = try snapshotStore(for: "diff", source: source, range: range)
        let dates = store.dates(field.name)
        guard let first = dates.first else { throw SegError(.query, .command(.noSnapshotYet(field.name)), source: source, range: range) }
        guard let date = dates.last(where: { $0 <= since ?? Int.max }) else {
            throw SegError(.query, .command(.noSnapshotBefore(field.name, date: CivilDate.format(since ?? 0), first: CivilDate.format(first))),
                           source: source, range: range)
        }
        let then = try store.read(field.name, date: date)
        var before: [ExactKey: String?] = [:]
        for row in then.rows { if let id = row[0], before[ExactKey(id)] == nil { before[ExactKey(id)] = row.count > 1 ? row[1] : nil } }
        var after: [ExactKey: String?] = [:]
        for row in try backend.rows(rows, in: context()) {
            if let id = row[0], after[ExactKey(id)] == nil { after[ExactKey(id)] = row[1] }
        }

        // Labels in the classification's order; a label only the snapshot has (the rules changed) after them.
        var labels = c.dictionary
        for case let label?? in before.values where !labels.contains(where: { ExactText.same($0, label) }) { labels.append(label) }
        let none = word(.noLabel), gone = word(.notInBook), new = word(.newInBook)
        func index(_ label: String??) -> Int {
            switch label {
            case .none: return -1                       // not in that book
            case .some(.none): return labels.count       // in the book, no label
            case .some(.some(let l)): return labels.firstIndex { ExactText.same($0, l) } ?? labels.count
            }
        }
        // counts[from][to]: from 0…labels.count (none) and labels.count + 1 (new); to likewise, + 1 = gone.
        let size = labels.count + 2
        var counts = [[Int64]](repeating: [Int64](repeating: 0, count: size), count: size)
        var up = [Int64](repeating: 0, count: size), down = [Int64](repeating: 0, count: size)
        func rank(_ i: Int) -> Int? {
            guard i < c.dictionary.count, c.order != .unordered else { return nil }
            return c.order == .firstHighest ? c.dictionary.count - i : i
        }
        for (id, label) in before {
            let from = index(.some(label))
            let toIndex = after[id].map { index(.some($0)) } ?? labels.count + 1
            counts[from][toIndex] += 1
            if let a = rank(from), let b = rank(toIndex), a != b { if b > a { up[from] += 1 } else { down[from] += 1 } }
        }
        for (id, label) in after where before[id] == nil { counts[labels.count + 1][index(.some(label))] += 1 }

        let rowNames = labels + [none, new]
        let columnNames = labels + [none, gone]
        // Rows and columns that hold nobody (no one without a label, no one new) are left out.
        let rowsShown = rowNames.indices.filter { r in r < labels.count || counts[r].contains { $0 > 0 } }
        let columnsShown = columnNames.indices.filter { k in k < labels.count || counts.contains { $0[k] > 0 } }
        var result = [ResultColumns.text(word(.migrationCorner(date: CivilDate.format(date))), rowsShown.map { rowNames[$0] })]
        for k in columnsShown { result.append(ResultColumns.integer(columnNames[k], rowsShown.map { counts[$0][k] })) }
        if c.order != .unordered {
            result.append(ResultColumns.integer(word(.movedUp), rowsShown.map { $0 < c.dictionary.count ? up[$0] : nil }))
            result.append(ResultColumns.integer(word(.movedDown), rowsShown.map { $0 < c.dictionary.count ? down[$0] : nil }))
        }
        return ResultColumns.result(result, noun: "labels")
    }
}
