import Foundation
import SegTestSupport
import Testing

// `seg sql --dialect sqlite` cross-checked: the SQL seg writes for a statement, run by the sqlite3
// shell on the same generated book, must answer exactly what seg answers in memory (counts,
// ordered ids, exact sums and averages, anniversaries, segments and set operations).

@Suite("generated SQLite SQL agrees with seg", .enabled(if: SQLite.available))
struct SQLiteGeneratedSQLTests {
    static let today = "2026-11-15"

    static let statements = [
        "clients where risk=averse and assets>1m sort by assets desc limit 20 show id, name, assets",
        "clients where products has fund and not products has insurance and age between 30 and 50 count",
        "clients where tier in (vip, private) and (last_contact is empty or days_since(last_contact) > 180) sort by manager, last_contact show id, manager, last_contact, days_since(last_contact)",
        "clients where name like \"王%\" or name like \"%Wang\" or name like \"L_ Na\" count",
        "clients where last_contact before 6 months ago count",
        "clients where not last_contact after 1 year ago count",
        "clients where last_contact in last 30 days show id, last_contact",
        "clients where anniversary(birthday) in next 14 days sort by anniversary(birthday) show id, birthday, anniversary(birthday)",
        "clients where anniversary(birthday) < 2027-01-05 and birthday is not empty sort by anniversary(birthday) desc limit 30 show id, anniversary(birthday)",
        "clients where deposits > loans and loans > 0 and email is not empty count",
        "clients where risk not in (averse, growth) and not (age < 40 or city = 上海) count",
        "clients where interests has all (golf, tea) or interests has any (wine) count",
        "clients where email contains \"wang\" and phone is empty show id, email",
        "clients by tier, risk show count, sum(assets), avg(assets), avg(age), min(assets), max(birthday), count(email)",
        "clients by manager show count, sum(loans) sort by count desc limit 5",
        "clients by city show avg(deposits), min(name) sort by avg(deposits) desc",
        "clients where age > 70 show count, sum(deposits), avg(loans), max(last_contact)",
        "clients sort by last_contact desc, age limit 15 show id, age, last_contact",
        "clients sort by email limit 10 show id, email",
        "let rich = clients where assets > 5m; let vip = clients where tier in (vip, private); vip union rich count",
        "let rich = clients where assets > 5m; let vip = clients where tier in (vip, private); vip except rich sort by assets limit 10 show id, assets",
        "let vip = clients where tier in (vip, private); (clients where age > 60) intersect vip count",
        "let top = clients sort by assets desc limit 100; clients where in top and not city = 深圳 by city show count",
        "let top = clients sort by assets desc limit 100; top where risk = averse",
        // Arithmetic: SQLite stores money as floating point; seg's SQL computes on integers of cents.
        "clients where assets - loans > 1m count",
        "clients where loans / assets > 0.5 sort by id limit 20 show id, assets, loans, loans / assets, assets * 0.035 as fee",
        "clients by tier show count, sum(deposits - loans), avg(loans / assets), max(assets - loans)",
        "clients where (assets - loans) * 2 > deposits * 3 and -age < -40 count",
        "clients sort by id limit 40 show id, birthday + 30 days, opened - 1 month, opened + 1 year, birthday + 3 months, today - birthday",
        "clients where opened + 6 months > today - 30 days show id, opened",
        // Functions of the registry.
        "clients sort by id limit 40 show id, age(birthday), years_since(opened), months_since(opened), year(opened), month(opened), year_month(opened)",
        "clients sort by id limit 40 show id, round(loans / assets, 2), round(assets, 0), round(assets * 0.035, 1), abs(deposits - loans)",
        "clients sort by id limit 40 show id, coalesce(email, phone), coalesce(last_contact, opened), coalesce(loans, deposits), lower(email), upper(name), length(name)",
        "clients by year_month(opened) show count, sum(assets) sort by year_month(opened) desc limit 12",
        "clients where age(birthday) >= 60 and length(phone) = 11 and round(loans / assets, 1) < 0.5 count",
        // Shares of the total over the groups (a window over the groups in SQL).
        "clients by tier, risk show count, pct(count), pct(sum(assets)), pct(avg(loans)) having count > 100 sort by pct(sum(assets)) desc",
        "clients where assets > 1m by city show pct(sum(deposits - loans)), pct(count(distinct manager))",
        // `by` a tag field: one row per tag, through json_each.
        "clients by products show count, sum(assets), avg(loans)",
        "clients where city = 上海 by interests, tier show count, sum(deposits)",
    ]

    @Test func answersAgree() throws {
        let (csv, db) = try Seg.sharedBook(rows: 20_000, sqlite: true)
        for statement in Self.statements {
            let ours = try Seg.run(["--data", csv, "--today", Self.today, "--format", "csv", "--no-formula-guard", "-c", statement])
            #expect(ours.status == 0, "\(statement): \(ours.stderr)")
            let sql = try Seg.run(["sql", "--dialect", "sqlite", "--data", csv, "--today", Self.today, "--table", "clients=c", statement])
            #expect(sql.status == 0, "\(statement): \(sql.stderr)")
            let theirs = try SQLite.query(db, sql.stdout)
            let a = ours.stdout.split(separator: "\n").dropFirst().map(String.init)
            let b = theirs.replacingOccurrences(of: "\"", with: "").split(separator: "\n").dropFirst().map(String.init)
            #expect(a == b, "\(statement)\n\(sql.stdout)\nseg:    \(a.prefix(5))\nsqlite: \(b.prefix(5))")
            #expect(!a.isEmpty, "\(statement) returned nothing")
        }
    }

    @Test func hostileValuesStayValues() throws {
        let dir = try Seg.temporaryDirectory()
        let csv = dir.appendingPathComponent("book.csv").path
        try Seg.run(["generate", "--rows", "50", "--seed", "3"]).stdout.write(toFile: csv, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("book.db").path
        try SQLite.load(csv: csv, into: db)
        for value in ["'; drop table c; --", "\\'; drop table c; --", "x\"; drop table c; --", "%", "_"] {
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            let statement = "clients where name = \"\(escaped)\" or email contains \"\(escaped)\" or name like \"\(escaped)\" count"
            let sql = try Seg.run(["sql", "--dialect", "sqlite", "--data", csv, "--table", "clients=c", statement])
            #expect(sql.status == 0, "\(sql.stderr)")
            let answer = try SQLite.query(db, sql.stdout)
            let ours = try Seg.run(["--data", csv, "--format", "csv", "-c", statement])
            #expect(answer.split(separator: "\n").last == ours.stdout.split(separator: "\n").last, "\(value): \(answer)")
            #expect(try SQLite.query(db, "select count(*) as n from c").hasSuffix("50\n"), "table c survived \(value)")
        }
    }

    @Test func regexIsRefusedForSQLite() throws {
        let s = try Seg.run(["sql", "--dialect", "sqlite", "clients where name ~ \"a\""])
        #expect(s.status == 65)
        #expect(s.stderr.contains("SQLite has no regular expressions"))
    }
}
