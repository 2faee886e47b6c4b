import Testing
import SegBase
import SegStore
import SegSyntax
import SegIO
import SegCommands

// Errors carry a case of the message catalogue, not text: each layer is checked here for the case
// it raises and for how that case reads.

/// The first error `body` throws, or nil.
func firstError(_ body: () throws -> Void) -> SegError? {
    do {
        try body()
        return nil
    } catch let error as SegError {
        return error
    } catch let errors as SegErrors {
        return errors.errors.first
    } catch {
        return SegError(.internal, .internal("unexpected error type: \(error)"))
    }
}

private func queryError(_ statement: String) -> SegError? {
    let options = SessionOptions(today: CivilDate.parse("2026-11-15") ?? 0, writer: WriterOptions(format: .csv))
    var session = Session(tables: [DemoBook.table(rows: 50)], options: options)
    return firstError { try session.run(Source(name: "", text: statement), output: Output(.memory)) }
}

private func loadError(_ text: String, name: String = "t.csv", types: [String: FieldType] = [:]) -> SegError? {
    firstError { _ = try DataLoader.load(bytes: Array(text.utf8), fileName: name, format: nil, tableName: "t", types: types) }
}

struct CatalogueCase: Sendable, CustomTestStringConvertible {
    var error: @Sendable () -> SegError?
    var message: Message
    var text: String
    var testDescription: String { text }
}

let catalogueCases: [CatalogueCase] = [
    CatalogueCase(error: { Parser.parse(Source(name: "", text: "clients show today - opened as days")).errors.first },
                  message: .syntax(.keywordAsHeading("days")),
                  text: "'days' is a word of the language, so it cannot name a column after 'as'; choose another name"),
    CatalogueCase(error: { queryError("clients where asets > 1m") },
                  message: .query(.unknownField("asets", suggestion: "assets")),
                  text: "unknown field 'asets' (did you mean 'assets'?)"),
    CatalogueCase(error: { loadError("a,b\n1\n") },
                  message: .data(.fieldCount(found: 1, header: 2)),
                  text: "line has 1 field, the header has 2"),
    CatalogueCase(error: { loadError("a\nx\n", types: ["a": .integer]) },
                  message: .data(.cellType(column: "a", type: .integer, .notInteger, value: "x")),
                  text: "column 'a' was given type integer but 'x' is not an integer"),
    CatalogueCase(error: { loadError("amount\n1\n", types: ["amont": .integer]) },
                  message: .data(.noColumnToType("amont", file: "t.csv", suggestion: "amount")),
                  text: "cannot set the type of 'amont': t.csv has no such column (did you mean 'amount'?)"),
    CatalogueCase(error: { loadError(#"[{"a": 1} {"a": 2}]"#, name: "t.json") },
                  message: .data(.jsonExpected(.commaOrEndOfArray, atEnd: false)),
                  text: "expected ',' or ']' after a record"),
    CatalogueCase(error: { firstError { _ = try BookFile.decode(Array("not a book at all".utf8), fileName: "x.segbook", tableName: "t") } },
                  message: .book(.notABook),
                  text: "not a seg book (it does not begin with SEGBOOK)"),
]

@Test(arguments: catalogueCases)
func errorsCarryTheirCatalogueCase(_ c: CatalogueCase) {
    let error = c.error()
    #expect(error?.diagnostic == c.message)
    #expect(error?.message == c.text)
    #expect(c.message.text(in: .english) == c.text)
}

/// A damaged book names the damage as a case, so a second language words it without parsing text.
@Test func aCutBookNamesItsDamage() throws {
    let bytes = try BookFile.encode(DemoBook.table(rows: 10))
    let cut = Array(bytes.prefix(40))
    let error = firstError { _ = try BookFile.decode(cut, fileName: "cut.segbook", tableName: "t") }
    #expect(error?.diagnostic == .book(.damaged(.fileCutShort(bytes: 40))))
    #expect(error?.message == "damaged seg book: the file is cut short (40 bytes)")
    #expect(error?.fileLocation == "cut.segbook")
}
