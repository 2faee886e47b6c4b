// The resolver's messages in Chinese (exhaustive switches, no `default:`).

extension QueryRole {
    var chinese: String {
        switch self {
        case .byKey: return "'by' 分组键"
        case .sortKey: return "排序键"
        case .shownColumn: return "显示的列"
        }
    }
}

extension Wanted {
    var chinese: String {
        switch self {
        case .fieldToTest: return "要检验的字段"
        case .argument(let kind): return kind.chinese
        case .field(let role): return "作为\(role.chinese)的字段"
        case .byKeyOrAggregate: return "'by' 分组键或聚合"
        }
    }
}

extension LiteralKind {
    var chinese: String {
        switch self {
        case .text(let s): return "文本 \"\(s)\""
        case .number: return "数字"
        case .date: return "日期"
        case .span(let text): return "时间长度 '\(text)'（请把它加到日期上：'birthday + \(text)'）"
        case .other: return "这个值"
        }
    }
}

extension RowSetSource {
    var chinese: String {
        switch self {
        case .parenthesized: return "括号中的查询"
        case .segment(let name): return "细分 '\(name)'"
        }
    }
}

extension ArgumentKind {
    /// `日期字段`, as messages name it.
    public var chinese: String {
        switch self {
        case .date: return "日期字段"
        case .number: return "数字字段"
        case .orderable, .any: return "字段"
        case .text: return "文本字段"
        case .wholeNumber: return "整数"
        }
    }
}

/// `（数据簿中的 'é' 用了其他 Unicode 码位：…）`
func lookalikeNoteChinese(_ typed: String, _ twin: String) -> String {
    "（数据簿中的 '\(twin)' 用的是其他 Unicode 码位：\(codePoints(twin))，而不是 \(codePoints(typed))；seg 按字节比较文本）"
}

extension DateOverflow {
    var chinese: String {
        let what = "'\(written)'" + (parameter.map { "（\($0)）" } ?? "")
        let where_: String
        switch place {
        case .asWritten: where_ = ""
        case .beforeToday: where_ = "（从今天往前）"
        case .afterToday: where_ = "（从今天往后）"
        }
        let bound = earliest ? "早于 seg 能处理的最早日期 \(limit)" : "晚于 seg 能处理的最晚日期 \(limit)"
        return "\(what)\(where_)\(bound)（今天是 \(today)）"
    }
}

