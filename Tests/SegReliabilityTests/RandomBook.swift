import SegTestSupport
import SegBase
import SegPatterns
import SegStore
import SegSyntax
import SegFunctions
import SegSemantics
import SegSQL
import SegIO
import SegEngine
import SegCommands

// Random client books for the differential tests: a model of every row (what the values *are*),
// rendered two ways — as a CSV file for seg (with noise the reader must see through: quoting,
// odd boolean case, spaces around tags, blank cells) and as typed SQLite rows (money in integer
// cents, dates as ISO text, booleans as 0/1, tags as canonical `a;b` text).

/// The fields of a random book and how each is stored in SQLite.
enum BookField: String, CaseIterable {
    case id, name, age, big, assets, rate, birthday, opened, vip, risk, city, products

    var type: FieldType {
        switch self {
        case .id, .name: return .text
        case .age, .big: return .integer
        case .assets, .rate: return .decimal
        case .birthday, .opened: return .date
        case .vip: return .boolean
        case .risk, .city: return .category
        case .products: return .tags
        }
    }

    /// Fraction digits of a decimal field (its SQLite column holds value × 10^scale).
    var scale: Int {
        switch self {
        case .assets: return 2
        case .rate: return 3
        default: return 0
        }
    }
}

/// One client of the model; nil is a missing value.
struct BookRow {
    var values: [BookField: Value] = [:]

    enum Value: Equatable {
        case int(Int64)      // integer, or a decimal's scaled value
        case day(Int)        // a date as a day number
        case bool(Bool)
        case text(String)
        case tags([String])  // distinct, in vocabulary order, never empty
    }

    subscript(_ f: BookField) -> Value? {
        get { values[f] }
        set { values[f] = newValue }
    }
}

struct RandomBook {
    var rows: [BookRow]

    static let riskValues = ["averse", "Averse", "conservative", "balanced", "growth", "aggressive", "稳健", "a_b%c"]
    static let cityValues = ["深圳", "上海", "北京", "Beijing", "beijing", "New York", "O'Hare", "-minus", "=sum"]
    static let vocabulary = ["deposit", "fund", "Fund", "insurance", "credit_card", "wealth", "基金"]
    static let nameParts = ["Wang", "wang", "WANG", "Li Na", "李娜", "王小明", "张伟", "Zhang Wei", "O'Brien", "Ann, Jr.",
                            "say \"hi\"", "50% off", "under_score", "a*b?[c]", "Ωmega", "é", "x", "Émile", "=1+2", "\\back",
                            "tab\there", "🙂 emoji", "línea", "ＡＢＣ"]
    static let bigValues: [Int64] = [Int64.max, Int64.min, Int64.max - 1, Int64.min + 1, 9_007_199_254_740_993,
                                     -9_007_199_254_740_993, 0, 1, -1, 1 << 53, 999_999_999_999_999_999]
    static let rateExtremes: [Int64] = [Int64.max, Int64.min, 1, -1, 0, 9_223_372_036_854_775, 5, -5, 500, -500]

    /// A random book of `count` rows; `missing` is the chance that any one cell is empty.
    static func make(rows count: Int, random r: inout SeededRandom) -> RandomBook {
        let missing = r.pick([0.0, 0.05, 0.2, 0.5])
        // A small pool per book makes ties and repeated values common.
        let agePool = (0..<r.int(1...12)).map { _ in Int64(r.int(-5...120)) }
        let assetPool = (0..<r.int(1...10)).map { _ in r.int64(-1_000_000...100_000_000_000) }
        let dayPool: [Int] = (0..<r.int(1...8)).map { _ in randomDay(&r) }
        let risks = r.subset(riskValues)
        let cities = r.subset(cityValues)
        let vocab = r.subset(vocabulary)
        var rows: [BookRow] = []
        for i in 0..<count {
            var row = BookRow()
            row[.id] = .text("c\(String(i + 1).leftPadded(to: 5))")
            func maybe(_ v: @autoclosure () -> BookRow.Value) -> BookRow.Value? { r.chance(missing) ? nil : v() }
            row[.name] = maybe(.text(randomName(&r)))
            row[.age] = maybe(.int(r.chance(0.7) ? r.pick(agePool) : Int64(r.int(-5...120))))
            row[.big] = maybe(.int(r.chance(0.5) ? r.pick(bigValues) : r.int64(Int64.min...Int64.max)))
            row[.assets] = maybe(.int(r.chance(0.6) ? r.pick(assetPool) : r.int64(-100_000_000_000...100_000_000_000)))
            row[.rate] = maybe(.int(r.chance(0.4) ? r.pick(rateExtremes) : r.int64(-100_000...100_000)))
            row[.birthday] = maybe(.day(r.chance(0.6) ? r.pick(dayPool) : randomDay(&r)))
            row[.opened] = maybe(.day(r.chance(0.3) ? r.pick(dayPool) : randomDay(&r)))
            row[.vip] = maybe(.bool(r.chance(0.5)))
            row[.risk] = maybe(.text(r.pick(risks)))
            row[.city] = maybe(.text(r.pick(cities)))
            let tags = r.subset(vocab, min: 1, max: 3)
            row[.products] = maybe(.tags(vocabulary.filter { tags.contains($0) }))
            rows.append(row)
        }
        return RandomBook(rows: rows)
    }

