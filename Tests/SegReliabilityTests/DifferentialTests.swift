import SegTestSupport
import Foundation
import Testing
import SegBase
import SegPatterns
import SegStore
import SegSyntax
import SegFunctions
import SegSemantics
import SegSQL
import SegIO
import SegEngine
import SegCommands

// Differential testing against SQLite, plus ternary-logic partitioning (SQLancer's TLP).
//
// Each round makes a random book (0–2,000 rows, missing values, ties, extreme numbers, Chinese
// text, Feb 29), loads it into seg (CSV through DataLoader, explicit types) and into an in-memory
// SQLite database, then asks both the same random questions. Answers must agree exactly.
// A mismatch is shrunk (rows dropped, condition terms dropped) and printed with its seed, the
// book as CSV and both answers.
//
//   SEG_DIFF_QUERIES=N  how many queries (default 3,000: the fixed slice scripts/test runs)
//   SEG_DIFF_SEED=S     the first seed (default 1); round k uses seed S + k

struct DifferentialConfig {
    var queries: Int
    var seed: UInt64
    var queriesPerBook = 25

    static var fromEnvironment: DifferentialConfig {
        let env = ProcessInfo.processInfo.environment
        return DifferentialConfig(queries: env["SEG_DIFF_QUERIES"].flatMap { Int($0) } ?? 3_000,
                                  seed: env["SEG_DIFF_SEED"].flatMap { UInt64($0) } ?? 1)
    }
}

/// seg's answer or its error message.
enum Answer: Equatable, CustomStringConvertible {
    case rows([[String]])
    case error(String)

    var description: String {
        switch self {
        case .rows(let rows):
            let shown = rows.prefix(20).map { $0.joined(separator: " | ") }.joined(separator: "\n  ")
            return "\(rows.count) row(s)\n  \(shown)\(rows.count > 20 ? "\n  …" : "")"
        case .error(let e): return "error: \(e)"
        }
    }
}

/// Runs statements in seg in-process (a Session writing CSV into memory) and parses the answer.
struct SegRunner {
    var session: Session

    init(table: Table) {
        let options = SessionOptions(today: CivilDate.parse(differentialToday) ?? 0,
                                     writer: WriterOptions(format: .csv, neutralizeFormulas: false))
        session = Session(tables: [table], options: options)
    }

    mutating func answer(_ statement: String) -> Answer {
        let output = Output(.memory)
        do {
            try session.run(Source(name: "", text: statement), output: output)
            try output.flush()
        } catch let error as SegError {
            return .error(error.render(color: false))
        } catch let errors as SegErrors {
            return .error(errors.errors.map { $0.render(color: false) }.joined())
        } catch {
            return .error("\(error)")
        }
        return .rows(Array(CSVText.parse(output.text).dropFirst()))
    }
}

/// RFC 4180 parsing of seg's CSV output (quoted cells may hold commas, quotes and line breaks).
enum CSVText {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell: [UInt8] = []
        var quoted = false
        var i = 0
        let b = Array(text.utf8)
        var rowStarted = false
        while i < b.count {
            let c = b[i]
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < b.count && b[i + 1] == UInt8(ascii: "\"") { cell.append(c); i += 1 } else { quoted = false }
                } else {
                    cell.append(c)
                }
            } else if c == UInt8(ascii: "\"") {
                quoted = true
                rowStarted = true
            } else if c == UInt8(ascii: ",") {
                row.append(String(decoding: cell, as: UTF8.self))
                cell = []
                rowStarted = true
            } else if c == UInt8(ascii: "\n") {
                row.append(String(decoding: cell, as: UTF8.self))
                rows.append(row)
                row = []
                cell = []
                rowStarted = false
            } else {
                cell.append(c)
                rowStarted = true
            }
            i += 1
        }
        if rowStarted { row.append(String(decoding: cell, as: UTF8.self)); rows.append(row) }
        return rows
    }
}

