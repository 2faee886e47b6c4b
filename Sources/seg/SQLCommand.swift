#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Foundation
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands
import SegPostgres

/// `seg sql STATEMENT…`: prints the SQL a statement compiles to, without running it.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seg sql",
        abstract: "Print the SQL equivalent of seg statements for PostgreSQL, SQLite or DuckDB.",
        discussion: """
            Names, types and values are checked against the schema first: the demo book, --data files
            or a PostgreSQL table (--db). Relative dates become literal dates computed from --today,
            so the SQL is reproducible. 'let' defines a segment that later statements use as a CTE.

            Examples:
              seg sql 'clients where risk=averse and assets>1m count'
              seg sql --dialect sqlite --data book.csv 'clients by tier show count, avg(age)'
              seg sql --today 2026-11-15 'let vip = clients where tier = vip; vip where last_contact before 6 months ago'
              seg sql --data book.csv --table clients=crm.clients --tags array --create > load.sql
            """
    )

    @Argument(help: ArgumentHelp("Statements to translate (';' or a new line separates statements).", valueName: "statement"))
    var statements: [String] = []

    @Option(help: ArgumentHelp("postgres (default), sqlite or duckdb.", valueName: "dialect"))
    var dialect: String = "postgres"

    @Option(name: .customLong("data"), help: ArgumentHelp("Read the schema from a file, as seg --data does. Repeatable.", valueName: "[name=]path"))
    var data: [String] = []

    @Option(name: .customLong("type"), help: ArgumentHelp("Override a column's inferred type. Repeatable.", valueName: "column=type"))
    var types: [String] = []

    @Option(name: .customLong("db"), help: ArgumentHelp("Read the schema from PostgreSQL (also SEG_DB).", valueName: "postgres://user@host:port/db"))
    var db: String?

    @Option(name: .customLong("table"), help: ArgumentHelp("The SQL table behind a seg table (default: the same name). Repeatable.", valueName: "name=schema.table"))
    var tableSpecs: [String] = []

    @Option(help: ArgumentHelp("Today's date for relative dates (also SEG_TODAY).", valueName: "YYYY-MM-DD"))
    var today: String?

    @Option(help: ArgumentHelp("How tag fields of a file schema are stored: text (';'-separated, default) or array.", valueName: "storage"))
    var tags: String = "text"

    @Option(help: ArgumentHelp("The language of messages: en or zh.", valueName: "en|zh"))
    var lang: String?

    /// The language of messages (main passes the one `--lang` or the locale chose).
    var language: Language { Language(rawValue: lang ?? "en") ?? .english }

    @Option(name: .customLong("order"), help: ArgumentHelp("Order a category field's values, lowest first, as seg --order does. Repeatable.", valueName: "field=low,…,high"))
    var orders: [String] = []

    @Option(name: .customLong("link"), help: ArgumentHelp("Link a table's field to another table's key, as seg --link does. Repeatable.", valueName: "child.field=parent.key"))
    var links: [String] = []

    @Flag(help: "Write strings as $1, $2 … parameters (listed after each statement) instead of literals.")
    var params = false

    @Flag(help: "Print CREATE TABLE for the first table's schema instead (with --dialect postgres: a psql script that also loads the CSV from standard input).")
    var create = false

    func run() throws {
        try reportingErrors(language: language) { try translate() }
    }

    func translate() throws {
        let env = ProcessInfo.processInfo.environment
        guard let sqlDialect = SQLDialect(rawValue: dialect.lowercased()) else {
            throw SegError(.usage, .usage(.unknownDialect(dialect, suggestion: Suggest.closest(to: dialect, among: SQLDialect.allCases.map(\.rawValue)))))
        }
        guard let tagStorage: TagStorage = ["text": .delimited, "array": .array][tags.lowercased()] else {
            throw SegError(.usage, .usage(.tagsSpec(tags)))
        }
        let todayDay = try Today.resolve(flag: today, environment: env["SEG_TODAY"])
        var tables: [Table]
        var sqlTables: [SQLTable]
        if let url = try Database.url(flag: db, data: data, environment: env) {
            let book = try Database.open(url: url, tables: tableSpecs, environment: env)
            defer { book.close() }
            tables = book.tables
            sqlTables = book.sqlTables
        } else {
            var arguments: [String] = []
            for d in data { arguments += ["--data", d] }
            for t in types { arguments += ["--type", t] }
            tables = try SegCommand.parse(arguments).loadTables()
            // --table renames the SQL tables of files (by position when no name is given).
            var names: [String: [String]] = [:]
            for (i, spec) in tableSpecs.enumerated() {
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                let segName = parts.count == 2 ? parts[0] : (i < tables.count ? tables[i].name : "")
                names[segName.lowercased()] = (parts.last ?? spec).split(separator: ".", maxSplits: 1).map(String.init)
            }
            sqlTables = tables.map { table in
                var t = SQLTable.matching(table)
                if let name = names[table.name.lowercased()] { t.name = name }
                for c in table.columns where c.type == .tags { t.tagStorage[c.name] = tagStorage }
                return t
            }
        }
        let output = Output(.fileDescriptor(STDOUT_FILENO))
        // Column names from a data file and typed values may hold escape sequences: not on a terminal.
        let shown: (String) -> String = isatty(STDOUT_FILENO) == 1 ? { DisplayWidth.sanitized($0, keepingLayout: true) } : { $0 }
        if create {
            guard let table = tables.first, let sql = sqlTables.first else { throw SegError(.usage, .usage(.noTableToDescribe)) }
            let storage: TagStorage = sql.tagStorage.values.contains(.array) ? .array : .delimited
            if sqlDialect == .postgres {
                try output.write(shown(try SQLSchema.postgresLoadScript(table, name: sql.name, tags: storage)))
            } else {
                try output.write(shown(try SQLSchema.createTable(table, name: sql.name, dialect: sqlDialect, tags: storage)))
            }
            try output.flush()
            return
        }
        guard !statements.isEmpty else { throw SegError(.usage, .usage(.sqlNeedsStatement)) }
        var catalog = Catalog(tables: tables)
        catalog.links = try Links.build(tables, declared: try links.map(LinkSpec.init(argument:))).links
        for spec in orders { try catalog.defineOrder(try FieldOrder(argument: spec), today: todayDay) }
        let options = SQLOptions(dialect: sqlDialect, today: todayDay, tables: sqlTables, bindParameters: params)
        var all: [SQLStatement] = []
        for text in statements {
            all += try SQLScript.translate(Source(name: "", text: text), catalog: &catalog, options: options)
        }
        try output.write(shown(SQLScript.render(all)))
        try output.flush()
    }
}
