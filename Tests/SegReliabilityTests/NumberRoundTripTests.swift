import SegTestSupport
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

// Numbers never change silently: integers, decimals and dates loaded from CSV print back exactly
// as written (CSV in → CSV out), whether inferred or given a type; values beyond a column's exact
// range are errors with an override, never rounded.

@Suite("numbers round-trip exactly")
struct NumberRoundTripTests {
    /// Loads `csv` and prints `clients show …` as CSV; returns the data rows.
    static func roundTrip(_ csv: String, types: [String: FieldType]) throws -> [[String]] {
        let table = try DataLoader.load(bytes: Array(csv.utf8), fileName: "n.csv", format: .csv, tableName: "clients", types: types)
        var runner = SegRunner(table: table)
        let columns = table.columns.map(\.name).joined(separator: ", ")
        switch runner.answer("clients show \(columns)") {
        case .rows(let rows): return rows
        case .error(let e): throw SQLiteDatabase.Failure(message: e)
        }
    }

    static func integerText(_ r: inout SeededRandom) -> String {
        switch r.int(0...5) {
        case 0: return String(r.pick([Int64.max, Int64.min, 0, -1, 1, Int64.max - 1, Int64.min + 1]))
        case 1: return String(r.int64(Int64.min...Int64.max))
        case 2: return String(r.int64(-1_000...1_000))
        case 3: return String(Int64(1) << Int64(r.int(0...62)) + Int64(r.int(-1...1)))
        case 4: return String(9_007_199_254_740_992 + Int64(r.int(-3...3)))  // where Double loses digits
        default: return String(r.int64(-9_999_999_999...9_999_999_999))
        }
    }

    /// A decimal with exactly `scale` fraction digits whose scaled value fits an Int64.
    static func decimalText(_ r: inout SeededRandom, scale: Int) -> String {
        let raw: Int64
        switch r.int(0...3) {
        case 0: raw = r.pick([Int64.max, Int64.min, 0, -1, 1, 5, -5])
        case 1: raw = r.int64(Int64.min...Int64.max)
        default: raw = r.int64(-1_000_000_000...1_000_000_000)
        }
        return RandomBook.decimalText(raw, scale: scale)
    }

    static func dateText(_ r: inout SeededRandom) -> String {
        if r.chance(0.2) { return r.pick(["2024-02-29", "2000-02-29", "1900-02-28", "0001-01-01", "9999-12-31", "1970-01-01", "1969-12-31"]) }
        return CivilDate.format(CivilDate.days(year: 1, month: 1, day: 1) + r.int(0...3_652_058))
    }

    @Test(arguments: [false, true])
    func loadedValuesPrintBackUnchanged(withOverrides: Bool) throws {
        for seed in UInt64(1)...40 {
            var r = SeededRandom(seed: seed)
            let scale = r.int(1...9)
            let rows = r.int(1...300)
            var lines = ["id,i,d,born"]
            var expected: [[String]] = []
            for k in 0..<rows {
                let row = ["r\(k)", Self.integerText(&r), Self.decimalText(&r, scale: scale), Self.dateText(&r)]
                lines.append(row.joined(separator: ","))
                expected.append(row)
            }
            let types: [String: FieldType] = withOverrides ? ["i": .integer, "d": .decimal, "born": .date] : [:]
            let csv = lines.joined(separator: "\n") + "\n"
            let table = try DataLoader.load(bytes: Array(csv.utf8), fileName: "n.csv", format: .csv, tableName: "clients", types: types)
            #expect(table.columns.dropFirst().map(\.type) == [.integer, .decimal, .date], "seed \(seed)")
            #expect(try Self.roundTrip(csv, types: types) == expected, "seed \(seed), scale \(scale)")
        }
    }

    /// Shorter fractions are widened to the column's scale without changing the value.
    @Test func mixedScalesWidenExactly() throws {
        let rows = try Self.roundTrip("v\n1\n-2.5\n0.125\n92233720368547.758\n", types: [:])
        #expect(rows == [["1.000"], ["-2.500"], ["0.125"], ["92233720368547.758"]])
    }

    @Test func valuesBeyondExactRangeAreErrorsWithOverrides() throws {
        let cases: [(String, FieldType, String)] = [
            ("9223372036854775808", .integer, "does not fit in a 64-bit integer"),
            ("-9223372036854775809", .integer, "does not fit in a 64-bit integer"),
            (String(repeating: "9", count: 400), .integer, "does not fit in a 64-bit integer"),
            ("1.5", .integer, "is not an integer"),
            ("1.5e-1", .integer, "is not an integer"),
            ("0.1234567891", .decimal, "more than 9 fraction digits"),
            ("92233720368547758.08", .decimal, "too large for a decimal"),
            (String(repeating: "9", count: 400), .decimal, "too large for a decimal"),
            ("inf", .decimal, "not a decimal number"),
            ("NaN", .decimal, "not a decimal number"),
            ("1e400", .decimal, "not a decimal number"),
            ("2023-02-29", .date, "not a date"),
        ]
        for (value, type, message) in cases {
            // The bad value on line 3, column 4: the error names that place and shows the value (cut
            // short), since what to do about it (--na, another type) depends on it (issue 13).
            let csv = "id,v\nr1,\(type == .date ? "2026-01-01" : "1")\nr2,\(value)\n"
            #expect(throws: SegError.self) {
                _ = try DataLoader.load(bytes: Array(csv.utf8), fileName: "n.csv", format: .csv, tableName: "clients", types: ["v": type])
            }
            do {
                _ = try DataLoader.load(bytes: Array(csv.utf8), fileName: "n.csv", format: .csv, tableName: "clients", types: ["v": type])
            } catch let e as SegError {
                #expect(e.fileLocation == "n.csv:3:4", "\(value) as \(type): \(e.fileLocation ?? "-") \(e.message)")
                #expect(e.message.contains(message), "\(value) as \(type): \(e.message)")
                #expect(e.message.contains("'\(value.prefix(10))"), "the message shows the value: \(e.message)")
                #expect(e.message.count < 200, "a long value is cut short: \(e.message)")
            }
        }
    }

    /// Without an override, a number that cannot be held exactly stays text, digit for digit.
    @Test func inexactNumbersStayTextWhenInferred() throws {
        let big = String(repeating: "7", count: 40)
        let rows = try Self.roundTrip("v\n1\n\(big)\n0.1234567891\n", types: [:])
        #expect(rows == [["1"], [big], ["0.1234567891"]])
    }

    /// Query literals are exact too: a literal with more digits than the column moves the bound, never rounds.
    @Test func literalsCompareExactly() throws {
        let csv = "id,v\nr1,1.00\nr2,1.01\nr3,0.99\nr4,92233720368547758.07\n"
        let table = try DataLoader.load(bytes: Array(csv.utf8), fileName: "n.csv", format: .csv, tableName: "clients", types: [:])
        var runner = SegRunner(table: table)
        let cases: [(String, String)] = [
            ("v = 1.001", "0"), ("v > 1.001", "2"), ("v >= 1.001", "2"), ("v < 1.009", "2"), ("v = 1.0100", "1"),
            ("v > 92233720368547758.06", "1"), ("v = 92233720368547758.07", "1"), ("v < 92233720368547758.07", "3"),
            ("v > 9223372036854775807", "0"), ("v < -9223372036854775807", "0"), ("v != 0.001", "4"),
        ]
        for (condition, count) in cases {
            #expect(runner.answer("clients where \(condition) count") == .rows([[count]]), "\(condition)")
        }
    }
}
