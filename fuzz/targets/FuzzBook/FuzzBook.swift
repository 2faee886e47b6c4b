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
#if canImport(Glibc)
import Glibc
#endif

// libFuzzer target: bytes as a seg book (the seeds are valid books, so mutations are damaged
// books). Each input is opened twice: as it is, where the checksums must catch the damage, and
// forged, its checksums recomputed (BookForgery.resealed), so the checks behind the checksums
// (sizes against the row count, offsets, UTF-8, dictionaries, tag bits, names) are fuzzed too.
// A book that opens is answered in every format, and every output must be valid UTF-8 and JSON
// (OutputCheck): a violation aborts, like a crash. A SegError is the expected answer to damage.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBook(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for candidate in [bytes, BookForgery.resealed(bytes)] {
        guard let table = try? BookFile.decode(candidate, fileName: "fuzz.segbook", tableName: "clients") else { continue }
        var statements = ["clients show all", "clients count", "clients limit 2"]
        for column in table.columns.prefix(4) where isIdentifier(column.name) {
            statements.append("clients by \(column.name) show count, min(\(column.name)), max(\(column.name))")
            statements.append("clients sort by \(column.name) desc limit 3 show all")
        }
        let problems = OutputCheck.problems(table, statements: statements)
        if !problems.isEmpty {
            print("FuzzBook: \(problems)")
            abort()
        }
    }
    return 0
}

func isIdentifier(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
    return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
}
