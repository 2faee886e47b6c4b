import Foundation
import Testing
@testable import SegBase
@testable import SegStore
@testable import SegSyntax
@testable import SegSemantics
@testable import SegIO
@testable import SegCommands

// Bank exports (issue 13): numbers as banks write them, missing-value placeholders, and text
// columns that a query would order as if they were numbers.

private func bank(_ text: String) -> BankNumber? {
    Array(text.utf8).withUnsafeBufferPointer { b in b.baseAddress.flatMap { BankNumber($0, b.count) } }
}

private func queryError(_ statement: String, table: Table) -> SegError? {
    let options = SessionOptions(today: CivilDate.parse("2026-11-15") ?? 0, writer: WriterOptions(format: .csv))
    var session = Session(tables: [table], options: options)
    return firstError { try session.run(Source(name: "", text: statement), output: Output(.memory)) }
}

@Suite("Bank exports")
struct BankExportTests {
    // MARK: Numbers as banks write them

    @Test(arguments: [
        ("1,234,567.89", 123_456_789, 2), ("￥1,234.00", 123_400, 2), ("¥12", 12, 0), ("RMB 1,000", 1000, 0),
        ("5,000元", 5000, 0), ("3万", 30_000, 0), ("1.5万元", 15_000, 0), ("2亿", 200_000_000, 0),
        ("12.5%", 125, 3), ("(1,234.00)", -123_400, 2), ("-1,234.5", -12_345, 1), ("1e6", 1_000_000, 0),
        ("1.5E-3", 15, 4), ("１２３．４５", 12_345, 2), ("５，０００", 5000, 0), ("2k", 2000, 0), ("1.2m", 1_200_000, 0),
        ("－８", -8, 0), (" 42,781.44 ", 4_278_144, 2), ("￥-5", -5, 0), ("50％", 50, 2),
    ] as [(String, Int64, Int)])
    func readsBankNumbers(_ text: String, _ mantissa: Int64, _ scale: Int) {
        #expect(bank(text) == BankNumber(mantissa: mantissa, scale: scale), "\(text)")
    }

    @Test(arguments: ["1,23", "12,3456", "0,123", "1,234,56", "--", "-", "abc", "1.", ".5e", "1e", "1e99", "(12",
                      "1,,234", "万", "￥", "12.3.4", "1 234", "99999999999999999999", "1.2.3%", "e5", "2024-03-05"])
    func refusesWhatIsNoNumber(_ text: String) {
        #expect(bank(text) == nil, "\(text)")
    }

    @Test func exactMoneyWithSeparators() throws {
        let c = try inferredColumn("assets", ["\"42,781.44\"", "\"1,000,000.10\"", "0.01", "\"(2,000.00)\""])
        #expect(c.type == .decimal)
        guard case .decimal(let values, let scale) = c.data else { return }
        #expect(scale == 2)
        #expect(values == [4_278_144, 100_000_010, 1, -200_000])
    }

    @Test func unitsScaleExactly() throws {
        let c = try inferredColumn("资产", ["3.25万", "1亿", "120"])
        #expect(c.type == .integer)
        guard case .integer(let values) = c.data else { return }
        #expect(values == [32_500, 100_000_000, 120])
        let p = try inferredColumn("rate", ["12.5%", "3%", "0.5%"])
        guard case .decimal(let rates, let scale) = p.data else { Issue.record("\(p.type)"); return }
        #expect(scale == 3)
        #expect(rates == [125, 30, 5])
    }

    @Test func typeOverrideReadsBankNumbersAndShowsTheFailingValue() throws {
        let c = try inferredColumn("assets", ["\"1,234.50\"", "7"], types: ["assets": .decimal])
        guard case .decimal(let values, _) = c.data else { Issue.record("\(c.type)"); return }
        #expect(values == [123_450, 700])
        do {
            _ = try inferredColumn("assets", ["1", "unknown"], types: ["assets": .decimal])
            Issue.record("expected an error")
        } catch let error as SegError {
            #expect(error.diagnostic == .data(.cellType(column: "assets", type: .decimal, .notDecimal, value: "unknown")))
            #expect(error.fileLocation == "t.csv:3:1")
        }
    }

    // MARK: Missing placeholders

