import Foundation
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
import Testing
@testable import SegREPL

/// A small table with every field type and a segment, for completion and dot-command tests.
enum Fixture {
    static let catalog: Catalog = {
        let n = 4
        var names = TextBuffer()
        for s in ["Li Na", "王芳", "Tom", "张伟"] { names.append(s) }
        let columns = [
            Column(name: "name", data: .text(names), validity: nil, count: n),
            Column(name: "Assets", data: .decimal([100, 250, 300, 5000], scale: 2), validity: nil, count: n),
            Column(name: "age", data: .integer([30, 40, 50, 60]), validity: nil, count: n),
            Column(name: "birthday", data: .date([0, 100, 200, 300]), validity: nil, count: n),
            // averse ×1, balanced ×3: most frequent first.
            Column(name: "risk", data: .category(codes: [0, 1, 1, 1], dictionary: ["averse", "balanced"]), validity: nil, count: n),
            Column(name: "city", data: .category(codes: [0, 0, 1, 2], dictionary: ["上海", "深圳", "New York"]), validity: nil, count: n),
            Column(name: "products", data: .tags(TagSets(vocabulary: ["deposit", "fund"], wordsPerRow: 1, bits: [0b11, 0b10, 0b10, 0b01])),
                   validity: nil, count: n),
            Column(name: "active", data: .boolean([true, false, true, true]), validity: nil, count: n),
        ]
        var catalog = Catalog(tables: [Table(name: "clients", columns: columns, rowCount: n, origin: "test")])
        let source = Source(name: "", text: "let vip = clients where age > 45")
        let (script, errors) = Parser.parse(source)
        precondition(errors.isEmpty)
        if case .define(let name, let query, _) = script.statements[0] {
            catalog.segments["vip"] = SegmentDefinition(name: name.name, query: query, source: source)
        }
        return catalog
    }()

    static let fields = ["name", "Assets", "age", "birthday", "risk", "city", "products", "active"]
}

struct CompletionTests {
    static let cases: [(text: String, word: String, expected: [String])] = [
        // Start of a statement.
        ("", "", ["clients", "vip", "let"] + DotCommand.names),
        ("v", "v", ["vip"]),
        ("C", "C", ["clients"]),
        ("let x = ", "", ["clients", "vip"]),
        ("clients ", "", Completer.clauseKeywords + Completer.setOperators),
        ("clients union ", "", ["clients", "vip"]),
        // Fields after where / and / or / not / ( / by / show / sort by / ,  (case-insensitive).
        ("clients where ass", "ass", ["Assets"]),
        ("clients where A", "A", ["Assets", "age", "active", "abs(", "age(", "anniversary("]),
        ("clients where age > 3 and r", "r", ["risk", "round("]),
        ("clients where (c", "c", ["city", "coalesce("]),
        ("clients where an", "an", ["anniversary("]),
        ("clients by c", "c", ["city"]),
        ("clients show c", "c", ["city", "count", "coalesce("]),
        ("clients show name, s", "s", ["sum("]),
        ("clients by tier show p", "p", ["products", "pct("]),
        ("clients by tier show q", "q", ["quantile("]),
        ("clients by tier show pct(", "", ["count", "sum(", "avg(", "median(", "quantile(", "min(", "max("]),
        ("clients sort by a", "a", ["Assets", "age", "active"]),
        ("vip where b", "b", ["birthday"]),
        ("clients where sum(", "", ["Assets", "age"]),
        ("clients where anniversary(", "", ["birthday"]),
        // Values: most frequent first; quoted when not one word.
        ("clients where risk = ", "", ["balanced", "averse"]),
        ("clients where risk=ave", "ave", ["averse"]),
        ("clients where risk != b", "b", ["balanced"]),
        ("clients where city = 深", "深", ["深圳"]),
        ("clients where city = N", "N", ["\"New York\""]),
        ("clients where city in (", "", ["上海", "\"New York\"", "深圳"]),
        ("clients where city not in (上海, ", "", ["上海", "\"New York\"", "深圳"]),
        ("clients where products has ", "", ["fund", "deposit", "any (", "all ("]),
        ("clients where products has any (d", "d", ["deposit"]),
        ("clients where active = ", "", ["true", "false"]),
        ("clients where name = ", "", []),
        // Operators for the field's type.
        ("clients where age ", "", Completer.operators(for: .integer)),
        ("clients where birthday b", "b", ["before", "between"]),
        ("clients where city l", "l", ["like"]),
        ("clients where products ", "", ["has", "not", "is empty", "is not empty"]),
        ("clients where age is ", "", ["empty", "not empty"]),
        ("clients where birthday in ", "", ["last", "next", "("]),
        ("clients where in ", "", ["vip"]),
        ("clients where days_since(birthday) >", "", []),
        ("clients where birthday before ", "", ["today"]),
        // After a finished predicate.
        ("clients where age > 3 ", "", ["and", "or"] + Completer.clauseKeywords),
        ("clients sort ", "", ["by"]),
        ("clients limit ", "", []),
        // A new statement after ; starts over; earlier lines of the statement count.
        ("clients count; v", "v", ["vip"]),
        ("clients where\nri", "ri", ["risk"]),
        // Dot-commands.
        (".f", ".f", [".fields", ".format"]),
        (".format j", "j", ["json", "jsonl"]),
        (".timer o", "o", ["on", "off"]),
        (".fields ri", "ri", ["risk"]),
        (".help l", "l", ["language"]),
    ]

