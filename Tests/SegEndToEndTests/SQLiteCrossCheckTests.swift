import Foundation
import SegTestSupport
import Testing

// The same questions asked of seg and of SQLite (the sqlite3 shell) on the same generated CSV:
// counts, ordered ids and group sums must agree exactly. SQLite imports every cell as text, so
// the SQL casts, turns empty cells into NULL, and sums money in integer cents.

@Suite("cross-check against SQLite", .enabled(if: SQLite.available))
struct SQLiteCrossCheckTests {
    static let today = "2026-11-15"

    /// (seg statement, equivalent SQL) pairs; both print CSV with a header.
    static let pairs: [(String, String)] = [
        ("clients where risk=averse and assets>1m count",
         "select count(*) as count from c where risk='averse' and assets > 1000000"),
        ("clients where risk=averse and assets>1m sort by assets desc, id limit 20 show id, name, phone, assets",
         "select id, name, phone, printf('%.2f', assets) as a from c where risk='averse' and assets > 1000000 order by assets desc, id limit 20"),
        ("clients where products has fund and not products has insurance and age between 30 and 50 count",
         "select count(*) as count from c where ';'||products||';' like '%;fund;%' and not (';'||products||';' like '%;insurance;%') and age between 30 and 50"),
        ("clients where tier in (vip, private) and (last_contact is empty or days_since(last_contact) > 180) sort by manager, last_contact, id show id",
         "select id from c where tier in ('vip','private') and (last_contact is null or julianday('\(today)') - julianday(last_contact) > 180) order by manager, last_contact is null, last_contact, id"),
        ("clients where name like \"王%\" or name ~ \"(^| )Wang( |$)\" count",
         "select count(*) as count from c where name like '王%' or name = 'Wang' or name glob 'Wang *' or name glob '* Wang' or name glob '* Wang *'"),
        ("clients where city = 深圳 and assets >= 100k count",
         "select count(*) as count from c where city = '深圳' and assets >= 100000"),
        ("clients where last_contact before 6 months ago count",
         "select count(*) as count from c where last_contact < date('\(today)', '-6 months')"),
        ("clients where not last_contact after 1 year ago count",
         "select count(*) as count from c where not (last_contact > date('\(today)', '-1 years'))"),
        ("clients where last_contact in last 30 days count",
         "select count(*) as count from c where last_contact between date('\(today)', '-30 days') and '\(today)'"),
        ("clients where deposits > loans and loans > 0 and email is not empty count",
         "select count(*) as count from c where deposits > loans and loans > 0 and email is not null"),
        ("clients where risk not in (averse, growth) and not (age < 40 or city = 上海) count",
         "select count(*) as count from c where risk not in ('averse','growth') and not (age < 40 or city = '上海')"),
        ("clients where interests has all (golf, tea) or interests has any (wine) count",
         "select count(*) as count from c where (';'||interests||';' like '%;golf;%' and ';'||interests||';' like '%;tea;%') or ';'||interests||';' like '%;wine;%'"),
        ("clients by tier, risk show count, sum(assets), min(assets), max(assets)",
         "select tier, risk, count(*) as count, \(SQLite.cents("sum(cast(round(assets*100) as integer))")) as s, printf('%.2f', min(assets)), printf('%.2f', max(assets)) from c group by tier, risk order by tier, risk"),
        ("clients by manager show count, sum(loans) sort by count desc, manager limit 5",
         "select manager, count(*) as count, \(SQLite.cents("sum(cast(round(loans*100) as integer))")) as s from c group by manager order by count desc, manager limit 5"),
        ("clients where age > 60 by city show count, min(birthday), max(last_contact) sort by city",
         "select city, count(*), min(birthday), max(last_contact) from c where age > 60 group by city order by city"),
        ("clients sort by age desc, birthday, id limit 15 show id, age, birthday",
         "select id, age, birthday from c order by age desc, birthday, id limit 15"),
    ]

    @Test func answersAgreeWithSQLite() throws {
        let (csv, db) = try Seg.sharedBook(rows: 20_000, sqlite: true)
        for (seg, sql) in Self.pairs {
            let ours = try Seg.run(["--data", csv, "--today", Self.today, "-c", seg])
            #expect(ours.status == 0, "\(seg): \(ours.stderr)")
            let theirs = try SQLite.query(db, sql)
            // Headers differ (SQL names); compare the data rows. sqlite3 quotes non-ASCII text and the
            // generated book has no quotes or commas inside values, so its quotes can go.
            let a = ours.stdout.split(separator: "\n").dropFirst().map(String.init)
            let b = theirs.replacingOccurrences(of: "\"", with: "").split(separator: "\n").dropFirst().map(String.init)
            #expect(a == b, "\(seg)\nseg:    \(a.prefix(5))\nsqlite: \(b.prefix(5))")
            #expect(!a.isEmpty, "\(seg) returned nothing; the cross-check proves little")
        }
    }
}

enum SQLite {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")

    /// Formats integer cents as a decimal with two places, like seg's CSV.
    static func cents(_ expr: String) -> String {
        "(case when \(expr) < 0 then '-' else '' end) || (abs(\(expr)) / 100) || '.' || printf('%02d', abs(\(expr)) % 100)"
    }

    static func load(csv: String, into db: String) throws {
        let script = """
            .mode csv
            .import \(csv) raw
            create table c as select id, name, gender, cast(age as integer) as age, nullif(birthday,'') as birthday,
              city, branch, manager, tier, risk, cast(nullif(assets,'') as real) as assets,
              cast(nullif(deposits,'') as real) as deposits, cast(nullif(loans,'') as real) as loans,
              nullif(products,'') as products, nullif(opened,'') as opened, nullif(last_contact,'') as last_contact,
              nullif(phone,'') as phone, nullif(email,'') as email, industry, nullif(interests,'') as interests from raw;
            """
        _ = try shell(db, script)
    }

    static func query(_ db: String, _ sql: String) throws -> String {
        try shell(db, ".mode csv\n.headers on\n\(sql);\n").replacingOccurrences(of: "\r\n", with: "\n")
    }

    static func shell(_ db: String, _ input: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [db]
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        inPipe.fileHandleForWriting.write(Data(input.utf8))
        try inPipe.fileHandleForWriting.close()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if process.terminationStatus != 0 || !err.isEmpty {
            Issue.record("sqlite3 failed: \(err)")
        }
        return String(decoding: out, as: UTF8.self)
    }
}
