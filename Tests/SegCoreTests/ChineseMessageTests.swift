import Foundation
import Testing
import SegBase
import SegFunctions
import SegCommands

// Issue 16: every message group renders in Chinese. The renderings are exhaustive switches, so
// a case without Chinese does not compile; these samples (at least one per group, most cases
// of the short groups) check that the Chinese reads as Chinese: not empty, not the English,
// and with no English words left over beyond the language's own keywords, names and codes.

/// Words that stay as written in Chinese text: the language's keywords and commands, formats,
/// types, options' values, and technical names.
private let codeWords: Set<String> = [
    "let", "where", "and", "or", "not", "in", "between", "has", "any", "all", "like", "contains", "is", "empty",
    "before", "after", "last", "next", "ago", "today", "yesterday", "as", "by", "show", "sort", "limit", "count",
    "asc", "desc", "union", "intersect", "except", "days", "weeks", "months", "years", "since",
    "save", "drop", "segments", "param", "explain", "why", "snapshot", "snapshots", "diff",
    "table", "csv", "tsv", "json", "jsonl", "markdown", "value", "integer", "decimal", "date", "boolean",
    "category", "text", "tags", "array", "true", "false", "off", "phone", "name", "email", "other",
    "postgres", "sqlite", "duckdb", "disable", "prefer", "require", "verify", "full", "sslmode", "seg", "sql",
    "language", "clients", "risk", "averse", "birthday", "opened", "anniversary", "help", "output", "format",
    "load", "fields", "timer", "maxrows", "mask", "read", "savebook", "postgresql", "numeric", "libedit",
    "pgpass", "user", "host", "dbname", "vip", "rich", "book", "old", "new", "tmp", "assets", "age", "city",
    "days_since", "round", "sum", "min", "max", "avg", "upper", "segbook", "cat",
    // Derived fields and classifications, analyses, and the names of programs.
    "field", "when", "else", "band", "having", "per", "median", "quantile", "pct", "products", "interests", "net", "aum_tier", "excel", "windows",
    // Charts, histograms, workbooks and the report (issue 17).
    "chart", "histogram", "xlsx", "report", "width", "bom", "html", "loans",
]

/// The English words left in `text` once quoted parts, options, paths and code words are taken out.
private func leftoverEnglish(_ text: String) -> [String] {
    var plain = ""
    var quote: Character?
    for c in text {
        if let q = quote { if c == q { quote = nil }; continue }
        if c == "'" || c == "\"" { quote = c; continue }
        plain.append(c)
    }
    let words = plain.split { !($0.isASCII && ($0.isLetter || $0 == "_" || $0 == "-" || $0 == "." || $0 == "/" || $0 == "=" || $0 == "$")) }
    return words.map(String.init).filter { word in
        guard word.count >= 3, word.contains(where: \.isLowercase) else { return false }  // FILE, NAME, SSL, URL …
        // Options, dot-commands, parameters, paths and file names (out.csv) stay as written.
        if word.hasPrefix("-") || word.hasPrefix(".") || word.hasPrefix("$") || word.contains("/") || word.contains("=")
            || word.dropLast().contains(".") { return false }
        let bare = word.trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
        return !codeWords.contains(bare.lowercased()) && !bare.hasPrefix("UTF") && !bare.hasPrefix("Unicode") && !bare.hasPrefix("IPv")
            && !bare.hasPrefix("Postgre") && !bare.hasPrefix("SQL") && !bare.hasPrefix("Duck") && !bare.hasPrefix("GiB")
    }
}

