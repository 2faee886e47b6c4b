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

/// A one-column CSV with the given cells (each written as is, one per line).
func inferredColumn(_ name: String, _ cells: [String], types: [String: FieldType] = [:]) throws -> Column {
    let t = try loadReaderText(([name] + cells).joined(separator: "\n") + "\n", types: types)
    return try #require(t.columns.first)
}

@Suite("Type inference")
struct InferenceTests {
    // MARK: Boolean, date

    @Test func booleans() throws {
        let c = try inferredColumn("active", ["true", "FALSE", "", "True"])
        #expect(c.type == .boolean)
        #expect(c.cellTexts == ["true", "false", nil, "true"])
        #expect(try inferredColumn("flag", ["true", "yes"]).type == .category)
    }

    @Test func dates() throws {
        let c = try inferredColumn("birthday", ["1990-04-12", "", "2000-02-29"])
        #expect(c.type == .date)
        #expect(c.cellTexts == ["1990-04-12", nil, "2000-02-29"])
        guard case .date(let days) = c.data else { return }
        #expect(days[0] == Int32(CivilDate.days(year: 1990, month: 4, day: 12)))
        // Not a real day, or not exactly YYYY-MM-DD: not a date column.
        #expect(try inferredColumn("d", ["2023-02-29", "2023-01-01"]).type == .category)
        // `2023-1-01` is a date as exported (BankExportShapeTests); a month 13 is not.
        #expect(try inferredColumn("d", ["2023-13-01", "2023-01-01"]).type == .category)
    }

    // MARK: Integer

    @Test func integers() throws {
        let c = try inferredColumn("age", ["34", "-7", "0", "-0", "", "9223372036854775807", "-9223372036854775808"])
        #expect(c.type == .integer)
        #expect(c.cellTexts == ["34", "-7", "0", "0", nil, "9223372036854775807", "-9223372036854775808"])
        #expect(c.missingCount == 1)
    }

    @Test func integerOverflowIsText() throws {
        let c = try inferredColumn("n", ["1", "9223372036854775808"])
        #expect(c.type == .text)
        #expect(c.cellTexts == ["1", "9223372036854775808"])
        let long = String(repeating: "9", count: 400)
        #expect(try inferredColumn("n", ["1", long]).type == .text)
        #expect(try inferredColumn("n", ["1", "-9223372036854775809"]).type == .text)
    }

    @Test func leadingZerosMakeText() throws {
        let c = try inferredColumn("n", ["123", "00123"])
        #expect(c.type == .text)
        #expect(c.cellTexts == ["123", "00123"])
        #expect(try inferredColumn("n", ["-01", "5"]).type == .text)
        #expect(try inferredColumn("n", ["00.5", "1.5"]).type == .text)
        #expect(try inferredColumn("n", ["0.5", "0", "-0.25"]).type == .decimal)
    }

    @Test(arguments: ["id", "ID", "client_id", "client id", "clientId", "clientID", "phone", "home_tel", "Mobile",
                      "zip", "postcode", "account_no", "card", "branch_code", "手机号"])
    func identifierNamesStayText(name: String) throws {
        let c = try inferredColumn(name, ["12345", "67890", "12345"])
        #expect(c.type == .text)
        #expect(try inferredColumn(name, ["1.5", "2.5"]).type == .text)
    }

    @Test(arguments: ["age", "paid", "idle_days", "score", "ident"])
    func ordinaryNamesStayNumeric(name: String) throws {
        #expect(try inferredColumn(name, ["1", "2"]).type == .integer)
    }

    @Test func notNumbers() throws {
        // `1e5`, `1,234`, ` 42` and `+5` are numbers as banks write them (BankExportTests).
        for cells in [["1", "inf"], ["1", "nan"], ["1", "\"1,23\""], ["1", "1 234"], ["1", "5."], ["1", "1.2.3"], ["1", "12abc"]] {
            let c = try inferredColumn("n", cells)
            #expect(c.type == .category, "\(cells)")
        }
    }

    // MARK: Decimal