    @Test(arguments: cases.indices)
    func candidates(_ i: Int) {
        let c = Self.cases[i]
        let completion = Completer.complete(c.text, catalog: Fixture.catalog)
        #expect(completion.word == c.word, "\(c.text.debugDescription)")
        #expect(completion.candidates == c.expected, "\(c.text.debugDescription)")
    }

    @Test func insertion() {
        #expect(Completion.insertion(for: "assets") == "assets ")
        #expect(Completion.insertion(for: "sum(") == "sum(")
        #expect(Completion.insertion(for: "data/") == "data/")
        #expect(Completion(word: "a", candidates: ["assets", "assign"]).commonExtension == "ass")
        #expect(Completion(word: "a", candidates: ["age", "assets"]).commonExtension == nil)
        #expect(Completion(word: "深", candidates: ["深圳", "深圳湾"]).commonExtension == "深圳")
    }

    @Test func filePaths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seg-complete-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("book.csv").path, contents: Data())
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("data/客户.csv").path, contents: Data())
        let base = dir.path + "/"
        #expect(Completer.complete(".load \(base)b", catalog: Fixture.catalog).candidates == [base + "book.csv"])
        #expect(Completer.complete(".read \(base)d", catalog: Fixture.catalog).candidates == [base + "data/"])
        #expect(Completer.complete(".output \(base)data/客", catalog: Fixture.catalog).candidates == [base + "data/客户.csv"])
        #expect(Completer.complete(".load \(base)book.csv a", catalog: Fixture.catalog).candidates == ["as"])
    }

    @Test func valuesAreQuotedWhenNeeded() {
        #expect(Completer.quotedIfNeeded("averse") == "averse")
        #expect(Completer.quotedIfNeeded("深圳") == "深圳")
        #expect(Completer.quotedIfNeeded("New York") == "\"New York\"")
        #expect(Completer.quotedIfNeeded("a\"b") == "\"a\"\"b\"")
        #expect(Completer.quotedIfNeeded("where") == "\"where\"")
        #expect(Completer.quotedIfNeeded("12") == "\"12\"")
    }

    @Test func listingUsesDisplayWidth() {
        let text = Completer.columns(["上海", "深圳", "New York", "a"], width: 24)
        // Cells of width 10 (8 + 2), two per row, filled down the columns.
        #expect(text == "上海      New York\n深圳      a\n")
    }
}

/// Derived fields complete as stored ones do; a classification offers its labels in written order.
@Test func derivedFieldsComplete() throws {
    var catalog = Fixture.catalog
    func define(_ text: String) throws {
        let source = Source(name: "", text: text)
        guard case .defineField(let name, let body, _)? = Parser.parse(source).script.statements.first else {
            Issue.record("not a field definition: \(text)")
            return
        }
        try catalog.defineField(name: name, body: body, source: source, today: 0)
    }
    try define("let field twice = age * 2")
    try define("let field band = high when Assets >= 30, mid when Assets >= 2, else low")
    #expect(Completer.complete("clients where tw", catalog: catalog).candidates == ["twice"])
    #expect(Completer.complete("clients where band = ", catalog: catalog).candidates == ["high", "mid", "low"])
    #expect(Completer.complete("clients by ba", catalog: catalog).candidates == ["band"])
    #expect(Completer.complete("clients where twice ", catalog: catalog).candidates.contains(">="))
}

/// A stored field with a declared order offers its values in that order at the prompt, and
/// `.fields` shows the order after the field's type (in English and in Chinese).
@Test func declaredOrdersShowInCompletionAndFields() throws {
    var catalog = Fixture.catalog
    // Without an order: most frequent first.
    #expect(Completer.complete("clients where risk = ", catalog: catalog).candidates == ["balanced", "averse"])
    try catalog.defineOrder(try FieldOrder(argument: "risk=averse,balanced"), today: 0)
    #expect(Completer.complete("clients where risk = ", catalog: catalog).candidates == ["averse", "balanced"])
    #expect(Completer.complete("clients where risk in (", catalog: catalog).candidates == ["averse", "balanced"])
    let overview = try FieldSummary.text(catalog: catalog, field: nil, width: nil)
    #expect(overview.contains("risk      category        0  order: averse < balanced\n"), "\(overview)")
    #expect(overview.contains("city      category        0\n"), "\(overview)")
    let detail = try FieldSummary.text(catalog: catalog, field: "risk", width: nil)
    #expect(detail.hasPrefix("risk: category · 0 missing · 2 distinct\n  order: averse < balanced\n  balanced"), "\(detail)")
    let chinese = try FieldSummary.text(catalog: catalog, field: "risk", width: nil, language: .chinese)
    #expect(chinese.contains("\n  顺序：averse < balanced\n"), "\(chinese)")
    let database = try FieldSummary.text(catalog: catalog, field: nil, width: nil, inDatabase: true)
    #expect(database.contains("risk      category  order: averse < balanced\n"), "\(database)")
}

