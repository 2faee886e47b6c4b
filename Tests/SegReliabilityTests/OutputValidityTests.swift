import Foundation
import Testing
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
import SegTestSupport

// No output format may ever emit invalid UTF-8 or invalid JSON, whatever the input (issue 19).
// Random books — the differential tests' books (CSV through the loader) and "wild" tables built
// directly, with text drawn from the awkward corners of Unicode — are answered in every format
// (table at 60 columns, so cells get cut, CSV, TSV, JSON, JSON Lines, Markdown), both as loaded and
// after a round trip through a seg book; every output must be valid UTF-8, `json` one JSON array
// and each `jsonl` line a JSON object (Foundation's JSONSerialization). The fuzz targets run the
// same check (SegTestSupport's OutputCheck) on every input that loads.
//
//   SEG_OUTPUT_BOOKS=N  books of each kind (default 60); SEG_OUTPUT_SEED=S  the first seed (default 1)

@Suite("every output is valid UTF-8 and JSON")
struct OutputValidityTests {
    static let books = ProcessInfo.processInfo.environment["SEG_OUTPUT_BOOKS"].flatMap { Int($0) } ?? 60
    static let seed = ProcessInfo.processInfo.environment["SEG_OUTPUT_SEED"].flatMap { UInt64($0) } ?? 1

    /// The table itself and its round trip through a seg book.
    static func bothWays(_ table: Table) throws -> [Table] {
        [table, try BookFile.decode(try BookFile.encode(table), fileName: "t.segbook", tableName: table.name)]
    }

    /// The check itself sees what it must (the fuzz targets trust it).
    @Test func theCheckSeesInvalidOutput() {
        #expect(OutputCheck.problem(Array("a,b\n1,王\n".utf8), format: .csv) == nil)
        #expect(OutputCheck.problem([0x61, 0x2C, 0xE7, 0x8E, 0x0A], format: .csv) == "invalid UTF-8 at byte 2 of 5")
        #expect(OutputCheck.problem([0x22, 0xFF, 0x22], format: .table) == "invalid UTF-8 at byte 1 of 3")
        #expect(OutputCheck.problem(Array("[\n{\"a\":1}\n]\n".utf8), format: .json) == nil)
        #expect(OutputCheck.problem(Array("[\n]\n".utf8), format: .json) == nil)
        #expect(OutputCheck.problem(Array("[\n{\"a\":1},\n]\n".utf8), format: .json) != nil)
        #expect(OutputCheck.problem(Array("[{\"a\":\"\u{1}\"}]".utf8), format: .json) != nil)  // a raw control character
        #expect(OutputCheck.problem(Array("{\"a\":1}\n{\"b\":[\"x\"]}\n".utf8), format: .jsonl) == nil)
        #expect(OutputCheck.problem(Array("{\"a\":1}\n{\"b\":\n".utf8), format: .jsonl) != nil)
        #expect(OutputCheck.problem(Array("{\"a\":1}\n[1]\n".utf8), format: .jsonl) != nil)
        #expect(StrictJSON.problem(Array(#"[{"a":-0.50,"b":[true,false,null],"c":"\u00e9\n\"","d":1e-7}]"#.utf8)) == nil)
        for bad in ["[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[\"\\x\"]", "[nan]", "[1] 2", "{a:1}", "[\"\t\"]", "", "[-]"] {
            #expect(StrictJSON.problem(Array(bad.utf8)) != nil, "\(bad)")
        }
    }

    @Test func differentialBooksInEveryFormat() throws {
        var statementsRun = 0
        for k in 0..<UInt64(Self.books) {
            let seed = Self.seed + k
            var random = SeededRandom(seed: seed)
            let book = RandomBook.make(rows: random.int(0...300), random: &random)
            var generator = QueryGenerator(seed: seed &* 7919, book: book)
            var statements = ["clients show all", "clients count", "clients by risk, city show count, sum(assets), avg(rate), min(name), max(birthday)",
                              "clients by products show count", "clients sort by name desc limit 5 show all"]
            for _ in 0..<8 {
                let statement = generator.query().seg
                statements.append(random.chance(0.5) ? statement.replacingOccurrences(of: "show id", with: "show all") : statement)
            }
            for table in try Self.bothWays(try book.table()) {
                let problems = OutputCheck.problems(table, statements: statements, today: CivilDate.parse(differentialToday) ?? 0)
                #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(3))")
                statementsRun += statements.count * OutputFormat.allCases.count
            }
        }
        print("output validity: \(Self.books) differential books, \(statementsRun) answers checked")
    }

    @Test func wildTextInEveryFormat() throws {
        var statementsRun = 0
        for k in 0..<UInt64(Self.books) {
            let seed = Self.seed + k
            var random = SeededRandom(seed: seed ^ 0x5EED)
            let table = WildTable.make(rows: random.int(0...120), random: &random)
            let names = table.columns.map(\.name)
            // Wild names cannot be typed as identifiers: whole listings, counts and sorts by position in `show all`.
            let statements = ["clients show all", "clients count", "clients limit 3", "clients limit 0"]
                + ["clients by tier show count", "clients sort by n desc limit 4 show all", "clients where note like \"%\u{301}%\" show all"]
                    .filter { _ in names.contains("tier") }
            for table in try Self.bothWays(table) {
                let problems = OutputCheck.problems(table, statements: statements)
                #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(3))")
                statementsRun += statements.count * OutputFormat.allCases.count
            }
        }
        print("output validity: \(Self.books) wild tables, \(statementsRun) answers checked")
    }
}

