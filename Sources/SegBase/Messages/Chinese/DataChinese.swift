// Data-file messages in Chinese (exhaustive switches, no `default:`).

extension JSONExpectation {
    var chinese: String {
        switch self {
        case .recordInArray: return "数组中的一条记录（'{'）"
        case .commaOrEndOfArray: return "记录之后的 ',' 或 ']'"
        case .recordStart: return "记录开头的 '{'（JSON Lines 每行一个对象）"
        case .fieldName: return "双引号中的字段名"
        case .colon(let field): return "字段名 '\(field)' 之后的 ':'"
        case .commaOrEndOfRecord(let field): return "字段 '\(field)' 的值之后的 ',' 或 '}'"
        case .value(let field): return "字段 '\(field)' 的值"
        case .stringInArray(let field): return "字段 '\(field)' 数组中的字符串"
        case .commaOrEndOfTagArray(let field): return "字段 '\(field)' 数组中的 ',' 或 ']'"
        }
    }
}

extension CellProblem {
    var chinese: String {
        switch self {
        case .notInteger: return "不是整数"
        case .integerTooLarge: return "超出 64 位整数范围"
        case .notDecimal: return "不是小数"
        case .tooManyDecimals(let limit): return "小数位超过 \(limit) 位"
        case .decimalTooLarge(let scale): return "对于 \(scale) 位小数来说太大"
        case .notDate: return "不是日期（YYYY-MM-DD）"
        case .notBoolean: return "不是 true 或 false"
        }
    }
}

extension WorkbookProblem {
    var chinese: String {
        switch self {
        case .notZip: return "它不是 zip 压缩包，而每个 .xlsx 都是（是否把 CSV 或别的文件改了扩展名？）"
        case .encrypted: return "它设有密码（已加密）或是旧的 .xls；请在 Excel 中另存为不带密码的 .xlsx，或存为 CSV"
        case .damaged(let reason): return "压缩包已损坏（\(reason)）"
        case .missingPart(let part): return "其中没有 \(part)"
        case .badXML(let part, let line): return "\(part) 不是格式正确的 XML（第 \(line) 行）"
        case .badSharedString(let cell): return "单元格 \(cell) 引用的共享字符串在工作簿中不存在"
        }
    }
}

