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

/// `--db URL` and `--table NAME=SCHEMA.TABLE`: the database a session reads instead of files.
enum Database {
    /// The URL from `--db`, else `SEG_DB` (ignored when files are given with `--data`).
    static func url(flag: String?, data: [String], environment: [String: String]) throws -> String? {
        if let flag {
            if !data.isEmpty { throw SegError(.usage, .usage(.dataAndDatabase)) }
            return flag
        }
        guard data.isEmpty, let env = environment["SEG_DB"], !env.isEmpty else { return nil }
        return env
    }

    /// `clients=crm.clients`, `crm.clients` (named clients when first), `people` …
    static func tableSpecs(_ specs: [String]) throws -> [(name: String, table: String)] {
        if specs.isEmpty { return [("clients", "clients")] }
        var out: [(name: String, table: String)] = []
        for (i, spec) in specs.enumerated() {
            var name: String
            var table = spec
            if let eq = spec.firstIndex(of: "=") {
                name = String(spec[..<eq])
                table = String(spec[spec.index(after: eq)...])
            } else {
                name = i == 0 ? "clients" : String(spec.split(separator: ".").last ?? "")
            }
            guard !table.isEmpty else { throw SegError(.usage, .usage(.tableSpec(spec))) }
            guard Lexer.isName(name) else { throw SegError(.usage, .usage(.badTableName(name, from: .database))) }
            if out.contains(where: { ExactText.sameName($0.name, name) }) {
                throw SegError(.usage, .usage(.duplicateTable(name, from: .database)))
            }
            out.append((name, table))
        }
        return out
    }

    /// `quick`: start without scanning the tables (a run's statements and the prompt; see
    /// `QuickStart`), with the per-table cache in the state folder unless `SEG_DB_CACHE=off`.
    /// `seg sql` reads in full: it checks statements with no database to ask afterwards.
    static func open(url: String, tables: [String], environment: [String: String], columns: Set<String>? = nil,
                     quick: Bool = false, exactCount: Bool = false) throws -> PostgresBook {
        let parsed = try PostgresURL.parse(url, environment: environment)
        let start = quick ? QuickStart(cacheFolder: QuickStart.cacheFolder(environment: environment), exactCount: exactCount) : nil
        return try PostgresBook(url: parsed, tables: try tableSpecs(tables), columns: columns, quick: start)
    }
}
