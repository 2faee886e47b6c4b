import SegBase
import SegSyntax
import SegStore
import SegSemantics
import SegEngine
import SegIO
// The Monday figures (`seg kpi`): two books of the same clients, a month apart (`then`, `now`),
// matched by the client key. Per manager, and per team when a manager→team table is given:
//
//   clients         in the book now
//   gained, lost    in the book now only (counted for the manager now) / then only (the manager then)
//   new AUM         sum(assets) of the manager's clients now − sum(assets) of their clients then
//   new accounts    clients now whose `opened` falls in the period (since … today, both inclusive)
//   tier up, down   clients in both books whose tier rose / fell in the tier order (manager now)
//   VIPs            clients now that the VIP condition holds for (default `tier in (vip, private)`)
//   VIPs contacted  of those, `last_contact` in the period; coverage = contacted / VIPs in percent,
//                   two decimals rounded half away from zero (missing when there are no VIPs)
//
// A team's figures are the sums of its managers' (coverage from the summed counts); a manager
// the team table does not name has no team (an empty name, listed last). Managers are listed by
// bytes, teams in the order the team table first names them. Money stays exact (fixed point).

/// What `seg kpi` computes between two books.
public struct KPIRequest: Sendable {
    /// The first day of the period; its last is the sessions' today.
    public var since: Int
    /// The condition that makes a client a VIP, as written after `where`.
    public var vip: String
    /// Manager → team (see `KPIRequest.teams(from:)`); nil: per manager only.
    public var teams: TeamTable?
    /// How the books are named in messages (their files).
    public var thenName: String
    public var nowName: String

    public init(since: Int, vip: String = "tier in (vip, private)", teams: TeamTable? = nil, thenName: String, nowName: String) {
        self.since = since
        self.vip = vip
        self.teams = teams
        self.thenName = thenName
        self.nowName = nowName
    }

    /// Manager → team from a table with the columns `manager` and `team` (a `--teams` file now,
    /// the team table of the book later). A manager named twice is an error.
    public static func teams(from table: Table, name: String) throws -> TeamTable {
        func column(_ field: String) throws -> Column {
            guard let i = table.columnIndex(named: field) else { throw SegError(.data, .plan(.teamsColumns(path: name, missing: field))) }
            return table.columns[i]
        }
        let managers = try column("manager"), teams = try column("team")
        var out = TeamTable()
        for r in 0..<table.rowCount {
            guard let manager = CellText.plain(managers, row: r), let team = CellText.plain(teams, row: r) else { continue }
            if out.team[ExactKey(manager)] != nil { throw SegError(.data, .plan(.managerTwice(DisplayWidth.sanitized(manager), path: name))) }
            out.team[ExactKey(manager)] = ExactKey(team)
            if !out.order.contains(ExactKey(team)) { out.order.append(ExactKey(team)) }
        }
        return out
    }
}

/// Which team each manager is in; teams are listed in `order` (as the table first names them).
/// Names compare byte for byte, as everywhere in seg.
public struct TeamTable: Sendable {
    public var team: [ExactKey: ExactKey] = [:]
    public var order: [ExactKey] = []
}

/// One book's facts per client, read for the KPIs.
struct BookFacts {
    var keys: [ExactKey]
    var row: [ExactKey: Int]
    var manager: [ExactKey?]
    /// Assets as fixed point at `scale`.
    var assets: [Int64?]
    var scale: Int
    var tierRank: [Int?]
    var opened: [Int?]
    var lastContact: [Int?]
    var vip: [Bool]
}

/// The figures of one manager or team.
struct Tally {
    var clients: Int64 = 0, gained: Int64 = 0, lost: Int64 = 0, newAccounts: Int64 = 0
    var up: Int64 = 0, down: Int64 = 0, vips: Int64 = 0, contacted: Int64 = 0
    var aumNow: Int64 = 0, aumThen: Int64 = 0
    var managers: Int64 = 0

    mutating func add(_ o: Tally) throws {
        clients += o.clients; gained += o.gained; lost += o.lost; newAccounts += o.newAccounts
        up += o.up; down += o.down; vips += o.vips; contacted += o.contacted; managers += 1
        aumNow = try KPI.adding(aumNow, o.aumNow)
        aumThen = try KPI.adding(aumThen, o.aumThen)
    }
}

public enum KPI {
    static func adding(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow { throw SegError(.data, .plan(.sumTooLarge("assets"))) }
        return sum
    }

    static func scaled(_ v: Int64, by factor: Int64) throws -> Int64 {
        let (out, overflow) = v.multipliedReportingOverflow(by: factor)
        if overflow { throw SegError(.data, .plan(.sumTooLarge("assets"))) }
        return out
    }

