import SegBase
import SegStore
// Links between tables: a child table's field names a row of a parent table by its key
// (`holdings.client_id` → `clients.id`, `clients.manager` → `managers.manager`). A link is
// declared (`--link holdings.client_id=clients.id`) or found by name; the child → parent row
// index is built once per link, here, by hashing the parent's keys, and every related condition
// and every `client.…` value reads it (no nested loops). A child row whose key is in no parent
// row is kept and counted (`dangling`), never silently dropped.

/// One link from a child table's field to a parent table's key.
public struct TableLink: Sendable {
    /// How a child row names its parent row: the field without `_id` (`client`, `manager`).
    public var name: String
    public var child: Int
    public var childField: String
    public var parent: Int
    public var parentKey: String
    /// For each child row, its parent row; -1 where the key is missing or names no parent row.
    /// Empty when the tables' rows are not in memory (a database).
    public var parentRow: [Int32]
    /// Child rows with a key that names no parent row.
    public var dangling: Int
    public var declared: Bool

    public init(name: String, child: Int, childField: String, parent: Int, parentKey: String, parentRow: [Int32],
                dangling: Int, declared: Bool) {
        self.name = name
        self.child = child
        self.childField = childField
        self.parent = parent
        self.parentKey = parentKey
        self.parentRow = parentRow
        self.dangling = dangling
        self.declared = declared
    }
}

/// A `--link CHILD.FIELD=PARENT.KEY` as written.
public struct LinkSpec: Sendable, Equatable {
    public var child: String, field: String, parent: String, key: String

    public init(child: String, field: String, parent: String, key: String) {
        self.child = child
        self.field = field
        self.parent = parent
        self.key = key
    }

    public init(argument: String) throws {
        let sides = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let parts = sides.map { $0.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init) }
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && !$0[0].isEmpty && !$0[1].isEmpty }) else {
            throw SegError(.usage, .data(.linkSpec(argument)))
        }
        self.init(child: parts[0][0], field: parts[0][1], parent: parts[1][0], key: parts[1][1])
    }
}

public enum Links {
    /// The links among `tables`: those declared, then those found by name for fields no
    /// declaration covers. Throws for a declaration naming no table or field (with "did you mean")
    /// or a parent key that repeats a value; a link found by name over such a key is left out
    /// with a note instead. Notes also count dangling keys.
    public static func build(_ tables: [Table], declared: [LinkSpec]) throws -> (links: [TableLink], notes: [DataMessage]) {
        var links: [TableLink] = []
        var notes: [DataMessage] = []
        let names = tables.map(\.name)
        for spec in declared {
            guard let c = tables.firstIndex(where: { ExactText.sameName($0.name, spec.child) }) else {
                throw SegError(.usage, .data(.linkUnknownTable(spec.child, suggestion: Suggest.closest(to: spec.child, among: names))))
            }
            guard let p = tables.firstIndex(where: { ExactText.sameName($0.name, spec.parent) }) else {
                throw SegError(.usage, .data(.linkUnknownTable(spec.parent, suggestion: Suggest.closest(to: spec.parent, among: names))))
            }
            guard c != p else { throw SegError(.usage, .data(.linkToItself(tables[c].name))) }
            for (t, field) in [(c, spec.field), (p, spec.key)] where tables[t].columnIndex(named: field) == nil {
                let fields = tables[t].columns.map(\.name) + tables[t].unloadedColumns
                throw SegError(.usage, .data(.linkUnknownField(field, table: tables[t].name,
                                                               suggestion: Suggest.closest(to: field, among: fields))))
            }
            let (made, problem) = link(tables, child: c, field: spec.field, parent: p, key: spec.key, declared: true)
            if let problem { throw SegError(.data, .data(problem)) }
            if let made {
                links.removeAll { $0.child == c && ExactText.sameName($0.childField, made.childField) }
                links.append(made)
            }
        }
        for (c, table) in tables.enumerated() {
            for column in table.columns where !links.contains(where: { $0.child == c && ExactText.sameName($0.childField, column.name) }) {
                guard let (p, key) = detect(column.name, in: tables, child: c) else { continue }
                let (made, problem) = link(tables, child: c, field: column.name, parent: p, key: key, declared: false)
                if let made { links.append(made) }
                if let problem { notes.append(problem) }
            }
        }
        for l in links where l.dangling > 0 {
            notes.append(.danglingKeys(child: tables[l.child].name, field: l.childField, parent: tables[l.parent].name,
                                       key: l.parentKey, rows: l.dangling, of: tables[l.child].rowCount))
        }
        return (links, notes)
    }

    /// The parent a field names by its spelling: `client_id` → table `clients` (or `client`) by its
    /// `id`; `manager` → table `managers` by its field `manager` (or `id`).
    static func detect(_ field: String, in tables: [Table], child: Int) -> (Int, String)? {
        let lower = field.lowercased()
        let base = lower.hasSuffix("_id") ? String(lower.dropLast(3)) : lower
        guard !base.isEmpty else { return nil }
        for (p, table) in tables.enumerated() where p != child {
            let name = table.name.lowercased()
            guard name == base || name == base + "s" || name == base + "es" else { continue }
            if lower.hasSuffix("_id"), table.columnIndex(named: "id") != nil { return (p, "id") }
            if !lower.hasSuffix("_id") {
                if table.columnIndex(named: field) != nil { return (p, field) }
                if table.columnIndex(named: "id") != nil { return (p, "id") }
            }
        }
        return nil
    }

