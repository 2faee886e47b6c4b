// The parser's and the regular expressions' messages in Chinese. Each switch is exhaustive
// (no `default:`): a message case added later does not compile until it has its Chinese text.

/// `（您是不是想写 'x'？）` after a name or value close to a real one.
func didYouMeanChinese(_ suggestion: String?) -> String {
    suggestion.map { "（您是不是想写 \(suggested($0))？）" } ?? ""
}

extension FieldType {
    /// `整数字段` …
    var chinese: String {
        switch self {
        case .integer: return "整数字段"
        case .decimal: return "小数字段"
        case .date: return "日期字段"
        case .boolean: return "布尔字段"
        case .category: return "类别字段"
        case .text: return "文本字段"
        case .tags: return "标签字段"
        }
    }
}

extension Found {
    var chinese: String {
        switch self {
        case .endOfInput: return "输入结尾"
        case .endOfLine: return "行尾"
        case .token(let text): return quoted(text)
        }
    }
}

extension Expected {
    var chinese: String {
        switch self {
        case .oneValue: return "一个值（含空格的文本请加引号）"
        case .closingParenthesis(let line, let column): return "')'，以闭合第 \(line) 行第 \(column) 列的 '('"
        case .endOfStatement(let after): return "\(quoted(after)) 之后语句结束"
        case .name(let after): return "\(quoted(after)) 之后的名称"
        case .equals(let after): return "\(quoted(after)) 之后的 '='"
        case .inAndSegmentAfterClientID: return "客户编号之后的 'in' 和细分名称"
        case .segmentName(let after): return "\(quoted(after)) 之后的细分名称"
        case .equalsAndDefault(let after): return "\(quoted(after)) 之后的 '=' 和默认值"
        case .dateAfterSince: return "'since' 之后的日期，例如 2026-10-01"
        case .priorityAfterRuleName(let name): return "'rule \(name)' 之后的 'priority' 和整数（rule 名称 priority 1 reason \"…\" where …）"
        case .reasonAfterPriority: return "优先级之后的 'reason' 和带引号的文本"
        case .reasonText: return "'reason' 之后带引号的原因文本（reason \"生日\"）"
        case .whereAfterReason: return "原因之后的 'where' 和条件"
        case .value: return "一个值（数字、文本、日期或词）"
        case .byAfterSort: return "'sort' 之后的 'by'"
        case .wholeNumber(let after): return "\(quoted(after)) 之后的整数"
        case .source(let after): return (after.map { "\(quoted($0)) 之后的" } ?? "") + "表名或细分名"
        case .condition(let after): return "\(quoted(after)) 之后的条件"
        case .continuationOfNot: return "'not' 之后的 'in'、'between'、'like' 或 'contains'"
        case .parenthesisAfterIn(let negated): return negated ? "'in' 之后的 '('" : "'in' 之后的 '('、'last' 或 'next'"
        case .andInBetween(let after): return "'between' 中 \(quoted(after)) 之后的 'and'"
        case .parenthesis(let after): return "\(quoted(after)) 之后的 '('"
        case .empty(let after): return "\(quoted(after)) 之后的 'empty'"
        case .comparison(let after): return "\(quoted(after)) 之后的比较，如 '='、'in'、'has' 或 'like'"
        case .timeUnit(let after): return "\(quoted(after)) 之后的时间单位（days、weeks、months 或 years）"
        case .numberAfterMinus: return "'-' 之后的数字"
        case .fieldOrValue(let after): return "\(quoted(after)) 之后的字段或值"
        case .ago(let after): return "\(quoted(after)) 之后的 'ago'"
        case .whenAfterLabel(let label): return "标签 \(quoted(label)) 之后的 'when' 和条件"
        case .label(let after): return "\(quoted(after)) 之后的标签（一个词或带引号的文本）"
        case .commaOrEndAfterRule: return "',' 和下一条规则（LABEL when CONDITION，或 else LABEL），或定义的结尾"
        case .commaOrEndAfterOrderValue: return "',' 和下一个值（从低到高），或顺序的结尾"
        case .relatedTable(let after): return "'\(after)' 之后的关联表名（has holdings where …）"
        case .fieldAfterDot(let name): return "'\(name).' 之后的字段名"
        }
    }
}

