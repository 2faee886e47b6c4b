import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands
import SegTestSupport
#if canImport(Glibc)
import Glibc
#endif

// libFuzzer target: bytes as a CSV file (and, when the first byte is odd, as TSV), with type
// inference; a file that loads is answered in every format and every output must be valid UTF-8
// and JSON (SegTestSupport's OutputCheck; a violation aborts, like a crash).
// A SegError (malformed file) is the expected answer; only crashes, hangs and violations count.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let format: DataFormat = (bytes.first ?? 0) & 1 == 1 ? .tsv : .csv
    guard let table = try? DataLoader.load(bytes: bytes, fileName: "fuzz.csv", format: format, tableName: "clients", types: [:]) else {
        return 0
    }
    let problems = OutputCheck.problems(table, statements: ["clients", "clients show all"])
    if !problems.isEmpty {
        print("FuzzCSV: \(problems)")
        abort()
    }
    return 0
}