    @Test func placeholdersAreMissingByDefault() throws {
        let c = try inferredColumn("assets", ["100", "--", "-", "NA", "N/A", "null", "NULL", "无", "空", " -- ", "2.5"])
        #expect(c.type == .decimal)
        #expect(c.missingCount == 9)
        let k = try inferredColumn("risk", ["averse", "--", "bold", "N/A", "averse", "无"])
        guard case .category(_, let dictionary) = k.data else { Issue.record("\(k.type)"); return }
        #expect(dictionary == ["averse", "bold"])
    }

    /// Which cells are missing, byte by byte (the first-byte shortcut must not hide a word).
    @Test(arguments: [
        ("", true), ("  ", true), ("\t", true), ("--", true), ("-", true), (" NA ", true), ("N/A", true), ("无", true),
        ("空", true), ("null", true), ("NULL", true), (" -- ", true),
        ("Null", false), ("-1", false), ("--5", false), ("0", false), ("mass", false), ("NAB", false), ("无锡", false),
        ("空调", false), ("n/a", false), ("vip", false),
    ])
    func placeholderCells(_ cell: String, _ missing: Bool) {
        let bytes = Array(cell.utf8) + [0]
        bytes.withUnsafeBufferPointer { b in
            #expect(MissingValues.standard.isMissing(b.baseAddress!, b.count - 1) == missing, "'\(cell)'")
        }
    }

    @Test func placeholderWordsOfTheUser() {
        let zero = MissingValues(list: "0,未知, x ")
        for (cell, missing) in [("0", true), (" 0", true), ("0.5", false), ("未知", true), ("x", true), ("--", false), ("", true), ("  ", true)] {
            let bytes = Array(cell.utf8) + [0]
            bytes.withUnsafeBufferPointer { b in
                #expect(zero.isMissing(b.baseAddress!, b.count - 1) == missing, "'\(cell)'")
            }
        }
    }

    @Test func naListOverridesThePlaceholders() throws {
        let text = "assets\n100\n--\n未知\n"
        let t = try DataLoader.load(bytes: Array(text.utf8), fileName: "t.csv", format: nil, tableName: "t", types: [:],
                                    options: LoadOptions(missing: MissingValues(list: "未知,--")))
        #expect(t.columns[0].type == .integer)
        #expect(t.columns[0].missingCount == 2)
        let none = try DataLoader.load(bytes: Array("assets\n100\n--\n".utf8), fileName: "t.csv", format: nil, tableName: "t",
                                       types: [:], options: LoadOptions(missing: MissingValues(list: "")))
        #expect(none.columns[0].type == .category)
    }

    // MARK: Text ordered as numbers

    static let dirtyCSV = "id,assets,name\n" + (1...20).map { "c\($0),\($0 == 17 ? "待定" : String($0 * 100_000)),n\($0)" }.joined(separator: "\n") + "\n"

