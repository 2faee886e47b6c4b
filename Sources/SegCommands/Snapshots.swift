import Foundation
import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegSemantics
import SegEngine
import SegIO

// Snapshots of segments: `snapshot vip` records who is in `vip` today and the values of the fields
// its definition reads; `diff vip [since DATE]` compares the segment now with a snapshot, by id, so
// it works across books loaded from different files; `snapshots vip` lists them.
//
// Store: `.seg/snapshots/<segment>/<YYYY-MM-DD>.csv` beside the library file (folders 0700,
// files 0600, written atomically; a second snapshot on one day replaces the first). A file is CSV
// between comment lines, readable by people and by seg:
//
//   # seg snapshot v1 · vip · 2026-11-15 · 2 members
//   # definition: clients where tier in (vip, private) or assets >= 5m
//   # fields: tier, assets
//   id,name,tier,assets
//   C01,王伟,vip,1500000.00
//   C03,Wei Wang,private,8200000.00
//   # end · 2 members
//
// The end line and the member counts catch a truncated or edited file; anything unexpected is a
// "damaged snapshot" error naming the file and line, never a crash.

/// The members of a segment on one day, with the values of the fields its definition reads.
struct Snapshot {
    var segment: String
    var date: Int
    /// `id` first, then `name` when the table has one, then the fields the definition reads.
    var columns: [String]
    /// The fields the definition reads (a subset of `columns`); `diff` reports changes in these.
    var fields: [String]
    /// One row per member: each column's plain text (see `CellText.plain`), nil when missing.
    var rows: [[String?]]
    /// The segment's definition when the snapshot was taken, on one line (nil: not recorded).
    var definition: String? = nil
}

enum SnapshotFile {
    static let magic = "# seg snapshot v1 · "
    static let endMarker = "# end · "

    static func encode(_ s: Snapshot, definition: String) -> [UInt8] {
        var out = "\(magic)\(s.segment) · \(CivilDate.format(s.date)) · \(s.rows.count) members\n"
        let oneLine = definition.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        out += "# definition: \(oneLine)\n"
        out += "# fields: \(s.fields.joined(separator: ", "))\n"
        out += s.columns.map { field($0) }.joined(separator: ",") + "\n"
        for row in s.rows {
            out += row.map { $0.map(field) ?? "" }.joined(separator: ",") + "\n"
        }
        out += "\(endMarker)\(s.rows.count) members\n"
        return Array(out.utf8)
    }

