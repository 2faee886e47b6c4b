import Foundation
import SegTestSupport
import Testing

// The bank-export corpus (Tests/corpus/exports, made by generate.py): each case of expected.test
// runs the real binary in that folder and compares standard output, standard error (lines
// marked `! `) and the exit status (a line `exit N` when not 0). `SEG_RECORD=1` rewrites the file.

enum ExportCorpus {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("corpus/exports")
    static let expected = folder.appendingPathComponent("expected.test")

    struct Case {
        var command: String
        var expected: String
    }

    /// Cases are separated by blank lines; each starts with `$ seg ARGS`.
    static func cases() throws -> [Case] {
        let text = try String(contentsOf: expected, encoding: .utf8)
        var cases: [Case] = []
        for block in text.components(separatedBy: "\n\n") where block.hasPrefix("$ seg ") {
            var lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let command = lines.removeFirst()
            cases.append(Case(command: command, expected: lines.joined(separator: "\n").trimmingCharacters(in: .newlines)))
        }
        return cases
    }

    /// Words of a command line: spaces split, double or single quotes group.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for ch in line {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "\"" || ch == "'" {
                quote = ch
                inWord = true
            } else if ch == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(ch)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// What a run shows, in the file's notation.
    static func rendered(_ r: RunResult) -> String {
        var lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for line in r.stderr.split(separator: "\n") { lines.append("! " + line) }
        if r.status != 0 { lines.append("exit \(r.status)") }
        return lines.joined(separator: "\n")
    }

    static func run(_ command: String) throws -> RunResult {
        let args = Array(words(command).dropFirst(2))
        return try Seg.run(args, directory: folder.path)
    }
}

@Suite("bank export corpus")
struct BankExportCorpusTests {
    @Test func everyCaseGivesTheExpectedAnswer() throws {
        let cases = try ExportCorpus.cases()
        #expect(cases.count >= 10)
        var recorded: [String] = []
        for c in cases {
            let actual = ExportCorpus.rendered(try ExportCorpus.run(c.command))
            recorded.append(c.command + "\n" + actual)
            if ProcessInfo.processInfo.environment["SEG_RECORD"] == nil {
                #expect(actual == c.expected, "\(c.command)")
            }
        }
        if ProcessInfo.processInfo.environment["SEG_RECORD"] == "1" {
            let header = try String(contentsOf: ExportCorpus.expected, encoding: .utf8).components(separatedBy: "\n\n")
                .filter { !$0.hasPrefix("$ seg ") }.first ?? ""
            try ([header] + recorded).joined(separator: "\n\n").appending("\n")
                .write(to: ExportCorpus.expected, atomically: true, encoding: .utf8)
        }
    }

    /// The README's examples of loading bank exports are cases of the corpus, so they run.
    @Test func readmeExamplesAreCorpusCases() throws {
        let readme = try String(contentsOf: ExportCorpus.folder.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "## Loading bank exports") else {
            Issue.record("README has no 'Loading bank exports' section")
            return
        }
        let section = readme[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        let commands = Set(try ExportCorpus.cases().map(\.command))
        let examples = section.split(separator: "\n").map(String.init).filter { $0.hasPrefix("$ seg ") }
        #expect(!examples.isEmpty)
        for example in examples {
            #expect(commands.contains(example), "README example not in Tests/corpus/exports/expected.test: \(example)")
        }
    }
}
