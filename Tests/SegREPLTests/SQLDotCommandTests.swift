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
@testable import SegREPL

/// `.sql STATEMENT` at the prompt: the statement as typed (quotes kept), translated, not run.
struct SQLDotCommandTests {
    @Test func parsesTheRestOfTheLine() throws {
        #expect(try DotCommand.parse(".sql clients where name = \"Li Na\" count") == .sql("clients where name = \"Li Na\" count"))
        #expect(throws: SegError.self) { try DotCommand.parse(".sql   ") }
    }

    @Test func printsTheSQL() {
        var shell = ShellTests().shell()
        #expect(shell.handle(".sql clients where risk = balanced count") == .proceed)
        #expect(shell.screen.text.hasPrefix("SELECT COUNT(*) AS \"count\"\nFROM \"clients\""), "\(shell.screen.text)")
        #expect(shell.handle(".sql clients where risk = balancd") == .proceed)
        #expect(shell.messages.text.contains("did you mean 'balanced'?"))
    }
}
