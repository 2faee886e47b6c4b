import Testing
@testable import SegBase
@testable import SegPatterns
@testable import SegStore
@testable import SegSyntax
@testable import SegFunctions
@testable import SegSemantics
@testable import SegSQL
@testable import SegIO
@testable import SegEngine
@testable import SegCommands

@Suite struct DemoBookTests {
    private func csv(rows: Int, seed: UInt64) throws -> [UInt8] {
        let out = Output(.memory)
        try DemoBook.writeCSV(rows: rows, seed: seed, to: out)
        try out.flush()
        return out.captured
    }

    private func column(_ table: Table, _ name: String) throws -> Column {
        try #require(table.column(named: name))
    }

    @Test func deterministic() throws {
        let a = try csv(rows: 300, seed: 7)
        #expect(a == (try csv(rows: 300, seed: 7)))
        #expect(a != (try csv(rows: 300, seed: 8)))
        // A row depends only on (seed, index): a longer book starts with the same rows.
        let longer = try csv(rows: 400, seed: 7)
        #expect(Array(longer.prefix(a.count)) == a)
    }

    @Test func columnsAndTypes() throws {
        let table = DemoBook.table(rows: 2_000)
        #expect(table.name == "clients")
        #expect(table.rowCount == 2_000)
        #expect(table.columns.map(\.name) == DemoBook.columnNames)
        let expected: [String: FieldType] = [
            "id": .text, "name": .text, "gender": .category, "age": .integer, "birthday": .date, "city": .category,
            "branch": .category, "manager": .category, "tier": .category, "risk": .category, "assets": .decimal,
            "deposits": .decimal, "loans": .decimal, "products": .tags, "opened": .date, "last_contact": .date,
            "phone": .text, "email": .text, "industry": .category, "interests": .tags,
        ]
        for c in table.columns {
            #expect(c.type == expected[c.name], "\(c.name)")
            #expect(c.count == 2_000)
            if c.type == .decimal { #expect(c.scale == 2) }
            switch c.data {
            case .category(let codes, let dictionary):
                let sorted = dictionary.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                #expect(dictionary == sorted, "\(c.name) dictionary sorted by UTF-8")
                #expect(Set(dictionary).count == dictionary.count)
                #expect(Set(codes).count == dictionary.count, "\(c.name): every dictionary entry is used")
            case .tags(let sets):
                let sorted = sets.vocabulary.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                #expect(sets.vocabulary == sorted)
            default: break
            }
        }
        #expect(DemoBook.table(rows: 0).rowCount == 0)
    }

    @Test func idsAreUnique() throws {
        let table = DemoBook.table(rows: 10_000)
        guard case .text(let ids) = try column(table, "id").data else { Issue.record("id not text"); return }
        var seen = Set<String>()
        for i in 0..<table.rowCount { seen.insert(ids.string(at: i)) }
        #expect(seen.count == 10_000)
        #expect(ids.string(at: 0) == "C0000001")
        #expect(ids.string(at: 9_999) == "C0010000")
    }

    @Test func valueDomains() throws {
        let table = DemoBook.table()
        let n = table.rowCount
        #expect(n == DemoBook.defaultRows)
        func dictionary(_ name: String) throws -> Set<String> {
            guard case .category(_, let d) = try column(table, name).data else { return [] }
            return Set(d)
        }
        #expect(try dictionary("gender") == ["M", "F"])
        #expect(try dictionary("city") == ["深圳", "广州", "上海", "北京", "杭州", "成都", "南京", "武汉"])
        #expect(try dictionary("tier") == ["mass", "affluent", "vip", "private"])
        #expect(try dictionary("risk") == ["averse", "conservative", "balanced", "growth", "aggressive"])
        #expect(try dictionary("industry").count == 12)
        #expect(try dictionary("manager").count == 48)
        #expect(try dictionary("branch").allSatisfy { $0.hasSuffix("支行") })

        guard case .integer(let ages) = try column(table, "age").data,
              case .date(let birthdays) = try column(table, "birthday").data,
              case .date(let opened) = try column(table, "opened").data,
              case .date(let contact) = try column(table, "last_contact").data,
              case .decimal(let assets, _) = try column(table, "assets").data,
              case .decimal(let deposits, _) = try column(table, "deposits").data,
              case .decimal(let loans, _) = try column(table, "loans").data,
              case .text(let phones) = try column(table, "phone").data,
              case .text(let emails) = try column(table, "email").data,
              case .text(let names) = try column(table, "name").data
        else { Issue.record("unexpected column types"); return }
        let reference = CivilDate.days(year: 2026, month: 11, day: 1)
        let contactColumn = try column(table, "last_contact")
        let phoneColumn = try column(table, "phone"), emailColumn = try column(table, "email")
        let firstOpened = Int32(CivilDate.days(year: 2005, month: 1, day: 1))
        // Count rule breaks per rule (one #expect each, not one per row: keeps the test fast).
        var broken: [String: Int] = [:]
        func check(_ ok: Bool, _ rule: String) { if !ok { broken[rule, default: 0] += 1 } }
        var feb29 = 0, rich = 0, upper = 0, noLoan = 0, wang = 0, latin = 0
        for i in 0..<n {
            check(ages[i] >= 18 && ages[i] <= 85, "age 18…85")
            check(Int(ages[i]) == DemoBook.age(birthday: Int(birthdays[i])), "age = whole years since birthday")
            let (_, m, d) = CivilDate.civil(Int(birthdays[i]))
            if m == 2 && d == 29 { feb29 += 1 }
            check(opened[i] >= firstOpened && opened[i] < Int32(reference), "opened 2005…2026-10-31")
            if contactColumn.isPresent(i) {
                check(contact[i] >= Int32(reference - 730) && contact[i] < Int32(reference), "last_contact in 730 days")
            }
            check(assets[i] >= 100_000 && assets[i] <= 5_000_000_000, "assets 1,000…50m")
            check(deposits[i] >= 0 && deposits[i] <= assets[i], "deposits <= assets")
            check(loans[i] >= 0, "loans >= 0")
            if assets[i] > 100_000_000 { rich += 1 }
            if assets[i] >= 10_000_000 { upper += 1 }
            if loans[i] == 0 { noLoan += 1 }
            let name = names.string(at: i)
            if name.unicodeScalars.allSatisfy({ $0.isASCII }) {
                latin += 1
                if name.firstMatch(of: /(^| )Wang( |$)/) != nil { wang += 1 }
            }
            if phoneColumn.isPresent(i) {
                let p = Array(phones.string(at: i).utf8)
                check(p.count == 11 && p[0] == UInt8(ascii: "1") && p[1] >= UInt8(ascii: "3")
                      && p.allSatisfy { $0 >= 48 && $0 <= 57 }, "phone 1[3-9] + 9 digits")
            }
            if emailColumn.isPresent(i) {
                let e = emails.string(at: i)
                check(e.contains("@example.") && !e.contains(" "), "email shape")
            }
        }
        #expect(broken == [:])
        #expect(feb29 > 0)
        #expect(wang > 20)
        #expect((1_000...2_000).contains(latin), "about 15% Latin-letter names")
        #expect((900...1_500).contains(rich), "assets > 1m about 12%")
        #expect((3_500...4_500).contains(upper), "assets >= 100k about 40%")
        #expect((6_000...7_000).contains(noLoan), "about 65% without loans")
        // Missing values: roughly the designed shares.
        #expect((400...800).contains(contactColumn.missingCount))
        #expect((150...450).contains(phoneColumn.missingCount))
        #expect((2_000...3_000).contains(emailColumn.missingCount))
        #expect((50...200).contains(try column(table, "products").missingCount))
        #expect((700...1_300).contains(try column(table, "interests").missingCount))

        // Every product and interest occurs; deposit is nearly universal.
        guard case .tags(let products) = try column(table, "products").data,
              case .tags(let interests) = try column(table, "interests").data
        else { Issue.record("tags"); return }
        #expect(products.vocabulary == ["bond", "credit_card", "deposit", "forex", "fund", "gold", "insurance",
                                        "online_banking", "safe_box", "wealth"])
        #expect(interests.vocabulary.count == 12)
        let depositTag = try #require(products.vocabulary.firstIndex(of: "deposit"))
        let holders = (0..<n).filter { products.has(row: $0, tag: depositTag) }.count
        #expect((8_500...9_300).contains(holders))
        let interestColumn = try column(table, "interests")
        #expect((0..<n).allSatisfy { !interestColumn.isPresent($0) || (1...3).contains(interests.tags(at: $0).count) })
    }

    @Test func csvMatchesTable() throws {
        for (rows, seed) in [(300, DemoBook.defaultSeed), (257, UInt64(42))] {
            let table = DemoBook.table(rows: rows, seed: seed)
            let text = String(decoding: try csv(rows: rows, seed: seed), as: UTF8.self)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.removeLast() == "")
            #expect(lines.count == rows + 1)
            #expect(lines[0] == DemoBook.columnNames.joined(separator: ","))
            for (i, line) in lines.dropFirst().enumerated() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                #expect(cells.count == table.columns.count)
                for (c, column) in table.columns.enumerated() where c < cells.count {
                    #expect(cells[c] == cellText(column, i), "row \(i) column \(column.name)")
                }
            }
            // The table written by the CSV writer reproduces the generator's CSV byte for byte.
            let out = Output(.memory)
            let result = ResultSet(columns: table.columns.map { ResultColumn(name: $0.name, column: $0, rows: nil) },
                                   rowCount: table.rowCount, kind: .rows(noun: "clients"))
            try ResultWriter.write(result, options: WriterOptions(format: .csv, neutralizeFormulas: false), to: out)
            try out.flush()
            #expect(out.text == text)
        }
    }

    @Test func blocksAndBatchesKeepRowOrder() throws {
        // Small blocks: 1,003 rows cross many parallel blocks, batches and a partial last block.
        let rows = 1_003
        let blocked = Output(.memory)
        try DemoBook.writeCSV(rows: rows, seed: 3, to: blocked, blockRows: 10, blocksPerBatch: 7)
        try blocked.flush()
        #expect(blocked.captured == (try csv(rows: rows, seed: 3)))
        var single: [UInt8] = []
        let lex = DemoBook.Lexicon()
        for i in 0..<rows { DemoBook.appendCSVLine(DemoBook.generate(index: i, seed: 3, lex), index: i, lex, into: &single) }
        #expect(Array(blocked.captured.drop { $0 != UInt8(ascii: "\n") }.dropFirst()) == single)
    }

    /// The CSV text of a table cell, formatted independently of the writers.
    private func cellText(_ column: Column, _ row: Int) -> String {
        guard column.isPresent(row) else { return "" }
        switch column.data {
        case .integer(let v): return String(v[row])
        case .decimal(let v, let scale): return FixedPoint.format(v[row], scale: scale)
        case .date(let v): return CivilDate.format(Int(v[row]))
        case .boolean(let v): return v[row] ? "true" : "false"
        case .category(let codes, let dictionary): return dictionary[Int(codes[row])]
        case .text(let buffer): return buffer.string(at: row)
        case .tags(let sets): return sets.tags(at: row).joined(separator: ";")
        }
    }
}

/// Ids keep seven digits and grow past them (a 10,000,000-client book once crashed here).
@Test(arguments: [(0, "C0000001"), (9_999_998, "C9999999"), (9_999_999, "C10000000"), (123_456_788, "C123456789")])
func demoBookIDs(_ index: Int, _ expected: String) {
    var buf: [UInt8] = []
    DemoBook.appendID(index, into: &buf)
    #expect(String(decoding: buf, as: UTF8.self) == expected)
}
