import Foundation
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

@Suite("JSON reader")
struct JSONReaderTests {
    @Test func arrayOfObjects() throws {
        let t = try loadReaderText("""
            [
              {"name": "Ann", "age": 34, "vip": true, "assets": 10.5},
              {"age": 58, "name": "Bob", "vip": false, "city": "上海", "assets": 3},
              {"name": "Cy", "age": null, "vip": null}
            ]
            """, name: "t.json")
        #expect(t.rowCount == 3)
        // Keys in first-seen order; a key absent from a record is missing.
        #expect(t.columns.map(\.name) == ["name", "age", "vip", "assets", "city"])
        #expect(t.columnType("age") == .integer)
        #expect(t.cellTexts("age") == ["34", "58", nil])
        #expect(t.columnType("vip") == .boolean)
        #expect(t.cellTexts("vip") == ["true", "false", nil])
        #expect(t.columnType("assets") == .decimal)
        #expect(t.cellTexts("assets") == ["10.5", "3.0", nil])
        #expect(t.cellTexts("city") == [nil, "上海", nil])
    }

    @Test func jsonLinesWithBlankLinesAndCRLF() throws {
        let t = try loadReaderText("{\"a\": 1, \"b\": \"x\"}\r\n\n  \n{\"b\": \"y\", \"a\": 2}\n{\"a\": 3}", name: "t.jsonl")
        #expect(t.rowCount == 3)
        #expect(t.cellTexts("a") == ["1", "2", "3"])
        #expect(t.cellTexts("b") == ["x", "y", nil])
    }

    @Test func numbersKeepTheirExactText() throws {
        let t = try loadReaderText("""
            [{"a": 1.50, "b": 12345678901234567890, "c": 1e5, "d": -0.125, "e": 0},
             {"a": 2, "b": 1, "c": 2, "d": 3, "e": -0}]
            """, name: "t.json")
        #expect(t.columnType("a") == .decimal)
        #expect(t.cellTexts("a") == ["1.50", "2.00"])
        // Too large for an Int64: text, never rounded.
        #expect(t.columnType("b") == .text)
        #expect(t.cellTexts("b") == ["12345678901234567890", "1"])
        // 1e5 is exactly 100000 (issue 13 reads scientific notation exactly).
        #expect(t.columnType("c") == .integer)
        #expect(t.cellTexts("c") == ["100000", "2"])
        #expect(t.cellTexts("d") == ["-0.125", "3.000"])
        #expect(t.cellTexts("e") == ["0", "0"])
    }

    @Test func arraysOfStringsAreTags() throws {
        let t = try loadReaderText("""
            [{"p": ["fund", " deposit "]}, {"p": []}, {"p": ["fund"]}, {"p": null}, {"p": "bond;fund"}]
            """, name: "t.json")
        #expect(t.columnType("p") == .tags)
        #expect(t.cellTexts("p") == ["deposit;fund", nil, "fund", nil, "bond;fund"])
        guard case .tags(let tags)? = t.column(named: "p")?.data else { return }
        #expect(tags.vocabulary == ["bond", "deposit", "fund"])
    }

