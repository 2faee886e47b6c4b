import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands

// libFuzzer target: bytes as a JSON array of objects or as JSON Lines (by the first non-space
// byte, as seg decides), with type inference; a file that loads is written back out as JSON.
// A SegError (malformed file) is the expected answer; only crashes and hangs count.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let format = DataLoader.sniffFormat(bytes) == .jsonl ? DataFormat.jsonl : .json
    guard let table = try? DataLoader.load(bytes: bytes, fileName: "fuzz.json", format: format, tableName: "clients", types: [:]) else {
        return 0
    }
    let options = SessionOptions(today: 20_000, writer: WriterOptions(format: .json))
    var session = Session(tables: [table], options: options)
    let output = Output(.memory)
    try? session.run(Source(name: "", text: "clients"), output: output)
    return 0
}
