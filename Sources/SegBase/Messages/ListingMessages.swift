// What the prompt's listing commands print: `.fields`, `.tables`, `.load`, `.savebook` and the
// `.timer` line. Field, table and type names come from the data and the language and stay as
// they are; only the words around them are translated.

public enum ListingWord: Sendable, Equatable {
    case noTableLoaded
    /// Where the built-in demo table comes from, in the banner and `.tables`.
    case demoBook
    /// The headings of `.fields`.
    case field, type, missing, derivedField, definition
    /// `net: derived decimal = assets - loans`
    case derivedDetail(name: String, type: String, definition: String)
    case labelsInOrder
    /// A stored field's declared order (`--order`, `let order`): `order: averse < conservative < …`
    case declaredOrder([String])
    /// Under `.fields` on a database table.
    case databaseMissingHint(table: String)
    case databaseDetail(name: String, type: String, table: String)
    case databaseDistinct(name: String, type: String, count: Int, table: String)
    /// `  … 3 more`
    case more(Int)
    /// `risk: category · 0 missing`
    case missingCount(name: String, type: String, missing: Int)
    /// ` · 4 distinct`
    case distinct(Int)
    case noValues
    case minimum, maximum
    /// A line of `.tables`.
    case tableLine(name: String, rows: Int, fields: Int)
    /// After a link of `.tables`: rows whose key names no parent row.
    case danglingRows(Int)
    /// Under the tables of `.tables` when the prompt could not read a database's full value lists.
    case valuesStillSampled(ConnectionProblem)
    case noSegmentsYet
    case segmentsHeading
    /// `.load`: `clients: 10,000 rows · 20 fields`
    case loaded(name: String, rows: Int, fields: Int)
    /// `.savebook`
    case bookSaved(path: String, rows: Int, fields: Int, bytes: Int)
    /// `.timer on`: `time: 0.012 s` (seconds already formatted).
    case elapsed(String)
    /// `--timer`: a statement's time, already formatted with its unit (`12.3 ms`).
    case statementTime(String)
    /// `--timer`: `load: 1.20 s (10,000 rows, 3 of 20 columns read, 80 MiB resident)`.
    case loadTime(String, rows: Int, columnsRead: Int?, columns: Int, residentMiB: Int?)
    /// `--save-book`: `saved book.segbook: 10,000 rows, 20 columns, 1.2 MiB`.
    case bookWritten(path: String, rows: Int, columns: Int, size: String)

    var english: String {
        switch self {
        case .noTableLoaded: return "no table loaded"
        case .demoBook: return "demo book"
        case .field: return "field"
        case .type: return "type"
        case .missing: return "missing"
        case .derivedField: return "derived field"
        case .definition: return "definition"
        case .derivedDetail(let name, let type, let definition): return "\(name): derived \(type) = \(definition)"
        case .labelsInOrder: return "labels, in order: "
        case .declaredOrder(let labels): return "order: " + labels.joined(separator: " < ")
        case .databaseMissingHint(let table): return "(in the database: count missing values with '\(table) where FIELD is empty count')"
        case .databaseDetail(let name, let type, let table):
            return "\(name): \(type) (in the database: try '\(table) show count(\(name)), min(\(name)), max(\(name))')"
        case .databaseDistinct(let name, let type, let count, let table):
            return "\(name): \(type) · \(count) distinct (counts: '\(table) by \(name) show count')"
        case .more(let n): return "… \(n) more"
        case .missingCount(let name, let type, let missing): return "\(name): \(type) · \(grouped(missing)) missing"
        case .distinct(let n): return " · \(grouped(n)) distinct"
        case .noValues: return " · no values"
        case .minimum: return "min"
        case .maximum: return "max"
        case .tableLine(let name, let rows, let fields): return "\(name)  \(grouped(rows)) \(rows == 1 ? "row" : "rows") · \(fields) fields"
        case .danglingRows(let n): return "\(grouped(n)) \(n == 1 ? "row names" : "rows name") no parent row"
        case .valuesStillSampled(let problem):
            return "values: a sample, as at start-up (reading them all failed: \(problem.english)); a value the sample lacks is looked up when a statement names it"
        case .noSegmentsYet: return "no segments yet (let NAME = QUERY defines one)"
        case .segmentsHeading: return "segments:"
        case .loaded(let name, let rows, let fields): return "\(name): \(grouped(rows)) \(rows == 1 ? "row" : "rows") · \(fields) fields"
        case .bookSaved(let path, let rows, let fields, let bytes):
            return "saved \(path): \(grouped(rows)) \(rows == 1 ? "row" : "rows") · \(fields) fields · \(bytes) bytes"
        case .elapsed(let seconds): return "time: \(seconds) s"
        case .statementTime(let duration): return "time: \(duration)"
        case .loadTime(let duration, let rows, let read, let columns, let resident):
            return "load: \(duration) (\(grouped(rows)) rows" + (read.map { ", \($0) of \(columns) columns read" } ?? "")
                + (resident.map { ", \($0) MiB resident" } ?? "") + ")"
        case .bookWritten(let path, let rows, let columns, let size): return "saved \(path): \(grouped(rows)) rows, \(columns) columns, \(size)"
        }
    }