    /// A CSV field: quoted when it holds a separator, quote or line break, starts with `#` (it would
    /// read as a comment line) or is present but empty.
    static func field(_ s: String) -> String {
        if s.isEmpty || s.hasPrefix("#") || s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// The member count in the first line, or nil when the line is not a snapshot header.
    static func memberCount(firstLine: String) -> Int? {
        guard firstLine.hasPrefix(magic) else { return nil }
        let parts = firstLine.components(separatedBy: " · ")
        guard parts.count == 4, let count = Int(parts[3].split(separator: " ").first ?? "") else { return nil }
        return count
    }

    static func decode(_ bytes: [UInt8], path: String, segment: String, date: Int) throws -> Snapshot {
        var line = 1
        func damaged(_ what: SnapshotDamage) -> SegError {
            SegError(.data, .command(.damagedSnapshot(what, segment: segment)), fileLocation: "\(path):\(line)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            line = 1
            throw damaged(.notUTF8)
        }
        let b = Array(text.utf8)
        var i = 0
        func readLine() -> String {
            let start = i
            while i < b.count && b[i] != 0x0A { i += 1 }
            var end = i
            if end > start && b[end - 1] == 0x0D { end -= 1 }
            if i < b.count { i += 1 }
            return String(decoding: b[start..<end], as: UTF8.self)
        }
        func readRecord() throws -> [String?] {
            var l = line
            defer { line = l }
            do {
                return try record(b, &i, line: &l)
            } catch {
                line = l
                throw damaged(error.damage)
            }
        }
        // `line` is the number of the line being read.
        guard let declared = memberCount(firstLine: readLine()) else {
            throw damaged(.notASnapshot)
        }
        line += 1
        var fields: [String]?
        var definition: String?
        while i < b.count && b[i] == UInt8(ascii: "#") {
            let comment = readLine()
            if comment.hasPrefix("# definition: ") { definition = String(comment.dropFirst("# definition: ".count)) }
            if comment.hasPrefix("# fields: ") {
                fields = comment.dropFirst("# fields: ".count).split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            line += 1
        }
        guard i < b.count else { throw damaged(.truncatedBeforeHeader) }
        let header = try readRecord().map { $0 ?? "" }
        guard header.first == "id" else { throw damaged(.headerWithoutID) }
        line += 1
        var rows: [[String?]] = []
        while true {
            guard i < b.count else { throw damaged(.truncatedBeforeEnd) }
            if b[i] == UInt8(ascii: "#") {
                let end = readLine()
                guard end.hasPrefix(endMarker), let n = Int(end.dropFirst(endMarker.count).split(separator: " ").first ?? "") else {
                    throw damaged(.unexpectedComment)
                }
                guard n == declared, n == rows.count else {
                    throw damaged(.memberCount(holds: rows.count, says: n == declared ? n : declared))
                }
                line += 1
                while i < b.count {
                    guard b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x20 else {
                        throw damaged(.textAfterEnd)
                    }
                    if b[i] == 0x0A { line += 1 }
                    i += 1
                }
                break
            }
            let row = try readRecord()
            if i >= b.count && b.last != 0x0A {
                throw damaged(.truncatedInRow)
            }
            guard row.count == header.count else {
                throw damaged(.rowWidth(fields: row.count, header: header.count))
            }
            rows.append(row)
            line += 1
        }
        let known = fields?.filter { header.contains($0) } ?? Array(header.dropFirst())
        return Snapshot(segment: segment, date: date, columns: header, fields: known, rows: rows, definition: definition)
    }

    /// One CSV record starting at `i`; an unquoted empty field is missing (nil). `line` counts
    /// line breaks inside quoted fields.
    static func record(_ b: [UInt8], _ i: inout Int, line: inout Int) throws(RecordFailure) -> [String?] {
        func damaged(_ damage: SnapshotDamage) -> RecordFailure { RecordFailure(damage: damage) }
        var fields: [String?] = []
        while true {
            if i < b.count && b[i] == 0x22 {  // quoted
                i += 1
                var value: [UInt8] = []
                while true {
                    guard i < b.count else { throw damaged(.unclosedQuote) }
                    if b[i] == 0x22 {
                        if i + 1 < b.count && b[i + 1] == 0x22 { value.append(0x22); i += 2; continue }
                        i += 1
                        break
                    }
                    if b[i] == 0x0A { line += 1 }
                    value.append(b[i])
                    i += 1
                }
                fields.append(String(decoding: value, as: UTF8.self))
            } else {
                let start = i
                while i < b.count && b[i] != 0x2C && b[i] != 0x0A && b[i] != 0x0D {
                    if b[i] == 0x22 { throw damaged(.quoteInUnquotedField) }
                    i += 1
                }
                fields.append(i == start ? nil : String(decoding: b[start..<i], as: UTF8.self))
            }
            if i < b.count && b[i] == 0x2C { i += 1; continue }
            if i < b.count && b[i] == 0x0D { i += 1 }
            if i < b.count && b[i] == 0x0A { i += 1; return fields }
            if i >= b.count { return fields }
            throw damaged(.textAfterQuote)
        }
    }
}

/// What is wrong with a snapshot's CSV record.
struct RecordFailure: Error {
    var damage: SnapshotDamage
}

/// The snapshot files of one library.
struct SnapshotStore {
    var directory: String

    func folder(_ segment: String) -> String { "\(directory)/\(segment.lowercased())" }

    func path(_ segment: String, date: Int) -> String { "\(folder(segment))/\(CivilDate.format(date)).csv" }

    /// The stored snapshot dates of a segment, oldest first.
    func dates(_ segment: String) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder(segment))) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasSuffix(".csv"), !name.hasPrefix(".") else { return nil }
            return CivilDate.parse(String(name.dropLast(4)))
        }.sorted()
    }

    func write(_ snapshot: Snapshot, definition: String) throws {
        try AtomicFile.makeDirectories(folder(snapshot.segment))
        try AtomicFile.write(SnapshotFile.encode(snapshot, definition: definition), to: path(snapshot.segment, date: snapshot.date))
    }

    func read(_ segment: String, date: Int) throws -> Snapshot {
        let p = path(segment, date: date)
        guard let bytes = try AtomicFile.read(p) else {
            throw SegError(.io, .file(.failed(.open, path: p, reason: FileMessage.reason(ENOENT))))
        }
        return try SnapshotFile.decode(bytes, path: p, segment: segment, date: date)
    }

    /// The member count written in a snapshot's first line (nil when unreadable).
    func memberCount(_ segment: String, date: Int) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path(segment, date: date)) else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 512)) ?? Data()
        let first = String(decoding: head.prefix { $0 != 0x0A }, as: UTF8.self)
        return SnapshotFile.memberCount(firstLine: first)
    }
}