let chineseSamples: [Message] = [
    .syntax(.unexpectedCharacter("@")),
    .syntax(.unterminatedString),
    .syntax(.expected(.closingParenthesis(line: 1, column: 16), found: .endOfInput)),
    .syntax(.expected(.comparison(after: "risk"), found: .token("averse"))),
    .syntax(.expected(.source(after: nil), found: .endOfLine)),
    .syntax(.clauseTwice("where")),
    .syntax(.whereAfterOtherClauses),
    .syntax(.unexpectedAfterQuery(found: .token("shwo"), suggestion: "show")),
    .syntax(.statementStartsWithClause(word: "count", afterLineBreak: true)),
    .syntax(.unknownTimeUnit("dayz", suggestion: "days")),
    .syntax(.invalidDate("2026-02-30", shaped: true)),
    .syntax(.numberTooLarge),
    .syntax(.keywordAsHeading("days")),
    .query(.unknownSource("clents", suggestion: "clients")),
    .query(.unknownField("asets", suggestion: "assets")),
    .query(.unknownValue("深证", field: "city", suggestion: "深圳", lookalike: nil, in: nil)),
    .query(.typeMismatch(field: "age", type: .integer, literal: .text("old"))),
    .query(.functionArity(function: "days_since", arguments: [.date], found: 2)),
    .query(.aggregateInCondition("sum")),
    .query(.segmentCycle(["a", "b", "a"])),
    .query(.unknownParameter("min", suggestion: nil)),
    .query(.noClient(id: "C9", table: "clients")),
    .query(.dateOutOfRange(DateOverflow(written: "9000 years", parameter: nil, place: .afterToday, earliest: false,
                                        limit: "9999-12-31", today: "2026-11-15"))),
    .query(.arithmeticOnType(operation: "+", field: "name", type: .text)),
    .query(.noIDColumn(table: "clients", snapshots: true, names: ["id", "客户号"])),
    .query(.textOrdered(field: "assets", type: .text, use: .sorted, profile: nil)),
    .query(.fieldNamedLikeStored("assets", table: "clients")),
    .query(.labelTwice("A", field: "tier2")),
    .query(.labelsHaveNoOrder(field: "mix", operation: ">")),
    .query(.orderOnNonCategory(field: "assets", type: .decimal)),
    .query(.orderValueTwice("averse", field: "risk")),
    .query(.orderLeavesOut(field: "risk", values: ["aggressive", "growth"])),
    .query(.orderLeavesOut(field: "city", values: ["a", "b", "c", "d", "e", "f", "g"])),
    .query(.orderedFieldsDiffer("grade", levels: 3, "risk_level", otherLevels: 5)),
    .syntax(.expected(.commaOrEndAfterOrderValue, found: .token("growth"))),
    .query(.bandArguments),
    .query(.havingNeedsAggregate("assets")),
    .query(.limitPerOnGroups),
    .syntax(.expected(.whenAfterLabel("私行"), found: .token("assets"))),
    .command(.usesUnsavedField("rich", field: "net")),
    .command(.snapshotNeedsLabels("net")),
    .database(.sqliteHasNoOrderedSet(function: "median")),
    .query(.quantileFraction(maxScale: 4)),
    .query(.shareArgument),
    .query(.shareInHaving),
    .display(.countedPerTag(fields: ["products", "interests"])),
    .query(.havingOnTagKey("products")),
    .query(.histogramNeedsNumber("city", type: .category)),
    .query(.histogramWith(clause: "by")),
    .query(.chartOfCount),
    .query(.histogramNotRows),
    .query(.histogramOfMasked("assets")),
    .usage(.chartValue("maybe")),
    .usage(.xlsxNeedsFile),
    .usage(.reportNeedsScript),
    .usage(.reportWithOutput(option: "--output")),
    .usage(.widthValue(5)),
    .display(.fieldDefined("aum_tier", type: .category, labels: ["私行", "大众"])),
    .command(.libraryHoldsOnlyLets),
    .command(.usesUnsaved("vip", uses: "rich")),
    .command(.damagedSnapshot(.truncatedBeforeEnd, segment: "vip")),
    .command(.noSnapshotYet("vip")),
    .command(.snapshotOfUnsaved("tmp", changed: false)),
    .command(.snapshotOfUnsaved("rich", changed: true)),
    .command(.definitionChanged(was: "clients where assets > 5m", now: "clients where assets > 8m")),
    .data(.noHeader),
    .data(.fieldCount(found: 3, header: 4)),
    .data(.invalidUTF8),
    .data(.jsonExpected(.commaOrEndOfRecord(field: "age"), atEnd: true)),
    .data(.cellType(column: "age", type: .integer, .notInteger, value: "4O")),
    .data(.readAsEncoding("GB18030")),
    .data(.titleRowSkipped(line: 1, text: "客户清单")),
    .data(.totalRow(line: 9, text: "合计", skipped: true)),
    .data(.unnamedColumn(column: 1, name: "column1")),
    .data(.changedWhileRead(path: "book.csv", sizes: (then: 10, now: 20))),
    .book(.notABook),
    .book(.damaged(.checksum(.column("assets")))),
    .book(.newerFormat(version: 3, newest: 2)),
    .pattern(.unmatchedClose),
    .pattern(.notSupported(.lookahead)),
    .usage(.unknownFormat("jsn", suggestion: "json")),
    .usage(.scriptAndCommands),
    .usage(.unknownCommand(".fromat", suggestion: ".format")),
    .usage(.historyInMemory(.notReadable("/tmp/h"))),
    .usage(.severalResultsInOneTable(count: 2, format: "csv", destination: nil)),
    .usage(.valueNeedsOneCell(rows: 3, columns: 1)),
    .usage(.continuesPrevious(word: "and")),
    .usage(.unknownMaskField("phnoe", suggestion: "phone")),
    .usage(.maskedFields(["phone", "name"])),
    .usage(.unknownLanguage("fr")),
    .file(.protected(path: "book.csv", .data(table: "clients"))),
    .file(.protected(path: "segments.seg", .segmentLibrary)),
    .file(.exists(path: "out.csv", .script)),
    .file(.exists(path: "out.csv", .commandLine)),
    .file(.replaceQuestion(path: "out.csv")),
    .file(.failed(.open, path: "x.csv", reason: nil)),
    .file(.notRegular(.replace, path: "p", kind: .fifo)),
    .file(.exportFailed(path: "a.csv", failure: .file(.failed(.write, path: "a.csv", reason: nil)), unchanged: true)),
    .database(.badURL(.badPort("99999"), from: "--db")),
    .database(.notTranslatable("save", .library)),
    .database(.notTranslatable("segments", .localState)),
    .database(.notTranslatable("diff", .snapshots)),
    .database(.notTranslatable("explain", .severalQueries)),
    .database(.notTranslatable(".fields", .prompt)),
    .database(.cannotConnect(url: "postgres://db", problem: .passwordNeeded)),
    .display(.footer(shown: 20, total: 1234, .clients)),
    .display(.footer(shown: 3, total: nil, .groups)),
    .display(.more(960)),
    .display(.banner(origin: "book.csv", rows: 10_000, .clients, fields: 20)),
    .display(.saved("vip", path: "segments.seg")),
    .display(.snapshotTaken("vip", members: 12, date: "2026-11-15")),
    .interrupted,
]

