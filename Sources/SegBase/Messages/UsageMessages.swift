// The command line and the prompt's dot-commands: options, their values, and the notes seg prints
// when it carries on (history kept in memory only…).

/// Where a table name came from, for the advice in a refusal.
public enum TableNameSource: Sendable, Equatable {
    /// `--data NAME=PATH`
    case data(path: String)
    /// `.load PATH as NAME`
    case load(path: String)
    /// `--table NAME=SCHEMA.TABLE`
    case database
}

/// What a dot-command takes, as its messages name it.
public enum DotArgument: Sendable, Equatable {
    case topic, fieldName, scriptFile, file, format, onOrOff, date, number

    var english: String {
        switch self {
        case .topic: return "topic"
        case .fieldName: return "field name"
        case .scriptFile: return "a script file"
        case .file: return "a file"
        case .format: return "a format"
        case .onOrOff: return "on or off"
        case .date: return "date"
        case .number: return "a number"
        }
    }
}

/// Why a history file is not used.
public enum HistoryProblem: Sendable, Equatable {
    case cannotCreateFolder(String)
    case isDirectory(String)
    case notReadableAndWritable(String)
    case notReadable(String)
    case notARegularFile(String)
    case notAHistoryFile(String)
    case cannotLoad(String)
    /// A write failed (the message of that error).
    case writeFailed(Message)

    var english: String {
        switch self {
        case .cannotCreateFolder(let path): return "cannot create \(path)"
        case .isDirectory(let path): return "\(path) is a directory"
        case .notReadableAndWritable(let path): return "cannot read and write \(path)"
        case .notReadable(let path): return "cannot read \(path)"
        case .notARegularFile(let path): return "\(path) is not a regular file"
        case .notAHistoryFile(let path): return "\(path) is not a seg (libedit) history file"
        case .cannotLoad(let path): return "\(path) cannot be read as a history file"
        case .writeFailed(let message): return message.text(in: .english)
        }
    }
}

/// A command line the argument parser refused.
public enum CommandLineProblem: Sendable, Equatable {
    case unknownOption(String, suggestion: String?)
    case missingValue(option: String)
    case invalidValue(String, option: String)
    case unexpectedArgument(String)
    case missingArgument(String)

    var english: String {
        switch self {
        case .unknownOption(let option, let s): return "unknown option '\(option)'\(didYouMean(s))"
        case .missingValue(let option): return "missing value for '\(option)'"
        case .invalidValue(let value, let option): return "the value '\(value)' is invalid for '\(option)'"
        case .unexpectedArgument(let argument): return "unexpected argument '\(argument)'"
        case .missingArgument(let argument): return "missing expected argument '\(argument)'"
        }
    }
}

