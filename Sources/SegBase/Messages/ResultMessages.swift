// The words inside the results seg computes itself (explain, why, segments, snapshots, diff and
// the migration matrix): column headings and the fixed cell texts. Field names, ids and values
// come from the data and are never translated.

public enum ResultWord: Sendable, Equatable {
    // explain
    case step, condition, remaining
    // why
    case value, result
    /// The last row of `why`: `C001 is in vip` / `C001 is not in vip`.
    case verdict(id: String, inSegment: Bool, segment: String)
    /// `why` on `has holdings where …`: how many related rows match, then those rows (`rows` as text).
    case relatedMatches(count: Int, table: String, rows: String)
    // segments
    case name, size, saved, definition
    // snapshots
    case date, members, file
    // diff
    case change, details
    /// The kinds of change in a diff's `change` column; `definitionRow` heads the row that says
    /// the definition changed.
    case entered, left, changed, definitionRow
    case emptyValue
    case noLongerInBook
    case noFieldChanged
    // the migration matrix of a classification
    case migrationCorner(date: String)
    case movedUp, movedDown
    case noLabel, newInBook, notInBook
    // charts and histograms
    case from, to, missingValue

    var english: String {
        switch self {
        case .step: return "step"
        case .condition: return "condition"
        case .remaining: return "remaining"
        case .value: return "value"
        case .result: return "result"
        case .verdict(let id, let inSegment, let segment): return "\(id) is \(inSegment ? "" : "not ")in \(segment)"
        case .relatedMatches(let count, let table, let rows):
            return "\(count) \(table) \(count == 1 ? "row matches" : "rows match")" + (rows.isEmpty ? "" : ": " + rows)
        case .name: return "name"
        case .size: return "size"
        case .saved: return "saved"
        case .definition: return "definition"
        case .date: return "date"
        case .members: return "members"
        case .file: return "file"
        case .change: return "change"
        case .details: return "details"
        case .entered: return "entered"
        case .left: return "left"
        case .changed: return "changed"
        case .definitionRow: return "definition"
        case .emptyValue: return "(empty)"
        case .noLongerInBook: return "no longer in the book"
        case .noFieldChanged: return "no field changed"
        case .migrationCorner(let date): return "from \(date) \\ now"
        case .movedUp: return "moved up"
        case .movedDown: return "moved down"
        case .noLabel: return "(none)"
        case .newInBook: return "(new in book)"
        case .notInBook: return "(not in book)"
        case .from: return "from"
        case .to: return "to"
        case .missingValue: return "missing"
        }
    }

    var chinese: String {
        switch self {
        case .step: return "步骤"
        case .condition: return "条件"
        case .remaining: return "剩余"
        case .value: return "取值"
        case .result: return "结果"
        case .verdict(let id, let inSegment, let segment): return "\(id) \(inSegment ? "属于" : "不属于") \(segment)"
        case .relatedMatches(let count, let table, let rows):
            return "\(table) 中有 \(count) 行符合" + (rows.isEmpty ? "" : "：" + rows)
        case .name: return "名称"
        case .size: return "人数"
        case .saved: return "已保存"
        case .definition: return "定义"
        case .date: return "日期"
        case .members: return "成员数"
        case .file: return "文件"
        case .change: return "变化"
        case .details: return "详情"
        case .entered: return "进入"
        case .left: return "离开"
        case .changed: return "变更"
        case .definitionRow: return "定义变更"
        case .emptyValue: return "（空）"
        case .noLongerInBook: return "已不在数据中"
        case .noFieldChanged: return "字段无变化"
        case .migrationCorner(let date): return "\(date) 起 \\ 现在"
        case .movedUp: return "上移"
        case .movedDown: return "下移"
        case .noLabel: return "（无标签）"
        case .newInBook: return "（新增客户）"
        case .notInBook: return "（已不在数据中）"
        case .from: return "起"
        case .to: return "止"
        case .missingValue: return "缺失"
        }
    }

    /// The word in `language`.
    public func text(in language: Language) -> String {
        switch language {
        case .english: return english
        case .chinese: return chinese
        }
    }
}
