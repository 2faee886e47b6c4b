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

// The library file is edited as text: these pin down exactly what `save` and `drop` change.

@Suite("Segment library")
struct SegmentLibraryTests {
    static let file = """
        # Team segments

        -- the wealthy
        -- (over a million)
        let rich = clients where assets > 1m
        let averse = rich where risk = averse   -- bonds

        let sz = clients where city = 深圳; let bj = clients where city = 北京
        let multi = clients where (age > 30
            and age < 40)
        """ + "\n"

    func temporaryLibrary(_ text: String?) throws -> SegmentLibrary {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seg-lib-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("segments.seg").path
        if let text { try text.write(toFile: path, atomically: false, encoding: .utf8) }
        return SegmentLibrary(path: path)
    }

    func contents(_ library: SegmentLibrary) throws -> String {
        try String(contentsOfFile: library.path, encoding: .utf8)
    }

    @Test func replacingKeepsEverythingElse() throws {
        let library = try temporaryLibrary(Self.file)
        try library.save(name: "averse", definition: "rich where risk in (averse, conservative)") { _ in }
        #expect(try contents(library) == Self.file.replacingOccurrences(
            of: "let averse = rich where risk = averse   -- bonds",
            with: "let averse = rich where risk in (averse, conservative)   -- bonds"))
    }

    @Test func replacingAMultiLineStatement() throws {
        let library = try temporaryLibrary(Self.file)
        try library.save(name: "MULTI", definition: "clients where age > 50") { _ in }
        #expect(try contents(library).hasSuffix("let sz = clients where city = 深圳; let bj = clients where city = 北京\nlet MULTI = clients where age > 50\n"))
    }

    @Test func appendingANewSegment() throws {
        let library = try temporaryLibrary(Self.file)
        try library.save(name: "young", definition: "clients where age < 30") { _ in }
        #expect(try contents(library) == Self.file + "let young = clients where age < 30\n")
    }

    @Test func appendingToAFileWithoutAFinalNewline() throws {
        let library = try temporaryLibrary("let a = clients where age > 1")
        try library.save(name: "b", definition: "clients") { _ in }
        #expect(try contents(library) == "let a = clients where age > 1\nlet b = clients\n")
    }

    @Test func creatingTheFile() throws {
        let library = try temporaryLibrary(nil)
        try library.save(name: "a", definition: "clients where age > 1") { _ in }
        let text = try contents(library)
        #expect(text.hasPrefix("-- "))
        #expect(text.hasSuffix("\n\nlet a = clients where age > 1\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: library.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func droppingRemovesTheCommentsDirectlyAbove() throws {
        let library = try temporaryLibrary(Self.file)
        #expect(try library.drop(name: "rich"))
        #expect(try contents(library) == Self.file.replacingOccurrences(
            of: "-- the wealthy\n-- (over a million)\nlet rich = clients where assets > 1m\n", with: ""))
    }

    @Test func droppingALineWithATrailingComment() throws {
        let library = try temporaryLibrary(Self.file)
        #expect(try library.drop(name: "averse"))
        #expect(try contents(library) == Self.file.replacingOccurrences(of: "let averse = rich where risk = averse   -- bonds\n", with: ""))
    }

    @Test func droppingOneOfTwoStatementsOnALine() throws {
        let library = try temporaryLibrary(Self.file)
        #expect(try library.drop(name: "sz"))
        #expect(try contents(library).contains("\n let bj = clients where city = 北京\n"))
        #expect(try library.drop(name: "bj"))
        #expect(try !contents(library).contains("bj"))
    }

    @Test func droppingAMultiLineStatement() throws {
        let library = try temporaryLibrary(Self.file)
        #expect(try library.drop(name: "multi"))
        #expect(try contents(library) == Self.file.replacingOccurrences(of: "let multi = clients where (age > 30\n    and age < 40)\n", with: ""))
    }

    @Test func droppingAnUnknownNameLeavesTheFileAlone() throws {
        let library = try temporaryLibrary(Self.file)
        #expect(try library.drop(name: "nothing") == false)
        #expect(try contents(library) == Self.file)
    }

    @Test func aBrokenFileIsNeverRewritten() throws {
        let broken = "let a = clients where\n"
        let library = try temporaryLibrary(broken)
        #expect(throws: SegErrors.self) { try library.save(name: "b", definition: "clients") { _ in } }
        #expect(try contents(library) == broken)
    }

    @Test func loadingKeepsFileOrderAndSource() throws {
        let library = try temporaryLibrary(Self.file)
        let definitions = try library.load()
        #expect(definitions.map(\.name) == ["rich", "averse", "sz", "bj", "multi"])
        #expect(definitions[4].text == "clients where (age > 30\n    and age < 40)")
        #expect(definitions[0].source.name == library.path)
    }

    @Test func duplicateNamesAreAnError() throws {
        let library = try temporaryLibrary("let a = clients\nlet A = clients where age > 3\n")
        let error = try #require(throws: SegError.self) { try library.load() }
        #expect(error.message == "segment 'A' is defined twice (first on line 1)")
    }

    @Test func snapshotFieldsRoundTrip() throws {
        let snapshot = Snapshot(segment: "vip", date: 20_000, columns: ["id", "name", "note"], fields: ["note"],
                                rows: [["1", "O\"Brien, Pat", "#tag"], ["2", nil, "two\nlines"], ["3", "x", ""]])
        let bytes = SnapshotFile.encode(snapshot, definition: "clients where\n  age > 3")
        let back = try SnapshotFile.decode(bytes, path: "p", segment: "vip", date: 20_000)
        #expect(back.columns == snapshot.columns)
        #expect(back.fields == ["note"])
        #expect(back.rows == snapshot.rows)
    }
}

@Suite("Parameters")
struct ParameterTests {
    @Test(arguments: [("x=5m", "5m"), ("$city=深圳", "深圳"), ("d=2026-01-31", "2026-01-31"), ("s=\"Li Na\"", "\"Li Na\""),
                      ("n=-2.5k", "-2.5k"), ("t=6 months ago", "6 months ago")])
    func parsesOneLiteral(_ argument: String, _ text: String) throws {
        #expect(try ParameterValue.parse(argument: argument).text == text)
    }

    @Test(arguments: ["x", "=5", "x=", "x=Li Na", "x=(1)", "1x=3", "x=days_since(a)"])
    func refusesAnythingElse(_ argument: String) {
        #expect(throws: SegError.self) { try ParameterValue.parse(argument: argument) }
    }
}
