import Foundation
import Testing
import SegTestSupport

// `seg plan` and `seg kpi` run as the real binary: the call lists of a small book checked file by
// file, masking, modes, refusals (unsafe names, existing and protected files), bad plans; and the
// KPIs of two generated months checked against the same figures computed by DuckDB SQL.

@Suite("seg plan and seg kpi")
struct PlanEndToEndTests {
    /// Six clients, three managers (one client without); phone read as text.
    static let book = """
        id,name,manager,tier,assets,birthday,last_contact,phone,opened
        C1,王伟,张敏,vip,5000000.00,1980-11-20,2026-01-10,13800001111,2010-05-01
        C2,李娜,张敏,mass,20000.00,1990-03-03,2026-11-01,123,2026-11-01
        C3,Wei Wang,刘洋,private,9000000.00,1975-11-18,2026-10-30,13912345678,2015-01-01
        C4,赵磊,刘洋,vip,3000000.00,1985-06-06,2025-12-01,,2019-02-02
        C5,孙丽,,affluent,100000.00,1970-11-17,2026-11-10,13700000000,2026-10-20
        C6,周杰,张敏,mass,1000.00,1992-01-01,2025-10-01,13600000000,2020-01-01

        """

    /// The rules of the README, on the demo fields; risk assessment has a stand-in field.
    static let plan = """
        -- 每日联系计划
        rule birthday  priority 1 reason "生日" where anniversary(birthday) in next 7 days
        rule vip_quiet priority 2 reason "90天未联系" where tier in (vip, private) and last_contact before 90 days ago
        rule contact   priority 3 reason "联系方式有误" where phone is empty or not phone ~ "^1[3-9][0-9]{9}$"
        rule risk_old  priority 4 reason "风险评估过期" where risk_assessed before 1 year ago
        rule new_acct  priority 5 reason "新开户" where opened in last 30 days

        """

    static let library = """
        -- stand-in: the book has no risk assessment date; a real export's column replaces this line
        let field risk_assessed = last_contact

        """

    /// A folder with book.csv, segments.seg and plan.seg.
    static func folder(book: String = book, plan: String = plan) throws -> URL {
        let dir = try Seg.temporaryDirectory()
        try book.write(to: dir.appendingPathComponent("book.csv"), atomically: true, encoding: .utf8)
        try library.write(to: dir.appendingPathComponent("segments.seg"), atomically: true, encoding: .utf8)
        try plan.write(to: dir.appendingPathComponent("plan.seg"), atomically: true, encoding: .utf8)
        return dir
    }

    static let args = ["plan", "--data", "book.csv", "--type", "phone=text", "--today", "2026-11-16"]