extension Session {
    /// The snapshot store beside the library; an error when no library is open.
    func snapshotStore(for command: String, source: Source, range: SourceRange) throws -> SnapshotStore {
        guard let path = options.libraryPath else {
            throw SegError(.query, .command(.noLibraryForSnapshots(command: command)),
                           source: source, range: range)
        }
        return SnapshotStore(directory: SegmentLibrary(path: path).snapshotDirectory)
    }

    /// `snapshot NAME`: writes today's members of the segment and the fields its definition reads.
    /// A snapshot of a definition the library does not hold could never be diffed in a later run.
    func requireSaved(_ name: String, text: String, source: Source, range: SourceRange) throws {
        switch savedDefinitions[ExactText.nameKey(name)] {
        case nil:
            throw SegError(.query, .command(.snapshotOfUnsaved(name, changed: false)), source: source, range: range)
        case let saved? where saved != text:
            throw SegError(.query, .command(.snapshotOfUnsaved(name, changed: true)), source: source, range: range)
        default:
            break
        }
    }

    func takeSnapshot(_ name: Identifier, source: Source) throws -> Snapshot {
        guard let segment = catalog.segment(named: name.name) else { throw unknownSegment(name, source: source) }
        let store = try snapshotStore(for: "snapshot", source: source, range: name.range)
        try requireSaved(segment.name, text: segment.text, source: source, range: name.range)
        var resolver = Resolver(catalog: catalog, today: options.today, source: source)
        let bound = try resolver.resolveSegment(segment, at: name.range)
        let table = catalog.tables[bound.tableIndex]
        let key = try clientKey(table, forSnapshots: true, source: source, range: name.range).displayName
        let fields = Self.fieldNames(bound).filter { !ExactText.sameName($0, key) }
        var columns = [key]
        if let nameColumn = table.column(named: "name") { columns.append(nameColumn.name) }
        for f in fields where !columns.contains(f) { columns.append(f) }
        let rows = try memberRows(bound, columns: columns)
        // The file names the key 'id' whatever the table calls it.
        let snapshot = Snapshot(segment: segment.name, date: options.today, columns: ["id"] + columns.dropFirst(), fields: fields, rows: rows)
        try store.write(snapshot, definition: segment.text)
        return snapshot
    }

    /// `snapshots NAME`: date, members and file of each stored snapshot.
    func listSnapshots(_ name: Identifier, source: Source) throws -> ResultSet {
        let store = try snapshotStore(for: "snapshots", source: source, range: name.range)
        let dates = store.dates(name.name)
        if dates.isEmpty, catalog.segment(named: name.name) == nil, catalog.field(named: name.name) == nil {
            throw unknownSegment(name, source: source)
        }
        return ResultColumns.result([
            ResultColumns.date(word(.date), dates),
            ResultColumns.integer(word(.members), dates.map { store.memberCount(name.name, date: $0).map(Int64.init) }),
            ResultColumns.text(word(.file), dates.map { ".seg/snapshots/\(name.name.lowercased())/\(CivilDate.format($0)).csv" }),
        ], noun: "snapshots")
    }