    /// The name a child row calls its parent by: the field without `_id`.
    public static func linkName(_ field: String) -> String {
        field.lowercased().hasSuffix("_id") && field.count > 3 ? String(field.dropLast(3)) : field
    }

    // MARK: - The row index

    static func link(_ tables: [Table], child c: Int, field: String, parent p: Int, key: String,
                     declared: Bool) -> (TableLink?, DataMessage?) {
        let childTable = tables[c], parentTable = tables[p]
        guard let ci = childTable.columnIndex(named: field), let pi = parentTable.columnIndex(named: key) else {
            return (nil, .internalError("a link to a field that is not loaded"))
        }
        let childName = childTable.columns[ci].name, keyName = parentTable.columns[pi].name
        let index = KeyIndex(parentTable.columns[pi])
        if let (a, b) = index.repeated {
            return (nil, .keyNotUnique(table: parentTable.name, field: keyName, rows: (a + 2, b + 2), declared: declared))
        }
        let (rows, dangling) = index.lookup(childTable.columns[ci])
        return (TableLink(name: linkName(childName), child: c, childField: childName, parent: p, parentKey: keyName,
                          parentRow: rows, dangling: dangling, declared: declared), nil)
    }
}

/// A hash index of a key column's values (as their text: 42 and "42" are one key), with open
/// addressing over row numbers. Tuned: keys are hashed from their bytes, never made into Strings.
struct KeyIndex {
    let keys: KeyBytes
    var slots: [Int32]
    let mask: Int
    /// Two rows holding one key, when the key repeats.
    var repeated: (Int, Int)?

    init(_ column: Column) {
        keys = KeyBytes(column)
        var capacity = 16
        while capacity < column.count * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for row in 0..<column.count where column.isPresent(row) {
            var h = keys.hash(row) & mask
            while slots[h] >= 0 {
                if keys.equal(Int(slots[h]), keys, row) {
                    if repeated == nil { repeated = (Int(slots[h]), row) }
                    break
                }
                h = (h + 1) & mask
            }
            if slots[h] < 0 { slots[h] = Int32(row) }
        }
    }

    /// Each row's parent row (-1: none) and how many present keys found none.
    func lookup(_ column: Column) -> ([Int32], Int) {
        let other = KeyBytes(column)
        var out = [Int32](repeating: -1, count: column.count)
        var dangling = 0
        // A category's values are looked up once each.
        var perCode: [Int32]? = nil
        if case .category(_, let dictionary) = column.data {
            perCode = dictionary.indices.map { find(other, code: $0) }
        }
        for row in 0..<column.count where column.isPresent(row) {
            let found: Int32
            if let perCode, case .category(let codes, _) = column.data { found = perCode[Int(codes[row])] } else { found = find(other, row: row) }
            out[row] = found
            if found < 0 { dangling += 1 }
        }
        return (out, dangling)
    }

    private func find(_ other: KeyBytes, row: Int) -> Int32 {
        var h = other.hash(row) & mask
        while slots[h] >= 0 {
            if keys.equal(Int(slots[h]), other, row) { return slots[h] }
            h = (h + 1) & mask
        }
        return -1
    }

    private func find(_ other: KeyBytes, code: Int) -> Int32 {
        guard case .category(_, let dictionary) = other.storage else { return -1 }
        let probe = KeyBytes(Column(name: "", data: .text({ var b = TextBuffer(); b.append(dictionary[code]); return b }()),
                                    validity: nil, count: 1))
        return find(probe, row: 0)
    }
}

/// A key column's values as bytes: text as stored, categories by their dictionary entry, other
/// types by their CSV text.
struct KeyBytes {
    enum Storage {
        case text(TextBuffer)
        case category([UInt32], [String])
    }
    let storage: Storage
    let dictionaryBytes: [[UInt8]]

    init(_ column: Column) {
        switch column.data {
        case .text(let buffer):
            storage = .text(buffer); dictionaryBytes = []
        case .category(let codes, let dictionary):
            storage = .category(codes, dictionary); dictionaryBytes = dictionary.map { Array($0.utf8) }
        default:
            var buffer = TextBuffer()
            for text in CellText.ids(column) { buffer.append(text) }
            storage = .text(buffer); dictionaryBytes = []
        }
    }

    @inline(__always)
    func bytes<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        switch storage {
        case .text(let buffer):
            return buffer.bytes.withUnsafeBufferPointer { all in
                body(UnsafeBufferPointer(rebasing: all[buffer.offsets[row]..<buffer.offsets[row + 1]]))
            }
        case .category(let codes, _):
            return dictionaryBytes[Int(codes[row])].withUnsafeBufferPointer(body)
        }
    }

    /// FNV-1a over the bytes, with a final mix.
    func hash(_ row: Int) -> Int {
        bytes(row) { b in
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in b { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            h ^= h >> 29
            return Int(truncatingIfNeeded: h & 0x7FFF_FFFF_FFFF_FFFF)
        }
    }

    func equal(_ row: Int, _ other: KeyBytes, _ otherRow: Int) -> Bool {
        bytes(row) { a in other.bytes(otherRow) { b in a.count == b.count && memcmpEqual(a, b) } }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
}
