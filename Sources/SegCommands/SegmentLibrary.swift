import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegSemantics
import SegEngine
import SegIO
// The segment library: a plain `.seg` file of `let NAME = QUERY` statements and comments
// (default ./segments.seg), loaded at start-up and edited by `save` and `drop`.
//
// Edits change the text, not a re-rendering of it, so comments, blank lines and order survive:
// - `save` of a name already in the file replaces exactly the bytes of that `let` statement
//   (indentation before it and a comment after it on the same line stay);
// - `save` of a new name appends `let NAME = QUERY` at the end of the file;
// - `drop` removes the statement's lines together with the comment lines directly above it (no
//   blank line between): those describe the segment. When another statement shares its line, only
//   the statement itself (and a `;` after it) is removed.
// Each edit holds an exclusive lock on `.NAME.lock` beside the file while it re-reads the file,
// applies the change to the text on disk now, and replaces the file atomically (AtomicFile), so
// two processes saving at once both keep their definitions.

/// The library file of saved segments.
public struct SegmentLibrary: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    /// The lock file beside the library: beside the file itself when `path` is a symbolic link,
    /// so that saves through the link and through the file take turns on one lock.
    func lockPath() throws -> String {
        let real = try AtomicFile.resolvedPath(path)
        let base = real.split(separator: "/").last.map(String.init) ?? real
        return AtomicFile.directory(of: real) + "/.\(base).lock"
    }

    /// Where snapshots of this library's segments are kept: `.seg/snapshots` beside the file.
    public var snapshotDirectory: String { AtomicFile.directory(of: path) + "/.seg/snapshots" }

    /// One `let` statement of the file: a segment, or a derived field (`let field`).
    struct Entry {
        var name: Identifier
        var query: Query?
        var field: FieldBody?
        /// `let order FIELD = …`: the order of a stored field's values.
        var order: FieldOrder?
        var range: SourceRange
    }

    /// Parses the library's text. Anything but `let` statements and comments is an error at its
    /// place (file:line and a caret), as are two definitions of one name and a cycle of segments.
    static func parse(_ source: Source) throws -> [Entry] {
        let (script, errors) = Parser.parse(source)
        if !errors.isEmpty { throw SegErrors(errors) }
        var entries: [Entry] = []
        var seen: [String: Identifier] = [:]
        for statement in script.statements {
            let entry: Entry
            switch statement {
            case .define(let name, let query, let range): entry = Entry(name: name, query: query, range: range)
            case .defineField(let name, let body, let range): entry = Entry(name: name, field: body, range: range)
            case .defineOrder(let field, let labels, let range):
                entry = Entry(name: field, order: FieldOrder(field: field, labels: labels, source: source, range: range), range: range)
            default:
                throw SegError(.query, .command(.libraryHoldsOnlyLets),
                               source: source, range: statement.range)
            }
            let name = entry.name
            if let first = seen[ExactText.nameKey(name.name)] {
                let line = source.location(of: first.range.start).line
                throw SegError(.query, .command(.definedTwice(name.name, firstLine: line)), source: source, range: name.range)
            }
            seen[ExactText.nameKey(name.name)] = name
            entries.append(entry)
        }
        try checkCycles(entries, source: source)
        return entries
    }

    /// A cycle among the file's segments is an error naming it (`a → b → a`) at the reference that closes it.
    static func checkCycles(_ entries: [Entry], source: Source) throws {
        // Keyed by `ExactText.nameKey`; `shown` has each key's lowercased name for the message.
        var references: [String: [Identifier]] = [:]
        var shown: [String: String] = [:]
        for e in entries {
            guard let query = e.query else { continue }  // a field's cycle is found where it is used
            references[ExactText.nameKey(e.name.name)] = SegmentReferences.names(in: query)
            shown[ExactText.nameKey(e.name.name)] = e.name.name.lowercased()
        }
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ name: String, _ path: [String]) throws {
            state[name] = 1
            for ref in references[name] ?? [] {
                let r = ExactText.nameKey(ref.name)
                guard references[r] != nil else { continue }
                if state[r] == 1 {
                    let start = path.firstIndex(of: r) ?? 0
                    if r == name {
                        throw SegError(.query, .command(.libraryDefinedByItself(ref.name)), source: source, range: ref.range)
                    }
                    throw SegError(.query, .command(.libraryCycle((path[start...] + [name, r]).map { shown[$0] ?? $0 })), source: source, range: ref.range)
                }
                if state[r] == nil { try visit(r, path + [name]) }
            }
            state[name] = 2
        }
        for e in entries where state[ExactText.nameKey(e.name.name)] == nil {
            try visit(ExactText.nameKey(e.name.name), [])
        }
    }

    /// The file's segments in file order; no file is an empty library.
    public func load() throws -> [SegmentDefinition] {
        try read().map(Self.definitions(in:)) ?? []
    }

    /// The file's text; nil when there is no file.
    public func read() throws -> Source? {
        try AtomicFile.read(path).map { try Self.source($0, path: path) }
    }

    /// The segments of a library's text (`read`), in file order.
    public static func definitions(in source: Source) throws -> [SegmentDefinition] {
        try parse(source).compactMap { e in e.query.map { SegmentDefinition(name: e.name.name, query: $0, source: source) } }
    }

    /// The derived fields (`let field`) of a library's text, in file order.
    public static func fields(in source: Source) throws -> [FieldDefinition] {
        try parse(source).compactMap { e in e.field.map { FieldDefinition(name: e.name.name, body: $0, source: source) } }
    }

    /// The orders of stored fields (`let order`) of a library's text, in file order.
    public static func orders(in source: Source) throws -> [FieldOrder] {
        try parse(source).compactMap(\.order)
    }

    static func source(_ bytes: [UInt8], path: String) throws -> Source {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SegError(.data, .command(.libraryNotUTF8(path: path)))
        }
        return Source(name: path, text: text)
    }

    /// Writes `let NAME = DEFINITION` into the file: in place of the statement of that name, or at
    /// the end. `check` sees the segment names in the file as it is now (as `ExactText.nameKey`s) and may refuse.
    /// `kind`: `field` for a derived field (`let field NAME = …`), `order` for a stored field's order.
    public func save(name: String, definition: String, kind: String? = nil, check: (Set<String>) throws -> Void) throws {
        try edit { text, entries in
            try check(Set(entries.map { ExactText.nameKey($0.name.name) }))
            let statement = "let " + (kind.map { $0 + " " } ?? "") + "\(name) = \(definition)"
            if let e = entries.first(where: { ExactText.sameName($0.name.name, name) }) {
                return Self.replace(text, e.range, with: statement)
            }
            var out = text
            if out.isEmpty {
                out = "-- Segments saved by seg: one 'let NAME = QUERY' (or 'let field NAME = …') each. Edit freely; seg keeps comments and order.\n\n"
            } else if !out.hasSuffix("\n") {
                out += "\n"
            }
            return out + statement + "\n"
        }
    }

    /// Removes the statement of `name` (see the file comment); false when the file does not have it.
    @discardableResult
    public func drop(name: String) throws -> Bool {
        var found = false
        try edit { text, entries in
            guard let e = entries.first(where: { ExactText.sameName($0.name.name, name) }) else { return nil }
            found = true
            return Self.remove(text, e.range)
        }
        return found
    }

    /// Under the lock: reads the file, asks `change` for the new text (nil: leave it), writes it.
    func edit(_ change: (String, [Entry]) throws -> String?) throws {
        try AtomicFile.withLock(try lockPath()) {
            let bytes = try AtomicFile.read(path) ?? []
            let source = try Self.source(bytes, path: path)
            let entries = try Self.parse(source)
            guard let updated = try change(source.text, entries) else { return }
            try AtomicFile.write(Array(updated.utf8), to: path)
        }
    }

    // MARK: - Text edits (byte offsets)

    static func replace(_ text: String, _ range: SourceRange, with new: String) -> String {
        let b = Array(text.utf8)
        return String(decoding: b[..<range.start] + Array(new.utf8) + b[range.end...], as: UTF8.self)
    }

    static func remove(_ text: String, _ range: SourceRange) -> String {
        let b = Array(text.utf8)
        let nl = UInt8(ascii: "\n")
        var lineStart = range.start
        while lineStart > 0 && b[lineStart - 1] != nl { lineStart -= 1 }
        var lineEnd = range.end
        while lineEnd < b.count && b[lineEnd] != nl { lineEnd += 1 }
        let before = String(decoding: b[lineStart..<range.start], as: UTF8.self)
        var after = String(decoding: b[range.end..<lineEnd], as: UTF8.self).trimmingLeadingSpace()
        if after.hasPrefix(";") { after = String(after.dropFirst()).trimmingLeadingSpace() }
        let alone = before.allSatisfy { $0 == " " || $0 == "\t" }
            && (after.isEmpty || after.hasPrefix("--") || after.hasPrefix("#"))
        guard alone else {
            // Another statement shares the line: cut just this one and a `;` after it.
            var end = range.end
            var k = end
            while k < b.count && (b[k] == UInt8(ascii: " ") || b[k] == UInt8(ascii: "\t")) { k += 1 }
            if k < b.count && b[k] == UInt8(ascii: ";") { end = k + 1 }
            return String(decoding: b[..<range.start] + b[end...], as: UTF8.self)
        }
        if lineEnd < b.count { lineEnd += 1 }  // the line break
        // Comment lines directly above belong to the statement.
        var start = lineStart
        while start > 0 {
            var prev = start - 1
            while prev > 0 && b[prev - 1] != nl { prev -= 1 }
            let line = String(decoding: b[prev..<(start - 1)], as: UTF8.self).trimmingLeadingSpace()
            guard line.hasPrefix("--") || line.hasPrefix("#") else { break }
            start = prev
        }
        return String(decoding: b[..<start] + b[lineEnd...], as: UTF8.self)
    }
}

