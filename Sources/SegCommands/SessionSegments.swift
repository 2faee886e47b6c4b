import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegSemantics
import SegEngine
import SegIO
// The statements that manage saved segments and derived fields: `save`, `drop` and `segments`.

extension Session {
    /// `save NAME`: writes the session's definition of NAME into the library file (replacing the
    /// file's definition of that name in place, or appending). Segments it uses must be saved too,
    /// so the file always stands on its own.
    mutating func save(_ name: Identifier, source: Source, output: Output) throws {
        let field = catalog.field(named: name.name)
        let segment = catalog.segment(named: name.name)
        let order = segment == nil && field == nil ? catalog.order(of: name.name) : nil
        guard let shown = segment?.name ?? field?.name ?? order?.field.name, let text = segment?.text ?? field?.text ?? order?.text else {
            throw unknownSegment(name, source: source)
        }
        guard let path = options.libraryPath else {
            throw SegError(.query, .command(.noLibraryToSave(shown)), source: source, range: name.range)
        }
        let lower = ExactText.nameKey(shown)
        var uses = segment.map { SegmentReferences.names(in: $0.query).map(\.name) } ?? []
        uses += fieldsUsed(by: Source(name: "", text: text))
        uses = uses.filter { catalog.tableIndex(named: $0) == nil && ExactText.nameKey($0) != lower }
        try SegmentLibrary(path: path).save(name: shown, definition: text, kind: field != nil ? "field" : order != nil ? "order" : nil) { saved in
            if let missing = uses.first(where: { !saved.contains(ExactText.nameKey($0)) }) {
                let message: CommandMessage = catalog.field(named: missing) != nil
                    ? .usesUnsavedField(shown, field: missing) : .usesUnsaved(shown, uses: missing)
                throw SegError(.query, .command(message), source: source, range: name.range)
            }
        }
        savedDefinitions[lower] = text
        if options.interactive {
            try output.write(Message.display(.saved(shown, path: path)).text(in: options.language) + "\n")
            try output.flush()
        }
    }

    /// The derived fields a definition's text names (by its words: a value spelled like a field
    /// counts too, which only asks for one more save).
    func fieldsUsed(by text: Source) -> [String] {
        var lexer = Lexer(text)
        var out: [String] = []
        while true {
            let token = lexer.next()
            if token.kind == .endOfInput { return out }
            guard token.kind == .identifier, let field = catalog.field(named: token.text(in: text)) else { continue }
            if !out.contains(where: { ExactText.same($0, field.name) }) { out.append(field.name) }
        }
    }

    /// `drop NAME`: forgets the segment in the session and removes it from the library file. A
    /// segment that others use is kept (dropping it would break them).
    mutating func drop(_ name: Identifier, source: Source, output: Output) throws {
        let lower = ExactText.nameKey(name.name)
        var users = catalog.segments.values
            .filter { ExactText.nameKey($0.name) != lower && SegmentReferences.names(in: $0.query).contains { ExactText.nameKey($0.name) == lower } }
            .map(\.name).sorted()
        if catalog.field(named: name.name) != nil {
            let definitions = catalog.segments.values.map { ($0.name, $0.text) } + catalog.fields.values.map { ($0.name, $0.text) }
            users = definitions.filter { ExactText.nameKey($0.0) != lower && fieldsUsed(by: Source(name: "", text: $0.1)).contains { ExactText.nameKey($0) == lower } }
                .map(\.0).sorted()
        }
        if let user = users.first, catalog.segment(named: name.name) != nil || catalog.field(named: name.name) != nil {
            let message: CommandMessage = catalog.field(named: name.name) != nil
                ? .dropUsedField(name.name, usedBy: user) : .dropUsed(name.name, usedBy: user)
            throw SegError(.query, .command(message), source: source, range: name.range)
        }
        let inSession = catalog.segment(named: name.name) != nil || catalog.field(named: name.name) != nil || catalog.order(of: name.name) != nil
        var inFile = false
        if catalog.tableIndex(named: name.name) == nil || catalog.order(of: name.name) != nil, let path = options.libraryPath {
            inFile = try SegmentLibrary(path: path).drop(name: name.name)
        }
        guard inSession || inFile else { throw unknownSegment(name, source: source) }
        catalog.segments.removeValue(forKey: lower)
        catalog.fields.removeValue(forKey: lower)
        catalog.orders.removeValue(forKey: lower)
        savedDefinitions.removeValue(forKey: lower)
        if options.interactive {
            try output.write(Message.display(.dropped(name.name)).text(in: options.language) + "\n")
            try output.flush()
        }
    }

    /// `segments`: each segment's name, current size, whether the library holds this definition,
    /// and the definition, sorted by name. A segment that cannot be evaluated on this book (a
    /// field it uses is missing) shows no size.
    /// Losing a database connection is an error, not a blank size.
    mutating func listSegments() throws -> ResultSet {
        let definitions = catalog.segments.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
        var sizes: [Int64?] = []
        for definition in definitions {
            let today = options.today
            guard let bound = try? learning({ catalog in
                var resolver = Resolver(catalog: catalog, today: today, source: definition.source)
                return try resolver.resolveSegment(definition, at: definition.query.range)
            }) else {
                sizes.append(nil)
                continue
            }
            do {
                sizes.append(Int64(try backend.count(bound, in: context())))
            } catch let error as SegError where error.kind == .query {
                sizes.append(nil)  // the backend refused it (a database whose table lost a field…)
            }
        }
        return ResultColumns.result([
            ResultColumns.text(word(.name), definitions.map(\.name)),
            ResultColumns.integer(word(.size), sizes),
            ResultColumns.boolean(word(.saved), definitions.map { def in savedDefinitions[ExactText.nameKey(def.name)].map { ExactText.same($0, def.text) } ?? false }),
            ResultColumns.text(word(.definition), definitions.map { $0.text.split(whereSeparator: \.isNewline).map {
                $0.trimmingLeadingSpaces() }.joined(separator: " ") }),
        ], noun: "segments")
    }
}

private extension Substring {
    func trimmingLeadingSpaces() -> Substring { drop { $0 == " " || $0 == "\t" } }
}
