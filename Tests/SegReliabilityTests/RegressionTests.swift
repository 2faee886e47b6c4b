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

// Every bug the reliability work found, kept as a test (fuzz crashes would be added here too, with
// the input that found them).

@Suite("reliability regressions")
struct RegressionTests {
    static func runner(_ csv: String, types: [String: FieldType] = [:]) throws -> SegRunner {
        SegRunner(table: try DataLoader.load(bytes: Array(csv.utf8), fileName: "r.csv", format: .csv, tableName: "clients", types: types))
    }

    /// Found by the differential tests: comparing two fields read a missing category cell's
    /// placeholder code from an empty dictionary (index out of range, a crash).
    @Test func comparingWithAnAllMissingCategoryDoesNotCrash() throws {
        var seg = try Self.runner("id,risk,city\nc1,a,\nc2,b,\n", types: ["risk": .category, "city": .category])
        #expect(seg.answer("clients where risk = city count") == .rows([["0"]]))
        #expect(seg.answer("clients where not risk < city count") == .rows([["0"]]))
        #expect(seg.answer("clients where city >= risk or risk = risk count") == .rows([["2"]]))
    }

    /// Found with the limits tests: 120 nested queries or a chain of 300 segments overflowed a
    /// 1 MiB stack (segfault). Statements now run on a 64 MiB stack of their own, and segment
    /// chains are bounded like every other nesting.
    @Test func deepQueriesAndSegmentChainsRunOnTheirOwnStack() throws {
        var seg = try Self.runner("id,age\nC1,30\nC2,0\n")
        var query = "clients"
        for _ in 0..<200 { query = "(\(query) where age > 1)" }
        #expect(seg.answer("\(query) count") == .rows([["1"]]))
        var lines = ["let s0 = clients where age > 1"]
        for i in 1..<300 { lines.append("let s\(i) = s\(i - 1) where age > 1") }
        guard case .error(let message) = seg.answer(lines.joined(separator: "\n")) else {
            Issue.record("a 300-segment chain should be refused")
            return
        }
        #expect(message.contains("more than 256 levels deep"))
    }

    /// Found while fuzzing by hand: `like` and `~` on a tag field silently matched nothing.
    @Test func textTestsOnTagFieldsAreErrors() throws {
        var seg = try Self.runner("id,products\nC1,fund;deposit\nC2,fund\n", types: ["products": .tags])
        for test in ["products like \"fu%\"", "products ~ \"fund\"", "products not like \"x\""] {
            guard case .error(let message) = seg.answer("clients where \(test) count") else {
                Issue.record("\(test) should be an error")
                continue
            }
            #expect(message.contains("is a tag field; test it with 'has'"), "\(message)")
        }
        #expect(seg.answer("clients where products contains fund count") == .rows([["2"]]))
    }

    /// Found by ThreadSanitizer: columns are typed in parallel, and an all-empty text column made
    /// `[UInt8](unsafeUninitializedCapacity: 0)`, which writes the count of the shared empty-array
    /// storage while other threads read it. (Meaningful under `scripts/sanitize thread`.)
    @Test func emptyTextColumnsLoadInParallel() throws {
        let header = (0..<8).map { "c\($0)" }.joined(separator: ",")
        for _ in 0..<20 {
            let csv = header + "\n" + String(repeating: ",", count: 7) + "\n"
            let table = try DataLoader.load(bytes: Array(csv.utf8), fileName: "e.csv", format: .csv, tableName: "clients",
                                            types: ["c0": .text, "c1": .text, "c2": .text, "c3": .text])
            #expect(table.columns.allSatisfy { $0.missingCount == 1 })
        }
    }

    /// Found by the output property test: a book saved from a file whose category column is
    /// empty in every row (an empty dictionary, placeholder codes 0) could not be opened again
    /// ("damaged seg book: column 'risk' has a code past its dictionary").
    @Test func anAllMissingCategoryColumnSurvivesABook() throws {
        let table = try DataLoader.load(bytes: Array("id,risk\nc1,\nc2,\n".utf8), fileName: "r.csv", format: .csv,
                                        tableName: "clients", types: ["risk": .category])
        let back = try BookFile.decode(try BookFile.encode(table), fileName: "r.segbook", tableName: "clients")
        #expect(back.column(named: "risk")?.missingCount == 2)
        var seg = SegRunner(table: back)
        #expect(seg.answer("clients where risk is empty count") == .rows([["2"]]))
        // Values with an empty dictionary are still refused.
        let forged = Table(name: "clients", columns: [Column(name: "risk", data: .category(codes: [0, 0], dictionary: []),
                                                             validity: nil, count: 2)], rowCount: 2, origin: "")
        #expect(throws: SegError.self) { try BookFile.decode(try BookFile.encode(forged), fileName: "f.segbook", tableName: "clients") }
    }

    /// A 10 MB statement's error shows a window of the line and of the message, not megabytes.
    @Test func errorsOnHugeLinesStayShort() throws {
        var seg = try Self.runner("id,risk\nC1,averse\n", types: ["risk": .category])
        let huge = String(repeating: "y", count: 1 << 20)
        guard case .error(let message) = seg.answer("clients where risk = \"\(huge)\" count") else {
            Issue.record("an unknown value should be an error")
            return
        }
        #expect(message.utf8.count < 2_000, "\(message.utf8.count) bytes")
        #expect(message.contains("unknown value") && message.contains("for field 'risk'"))
        #expect(message.contains("^"))
        // Short lines render exactly as before.
        guard case .error(let short) = seg.answer("clients where risk = avrese") else { return }
        #expect(short == "error: unknown value 'avrese' for field 'risk' (did you mean 'averse'?)\n 1 | clients where risk = avrese\n   |                      ^^^^^^\n")
    }
}
