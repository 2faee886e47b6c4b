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

// libFuzzer target: statement text through lexer, parser, resolver, executor and the CSV and JSON
// Lines writers, on a small fixed book with every field type; both outputs must be valid UTF-8,
// each JSON line an object (SegTestSupport's OutputCheck; a violation aborts). Errors are the
// expected answer to junk; only a crash, a hang, a violation or a sanitizer report is a finding.

/// The fixed book: every type, missing values, Chinese text, a Feb 29.
let fuzzBook: Table? = {
    let csv = """
        id,name,age,assets,birthday,vip,risk,city,products
        C1,Wang Wei,34,1200.50,1990-02-28,true,averse,深圳,deposit;fund
        C2,李娜,,99.99,2000-02-29,false,growth,上海,fund
        C3,"O'Brien, Ann",71,,1955-12-31,,averse,,insurance;wealth
        C4,,18,-5.00,,true,balanced,北京,
        C5,Zhang,45,1000000000.01,1981-07-04,false,,深圳,deposit;credit_card;fund

        """
    return try? DataLoader.load(bytes: Array(csv.utf8), fileName: "fuzz.csv", format: .csv, tableName: "clients",
                                types: ["risk": .category, "city": .category, "products": .tags])
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let book = fuzzBook else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for format in [OutputFormat.csv, .jsonl] {
        let options = SessionOptions(today: CivilDate.days(year: 2026, month: 11, day: 15),
                                     writer: WriterOptions(format: format))
        var session = Session(tables: [book], options: options)
        let output = Output(.memory)
        do {
            try session.run(Source(name: "fuzz.seg", text: text), output: output)
        } catch let error as SegError {
            _ = error.render(color: true)
        } catch let errors as SegErrors {
            for e in errors.errors { _ = e.render(color: false) }
        } catch {
            // Any other error type is still an answer, not a crash.
        }
        // What was written before an error counts too.
        try? output.flush()
        if let problem = OutputCheck.problem(output.captured, format: format) {
            print("FuzzQuery: \(format) output: \(problem)")
            abort()
        }
    }
    return 0
}