private extension String {
    func trimmingLeadingSpace() -> String {
        String(drop { $0 == " " || $0 == "\t" || $0 == "\r" })
    }
}

/// The names of segments and tables a query reads (its sources and `in NAME` tests), in order.
enum SegmentReferences {
    static func names(in query: Query) -> [Identifier] {
        var out: [Identifier] = []
        collect(query, into: &out)
        return out
    }

    static func collect(_ query: Query, into out: inout [Identifier]) {
        collect(query.source, into: &out)
        if let c = query.condition { collect(c, into: &out) }
    }

    static func collect(_ source: SourceExpr, into out: inout [Identifier]) {
        switch source {
        case .name(let id): out.append(id)
        case .parenthesized(let q, _): collect(q, into: &out)
        case .setOperation(let first, let rest, _):
            collect(first, into: &out)
            for (_, term) in rest { collect(term, into: &out) }
        case .invalid: break
        }
    }

    static func collect(_ condition: Condition, into out: inout [Identifier]) {
        switch condition {
        case .and(let terms, _), .or(let terms, _): for t in terms { collect(t, into: &out) }
        case .not(let inner, _): collect(inner, into: &out)
        case .membership(let id, _): out.append(id)
        case .related(_, let rows, _): if let c = rows.condition { collect(c, into: &out) }
        case .predicate, .invalid: break
        }
    }
}
