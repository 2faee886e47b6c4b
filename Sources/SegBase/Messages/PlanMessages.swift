// The messages of the call plan (`seg plan`: rules, call lists per manager) and of `seg kpi`
// (figures between two books), with the words of their results. Chinese in Chinese/PlanChinese.swift.

public enum PlanMessage: Sendable, Equatable {
    /// A statement other than `rule` in the plan file.
    case planHoldsOnlyRules
    case ruleDefinedTwice(String, firstLine: Int)
    /// The plan file does not exist.
    case noPlanFile(path: String)
    /// The plan file (or the session) holds no rule.
    case emptyPlan(path: String)
    /// A manager's name cannot be a file name: `why` says what is in it.
    case unsafeFileName(manager: String, why: UnsafeName)
    /// Two managers' names give one file name (they differ only in case).
    case fileNameClash(String, String, file: String)
    /// `--out DIR` names something that is not a folder.
    case outNotFolder(path: String)
    /// A field `seg plan` or `seg kpi` needs is not in the book.
    case missingField(String, book: String, purpose: FieldPurpose, suggestion: String?)
    /// Two clients of one book have the same key.
    case duplicateKey(String, key: String, book: String, rows: (Int, Int))
    /// A client has no key.
    case missingKey(key: String, book: String, row: Int)
    /// Tier moves need the order of the tier field.
    case noOrder(String)
    /// The teams file lacks a column.
    case teamsColumns(path: String, missing: String)
    /// The teams file names a manager twice.
    case managerTwice(String, path: String)
    /// A value of the book that the field's order does not list.
    case notInOrder(String, field: String, book: String, suggestion: String?)
    /// `seg plan --out` with the manager field masked: the files could not be told apart.
    case maskedManagerFiles(String)
    /// `seg plan --out` with a format that is not a file of one table.
    case outFormat(String)
    /// `--only NAME` names no manager of the book.
    case unknownManager(String, suggestion: String?)
    /// A sum of money beyond the 64-bit range.
    case sumTooLarge(String)

    public static func == (a: PlanMessage, b: PlanMessage) -> Bool { a.english == b.english }

    var english: String {
        switch self {
        case .planHoldsOnlyRules:
            return "a plan file holds only rules ('rule NAME priority N reason \"TEXT\" where CONDITION') and comments"
        case .ruleDefinedTwice(let name, let line): return "rule '\(name)' is defined twice (first on line \(line))"
        case .noPlanFile(let path):
            return "no plan file '\(path)': write rules there, one a line, such as: rule birthday priority 1 reason \"生日\" where anniversary(birthday) in next 7 days"
        case .emptyPlan(let path): return "the plan '\(path)' holds no rules, so there is nobody to call"
        case .unsafeFileName(let manager, let why):
            return "manager '\(manager)' cannot be a file name (\(why.english)); correct the name in the book, or leave out --out to see the lists on the screen"
        case .fileNameClash(let a, let b, let file): return "managers '\(a)' and '\(b)' would both be written to '\(file)' (file names ignore case on some systems)"
        case .outNotFolder(let path): return "--out '\(path)' is not a folder"
        case .missingField(let field, let book, let purpose, let suggestion):
            return "\(book) has no field '\(field)', which \(purpose.english)\(didYouMean(suggestion))"
        case .duplicateKey(let id, let key, let book, let rows):
            return "\(book): clients in rows \(rows.0) and \(rows.1) have the same \(key) '\(id)'; each client must appear once to be matched"
        case .missingKey(let key, let book, let row): return "\(book): the client in row \(row) has no \(key), so it cannot be matched with the other book"
        case .noOrder(let field):
            return "tier upgrades and downgrades need the order of '\(field)': give --order \(field)=LOWEST,…,HIGHEST or put 'let order \(field) = …' in the segment library"
        case .teamsColumns(let path, let missing): return "the teams file '\(path)' has no column '\(missing)' (it needs columns manager and team)"
        case .managerTwice(let manager, let path): return "the teams file '\(path)' names manager '\(manager)' twice"
        case .notInOrder(let value, let field, let book, let suggestion):
            return "\(book): '\(field)' holds '\(value)', which its order does not list\(didYouMean(suggestion)); add it to the order (--order or 'let order \(field)')"
        case .maskedManagerFiles(let field):
            return "'\(field)' is masked, so --out cannot name a file after each manager; show '\(field)' unmasked (--no-mask, or leave it out of --mask) or see the lists on the screen"
        case .outFormat(let format):
            return "--out writes csv (the default) or xlsx files, not \(format); leave --format out, or give --format xlsx"
        case .unknownManager(let name, let suggestion): return "no manager '\(name)' in the book\(didYouMean(suggestion))"
        case .sumTooLarge(let field): return "the sum of '\(field)' is too large for 64 bits"
        }
    }
}

/// What makes a name unusable as a file name.
public enum UnsafeName: Sendable, Equatable {
    case empty
    case dot
    case character(String)
    case tooLong(bytes: Int)

    var english: String {
        switch self {
        case .empty: return "it is empty"
        case .dot: return "it starts with '.'"
        case .character(let c): return "it holds \(c)"
        case .tooLong(let bytes): return "it is \(bytes) bytes long, more than 200"
        }
    }
}

/// What a field is needed for (in `missingField`).
public enum FieldPurpose: Sendable, Equatable {
    case callLists, kpi(String)

    var english: String {
        switch self {
        case .callLists: return "the call lists are grouped by (--manager)"
        case .kpi(let what): return "the KPI '\(what)' reads"
        }
    }
}

/// The headings and fixed words of the results of `seg plan` and `seg kpi`.
public enum PlanWord: Sendable, Equatable {
    case priority, reasons
    /// The heading above one manager's call list.
    case listHeading(manager: String, clients: Int)
    case noManager
    case manager, team, managers, clients, gained, lost, newAUM, newAccounts, upgrades, downgrades, vips, vipsContacted, coverage
    /// The line above the KPI tables: the period.
    case period(from: String, to: String)
    /// At the prompt, after `rule NAME …`: how many clients it finds today.
    case ruleDefined(String, clients: Int)
    /// `seg plan --out`: what was written.
    case written(files: Int, clients: Int, folder: String)

    public func text(in language: Language) -> String { language == .english ? english : chinese }

    var english: String {
        switch self {
        case .priority: return "priority"
        case .reasons: return "reasons"
        case .listHeading(let manager, let clients): return "\(manager) · \(clients) \(clients == 1 ? "client" : "clients") to call"
        case .noManager: return "(no manager)"
        case .manager: return "manager"
        case .team: return "team"
        case .managers: return "managers"
        case .clients: return "clients"
        case .gained: return "gained"
        case .lost: return "lost"
        case .newAUM: return "new AUM"
        case .newAccounts: return "new accounts"
        case .upgrades: return "tier up"
        case .downgrades: return "tier down"
        case .vips: return "VIPs"
        case .vipsContacted: return "VIPs contacted"
        case .coverage: return "VIP coverage %"
        case .period(let from, let to): return "period \(from) … \(to)"
        case .ruleDefined(let name, let clients): return "rule \(name): \(clients) \(clients == 1 ? "client" : "clients") today"
        case .written(let files, let clients, let folder): return "wrote \(files) call \(files == 1 ? "list" : "lists") (\(clients) clients) to \(folder)"
        }
    }
}