@Suite("issue 16: messages in Chinese")
struct ChineseMessageTests {
    @Test(arguments: chineseSamples.indices)
    func readsAsChinese(_ k: Int) {
        let message = chineseSamples[k]
        let chinese = message.text(in: .chinese), english = message.text(in: .english)
        #expect(!chinese.isEmpty)
        #expect(chinese != english)
        #expect(chinese.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(chinese)")
        #expect(leftoverEnglish(chinese).isEmpty, "\(chinese): \(leftoverEnglish(chinese))")
    }

    @Test func goldens() {
        let cases: [(Message, String)] = [
            (.query(.unknownValue("深证", field: "city", suggestion: "深圳", lookalike: nil, in: nil)),
             "字段 'city' 没有值 '深证'（您是不是想写 '深圳'？）"),
            (.file(.protected(path: "book.csv", .data(table: "clients"))),
             "拒绝写入 'book.csv'：它是作为表 'clients' 加载的数据文件；没有写入任何内容，文件保持不变"),
            (.syntax(.expected(.closingParenthesis(line: 1, column: 16), found: .endOfInput)),
             "此处应为')'，以闭合第 1 行第 16 列的 '('，实际为输入结尾"),
            (.display(.footer(shown: 20, total: 1234, .clients)), "显示 20 / 共 1,234 位客户"),
        ]
        for (message, text) in cases { #expect(message.text(in: .chinese) == text) }
    }

    @Test func languageFromFlagAndEnvironment() throws {
        #expect(try Language.resolve(flag: nil, environment: [:]) == .english)
        #expect(try Language.resolve(flag: nil, environment: ["LANG": "zh_CN.UTF-8"]) == .chinese)
        #expect(try Language.resolve(flag: nil, environment: ["LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"]) == .english)
        #expect(try Language.resolve(flag: "zh", environment: [:]) == .chinese)
        #expect(try Language.resolve(flag: "en", environment: ["LANG": "zh_CN.UTF-8"]) == .english)
        #expect(throws: SegError.self) { try Language.resolve(flag: "fr", environment: [:]) }
    }

    @Test func errorsRenderWithTheChineseWord() {
        let error = SegError(.usage, .usage(.scriptAndCommands))
        #expect(error.render(color: false, language: .chinese) == "错误：请给出 -c 语句或脚本文件，不要同时给出\n")
    }
}

// MARK: - Help, listings and result words

/// The names the help's examples use: the demo book's fields and values, and the words of its
/// syntax lines (placeholders in capitals are skipped already).
private let exampleWords: Set<String> = [
    "deposits", "loans", "products", "fund", "wealth", "conservative", "tier", "private", "manager", "email",
    "last_contact", "opened", "phone", "year", "month", "anniversary", "months_since", "years_since", "year_month",
    "lower", "upper", "length", "abs", "coalesce", "count_distinct", "distinct", "deposit", "qq", "wang", "qq.com",
    "generate", "rows", "seed", "dialect", "create", "params", "statement", "script", "path", "file", "segbook",
    "column", "type", "list", "command", "key", "skip", "skip-footer", "encoding", "force", "version", "statement",
    "storage", "crm", "book", "small", "load", "field", "aggressive", "balanced", "loans",
    // Keys and programs: Tab, Ctrl-D, psql; a parameter, a typo shown as an example, missing-value words, key columns.
    "tab", "ctrl-d", "psql", "min_assets", "avrese", "null", "client_id", "cust_id",
    // Ordered categories and suitability (`let order`, a holdings table), pct's argument, xlsx.
    "order", "growth", "risk_level", "product_risk", "holdings", "aggregate", "sheet", "export.xlsx", "low", "high",
    // The call plan and the KPIs (issue 17): rule words, options' values, example files.
    "rule", "priority", "reason", "plan", "kpi", "lists", "out", "dir", "then", "now", "since", "teams", "team",
    "vip", "birthday", "october.csv", "november.csv", "teams.csv", "team.seg", "book.csv", "items", "format", "condition",
    "mask", "no-mask", "show", "segments", "today", "lang", "help", "data", "name", "names", "field", "mass", "affluent", "xlsx",
    // Related tables (issue 15).
    "family", "contacts", "managers", "kind", "maturity", "outcome", "reached", "date", "amount", "team", "client.tier",
    "client.manager", "client.name", "client.phone", "client.risk", "client.f", "sum", "latest", "contacts.outcome",
    "has", "no", "vip", "clients.id", "holdings.client_id", "count", "product", "name", "birthday", "relation",
    "manager.team", "client", "out", "dir", "link", "child.field", "parent.key", "disconnected",
]

/// `leftoverEnglish` without the help's example names.
private func leftoverProse(_ text: String) -> [String] {
    leftoverEnglish(text).filter { !exampleWords.contains($0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".-"))) }
}