/// A masked field offers no values at the prompt: Tab would show what every output hides
/// (issue 16). A name column read as a category (names repeat in a small book) is the case.
@Test func maskedFieldsOfferNoValues() throws {
    let n = 4
    let columns = [
        Column(name: "name", data: .category(codes: [0, 1, 1, 2], dictionary: ["王伟", "李娜", "Wei Wang"]), validity: nil, count: n),
        Column(name: "city", data: .category(codes: [0, 0, 1, 1], dictionary: ["上海", "深圳"]), validity: nil, count: n),
    ]
    let catalog = Catalog(tables: [Table(name: "clients", columns: columns, rowCount: n, origin: "test")])
    // Unmasked, the values complete (the test can fail).
    #expect(Set(Completer.complete("clients where name = ", catalog: catalog).candidates) == ["李娜", "\"Wei Wang\"", "王伟"])
    let masks = try MaskSet(parsing: "name")
    for text in ["clients where name = ", "clients where name = 李", "clients where name in (", "clients where name in (王伟, ",
                 "clients where name != ", "clients where not name in ("] {
        #expect(Completer.complete(text, catalog: catalog, masks: masks).candidates.isEmpty, "\(text)")
    }
    // Other fields still complete, and field names are not values.
    #expect(Completer.complete("clients where city = ", catalog: catalog, masks: masks).candidates == ["上海", "深圳"])
    #expect(Completer.complete("clients where na", catalog: catalog, masks: masks).candidates == ["name"])
}

/// Fields whose names need backquotes are offered in backquotes, and a backquoted field before
/// the cursor is known (its operators, its values).
@Test func quotedNamesComplete() {
    let n = 2
    let columns = [
        Column(name: "资产余额(元)", data: .decimal([100, 250], scale: 2), validity: nil, count: n),
        Column(name: "最近联系 日期", data: .date([0, 100]), validity: nil, count: n),
        Column(name: "风险 等级", data: .category(codes: [0, 1], dictionary: ["稳健", "进取"]), validity: nil, count: n),
        Column(name: "资产", data: .integer([1, 2]), validity: nil, count: n),
    ]
    let catalog = Catalog(tables: [Table(name: "clients", columns: columns, rowCount: n, origin: "test")])
    func candidates(_ text: String) -> [String] { Completer.complete(text, catalog: catalog).candidates }
    #expect(candidates("clients show ") .prefix(4) == ["`资产余额(元)`", "`最近联系 日期`", "`风险 等级`", "资产"])
    // Typed with or without the opening backquote.
    #expect(candidates("clients where 资产余") == ["`资产余额(元)`"])
    #expect(candidates("clients where `最近") == ["`最近联系 日期`"])
    #expect(candidates("clients where `最近联系 日期` ") == Completer.operators(for: .date))
    #expect(candidates("clients where `风险 等级` = ") == ["稳健", "进取"])
    #expect(candidates("clients show sum(") == ["`资产余额(元)`", "资产"])
}

/// Related tables (issue 15): completion offers the linked tables' fields through the link, the
/// related tables after `has` / `no`, and a table's fields after `NAME.`.
@Test func completionKnowsRelatedTables() throws {
    var catalog = Catalog(tables: try DemoBook.tables(rows: 50))
    catalog.links = try Links.build(catalog.tables, declared: []).links
    func complete(_ text: String) -> [String] { Completer.complete(text, catalog: catalog).candidates }
    #expect(complete("holdings where client.ti") == ["tier"])
    #expect(complete("holdings where client.").contains("phone"))
    #expect(complete("holdings show client.na").isEmpty == false)
    #expect(complete("holdings where cl").contains("client.tier"))
    #expect(complete("clients where has ") == ["holdings", "family", "contacts"])
    #expect(complete("clients where tier = vip and no ").contains("contacts"))
    #expect(complete("clients where ").contains("has"))
    #expect(complete("clients where sum(holdings.am") == ["amount"])
    #expect(complete("clients by manager.t") == ["team"])
    #expect(complete(".fields hol") == ["holdings"])
}
