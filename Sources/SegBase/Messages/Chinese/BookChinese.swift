// Seg-book and database messages in Chinese (exhaustive switches, no `default:`).

extension BookPart {
    var chinese: String {
        switch self {
        case .columnNumber(let n): return "第 \(n) 列"
        case .column(let name): return "列 '\(name)'"
        case .nameOf(let p): return "\(p.chinese)的名称"
        case .dictionarySizeOf(let p): return "\(p.chinese)的字典大小"
        case .tagWordsOf(let p): return "\(p.chinese)的标签字"
        case .missingValuesOf(let p): return "\(p.chinese)的缺失值"
        case .dictionaryOf(let p): return "\(p.chinese)的字典"
        case .tableName: return "表名"
        case .sectionOffset: return "某个区段的偏移"
        case .sectionLength: return "某个区段的长度"
        }
    }
}

extension BookDamage {
    var chinese: String {
        switch self {
        case .columnListCutShort: return "列清单被截断"
        case .outOfRange(let p): return "\(p.chinese)超出范围"
        case .cutShort(let p): return "\(p.chinese)被截断"
        case .notUTF8(let p): return "\(p.chinese)不是有效的 UTF-8"
        case .fileCutShort(let bytes): return "文件被截断（\(bytes) 字节）"
        case .fileLength(let actual, let written):
            return UInt64(actual) < written ? "文件被截断（\(actual) / \(written) 字节）" : "文件比写入时长（\(actual) / \(written) 字节）"
        case .headerChecksum: return "文件头校验和不符"
        case .rowCountOutOfRange: return "行数超出范围"
        case .columnListOutsideFile: return "列清单位于文件之外"
        case .columnListChecksum: return "列清单校验和不符"
        case .unknownType(let p): return "\(p.chinese)的类型未知"
        case .inconsistent(let p): return "\(p.chinese)的描述前后矛盾"
        case .trailingBytes: return "列清单末尾有多余字节"
        case .rowsWithoutColumns(let rows): return "声称有 \(grouped(rows)) 行，却没有任何列"
        case .sectionOutsideFile(let column): return "列 '\(column)' 的某个区段位于文件之外"
        case .emptyColumnName(let column): return "第 \(column) 列的名称为空"
        case .duplicateColumnName(let name, let columns): return "列名 '\(name)' 重复（第 \(columns.0) 列和第 \(columns.1) 列）"
        case .wrongTagWords(let p): return "\(p.chinese)每行的标签字数不对"
        case .sectionSize(let section, let column, let bytes, let need, let needBytes):
            return "列 '\(column)' 的第 \(section) 区段为 \(grouped(bytes)) 字节；\(need) \(needBytes.map(grouped) ?? "超过文件所能容纳的大小")"
        case .padding(let at): return "第 \(at) 字节处的填充不为零"
        case .dateOutOfRange(let p): return "\(p.chinese)中有超出 0000-01-01…9999-12-31 的日期"
        case .notBoolean(let p): return "\(p.chinese)中有既非 true 也非 false 的字节"
        case .codePastDictionary(let p): return "\(p.chinese)中有超出字典的编码"
        case .textOffsets(let p): return "\(p.chinese)的文本偏移顺序错乱"
        case .textNotUTF8(let p, let row): return "\(p.chinese)中有无效 UTF-8 文本（第 \(grouped(row)) 行）"
        case .tooLarge(let p): return "\(p.chinese)太大"
        case .tagPastVocabulary(let p): return "\(p.chinese)中有超出词表的标签"
        case .missingPastLastRow(let p): return "\(p.chinese)的缺失值超过了最后一行"
        case .valuesWithoutDictionary(let p): return "\(p.chinese)有值但字典为空"
        case .tooManyEntries(let p): return "\(p.chinese)的字典条目太多"
        case .dictionaryOffsets(let p): return "\(p.chinese)的字典偏移顺序错乱"
        case .dictionaryNotUTF8(let p, let entry): return "\(p.chinese)的字典中有无效 UTF-8（第 \(entry) 条）"
        case .dictionaryUnsorted(let p, let entry): return "\(p.chinese)的字典未排序（第 \(entry) 条）"
        case .wrongSize(let p): return "\(p.chinese)的大小不对"
        case .checksum(let p): return "\(p.chinese)的校验和不符"
        }
    }
}

extension BookMessage {
    var chinese: String {
        switch self {
        case .damaged(let damage): return "seg 数据簿已损坏：\(damage.chinese)"
        case .notABook: return "不是 seg 数据簿（开头不是 SEGBOOK）"
        case .newerFormat(let version, let newest):
            return "由更新版本的 seg 写入（数据簿格式 \(version)；本 seg 最多读取 \(newest)）；请升级 seg，或从 CSV 重新保存数据簿"
        case .otherByteOrder: return "在字节序不同的机器上写入；请从 CSV 重新保存数据簿"
        }
    }
}