/// Tables whose text comes from the awkward corners of Unicode: C0 and C1 controls, DEL, NUL,
/// line and paragraph separators, bidi overrides, zero-width characters, a lone combining mark,
/// emoji with modifiers and ZWJ sequences, wide CJK, noncharacters, private use, U+FFFD, a BOM,
/// JSON and CSV punctuation, formula prefixes, long cells (cut by the table writer).
enum WildTable {
    static let pieces: [String] = [
        "a", "Z", " ", "  ", "\"", "\\", ",", ";", "|", "\t", "\n", "\r", "\r\n", "\u{0}", "\u{1}", "\u{1b}[2J", "\u{7}",
        "\u{7f}", "\u{80}", "\u{85}", "\u{9b}", "\u{9f}", "\u{a0}", "\u{ad}", "\u{2028}", "\u{2029}", "\u{202e}", "\u{2066}",
        "\u{200b}", "\u{200d}", "\u{feff}", "\u{fffd}", "\u{fffe}", "\u{ffff}", "\u{10ffff}", "\u{e000}", "\u{f8ff}",
        "\u{301}", "e\u{301}", "\u{1f600}", "\u{1f44d}\u{1f3fd}", "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}",
        "\u{1f1e8}\u{1f1f3}", "王", "小明", "ｶﾀｶﾅ", "한국어", "\u{1100}\u{1161}", "ä", "ß", "İ", "ﬁ", "=", "+1", "-", "@x",
        "null", "true", "1e400", "-0", "{\"a\":1}", "[1,", "</script>", "%", "_", "*", "?", "[",
    ]

    static func text(_ r: inout SeededRandom) -> String {
        if r.chance(0.05) { return String(repeating: r.pick(pieces), count: r.int(50...400)) }
        return (0..<r.int(0...6)).map { _ in r.pick(pieces) }.joined()
    }

    /// Distinct non-empty strings in ascending UTF-8 order, as dictionaries and vocabularies are kept.
    static func dictionary(_ r: inout SeededRandom, count: Int) -> [String] {
        var seen = Set<String>()
        for _ in 0..<count {
            let s = text(&r)
            if !s.isEmpty { seen.insert(s) }
        }
        return seen.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    static func validity(_ r: inout SeededRandom, rows: Int) -> Bitmap? {
        guard r.chance(0.5) else { return nil }
        var words = [UInt64](repeating: 0, count: (rows + 63) / 64)
        for i in 0..<rows where r.chance(0.7) { words[i >> 6] |= 1 << UInt64(i & 63) }
        return Bitmap(words: words, count: rows)
    }

    static func make(rows n: Int, random r: inout SeededRandom) -> Table {
        var columns: [Column] = []
        var note = TextBuffer()
        for _ in 0..<n { note.append(text(&r)) }
        columns.append(Column(name: "note", data: .text(note), validity: validity(&r, rows: n), count: n))
        let tiers = dictionary(&r, count: r.int(1...12))
        let codes: [UInt32] = (0..<n).map { _ in tiers.isEmpty ? 0 : UInt32(r.int(0...(tiers.count - 1))) }
        columns.append(Column(name: "tier", data: .category(codes: codes, dictionary: tiers),
                              validity: tiers.isEmpty && n > 0 ? Bitmap(words: [UInt64](repeating: 0, count: (n + 63) / 64), count: n)
                                                               : validity(&r, rows: n), count: n))
        let vocabulary = dictionary(&r, count: r.int(0...70))
        let words = max(1, (vocabulary.count + 63) / 64)
        var bits = [UInt64](repeating: 0, count: n * words)
        for row in 0..<n {
            for t in vocabulary.indices where r.chance(0.1) { bits[row * words + (t >> 6)] |= 1 << UInt64(t & 63) }
        }
        columns.append(Column(name: "tags", data: .tags(TagSets(vocabulary: vocabulary, wordsPerRow: words, bits: bits)),
                              validity: validity(&r, rows: n), count: n))
        columns.append(Column(name: "n", data: .integer((0..<n).map { _ in r.int64(Int64.min...Int64.max) }),
                              validity: validity(&r, rows: n), count: n))
        let scale = r.int(0...18)
        columns.append(Column(name: "money", data: .decimal((0..<n).map { _ in r.int64(Int64.min...Int64.max) }, scale: scale),
                              validity: validity(&r, rows: n), count: n))
        let days = CivilDate.days(year: 0, month: 1, day: 1)...CivilDate.days(year: 9999, month: 12, day: 31)
        columns.append(Column(name: "born", data: .date((0..<n).map { _ in Int32(r.int(days)) }), validity: validity(&r, rows: n), count: n))
        columns.append(Column(name: "flag", data: .boolean((0..<n).map { _ in r.chance(0.5) }), validity: validity(&r, rows: n), count: n))
        // Wild column names too, unique ignoring case as a header's must be.
        var taken = Set(columns.map { $0.name.lowercased() })
        for _ in 0..<r.int(0...3) {
            let name = text(&r).trimmingCharacters(in: .init(charactersIn: " \t"))
            guard !name.isEmpty, !taken.contains(name.lowercased()) else { continue }
            taken.insert(name.lowercased())
            var buffer = TextBuffer()
            for _ in 0..<n { buffer.append(text(&r)) }
            columns.append(Column(name: name, data: .text(buffer), validity: validity(&r, rows: n), count: n))
        }
        return Table(name: "clients", columns: columns, rowCount: n, origin: "wild")
    }
}