    /// The KPI tables: per manager, then per team when `request.teams` is given.
    public static func tables(then: Session, now: Session, _ request: KPIRequest) throws -> [ResultSet] {
        let language = now.options.language
        let a = try then.kpiFacts(book: request.thenName, vip: nil, since: request.since)
        let b = try now.kpiFacts(book: request.nowName, vip: request.vip, since: request.since)
        let scale = max(a.scale, b.scale)
        var pow10: Int64 = 1
        for _ in 0..<(scale - min(a.scale, b.scale)) { pow10 *= 10 }
        let factorThen: Int64 = a.scale < scale ? pow10 : 1, factorNow: Int64 = b.scale < scale ? pow10 : 1

        var tally: [ExactKey?: Tally] = [:]
        for (r, key) in b.keys.enumerated() {
            var t = tally[b.manager[r]] ?? Tally()
            t.clients += 1
            if let v = b.assets[r] { t.aumNow = try adding(t.aumNow, try scaled(v, by: factorNow)) }
            if let d = b.opened[r], d >= request.since, d <= now.options.today { t.newAccounts += 1 }
            if b.vip[r] {
                t.vips += 1
                if let d = b.lastContact[r], d >= request.since, d <= now.options.today { t.contacted += 1 }
            }
            if let old = a.row[key] {
                if let x = a.tierRank[old], let y = b.tierRank[r], x != y { if y > x { t.up += 1 } else { t.down += 1 } }
            } else {
                t.gained += 1
            }
            tally[b.manager[r]] = t
        }
        for (r, key) in a.keys.enumerated() {
            var t = tally[a.manager[r]] ?? Tally()
            if let v = a.assets[r] { t.aumThen = try adding(t.aumThen, try scaled(v, by: factorThen)) }
            if b.row[key] == nil { t.lost += 1 }
            tally[a.manager[r]] = t
        }
        let managers = tally.keys.sorted(by: byBytes)
        var out = [try table(heading: PlanWord.manager.text(in: language), names: managers.map { $0?.text }, managers: false,
                         managers.map { tally[$0] ?? Tally() }, scale: scale, language: language)]
        if let teams = request.teams {
            var byTeam: [ExactKey?: Tally] = [:]
            for m in managers {
                let team = m.flatMap { teams.team[$0] }
                var t = byTeam[team] ?? Tally()
                try t.add(tally[m] ?? Tally())
                byTeam[team] = t
            }
            // In the team table's order; managers without a team last.
            let names = teams.order.filter { byTeam[$0] != nil } + (byTeam[nil] != nil ? [nil] : [])
            out.append(try table(heading: PlanWord.team.text(in: language), names: names.map { $0?.text }, managers: true,
                             names.map { byTeam[$0] ?? Tally() }, scale: scale, language: language))
        }
        return out
    }

    /// By bytes, missing last.
    static func byBytes(_ a: ExactKey?, _ b: ExactKey?) -> Bool {
        switch (a, b) {
        case (let a?, let b?): return Array(a.text.utf8).lexicographicallyPrecedes(Array(b.text.utf8))
        case (_?, nil): return true
        default: return false
        }
    }

    static func table(heading: String, names: [String?], managers: Bool, _ rows: [Tally], scale: Int, language: Language) throws -> ResultSet {
        func w(_ word: PlanWord) -> String { word.text(in: language) }
        func money(_ name: String, _ values: [Int64]) -> ResultColumn {
            ResultColumn(name: name, column: Column(name: name, data: .decimal(values, scale: scale), validity: nil, count: values.count), rows: nil)
        }
        // Coverage in percent with two decimals, half away from zero: contacted × 10000 / VIPs.
        let coverage: [Int64?] = rows.map { t in
            guard t.vips > 0 else { return nil }
            return (t.contacted * 10_000 * 2 + t.vips) / (2 * t.vips)
        }
        var validity = Bitmap(count: rows.count, filled: true)
        for (i, c) in coverage.enumerated() where c == nil { validity[i] = false }
        var columns = [ResultColumns.text(heading, names)]
        if managers { columns.append(ResultColumns.integer(w(.managers), rows.map { $0.managers })) }
        columns += [
            ResultColumns.integer(w(.clients), rows.map { $0.clients }),
            ResultColumns.integer(w(.gained), rows.map { $0.gained }),
            ResultColumns.integer(w(.lost), rows.map { $0.lost }),
            money(w(.newAUM), try rows.map { t in
                let (difference, overflow) = t.aumNow.subtractingReportingOverflow(t.aumThen)
                if overflow { throw SegError(.data, .plan(.sumTooLarge("assets"))) }
                return difference
            }),
            ResultColumns.integer(w(.newAccounts), rows.map { $0.newAccounts }),
            ResultColumns.integer(w(.upgrades), rows.map { $0.up }),
            ResultColumns.integer(w(.downgrades), rows.map { $0.down }),
            ResultColumns.integer(w(.vips), rows.map { $0.vips }),
            ResultColumns.integer(w(.vipsContacted), rows.map { $0.contacted }),
            ResultColumn(name: w(.coverage), column: Column(name: w(.coverage), data: .decimal(coverage.map { $0 ?? 0 }, scale: 2),
                                                            validity: validity, count: rows.count), rows: nil),
        ]
        return ResultColumns.result(columns, noun: "rows")
    }
}