    @Test func orderingTextAgainstANumberIsAnErrorWithTheReason() throws {
        let t = try DataLoader.load(bytes: Array(Self.dirtyCSV.utf8), fileName: "d.csv", format: nil, tableName: "clients", types: [:])
        #expect(t.column(named: "assets")?.type.isString == true)
        let profile = try #require(t.column(named: "assets")?.profile)
        #expect(profile.numbers == 19 && profile.present == 20)
        #expect(profile.notNumber?.line == 18 && profile.notNumber?.text == "待定")
        for statement in ["clients where assets > 1m count", "clients where assets between 1 and 2 count",
                          "clients where 1m <= assets count", "clients where assets < -5 count"] {
            let error = try #require(queryError(statement, table: t), "\(statement)")
            guard case .query(.textOrdered(let field, _, _, let p)) = error.diagnostic else {
                Issue.record("\(statement): \(error.message)")
                continue
            }
            #expect(field == "assets")
            #expect(p == profile)
        }
        let error = try #require(queryError("clients where assets > 1m count", table: t))
        #expect(error.message == "'assets' is a category field: 1 of 20 values are not numbers, e.g. line 18 '待定', "
            + "so '>' would compare it with a number as text; use --type assets=decimal or --na '待定'")
        #expect(error.range == SourceRange(23, 25))
        for statement in ["clients sort by assets desc", "clients by id show max(assets)", "clients by id show min(assets)",
                          "clients sort by assets count"] {
            let e = try #require(queryError(statement, table: t), "\(statement)")
            guard case .query(.textOrdered) = e.diagnostic else {
                Issue.record("\(statement): \(e.message)")
                continue
            }
        }
        // Equality and quoted text still compare text; a name column sorts as text.
        #expect(queryError("clients where assets = \"待定\" count", table: t) == nil)
        #expect(queryError("clients where name > \"n1\" count", table: t) == nil)
        #expect(queryError("clients sort by name", table: t) == nil)
        // An identifier column of digits only is text on purpose, and sorts as text.
        #expect(queryError("clients sort by id", table: t) == nil)
    }

    /// The profile stops looking for a kind that none of the first `profileSample` values has:
    /// a column of phone numbers is counted as numbers all the way, never tried as dates; one of
    /// names is looked at no further at all.
    @Test func theProfileLooksOnlyForKindsTheFirstValuesHave() throws {
        let n = ColumnBuilder.profileSample + 500
        var text = "id,phone,name,mixed\n"
        for i in 0..<n {
            // `mixed`: the first values are numbers, then dates: dates are no longer looked for.
            let mixed = i < ColumnBuilder.profileSample ? "\(i)" : "2024-01-0\(i % 9 + 1)"
            text += "C\(i),1380000\(String(format: "%04d", i)),n\(i),\(mixed)\n"
        }
        let t = try DataLoader.load(bytes: Array(text.utf8), fileName: "p.csv", format: nil, tableName: "clients", types: [:])
        let phone = try #require(t.column(named: "phone")?.profile)
        #expect(phone.present == n && phone.numbers == n && phone.dates == 0)
        #expect(phone.notDate?.row == 0)
        #expect(t.column(named: "name")?.profile == nil)
        let mixed = try #require(t.column(named: "mixed")?.profile)
        #expect(mixed.present == n && mixed.numbers == ColumnBuilder.profileSample && mixed.dates == 0, "\(mixed)")
        #expect(mixed.notNumber?.row == ColumnBuilder.profileSample && mixed.notDate?.row == 0)
    }

    @Test func textWithoutNumbersStillRefusesANumberLiteral() throws {
        let t = try DataLoader.load(bytes: Array("id,name\n1,ann\n2,bob\n".utf8), fileName: "d.csv", format: nil, tableName: "clients", types: [:])
        let error = try #require(queryError("clients where name >= 5 count", table: t))
        #expect(error.message == "'name' is a category field, so '>=' would compare it with a number as text; "
            + "write the value in quotes to compare text, or load the column with --type name=decimal")
        let date = try #require(queryError("clients where name < 2024-01-01 count", table: t))
        #expect(date.message.contains("--type name=date"))
    }
}

@Suite("Bank export headers, dates, booleans, encodings")
struct BankExportShapeTests {
    func load(_ text: String, _ options: LoadOptions = LoadOptions()) throws -> Table {
        try DataLoader.load(bytes: Array(text.utf8), fileName: "t.csv", format: nil, tableName: "t", types: [:], options: options)
    }

