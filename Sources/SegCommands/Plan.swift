import SegBase
import SegSyntax
import SegStore
import SegSemantics
import SegEngine
import SegIO
// The call plan (名单制管理): named rules, each a condition on the clients with a priority and a
// reason, kept in a plan file (`plan.seg` beside the segment library, or `--plan FILE`):
//
//   -- 每日联系计划
//   rule birthday  priority 1 reason "生日"       where anniversary(birthday) in next 7 days
//   rule vip_quiet priority 2 reason "90天未联系" where tier in (vip, private) and last_contact before 90 days ago
//
// `seg plan` then writes one call list per manager: each client once, with the reasons of every
// rule that holds for them joined ("生日; 90天未联系"), the highest priority (the lowest number)
// first, then by assets (largest first), then in book order. A rule's condition is any seg
// condition: segments (`in vip`), derived fields and the library's orders work there.

/// A rule of the plan with the text it was written in (errors point there).
public struct PlanEntry: Sendable {
    public var rule: PlanRule
    public var source: Source
}

/// One manager's call list: `manager` nil for the clients who have none.
public struct CallList: Sendable {
    /// The manager as shown (masked when the manager field is masked).
    public var manager: String?
    /// The manager's name in the book.
    public var real: String?
    /// The columns to show (the manager first), then `priority` and `reasons`.
    public var result: ResultSet
}

/// Every call list: `all` holds them one after another (the manager as the first column).
public struct CallPlan: Sendable {
    public var all: ResultSet
    public var lists: [CallList]
    /// Every manager of the book, listed or not.
    public var managers: Set<ExactKey> = []

    /// The lists of the managers named (by bytes), in the plan's order; `all` holds only theirs.
    /// A name that is no manager of the book is an error (a typo must not look like a quiet day).
    public func only(_ managers: [String]) throws -> CallPlan {
        for name in managers where !self.managers.contains(ExactKey(name)) {
            throw SegError(.usage, .plan(.unknownManager(name, suggestion: Suggest.closest(to: name, among: self.managers.map(\.text).sorted()))))
        }
        let kept = lists.filter { list in list.real.map { m in managers.contains { ExactText.same($0, m) } } ?? false }
        var start = 0
        var rows: [Int] = []
        for list in lists {
            if kept.contains(where: { $0.real.map(ExactKey.init) == list.real.map(ExactKey.init) }) { rows += start..<(start + list.result.rowCount) }
            start += list.result.rowCount
        }
        let columns = all.columns.map { c in
            ResultColumn(name: c.name, column: c.column, rows: rows.map { Int32(c.storageRow($0)) }, grouped: c.grouped)
        }
        return CallPlan(all: ResultSet(columns: columns, rowCount: rows.count, kind: all.kind), lists: kept)
    }
}

/// The plan file's name beside the segment library.
public enum PlanFile {
    public static let name = "plan.seg"

    /// `plan.seg` in the folder of the segment library `library`.
    public static func path(besideLibrary library: String) -> String {
        library.contains("/") ? AtomicFile.directory(of: library) + "/" + name : name
    }

    /// The rules of a plan file's text: anything but `rule` statements and comments is an error
    /// at its place, as is a name defined twice.
    public static func rules(in source: Source) throws -> [PlanEntry] {
        let (script, errors) = Parser.parse(source)
        if !errors.isEmpty { throw SegErrors(errors) }
        var entries: [PlanEntry] = []
        for statement in script.statements {
            guard case .rule(let rule) = statement else {
                throw SegError(.query, .plan(.planHoldsOnlyRules), source: source, range: statement.range)
            }
            try PlanEntry.checkNew(rule, source: source, among: entries)
            entries.append(PlanEntry(rule: rule, source: source))
        }
        return entries
    }
}

extension PlanEntry {
    /// Throws when `entries` has a rule of `rule`'s name already.
    static func checkNew(_ rule: PlanRule, source: Source, among entries: [PlanEntry]) throws {
        guard let first = entries.first(where: { ExactText.sameName($0.rule.name.name, rule.name.name) }) else { return }
        let line = first.source.location(of: first.rule.name.range.start).line
        throw SegError(.query, .plan(.ruleDefinedTwice(rule.name.name, firstLine: line)), source: source, range: rule.name.range)
    }
}

