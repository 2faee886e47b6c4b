// The command line's and the prompt's messages in Chinese (exhaustive switches, no `default:`).

extension DotArgument {
    var chinese: String {
        switch self {
        case .topic: return "主题"
        case .fieldName: return "字段名"
        case .scriptFile: return "脚本文件"
        case .file: return "文件"
        case .format: return "格式"
        case .onOrOff: return "on 或 off"
        case .date: return "日期"
        case .number: return "数字"
        }
    }
}

extension HistoryProblem {
    var chinese: String {
        switch self {
        case .cannotCreateFolder(let path): return "无法创建 \(path)"
        case .isDirectory(let path): return "\(path) 是文件夹"
        case .notReadableAndWritable(let path): return "无法读写 \(path)"
        case .notReadable(let path): return "无法读取 \(path)"
        case .notARegularFile(let path): return "\(path) 不是普通文件"
        case .notAHistoryFile(let path): return "\(path) 不是 seg（libedit）历史文件"
        case .cannotLoad(let path): return "\(path) 无法作为历史文件读取"
        case .writeFailed(let message): return message.text(in: .chinese)
        }
    }
}

extension CommandLineProblem {
    var chinese: String {
        switch self {
        case .unknownOption(let option, let s): return "未知的选项 '\(option)'\(didYouMeanChinese(s))"
        case .missingValue(let option): return "选项 '\(option)' 缺少值"
        case .invalidValue(let value, let option): return "值 '\(value)' 不适用于 '\(option)'"
        case .unexpectedArgument(let argument): return "多余的参数 '\(argument)'"
        case .missingArgument(let argument): return "缺少参数 '\(argument)'"
        }
    }
}