public indirect enum UsageMessage: Sendable, Equatable {
    case unknownFormat(String, suggestion: String?)
    case scriptAndCommands
    case tableWithoutDatabase
    case saveBookFromDatabase
    case stdinHoldsData
    case typeSpec(String)
    case unknownType(String, column: String, suggestion: String?)
    case typeWithoutData
    /// `--skip -1`: a count of title lines cannot be negative.
    case negativeSkip(Int)
    case badTableName(String, from: TableNameSource)
    case duplicateTable(String, from: TableNameSource)
    case unknownDialect(String, suggestion: String?)
    case tagsSpec(String)
    case noTableToDescribe
    case sqlNeedsStatement
    case dataAndDatabase
    case tableSpec(String)
    case dateOption(option: String, found: String)
    case parameterSpec(String)
    case parameterName(String)
    /// `--param NAME=VALUE` whose value does not read as one literal; `reason` is the parser's.
    case parameterValue(name: String, reason: Message?)
    // The prompt's dot-commands.
    case dotSQLNeedsStatement
    case emptyCommand
    case noArguments(command: String)
    case atMostOne(command: String, DotArgument)
    case needs(command: String, DotArgument, usage: String)
    case oneArgument(command: String, usage: String)
    case noHelp(String, suggestion: String?)
    case loadNeedsFile
    case loadSyntax
    case timerValue(String)
    /// `.chart maybe`
    case chartValue(String)
    /// xlsx to the screen or standard output: a workbook is a file.
    case xlsxNeedsFile
    /// `seg report` without a script, or `--html` without one.
    case reportNeedsScript
    /// `--html FILE` with `--output` or `--format`: the page is the output.
    case reportWithOutput(option: String)
    /// `--width 0`
    case widthValue(Int)
    case maxRowsValue(String)
    case unknownCommand(String, suggestion: String?)
    case unclosedQuote(String)
    case saveBookNeedsMemory
    case loadNameIsSegment(String, path: String)
    case noField(String, table: String, suggestion: String?)
    case outputFileClosed
    /// An export failed; later results go to the screen.
    case screenAgain(Message)
    /// A note: history is kept in memory only, and why.
    case historyInMemory(HistoryProblem)
    /// A dot-command where no shell runs it (a library file, `seg sql`).
    case dotCommandNotHere
    /// csv/tsv output of several results to one place, refused before anything runs.
    case severalResultsInOneTable(count: Int, format: String, destination: String?)
    /// `--format value` given a result that is not one cell.
    case valueNeedsOneCell(rows: Int, columns: Int)
    /// At the prompt, a line that starts with `and`, `where`, `count` …: it would continue the
    /// statement above in a script.
    case continuesPrevious(word: String)
    /// `--mask contact=phne`
    case unknownMaskRule(String, field: String, suggestion: String?)
    /// `.mask` shows the masked fields (empty: none).
    case maskedFields([String])
    case maskAndNoMask
    /// `--lang fr`
    case unknownLanguage(String)
    /// A masked field that is not in the table.
    case unknownMaskField(String, suggestion: String?)
    /// What the argument parser refused on the command line (its own English words are shown in
    /// English; this carries them into other languages).
    /// `help`: the command whose `--help` lists the options (`seg`, `seg generate`).
    case commandLine(CommandLineProblem, help: String)

    var english: String {
        switch self {
        case .commandLine(let problem, let help): return problem.english + "; see '\(help) --help'"
        case .unknownFormat(let format, let s):
            return "unknown format '\(format)'\(didYouMean(s)); choose table, csv, tsv, json, jsonl, markdown or value"
        case .scriptAndCommands: return "give either -c statements or a script file, not both"
        case .tableWithoutDatabase: return "--table names database tables; give --db too"
        case .saveBookFromDatabase: return "--save-book saves a table loaded with --data (or the demo book), not a database"
        case .stdinHoldsData: return "standard input holds the data (--data -); give the statements with -c or a script file"
        case .typeSpec(let spec): return "--type expects column=type, found '\(spec)'"
        case .unknownType(let type, let column, let s):
            return "unknown type '\(type)' for --type \(column)\(didYouMean(s)); types are integer, decimal, date, boolean, category, text, tags"
        case .typeWithoutData: return "--type applies to files loaded with --data"
        case .negativeSkip(let n): return "--skip needs the number of title lines above the header, 0 or more (found \(n))"
        case .badTableName(let name, let from):
            let rule = "a name starts with a letter or _, then letters, digits and _, and is not a word of the language such as count"
            switch from {
            case .data(let path): return "'\(name)' cannot name a table (\(rule)); use --data NAME=\(path)"
            case .load(let path): return "'\(name)' cannot name a table (\(rule)); use .load \(path) as NAME"
            case .database: return "'\(name)' cannot name a table (\(rule)); use --table NAME=SCHEMA.TABLE"
            }
        case .duplicateTable(let name, let from):
            switch from {
            case .data(let path): return "two tables are named '\(name)'; name one with --data NAME=\(path)"
            case .load(let path): return "two tables are named '\(name)'; name one with .load \(path) as NAME"
            case .database: return "two tables are named '\(name)'; name one with --table NAME=SCHEMA.TABLE"
            }
        case .unknownDialect(let dialect, let s): return "unknown dialect '\(dialect)'\(didYouMean(s)); choose postgres, sqlite or duckdb"
        case .tagsSpec(let tags): return "--tags expects text or array, found '\(tags)'"
        case .noTableToDescribe: return "no table to describe"
        case .sqlNeedsStatement: return "seg sql needs a statement: seg sql 'clients where risk = averse count'"
        case .dataAndDatabase: return "give either --data files or --db, not both"
        case .tableSpec(let spec): return "--table expects NAME=SCHEMA.TABLE, found '\(spec)'"
        case .dateOption(let option, let found): return "\(option) expects a date like 2026-01-31, found '\(found)'"
        case .parameterSpec(let argument): return "--param expects NAME=VALUE, found '\(argument)'"
        case .parameterName(let name): return "--param: '\(name)' is not a parameter name (letters, digits and _)"
        case .parameterValue(let name, let reason): return "--param \(name): \(reason?.text(in: .english) ?? "expected a value")"
        case .dotSQLNeedsStatement: return ".sql needs a statement: .sql clients where risk = averse count"
        case .emptyCommand: return "empty command"
        case .noArguments(let command): return "\(command) takes no arguments"
        case .atMostOne(let command, let what): return "\(command) takes one \(what.english); quote a path with spaces"
        case .needs(let command, let what, let usage): return "\(command) needs \(what.english): \(usage)"
        case .oneArgument(let command, let usage): return "\(command) takes one argument: \(usage)"
        case .noHelp(let topic, let s): return "no help on '\(topic)'\(didYouMean(s)); try .help or .help language"
        case .loadNeedsFile: return ".load needs a file: .load FILE [as NAME]"
        case .loadSyntax: return ".load expects .load FILE [as NAME]; quote a path with spaces"
        case .timerValue(let value): return ".timer expects on or off, found '\(value)'"
        case .chartValue(let value): return ".chart expects on or off, found '\(value)'"
        case .xlsxNeedsFile:
            return "xlsx is a workbook file, not text for a screen or a pipe: write it with --output FILE.xlsx or .output FILE.xlsx"
        case .reportNeedsScript: return "a report runs a script: seg report SCRIPT.seg --html FILE.html"
        case .reportWithOutput(let option): return "\(option) cannot go with --html: the report page holds every result"
        case .widthValue(let n): return "--width expects a number of columns from 20 to 1000, found \(n)"
        case .maxRowsValue(let value): return ".maxrows expects a whole number, 0 or more, found '\(value)'"
        case .unknownCommand(let name, let s): return "unknown command '\(name)'\(didYouMean(s)); .help lists the commands"
        case .unclosedQuote(let line): return "a quote is not closed in '\(line)'"
        case .saveBookNeedsMemory: return ".savebook saves a table loaded from a file, not a database table"
        case .loadNameIsSegment(let name, let path): return "'\(name)' is a segment; use .load \(path) as NAME with another name"
        case .noField(let field, let table, let s): return "no field '\(field)' in \(table)\(didYouMean(s)); .fields lists them"
        case .outputFileClosed: return "the output file was closed; results go to the screen again"
        case .screenAgain(let failure): return failure.text(in: .english) + "; results go to the screen again"
        case .historyInMemory(let problem): return "note: \(problem.english); history is kept in memory only"
        case .dotCommandNotHere: return "a dot-command (a line starting with '.') runs only in a script, -c, standard input or at the prompt"
        case .severalResultsInOneTable(let count, let format, let destination):
            let place = destination.map { "'\($0)'" } ?? "standard output"
            return "\(count) statements would write results to \(place) as \(format), which holds one table; "
                + "give each its own file with .output FILE before it, or use --format json (one document) or table"
        case .valueNeedsOneCell(let rows, let columns):
            return "--format value prints one value, but this result has \(rows) \(rows == 1 ? "row" : "rows") of "
                + "\(columns) \(columns == 1 ? "column" : "columns"); end the statement with count, or show one field with limit 1"
        case .unknownMaskRule(let rule, let field, let s):
            return "unknown mask '\(rule)' for \(field)\(didYouMean(s)); masks are phone, name, email and other"
        case .maskedFields(let fields):
            return fields.isEmpty ? "no field is masked (.mask phone,name,email masks them)"
                : "masked in output: " + fields.joined(separator: ", ") + " (.mask off shows them unmasked)"
        case .unknownLanguage(let language): return "unknown language '\(language)'; choose en or zh"
        case .maskAndNoMask: return "give either --mask or --no-mask, not both"
        case .unknownMaskField(let field, let s): return "cannot mask '\(field)': no such field\(didYouMean(s))"
        case .continuesPrevious(let word):
            return "a statement cannot start with '\(word)'; press Up to recall the statement above and add '\(word) …' to it"
        }
    }
}