extension QueryMessage {
    var chinese: String {
        switch self {
        case .showAllWithGroups: return "'show all' 列出所有字段；与 'by' 或 'count' 一起用时请显示分组键或聚合"
        case .countWithGroups: return "与 'by' 或聚合一起用时，'count' 应写成 'show count'"
        case .unknownSource(let name, let s): return "未知的表或细分 '\(name)'\(didYouMeanChinese(s))"
        case .notRelated(let name, let table, let related):
            let linked = related.isEmpty ? "没有表关联到 \(table)" : "关联到 \(table) 的表：\(related.joined(separator: "、"))"
            return "'\(name)' 没有关联到 \(table)（\(linked)）；可用 --link \(name).字段=\(table).键 建立关联"
        case .relatedFunction(let f, let s):
            return "关联行上不能用 '\(f)'\(didYouMeanChinese(s))：可用 count、sum、avg、median、min、max 和 latest（count(holdings where …)、sum(holdings.amount where …)、avg(holdings.amount where …)、latest contacts.outcome）"
        case .relatedAggregateInGroups(let what, let f):
            return "'\(what)' 是每个客户在其关联行上的 \(f)，不能在分组上相加：分组时请显示关联行的 count(…)、sum(…)、min(…) 或 max(…)；不用 'by' 时可用 \(f)(…)"
        case .relatedNeedsField(let f): return "关联行上的 \(f) 需要指定字段：\(f)(holdings.amount where …)"
        case .relatedCountOfField(let what): return "count 统计关联行数：请写 count(\(what.split(separator: ".").first.map(String.init) ?? what) where …)，或在条件中检验该字段"
        case .relatedRowsAsValue(let what):
            return "'\(what)' 对这里的每一行有多个值：请用 sum(\(what))、min(…)、max(…)、latest \(what) 或 count(… where …)"
        case .latestNeedsDate(let table): return "latest 需要 \(table) 中的日期字段来排序；\(table) 没有日期字段"
        case .outerFieldInRelated(let field, let outer, let link, let related):
            return "'\(field)' 是 \(outer) 的字段，不是 \(related) 的：'where' 之后的条件一直延续到结尾；请写 \(link).\(field)，或把关联部分放进括号：(has \(related) where …) and \(field) …"
        case .ambiguousParentField(let field, let among):
            return "'\(field)' 同时是 \(among.joined(separator: " 和 ")) 的字段：请写 \(among.map { "\($0).\(field)" }.joined(separator: " 或 "))"
        case .relatedOutsideAggregate(let what):
            return "'\(what) where …' 是关联表的行：请用在 has 或 no 之后，或放进 count(…)、sum(…)、min(…)、max(…)、latest(…) 中"
        case .unknownLinkedTable(let name, let s): return "没有以 '\(name)' 关联的表\(didYouMeanChinese(s))"
        case .setOfOtherTable(let op, let table, let other): return "不能对 '\(table)' 的行和 '\(other)' 的行做 \(op)"
        case .invalidSource: return "无效的数据来源"
        case .invalidCondition: return "无效的条件"
        case .segmentsTooDeep(let limit): return "细分引用细分超过 \(limit) 层"
        case .segmentDefinedByItself(let name): return "细分 '\(name)' 不能用它自己来定义；请换一个新名称"
        case .segmentCycle(let names): return "细分之间循环引用：\(names.joined(separator: " → "))"
        case .countNotRows(let what): return "\(what.chinese)以 'count' 结尾，结果是一个数字，不是一组行"
        case .histogramNeedsNumber(let operand, let type):
            return "直方图按区间统计数值；'\(operand)' 是\(type.chinese)（可试试 'by \(operand) chart'）"
        case .histogramWith(let clause):
            return "'histogram' 自己分组（按区间），不能与 '\(clause)' 同用；请用 'where' 筛选客户"
        case .histogramOfMasked(let operand):
            return "'\(operand)' 读取了被遮蔽的字段，其取值不显示，直方图也不例外（.mask off 可取消遮蔽）"
        case .histogramNotRows:
            return "'histogram' 给出的是区间，不是客户：它只能用在语句末尾，不能用在细分或嵌套查询中"
        case .chartOfCount: return "'count' 的结果是一个数字，'chart' 无法绘制；请对 'by' 的结果作图，如 'clients by tier chart'"
        case .groupsNotRows(let what): return "\(what.chinese)用 'by' 或聚合对行分组，结果不是一组行"
        case .segmentOfOtherTable(let segment, let table, let other): return "'\(segment)' 包含的是 '\(table)' 的行，不是 '\(other)' 的行"
        case .aggregateInCondition(let name): return "聚合 '\(name)' 不能用在条件中；请与 'by' 一起用在 'show' 里"
        case .unknownFunction(let name, let s): return "未知的函数 '\(name)'\(didYouMeanChinese(s))"
        case .functionArity(let function, let arguments, let found):
            if arguments.count == 1 { return "'\(function)' 需要一个\(arguments[0].chinese)，实际给了 \(found) 个参数" }
            return "'\(function)' 需要 \(arguments.count) 个参数（\(arguments.map(\.chinese).joined(separator: "、"))），实际给了 \(found) 个"
        case .argumentType(let function, let wanted, let field, let type):
            return "'\(function)' 需要\(wanted.chinese)；'\(field)' 是\(type.chinese)"
        case .unknownField(let name, let s): return "未知的字段 '\(name)'\(didYouMeanChinese(s))"
        case .expectedOperand(let wanted): return "此处应为\(wanted.chinese)"
        case .tagFieldCompared(let field): return "'\(field)' 是标签字段；请用 'has'、'has any (…)' 或 'has all (…)' 检验"
        case .tagFieldInList(let field): return "'\(field)' 是标签字段；请用 'has any (…)' 检验"
        case .invalidRegex(let pattern, let reason):
            return "无效的正则表达式 \"\(pattern)\"" + (reason.map { "：\($0.chinese)" } ?? "")
        case .dateTestOnOther(let field, let type): return "'before' 和 'after' 比较日期；'\(field)' 是\(type.chinese)"
        case .rangeTestOnOther(let field, let type): return "'in last/next …' 检验日期；'\(field)' 是\(type.chinese)"
        case .incomparableFields(let a, let at, let b, let bt): return "不能比较 '\(a)'（\(at.rawValue)）和 '\(b)'（\(bt.rawValue)）"
        case .textTestOnOther(let keyword, let field, let type):
            let hint = type == .tags ? "；请用 'has'、'has any (…)' 或 'has all (…)' 检验" : ""
            return "'\(keyword)' 检验文本；'\(field)' 是\(type.chinese)\(hint)"
        case .expectedQuotedString(let keyword): return "'\(keyword)' 之后应为带引号的字符串"
        case .tagFieldEquality(let field): return "'\(field)' 是标签字段；请用 'has' 检验"
        case .unknownValue(let value, let field, let s, let twin, _):
            return "字段 '\(field)' 没有值 '\(value)'" + (twin.map { lookalikeNoteChinese(value, $0) } ?? didYouMeanChinese(s))
        case .notADate(let field, let text): return "'\(field)' 是日期；\"\(text)\" 不是形如 2026-01-31 的日期"
        case .compareDateWith(let field): return "'\(field)' 是日期；请与 2026-01-31、today 或 6 months ago 这样的日期比较"
        case .unknownFieldOrValue(let word, let field, let type):
            let expected: String
            switch type {
            case .integer, .decimal: expected = "数字"
            case .date: expected = "日期"
            case .boolean: expected = "true 或 false"
            case .category, .text, .tags: expected = "值"
            }
            return "未知的字段 '\(word)'；请把 '\(field)'（\(type.chinese)）与\(expected)或另一个字段比较"
        case .typeMismatch(let field, let type, let literal):
            return "类型不符：'\(field)' 是\(type.chinese)，不能与\(literal.chinese)比较"
        case .tagTestOnOther(let keyword, let field, let type): return "'\(keyword)' 检验标签字段；'\(field)' 是\(type.chinese)"
        case .expectedTag(let keyword): return "'\(keyword)' 之后应为标签名"
        case .unknownTag(let tag, let field, let s, let twin, _):
            return "没有客户的 '\(field)' 含有 '\(tag)'" + (twin.map { lookalikeNoteChinese(tag, $0) } ?? didYouMeanChinese(s))
        case .aggregateInList(let name, let role):
            return "聚合 '\(name)' 需要 'by' 或其他聚合；它不能作为列表的\(role.chinese)"
        case .aggregateArity(let name, let found): return "'\(name)' 需要一个字段，实际给了 \(found) 个参数"
        case .aggregateType(let name, let wanted, let field, let type):
            return "'\(name)' 需要\(wanted.chinese)；'\(field)' 是\(type.chinese)"
        case .aggregateCannotOrder(let name): return "'\(name)' 不能对标签字段排序"
        case .notAByKey(let name, let aggregates):
            return "'\(name)' 不是 'by' 分组键；请显示分组键或聚合（\(aggregates.joined(separator: "、"))）"
        case .unknownParameter(let name, let s):
            return "未知的参数 '$\(name)'\(didYouMeanChinese(s))；请用 'param \(name) = VALUE' 声明，或给出 --param \(name)=VALUE"
        case .tableNotSegment(let name): return "'\(name)' 是表，不是细分"
        case .segmentNamedLikeTable(let name): return "'\(name)' 是表名；请给细分换一个名称"
        case .unknownSegment(let name, let s): return "未知的细分 '\(name)'\(didYouMeanChinese(s))"
        case .noClient(let id, let table): return "'\(table)' 中没有编号为 '\(id)' 的客户"
        case .noIDColumn(let table, let snapshots, let names):
            return "表 '\(table)' 没有识别客户的列（" + names.map { "'\($0)'" }.joined(separator: "、")
                + "）" + (snapshots ? "；快照按它匹配客户" : "") + "；请用 --key COLUMN 指定"
        case .unknownKeyColumn(let key, let table, let s):
            return "--key 指定了 '\(key)'，但表 '\(table)' 没有这一列\(didYouMeanChinese(s))"
        case .textOrdered(let field, let type, let use, let profile):
            return textOrderedChinese(field: field, type: type, use: use, profile: profile)
        case .fieldNamedLikeStored(let name, let table):
            return "'\(name)' 已是 '\(table)' 的字段；请给派生字段换一个名称"
        case .fieldNamedLikeSegment(let name): return "'\(name)' 是细分名；派生字段需要自己的名称"
        case .segmentNamedLikeField(let name): return "'\(name)' 是派生字段；请给细分换一个名称"
        case .fieldDefinedByItself(let name): return "字段 '\(name)' 不能用它自己来定义"
        case .fieldCycle(let names): return "派生字段循环引用：\(names.joined(separator: " → "))"
        case .labelTwice(let label, let field):
            return "'\(field)' 中标签 \(quoted(label)) 出现了两次；请用 'or' 把它的条件合并成一条规则"
        case .labelsHaveNoOrder(let field, let operation):
            return "'\(field)' 没有可用于 '\(operation)' 的顺序：它的规则不是同一个值上的阈值（如 'A when assets >= 600万, B when assets >= 60万'）；请用 '=' 或 'in (…)' 比较（已存字段可用 --order 或 'let order 字段 = 低, …, 高' 给出顺序）"
        case .orderOnNonCategory(let field, let type):
            return "'\(field)' 是\(type.chinese)；--order 和 'let order' 只能给分类字段的值排序（从低到高）"
        case .orderValueTwice(let value, let field):
            return "'\(field)' 的顺序中值 \(quoted(value)) 出现了两次；每个值只写一次，从低到高"
        case .orderLeavesOut(let field, let values):
            return "'\(field)' 的顺序漏掉了它的值 \(values.prefix(5).map(quoted).joined(separator: "、"))\(values.count > 5 ? " 等另外 \(values.count - 5) 个" : "")；请从低到高列出该字段的每个值"
        case .orderedFieldsDiffer(let a, let n, let b, let m):
            return "'\(a)' 有 \(n) 级，'\(b)' 有 \(m) 级：有序字段按级别逐级比较，级数必须相同"
        case .quantileFraction(let maxScale):
            return "quantile 需要一个字段和一个 0 到 1 之间、最多 \(maxScale) 位小数、直接写出的比例，例如 quantile(assets, 0.9)"
        case .havingOnTagKey(let field):
            return "'having' 不能检验标签键 '\(field)'（每个分组是一个标签）；请在 'where' 中检验标签，例如 \(field) has …"
        case .shareArgument: return "pct 需要一个聚合，例如 pct(count) 或 pct(sum(assets))"
        case .shareInHaving: return "pct 是 'having' 保留下来的各组所占的比例，所以 'having' 不能检验它；请检验聚合本身"
        case .bandArguments: return "band 需要一个数字和依次递增、直接写出的阈值，例如 band(assets, 5万, 60万, 600万)"
        case .limitPerOnGroups: return "'limit … per' 保留列表中每组的前几行；使用 'by' 时，请对分组排序并用 'limit N'"
        case .havingNeedsAggregate(let field):
            return "'having' 检验每个分组，需要聚合（count、sum(\(field))、avg(\(field)) …）或 'by' 的键，而不是 \(quoted(field))；针对每位客户的条件请写在 'where' 中"
        case .havingWithoutGroups: return "'having' 检验分组：请在 'by' 之后或在 'show' 中有聚合时使用"
        case .anniversaryBeyondRange(let today, let last):
            return "'anniversary' 可能落在今天（\(today)）之后的一年，超过了 seg 能处理的最晚日期 \(last)"
        case .dateOutOfRange(let overflow): return overflow.chinese
        case .arithmeticOnType(let op, let field, let type):
            return "'\(op)' 用于数字（'+' '-' 也可用于日期）；'\(field)' 是\(type.chinese)"
        case .textInArithmetic(let text): return "文本 \"\(text)\" 不能参与算术运算"
        case .spanWithoutDate(let span): return "'\(span)' 是一段时间：请把它加到日期上或从日期中减去，例如 'birthday + \(span)'"
        case .spanTooLong(let span): return "'\(span)' 超过了 seg 能处理的一万年日期范围"
        case .dateArithmetic(let op):
            return "日期的 '\(op)'：日期可以加一段时间（'opened + 30 days'），两个日期相减得到相差的天数（'today - birthday'）"
        case .tooManyDecimals(let expression): return "'\(expression)' 会超过 18 位小数；请先对某个因子取整"
        case .wholeNumberArgument(let function): return "'\(function)' 在此处需要直接写出的整数，例如 2"
        case .argumentsDisagree(let function, let types):
            return "'\(function)' 需要同一种类的值；这些分别是\(types.map(\.chinese).joined(separator: "和"))"
        case .roundPlaces(let function): return "'\(function)' 只能取整到 0 至 18 位小数"
        case .arithmeticOverflow(let expression): return "'\(expression)' 在某一行超出了 64 位精确运算的范围"
        case .aggregateTooLarge(let name, let field): return "'\(field)' 的 \(name) 超出了 64 位精确运算的范围"
        }
    }
}

/// `'assets' 是文本：2,000 个值中有 2 个不是数字，例如第 17 行的 '--' …`
func textOrderedChinese(field: String, type: FieldType, use: TextOrdering, profile: ValueProfile?) -> String {
    let facts = TextOrderedFacts(use: use, profile: profile)
    let kind = type == .category ? "类别字段" : "文本"
    let what: String
    switch use {
    case .compared(let op, let literal): what = "'\(op)' 会把它当作文本与\(literal.chinese)比较"
    case .sorted: what = "'sort by' 会按文本排序"
    case .aggregated(let name): what = "'\(name)' 会按文本排序"
    }
    if let (bad, present, example) = facts.counts {
        let place = example.line.map { "第 \($0) 行的 " } ?? ""
        return "'\(field)' 是\(kind)：\(grouped(present)) 个值中有 \(grouped(bad)) 个不是\(facts.dates ? "日期" : "数字")，"
            + "例如\(place)'\(example.text)'，因此\(what)；请用 --type \(field)=\(facts.wanted) 或 --na '\(example.text)'"
    }
    return "'\(field)' 是\(kind)，因此\(what)；要比较文本请给值加引号，或用 --type \(field)=\(facts.wanted) 加载该列"
}