    @Test func unnamedAndRepeatedColumnsAreNamedWithANote() throws {
        let t = try load(",id,name,ID,name\n1,a,b,c,d\n")
        #expect(t.columns.map(\.name) == ["column1", "id", "name", "ID_2", "name_2"])
        #expect(t.notes == [.unnamedColumn(column: 1, name: "column1"), .renamedDuplicate("ID", column: 4, name: "ID_2"),
                            .renamedDuplicate("name", column: 5, name: "name_2")])
        // A name already taken is not reused.
        #expect(try load("a,a,a_2\n1,2,3\n").columns.map(\.name) == ["a", "a_3", "a_2"])
    }

    @Test func titleRowsAreFoundOrSkippedByCount() throws {
        let text = "客户资产明细表,,\n导出日期 2024-03-05,,\nid,name,assets\nc1,ann,5\n"
        let t = try load(text)
        #expect(t.columns.map(\.name) == ["id", "name", "assets"])
        #expect(t.rowCount == 1)
        #expect(t.notes.count == 2)
        let counted = try load(text, LoadOptions(skip: 2))
        #expect(counted.columns.map(\.name) == ["id", "name", "assets"])
        #expect(counted.notes.isEmpty)
        // Two names over data is a header with an unnamed column, not a title.
        #expect(try load("id,\n1,2\n").columns.map(\.name) == ["id", "column2"])
    }

    @Test func aTotalRowIsSaidAndLeftOutWhenAsked() throws {
        let text = "id,assets\nc1,5\nc2,7\n合计,12\n"
        let kept = try load(text)
        #expect(kept.rowCount == 3)
        #expect(kept.notes == [.totalRow(line: 4, text: "合计", skipped: false)])
        let skipped = try load(text, LoadOptions(skipFooter: true))
        #expect(skipped.rowCount == 2)
        #expect(skipped.columns[1].type == .integer)
        #expect(skipped.notes == [.totalRow(line: 4, text: "合计", skipped: true)])
    }

    @Test(arguments: ["2024-03-05", "2024/03/05", "2024-3-5", "2024.03.05", "20240305", "2024年3月5日", "2024/3/5"])
    func datesAsExported(_ text: String) throws {
        let c = try inferredColumn("d", [text, "2024-12-31"])
        #expect(c.type == .date, "\(text)")
        guard case .date(let days) = c.data else { return }
        #expect(Int(days[0]) == CivilDate.days(year: 2024, month: 3, day: 5))
    }

    @Test func dateTimesKeepTheDateWithANote() throws {
        let t = try load("d\n2024-03-05 10:22:33\n2024/03/06 09:05\n2024-03-07T23:59:59.5\n")
        #expect(t.columns[0].type == .date)
        #expect(t.notes == [.timeOfDayDropped(column: "d")])
        // Not dates: day-first, impossible days, eight digits outside 1900–2099, a bad time.
        for cells in [["05/03/2024"], ["2023-02-29"], ["30000101"], ["2024-03-05 25:00"]] {
            #expect(try inferredColumn("d", cells).type != .date, "\(cells)")
        }
    }

    @Test func booleansAsExported() throws {
        for cells in [["Y", "N", "y"], ["是", "否"], ["true", "FALSE"]] {
            #expect(try inferredColumn("flag", cells).type == .boolean, "\(cells)")
        }
        // 0/1 stays a number (decided: a column of counts must still sum); --type boolean reads it.
        #expect(try inferredColumn("flag", ["0", "1", "1"]).type == .integer)
        let typed = try inferredColumn("flag", ["0", "1", "Y"], types: ["flag": .boolean])
        guard case .boolean(let values) = typed.data else { Issue.record("\(typed.type)"); return }
        #expect(values == [false, true, true])
    }

    @Test func gbkIsDetectedAndSaid() throws {
        // 客户号,资产 / C1,"1,000" in GB18030, as Excel on Chinese Windows saves it.
        let gbk: [UInt8] = [0xBF, 0xCD, 0xBB, 0xA7, 0xBA, 0xC5, 0x2C, 0xD7, 0xCA, 0xB2, 0xFA, 0x0D, 0x0A]
            + Array("C1,\"1,000\"\r\n".utf8)
        let t = try DataLoader.load(bytes: gbk, fileName: "g.csv", format: nil, tableName: "t", types: [:])
        #expect(t.columns.map(\.name) == ["客户号", "资产"])
        #expect(t.columns[1].type == .integer)
        #expect(t.notes.first == .readAsEncoding("GB18030"))
        // Named, it is read without a note; named wrongly, the error is at the first bad byte.
        let named = try DataLoader.load(bytes: gbk, fileName: "g.csv", format: nil, tableName: "t", types: [:],
                                        options: LoadOptions(encoding: "GBK"))
        #expect(named.notes.isEmpty)
        #expect(throws: SegError.self) {
            try DataLoader.load(bytes: gbk, fileName: "g.csv", format: nil, tableName: "t", types: [:], options: LoadOptions(encoding: "UTF-8"))
        }
        do {
            _ = try DataLoader.load(bytes: gbk, fileName: "g.csv", format: nil, tableName: "t", types: [:], options: LoadOptions(encoding: "NOPE"))
            Issue.record("expected an error")
        } catch let error as SegError {
            #expect(error.diagnostic == .data(.unknownEncoding("NOPE")))
        }
        // UTF-8 with one bad byte among good Chinese text stays a UTF-8 error.
        let damaged = Array("客户号,资产\n张伟,".utf8) + [0xFF] + Array("\n".utf8)
        #expect(throws: SegError.self) {
            try DataLoader.load(bytes: damaged, fileName: "d.csv", format: nil, tableName: "t", types: [:])
        }
    }
}
