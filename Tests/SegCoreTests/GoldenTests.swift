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

// The golden query files (Tests/golden; the format is described at `GoldenFile`), run in memory:
// `@data` books are loaded from their CSV files, the demo book when a file names none.

@Test("golden query files", arguments: GoldenFile.paths())
func golden(_ path: String) throws {
    let file = try GoldenFile(path: path)
    #expect(!file.cases.isEmpty, "no cases in \(path)")
    var tables: [Table] = []
    for data in file.all("data") {
        let parts = data.split(separator: "=", maxSplits: 1).map(String.init)
        try #require(parts.count == 2, "@data \(data): expected NAME=path")
        tables.append(try DataLoader.load(path: GoldenFile.root.appendingPathComponent(parts[1]).path, tableName: parts[0], types: [:]))
    }
    let actual = try file.run(tables: tables.isEmpty ? [DemoBook.table()] : tables)
    if ProcessInfo.processInfo.environment["SEG_RECORD"] == "1" {
        try file.render(actual: actual).write(to: GoldenFile.root.appendingPathComponent(path), atomically: true, encoding: .utf8)
        return
    }
    for (c, a) in zip(file.cases, actual) {
        #expect(a == c.expected, "\(path):\(c.line): \(c.statement)")
    }
}

/// The golden runner refuses what it cannot honour instead of running the file without it.
@Test func goldenFilesRefuseUnknownDirectives() {
    #expect(throws: GoldenError.self) { try GoldenFile("@formt csv\n\nclients count\n----\n10000\n").run(tables: [DemoBook.table()]) }
    #expect(throws: GoldenError.self) { try GoldenFile("@today someday\n\nclients count\n----\n10000\n").run(tables: [DemoBook.table()]) }
    #expect(throws: GoldenError.self) { try GoldenFile("@format xls\n\nclients count\n----\n10000\n").run(tables: [DemoBook.table()]) }
}