    /// `diff NAME [since DATE]`: who entered and left the segment since the latest snapshot (on or
    /// before DATE), and how the fields of its definition changed, matched by id.
    func diff(_ name: Identifier, since: Int?, source: Source) throws -> ResultSet {
        guard let segment = catalog.segment(named: name.name) else { throw unknownSegment(name, source: source) }
        let store = try snapshotStore(for: "diff", source: source, range: name.range)
        let dates = store.dates(segment.name)
        guard let first = dates.first else {
            throw SegError(.query, .command(.noSnapshotYet(segment.name)), source: source, range: name.range)
        }
        guard let date = dates.last(where: { $0 <= since ?? Int.max }) else {
            throw SegError(.query, .command(.noSnapshotBefore(segment.name, date: CivilDate.format(since ?? 0), first: CivilDate.format(first))),
                           source: source, range: name.range)
        }
        let snapshot = try store.read(segment.name, date: date)

        var resolver = Resolver(catalog: catalog, today: options.today, source: source)
        let bound = try resolver.resolveSegment(segment, at: name.range)
        let table = catalog.tables[bound.tableIndex]
        let key = try clientKey(table, forSnapshots: true, source: source, range: name.range)
        // Ids match byte for byte (ExactText), values too: an NFC id and an NFD id are two clients.
        var snapshotRow: [ExactKey: Int] = [:]
        for (k, row) in snapshot.rows.enumerated() { if let id = row[0], snapshotRow[ExactKey(id)] == nil { snapshotRow[ExactKey(id)] = k } }

        // The compared fields: those of the snapshot's definition that the book still has.
        let compared: [(index: Int, column: Column)] = snapshot.fields.compactMap { f in
            guard let k = snapshot.columns.firstIndex(of: f), let c = table.column(named: f) else { return nil }
            return (k, c)
        }
        let nameColumn = table.column(named: "name")
        let book = try current(bound, key: key, compared: compared.map(\.column), snapshotIds: Array(snapshotRow.keys))

        func normalized(_ s: String?, _ c: Column) -> String? {
            guard let s else { return nil }
            if c.type.isNumeric { return CellText.normalizedNumber(s) }
            if c.type == .tags { return s.split(separator: ";").map(String.init).sorted().joined(separator: ";") }
            return s
        }
        let masks = options.masks
        func shown(_ s: String?, _ c: Column) -> String {
            guard let s else { return word(.emptyValue) }
            if let rule = masks.rule(for: c.name) { return rule.apply(s) }
            return c.type.isNumeric ? CellText.grouped(s) : s
        }
        func changes(snapshotIndex k: Int, now: CurrentClient) -> [String] {
            compared.enumerated().compactMap { j, f in
                let old = snapshot.rows[k][f.index]
                let new = now.values[j]
                let (a, b) = (normalized(old, f.column), normalized(new, f.column))
                guard a.map(ExactKey.init) != b.map(ExactKey.init) else { return nil }
                return "\(f.column.name): \(shown(old, f.column)) → \(shown(new, f.column))"
            }
        }

        let snapshotName = snapshot.columns.firstIndex { $0.lowercased() == "name" }
        var change: [String] = [], idOut: [String] = [], names: [String?] = [], details: [String] = []
        func add(_ kind: String, _ id: String, now: CurrentClient?, snapshotIndex: Int?, _ detail: String) {
            change.append(kind)
            idOut.append(id)
            if nameColumn != nil, let now { names.append(now.name) }
            else { names.append(snapshotIndex.flatMap { k in snapshotName.flatMap { snapshot.rows[k][$0] } }) }
            details.append(detail)
        }
        for member in book.members {
            guard snapshotRow[ExactKey(member.id)] == nil else { continue }
            let now = compared.enumerated().map { j, f in "\(f.column.name): \(shown(member.values[j], f.column))" }
            add(word(.entered), member.id, now: member, snapshotIndex: nil, now.joined(separator: "; "))
        }
        for (k, row) in snapshot.rows.enumerated() {
            guard let id = row[0], snapshotRow[ExactKey(id)] == k else { continue }
            guard let now = book.others[ExactKey(id)] else {
                if !book.memberIds.contains(ExactKey(id)) { add(word(.left), id, now: nil, snapshotIndex: k, word(.noLongerInBook)) }
                continue
            }
            let diffs = changes(snapshotIndex: k, now: now)
            add(word(.left), id, now: now, snapshotIndex: k, diffs.isEmpty ? word(.noFieldChanged) : diffs.joined(separator: "; "))
        }
        for member in book.members {
            guard let k = snapshotRow[ExactKey(member.id)] else { continue }
            let diffs = changes(snapshotIndex: k, now: member)
            if !diffs.isEmpty { add(word(.changed), member.id, now: member, snapshotIndex: k, diffs.joined(separator: "; ")) }
        }
        // The definition changed since the snapshot: the first row says so, so that entries and
        // exits caused by the new definition are not read as the clients' own changes.
        let now = segment.text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        let definitionChanged = snapshot.definition.map { $0 != now } ?? false
        if definitionChanged, let was = snapshot.definition {
            change.insert(word(.definitionRow), at: 0)
            idOut.insert("", at: 0)
            names.insert(nil, at: 0)
            details.insert(Message.command(.definitionChanged(was: was, now: now)).text(in: options.language), at: 0)
        }
        if let nameRule = masks.rule(for: nameColumn?.name ?? "name") { names = names.map { $0.map(nameRule.apply) } }
        if let idRule = masks.rule(for: "id") { idOut = idOut.map { $0.isEmpty ? $0 : idRule.apply($0) } }
        var columns = [ResultColumns.text(word(.change), change), ResultColumns.text("id", idOut)]
        if nameColumn != nil || snapshotName != nil { columns.append(ResultColumns.text(nameColumn?.name ?? "name", names)) }
        columns.append(ResultColumns.text(word(.details), details))
        var result = ResultColumns.result(columns, noun: "changes")
        // The definition row says why clients may have moved; it is not a client's change.
        if definitionChanged { result.noteRows = 1 }
        return result
    }