/// Every help topic in Chinese: seg help language, .help, the dot-commands, and the --help
/// screens of seg, seg generate and seg sql.
private let chineseHelpTopics: [(String, String)] = [
    ("language", LanguageReference.text(in: .chinese)),
    (".help", HelpText.prompt(table: "clients").text(in: .chinese)),
    ("dot-commands", HelpText.dotCommands.text(in: .chinese)),
    ("seg --help", HelpText.commandLine(generated: "English").text(in: .chinese)),
    ("seg generate --help", HelpText.generateCommand(generated: "English").text(in: .chinese)),
    ("seg sql --help", HelpText.sqlCommand(generated: "English").text(in: .chinese)),
    ("seg plan --help", HelpText.planCommand(generated: "English").text(in: .chinese)),
    ("seg kpi --help", HelpText.kpiCommand(generated: "English").text(in: .chinese)),
]

@Suite("issue 16: help, listings and result words in Chinese")
struct ChineseHelpTests {
    /// No line of a Chinese help topic is English prose: what remains once keywords, field and
    /// command names, options, quoted text and examples' names are taken out is nothing.
    @Test(arguments: chineseHelpTopics.indices)
    func everyHelpTopicIsChinese(_ k: Int) {
        let (topic, text) = chineseHelpTopics[k]
        #expect(text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(topic)")
        for line in text.split(separator: "\n") {
            let left = leftoverProse(String(line))
            #expect(left.isEmpty, "\(topic): \(line) → \(left)")
        }
    }