extension DataMessage {
    var chinese: String {
        switch self {
        case .noHeader: return "缺少表头行"
        case .recordTooLarge: return "一条记录超过 2 GiB"
        case .fieldCount(let found, let header): return "该行有 \(found) 个字段，表头有 \(header) 个"
        case .quoteInUnquotedField: return "未加引号的字段中出现引号（请给整个字段加引号，并把其中的引号写两遍）"
        case .nulByte: return "数据中有 NUL 字节"
        case .invalidUTF8: return "无效的 UTF-8（文件必须是 UTF-8 编码）"
        case .unterminatedQuotedField: return "带引号的字段缺少结束引号"
        case .textAfterClosingQuote: return "结束引号之后出现意外字符"
        case .noRecords: return "没有记录"
        case .textAfterArray: return "JSON 数组之后出现意外文本"
        case .notJSONRecords: return "文件开头应为 '['（记录数组）或 '{'（JSON Lines）"
        case .fieldsDifferInCase(let a, let b): return "字段 '\(a)' 与字段 '\(b)' 只有大小写不同"
        case .noFields: return "所有记录都没有字段"
        case .lineBreakAfterRecord: return "记录之后应换行（JSON Lines 每行一个对象）"
        case .recordsTooLarge(let rows): return "记录过大（\(rows) 条记录超过 2 GiB）"
        case .emptyFieldName: return "字段名为空"
        case .duplicateField(let name): return "同一条记录中字段 '\(name)' 重复"
        case .nestedObject(let field): return "字段 '\(field)'：不支持嵌套对象"
        case .invalidNumber(let field): return "字段 '\(field)' 的数字无效"
        case .arrayOfStringsOnly(let field): return "字段 '\(field)'：只支持字符串数组"
        case .semicolonInTag(let field): return "字段 '\(field)'：标签中不能含 ';'（它用来分隔标签）；请把每个标签写成单独的字符串"
        case .unterminatedString: return "字符串缺少结束引号"
        case .unpairedSurrogate: return "\\u 转义中有未配对的代理项"
        case .nulInString: return "字符串中有 NUL 字符（\\u0000）"
        case .invalidEscape: return "字符串中有无效的转义"
        case .controlCharacterInString: return "字符串中有控制字符（必须转义）"
        case .invalidUnicodeEscape: return "无效的 \\u 转义（需要四位十六进制数字）"
        case .jsonExpected(let what, let atEnd):
            return atEnd ? "输入意外结束（此处应为\(what.chinese)）" : "此处应为\(what.chinese)"
        case .cellType(let column, let type, let problem, let value):
            return "列 '\(column)' 指定为 \(type.rawValue) 类型，但 '\(value)' \(problem.chinese)"
        case .readAsEncoding(let name):
            return "注意：文件不是有效的 UTF-8，已按 \(name) 读取（中文 Windows 上的 Excel 会这样保存）；--encoding NAME 可指定其他编码"
        case .unknownEncoding(let name): return "--encoding 的编码 '\(name)' 未知（可试 UTF-8、GB18030、GBK 或 BIG5）"
        case .notInEncoding(let name): return "这个字节不是有效的 \(name)；请用 --encoding NAME 给出文件的编码"
        case .titleRowSkipped(let line, let text):
            return "注意：第 \(line) 行（'\(text)'）是表头上方的标题，已跳过；--skip N 可给出这类行数"
        case .unnamedColumn(let column, let name): return "注意：表头中第 \(column) 列没有名称，已命名为 '\(name)'"
        case .renamedDuplicate(let original, let column, let name):
            return "注意：第 \(column) 列与 '\(original)' 重名，已命名为 '\(name)'"
        case .totalRow(let line, let text, let skipped):
            return skipped ? "注意：第 \(line) 行（'\(text)'）是合计行，已略去（--skip-footer）"
                : "注意：第 \(line) 行（'\(text)'）像是合计行，已作为客户加载；--skip-footer 可略去它"
        case .timeOfDayDropped(let column): return "注意：'\(column)' 中的日期带有时刻；seg 保留日期，去掉时刻"
        case .typeOnBook(let file): return "--type 不适用于 seg 数据簿 '\(file)'：它的列已有类型"
        case .noColumnToType(let key, let file, let s): return "无法设置 '\(key)' 的类型：\(file) 中没有这一列\(didYouMeanChinese(s))"
        case .notWorkbook(let file, let problem): return "无法把 '\(file)' 作为 .xlsx 工作簿读取：\(problem.chinese)"
        case .noSheet(let name, let file, let sheets, let s):
            return "'\(file)' 中没有工作表 '\(name)'\(didYouMeanChinese(s))；它的工作表：\(sheets.map { "'\($0)'" }.joined(separator: "、"))"
        case .sheetOnText(let file): return "--sheet 用于选择 .xlsx 工作簿中的工作表；'\(file)' 不是工作簿"
        case .changedWhileRead(let path, let sizes):
            let how = sizes.map { "打开时 \(grouped($0.then)) 字节，现在 \(grouped($0.now)) 字节" } ?? "被原地修改"
            return "无法读取 '\(path)'：seg 读取期间文件发生了变化（\(how)）；请在文件写完后重新加载"
        case .device(let path, let block):
            return "无法加载 '\(path)'：它是\(block ? "块" : "字符")设备，不是数据文件；请给出文件、管道，或用 - 表示标准输入"
        case .streamTooLarge(let name, let limit):
            return "'\(name)' 超过 \(limit)（本机内存的一半），seg 无法加载；请拆分文件，或只保留较少的列"
        case .internalError(let what): return "内部错误：\(what)"
        case .danglingKeys(let child, let field, let parent, let key, let rows, let of):
            return "提示：\(child) 的 \(grouped(of)) 行中有 \(grouped(rows)) 行的 \(field) 在 \(parent).\(key) 中找不到；这些行仍留在 \(child) 中（其 client.… 为缺失），不计入任何客户"
        case .keyNotUnique(let table, let field, let rows, let declared):
            let what = "\(table).\(field) 在第 \(rows.0) 行和第 \(rows.1) 行取同一个值，不能用来识别 \(table) 的行"
            return declared ? what : "提示：\(what)；未建立关联（可用 --link 子表.字段=\(table).键 指定）"
        case .linkSpec(let spec):
            return "--link '\(spec)'：应写成 子表.字段=主表.键，例如 --link holdings.client_id=clients.id"
        case .linkUnknownTable(let name, let s): return "--link：没有加载名为 '\(name)' 的表\(didYouMeanChinese(s))"
        case .linkUnknownField(let name, let table, let s): return "--link：表 \(table) 没有字段 '\(name)'\(didYouMeanChinese(s))"
        case .linkToItself(let table): return "--link：表不能关联到自身（\(table)）"
        }
    }
}
