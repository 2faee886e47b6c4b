import Foundation
import SegTestSupport
import Testing

// A one-shot run (-c or a script) builds only the columns its statements name. Its answers and
// its messages must be exactly those of a full load (statements from standard input load all).

@Suite("one-shot column reading")
struct OneShotColumnsTests {
    static let statements = [
        "clients where risk=averse and assets>1m count",
        "clients where risk=averse and assets>1m sort by assets desc, id limit 5 show id, name, phone, assets",
        "clients where products has fund and not products has insurance and age between 30 and 50 count",
        "clients by tier, risk show count, sum(assets), avg(assets)",
        "clients where tier in (vip, private) and anniversary(birthday) in next 45 days sort by anniversary(birthday), id limit 5",
        "clients where name like \"王%\" or name ~ \"(^| )Wang( |$)\" count",
        "let rich = clients where assets > 5m\nrich where city = 深圳 sort by id limit 3 show manager, last_contact",
        "(clients where tier = vip) union (clients where risk = averse) count",
        "explain clients where tier = vip and assets > 1m and email is empty",
        "clients where tier = vip limit 2",
        "clients where tier = vip sort by id limit 2 show all",
        "(clients where tier = vip) where risk = averse sort by assets desc limit 3",
        "(clients where tier = vip show phone, assets) where assets > 1m sort by phone limit 3",
        "clients count",
        "clients where asets > 1m count",
        "clients where tier = vipp count",
        "clients where manager = 王 count",
    ]

    @Test(arguments: statements.indices)
    func sameAnswerAsAFullLoad(_ index: Int) throws {
        let statement = Self.statements[index]
        let dir = try Seg.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = try Seg.sharedBook(rows: 3000).csv
        let oneShot = try Seg.run(["--data", book, "-c", statement], directory: dir.path)
        let full = try Seg.run(["--data", book], stdin: statement + "\n", directory: dir.path)
        #expect(oneShot.status == full.status, "\(statement)")
        #expect(oneShot.stdout == full.stdout, "\(statement)")
        // Statements from standard input name their place (`--> <stdin>:1:15`); -c statements do not.
        let fullMessages = full.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  --> <stdin>") }.joined(separator: "\n")
        #expect(oneShot.stderr == fullMessages, "\(statement)")
        #expect(!oneShot.stdout.isEmpty || !oneShot.stderr.isEmpty)
    }

    @Test func onlyNamedColumnsAreRead() throws {
        let dir = try Seg.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = dir.appendingPathComponent("book.csv").path
        #expect(try Seg.run(["generate", "--rows", "100", "--output", book]).status == 0)
        let counted = try Seg.run(["--timer", "--data", book, "-c", "clients where risk=averse and assets>1m count"], directory: dir.path)
        #expect(counted.status == 0)
        // risk and assets, and the first column, always read to find a total row (合计); a count
        // prints no default column.
        #expect(counted.stderr.contains("3 of 20 columns read"), "\(counted.stderr)")
        // A listing without `show` prints id and name.
        let listed = try Seg.run(["--timer", "--data", book, "-c", "clients where risk=averse limit 1"], directory: dir.path)
        #expect(listed.stderr.contains("3 of 20 columns read"), "\(listed.stderr)")
        // A type override is applied (and checked) even when no statement names the column.
        let typed = try Seg.run(["--timer", "--type", "city=text", "--data", book, "-c", "clients count"], directory: dir.path)
        #expect(typed.stderr.contains("2 of 20 columns read"), "\(typed.stderr)")
        // --save-book saves every column, whatever the statements read.
        let saved = dir.appendingPathComponent("book.segbook").path
        let saving = try Seg.run(["--timer", "--data", book, "--save-book", saved, "-c", "clients count"], directory: dir.path)
        #expect(saving.status == 0 && !saving.stderr.contains("columns read"), "\(saving.stderr)")
        let fromBook = try Seg.run(["--timer", "--data", saved, "-c", "clients where risk=averse and assets>1m count"], directory: dir.path)
        #expect(fromBook.stdout == counted.stdout && fromBook.stderr.contains("2 of 20 columns read"), "\(fromBook.stderr)")
        let all = try Seg.run(["--timer", "--data", book, "-c", "clients limit 1 show all"], directory: dir.path)
        #expect(!all.stderr.contains("columns read"), "\(all.stderr)")
        // A saved segment may name any column: the library's words count too.
        try "let old = clients where opened < 2000-01-01\n".write(toFile: dir.appendingPathComponent("segments.seg").path, atomically: true, encoding: .utf8)
        let library = try Seg.run(["--timer", "--data", book, "-c", "old count"], directory: dir.path)
        #expect(library.status == 0, "\(library.stderr)")
        #expect(library.stderr.contains("2 of 20 columns read"), "\(library.stderr)")
    }
}