/// SQLite's answer printed as seg prints it.
func sqliteAnswer(_ db: SQLiteDatabase, _ query: GeneratedQuery) -> Answer {
    do {
        let rows = try db.query(query.sql)
        let kinds = query.cellKinds
        return .rows(rows.map { row in
            row.enumerated().map { c, cell -> String in
                guard let cell else { return "" }
                switch c < kinds.count ? kinds[c] : .plain {
                case .plain: return cell
                case .boolean: return cell == "1" ? "true" : "false"
                case .decimal(let scale): return Int64(cell).map { RandomBook.decimalText($0, scale: scale) } ?? cell
                }
            }
        })
    } catch {
        return .error("sqlite: \(error)")
    }
}

/// One book under test in both engines.
struct DifferentialCase {
    var book: RandomBook
    var seg: SegRunner
    var db: SQLiteDatabase
    /// Queries with arithmetic that were compared, and skipped because a side overflowed.
    var arithmetic = (compared: 0, overflowed: 0)

    init(book: RandomBook) throws {
        self.book = book
        seg = SegRunner(table: try book.table())
        db = try SQLiteDatabase()
        try book.load(into: db)
    }

    /// Both answers, when they differ (or seg refused a generated statement).
    mutating func mismatch(_ q: GeneratedQuery) -> (seg: Answer, sql: Answer)? {
        let a = seg.answer(q.seg)
        let b = sqliteAnswer(db, q)
        // Arithmetic on the book's extreme values: seg stops with an error rather than wrap, and
        // SQLite's integers overflow too (an error, or floating point): neither answer is comparable.
        if Self.overflowed(a) || (Self.hasArithmetic(q.seg) && { if case .error = b { return true } else { return false } }()) {
            arithmetic.overflowed += 1
            return nil
        }
        if Self.hasArithmetic(q.seg) { arithmetic.compared += 1 }
        return a == b ? nil : (a, b)
    }

    static func overflowed(_ a: Answer) -> Bool {
        if case .error(let message) = a { return message.contains("too large for exact 64-bit arithmetic") }
        return false
    }

    static func hasArithmetic(_ seg: String) -> Bool {
        [" + ", " - ", " * ", " / "].contains { seg.contains($0) }
    }

    /// Ternary-logic partitioning: p, not p and "p is unknown" split the book. Returns a problem, if any.
    mutating func partitionProblem(_ p: Cond) -> String? {
        let total = book.rows.count
        guard case .rows(let yes) = seg.answer("clients where \(p.seg) show id"),
              case .rows(let no) = seg.answer("clients where not (\(p.seg)) show id"),
              case .rows(let countYes) = seg.answer("clients where \(p.seg) count"),
              case .rows(let countNo) = seg.answer("clients where not (\(p.seg)) count") else {
            if Self.overflowed(seg.answer("clients where \(p.seg) count")) { return nil }
            return "seg refused the condition or its negation"
        }
        let yesIds = yes.map { $0.first ?? "" }, noIds = no.map { $0.first ?? "" }
        if countYes.first?.first != String(yesIds.count) || countNo.first?.first != String(noIds.count) {
            return "count disagrees with the listed rows: \(countYes) vs \(yesIds.count), \(countNo) vs \(noIds.count)"
        }
        let overlap = Set(yesIds).intersection(noIds)
        if !overlap.isEmpty { return "rows both satisfy p and not p: \(overlap.sorted().prefix(5))" }
        let unknown = total - yesIds.count - noIds.count
        if unknown < 0 { return "p and not p hold \(yesIds.count + noIds.count) rows of \(total)" }
        // The unknown rows are exactly those where SQL's p is NULL.
        let sqlUnknown = (try? db.query("SELECT count(*) FROM c WHERE \(p.sql) IS NULL"))?.first?.first ?? nil
        if sqlUnknown == nil && Self.hasArithmetic(p.seg) { return nil }  // SQLite's integers overflowed
        if sqlUnknown != String(unknown) { return "\(unknown) rows unknown in seg, \(sqlUnknown ?? "?") in SQLite" }
        return nil
    }
}

