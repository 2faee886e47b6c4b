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

// Every ```seg block in README.md runs on the demo book without an error, so the examples a new
// user copies actually work.

enum Readme {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    static func segBlocks() throws -> [String] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var blocks: [String] = []
        var current: [String]?
        for line in text.components(separatedBy: "\n") {
            if current == nil, line == "```seg" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current?.joined(separator: "\n") ?? "")
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }
}

@Test func readmeExamplesRunOnTheDemoBook() throws {
    let blocks = try Readme.segBlocks()
    #expect(blocks.count >= 6)
    let options = SessionOptions(today: CivilDate.parse("2026-11-15") ?? 0, writer: WriterOptions(format: .csv))
    var session = Session(tables: try DemoBook.tables(), options: options)
    for block in blocks {
        // A line that leaves its statement open (ending in `=`, `,`, `and` …) goes on in the next.
        var statement = ""
        for line in block.split(separator: "\n") {
            statement += (statement.isEmpty ? "" : "\n") + line
            if Parser.needsMoreInput(statement) { continue }
            let output = Output(.memory)
            do {
                try session.run(Source(name: "README", text: statement), output: output)
            } catch {
                Issue.record("README example failed: \(statement)\n\(error)")
            }
            statement = ""
        }
        #expect(statement.isEmpty, "README example left unfinished: \(statement)")
    }
}