extension Session {
    /// `rule NAME priority N reason "…" where CONDITION`: checks the condition against the book
    /// (names, values, types) and adds the rule to the session's plan.
    /// At the prompt, `output` hears how many clients the rule finds today.
    mutating func addRule(_ rule: PlanRule, source: Source, output: Output? = nil) throws {
        try PlanEntry.checkNew(rule, source: source, among: plan)
        let entry = PlanEntry(rule: rule, source: source)
        let query = try ruleQuery(entry)
        plan.append(entry)
        if options.interactive, let output {
            let count = try backend.count(query, in: context())
            try output.write(PlanWord.ruleDefined(rule.name.name, clients: count).text(in: options.language) + "\n")
            try output.flush()
        }
    }

    /// Reads the plan file at `path` into the session (each rule checked). A missing file and a
    /// file without rules are errors: an empty call list must never look like a quiet day.
    public mutating func loadPlan(path: String) throws {
        guard let bytes = try AtomicFile.read(path) else { throw SegError(.usage, .plan(.noPlanFile(path: path))) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SegError(.data, .command(.libraryNotUTF8(path: path)))
        }
        let source = Source(name: path, text: text)
        for entry in try PlanFile.rules(in: source) { try addRule(entry.rule, source: entry.source) }
        if plan.isEmpty { throw SegError(.query, .plan(.emptyPlan(path: path))) }
    }

    /// The rows a rule's condition holds for: `clients where CONDITION`.
    func ruleQuery(_ entry: PlanEntry) throws -> BoundQuery {
        guard let table = catalog.tables.first else { throw SegError(.internal, .internal("no table to plan on")) }
        let query = Query(source: .name(Identifier(name: table.name, range: entry.rule.name.range)),
                          condition: entry.rule.condition, range: entry.rule.range)
        var resolver = Resolver(catalog: catalog, today: options.today, source: entry.source)
        return try resolver.resolve(query)
    }

    /// The call lists of the session's plan, one per manager (by the field `manager`), in the
    /// managers' order by bytes (the clients without a manager last). `show`: the columns after
    /// the manager, as in a `show` clause (default: the key, name, phone, tier, assets and
    /// last_contact the book has). Masks apply to every column.
    public func callLists(manager managerField: String = "manager", show: String? = nil) throws -> CallPlan {
        guard let table = catalog.tables.first else { return CallPlan(all: ResultColumns.result([], noun: "clients"), lists: []) }
        let fields = table.columns.map(\.name) + table.unloadedColumns
        guard table.columnIndex(named: managerField) != nil || catalog.field(named: managerField) != nil else {
            throw SegError(.query, .plan(.missingField(managerField, book: table.name, purpose: .callLists,
                                                       suggestion: Suggest.closest(to: managerField, among: fields))))
        }
        let key = try clientKey(table, source: Source(name: "", text: ""), range: SourceRange(0, 0))
        guard case .field(_, let keyName, _) = key else { throw SegError(.internal, .internal("no key")) }
        let defaults = [keyName, "name", "phone", "tier", "assets", "last_contact"]
            .filter { name in table.columnIndex(named: name) != nil }
            .filter { !ExactText.sameName($0, managerField) }
        let items = [Self.nameText(managerField)] + (show.map { [$0] } ?? defaults.map(Self.nameText))
        let showSource = Source(name: "--show", text: "\(Self.nameText(table.name)) show \(items.joined(separator: ", "))")
        let (script, errors) = Parser.parse(showSource)
        if !errors.isEmpty { throw SegErrors(errors) }
        guard case .query(let showQuery)? = script.statements.first, script.statements.count == 1 else {
            throw SegError(.usage, .plan(.planHoldsOnlyRules))
        }
        var resolver = Resolver(catalog: catalog, today: options.today, source: showSource)
        let bound = try resolver.resolve(showQuery)
        var executor = Executor(catalog: catalog, today: options.today, interrupt: options.interrupt)
        // Every client in book order: column k's row r is client r. Lists are split by the real
        // manager; a masked manager field is shown masked (headings and file names too).
        let unmasked = try executor.run(bound)
        let all = Masking.apply(Masking.rules(bound, options.masks), to: unmasked)

        // Each rule's clients; each client's best priority and reasons in priority order.
        let rules = plan.enumerated().sorted { ($0.element.rule.priority, $0.offset) < ($1.element.rule.priority, $1.offset) }
        var best = [Int?](repeating: nil, count: table.rowCount)
        var reasons = [[String]](repeating: [], count: table.rowCount)
        for (_, entry) in rules {
            let rows = try executor.selectedRows(try ruleQuery(entry))
            for r in rows?.rowIndices() ?? (0..<Int32(table.rowCount)).map({ $0 }) {
                let i = Int(r)
                if best[i] == nil { best[i] = entry.rule.priority }
                if !reasons[i].contains(entry.rule.reason) { reasons[i].append(entry.rule.reason) }
            }
        }
        let assets = table.columnIndex(named: "assets").map { table.columns[$0] }
        func assetValue(_ r: Int) -> Int64? {
            guard let assets, assets.isPresent(r) else { return nil }
            switch assets.data {
            case .decimal(let v, _), .integer(let v): return v[r]
            default: return nil
            }
        }
        let managerCells = CellText.Reader(unmasked.columns[0]), shownManager = CellText.Reader(all.columns[0])
        // Managers by bytes (as seg compares text), the clients without one last.
        var byManager: [ExactKey?: [Int]] = [:]
        for r in 0..<table.rowCount where best[r] != nil { byManager[managerCells.plain(r).map(ExactKey.init), default: []].append(r) }
        let managers = byManager.keys.sorted(by: KPI.byBytes)
        // Highest priority first, then the largest assets (missing last), then book order.
        let ordered = managers.flatMap { manager in
            (byManager[manager] ?? []).sorted { a, b in
                if best[a] != best[b] { return (best[a] ?? 0) < (best[b] ?? 0) }
                let x = assetValue(a), y = assetValue(b)
                if x != y { return (x ?? Int64.min) > (y ?? Int64.min) }
                return a < b
            }
        }
        var columns = all.columns.map { c in
            ResultColumn(name: c.name, column: c.column, rows: ordered.map { Int32(c.storageRow($0)) }, grouped: c.grouped)
        }
        columns.append(ResultColumns.integer(PlanWord.priority.text(in: options.language), ordered.map { best[$0].map(Int64.init) }))
        columns.append(ResultColumns.text(PlanWord.reasons.text(in: options.language), ordered.map { reasons[$0].joined(separator: "; ") }))
        let combined = ResultSet(columns: columns, rowCount: ordered.count, kind: .rows(noun: "clients"))
        var lists: [CallList] = []
        var start = 0
        for manager in managers {
            let end = start + (byManager[manager]?.count ?? 0)
            let shown = byManager[manager]?.first.flatMap { shownManager.plain($0) }
            let slice = combined.columns.map { c in
                ResultColumn(name: c.name, column: c.column, rows: (start..<end).map { Int32(c.storageRow($0)) }, grouped: c.grouped)
            }
            lists.append(CallList(manager: shown, real: manager?.text, result: ResultSet(columns: slice, rowCount: end - start, kind: .rows(noun: "clients"))))
            start = end
        }
        return CallPlan(all: combined, lists: lists, managers: Set((0..<table.rowCount).compactMap { managerCells.plain($0).map(ExactKey.init) }))
    }

