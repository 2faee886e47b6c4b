// Every message seg shows a person, in one typed catalogue: a case per message, carrying the data
// it names, grouped by the layer that reports it (one file each in this folder, with its
// wording). Code builds cases, never text; `text(in:)` renders a case in a language, so a
// second language is a second rendering beside each group's English one.

/// The languages messages are written in.
public enum Language: String, Sendable, CaseIterable {
    case english = "en"
    case chinese = "zh"

    /// `--lang zh|en` when given, else Chinese when `LC_ALL`, `LC_MESSAGES` or `LANG` (the
    /// first one set) names a Chinese locale (`zh_CN.UTF-8`), else English.
    public static func resolve(flag: String?, environment: [String: String]) throws -> Language {
        if let flag {
            let code = flag.lowercased().prefix { $0.isLetter }
            guard let language = code.hasPrefix("zh") ? Language.chinese : code.hasPrefix("en") ? .english : nil else {
                throw SegError(.usage, .usage(.unknownLanguage(flag)))
            }
            return language
        }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("zh") ? .chinese : .english
        }
        return .english
    }

    /// The word before a message: `error` / `错误`.
    public var errorWord: String {
        switch self {
        case .english: return "error"
        case .chinese: return "错误"
        }
    }
}

/// A message of the catalogue.
public enum Message: Sendable, Equatable {
    /// The statement's syntax (SegSyntax).
    case syntax(SyntaxMessage)
    /// Names, types and values in a statement (SegSemantics).
    case query(QueryMessage)
    /// The commands on segments, snapshots and the library (SegCommands).
    case command(CommandMessage)
    /// Data files: CSV, TSV, JSON and types (SegIO).
    case data(DataMessage)
    /// Seg books (.segbook).
    case book(BookMessage)
    /// Regular expressions.
    case pattern(PatternMessage)
    /// The command line, the prompt's dot-commands and files named there.
    case usage(UsageMessage)
    /// Reading and writing files.
    case file(FileMessage)
    /// SQL and databases.
    case database(DatabaseMessage)
    /// Footers, the banner and the prompt's notes.
    case display(DisplayMessage)
    /// The call plan and the KPIs between two books.
    case plan(PlanMessage)
    /// A statement cancelled with Ctrl-C.
    case interrupted
    /// A bug in seg: what went wrong, for the report.
    case `internal`(String)

    /// The message in `language`.
    public func text(in language: Language = .english) -> String {
        switch self {
        case .syntax(let m): return m.text(in: language)
        case .query(let m): return m.text(in: language)
        case .command(let m): return m.text(in: language)
        case .data(let m): return m.text(in: language)
        case .book(let m): return m.text(in: language)
        case .pattern(let m): return m.text(in: language)
        case .usage(let m): return m.text(in: language)
        case .file(let m): return m.text(in: language)
        case .database(let m): return m.text(in: language)
        case .display(let m): return m.text(in: language)
        case .plan(let m): return m.text(in: language)
        case .interrupted:
            switch language {
            case .english: return "interrupted"
            case .chinese: return "已中断"
            }
        case .internal(let what):
            switch language {
            case .english: return what
            case .chinese: return "seg 内部错误：\(what)"
            }
        }
    }
}

/// A group of messages with a rendering per language. Each rendering is an exhaustive switch
/// over the group's cases (no `default:`), so a case added later does not compile until it
/// has its text in every language.
protocol MessageGroup {
    var english: String { get }
    var chinese: String { get }
}

extension MessageGroup {
    /// The message in `language`.
    func text(in language: Language) -> String {
        switch language {
        case .english: return english
        case .chinese: return chinese
        }
    }
}

extension BookMessage: MessageGroup {}
extension CommandMessage: MessageGroup {}
extension DataMessage: MessageGroup {}
extension DatabaseMessage: MessageGroup {}
extension DisplayMessage: MessageGroup {}
extension FileMessage: MessageGroup {}
extension PatternMessage: MessageGroup {}
extension PlanMessage: MessageGroup {}
extension QueryMessage: MessageGroup {}
extension SyntaxMessage: MessageGroup {}
extension UsageMessage: MessageGroup {}

/// ` (did you mean 'x'?)` after a name or value close to a real one; nothing without a suggestion.
func didYouMean(_ suggestion: String?) -> String {
    suggestion.map { " (did you mean \(suggested($0))?)" } ?? ""
}

/// A suggestion in single quotes, or as it is when it is a name in backquotes (`` `资产余额(元)` ``),
/// which is already how it is typed.
func suggested(_ suggestion: String) -> String {
    suggestion.hasPrefix("`") ? suggestion : "'\(suggestion)'"
}

/// `'X'` for a word taken from what the user wrote, shortened past 40 characters.
func quoted(_ text: String) -> String {
    "'\(shortened(text))'"
}

/// Text the user wrote, cut to 40 characters.
func shortened(_ s: String) -> String {
    s.count <= 40 ? s : String(s.prefix(39)) + "…"
}

extension FieldType {
    /// `an integer field`, `a date field` …
    var withArticle: String {
        switch self {
        case .integer: return "an integer field"
        case .decimal: return "a decimal field"
        case .date: return "a date field"
        case .boolean: return "a boolean field"
        case .category: return "a category field"
        case .text: return "a text field"
        case .tags: return "a tag field"
        }
    }
}