extension SyntaxMessage {
    var chinese: String {
        switch self {
        case .unexpectedCharacter(let c): return "意外的字符 '\(c)'"
        case .unterminatedString: return "字符串缺少结束引号"
        case .unterminatedQuotedName: return "带反引号的名称缺少结束反引号（`）"
        case .emptyQuotedName: return "反引号之间没有名称：请在反引号之间写字段名"
        case .expected(let what, let found): return "此处应为\(what.chinese)，实际为\(found.chinese)"
        case .nestingTooDeep(let limit): return "嵌套超过 \(limit) 层"
        case .clauseTwice(let clause): return "'\(clause)' 出现了两次"
        case .whereAfterOtherClauses: return "'where' 必须紧跟在数据来源之后，位于 by、show、sort by、limit 和 count 之前"
        case .unexpectedAfterQuery(let found, let suggestion):
            return "查询之后出现意外的\(found.chinese)；此处应为 where、by、show、sort by、limit 或 count\(didYouMeanChinese(suggestion))"
        case .statementStartsWithClause(let word, let afterLineBreak):
            let example = word.lowercased() == "count" ? "clients count" : "clients \(word) …"
            let why = afterLineBreak ? "；一行即结束一条语句，除非该行以 'and'、'where'、',' 等结尾" : ""
            return "此处应为表名或细分名，实际为 '\(word)'（语句以要读取的数据开头，例如 '\(example)'\(why)）"
        case .unknownTimeUnit(let word, let suggestion): return "未知的时间单位 \(quoted(word))\(didYouMeanChinese(suggestion))"
        case .fractionalTimeSpan(let unit, let written): return "此处应为整数个 \(unit)，实际为 \(quoted(written))"
        case .invalidDate(let text, let shaped):
            return shaped ? "无效日期 \(quoted(text))" : "无效日期 \(quoted(text))（应为 YYYY-MM-DD）"
        case .numberTooLarge: return "数字太大"
        case .keywordAsHeading(let word): return "\(quoted(word)) 是查询语言的关键词，不能在 'as' 之后用作列名；请换一个名称"
        }
    }
}

extension RegexConstruct {
    var chinese: String {
        switch self {
        case .lookahead: return "先行断言 '(?='"
        case .negativeLookahead: return "否定先行断言 '(?!'"
        case .lookbehind: return "后行断言 '(?<='"
        case .negativeLookbehind: return "否定后行断言 '(?<!'"
        case .atomicGroup: return "原子组 '(?>'"
        case .backreference(let text): return "反向引用 '\(text)'"
        case .possessive(let text): return "占有量词 '\(text)'"
        case .unicodeProperties: return "Unicode 属性类（'\\p{…}'）"
        }
    }
}

extension PatternMessage {
    var chinese: String {
        switch self {
        case .unmatchedClose: return "多余的 ')'"
        case .missing(let what, let construct): return (construct.map { "'\($0)' 中" } ?? "") + "缺少 '\(what)'"
        case .quantifierAfterQuantifier(let q): return "量词 '\(q)' 紧跟在另一个量词之后"
        case .notSupported(let construct): return "不支持\(construct.chinese)"
        case .repetitionTooLarge(let text, let limit): return "正则表达式过大：重复次数 \(text) 超过 \(limit)"
        case .repetitionOutOfOrder(let text): return "无效的重复 \(text)：最小值大于最大值"
        case .nothingToRepeat(let text): return "'\(text)' 之前没有可重复的内容"
        case .groupsTooDeep(let limit): return "分组嵌套超过 \(limit) 层"
        case .unsupportedGroup(let text): return "不支持的分组或标志 '\(text)'"
        case .invalidGroupName: return "无效的分组名"
        case .trailingBackslash: return "模式末尾多了一个反斜杠"
        case .invalidEscape(let text): return "无效的转义 '\(text)'"
        case .unknownEscape(let text): return "未知的转义 '\(text)'"
        case .invalidClassRange(let range): return "字符类中的范围" + (range.map { " '\($0)' " } ?? "") + "无效"
        case .unknownCharacterClass(let text): return "未知的字符类 '\(text)'"
        case .tooLarge: return "正则表达式过大"
        }
    }
}