/// Shrinks a failing (book, query) pair: drops rows, then condition terms, while it still fails.
func shrink(book: RandomBook, query: GeneratedQuery, fails: (RandomBook, GeneratedQuery) -> Bool) -> (RandomBook, GeneratedQuery) {
    var book = book, query = query
    var chunk = max(1, book.rows.count / 2)
    while chunk >= 1 && !book.rows.isEmpty {
        var start = 0
        var progressed = false
        while start < book.rows.count {
            var candidate = book
            candidate.rows.removeSubrange(start..<min(book.rows.count, start + chunk))
            if fails(candidate, query) { book = candidate; progressed = true } else { start += chunk }
        }
        if !progressed { chunk /= 2 }
    }
    var improved = true
    while improved {
        improved = false
        for simpler in query.condition?.simplifications ?? [] {
            var candidate = query
            candidate.condition = simpler
            if fails(book, candidate) { query = candidate; improved = true; break }
        }
    }
    return (book, query)
}

@Suite("differential: seg against SQLite")
struct DifferentialTests {
    @Test func randomQueriesAgreeWithSQLite() throws {
        let config = DifferentialConfig.fromEnvironment
        var checked = 0, partitions = 0, failures = 0, arithmetic = (compared: 0, overflowed: 0)
        var round: UInt64 = 0
        while checked < config.queries && failures < 3 {
            let seed = config.seed &+ round
            round += 1
            var random = SeededRandom(seed: seed)
            let rows = random.pick([0, 1, 2, 5, 20, 60, 200, 500, random.int(0...2000)])
            let book = RandomBook.make(rows: rows, random: &random)
            var testCase = try DifferentialCase(book: book)
            var generator = QueryGenerator(seed: seed &* 31 &+ 7, book: book)
            for _ in 0..<min(config.queriesPerBook, config.queries - checked) {
                let query = generator.query()
                checked += 1
                if let (a, b) = testCase.mismatch(query) {
                    failures += 1
                    let (smallBook, smallQuery) = shrink(book: book, query: query) { bk, q in
                        guard var c = try? DifferentialCase(book: bk) else { return false }
                        guard let (x, _) = c.mismatch(q) else { return false }
                        // A shrunk book may lose a category value the query names: not the same failure.
                        if case .error = x, case .rows = a { return false }
                        return true
                    }
                    var small = try DifferentialCase(book: smallBook)
                    let (sa, sb) = small.mismatch(smallQuery) ?? (a, b)
                    Issue.record("""
                        seg and SQLite disagree (seed \(seed); rerun with SEG_DIFF_SEED=\(seed) SEG_DIFF_QUERIES=\(config.queriesPerBook))
                        original: \(query.seg)
                        shrunk to \(smallBook.rows.count) row(s):
                        --- book.csv
                        \(smallBook.csv())--- seg
                        \(smallQuery.seg)
                        --- sql
                        \(smallQuery.sql)
                        --- seg answered
                        \(sa)
                        --- SQLite answered
                        \(sb)
                        """)
                    if failures >= 3 { break }
                    continue
                }
                if let p = query.condition {
                    partitions += 1
                    defer { arithmetic.compared += testCase.arithmetic.compared; arithmetic.overflowed += testCase.arithmetic.overflowed; testCase.arithmetic = (0, 0) }
                    if let problem = testCase.partitionProblem(p) {
                        failures += 1
                        Issue.record("ternary partition fails (seed \(seed)): \(problem)\ncondition: \(p.seg)\nbook:\n\(book.csv().prefix(3000))")
                        if failures >= 3 { break }
                    }
                }
            }
        }
        print("differential: \(checked) queries cross-checked against SQLite (\(arithmetic.compared) with arithmetic, "
              + "\(arithmetic.overflowed) more skipped where 64-bit arithmetic overflowed), \(partitions) conditions partitioned, "
              + "\(round) books, seeds \(config.seed)…\(config.seed &+ round &- 1)")
    }
}
