#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import SegBase
import SegStore
// The demo book's related tables: each client's product holdings (with maturities), family
// members (with birthdays), the contact log, and the managers' teams. Each client's related rows
// are a pure function of (seed, client index), so `seg generate --out DIR` and the built-in demo
// book agree row for row, and a block of clients can be written on any core.

extension DemoBook {
    /// The related tables in the order they are loaded and written, with their columns.
    public static let relatedTables: [(name: String, columns: [String])] = [
        ("holdings", ["client_id", "product", "kind", "risk_level", "amount", "start", "maturity"]),
        ("family", ["client_id", "relation", "name", "birthday", "is_client"]),
        ("contacts", ["client_id", "date", "channel", "outcome"]),
        ("managers", ["manager", "team", "leader", "city"]),
    ]

    /// The client book and its related tables (`clients`, `holdings`, `family`, `contacts`,
    /// `managers`), typed as a CSV load of `writeTables` would type them.
    public static func tables(rows: Int = defaultRows, seed: UInt64 = defaultSeed) throws -> [Table] {
        var out = [table(rows: rows, seed: seed)]
        let buffers = relatedCSV(rows: max(0, rows), seed: seed)
        for (k, spec) in relatedTables.enumerated() {
            var bytes = Array((spec.columns.joined(separator: ",") + "\n").utf8)
            bytes += buffers[k]
            var table = try DataLoader.load(bytes: bytes, fileName: spec.name + ".csv", format: .csv, tableName: spec.name, types: [:])
            table.origin = origin
            table.notes = []
            out.append(table)
        }
        return out
    }

    /// Writes `clients.csv`, `holdings.csv`, `family.csv`, `contacts.csv` and `managers.csv` into
    /// `directory` (created if missing; each file mode 0600). Returns the files written.
    public static func writeTables(rows: Int, seed: UInt64, directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func create(_ name: String) throws -> (Output, Int32, String) {
            let path = (directory as NSString).appendingPathComponent(name + ".csv")
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else { throw SegError(.io, .file(.failed(.create, path: path, reason: FileMessage.reason(errno)))) }
            return (Output(.fileDescriptor(fd)), fd, path)
        }
        let clients = try create("clients")
        defer { close(clients.1) }
        try writeCSV(rows: rows, seed: seed, to: clients.0)
        try clients.0.flush()
        var files = [clients.2]
        var outputs: [(Output, Int32, String)] = []
        defer { for o in outputs { close(o.1) } }
        for spec in relatedTables {
            let o = try create(spec.name)
            outputs.append(o)
            files.append(o.2)
            try o.0.write(spec.columns.joined(separator: ",") + "\n")
        }
        // Blocks of clients generated in parallel, written in order.
        let n = max(0, rows)
        let blockRows = 8192, blocksPerBatch = 16
        var start = 0
        while start < n {
            let batchEnd = min(n, start + blockRows * blocksPerBatch)
            let blockCount = (batchEnd - start + blockRows - 1) / blockRows
            var buffers = [[[UInt8]]](repeating: [], count: blockCount)
            let batchStart = start
            buffers.withUnsafeMutableBufferPointer { slots in
                let out = RelatedSlots(base: slots.baseAddress)
                Parallel.forEach(blockCount) { k in
                    let lo = batchStart + k * blockRows
                    out.base?[k] = relatedBlock(lo..<min(batchEnd, lo + blockRows), seed: seed)
                }
            }
            for block in buffers { for (t, bytes) in block.enumerated() where t < 3 { try outputs[t].0.write(bytes: bytes) } }
            start = batchEnd
        }
        try outputs[3].0.write(bytes: managersCSV())
        for o in outputs { try o.0.flush() }
        return files
    }

    /// The CSV rows (no header) of each related table for clients 0..<rows.
    static func relatedCSV(rows: Int, seed: UInt64) -> [[UInt8]] {
        var out = relatedBlock(0..<rows, seed: seed)
        out.append(managersCSV())
        return out
    }

    private struct RelatedSlots: @unchecked Sendable {
        let base: UnsafeMutablePointer<[[UInt8]]>?
    }

    // MARK: - Vocabulary

    /// Products: name, kind, risk level (1…5), term in months (0: no maturity).
    static let productCatalogue: [(name: String, kind: String, risk: Int, months: Int)] = [
        ("定期存款3个月", "deposit", 1, 3), ("定期存款1年", "deposit", 1, 12), ("大额存单3年", "deposit", 1, 36),
        ("稳享理财90天", "wealth", 2, 3), ("安盈理财180天", "wealth", 2, 6), ("增利理财1年", "wealth", 3, 12),
        ("货币基金", "fund", 1, 0), ("债券基金", "fund", 2, 0), ("混合基金", "fund", 3, 0), ("股票基金", "fund", 4, 0),
        ("行业主题基金", "fund", 5, 0),
        ("国债3年", "bond", 1, 36), ("企业债2年", "bond", 3, 24),
        ("年金保险", "insurance", 1, 0), ("分红保险", "insurance", 2, 0),
        ("结构性存款6个月", "structured", 4, 6),
    ]
    static let relations = ["spouse", "child", "parent"]
    static let channels = ["phone", "wechat", "visit", "sms"]
    static let outcomes = ["reached", "no_answer", "disconnected", "address_changed"]
    /// Three teams of managers, by city: name, cities (indexes into `cities`), leader.
    static let teams: [(name: String, cities: [Int])] = [("南区", [0, 1, 5]), ("东区", [2, 4, 6]), ("北区", [3, 7])]