extension Session {
    /// The facts of the first table that the KPIs read; `vip` nil skips the VIP condition (the
    /// book then).
    func kpiFacts(book: String, vip: String?, since: Int) throws -> BookFacts {
        guard let table = catalog.tables.first else { throw SegError(.internal, .internal("no table")) }
        let names = table.columns.map(\.name)
        func column(_ field: String, for purpose: PlanWord) throws -> Column {
            guard let i = table.columnIndex(named: field) else {
                throw SegError(.query, .plan(.missingField(field, book: book, purpose: .kpi(purpose.text(in: options.language)),
                                                           suggestion: Suggest.closest(to: field, among: names))))
            }
            return table.columns[i]
        }
        let keyExpr = try clientKey(table, forSnapshots: true, source: Source(name: "", text: ""), range: SourceRange(0, 0))
        guard case .field(let keyIndex, let keyName, _) = keyExpr else { throw SegError(.internal, .internal("no key")) }
        var facts = BookFacts(keys: [], row: [:], manager: [], assets: [], scale: 0, tierRank: [], opened: [], lastContact: [], vip: [])
        let key = table.columns[keyIndex]
        facts.keys.reserveCapacity(table.rowCount)
        for r in 0..<table.rowCount {
            guard let text = CellText.plain(key, row: r) else {
                throw SegError(.data, .plan(.missingKey(key: keyName, book: book, row: r + 1)))
            }
            let id = ExactKey(text)
            if let first = facts.row[id] {
                throw SegError(.data, .plan(.duplicateKey(DisplayWidth.sanitized(text), key: keyName, book: book, rows: (first + 1, r + 1))))
            }
            facts.row[id] = r
            facts.keys.append(id)
        }
        let manager = try column("manager", for: .manager)
        facts.manager = Self.cells(manager).map { $0.map(ExactKey.init) }

        let assets = try column("assets", for: .newAUM)
        switch assets.data {
        case .decimal(let v, let scale):
            facts.scale = scale
            facts.assets = (0..<table.rowCount).map { assets.isPresent($0) ? v[$0] : nil }
        case .integer(let v):
            facts.assets = (0..<table.rowCount).map { assets.isPresent($0) ? v[$0] : nil }
        default:
            throw SegError(.query, .plan(.missingField("assets", book: book, purpose: .kpi(PlanWord.newAUM.text(in: options.language)), suggestion: nil)))
        }

        // The tier order: the library's `let order tier` or --order; every value of the book must be in it.
        let tier = try column("tier", for: .upgrades)
        guard let order = catalog.orders[ExactText.nameKey("tier")] else { throw SegError(.query, .plan(.noOrder("tier"))) }
        // A month's book need not hold every tier, but every tier it holds must be in the order.
        let rank = Dictionary(order.labels.enumerated().map { (ExactKey($0.element.name), $0.offset) }, uniquingKeysWith: { a, _ in a })
        // Ranked once per distinct value.
        var ranked: [ExactKey: Int] = [:]
        facts.tierRank = try Self.cells(tier).map { value in
            guard let value else { return nil }
            if let k = ranked[ExactKey(value)] { return k }
            guard let k = rank[ExactKey(value)] else {
                throw SegError(.data, .plan(.notInOrder(DisplayWidth.sanitized(value), field: "tier", book: book,
                                                        suggestion: Suggest.closest(to: value, among: order.labels.map(\.name)))))
            }
            ranked[ExactKey(value)] = k
            return k
        }

        func dates(_ field: String, _ purpose: PlanWord) throws -> [Int?] {
            let c = try column(field, for: purpose)
            guard case .date(let days) = c.data else {
                throw SegError(.query, .plan(.missingField(field, book: book, purpose: .kpi(purpose.text(in: options.language)), suggestion: nil)))
            }
            return (0..<table.rowCount).map { c.isPresent($0) ? Int(days[$0]) : nil }
        }
        if let vip {
            facts.opened = try dates("opened", .newAccounts)
            facts.lastContact = try dates("last_contact", .vipsContacted)
            let source = Source(name: "--vip", text: "\(Self.nameText(table.name)) where \(vip)")
            let (script, errors) = Parser.parse(source)
            if !errors.isEmpty { throw SegErrors(errors) }
            guard script.statements.count == 1, case .query(let q)? = script.statements.first else {
                throw SegError(.usage, .syntax(.expected(.condition(after: "--vip"), found: .endOfInput)), source: source)
            }
            var resolver = Resolver(catalog: catalog, today: options.today, source: source)
            let bound = try resolver.resolve(q)
            var executor = Executor(catalog: catalog, today: options.today, interrupt: options.interrupt)
            let rows = try executor.selectedRows(bound)
            facts.vip = (0..<table.rowCount).map { rows?[$0] ?? true }
        }
        return facts
    }

    /// Each row's value as plain text, nil when missing; a category's rows share its dictionary's strings.
    static func cells(_ column: Column) -> [String?] {
        guard case .category(let codes, let dictionary) = column.data else {
            return (0..<column.count).map { CellText.plain(column, row: $0) }
        }
        return codes.indices.map { column.isPresent($0) ? dictionary[Int(codes[$0])] : nil }
    }
}