extension ConnectionProblem {
    var chinese: String {
        switch self {
        case .serverClosed: return "服务器关闭了连接"
        case .clientClosed: return "连接已关闭"
        case .sslUnsupported: return "服务器不支持 sslmode 要求的 SSL"
        case .passwordNeeded: return "服务器要求密码；请放在 PGPASSWORD 或 ~/.pgpass 中"
        case .unsupportedAuthentication: return "服务器要求 seg 不支持的认证方式"
        case .other(let text): return text
        }
    }
}

extension URLProblem {
    var chinese: String {
        switch self {
        case .scheme: return "URL 必须以 postgres:// 或 postgresql:// 开头"
        case .fragment: return "不允许 URL 片段（'#…'）"
        case .atAfterHost: return "主机之后出现 '@'：用户名或密码中的 '/' 或 '?' 必须写成 %2F 或 %3F"
        case .badUser: return "用户名不是有效的百分号编码文本"
        case .badPassword: return "密码不是有效的百分号编码文本"
        case .unclosedIPv6: return "'[' 开始的 IPv6 地址缺少 ']'"
        case .hostTooLong: return "主机名超过 253 个字符"
        case .notIPv6(let text): return "'\(text)' 不是 IPv6 地址"
        case .afterIPv6(let text): return "IPv6 地址之后出现意外的 '\(text)'"
        case .badHostEncoding(let text): return "主机 '\(text)' 不是有效的百分号编码文本"
        case .badPort(let text): return "端口 '\(text)' 不是 1 到 65535 之间的数字"
        case .badDatabase(let text): return "数据库名 '\(text)' 不是有效的百分号编码文本"
        case .notAParameter(let text): return "'\(text)' 不是 NAME=VALUE 形式的参数"
        case .unknownParameter(let text): return "未知参数 '\(text)'（seg 只读取 sslmode）"
        case .afterHost(let text): return "主机之后出现意外的 '\(text)'"
        case .severalHosts(let text): return "不支持多个主机（'\(text)'）；请只给一个"
        case .socketFolder(let text): return "不支持 Unix 套接字目录（'\(text)'）；请给出主机名"
        case .notAHostName(let text): return "'\(text)' 不是主机名（字母、数字、'-'、'_' 和 '.'）"
        }
    }
}

extension DatabaseMessage {
    var chinese: String {
        switch self {
        case .badURL(let problem, let from):
            switch (problem, from) {
            case (_, "--db"): return "--db：\(problem.chinese)；应为形如 postgres://user@host:5432/dbname 的 URL"
            case (.badPort(let text), "PGPORT"): return "PGPORT '\(text)' 不是 1 到 65535 之间的数字"
            default: return "\(from)：\(problem.chinese)"
            }
        case .unknownSSLMode(let mode, let from):
            return "\(from)：未知的 sslmode '\(mode)'；请用 disable、prefer、require、verify-ca 或 verify-full"
        case .sqliteHasNoRegex:
            return "SQLite 默认没有正则表达式，无法翻译 '~'；请用 like 或 contains，或改用 postgres、duckdb 方言"
        case .sqliteHasNoArrays(let field): return "SQLite 没有数组；请把 '\(field)' 存成以 ; 分隔的文本"
        case .sqliteHasNoOrderedSet(let function): return "SQLite 没有 \(function)（没有有序集聚合）；请用 --dialect duckdb 或 postgres，或在 seg 内存中计算"
        case .nulCharacter(let database): return "\(database) 文本不能包含 NUL 字符（\\0）；请从值中删除"
        case .nulInName: return "名称不能包含 NUL 字符（\\0）"
        case .notTranslatable(let word, let reason):
            let why: String
            switch reason {
            case .library: why = "它会修改 seg 保存的分群库文件"
            case .localState: why = "它列出 seg 在分群库旁保存的内容"
            case .snapshots: why = "它读写 seg 保存的快照文件"
            case .severalQueries: why = "它运行多条查询并汇报结果"
            case .prompt: why = "它是交互提示符的命令"
            case .binsCountedBySeg: why = "直方图的分箱由 seg 在查询之后自行统计"
            }
            return "'\(word)' 无法翻译成 SQL：\(why)；请在 seg 中运行（使用 --db 时其中的查询在数据库中执行）。查询、let 和 param 可以翻译"
        case .badCell(let column, let row, let type):
            return "数据库为 '\(column)' 发来的值（某批次第 \(row) 行）不是 \(type.rawValue)"
        case .noTable(let table, let url, let seg): return "\(url) 中没有表 '\(table)'；请用 --table \(seg)=SCHEMA.TABLE 指定"
        case .noReadableColumn(let table):
            return "表 '\(table)' 没有 seg 能读取的列（整数、numeric、日期、布尔、文本、text[]）"
        case .cannotConnect(let url, let problem): return "无法连接 \(url)：\(problem.chinese)"
        case .unreadableValue(let column): return "无法读取数据库发来的列 '\(column)' 的值"
        case .connectionLost(let url, let problem):
            return "与 \(url) 的连接中断（\(problem.chinese)）；下一条语句会重新连接"
        case .refused(let message, let hint): return "数据库拒绝了该语句：\(message)" + (hint.map { "（\($0)）" } ?? "")
        }
    }
}