    /// `managers.csv` without its header: each manager's team, its leader (the first manager of
    /// the team's first city) and city.
    static func managersCSV() -> [UInt8] {
        var text = ""
        for (c, city) in cities.enumerated() {
            guard let team = teams.first(where: { $0.cities.contains(c) }), let first = team.cities.first else { continue }
            let leader = cities[first].managers[0]
            for m in city.managers { text += "\(m),\(team.name),\(leader),\(city.name)\n" }
        }
        return Array(text.utf8)
    }

    // MARK: - Rows

    /// The rows of holdings, family and contacts for clients `range`, as CSV bytes per table.
    static func relatedBlock(_ range: Range<Int>, seed: UInt64) -> [[UInt8]] {
        let lex = Lexicon()
        var holdings: [UInt8] = [], family: [UInt8] = [], contacts: [UInt8] = []
        holdings.reserveCapacity(range.count * 4 * 70)
        contacts.reserveCapacity(range.count * 3 * 40)
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        let productBytes = productCatalogue.map { Array($0.name.utf8) }
        let kindBytes = productCatalogue.map { Array($0.kind.utf8) }
        var id: [UInt8] = []
        for i in range {
            let client = generate(index: i, seed: seed, lex)
            // A stream of its own, apart from the client's, so the client book is unchanged.
            var rng = Random(seed: seed ^ 0x5EED_0F_2E1A_7ED, index: i)
            id.removeAll(keepingCapacity: true)
            appendID(i, into: &id)
            let ref = referenceDay

            // Holdings: richer clients hold more; a product within the client's risk, now and then one above it.
            let count = 1 + rng.below(5) + Int(client.tier) + (rng.chance(0.4) ? 1 : 0)
            for _ in 0..<count {
                var p = rng.below(productCatalogue.count)
                if !rng.chance(0.05) {
                    var tries = 0
                    while productCatalogue[p].risk > Int(client.risk) + 1 && tries < 8 { p = rng.below(productCatalogue.count); tries += 1 }
                    if productCatalogue[p].risk > Int(client.risk) + 1 { p = 0 }
                }
                let product = productCatalogue[p]
                let share = 0.05 + 0.4 * rng.unit()
                let amount = max(100_000, Int64((Double(client.assets) * share / 10_000).rounded()) * 10_000)
                let start: Int, maturity: Int?
                if product.months > 0 {
                    // Bought so that it matures from a month before the reference day to one term
                    // after it: a maturity call list has rows for weeks around the reference day.
                    let termDays = CivilDate.addingMonths(product.months, to: ref) - ref
                    start = ref - termDays - 30 + rng.below(termDays + 1)
                    maturity = CivilDate.addingMonths(product.months, to: start)
                } else {
                    start = ref - 1 - rng.below(1_460)
                    maturity = nil
                }
                holdings += id; holdings.append(comma)
                holdings += productBytes[p]; holdings.append(comma)
                holdings += kindBytes[p]; holdings.append(comma)
                holdings.append(UInt8(ascii: "R")); holdings.append(UInt8(ascii: "0") + UInt8(product.risk)); holdings.append(comma)
                ByteFormat.appendDecimal(amount, scale: 2, into: &holdings); holdings.append(comma)
                ByteFormat.appendDate(start, into: &holdings); holdings.append(comma)
                if let maturity { ByteFormat.appendDate(maturity, into: &holdings) }
                holdings.append(newline)
            }

            // Family: a spouse, children, a parent, as age allows.
            func member(_ relation: Int, birthday: Int, sameSurname: Bool) {
                family += id; family.append(comma)
                family += Array(relations[relation].utf8); family.append(comma)
                let surname = sameSurname ? Int(client.surname) : rng.weighted(lex.surnameCumulative)
                family += lex.surnameHan[surname]
                family += lex.givenHan[rng.below(lex.givenHan.count)]
                if rng.chance(0.6) { family += lex.givenHan[rng.below(lex.givenHan.count)] }
                family.append(comma)
                ByteFormat.appendDate(min(birthday, ref - 1), into: &family); family.append(comma)
                family += Array((rng.chance(0.08) ? "true" : "false").utf8)
                family.append(newline)
            }
            let birthday = Int(client.birthday)
            if client.age >= 25 && rng.chance(0.7) { member(0, birthday: birthday - 1_500 + rng.below(3_000), sameSurname: false) }
            if client.age >= 30 {
                let children = rng.below(3)
                for _ in 0..<children { member(1, birthday: birthday + 9_000 + rng.below(3_700), sameSurname: true) }
            }
            if client.age < 55 && rng.chance(0.4) { member(2, birthday: birthday - 9_000 - rng.below(3_700), sameSurname: true) }

            // Contacts: up to six in the last two years, on distinct days; a number that went dead stays dead.
            let calls = rng.below(7)
            let stale = rng.chance(0.06)
            var day = ref - 730 + rng.below(120)
            for k in 0..<calls {
                guard day < ref else { break }
                contacts += id; contacts.append(comma)
                ByteFormat.appendDate(day, into: &contacts); contacts.append(comma)
                let c = rng.below(20)
                contacts += Array(channels[c < 12 ? 0 : c < 16 ? 1 : c < 19 ? 2 : 3].utf8); contacts.append(comma)
                let o: Int
                if stale && k >= calls / 2 { o = rng.chance(0.8) ? 2 : 3 } else {
                    let r = rng.below(100)
                    o = r < 72 ? 0 : r < 92 ? 1 : r < 97 ? 2 : 3
                }
                contacts += Array(outcomes[o].utf8)
                contacts.append(newline)
                day += 1 + rng.below(max(1, (ref - day) / max(1, calls - k)))
            }
        }
        return [holdings, family, contacts]
    }
}