    /// One client as the book has it now: id, name (as displayed) and the compared fields (plain).
    struct CurrentClient {
        var id: String
        var name: String?
        var values: [String?]
    }

    /// The book's side of a diff: the segment's members in row order, and the clients of the
    /// snapshot that are in the book but no longer in the segment, by id.
    struct CurrentBook {
        var members: [CurrentClient]
        var memberIds: Set<ExactKey>
        var others: [ExactKey: CurrentClient]
    }

    /// The members with the compared fields, then (in as many queries as the backend needs) the
    /// snapshot's other clients that the table still holds; the first row with an id decides.
    func current(_ bound: BoundQuery, key: ValueExpr, compared: [Column], snapshotIds: [ExactKey]) throws -> CurrentBook {
        let table = catalog.tables[bound.tableIndex]
        var columns = [key.displayName]
        let nameColumn = table.column(named: "name")
        if let nameColumn { columns.append(nameColumn.name) }
        columns += compared.map(\.name)
        let nameType = nameColumn?.type ?? .text
        func client(_ row: [String?]) -> CurrentClient {
            CurrentClient(id: row.first.flatMap { $0 } ?? "",
                          name: nameColumn == nil ? nil : CellText.display(text: row[1], type: nameType),
                          values: Array(row[(columns.count - compared.count)...]))
        }
        let members = try memberRows(bound, columns: columns).map(client)
        let memberIds = Set(members.map { ExactKey($0.id) })
        let wanted = snapshotIds.filter { !memberIds.contains($0) }.map(\.text).sorted { Bytes.less($0, $1) }
        var others: [ExactKey: CurrentClient] = [:]
        let exprs = try columns.map { try fieldExpr($0, table: bound.tableIndex) }
        var start = 0
        while start < wanted.count {
            let batch = Array(wanted[start..<min(wanted.count, start + backend.keysPerQuery)])
            start += batch.count
            let q = BoundQuery(tableIndex: bound.tableIndex, source: .table(bound.tableIndex), condition: .keyIn(key, batch),
                               mode: .list(columns: exprs), sort: [], limit: nil)
            for row in try backend.rows(q, in: context()) {
                let c = client(row)
                if others[ExactKey(c.id)] == nil { others[ExactKey(c.id)] = c }
            }
        }
        return CurrentBook(members: members, memberIds: memberIds, others: others)
    }

    /// A column of `table` as a value expression.
    func fieldExpr(_ name: String, table: Int) throws -> ValueExpr {
        let t = catalog.tables[table]
        guard let i = t.columnIndex(named: name) else { throw SegError(.internal, .internal("no column '\(name)' in '\(t.name)'")) }
        return .field(index: i, name: t.columns[i].name, type: t.columns[i].type)
    }

    /// The segment's members in row order, with `columns` as `CellText.plain` gives them.
    func memberRows(_ bound: BoundQuery, columns: [String]) throws -> [[String?]] {
        let exprs = try columns.map { try fieldExpr($0, table: bound.tableIndex) }
        var q = bound
        if bound.limit != nil {
            // Which rows a limit keeps depends on the sort: take them as the segment does.
            q.source = .query(bound, name: nil)
            q.condition = nil
            q.limit = nil
        }
        q.mode = .list(columns: exprs)
        q.sort = []
        return try backend.rows(q, in: context())
    }

    /// The fields a segment's definition reads (conditions, sort keys, and the segments it uses), in order.
    static func fieldNames(_ query: BoundQuery) -> [String] {
        var out: [String] = []
        func expr(_ e: ValueExpr) {
            for case .field(_, let name, _) in e.fields where !out.contains(name) { out.append(name) }
        }
        func source(_ s: BoundSource) {
            switch s {
            case .table: break
            case .query(let q, _): visit(q)
            case .setOperation(let first, let rest):
                source(first)
                for (_, term) in rest { source(term) }
            }
        }
        func condition(_ c: BoundCondition) {
            switch c {
            case .and(let terms), .or(let terms): terms.forEach(condition)
            case .not(let inner): condition(inner)
            case .test(let e, _), .isEmpty(let e, _), .keyIn(let e, _): expr(e)
            case .compareValues(let a, _, let b): expr(a); expr(b)
            case .member(let s): source(s)
            }
        }
        func visit(_ q: BoundQuery) {
            source(q.source)
            if let c = q.condition { condition(c) }
            for key in q.sort { if case .value(let e) = key.target { expr(e) } }
        }
        visit(query)
        return out
    }
}