    var chinese: String {
        switch self {
        case .noTableLoaded: return "没有加载表"
        case .demoBook: return "演示数据"
        case .field: return "字段"
        case .type: return "类型"
        case .missing: return "缺失"
        case .derivedField: return "派生字段"
        case .definition: return "定义"
        case .derivedDetail(let name, let type, let definition): return "\(name)：派生 \(type) 字段 = \(definition)"
        case .labelsInOrder: return "标签（依次）："
        case .declaredOrder(let labels): return "顺序：" + labels.joined(separator: " < ")
        case .databaseMissingHint(let table): return "（在数据库中：用 '\(table) where FIELD is empty count' 统计缺失值）"
        case .databaseDetail(let name, let type, let table):
            return "\(name)：\(type)（在数据库中：试试 '\(table) show count(\(name)), min(\(name)), max(\(name))'）"
        case .databaseDistinct(let name, let type, let count, let table):
            return "\(name)：\(type) · \(count) 个不同值（计数：'\(table) by \(name) show count'）"
        case .more(let n): return "… 还有 \(n) 个"
        case .missingCount(let name, let type, let missing): return "\(name)：\(type) · 缺失 \(grouped(missing))"
        case .distinct(let n): return " · \(grouped(n)) 个不同值"
        case .noValues: return " · 没有值"
        case .minimum: return "最小"
        case .maximum: return "最大"
        case .tableLine(let name, let rows, let fields): return "\(name)  \(grouped(rows)) 行 · \(fields) 个字段"
        case .danglingRows(let n): return "\(grouped(n)) 行的键在主表中找不到"
        case .valuesStillSampled(let problem):
            return "取值：仍是启动时的样本（读取全部取值失败：\(problem.chinese)）；语句用到样本中没有的值时会到数据库中查找"
        case .noSegmentsYet: return "还没有细分（用 let NAME = QUERY 定义）"
        case .segmentsHeading: return "细分："
        case .loaded(let name, let rows, let fields): return "\(name)：\(grouped(rows)) 行 · \(fields) 个字段"
        case .bookSaved(let path, let rows, let fields, let bytes):
            return "已保存 \(path)：\(grouped(rows)) 行 · \(fields) 个字段 · \(bytes) 字节"
        case .elapsed(let seconds): return "耗时：\(seconds) 秒"
        case .statementTime(let duration): return "耗时：\(duration)"
        case .loadTime(let duration, let rows, let read, let columns, let resident):
            return "加载：\(duration)（\(grouped(rows)) 行" + (read.map { "，读取 \(columns) 列中的 \($0) 列" } ?? "")
                + (resident.map { "，常驻内存 \($0) MiB" } ?? "") + "）"
        case .bookWritten(let path, let rows, let columns, let size): return "已保存 \(path)：\(grouped(rows)) 行，\(columns) 列，\(size)"
        }
    }

    /// The text in `language`.
    public func text(in language: Language) -> String {
        switch language {
        case .english: return english
        case .chinese: return chinese
        }
    }
}
