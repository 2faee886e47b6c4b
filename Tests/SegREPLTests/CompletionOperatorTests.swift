import SegBase
import SegStore
import SegSyntax
import SegIO
import SegCommands
import Testing
@testable import SegREPL

// Completion offers after a field only operators that the parser and the resolver accept for the
// field's type (issue 13: a text field is offered no '<', which would order it as text).

/// A condition using `op` on a field of `type` in Fixture's table, with a value of the right kind.
private func condition(_ field: String, _ type: FieldType, _ op: String) -> String {
    let value: String
    switch type {
    case .integer, .decimal: value = "5"
    case .date: value = "2024-01-01"
    case .category: value = "averse"
    case .text: value = "\"Tom\""
    case .tags: value = "deposit"
    case .boolean: value = "true"
    }
    switch op {
    case "between": return "\(field) between \(value) and \(value)"
    case "in": return type == .date ? "\(field) in last 3 days" : "\(field) in (\(value))"
    case "not": return type == .tags ? "not \(field) has \(value)" : "\(field) not in (\(value))"
    case "is empty", "is not empty": return "\(field) \(op)"
    case "like": return "\(field) like \"a%\""
    case "~": return "\(field) ~ \"a\""
    case "contains": return "\(field) contains \"a\""
    case "has": return "\(field) has \(value)"
    default: return "\(field) \(op) \(value)"
    }
}

@Suite("completion offers accepted operators")
struct CompletionOperatorTests {
    @Test(arguments: [("age", FieldType.integer), ("Assets", .decimal), ("birthday", .date), ("risk", .category),
                      ("name", .text), ("products", .tags), ("active", .boolean)])
    func everyOfferedOperatorIsAccepted(_ field: String, _ type: FieldType) throws {
        let options = SessionOptions(today: CivilDate.parse("2026-11-15") ?? 0, writer: WriterOptions(format: .csv))
        var session = Session(tables: Fixture.catalog.tables, options: options)
        for op in Completer.operators(for: type) {
            let statement = "clients where \(condition(field, type, op)) count"
            #expect(throws: Never.self, "\(statement)") {
                try session.run(Source(name: "", text: statement), output: Output(.memory))
            }
        }
        // And no ordering operator is offered where it would compare text.
        if type.isString { #expect(!Completer.operators(for: type).contains("<")) }
    }
}
