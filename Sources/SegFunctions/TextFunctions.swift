import SegBase
import SegStore

// Functions of text. lower and upper change the letters A–Z only, the same in every database
// (PostgreSQL's and DuckDB's case mapping depends on their build; SQLite's covers ASCII only), so
// Chinese text, accents and other scripts pass through as written.

extension Functions {
    static let lower = caseMapping("lower", summary: "the text with A–Z as a–z", example: #"lower(email) contains "@qq.com""#,
                                   from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", to: "abcdefghijklmnopqrstuvwxyz")
    static let upper = caseMapping("upper", summary: "the text with a–z as A–Z", example: #"upper(name) like "WANG%""#,
                                   from: "abcdefghijklmnopqrstuvwxyz", to: "ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    static func caseMapping(_ name: String, summary: String, example: String, from: String, to: String) -> ScalarFunction {
        let (lo, hi, shift): (UInt8, UInt8, Int) = name == "lower" ? (0x41, 0x5A, 0x20) : (0x61, 0x7A, -0x20)
        return ScalarFunction(
            name: name, arguments: [.text], result: .text, summary: summary, example: example,
            kernel: { args, _ in
                mapText(args[0]) { bytes in
                    bytes.map { $0 >= lo && $0 <= hi ? UInt8(Int($0) + shift) : $0 }
                }
            },
            sql: { args, s in
                let x = args[0].sql
                let sql = s.dialect == .sqlite ? "\(name)(\(x))" : "translate(\(x), '\(from)', '\(to)')"
                return SQLValue(sql: sql, type: .text, scale: 0)
            })
    }

    static let length = ScalarFunction(
        name: "length", arguments: [.text], result: .integer,
        summary: "characters in the text (Unicode code points)", example: "length(phone) != 11",
        kernel: { args, _ in
            let column = args[0]
            var values = [Int64](repeating: 0, count: column.count)
            for i in 0..<column.count where column.isPresent(i) {
                values[i] = Int64(CellOrder.string(column, i).unicodeScalars.count)
            }
            return Column(name: column.name, data: .integer(values), validity: column.validity, count: column.count)
        },
        sql: { args, s in
            SQLValue(sql: "\(s.dialect == .postgres ? "char_length" : "length")(\(args[0].sql))", type: .integer, scale: 0)
        })

    /// A text column (or a category, read as text) with each value's bytes mapped.
    static func mapText(_ column: Column, _ f: ([UInt8]) -> [UInt8]) -> Column {
        var out = TextBuffer()
        switch column.data {
        case .text(let buffer):
            for i in 0..<column.count { out.append(bytes: f(Array(buffer.bytes[buffer.range(at: i)]))) }
        default:
            for i in 0..<column.count { out.append(bytes: column.isPresent(i) ? f(Array(CellOrder.string(column, i).utf8)) : []) }
        }
        return Column(name: column.name, data: .text(out), validity: column.validity, count: column.count)
    }
}