    /// A name as a statement writes it: in backquotes unless it is a plain identifier.
    static func nameText(_ name: String) -> String {
        Lexer.isName(name) ? name : "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }
}

/// File names for managers' call lists.
public enum CallListFiles {
    /// `王伟.csv` (or `.xlsx`); an error when the name cannot be a file name on Linux, macOS or Windows.
    public static func fileName(for manager: String?, extension ext: String = "csv") throws -> String {
        guard let manager else { return "_no_manager." + ext }
        if let why = unsafe(manager) { throw SegError(.data, .plan(.unsafeFileName(manager: DisplayWidth.sanitized(manager), why: why))) }
        return manager + "." + ext
    }

    static func unsafe(_ name: String) -> UnsafeName? {
        if name.isEmpty { return .empty }
        if name.hasPrefix(".") { return .dot }
        if name.utf8.count > 200 { return .tooLong(bytes: name.utf8.count) }
        for scalar in name.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return .character("a control character") }
            if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x2028 || v == 0x2029 {
                return .character("a bidi control or line separator")
            }
            if "/\\:*?\"<>|".unicodeScalars.contains(scalar) { return .character("'\(scalar)'") }
        }
        if name.hasSuffix(" ") { return .character("a space at the end") }
        return nil
    }

    /// The file of each list in `folder`, checked all before any is written: a name that is not a
    /// safe file name and two names that differ only in case are errors.
    public static func paths(_ lists: [CallList], folder: String, extension ext: String = "csv") throws -> [String] {
        var seen: [String: String] = [:]
        var out: [String] = []
        for list in lists {
            let name = try fileName(for: list.manager, extension: ext)
            let folded = name.lowercased()
            if let other = seen[folded] {
                throw SegError(.data, .plan(.fileNameClash(other, list.manager ?? name, file: name)))
            }
            seen[folded] = list.manager ?? name
            out.append(folder + "/" + name)
        }
        return out
    }
}
