import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegSemantics
import SegEngine
import SegIO
// The statements that manage saved segments: `save`, `drop` and `segments`.

extension Session {
    /// `save NAME`: writes the session's definition of NAME into the library file (replacing the
    /// file's definition of that name in place, or appending). Segments it uses must be saved too,
    /// so the file always stands on its own.
    mutating func save(_ name: Identifier, source: Source, output: Output) throws {
        guard let segment = catalog.segment(named: name.name) else { throw unknownSegment(name, source: source) }
        guard let path = options.libraryPath else {
            throw SegError(.query, .command(.noLibraryToSave(segment.name)), source: source, range: name.range)
        }
        let lower = ExactText.nameKey(segment.name)
        let uses = SegmentReferences.names(in: segment.query).filter {
            catalog.tableIndex(named: $0.name) == nil && ExactText.nameKey($0.name) != lower
        }
        try SegmentLibrary(path: path).save(name: segment.name, definition: segment.text) { saved in
            if let missing = uses.first(where: { !saved.contains(ExactText.nameKey($0.name)) }) {
                throw SegError(.query, .command(.usesUnsaved(segment.name, uses: missing.name)),
                               source: source, range: name.range)
            }
        }
        savedDefinitions[lower] = segment.text
        if options.interactive {
            try output.write(Message.display(.saved(segment.name, path: path)).text(in: options.language) + "\n")
            try output.flush()
        }
    }

    /// `drop NAME`: forgets the segment in the session and removes it from the library file. A
    /// segment that others use is kept (dropping it would break them).
    mutating func drop(_ name: Identifier, source: Source, output: Output) throws {
        let lower = ExactText.nameKey(name.name)
        let users = catalog.segments.values
            .filter { ExactText.nameKey($0.name) != lower && SegmentReferences.names(in: $0.query).contains { ExactText.nameKey($0.name) == lower } }
            .map(\.name).sorted()
        if let user = users.first, catalog.segment(named: name.name) != nil {
            throw SegError(.query, .command(.dropUsed(name.name, usedBy: user)),
                           source: source, range: name.range)
        }
        let inSession = catalog.segment(named: name.name) != nil
        var inFile = false
        if catalog.tableIndex(named: name.name) == nil, let path = options.libraryPath {
            inFile = try SegmentLibrary(path: path).drop(name: name.name)
        }
        guard inSession || inFile else { throw unknownSegment(name, source: source) }
        catalog.segments.removeValue(forKey: lower)
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
    func listSegments() throws -> ResultSet {
        let definitions = catalog.segments.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
        var sizes: [Int64?] = []
        for definition in definitions {
            var resolver = Resolver(catalog: catalog, today: options.today, source: definition.source)
            guard let bound = try? resolver.resolveSegment(definition, at: definition.query.range) else {
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
            ResultColumns.text("name", definitions.map(\.name)),
            ResultColumns.integer("size", sizes),
            ResultColumns.boolean("saved", definitions.map { def in savedDefinitions[ExactText.nameKey(def.name)].map { ExactText.same($0, def.text) } ?? false }),
            ResultColumns.text("definition", definitions.map { $0.text.split(whereSeparator: \.isNewline).map {
                $0.trimmingLeadingSpaces() }.joined(separator: " ") }),
        ], noun: "segments")
    }
}

private extension Substring {
    func trimmingLeadingSpaces() -> Substring { drop { $0 == " " || $0 == "\t" } }
}
