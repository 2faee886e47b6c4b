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
    /// `.chart on|off`: draw `by` results as bar charts in table format.
    case chart(Bool)
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
    public static let names = [".help", ".fields", ".tables", ".load", ".read", ".savebook", ".format", ".output", ".output!", ".timer", ".chart",
                               ".today", ".maxrows", ".sql", ".mask", ".quit", ".exit"]

    /// One line per command, for `.help`.
    public static var summary: String { summary(in: .english) }

    /// `summary` in `language`.
    public static func summary(in language: Language) -> String { HelpText.dotCommands.text(in: language) }

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
            let value = try exactlyOne(.format, usage: ".format table|csv|tsv|json|jsonl|markdown|value|xlsx")
            guard let format = OutputFormat(rawValue: value.lowercased()) else {
                throw SegError(.usage, .usage(.unknownFormat(value, suggestion: Suggest.closest(to: value, among: OutputFormat.allCases.map(\.rawValue)))))
            }
            return .format(format)
        case ".output":
            return .output(path: try atMostOne(.file), force: false)
        case ".output!":
            return .output(path: try exactlyOne(.file, usage: ".output! FILE"), force: true)
        case ".timer", ".chart":
            let value = try exactlyOne(.onOrOff, usage: name + " on|off")
            guard ["on", "off"].contains(value.lowercased()) else {
                throw SegError(.usage, .usage(name == ".timer" ? .timerValue(value) : .chartValue(value)))
            }
            return name == ".timer" ? .timer(value.lowercased() == "on") : .chart(value.lowercased() == "on")
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
