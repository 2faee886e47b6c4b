import Foundation
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands

/// A prompt command that starts with a dot (`.help`, `.fields risk`, `.format csv` …).
public enum DotCommand: Equatable, Sendable {
    case help(topic: String?)
    case fields(name: String?)
    case tables
    case load(path: String, name: String?)
    case read(path: String)
    /// `.savebook FILE`: the first table as a binary seg book.
    case saveBook(path: String)
    case format(OutputFormat)
    /// nil: back to the screen. `force` (`.output! FILE`): replace FILE if it exists.
    case output(path: String?, force: Bool)
    case timer(Bool)
    /// nil: show today's date.
    case today(Int?)
    /// 0 shows every row.
    case maxRows(Int)
    /// `.sql STATEMENT`: the SQL the statement compiles to.
    case sql(String)
    /// `.mask phone,name,email` masks those fields in output; `.mask off` shows them unmasked;
    /// `.mask` alone lists them (nil).
    case mask(String?)
    case quit

    /// Every command name, for completion and "did you mean".
    public static let names = [".help", ".fields", ".tables", ".load", ".read", ".savebook", ".format", ".output", ".output!", ".timer",
                               ".today", ".maxrows", ".sql", ".mask", ".quit", ".exit"]

    /// One line per command, for `.help`.
    public static let summary = """
        .help [language]          this list, or the language reference
        .fields [NAME]            the fields; with a name: its type, missing count and values
        .tables                   tables with row counts, and the segments defined so far
        .load FILE [as NAME]      load a .csv, .tsv, .json, .jsonl, .xlsx or .segbook file as a
                                  table, read with the command line's --na, --encoding, --skip,
                                  --skip-footer, --sheet and --type
        .read SCRIPT              run the statements of a script file here
        .savebook FILE            save the first table as a binary seg book (mode 0600)
        .format FORMAT            table, csv, tsv, json, jsonl, markdown or value
        .output [FILE]            write results to FILE (mode 0600) in the format its extension
                                  names (.csv .tsv .json .jsonl .md) unless .format chose one;
                                  alone: back to the screen. An existing FILE is replaced when
                                  the export is closed, after asking (.output! FILE: no asking);
                                  a loaded data file, the library or a snapshot never is
        .timer on|off             show the time each statement takes
        .today [YYYY-MM-DD]       fix today's date for relative dates (alone: show it)
        .maxrows N                rows a table shows on screen (0: all)
        .sql STATEMENT            the SQL the statement compiles to (PostgreSQL)
        .mask [FIELDS|off]        mask fields in every output: phone 138****1234, name 张*三,
                                  email w***@qq.com (FIELD=phone|name|email|other picks the
                                  rule); off: show them unmasked; alone: list them
        .quit, .exit              leave (Ctrl-D too)

        """

    /// `summary` in `language`.
    public static func summary(in language: Language) -> String {
        switch language {
        case .english: return summary
        case .chinese: return chineseSummary
        }
    }

    static let chineseSummary = """
        .help [language]          本列表，或查询语言参考（英文）
        .fields [NAME]            所有字段；给出字段名时：类型、缺失数和取值
        .tables                   各表及行数，以及已定义的细分
        .load FILE [as NAME]      把 .csv、.tsv、.json、.jsonl、.xlsx 或 .segbook 文件加载为表，
                                  按命令行的 --na、--encoding、--skip、--skip-footer、--sheet 和 --type 读取
        .read SCRIPT              在此运行脚本文件中的语句
        .savebook FILE            把第一个表保存为二进制 seg 数据簿（权限 0600）
        .format FORMAT            table、csv、tsv、json、jsonl、markdown 或 value
        .output [FILE]            把结果写入 FILE（权限 0600），格式按扩展名（.csv .tsv .json
                                  .jsonl .md），除非已用 .format 选定；不带参数：回到屏幕。
                                  已存在的 FILE 在导出关闭时才替换，替换前会询问（.output! FILE：
                                  不询问）；已加载的数据文件、细分库和快照永远不会被覆盖
        .timer on|off             显示每条语句的耗时
        .today [YYYY-MM-DD]       固定相对日期所用的今天（不带参数：显示今天）
        .maxrows N                屏幕上表格显示的行数（0：全部）
        .sql STATEMENT            语句编译成的 SQL（PostgreSQL）
        .mask [FIELDS|off]        在所有输出中脱敏：手机 138****1234、姓名 张*三、
                                  邮箱 w***@qq.com（FIELD=phone|name|email|other 指定方式）；
                                  off：显示原值；不带参数：列出脱敏字段
        .quit, .exit              退出（也可按 Ctrl-D）

        """