extension UsageMessage {
    var chinese: String {
        switch self {
        case .commandLine(let problem, let help): return problem.chinese + "；参见 '\(help) --help'"
        case .unknownFormat(let format, let s):
            return "未知的格式 '\(format)'\(didYouMeanChinese(s))；请选择 table、csv、tsv、json、jsonl、markdown 或 value"
        case .scriptAndCommands: return "请给出 -c 语句或脚本文件，不要同时给出"
        case .tableWithoutDatabase: return "--table 指定的是数据库中的表；请同时给出 --db"
        case .saveBookFromDatabase: return "--save-book 保存用 --data 加载的表（或演示数据簿），不能保存数据库"
        case .stdinHoldsData: return "标准输入用于数据（--data -）；请用 -c 或脚本文件给出语句"
        case .typeSpec(let spec): return "--type 需要 column=type 的形式，实际为 '\(spec)'"
        case .unknownType(let type, let column, let s):
            return "--type \(column) 的类型 '\(type)' 未知\(didYouMeanChinese(s))；类型有 integer、decimal、date、boolean、category、text、tags"
        case .typeWithoutData: return "--type 用于 --data 加载的文件"
        case .negativeSkip(let n): return "--skip 需要表头上方标题行的行数，0 或更大（现在是 \(n)）"
        case .badTableName(let name, let from):
            let rule = "名称以字母或 _ 开头，后跟字母、数字和 _，且不能是 count 这样的关键词"
            switch from {
            case .data(let path): return "'\(name)' 不能作表名（\(rule)）；请用 --data NAME=\(path)"
            case .load(let path): return "'\(name)' 不能作表名（\(rule)）；请用 .load \(path) as NAME"
            case .database: return "'\(name)' 不能作表名（\(rule)）；请用 --table NAME=SCHEMA.TABLE"
            }
        case .duplicateTable(let name, let from):
            switch from {
            case .data(let path): return "有两个表都叫 '\(name)'；请用 --data NAME=\(path) 给其中一个命名"
            case .load(let path): return "有两个表都叫 '\(name)'；请用 .load \(path) as NAME 给其中一个命名"
            case .database: return "有两个表都叫 '\(name)'；请用 --table NAME=SCHEMA.TABLE 给其中一个命名"
            }
        case .unknownDialect(let dialect, let s): return "未知的方言 '\(dialect)'\(didYouMeanChinese(s))；请选择 postgres、sqlite 或 duckdb"
        case .tagsSpec(let tags): return "--tags 需要 text 或 array，实际为 '\(tags)'"
        case .noTableToDescribe: return "没有可描述的表"
        case .sqlNeedsStatement: return "seg sql 需要一条语句：seg sql 'clients where risk = averse count'"
        case .dataAndDatabase: return "请给出 --data 文件或 --db，不要同时给出"
        case .tableSpec(let spec): return "--table 需要 NAME=SCHEMA.TABLE 的形式，实际为 '\(spec)'"
        case .dateOption(let option, let found): return "\(option) 需要形如 2026-01-31 的日期，实际为 '\(found)'"
        case .parameterSpec(let argument): return "--param 需要 NAME=VALUE 的形式，实际为 '\(argument)'"
        case .parameterName(let name): return "--param：'\(name)' 不是参数名（字母、数字和 _）"
        case .parameterValue(let name, let reason): return "--param \(name)：\(reason?.text(in: .chinese) ?? "此处应为一个值")"
        case .dotSQLNeedsStatement: return ".sql 需要一条语句：.sql clients where risk = averse count"
        case .emptyCommand: return "空命令"
        case .noArguments(let command): return "\(command) 不接受参数"
        case .atMostOne(let command, let what): return "\(command) 只接受一个\(what.chinese)；含空格的路径请加引号"
        case .needs(let command, let what, let usage): return "\(command) 需要\(what.chinese)：\(usage)"
        case .oneArgument(let command, let usage): return "\(command) 只接受一个参数：\(usage)"
        case .noHelp(let topic, let s): return "没有关于 '\(topic)' 的帮助\(didYouMeanChinese(s))；试试 .help 或 .help language"
        case .loadNeedsFile: return ".load 需要一个文件：.load FILE [as NAME]"
        case .loadSyntax: return ".load 的写法是 .load FILE [as NAME]；含空格的路径请加引号"
        case .timerValue(let value): return ".timer 需要 on 或 off，实际为 '\(value)'"
        case .chartValue(let value): return ".chart 需要 on 或 off，实际为 '\(value)'"
        case .xlsxNeedsFile:
            return "xlsx 是工作簿文件，不能输出到屏幕或管道：请用 --output FILE.xlsx 或 .output FILE.xlsx 写入文件"
        case .reportNeedsScript: return "报告需要运行一个脚本：seg report SCRIPT.seg --html FILE.html"
        case .reportWithOutput(let option): return "\(option) 不能与 --html 同用：报告页面包含全部结果"
        case .widthValue(let n): return "--width 需要 20 到 1000 之间的列数，实际为 \(n)"
        case .maxRowsValue(let value): return ".maxrows 需要 0 或更大的整数，实际为 '\(value)'"
        case .unknownCommand(let name, let s): return "未知的命令 '\(name)'\(didYouMeanChinese(s))；.help 列出所有命令"
        case .unclosedQuote(let line): return "'\(line)' 中有引号没有闭合"
        case .saveBookNeedsMemory: return ".savebook 保存从文件加载的表，不能保存数据库中的表"
        case .loadNameIsSegment(let name, let path): return "'\(name)' 是细分；请用 .load \(path) as NAME 换一个名称"
        case .noField(let field, let table, let s): return "\(table) 中没有字段 '\(field)'\(didYouMeanChinese(s))；.fields 列出所有字段"
        case .outputFileClosed: return "输出文件已关闭；结果重新输出到屏幕"
        case .screenAgain(let failure): return failure.text(in: .chinese) + "；结果重新输出到屏幕"
        case .historyInMemory(let problem): return "提示：\(problem.chinese)；历史记录只保存在内存中"
        case .dotCommandNotHere: return "点命令（以 '.' 开头的行）只能在脚本、-c、标准输入或提示符下运行"
        case .severalResultsInOneTable(let count, let format, let destination):
            let place = destination.map { "'\($0)'" } ?? "标准输出"
            return "有 \(count) 条语句会以 \(format) 格式把结果写到\(place)，而它只能容纳一张表；"
                + "请在每条语句前用 .output FILE 各写一个文件，或改用 --format json（一个文档）或 table"
        case .valueNeedsOneCell(let rows, let columns):
            return "--format value 只输出一个值，但这个结果有 \(rows) 行 \(columns) 列；请在语句末尾加 count，或用 limit 1 只显示一个字段"
        case .continuesPrevious(let word):
            return "语句不能以 '\(word)' 开头；按上箭头调出上一条语句，再在其后加上 '\(word) …'"
        case .unknownMaskRule(let rule, let field, let s):
            return "\(field) 的脱敏方式 '\(rule)' 未知\(didYouMeanChinese(s))；脱敏方式有 phone、name、email 和 other"
        case .maskedFields(let fields):
            return fields.isEmpty ? "没有字段脱敏（.mask phone,name,email 可以脱敏）"
                : "输出中脱敏的字段：" + fields.joined(separator: "、") + "（.mask off 显示原值）"
        case .unknownLanguage(let language): return "未知的语言 '\(language)'；请选择 en 或 zh"
        case .maskAndNoMask: return "请给出 --mask 或 --no-mask，不要同时给出"
        case .unknownMaskField(let field, let s): return "无法脱敏 '\(field)'：没有这个字段\(didYouMeanChinese(s))"
        }
    }
}
