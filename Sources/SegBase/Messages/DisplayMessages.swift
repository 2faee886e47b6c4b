// What seg shows around results and at the prompt: table footers, the banner, the notes after
// `let`, `save`, `drop` and `snapshot` at the prompt.

/// What the rows of a result are, as footers name them.
public enum RowNoun: Sendable, Equatable {
    case clients, rows, groups, segments, changes, conditions, steps, snapshots, labels

    /// The footer noun of a result kind's English plural (`clients`, `rows` …); `rows` for others.
    public init(plural: String) {
        switch plural {
        case "clients": self = .clients
        case "groups": self = .groups
        case "segments": self = .segments
        case "changes": self = .changes
        case "conditions": self = .conditions
        case "steps": self = .steps
        case "snapshots": self = .snapshots
        case "labels": self = .labels
        default: self = .rows
        }
    }

    func english(_ count: Int) -> String {
        let plural: String
        switch self {
        case .clients: plural = "clients"
        case .rows: plural = "rows"
        case .groups: plural = "groups"
        case .segments: plural = "segments"
        case .changes: plural = "changes"
        case .conditions: plural = "conditions"
        case .steps: plural = "steps"
        case .snapshots: plural = "snapshots"
        case .labels: plural = "labels"
        }
        return count == 1 ? String(plural.dropLast()) : plural
    }

    var chinese: String {
        switch self {
        case .clients: return "位客户"
        case .rows: return "行"
        case .groups: return "组"
        case .segments: return "个细分"
        case .changes: return "项变化"
        case .conditions: return "个条件"
        case .steps: return "步"
        case .snapshots: return "个快照"
        case .labels: return "个标签"
        }
    }
}

public enum DisplayMessage: Sendable, Equatable {
    /// `3 clients`, `20 of 1,234 clients`.
    case footer(shown: Int, total: Int?, RowNoun)
    /// `… 960 more (use limit, or .format csv)`
    case more(Int)
    /// `demo book: 10,000 clients · 20 fields · .help for help`
    case banner(origin: String, rows: Int, RowNoun, fields: Int)
    case bannerNoTable
    /// `vip: 1,234 clients` after `let` at the prompt.
    case defined(String, count: Int, RowNoun)
    case saved(String, path: String)
    case dropped(String)
    case snapshotTaken(String, members: Int, date: String)
    /// `net: a derived decimal field` after `let field` at the prompt; a classification lists its labels.
    case fieldDefined(String, type: FieldType, labels: [String])
    case labelSnapshotTaken(String, clients: Int, date: String)
    /// Under `.fields` when a name must be written in backquotes: an example statement.
    case quotedNames(example: String)
    /// Under the footer of `by products`: groups per tag overlap.
    case countedPerTag(fields: [String])

    var english: String {
        switch self {
        case .footer(let shown, let total?, let noun) where total > shown:
            return "\(grouped(shown)) of \(grouped(total)) \(noun.english(total))"
        case .footer(let shown, _, let noun): return "\(grouped(shown)) \(noun.english(shown))"
        case .more(let n): return "… \(grouped(n)) more (use limit, or .format csv)"
        case .banner(let origin, let rows, let noun, let fields):
            return "\(origin): \(grouped(rows)) \(noun.english(rows)) · \(fields) fields · .help for help"
        case .bannerNoTable: return "no table loaded · .help for help"
        case .defined(let name, let count, let noun): return "\(name): \(grouped(count)) \(noun.english(count))"
        case .saved(let name, let path): return "saved \(name) in \(path)"
        case .dropped(let name): return "dropped \(name)"
        case .snapshotTaken(let name, let members, let date): return "\(name): snapshot of \(grouped(members)) members taken \(date)"
        case .fieldDefined(let name, let type, let labels):
            return "\(name): a derived \(type.rawValue) field" + (labels.isEmpty ? "" : " with labels " + labels.joined(separator: ", "))
        case .labelSnapshotTaken(let name, let clients, let date):
            return "\(name): snapshot of the labels of \(grouped(clients)) clients taken \(date)"
        case .quotedNames(let example): return "(a name in backquotes is written so in statements: \(example))"
        case .countedPerTag(let fields):
            return "one group per tag of \(fields.joined(separator: ", ")): a client is counted once in each of their tags' groups"
        }
    }

    var chinese: String {
        switch self {
        case .footer(let shown, let total?, let noun) where total > shown:
            return "显示 \(grouped(shown)) / 共 \(grouped(total)) \(noun.chinese)"
        case .countedPerTag(let fields):
            return "按 \(fields.joined(separator: "、")) 的每个标签分组：客户在其每个标签的分组中各计一次"
        case .footer(let shown, _, let noun): return "共 \(grouped(shown)) \(noun.chinese)"
        case .more(let n): return "… 还有 \(grouped(n)) 行（请用 limit，或 .format csv）"
        case .banner(let origin, let rows, let noun, let fields):
            return "\(origin)：\(grouped(rows)) \(noun.chinese) · \(fields) 个字段 · 输入 .help 查看帮助"
        case .bannerNoTable: return "没有加载表 · 输入 .help 查看帮助"
        case .defined(let name, let count, let noun): return "\(name)：\(grouped(count)) \(noun.chinese)"
        case .saved(let name, let path): return "已把 \(name) 保存到 \(path)"
        case .dropped(let name): return "已删除 \(name)"
        case .snapshotTaken(let name, let members, let date): return "\(name)：已于 \(date) 拍下 \(grouped(members)) 个成员的快照"
        case .fieldDefined(let name, let type, let labels):
            return "\(name)：派生的\(type.chinese)" + (labels.isEmpty ? "" : "，标签依次为 " + labels.joined(separator: "、"))
        case .labelSnapshotTaken(let name, let clients, let date):
            return "\(name)：已于 \(date) 拍下 \(grouped(clients)) 位客户的标签快照"
        case .quotedNames(let example): return "（带反引号的名称在语句中要照此书写：\(example)）"
        }
    }
}