    /// Parses a line starting with `.`. Bad names and arguments throw a one-line `.usage` error.
    public static func parse(_ line: String) throws -> DotCommand {
        // The statement after .sql is taken as typed, quotes and all.
        let head = line.prefix { !$0.isWhitespace }
        if head.lowercased() == ".sql" {
            let statement = line.dropFirst(head.count).trimmingCharacters(in: .whitespacesAndNewlines)
            if statement.isEmpty { throw SegError(.usage, .usage(.dotSQLNeedsStatement)) }
            return .sql(statement)
        }
        var words = try split(line)
        guard !words.isEmpty else { throw SegError(.usage, .usage(.emptyCommand)) }
        let name = words.removeFirst().lowercased()
        func noArguments() throws {
            if !words.isEmpty { throw SegError(.usage, .usage(.noArguments(command: name))) }
        }
        func atMostOne(_ what: DotArgument) throws -> String? {
            if words.count > 1 { throw SegError(.usage, .usage(.atMostOne(command: name, what))) }
            return words.first
        }
        func exactlyOne(_ what: DotArgument, usage: String) throws -> String {
            guard words.count == 1 else {
                throw SegError(.usage, .usage(words.isEmpty ? .needs(command: name, what, usage: usage) : .oneArgument(command: name, usage: usage)))
            }
            return words[0]
        }
        switch name {
        case ".help":
            if let topic = try atMostOne(.topic) {
                guard ["language", "commands"].contains(topic.lowercased()) else {
                    throw SegError(.usage, .usage(.noHelp(topic, suggestion: Suggest.closest(to: topic, among: ["language", "commands"]))))
                }
                return .help(topic: topic.lowercased())
            }
            return .help(topic: nil)
        case ".fields":
            return .fields(name: try atMostOne(.fieldName))
        case ".tables":
            try noArguments()
            return .tables
        case ".load":
            guard !words.isEmpty else { throw SegError(.usage, .usage(.loadNeedsFile)) }
            let path = words[0]
            if words.count == 1 { return .load(path: path, name: nil) }
            guard words.count == 3, words[1].lowercased() == "as" else {
                throw SegError(.usage, .usage(.loadSyntax))
            }
            return .load(path: path, name: words[2])
        case ".read":
            return .read(path: try exactlyOne(.scriptFile, usage: ".read SCRIPT"))
        case ".savebook":
            return .saveBook(path: try exactlyOne(.file, usage: ".savebook FILE.segbook"))
        case ".format":
            let value = try exactlyOne(.format, usage: ".format table|csv|tsv|json|jsonl|markdown|value")
            guard let format = OutputFormat(rawValue: value.lowercased()) else {
                throw SegError(.usage, .usage(.unknownFormat(value, suggestion: Suggest.closest(to: value, among: OutputFormat.allCases.map(\.rawValue)))))
            }
            return .format(format)
        case ".output":
            return .output(path: try atMostOne(.file), force: false)
        case ".output!":
            return .output(path: try exactlyOne(.file, usage: ".output! FILE"), force: true)
        case ".timer":
            let value = try exactlyOne(.onOrOff, usage: ".timer on|off")
            switch value.lowercased() {
            case "on": return .timer(true)
            case "off": return .timer(false)
            default: throw SegError(.usage, .usage(.timerValue(value)))
            }
        case ".today":
            guard let value = try atMostOne(.date) else { return .today(nil) }
            guard let day = CivilDate.parse(value) else {
                throw SegError(.usage, .usage(.dateOption(option: ".today", found: value)))
            }
            return .today(day)
        case ".maxrows":
            let value = try exactlyOne(.number, usage: ".maxrows N")
            guard let n = Int(value.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: "")), n >= 0 else {
                throw SegError(.usage, .usage(.maxRowsValue(value)))
            }
            return .maxRows(n)
        case ".mask":
            return .mask(words.isEmpty ? nil : words.joined(separator: ","))
        case ".quit", ".exit":
            try noArguments()
            return .quit
        default:
            throw SegError(.usage, .usage(.unknownCommand(name, suggestion: Suggest.closest(to: name, among: names))))
        }
    }

    /// Splits arguments at spaces; `"…"` or `'…'` keeps spaces in one argument.
    static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" || c == "`" {  // `最近联系 日期` as in statements
                quote = c
                inWord = true
            } else if c == " " || c == "\t" || c == "\n" || c == "\r" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(c)
                inWord = true
            }
        }
        if quote != nil { throw SegError(.usage, .usage(.unclosedQuote(line.trimmingCharacters(in: [" ", "\n"])))) }
        if inWord { words.append(current) }
        return words
    }
}
