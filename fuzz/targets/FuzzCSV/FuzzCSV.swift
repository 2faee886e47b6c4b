import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands

// libFuzzer target: bytes as a CSV file (and, when the first byte is odd, as TSV), with type
// inference; a file that loads is written back out through a query, so the writers run too.
// A SegError (malformed file) is the expected answer; only crashes and hangs count.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let format: DataFormat = (bytes.first ?? 0) & 1 == 1 ? .tsv : .csv
    guard let table = try? DataLoader.load(bytes: bytes, fileName: "fuzz.csv", format: format, tableName: "clients", types: [:]) else {
        return 0
    }
    for outputFormat in [OutputFormat.csv, .table] {
        let options = SessionOptions(today: 20_000, writer: WriterOptions(format: outputFormat, terminalWidth: 80))
        var session = Session(tables: [table], options: options)
        let output = Output(.memory)
        try? session.run(Source(name: "", text: "clients"), output: output)
    }
    return 0
}
