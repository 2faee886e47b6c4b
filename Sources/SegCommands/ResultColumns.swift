import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegSemantics
import SegEngine
import SegIO
// Small helpers shared by the commands that answer with computed tables (segments, explain, why,
// diff, snapshots): building result columns from Swift values and reading one cell as text.

extension Session {
    /// A heading or fixed cell text of a computed result, in the session's language.
    func word(_ word: ResultWord) -> String { word.text(in: options.language) }
}

/// Builds result columns from plain values; nil is a missing cell.
enum ResultColumns {
    public static func text(_ name: String, _ values: [String?]) -> ResultColumn {
        var buffer = TextBuffer()
        var validity = Bitmap(count: values.count, filled: true)
        for (i, v) in values.enumerated() {
            buffer.append(v ?? "")
            if v == nil { validity[i] = false }
        }
        return ResultColumn(name: name, column: Column(name: name, data: .text(buffer), validity: validity, count: values.count), rows: nil)
    }

    static func integer(_ name: String, _ values: [Int64?]) -> ResultColumn {
        var validity = Bitmap(count: values.count, filled: true)
        for (i, v) in values.enumerated() where v == nil { validity[i] = false }
        let column = Column(name: name, data: .integer(values.map { $0 ?? 0 }), validity: validity, count: values.count)
        return ResultColumn(name: name, column: column, rows: nil)
    }

    static func date(_ name: String, _ values: [Int]) -> ResultColumn {
        let column = Column(name: name, data: .date(values.map { Int32(clamping: $0) }), validity: nil, count: values.count)
        return ResultColumn(name: name, column: column, rows: nil)
    }

    static func boolean(_ name: String, _ values: [Bool]) -> ResultColumn {
        let column = Column(name: name, data: .boolean(values), validity: nil, count: values.count)
        return ResultColumn(name: name, column: column, rows: nil)
    }

    static func result(_ columns: [ResultColumn], noun: String) -> ResultSet {
        ResultSet(columns: columns, rowCount: columns.first?.column.count ?? 0, kind: .rows(noun: noun))
    }
}