    @Test func decimalsUseTheLargestScale() throws {
        let c = try inferredColumn("assets", ["12.5", "3", "-0.25", "", "1000000.10"])
        #expect(c.type == .decimal)
        #expect(c.scale == 2)
        guard case .decimal(let raw, let scale) = c.data else { return }
        #expect(scale == 2)
        #expect(raw == [1250, 300, -25, 0, 100_000_010])
        #expect(c.cellTexts == ["12.50", "3.00", "-0.25", nil, "1000000.10"])
    }

    @Test func decimalLimits() throws {
        let nine = try inferredColumn("x", ["0.123456789", "1"])
        #expect(nine.type == .decimal)
        #expect(nine.scale == 9)
        // Ten fraction digits cannot be stored exactly: text, not rounded.
        let ten = try inferredColumn("x", ["0.1234567891", "1"])
        #expect(ten.type == .text)
        #expect(ten.cellTexts == ["0.1234567891", "1"])
        // Fits as an integer part, but not once scaled by the column's scale.
        let big = try inferredColumn("x", ["9223372036854775807", "0.5"])
        #expect(big.type == .text)
        #expect(try inferredColumn("x", ["92233720368547758.07", "-92233720368547758.08"]).type == .decimal)
        #expect(try inferredColumn("x", ["92233720368547758.08", "1"]).type == .text)
    }

    // MARK: Strings: tags, category, text

    @Test func tags() throws {
        let c = try inferredColumn("products", ["fund;deposit", "fund", "", " bond ; fund ;;", "deposit"])
        #expect(c.type == .tags)
        guard case .tags(let t) = c.data else { return }
        #expect(t.vocabulary == ["bond", "deposit", "fund"])
        #expect(t.wordsPerRow == 1)
        #expect(c.cellTexts == ["deposit;fund", "fund", nil, "bond;fund", "deposit"])
    }

    @Test func tagsVocabularyIsSortedByBytesAndWide() throws {
        // 70 distinct tokens across 200 cells that repeat: tags with two words per row.
        let cells = (0..<200).map { i in "t\(i % 70);t\((i + 1) % 70)" }
        let c = try inferredColumn("labels", cells)
        #expect(c.type == .tags)
        guard case .tags(let t) = c.data else { return }
        #expect(t.vocabulary.count == 70)
        #expect(t.wordsPerRow == 2)
        #expect(t.vocabulary == t.vocabulary.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(c.cellText(69) == "t0;t69")
    }

    @Test func semicolonsWithoutRepeatsAreNotTags() throws {
        // 100 unique tokens over 100 cells: tokens do not repeat, vocabulary > 64.
        let cells = (0..<100).map { "note \($0); more \($0)" }
        #expect(try inferredColumn("note", cells).type == .text)
    }

    @Test func categories() throws {
        let c = try inferredColumn("city", ["上海", "北京", "Zurich", "上海", "", "Amsterdam"])
        #expect(c.type == .category)
        guard case .category(let codes, let dictionary) = c.data else { return }
        // Sorted by UTF-8 bytes, so code order is value order.
        #expect(dictionary == ["Amsterdam", "Zurich", "上海", "北京"])
        #expect(codes == [2, 3, 1, 2, 0, 0])
        #expect(c.cellTexts == ["上海", "北京", "Zurich", "上海", nil, "Amsterdam"])
    }

    @Test func categoryThresholds() throws {
        // 32 distinct values: category even when each appears once.
        #expect(try inferredColumn("v", (0..<32).map { "v\($0)" }).type == .category)
        // 33 distinct in 33 cells: text.
        #expect(try inferredColumn("v", (0..<33).map { "v\($0)" }).type == .text)
        // 40 distinct in 400 cells (one in ten): category; 41 in 400: text.
        #expect(try inferredColumn("v", (0..<400).map { "v\($0 % 40)" }).type == .category)
        #expect(try inferredColumn("v", (0..<400).map { "v\($0 % 41)" }).type == .text)
    }

    @Test func allMissingIsText() throws {
        let c = try inferredColumn("empty", ["", "  ", "\"\""])
        #expect(c.type == .text)
        #expect(c.missingCount == 3)
    }

    @Test func cellsAreNotTrimmed() throws {
        let c = try inferredColumn("v", ["a ", " a", "a"], types: ["v": .text])
        #expect(c.cellTexts == ["a ", " a", "a"])
    }

