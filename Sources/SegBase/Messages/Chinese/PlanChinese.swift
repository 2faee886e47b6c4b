// The messages and words of `seg plan` and `seg kpi` in Chinese (exhaustive switches, no `default:`).

extension PlanMessage {
    var chinese: String {
        switch self {
        case .planHoldsOnlyRules:
            return "计划文件只能包含规则（'rule 名称 priority N reason \"原因\" where 条件'）和注释"
        case .ruleDefinedTwice(let name, let line): return "规则 '\(name)' 定义了两次（第一次在第 \(line) 行）"
        case .noPlanFile(let path):
            return "没有计划文件 '\(path)'：请在其中逐行写规则，例如：rule birthday priority 1 reason \"生日\" where anniversary(birthday) in next 7 days"
        case .emptyPlan(let path): return "计划 '\(path)' 中没有规则，没有需要联系的客户"
        case .unsafeFileName(let manager, let why):
            return "客户经理 '\(manager)' 不能用作文件名（\(why.chinese)）；请在名单中更正姓名，或去掉 --out 在屏幕上查看名单"
        case .fileNameClash(let a, let b, let file): return "客户经理 '\(a)' 和 '\(b)' 会写入同一个文件 '\(file)'（有的系统文件名不区分大小写）"
        case .outNotFolder(let path): return "--out '\(path)' 不是文件夹"
        case .missingField(let field, let book, let purpose, let suggestion):
            return "\(book) 中没有字段 '\(field)'，\(purpose.chinese)\(didYouMeanChinese(suggestion))"
        case .duplicateKey(let id, let key, let book, let rows):
            return "\(book)：第 \(rows.0) 行和第 \(rows.1) 行的客户 \(key) 相同（'\(id)'）；每个客户只能出现一次才能匹配"
        case .missingKey(let key, let book, let row): return "\(book)：第 \(row) 行的客户没有 \(key)，无法与另一份名单匹配"
        case .noOrder(let field):
            return "统计层级升降需要 '\(field)' 的顺序：请给出 --order \(field)=最低,…,最高，或在细分库中写 'let order \(field) = …'"
        case .teamsColumns(let path, let missing): return "团队文件 '\(path)' 没有列 '\(missing)'（需要 manager 和 team 两列）"
        case .managerTwice(let manager, let path): return "团队文件 '\(path)' 两次列出客户经理 '\(manager)'"
        case .notInOrder(let value, let field, let book, let suggestion):
            return "\(book)：'\(field)' 中有取值 '\(value)'，它的顺序中没有列出\(didYouMeanChinese(suggestion))；请把它加入顺序（--order 或 'let order \(field)'）"
        case .maskedManagerFiles(let field):
            return "'\(field)' 已被遮盖，--out 无法按客户经理命名文件；请不要遮盖 '\(field)'（--no-mask，或不把它写进 --mask），或在屏幕上查看名单"
        case .outFormat(let format):
            return "--out 只写 csv（默认）或 xlsx 文件，不写 \(format)；请去掉 --format，或用 --format xlsx"
        case .unknownManager(let name, let suggestion): return "名单中没有客户经理 '\(name)'\(didYouMeanChinese(suggestion))"
        case .sumTooLarge(let field): return "'\(field)' 的合计超出 64 位范围"
        }
    }
}

extension UnsafeName {
    var chinese: String {
        switch self {
        case .empty: return "名称为空"
        case .dot: return "以 '.' 开头"
        case .character(let c): return "含有 \(c)"
        case .tooLong(let bytes): return "长达 \(bytes) 字节，超过 200"
        }
    }
}

extension FieldPurpose {
    var chinese: String {
        switch self {
        case .callLists: return "联系名单按它分组（--manager）"
        case .kpi(let what): return "指标 '\(what)' 需要它"
        }
    }
}

extension PlanWord {
    var chinese: String {
        switch self {
        case .priority: return "优先级"
        case .reasons: return "原因"
        case .listHeading(let manager, let clients): return "\(manager) · 待联系 \(clients) 位客户"
        case .noManager: return "（未分配）"
        case .manager: return "客户经理"
        case .team: return "团队"
        case .managers: return "客户经理数"
        case .clients: return "客户数"
        case .gained: return "新增客户"
        case .lost: return "流失客户"
        case .newAUM: return "新增AUM"
        case .newAccounts: return "新开户"
        case .upgrades: return "层级上升"
        case .downgrades: return "层级下降"
        case .vips: return "贵宾客户"
        case .vipsContacted: return "已联系贵宾"
        case .coverage: return "贵宾覆盖率%"
        case .period(let from, let to): return "统计期 \(from) … \(to)"
        case .ruleDefined(let name, let clients): return "规则 \(name)：今天 \(clients) 位客户"
        case .written(let files, let clients, let folder): return "已写入 \(files) 份联系名单（\(clients) 位客户）到 \(folder)"
        }
    }
}
