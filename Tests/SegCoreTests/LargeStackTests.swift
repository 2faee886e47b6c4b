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
        let (outer, inner, innerIsLarge) = try LargeStack.run { () throws -> (ObjectIdentifier, ObjectIdentifier, Bool) in
            let outer = ObjectIdentifier(Thread.current)
            let (inner, large) = try LargeStack.run { (ObjectIdentifier(Thread.current), LargeStack.isCurrent) }
            return (outer, inner, large)
        }
        #expect(outer == inner)
        #expect(innerIsLarge)
        #expect(outer != ObjectIdentifier(Thread.current))
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