    // MARK: Overrides

    @Test func overridesConvertStrictly() throws {
        let t = try loadReaderText("zip,price,day,ok,code,note\n00123,12,2024-01-31,TRUE,7,a;b\n,3.25,,false,8,\n",
                             types: ["ZIP": .integer, "price": .decimal, "day": .date, "ok": .boolean, "code": .category,
                                     "note": .tags])
        #expect(t.columnType("zip") == .integer)
        #expect(t.cellTexts("zip") == ["123", nil])
        #expect(t.columnType("price") == .decimal)
        #expect(t.cellTexts("price") == ["12.00", "3.25"])
        #expect(t.cellTexts("day") == ["2024-01-31", nil])
        #expect(t.cellTexts("ok") == ["true", "false"])
        #expect(t.columnType("code") == .category)
        #expect(t.cellTexts("code") == ["7", "8"])
        #expect(t.columnType("note") == .tags)
        #expect(t.cellTexts("note") == ["a;b", nil])
    }

    @Test func overridesToStringTypesAlwaysWork() throws {
        let cells = ["1", "x", "2024-01-01", "true", "00123"]
        for type in [FieldType.text, .category, .tags] {
            let c = try inferredColumn("v", cells, types: ["v": type])
            #expect(c.type == type)
            #expect(c.cellTexts == cells)
        }
        let many = try inferredColumn("v", (0..<5_000).map { "value \($0)" }, types: ["v": .category])
        #expect(many.type == .category)
        #expect(many.cellText(4_999) == "value 4999")
    }

    @Test(arguments: [
        ("integer", "n\n1\n2.5\n", "column 'n' was given type integer but '2.5' is not an integer @ t.csv:3:1"),
        ("integer", "n\n1\n99999999999999999999\n", "column 'n' was given type integer but '99999999999999999999' does not fit in a 64-bit integer @ t.csv:3:1"),
        ("decimal", "n\n1\nabc\n", "column 'n' was given type decimal but 'abc' is not a decimal number @ t.csv:3:1"),
        ("decimal", "n\n1\n0.12345678901\n", "column 'n' was given type decimal but '0.12345678901' has more than 9 fraction digits @ t.csv:3:1"),
        ("decimal", "n\n9223372036854775807\n0.5\n", "column 'n' was given type decimal but '9223372036854775807' is too large for a decimal with 1 fraction digits @ t.csv:2:1"),
        ("date", "n\n2024-01-01\n2023-02-29\n", "column 'n' was given type date but '2023-02-29' is not a date (YYYY-MM-DD) @ t.csv:3:1"),
        ("boolean", "n\ntrue\nyes\n", "column 'n' was given type boolean but 'yes' is not true or false @ t.csv:3:1"),
        ("integer", "a,n\nx,1\n\"y\",\"1 x\"\n", "column 'n' was given type integer but '1 x' is not an integer @ t.csv:3:5"),
    ])
    func overrideFailures(type: String, text: String, expected: String) throws {
        let fieldType = try #require(FieldType(rawValue: type))
        #expect(failureSummary(readerFailure(text, types: ["n": fieldType])) == expected)
    }

    @Test func theEarliestFailingCellIsReported() {
        let text = "a,b\n1,2\n3,x\ny,4\n"
        #expect(failureSummary(readerFailure(text, types: ["a": .integer, "b": .integer]))
            == "column 'b' was given type integer but 'x' is not an integer @ t.csv:3:3")
    }

    @Test func overrideForAnUnknownColumnIsAUsageError() {
        let e = readerFailure("name,age\nAnn,3\n", types: ["agee": .integer])
        #expect(e?.kind == .usage)
        #expect(e?.exitCode == 64)
        #expect(e?.message == "cannot set the type of 'agee': t.csv has no such column (did you mean 'age'?)")
        let far = readerFailure("name,age\nAnn,3\n", types: ["zzzzzz": .integer])
        #expect(far?.message == "cannot set the type of 'zzzzzz': t.csv has no such column")
    }

    @Test func overrideNamesAreCaseInsensitive() throws {
        let c = try inferredColumn("Phone", ["13800000001"], types: ["PHONE": .integer])
        #expect(c.type == .integer)
    }
}