    @Test func callListsPerManagerFiles() throws {
        let dir = try Self.folder()
        let r = try Seg.run(Self.args + ["--out", "lists"], directory: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "wrote 3 call lists (6 clients) to lists\n")
        let lists = dir.appendingPathComponent("lists")
        let files = try FileManager.default.contentsOfDirectory(atPath: lists.path).sorted()
        #expect(files == ["_no_manager.csv", "刘洋.csv", "张敏.csv"])
        func read(_ name: String) throws -> String { try String(contentsOf: lists.appendingPathComponent(name), encoding: .utf8) }
        #expect(try read("张敏.csv") == """
            manager,id,name,phone,tier,assets,last_contact,priority,reasons
            张敏,C1,王伟,13800001111,vip,5000000.00,2026-01-10,1,生日; 90天未联系
            张敏,C2,李娜,123,mass,20000.00,2026-11-01,3,联系方式有误; 新开户
            张敏,C6,周杰,13600000000,mass,1000.00,2025-10-01,4,风险评估过期

            """)
        #expect(try read("刘洋.csv") == """
            manager,id,name,phone,tier,assets,last_contact,priority,reasons
            刘洋,C3,Wei Wang,13912345678,private,9000000.00,2026-10-30,1,生日
            刘洋,C4,赵磊,,vip,3000000.00,2025-12-01,2,90天未联系; 联系方式有误

            """)
        #expect(try read("_no_manager.csv") == """
            manager,id,name,phone,tier,assets,last_contact,priority,reasons
            ,C5,孙丽,13700000000,affluent,100000.00,2026-11-10,1,生日; 新开户

            """)
        for file in files {
            let mode = try FileManager.default.attributesOfItem(atPath: lists.appendingPathComponent(file).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file)")
        }
        // No temporary file is left beside them.
        #expect(files.allSatisfy { !$0.hasPrefix(".") })

        // Again: the files exist, so --force is needed; without it nothing changes.
        let again = try Seg.run(Self.args + ["--out", "lists"], directory: dir.path)
        #expect(again.status == 64)
        #expect(again.stderr.contains("already exists; add --force to replace it"), "\(again.stderr)")
        let forced = try Seg.run(Self.args + ["--out", "lists", "--force", "--mask", "phone,name"], directory: dir.path)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try read("刘洋.csv") == """
            manager,id,name,phone,tier,assets,last_contact,priority,reasons
            刘洋,C3,W** Wang,139****5678,private,9000000.00,2026-10-30,1,生日
            刘洋,C4,赵*,,vip,3000000.00,2025-12-01,2,90天未联系; 联系方式有误

            """)
    }

    @Test func callListsOnTheScreen() throws {
        let dir = try Self.folder()
        let table = try Seg.run(Self.args + ["--format", "table", "--show", "name, tier, assets"], directory: dir.path)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout == """
            刘洋 · 2 clients to call
             name     │ tier    │       assets │ priority │ reasons
            ──────────┼─────────┼──────────────┼──────────┼──────────────────────────
             Wei Wang │ private │ 9,000,000.00 │        1 │ 生日
             赵磊     │ vip     │ 3,000,000.00 │        2 │ 90天未联系; 联系方式有误
            2 clients

            张敏 · 3 clients to call
             name │ tier │       assets │ priority │ reasons
            ──────┼──────┼──────────────┼──────────┼──────────────────────
             王伟 │ vip  │ 5,000,000.00 │        1 │ 生日; 90天未联系
             李娜 │ mass │    20,000.00 │        3 │ 联系方式有误; 新开户
             周杰 │ mass │     1,000.00 │        4 │ 风险评估过期
            3 clients

            (no manager) · 1 client to call
             name │ tier     │     assets │ priority │ reasons
            ──────┼──────────┼────────────┼──────────┼──────────────
             孙丽 │ affluent │ 100,000.00 │        1 │ 生日; 新开户
            1 client

            """)
        let csv = try Seg.run(Self.args + ["--format", "csv", "--show", "id"], directory: dir.path)
        #expect(csv.stdout == """
            manager,id,priority,reasons
            刘洋,C3,1,生日
            刘洋,C4,2,90天未联系; 联系方式有误
            张敏,C1,1,生日; 90天未联系
            张敏,C2,3,联系方式有误; 新开户
            张敏,C6,4,风险评估过期
            ,C5,1,生日; 新开户

            """)
        let only = try Seg.run(Self.args + ["--format", "csv", "--show", "id", "--only", "张敏"], directory: dir.path)
        #expect(only.stdout == "manager,id,priority,reasons\n张敏,C1,1,生日; 90天未联系\n张敏,C2,3,联系方式有误; 新开户\n张敏,C6,4,风险评估过期\n")
        let typo = try Seg.run(Self.args + ["--only", "张明"], directory: dir.path)
        #expect(typo.status == 64 && typo.stderr == "error: no manager '张明' in the book (did you mean '张敏'?)\n", "\(typo.stderr)")
        // Names compare byte for byte: José written as one code point and as e + accent are two managers.
        let nfd = Self.book.replacingOccurrences(of: "C1,王伟,张敏", with: "C1,王伟,Jos\u{E9}").replacingOccurrences(of: "C2,李娜,张敏", with: "C2,李娜,Jose\u{301}")
        let split = try Seg.run(Self.args + ["--format", "table", "--show", "id"], directory: try Self.folder(book: nfd).path)
        #expect(split.stdout.contains("Jos\u{E9} · 1 client to call\n") && split.stdout.contains("Jose\u{301} · 1 client to call\n"), "\(split.stdout)")
        // A masked manager is shown masked, but the lists are still split by the real names.
        let twoZhang = try Self.folder(book: Self.book.replacingOccurrences(of: "刘洋", with: "张伟"))
        let masked = try Seg.run(Self.args + ["--format", "table", "--show", "id", "--mask", "manager"], directory: twoZhang.path)
        #expect(masked.stdout.contains("张*** · 2 clients to call\n") && masked.stdout.contains("张*** · 3 clients to call\n"), "\(masked.stdout)")
        #expect(!masked.stdout.contains("张伟") && !masked.stdout.contains("张敏"))
        let maskedFiles = try Seg.run(Self.args + ["--mask", "manager", "--out", "lists"], directory: twoZhang.path)
        #expect(maskedFiles.status == 64 && maskedFiles.stderr.hasPrefix("error: 'manager' is masked, so --out cannot name a file after each manager"), "\(maskedFiles.stderr)")
        let zh = try Seg.run(Self.args + ["--format", "table", "--show", "id", "--lang", "zh"], directory: dir.path)
        #expect(zh.stdout.hasPrefix("刘洋 · 待联系 2 位客户\n id │ 优先级 │ 原因\n"), "\(zh.stdout)")
    }

    /// Each refusal names its place and leaves the folder as it was.
    @Test func badPlansAndNames() throws {
        func run(plan: String, book: String = Self.book, extra: [String] = []) throws -> RunResult {
            let dir = try Self.folder(book: book, plan: plan)
            return try Seg.run(Self.args + extra, directory: dir.path)
        }
        let unknown = try run(plan: "rule birthday priority 1 reason \"生日\" where anniversary(birthdy) in next 7 days\n")
        #expect(unknown.status == 65)
        #expect(unknown.stderr == """
            error: unknown field 'birthdy' (did you mean 'birthday'?)
              --> plan.seg:1:56
             1 | rule birthday priority 1 reason "生日" where anniversary(birthdy) in next 7 days
               |                                                          ^^^^^^^

            """, "\(unknown.stderr)")
        let twice = try run(plan: "rule b priority 1 reason \"x\" where tier = vip\n-- again\nrule B priority 2 reason \"y\" where tier = mass\n")
        #expect(twice.status == 65)
        #expect(twice.stderr.hasPrefix("error: rule 'B' is defined twice (first on line 1)\n  --> plan.seg:3:6\n"), "\(twice.stderr)")
        let noPriority = try run(plan: "rule birthday reason \"生日\" where tier = vip\n")
        #expect(noPriority.status == 65)
        #expect(noPriority.stderr.hasPrefix("error: expected 'priority' and a whole number after 'rule birthday' (rule NAME priority 1 reason \"…\" where …), found 'reason'\n"), "\(noPriority.stderr)")
        let noReason = try run(plan: "rule birthday priority 1 where tier = vip\n")
        #expect(noReason.status == 65 && noReason.stderr.contains("expected 'reason' and quoted text after the priority"), "\(noReason.stderr)")
        let empty = try run(plan: "-- nothing yet\n")
        #expect(empty.status == 65)
        #expect(empty.stderr == "error: the plan 'plan.seg' holds no rules, so there is nobody to call\n", "\(empty.stderr)")
        let other = try run(plan: "clients where tier = vip\n")
        #expect(other.status == 65 && other.stderr.contains("a plan file holds only rules"), "\(other.stderr)")
        let missing = try Seg.run(Self.args + ["--plan", "nowhere.seg"], directory: try Self.folder().path)
        #expect(missing.status == 64 && missing.stderr.hasPrefix("error: no plan file 'nowhere.seg'"), "\(missing.stderr)")

        let slash = Self.book.replacingOccurrences(of: "刘洋", with: "刘/洋")
        let dir = try Self.folder(book: slash)
        let unsafe = try Seg.run(Self.args + ["--out", "lists"], directory: dir.path)
        #expect(unsafe.status == 65)
        #expect(unsafe.stderr == "error: manager '刘/洋' cannot be a file name (it holds '/'); correct the name in the book, or leave out --out to see the lists on the screen\n", "\(unsafe.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("lists").path))
        let dot = try run(plan: Self.plan, book: Self.book.replacingOccurrences(of: "刘洋", with: ".."), extra: ["--out", "lists"])
        #expect(dot.status == 65 && dot.stderr.contains("cannot be a file name (it starts with '.')"), "\(dot.stderr)")
        let clash = try run(plan: Self.plan, book: Self.book.replacingOccurrences(of: "刘洋", with: "Li").replacingOccurrences(of: "张敏", with: "LI"),
                            extra: ["--out", "lists"])
        #expect(clash.status == 65 && clash.stderr.contains("would both be written to"), "\(clash.stderr)")
        let field = try run(plan: Self.plan, extra: ["--manager", "manger"])
        #expect(field.status == 65 && field.stderr.contains("has no field 'manger', which the call lists are grouped by (--manager) (did you mean 'manager'?)"), "\(field.stderr)")
    }

    /// .csv lists start with a UTF-8 byte order mark (Excel); --format xlsx writes workbooks that
    /// read back to the same lists; another format with --out, or xlsx on the screen, is refused.
    @Test func callListsForExcel() throws {
        let dir = try Self.folder()
        let csv = try Seg.run(Self.args + ["--out", "lists"], directory: dir.path)
        #expect(csv.status == 0, "\(csv.stderr)")
        let bytes = try Data(contentsOf: dir.appendingPathComponent("lists/张敏.csv"))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let xlsx = try Seg.run(Self.args + ["--out", "books", "--format", "xlsx"], directory: dir.path)
        #expect(xlsx.status == 0, "\(xlsx.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("books").path).sorted()
        #expect(files == ["_no_manager.xlsx", "刘洋.xlsx", "张敏.xlsx"])
        let back = try Seg.run(["--data", "books/张敏.xlsx", "--type", "reasons=text", "--format", "csv", "-c", "clients show id, phone, assets, reasons"],
                               directory: dir.path)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout == """
            id,phone,assets,reasons
            C1,13800001111,5000000.00,生日; 90天未联系
            C2,123,20000.00,联系方式有误; 新开户
            C6,13600000000,1000.00,风险评估过期

            """)
        let json = try Seg.run(Self.args + ["--out", "other", "--format", "json"], directory: dir.path)
        #expect(json.status == 64)
        #expect(json.stderr.contains("--out writes csv (the default) or xlsx files, not json"), "\(json.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("other").path))
        let screen = try Seg.run(Self.args + ["--format", "xlsx"], directory: dir.path)
        #expect(screen.status == 64)
        #expect(screen.stderr.contains("xlsx is a workbook file"), "\(screen.stderr)")
    }

    /// A call list never replaces a loaded book, even with --force.
    @Test func neverOverALoadedBook() throws {
        let dir = try Self.folder()
        let lists = dir.appendingPathComponent("lists")
        try FileManager.default.createDirectory(at: lists, withIntermediateDirectories: true)
        try Self.book.write(to: lists.appendingPathComponent("张敏.csv"), atomically: true, encoding: .utf8)
        let r = try Seg.run(["plan", "--data", "lists/张敏.csv", "--type", "phone=text", "--today", "2026-11-16", "--out", "lists", "--force"],
                            directory: dir.path)
        #expect(r.status == 64)
        #expect(r.stderr.contains("refusing to write 'lists/张敏.csv': it is the data file loaded as table 'clients'"), "\(r.stderr)")
        #expect(try String(contentsOf: lists.appendingPathComponent("张敏.csv"), encoding: .utf8) == Self.book)
        #expect(try FileManager.default.contentsOfDirectory(atPath: lists.path) == ["张敏.csv"])
    }

    /// Rules are statements of the language too: checked where they are written.
    @Test func ruleStatementIsChecked() throws {
        let ok = try Seg.run(["-c", "rule vip priority 1 reason \"贵宾\" where tier = vip", "-c", "clients count"])
        #expect(ok.status == 0 && ok.stdout == "count\n10000\n", "\(ok.stderr)")
        let bad = try Seg.run(["-c", "rule vip priority 1 reason \"贵宾\" where tier = vipp"])
        #expect(bad.status == 65 && bad.stderr.contains("did you mean 'vip'"), "\(bad.stderr)")
    }

    // MARK: - KPIs

    /// November from October, deterministically: every 50th client leaves, 40 new ones come
    /// (opened in November), every 7th's assets grow by 10% (to the cent, rounded down), every
    /// 13th moves a tier up and every 17th one down, every 23rd passes to the next row's
    /// manager, every 5th is contacted on 2026-11-20.
    static func nextMonth(_ csv: String) -> String {
        var lines = csv.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst()
        let rows = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let tiers = ["mass", "affluent", "vip", "private"]
        func cents(_ s: String) -> Int? {
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            guard let whole = Int(parts[0]) else { return nil }
            let frac = parts.count > 1 ? Int(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0 : 0
            return whole * 100 + (whole < 0 ? -frac : frac)
        }
        var out = [header]
        for (k, var row) in rows.enumerated() {
            let i = k + 1
            if i % 50 == 0 { continue }
            if i % 7 == 0, let c = cents(row[10]) { let n = c * 11 / 10; row[10] = "\(n / 100).\(String(format: "%02d", n % 100))" }
            if let t = tiers.firstIndex(of: row[8]) {
                if i % 13 == 0 { row[8] = tiers[min(t + 1, 3)] } else if i % 17 == 0 { row[8] = tiers[max(t - 1, 0)] }
            }
            if i % 23 == 0, k + 1 < rows.count { row[7] = rows[k + 1][7] }
            if i % 5 == 0 { row[15] = "2026-11-20" }
            out.append(row.joined(separator: ","))
        }
        for k in 0..<40 {
            var row = rows[k]
            row[0] = "N\(k)"
            row[14] = "2026-11-\(String(format: "%02d", 1 + k % 28))"
            out.append(row.joined(separator: ","))
        }
        return out.joined(separator: "\n") + "\n"
    }

    @Test func kpisAgreeWithDuckDB() throws {
        guard DuckDB.available else { return }
        let dir = try Seg.temporaryDirectory()
        let then = dir.appendingPathComponent("october.csv").path, now = dir.appendingPathComponent("november.csv").path
        let generated = try Seg.run(["generate", "--rows", "3000", "--seed", "11", "--output", then])
        #expect(generated.status == 0)
        try Self.nextMonth(try String(contentsOfFile: then, encoding: .utf8)).write(toFile: now, atomically: true, encoding: .utf8)
        // Teams: managers alternately in 一组 and 二组, the last one in none.
        let managers = try Seg.run(["--data", now, "-c", "clients by manager show manager sort by manager"])
        let names = managers.stdout.split(separator: "\n").dropFirst().map(String.init)
        #expect(names.count > 4)
        let teams = "manager,team\n" + names.dropLast().enumerated().map { "\($1),\($0 % 2 == 0 ? "一组" : "二组")" }.joined(separator: "\n") + "\n"
        let teamsPath = dir.appendingPathComponent("teams.csv").path
        try teams.write(toFile: teamsPath, atomically: true, encoding: .utf8)

        let r = try Seg.run(["kpi", "--then", then, "--now", now, "--teams", teamsPath, "--today", "2026-11-30",
                             "--order", "tier=mass,affluent,vip,private", "--format", "csv"], directory: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let parts = r.stdout.components(separatedBy: "\n\n")
        #expect(parts.count == 2)
        let segManagers = DuckDB.records(parts[0] + "\n"), segTeams = DuckDB.records(parts.count > 1 ? parts[1] : "")
        #expect(segManagers.first == ["manager", "clients", "gained", "lost", "new AUM", "new accounts", "tier up", "tier down",
                                      "VIPs", "VIPs contacted", "VIP coverage %"])

        func load(_ name: String, _ path: String) -> String {
            """
            CREATE TABLE \(name) AS SELECT id, nullif(manager, '') AS manager, nullif(tier, '') AS tier,
              CAST(nullif(assets, '') AS DECIMAL(18, 2)) AS assets, CAST(nullif(opened, '') AS DATE) AS opened,
              CAST(nullif(last_contact, '') AS DATE) AS last_contact
            FROM read_csv('\(path)', header = true, all_varchar = true);

            """
        }
        let period = "BETWEEN DATE '2026-10-30' AND DATE '2026-11-30'"
        let figures = """
            CREATE TABLE ranks AS SELECT * FROM (VALUES ('mass', 0), ('affluent', 1), ('vip', 2), ('private', 3)) r(tier, k);
            CREATE TABLE teams AS SELECT * FROM read_csv('\(teamsPath)', header = true, all_varchar = true);
            CREATE TABLE m AS
            WITH ms AS (SELECT manager FROM n UNION SELECT manager FROM t),
            nowm AS (SELECT manager, count(*) AS clients, coalesce(sum(assets), 0) AS aum,
                       count(*) FILTER (WHERE opened \(period)) AS opened,
                       count(*) FILTER (WHERE tier IN ('vip', 'private')) AS vips,
                       count(*) FILTER (WHERE tier IN ('vip', 'private') AND last_contact \(period)) AS contacted
                     FROM n GROUP BY manager),
            thenm AS (SELECT manager, coalesce(sum(assets), 0) AS aum FROM t GROUP BY manager),
            gained AS (SELECT manager, count(*) AS c FROM n WHERE id NOT IN (SELECT id FROM t) GROUP BY manager),
            lost AS (SELECT manager, count(*) AS c FROM t WHERE id NOT IN (SELECT id FROM n) GROUP BY manager),
            moves AS (SELECT n.manager, count(*) FILTER (WHERE rn.k > rt.k) AS up, count(*) FILTER (WHERE rn.k < rt.k) AS down
                      FROM n JOIN t USING (id) JOIN ranks rn ON rn.tier = n.tier JOIN ranks rt ON rt.tier = t.tier GROUP BY n.manager)
            SELECT ms.manager, coalesce(nowm.clients, 0) AS clients, coalesce(gained.c, 0) AS gained, coalesce(lost.c, 0) AS lost,
                   coalesce(nowm.aum, 0) - coalesce(thenm.aum, 0) AS new_aum, coalesce(nowm.opened, 0) AS opened,
                   coalesce(moves.up, 0) AS up, coalesce(moves.down, 0) AS down,
                   coalesce(nowm.vips, 0) AS vips, coalesce(nowm.contacted, 0) AS contacted
            FROM ms LEFT JOIN nowm ON nowm.manager IS NOT DISTINCT FROM ms.manager
                    LEFT JOIN thenm ON thenm.manager IS NOT DISTINCT FROM ms.manager
                    LEFT JOIN gained ON gained.manager IS NOT DISTINCT FROM ms.manager
                    LEFT JOIN lost ON lost.manager IS NOT DISTINCT FROM ms.manager
                    LEFT JOIN moves ON moves.manager IS NOT DISTINCT FROM ms.manager;
            SELECT manager, clients, gained, lost, new_aum, opened, up, down, vips, contacted,
                   CASE WHEN vips > 0 THEN (contacted * 20000 + vips) // (2 * vips) END AS coverage
            FROM m ORDER BY manager NULLS LAST;
            SELECT team, count(*) AS managers, sum(clients), sum(gained), sum(lost), sum(new_aum), sum(opened), sum(up), sum(down),
                   sum(vips), sum(contacted), CASE WHEN sum(vips) > 0 THEN (sum(contacted) * 20000 + sum(vips)) // (2 * sum(vips)) END
            FROM m LEFT JOIN teams USING (manager) GROUP BY team ORDER BY team NULLS LAST;

            """
        let duck = try DuckDB.run(load("t", then) + load("n", now) + figures)
        #expect(duck.ok, "\(duck.output)")
        // Two results, each with its header.
        let records = DuckDB.records(duck.output)
        let split = records.dropFirst().firstIndex { $0.first == "team" } ?? records.count
        let duckManagers = Array(records[1..<split]), duckTeams = Array(records[(split + 1)...])
        /// seg's coverage 66.67 is DuckDB's 6667.
        func normal(_ row: [String]) -> [String] {
            var r = row
            if let last = r.last { r[r.count - 1] = last.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "^0+(?=.)", with: "", options: .regularExpression) }
            return r
        }
        #expect(segManagers.dropFirst().map(normal) == duckManagers.map(normal))
        #expect(segTeams.dropFirst().map(normal) == duckTeams.map(normal))
        #expect(duckManagers.count == names.count && duckTeams.count == 3)
        // The figures are not trivially zero.
        let sums = (1...9).map { k in duckManagers.reduce(0.0) { $0 + (Double($1[k]) ?? 0) } }
        #expect(sums.allSatisfy { $0 != 0 }, "\(sums)")
    }

    @Test func kpiRefusals() throws {
        let dir = try Self.folder()
        let book = dir.appendingPathComponent("book.csv").path
        let twice = Self.book + "C2,李娜,张敏,mass,20000.00,1990-03-03,2026-11-01,123,2026-11-01\n"
        let dup = dir.appendingPathComponent("dup.csv").path
        try twice.write(toFile: dup, atomically: true, encoding: .utf8)
        let order = ["--order", "tier=mass,affluent,vip,private"]
        let d = try Seg.run(["kpi", "--then", book, "--now", dup] + order, directory: dir.path)
        #expect(d.status == 65)
        #expect(d.stderr.hasSuffix("dup.csv: clients in rows 2 and 7 have the same id 'C2'; each client must appear once to be matched\n"), "\(d.stderr)")
        let noOrder = try Seg.run(["kpi", "--then", book, "--now", book], directory: dir.path)
        #expect(noOrder.status == 65 && noOrder.stderr.contains("tier upgrades and downgrades need the order of 'tier'"), "\(noOrder.stderr)")
        // A month without mass clients is fine; a tier the order does not know is not.
        let gold = dir.appendingPathComponent("gold.csv").path
        try Self.book.replacingOccurrences(of: ",mass,", with: ",gold,").write(toFile: gold, atomically: true, encoding: .utf8)
        let unknownTier = try Seg.run(["kpi", "--then", book, "--now", gold] + order, directory: dir.path)
        #expect(unknownTier.status == 65)
        #expect(unknownTier.stderr.hasSuffix("gold.csv: 'tier' holds 'gold', which its order does not list; add it to the order (--order or 'let order tier')\n"), "\(unknownTier.stderr)")
        let badVIP = try Seg.run(["kpi", "--then", book, "--now", book, "--vip", "tier = vipp"] + order, directory: dir.path)
        #expect(badVIP.status == 65 && badVIP.stderr.contains("did you mean 'vip'"), "\(badVIP.stderr)")
        try "manager,team\n张敏,一组\n张敏,二组\n".write(to: dir.appendingPathComponent("teams.csv"), atomically: true, encoding: .utf8)
        let teams = try Seg.run(["kpi", "--then", book, "--now", book, "--teams", "teams.csv"] + order, directory: dir.path)
        #expect(teams.status == 65 && teams.stderr.contains("names manager '张敏' twice"), "\(teams.stderr)")
        let same = try Seg.run(["kpi", "--then", book, "--now", book, "--today", "2026-11-16", "--format", "table"] + order, directory: dir.path)
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout == """
            period 2026-10-16 … 2026-11-16
             manager │ clients │ gained │ lost │ new AUM │ new accounts │ tier up │ tier down │ VIPs │ VIPs contacted │ VIP coverage %
            ─────────┼─────────┼────────┼──────┼─────────┼──────────────┼─────────┼───────────┼──────┼────────────────┼────────────────
             刘洋    │       2 │      0 │    0 │    0.00 │            0 │       0 │         0 │    2 │              1 │          50.00
             张敏    │       3 │      0 │    0 │    0.00 │            1 │       0 │         0 │    1 │              0 │           0.00
                     │       1 │      0 │    0 │    0.00 │            1 │       0 │         0 │    0 │              0 │
            3 rows

            """, "\(same.stdout)")
    }
}

/// The README's work-plan section is real: its files and scripts, run in a fresh folder, give
/// the output it shows (each line it shows, where it cuts a long result with "…").
@Suite("README: the work plan")
struct ReadmeWorkPlanTests {
    /// The code blocks of the section, in order: (info string, lines).
    static func blocks() throws -> [(String, [String])] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let start = text.range(of: "## The work plan") else { throw SegTestFailure("no work plan section") }
        let section = text[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        var out: [(String, [String])] = []
        var current: (String, [String])?
        for line in section.components(separatedBy: "\n") {
            if current == nil, line.hasPrefix("```") {
                current = (String(line.dropFirst(3)), [])
            } else if current != nil, line == "```" {
                if let c = current { out.append(c) }
                current = nil
            } else {
                current?.1.append(line)
            }
        }
        return out
    }

    @Test func mondayMeetingAsShown() throws {
        let blocks = try Self.blocks()
        #expect(blocks.count == 8, "\(blocks.map(\.0))")
        guard blocks.count == 8 else { return }
        let dir = try Seg.temporaryDirectory()
        func write(_ lines: [String], _ name: String) throws {
            try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write(blocks[1].1, "plan.seg")
        try write(blocks[2].1, "segments.seg")
        // `seg` on PATH; the results as on a terminal (tables).
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try """
            #!/bin/sh
            case "$1" in plan|kpi) exec "\(Seg.binary)" "$@" --format table ;; *) exec "\(Seg.binary)" "$@" ;; esac

            """.write(to: bin.appendingPathComponent("seg"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent("seg").path)
        let env = ["PATH": bin.path + ":/usr/bin:/bin"]
        func sh(_ script: String) throws -> RunResult {
            try Seg.run(executable: "/bin/sh", ["-c", script], environment: env, directory: dir.path)
        }
        /// Each line the README shows is in the output, in order ("…" stands for lines left out).
        func shows(_ shown: [String], _ output: String, _ what: String) {
            var lines = output.components(separatedBy: "\n")[...]
            for line in shown where line.trimmingCharacters(in: .whitespaces) != "…" {
                guard let i = lines.firstIndex(of: line) else {
                    Issue.record("\(what): README line not in the output: \(line)\n\(output)")
                    return
                }
                lines = lines[(i + 1)...]
            }
        }
        // The months, the teams and the KPIs.
        let kpi = try sh(blocks[6].1.joined(separator: "\n"))
        #expect(kpi.status == 0, "\(kpi.stderr)")
        shows(blocks[7].1, kpi.stdout, "seg kpi")
        // One manager's list on the screen.
        let only = try sh(blocks[3].1.joined(separator: "\n"))
        #expect(only.status == 0, "\(only.stderr)")
        shows(blocks[4].1, only.stdout, "seg plan --only")
        // The transcript: each `$ command` and what it printed.
        var expected: [String] = []
        var commands: [String] = []
        for line in blocks[5].1 {
            if line.hasPrefix("$ ") { commands.append(String(line.dropFirst(2))) } else { expected.append(line) }
        }
        let transcript = try sh(commands.map { $0 + " 2>&1" }.joined(separator: "\n"))
        // Each .csv list starts with a UTF-8 byte order mark (for Excel), which a terminal does not show.
        #expect(transcript.stdout.contains("\u{FEFF}manager,"), "\(transcript.stdout)")
        #expect(transcript.stdout.replacingOccurrences(of: "\u{FEFF}", with: "") == expected.joined(separator: "\n") + "\n")
    }
}