    static func randomDay(_ r: inout SeededRandom) -> Int {
        if r.chance(0.15) {
            // Feb 29 of a leap year, and its neighbours.
            let year = r.pick([1904, 1960, 2000, 2020, 2024, 2028, 2096])
            return CivilDate.days(year: year, month: 2, day: 29) + r.int(-1...1)
        }
        return CivilDate.days(year: 1900, month: 1, day: 1) + r.int(0...73_000)
    }

    static func randomName(_ r: inout SeededRandom) -> String {
        var s = r.pick(nameParts)
        if r.chance(0.3) { s += " " + r.pick(nameParts) }
        return s
    }

    // MARK: - As a CSV file for seg

    /// The explicit types, so inference never depends on what a small random book happens to hold.
    static var types: [String: FieldType] {
        Dictionary(uniqueKeysWithValues: BookField.allCases.map { ($0.rawValue, $0.type) })
    }

    func csv(noise seed: UInt64 = 1) -> String {
        var r = SeededRandom(seed: seed)
        var out = BookField.allCases.map(\.rawValue).joined(separator: ",") + "\n"
        for row in rows {
            var cells: [String] = []
            for f in BookField.allCases {
                guard let v = row[f] else {
                    cells.append(r.chance(0.2) ? " " : "")
                    continue
                }
                switch v {
                case .int(let raw): cells.append(Self.decimalText(raw, scale: f.scale))
                case .day(let d): cells.append(CivilDate.format(d))
                case .bool(let b):
                    cells.append(r.pick(b ? ["true", "TRUE", "True"] : ["false", "FALSE", "False"]))
                case .text(let s):
                    cells.append(f == .id && r.chance(0.5) ? s : Self.quoted(s))
                case .tags(let tags):
                    var tokens = tags
                    if r.chance(0.3) { tokens.reverse() }
                    if r.chance(0.2), let first = tokens.first { tokens.append(first) }  // a repeated tag counts once
                    let sep = r.pick([";", "; ", " ;", ";;"])
                    let joined = tokens.joined(separator: sep)
                    cells.append(r.chance(0.5) ? Self.quoted(joined) : joined)
                }
            }
            out += cells.joined(separator: ",") + (r.chance(0.1) ? "\r\n" : "\n")
        }
        return out
    }

    static func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// `raw / 10^scale` with exactly `scale` fraction digits (Int64.min included).
    static func decimalText(_ raw: Int64, scale: Int) -> String {
        let magnitude = raw.magnitude
        var digits = String(magnitude)
        guard scale > 0 else { return (raw < 0 ? "-" : "") + digits }
        while digits.count <= scale { digits = "0" + digits }
        let cut = digits.index(digits.endIndex, offsetBy: -scale)
        return (raw < 0 ? "-" : "") + digits[..<cut] + "." + digits[cut...]
    }

    func table() throws -> Table {
        try DataLoader.load(bytes: Array(csv().utf8), fileName: "book.csv", format: .csv, tableName: "clients",
                            types: Self.types)
    }

    // MARK: - As a SQLite table

    static let createTable = """
        create table c (rid integer primary key, id text, name text, age integer, big integer, assets integer,
          rate integer, birthday text, opened text, vip integer, risk text, city text, products text)
        """

    func load(into db: SQLiteDatabase) throws {
        try db.execute("drop table if exists c")
        try db.execute(Self.createTable)
        let sqlRows: [[SQLValue]] = rows.enumerated().map { i, row in
            [.integer(Int64(i))] + BookField.allCases.map { f -> SQLValue in
                switch row[f] {
                case nil: return .null
                case .int(let v): return .integer(v)
                case .day(let d): return .text(CivilDate.format(d))
                case .bool(let b): return .integer(b ? 1 : 0)
                case .text(let s): return .text(s)
                case .tags(let t): return .text(t.joined(separator: ";"))
                }
            }
        }
        try db.insert(into: "c", columns: BookField.allCases.count + 1, rows: sqlRows)
    }

    // MARK: - Values present, for literals that must exist

    func present(_ f: BookField) -> [BookRow.Value] { rows.compactMap { $0[f] } }

    func strings(_ f: BookField) -> [String] {
        present(f).compactMap { if case .text(let s) = $0 { return s } else { return nil } }
    }

    func tagsPresent() -> [String] {
        var seen: Set<String> = []
        for v in present(.products) { if case .tags(let t) = v { seen.formUnion(t) } }
        return Self.vocabulary.filter { seen.contains($0) }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