    /// English stays the default and is not the Chinese text.
    @Test func englishHelpIsUnchanged() {
        #expect(LanguageReference.text.hasPrefix("seg language reference\n======================\n"))
        #expect(LanguageReference.text(in: .english) == LanguageReference.text)
        #expect(HelpText.commandLine(generated: "generated").text(in: .english) == "generated")
        #expect(HelpText.prompt(table: "clients").text(in: .english).hasPrefix("Type a statement and press Enter"))
    }

    /// Every registry function and aggregate has its Chinese summary in the reference.
    @Test func everyFunctionHasAChineseSummary() {
        for name in Functions.scalars.map(\.name) + Functions.aggregates.map(\.name) {
            #expect(chineseFunctionSummary(name) != nil, "\(name)")
        }
    }

    @Test func listingAndResultWordsAreChinese() {
        let listings: [ListingWord] = [
            .noTableLoaded, .demoBook, .field, .type, .missing, .derivedField, .definition,
            .derivedDetail(name: "net", type: "decimal", definition: "assets - loans"), .labelsInOrder,
            .databaseMissingHint(table: "clients"), .databaseDetail(name: "age", type: "integer", table: "clients"),
            .databaseDistinct(name: "risk", type: "category", count: 5, table: "clients"), .more(3),
            .missingCount(name: "risk", type: "category", missing: 0), .distinct(4), .noValues, .minimum, .maximum,
            .tableLine(name: "clients", rows: 10_000, fields: 20), .noSegmentsYet, .segmentsHeading,
            .loaded(name: "small", rows: 4, fields: 11), .bookSaved(path: "b.segbook", rows: 4, fields: 11, bytes: 900),
            .elapsed("0.012"),
        ]
        let words: [ResultWord] = [
            .step, .condition, .remaining, .value, .result, .verdict(id: "C001", inSegment: false, segment: "vip"),
            .name, .size, .saved, .definition, .date, .members, .file, .change, .details, .entered, .left, .changed,
            .definitionRow, .emptyValue, .noLongerInBook, .noFieldChanged, .migrationCorner(date: "2026-11-01"),
            .movedUp, .movedDown, .noLabel, .newInBook, .notInBook,
        ]
        let texts = listings.map { ($0.text(in: .chinese), $0.text(in: .english)) } + words.map { ($0.text(in: .chinese), $0.text(in: .english)) }
        for (chinese, english) in texts {
            #expect(chinese != english)
            #expect(chinese.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(chinese)")
            #expect(leftoverProse(chinese).isEmpty, "\(chinese): \(leftoverProse(chinese))")
        }
        #expect(ListingWord.tableLine(name: "clients", rows: 10_000, fields: 20).text(in: .chinese) == "clients  10,000 行 · 20 个字段")
        #expect(ResultWord.verdict(id: "C001", inSegment: true, segment: "vip").text(in: .english) == "C001 is in vip")
    }
}
