import Foundation
import Testing
@testable import SegBase
import SegSyntax

/// A statement that nests deeply takes the large stack once: the parser, called while the statement
/// already runs there, does not start a second thread.
@Suite("large stack")
struct LargeStackTests {
    @Test func aRunInsideARunStaysOnItsThread() throws {
        #expect(!LargeStack.isCurrent)
        // The thread itself (pthread_self), not Foundation's Thread object: Thread.current may hand
        // out another object for the same thread, which made this test fail now and then.
        let (outer, inner, innerIsLarge) = try LargeStack.run { () throws -> (pthread_t, pthread_t, Bool) in
            let outer = pthread_self()
            let (inner, large) = try LargeStack.run { (pthread_self(), LargeStack.isCurrent) }
            return (outer, inner, large)
        }
        #expect(pthread_equal(outer, inner) != 0)
        #expect(innerIsLarge)
        #expect(pthread_equal(outer, pthread_self()) == 0)
    }

    /// Deep text parses the same on the large stack as from a statement already running there.
    @Test func deepTextParsesFromEitherPlace() throws {
        let text = "clients where " + String(repeating: "(", count: 200) + "age > 1" + String(repeating: ")", count: 200) + " count"
        let source = Source(name: "", text: text)
        let here = Parser.parse(source)
        let there = try LargeStack.run { Parser.parse(source) }
        #expect(here.errors.isEmpty && there.errors.isEmpty)
        #expect(here.script.statements.count == 1 && there.script.statements.count == 1)
    }
}