    @Test func stringEscapes() throws {
        let t = try loadReaderText(#"""
            [{"s": "q\"b\\s\/n\nt\tr\rb\bf\f"},
             {"s": "\u00e9\u4e2d\uD83D\uDE00 ok"},
             {"s": "plain"}]
            """#, name: "t.json", types: ["s": .text])
        #expect(t.cellTexts("s") == ["q\"b\\s/n\nt\tr\rb\u{08}f\u{0C}", "é中😀 ok", "plain"])
    }

    @Test func keysWithEscapesMatchTheirPlainSpelling() throws {
        // The same key written plainly and escaped is one column; keys holding a backslash or quote too.
        let t = try loadReaderText(#"""
            {"na\u006de": "a", "b\\c": 1}
            {"name": "b", "b\\c": 2}
            {"name": "c", "b\\c": 3, "b\\\"c": 4}
            """#, name: "t.jsonl")
        #expect(t.columns.map(\.name) == ["name", #"b\c"#, #"b\"c"#])
        #expect(t.cellTexts("name") == ["a", "b", "c"])
        #expect(t.cellTexts(#"b\c"#) == ["1", "2", "3"])
        #expect(t.cellTexts(#"b\"c"#) == [nil, nil, "4"])
    }

    @Test func fixtureFiles() throws {
        let json = try DataLoader.load(path: readerFixture("clients.json"), tableName: "t", types: [:])
        #expect(json.columns.map(\.name) == ["id", "name", "age", "assets", "products", "vip", "note"])
        #expect(json.cellTexts("name") == ["王伟", "李娜", "张强"])
        #expect(json.cellTexts("age") == ["34", "58", nil])
        #expect(json.columnType("products") == .tags)
        #expect(json.cellTexts("products") == ["deposit;fund", "fund", nil])
        #expect(json.cellTexts("note") == [nil, "line\nbreak", nil])
        #expect(json.cellTexts("assets") == ["1250000.50", "830000.00", "2100000.25"])

        let lines = try DataLoader.load(path: readerFixture("clients.jsonl"), tableName: "t", types: [:])
        #expect(lines.columns.map(\.name) == ["id", "risk", "score"])
        #expect(lines.cellTexts("risk") == ["averse", "growth", "averse"])
        #expect(lines.cellTexts("score") == ["700", "650", nil])
    }

    @Test func manyRecordsAcrossChunksWithLateKeys() throws {
        var text = ""
        let rows = 40_000
        for i in 0..<rows {
            if i == 30_000 {
                text += "{\"id\": \(i), \"late\": \"x\", \"n\": \(i)}\n"
            } else if i % 2 == 0 {
                text += "{\"id\": \(i), \"n\": \(i * 2)}\n"
            } else {
                text += "{\"n\": \(i * 2), \"id\": \(i)}\n"
            }
        }
        let t = try loadReaderText(text, name: "t.jsonl", types: ["id": .integer])
        #expect(t.rowCount == rows)
        guard case .integer(let ids)? = t.column(named: "id")?.data else {
            Issue.record("id is not integer")
            return
        }
        #expect(ids == (0..<rows).map { Int64($0) })
        let late = try #require(t.column(named: "late"))
        #expect(late.missingCount == rows - 1)
        #expect(late.cellText(30_000) == "x")
        #expect(t.column(named: "n")?.cellText(39_999) == "79998")
        #expect(t.column(named: "n")?.cellText(30_000) == "30000")
    }

    /// About 4 MB of records in `layout`, so the parallel chunking is exercised; record 70,000 first
    /// shows the key `late`.
    static let bigLines = bigJSON(rows: 100_000, pretty: false)
    static let bigArray = bigJSON(rows: 100_000, pretty: true)

    static func bigJSON(rows: Int, pretty: Bool) -> String {
        var s = pretty ? "[\n" : ""
        s.reserveCapacity(rows * 48)
        for i in 0..<rows {
            var record: String
            if i == 70_000 {
                record = "{\"id\": \(i), \"late\": [\"x\", \"y\"], \"n\": \(i)}"
            } else if i % 2 == 0 {
                record = "{\"id\": \(i), \"n\": \(i * 2), \"s\": \"v\\u00e9\(i % 50)\"}"
            } else {
                record = "{\"s\": \"w\(i % 50)\", \"n\": \(i * 2), \"id\": \(i)}"
            }
            if pretty {
                s += "  " + record + (i == rows - 1 ? "\n" : ",\n")
            } else {
                s += record + "\n"
            }
        }
        if pretty { s += "]\n" }
        return s
    }

    @Test(arguments: [false, true])
    func largeFilesAcrossParallelChunks(pretty: Bool) throws {
        let rows = 100_000
        let text = pretty ? Self.bigArray : Self.bigLines
        #expect(text.utf8.count > 3 * JSONReader.chunkBytes)
        let t = try loadReaderText(text, name: pretty ? "t.json" : "t.jsonl", types: ["id": .integer])
        #expect(t.rowCount == rows)
        #expect(t.columns.map(\.name) == ["id", "n", "s", "late"])
        guard case .integer(let ids)? = t.column(named: "id")?.data else {
            Issue.record("id is not integer")
            return
        }
        #expect(ids == (0..<rows).map { Int64($0) })
        #expect(t.columnType("late") == .tags)
        let late = try #require(t.column(named: "late"))
        #expect(late.missingCount == rows - 1)
        #expect(late.cellText(70_000) == "x;y")
        #expect(t.columnType("s") == .category)
        #expect(t.column(named: "s")?.cellText(99_998) == "vé48")
        #expect(t.column(named: "n")?.cellText(99_999) == "199998")
    }

    @Test func errorsInLaterChunksKeepTheirPosition() {
        let text = Self.bigLines + "{\"id\": 1, \"n\": {}}\n"
        #expect(failureSummary(readerFailure(text, name: "t.jsonl")) == "field 'n': nested objects are not supported @ t.jsonl:100001:16")
        let conflict = Self.bigLines + "{\"ID\": 1}\n"
        #expect(failureSummary(readerFailure(conflict, name: "t.jsonl")) == "field 'ID' differs from field 'id' only in case @ t.jsonl:100001:2")
        let missingComma = Self.bigArray.replacingOccurrences(of: "\"id\": 99999}\n]", with: "\"id\": 99999}\n  {\"id\": 1}\n]")
        #expect(failureSummary(readerFailure(missingComma, name: "t.json")) == "expected ',' or ']' after a record @ t.json:100002:3")
        let override = Self.bigLines + "{\"id\": \"x\"}\n"
        #expect(failureSummary(readerFailure(override, name: "t.jsonl", types: ["id": .integer]))
            == "column 'id' was given type integer but 'x' is not an integer @ t.jsonl:100001:8")
    }

    // MARK: Malformed JSON

    @Test(arguments: [
        ("", "no records @ t.json:1:1"),
        ("  \n ", "no records @ t.json:1:1"),
        ("[]", "no records @ t.json:1:1"),
        ("[{}, {}]", "no fields in any record @ t.json:1:1"),
        ("\"x\"", "expected '[' (an array of records) or '{' (JSON Lines) at the start of the file @ t.json:1:1"),
        ("[{\"a\": 1},]", "expected a record ('{') in the array @ t.json:1:11"),
        ("[{\"a\": 1} {\"a\": 2}]", "expected ',' or ']' after a record @ t.json:1:11"),
        ("[{\"a\": 1}", "unexpected end of input (expected ',' or ']' after a record) @ t.json:1:10"),
        ("[{\"a\": 1}] x", "unexpected text after the JSON array @ t.json:1:12"),
        ("[{\"a\" 1}]", "expected ':' after field name 'a' @ t.json:1:7"),
        ("[{\"a\": 1 \"b\": 2}]", "expected ',' or '}' after the value of field 'a' @ t.json:1:10"),
        ("[{a: 1}]", "expected a field name in double quotes @ t.json:1:3"),
        ("[{\"a\": 1,}]", "expected a field name in double quotes @ t.json:1:10"),
        ("[{\"\": 1}]", "empty field name @ t.json:1:3"),
        ("[{\"a\": tru}]", "expected a value for field 'a' @ t.json:1:8"),
        ("[{\"a\": truex}]", "expected a value for field 'a' @ t.json:1:8"),
        ("[{\"a\": 01}]", "expected ',' or '}' after the value of field 'a' @ t.json:1:9"),
        ("[{\"a\": -}]", "invalid number for field 'a' @ t.json:1:8"),
        ("[{\"a\": 1.}]", "invalid number for field 'a' @ t.json:1:8"),
        ("[{\"a\": 1e}]", "invalid number for field 'a' @ t.json:1:8"),
        ("[{\"a\": 1, \"b\": 2, \"a\": 3}]", "duplicate field 'a' in one record @ t.json:1:19"),
        ("[{\"a\": 1}, {\"A\": 2}]", "field 'A' differs from field 'a' only in case @ t.json:1:13"),
        ("[{\"a\": {\"b\": 1}}]", "field 'a': nested objects are not supported @ t.json:1:8"),
        ("[{\"a\": [1, 2]}]", "field 'a': only arrays of strings are supported @ t.json:1:9"),
        ("[{\"a\": [\"x\", [\"y\"]]}]", "field 'a': only arrays of strings are supported @ t.json:1:14"),
        ("[{\"a\": [\"x\", {}]}]", "field 'a': only arrays of strings are supported @ t.json:1:14"),
        ("[{\"a\": [\"x\" \"y\"]}]", "expected ',' or ']' in the array of field 'a' @ t.json:1:13"),
        ("[{\"a\": \"abc}]", "unterminated string @ t.json:1:8"),
        ("[{\"a\": \"a\\qb\"}]", "invalid escape in a string @ t.json:1:10"),
        ("[{\"a\": \"a\\u12\"}]", "invalid \\u escape (it needs four hex digits) @ t.json:1:10"),
        ("[{\"a\": \"\\uD83D x\"}]", "unpaired surrogate in a \\u escape @ t.json:1:9"),
        ("[{\"a\": \"\\uDE00\"}]", "unpaired surrogate in a \\u escape @ t.json:1:9"),
        ("[{\"a\": \"\\uD83D\\u0041\"}]", "unpaired surrogate in a \\u escape @ t.json:1:9"),
        ("[{\"a\": \"\\u0000\"}]", "NUL character (\\u0000) in a string @ t.json:1:9"),
        ("[{\"a\": \"x\ty\"}]", "control character in a string (it must be escaped) @ t.json:1:10"),
        ("[{\"a\": 1},\n {\"a\": \"two\nlines\"}]", "control character in a string (it must be escaped) @ t.json:2:12"),
    ])
    func malformedArray(text: String, expected: String) {
        #expect(failureSummary(readerFailure(text, name: "t.json")) == expected)
    }

    @Test(arguments: [
        ("{\"a\": 1} {\"a\": 2}\n", "expected a line break after the record (JSON Lines holds one object per line) @ t.jsonl:1:10"),
        ("{\"a\": 1}\n[1]\n", "expected '{' to start a record (JSON Lines holds one object per line) @ t.jsonl:2:1"),
        ("{\"a\": 1}\n{\"a\": \n", "unexpected end of input (expected a value for field 'a') @ t.jsonl:3:1"),
        ("{\"a\": 1}\r\n{\"a\": 2, \"b\": {}}\n", "field 'b': nested objects are not supported @ t.jsonl:2:15"),
    ])
    func malformedLines(text: String, expected: String) {
        #expect(failureSummary(readerFailure(text, name: "t.jsonl")) == expected)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(failureSummary(readerFailure(deep, name: "t.json")) == "expected a record ('{') in the array @ t.json:1:2")
        let deepObjects = "[{\"a\": " + String(repeating: "{\"a\": ", count: 10_000) + "1" + String(repeating: "}", count: 10_001) + "]"
        #expect(failureSummary(readerFailure(deepObjects, name: "t.json")) == "field 'a': nested objects are not supported @ t.json:1:8")
        let deepArrays = "{\"a\": " + String(repeating: "[", count: 10_000) + "\n"
        #expect(failureSummary(readerFailure(deepArrays, name: "t.jsonl")) == "field 'a': only arrays of strings are supported @ t.jsonl:1:8")
    }

    @Test func invalidUTF8InAString() {
        let bytes = Array("[{\"a\": \"中".utf8) + [0xE4, 0xB8] + Array("\"}]".utf8)
        #expect(failureSummary(readerFailure(bytes, name: "t.json")) == "invalid UTF-8 (the file must be UTF-8 encoded) @ t.json:1:10")
    }

    @Test func overrideErrorPointsAtTheValue() {
        let text = "[{\"age\": 1},\n {\"name\": \"x\", \"age\": \"forty\"}]"
        let e = readerFailure(text, name: "t.json", types: ["age": .integer])
        #expect(failureSummary(e) == "column 'age' was given type integer but 'forty' is not an integer @ t.json:2:23")
        let lines = "{\"age\": 1}\n{\"age\": 1.5}\n"
        #expect(failureSummary(readerFailure(lines, name: "t.jsonl", types: ["age": .integer]))
            == "column 'age' was given type integer but '1.5' is not an integer @ t.jsonl:2:9")
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let t = try DataLoader.load(bytes: [0xEF, 0xBB, 0xBF] + Array("[{\"a\": 1}]".utf8), fileName: "t.json",
                                    format: nil, tableName: "t", types: [:])
        #expect(t.cellTexts("a") == ["1"])
    }
}
