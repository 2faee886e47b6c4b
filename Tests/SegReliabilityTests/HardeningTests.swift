import Foundation
import SegTestSupport
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

// Issue 20: an adversarial probe of the release binary. Each test runs the built `seg` (the
// release build too, when it exists) on what broke a claim, and failed before its fix.

@Suite("hardening (issue 20): dates and numbers from user input")
struct HardeningNumberTests {
    static var binaries: [String] { [Seg.binary] + (Seg.releaseBinary.map { [$0] } ?? []) }

    /// Runs each binary and checks it neither crashed nor passed `check`.
    static func expectEach(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                           _ what: String, _ check: (RunResult) -> Bool) throws {
        for binary in binaries {
            let r = try Seg.run(arguments, stdin: stdin, environment: environment, binary: binary)
            #expect(!r.signalled, "\(what) crashed \(binary): \(r.stderr.prefix(300))")
            #expect(check(r), "\(what) with \(binary): status \(r.status)\nstdout: \(r.stdout.prefix(300))\nstderr: \(r.stderr.prefix(600))")
        }
    }

    /// Every overflowing shift from the probe (7*n, 12*n, day+n trapped with SIGILL) is an error
    /// under the count, naming the range of dates seg handles.
    @Test func hugeRelativeDatesAreErrorsAtTheirSpan() throws {
        let cases: [(statement: String, caret: String, limit: String)] = [
            ("clients where opened before 9223372036854775807 weeks ago count",
             "                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^", "before 0000-01-01, the earliest"),
            ("clients where opened before 303032819133199338 months ago count",
             "                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^", "before 0000-01-01, the earliest"),
            ("clients where opened before 768614336404564651 years ago count",
             "                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^", "before 0000-01-01, the earliest"),
            ("clients where opened in next 9223372036854775807 days count",
             "                             ^^^^^^^^^^^^^^^^^^^^^^^^", "after 9999-12-31, the latest"),
            ("clients where opened in last 9223372036854775807 years count",
             "                             ^^^^^^^^^^^^^^^^^^^^^^^^^", "before 0000-01-01, the earliest"),
            ("clients where opened in next 1317624576693539401 weeks count",
             "                             ^^^^^^^^^^^^^^^^^^^^^^^^^", "after 9999-12-31, the latest"),
            // No overflow, but a date no file or SQL statement can hold (DATE '-6187-02-25' before).
            ("clients where opened before 3000000 days ago count",
             "                            ^^^^^^^^^^^^^^^^", "before 0000-01-01, the earliest"),
            ("clients where opened in next 2984000 days count",
             "                             ^^^^^^^^^^^^", "after 9999-12-31, the latest"),
        ]
        for c in cases {
            try Self.expectEach(["-c", c.statement], c.statement) { r in
                r.status == 65 && r.stderr.contains(c.limit) && r.stderr.contains("(today is 2026-11-15)")
                    && r.stderr.contains("\n   | \(c.caret)\n")
            }
            try Self.expectEach(["sql", c.statement], "seg sql \(c.statement)") { r in
                r.status == 65 && r.stderr.contains(c.limit)
            }
        }
        // The edges still answer.
        try Self.expectEach(["-c", "clients where opened in last 2026 years count"], "2026 years") { $0.status == 0 && $0.stdout == "count\n10000\n" }
        try Self.expectEach(["-c", "clients where opened before 739000 days ago count"], "739000 days") { $0.status == 0 && $0.stdout == "count\n0\n" }
    }

    @Test func hugeRelativeDatesInParameters() throws {
        try Self.expectEach([], stdin: "param d = 9223372036854775807 weeks ago\nclients where opened before $d count\n", "param") { r in
            r.status == 65 && r.stderr.contains("'$d' (9223372036854775807 weeks ago) falls before 0000-01-01")
                && r.stderr.contains("--> <stdin>:2:29")
        }
        try Self.expectEach(["--param", "d=9223372036854775807 weeks ago", "-c", "clients where opened before $d count"], "--param") { r in
            r.status == 65 && r.stderr.contains("falls before 0000-01-01")
        }
        try Self.expectEach(["sql", "param d = 303032819133199338 months ago\nclients where opened before $d count"], "seg sql param") { r in
            r.status == 65 && r.stderr.contains("falls before 0000-01-01")
        }
    }

    /// A saved segment with such a date crashed `segments` (and every use) at each start.
    @Test func hugeRelativeDateInTheLibrary() throws {
        let dir = try Seg.temporaryDirectory()
        let library = dir.appendingPathComponent("segments.seg").path
        try "let old = clients where opened before 9223372036854775807 weeks ago\nlet fine = clients where age > 80\n"
            .write(toFile: library, atomically: true, encoding: .utf8)
        try Self.expectEach(["--segments", library, "-c", "segments"], "segments") { r in
            r.status == 0 && r.stdout.contains("old,,true,") && r.stdout.contains("fine,")
        }
        try Self.expectEach(["--segments", library, "-c", "old count"], "use") { r in
            r.status == 65 && r.stderr.contains("falls before 0000-01-01") && r.stderr.contains("--> \(library):1:")
        }
        try Self.expectEach(["--segments", library, "-c", "fine count"], "another segment") { $0.status == 0 }
    }

    /// `--today 9999-12-31` printed anniversaries in the year 10000 (`10000-01-01`, which no
    /// date column can read back), and `seg sql` wrote `make_date(10000, …)`.
    @Test func anniversariesNeedAYearAfterToday() throws {
        for statement in ["clients where anniversary(birthday) in next 3 days show name, anniversary(birthday)",
                          "clients sort by anniversary(birthday) limit 3 show anniversary(birthday)"] {
            try Self.expectEach(["--today", "9999-12-31", "-c", statement], statement) { r in
                r.status == 65 && r.stderr.contains("'anniversary' can fall in the year after today (9999-12-31), beyond 9999-12-31")
                    && !r.stdout.contains("10000")
            }
            try Self.expectEach(["sql", "--today", "9999-06-01", statement], "sql \(statement)") { r in
                r.status == 65 && !r.stdout.contains("10000")
            }
        }
        try Self.expectEach(["--today", "9999-12-31", "-c", "clients where opened before today count"], "other dates") { $0.status == 0 }
        try Self.expectEach(["--today", "9998-12-31", "-c", "clients where anniversary(birthday) in next 1 days count"], "9998") { r in
            r.status == 0 && r.stdout.hasPrefix("count\n")
        }
        try Self.expectEach(["--today", "9999-12-31", "-c", "clients where opened in next 1 days count"], "next day") { r in
            r.status == 65 && r.stderr.contains("falls after 9999-12-31")
        }
    }

    /// Numbers with suffixes and huge limits: an error at the literal, or the answer.
    @Test func hugeNumberLiterals() throws {
        for literal in ["9999999999999b", "92233720368547758080", "1000000000000000万", "100000000000亿", "9223372036854775.808k"] {
            try Self.expectEach(["-c", "clients where assets > \(literal) count"], literal) { r in
                r.status == 65 && r.stderr.hasPrefix("error: number too large\n")
            }
        }
        try Self.expectEach(["-c", "clients where assets > 1e400 count"], "1e400") { $0.status == 65 }
        try Self.expectEach(["-c", "clients limit 9223372036854775807 count"], "limit") { $0.status == 0 && $0.stdout == "count\n10000\n" }
        try Self.expectEach(["-c", "clients sort by assets limit 9223372036854775807 show id"], "sort limit") { r in
            r.status == 0 && r.stdout.split(separator: "\n").count == 10_001
        }
        try Self.expectEach(["-c", "clients by tier limit 9223372036854775807"], "group limit") { $0.status == 0 }
        try Self.expectEach(["-c", "clients limit 99999999999999999999 count"], "limit too large") { r in
            r.status == 65 && r.stderr.contains("number too large")
        }
        try Self.expectEach(["-c", "clients where days_since(opened) > 9223372036854775807 count"], "days_since") { $0.status == 0 }
    }

    /// `avg` of one Int64.min said "too large" while `sum` worked: an average that does not fit two
    /// decimals takes fewer, down to the field's own scale.
    @Test func averagesOfExtremeIntegers() throws {
        let dir = try Seg.temporaryDirectory()
        let path = dir.appendingPathComponent("big.csv").path
        try "id,v\na,9223372036854775807\nb,9223372036854775807\nc,-9223372036854775808\nd,1\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        try Self.expectEach(["--data", path, "-c", "clients where id = c show sum(v), avg(v), min(v)"], "Int64.min") { r in
            r.status == 0 && r.stdout == "sum(v),avg(v),min(v)\n-9223372036854775808,-9223372036854775808,-9223372036854775808\n"
        }
        try Self.expectEach(["--data", path, "-c", "clients where id in (a, c) show avg(v)"], "mixed") { r in
            r.status == 0 && r.stdout == "avg(v)\n-0.50\n"
        }
        try Self.expectEach(["--data", path, "-c", "clients where id = d show avg(v)"], "small") { r in
            r.status == 0 && r.stdout == "avg(v)\n1.00\n"
        }
        try Self.expectEach(["--data", path, "-c", "clients by id show avg(v) sort by id"], "groups") { r in
            r.status == 0 && r.stdout == "id,avg(v)\na,9223372036854775807\nb,9223372036854775807\nc,-9223372036854775808\nd,1\n"
        }
    }
}

@Suite("hardening (issue 20): terminal and spreadsheet injection")
struct HardeningInjectionTests {
    static func book(_ csv: String) throws -> String {
        let path = try Seg.temporaryDirectory().appendingPathComponent("evil.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func hasUnsafe(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value)
            || (0x2028...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
    }

    /// A duplicate header named with an OSC sequence changed the terminal's title through the
    /// error message; every message naming file data is sanitized (stderr is often a terminal).
    @Test func messagesNeverCarryControlCharacters() throws {
        let dup = try Self.book("id,\"\u{1B}]0;pwned\u{07}\",\"\u{1B}]0;pwned\u{07}\"\n1,2,3\n")
        let r = try Seg.run(["--data", dup, "-c", "clients count"])
        // A repeated name is renamed with a note (issue 13), and the note is sanitized too.
        #expect(r.status == 0 && r.stderr.contains("repeats the name '\u{FFFD}]0;pwned\u{FFFD}'"), "\(r.stderr.debugDescription)")
        #expect(!Self.hasUnsafe(r.stderr), "\(r.stderr.debugDescription)")
        // A value the user typed, a category value suggested, a file name: all shown as U+FFFD.
        let cats = try Self.book("id,risk\nC1,\u{202E}averse\nC2,growth\n")
        for statement in ["clients where risk = \"\u{1B}]0;x\u{07}\" count", "clients where risk = \"\u{202E}avers\" count",
                          "clients where nosuch\u{202E} = 1 count"] {
            let e = try Seg.run(["--data", cats, "--type", "risk=category", "-c", statement])
            #expect(e.status == 65, "\(statement): \(e.stderr)")
            #expect(!Self.hasUnsafe(e.stderr), "\(statement): \(e.stderr.debugDescription)")
        }
        let named = try Seg.temporaryDirectory().appendingPathComponent("a\u{1B}]0;t\u{07}.csv").path
        try "id\n\"x\n".write(toFile: named, atomically: true, encoding: .utf8)
        let bad = try Seg.run(["--data", named, "-c", "clients count"])
        #expect(bad.status == 65 && bad.stderr.contains("unterminated"), "\(bad.stderr)")
        #expect(!Self.hasUnsafe(bad.stderr), "\(bad.stderr.debugDescription)")
    }

    /// The header row was not formula-guarded while data cells were.
    @Test func headersAreFormulaGuardedLikeCells() throws {
        let path = try Self.book("id,\"=HYPERLINK(\"\"http://x\"\")\",+cmd,@SUM(A1),-x,ok\nC1,=1+2,+a,@b,-c,fine\n")
        for (format, expected) in [("csv", "id,\"'=HYPERLINK(\"\"http://x\"\")\",'+cmd,'@SUM(A1),'-x,ok\nC1,'=1+2,'+a,'@b,'-c,fine\n"),
                                   ("tsv", "id\t'=HYPERLINK(\"http://x\")\t'+cmd\t'@SUM(A1)\t'-x\tok\nC1\t'=1+2\t'+a\t'@b\t'-c\tfine\n")] {
            let r = try Seg.run(["--data", path, "--format", format, "-c", "clients show all"])
            #expect(r.status == 0 && r.stdout == expected, "\(format): \(r.stdout.debugDescription) \(r.stderr)")
        }
        let raw = try Seg.run(["--data", path, "--no-formula-guard", "-c", "clients show all"])
        #expect(raw.stdout.hasPrefix("id,\"=HYPERLINK(\"\"http://x\"\")\",+cmd,@SUM(A1),-x,ok\n"), "\(raw.stdout)")
    }

    /// U+202E passed into tables; tables and Markdown are for reading, so they are sanitized
    /// wherever they go. JSON writes the bidi controls and C1 controls as \u escapes (the same
    /// value to any JSON reader); CSV and TSV to a file or pipe keep the bytes (sanitized only on
    /// a terminal: see TerminalInjectionTests).
    @Test func bidiAndControlsInEachFormat() throws {
        let path = try Self.book("id,name\nC1,\"\u{202E}gnp.exe\u{2066}x\u{2069}\u{1B}[2J\u{9B}31m\"\n")
        for format in ["table", "markdown"] {
            let r = try Seg.run(["--data", path, "--format", format, "-c", "clients show all"])
            #expect(r.status == 0 && r.stdout.contains("gnp.exe") && !Self.hasUnsafe(r.stdout), "\(format): \(r.stdout.debugDescription)")
        }
        let json = try Seg.run(["--data", path, "--format", "jsonl", "-c", "clients show all"])
        #expect(json.stdout == "{\"id\":\"C1\",\"name\":\"\\u202egnp.exe\\u2066x\\u2069\\u001b[2J\\u009b31m\"}\n", "\(json.stdout)")
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: String]
        #expect(decoded?["name"] == "\u{202E}gnp.exe\u{2066}x\u{2069}\u{1B}[2J\u{9B}31m")
        let csv = try Seg.run(["--data", path, "--format", "csv", "-c", "clients show all"])
        #expect(csv.stdout == "id,name\nC1,\u{202E}gnp.exe\u{2066}x\u{2069}\u{1B}[2J\u{9B}31m\n", "\(csv.stdout.debugDescription)")
    }
}

@Suite("hardening (issue 20): devices, FIFOs and symbolic links", .serialized)
struct HardeningFileTests {
    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode : nil
    }

    static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// A FIFO, and a character device (a copy of /dev/null made with mknod, when the tests run as
    /// root: seg renamed a 0666 regular file over such a device and, as root, destroyed /dev/full).
    static func specialFiles(in dir: URL) throws -> [(path: String, kind: String)] {
        var out: [(String, String)] = []
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        out.append((fifo, "a FIFO (named pipe)"))
        let device = dir.appendingPathComponent("mynull").path
        if getuid() == 0, mknod(device, S_IFCHR | 0o666, makedev(1, 3)) == 0 {
            out.append((device, "a character device"))
        }
        return out
    }

    static func makedev(_ major: UInt32, _ minor: UInt32) -> dev_t {
        dev_t(major & 0xfff) << 8 | dev_t(minor & 0xff) | (dev_t(minor & ~0xff) << 12) | (dev_t(major & ~0xfff) << 32)
    }

    @Test func devicesAndFIFOsAreNeverReplaced() throws {
        let dir = try Seg.temporaryDirectory()
        let book = dir.appendingPathComponent("t.csv").path
        try "id,age\nC1,30\n".write(toFile: book, atomically: true, encoding: .utf8)
        for (path, kind) in try Self.specialFiles(in: dir) {
            let before = Self.mode(path)
            let saved = try Seg.run(["--data", book, "--save-book", path])
            #expect(saved.status == 74 && saved.stderr == "error: cannot replace '\(path)': it is \(kind), not a regular file\n", "\(saved.stderr)")
            let library = try Seg.run(["--data", book, "--segments", path, "-c", "clients count"])
            #expect(library.status == 74 && library.stderr == "error: cannot read '\(path)': it is \(kind), not a regular file\n", "\(library.stderr)")
            // Through a symbolic link too (the prompt's .savebook: HistoryFIFOTests).
            let link = dir.appendingPathComponent("link-\(UUID().uuidString)").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
            let viaLink = try Seg.run(["--data", book, "--save-book", link])
            #expect(viaLink.status == 74 && viaLink.stderr.contains("it is \(kind), not a regular file"), "\(viaLink.stderr)")
            #expect(Self.mode(path) == before, "\(path) was replaced")
            #expect(Self.isLink(link))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains(".seg-tmp-") })
    }

    /// New files are 0600; a replaced regular file keeps its permissions but never set-id bits.
    @Test func newFilesAre0600() throws {
        let dir = try Seg.temporaryDirectory()
        let book = dir.appendingPathComponent("t.csv").path
        try "id,age\nC1,30\n".write(toFile: book, atomically: true, encoding: .utf8)
        let saved = dir.appendingPathComponent("b.segbook").path
        #expect(try Seg.run(["--data", book, "--save-book", saved]).status == 0)
        #expect(Self.mode(saved).map { $0 & 0o7777 } == 0o600)
        chmod(saved, 0o4640)
        #expect(try Seg.run(["--data", book, "--save-book", saved]).status == 0)
        #expect(Self.mode(saved).map { $0 & 0o7777 } == 0o640)
    }

    /// With `link.seg -> sub/lib.seg`, 240 concurrent saves through both names lost 40 (each side
    /// locked its own `.NAME.lock`). The lock is now beside the real file: every save survives.
    @Test func concurrentSavesThroughALinkAndItsTargetAllSurvive() throws {
        let dir = try Seg.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let real = dir.appendingPathComponent("sub/lib.seg").path
        let link = dir.appendingPathComponent("link.seg").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "sub/lib.seg")
        let book = dir.appendingPathComponent("t.csv").path
        try "id,age\nC1,30\n".write(toFile: book, atomically: true, encoding: .utf8)
        let processes = 12, saves = 20
        let group = DispatchGroup()
        let statuses = LockedData()
        for p in 0..<processes {
            group.enter()
            DispatchQueue.global().async {
                var args = ["--data", book, "--segments", p % 2 == 0 ? link : real]
                for s in 0..<saves { args += ["-c", "save p\(p)s\(s) = clients where age > \(s)"] }
                let r = try? Seg.run(args)
                if r?.status != 0 { statuses.set(Data((r?.stderr ?? "no run").utf8)) }
                group.leave()
            }
        }
        group.wait()
        #expect(statuses.get().isEmpty, "\(String(decoding: statuses.get(), as: UTF8.self))")
        let text = try String(contentsOfFile: real, encoding: .utf8)
        let lets = text.split(separator: "\n").filter { $0.hasPrefix("let ") }
        #expect(lets.count == processes * saves, "\(lets.count) of \(processes * saves) saves kept")
        #expect(Self.isLink(link))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".link.seg.lock").path))
        // Issue 16: the lock file is removed when the last save lets go of it.
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("sub/.lib.seg.lock").path))
    }

    /// A dangling link stays a link: the library is created where it points (0600).
    @Test func aDanglingLinkStaysALink() throws {
        let dir = try Seg.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let link = dir.appendingPathComponent("link.seg").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "sub/new.seg")
        let r = try Seg.run(["--segments", link, "-c", "save old = clients where age > 80"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.isLink(link), "the link was replaced by a file")
        let target = dir.appendingPathComponent("sub/new.seg").path
        #expect(Self.mode(target).map { $0 & 0o7777 } == 0o600)
        #expect((try? String(contentsOfFile: target, encoding: .utf8))?.contains("let old = clients where age > 80") == true)
        // A chain of links, one of them absolute.
        let second = dir.appendingPathComponent("second.seg").path
        try FileManager.default.createSymbolicLink(atPath: second, withDestinationPath: link)
        #expect(try Seg.run(["--segments", second, "-c", "save young = clients where age < 20"]).status == 0)
        #expect(Self.isLink(second) && Self.isLink(link))
        #expect((try? String(contentsOfFile: target, encoding: .utf8))?.contains("let young") == true)
        // A loop of links is an error, not a hang.
        let loop = dir.appendingPathComponent("loop.seg").path
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: "loop.seg")
        let looped = try Seg.run(["--segments", loop, "-c", "save x = clients where age > 1"])
        #expect(looped.status != 0 && looped.stderr.contains("loop.seg"), "\(looped.stderr)")
    }
}

@Suite("hardening (issue 20): --db URLs")
struct HardeningDatabaseURLTests {
    /// A listening socket on a free local port (both IPv4 and IPv6 loopback when it can), to see
    /// whether seg connects at all.
    final class Listener {
        let fd: Int32
        let port: Int

        init() throws {
            var s = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
            var bound = false
            if s >= 0 {
                var off: Int32 = 0
                setsockopt(s, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &off, socklen_t(MemoryLayout<Int32>.size))
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_addr = in6addr_any
                bound = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0 }
                }
                if !bound { close(s) }
            }
            if !bound {
                s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                bound = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
                }
            }
            guard bound, listen(s, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) }
            }
            let family = storage.ss_family
            let raw = withUnsafePointer(to: &storage) { p in
                family == sa_family_t(AF_INET6)
                    ? p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
                    : p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
            }
            fd = s
            port = Int(UInt16(bigEndian: raw))
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }

        deinit { close(fd) }

        /// Whether anyone connected since the listener started.
        var wasContacted: Bool {
            let c = accept(fd, nil, nil)
            if c >= 0 { close(c); return true }
            return false
        }
    }

    static let secret = "s3cret-Pw"

    /// A 4,000-character host: Foundation's parser gave no host, seg connected to localhost and
    /// sent the password there. `host%00evil` connected to `host`; port 65536 was accepted.
    @Test func malformedURLsAreUsageErrorsAndConnectNowhere() throws {
        let listener = try Listener()
        let long = String(repeating: "a", count: 4_000)
        let cases = [("postgres://u:\(Self.secret)@\(long):\(listener.port)/db", "the host name is longer than 253 characters"),
                     ("postgres://u:\(Self.secret)@localhost%00evil:\(listener.port)/db", "is not valid percent-encoded text"),
                     ("postgres://u:\(Self.secret)@localhost:65536/db", "the port '65536' is not a number from 1 to 65535"),
                     ("postgres://u:\(Self.secret)@localhost:\(listener.port)/db?sslmode=sometimes", "unknown sslmode 'sometimes'"),
                     ("postgres://u:ab/\(Self.secret)@localhost:\(listener.port)/db", "must be written %2F or %3F")]
        for (url, message) in cases {
            let viaFlag = try Seg.run(["--db", url, "-c", "clients count"])
            let viaEnv = try Seg.run(["-c", "clients count"], environment: ["SEG_DB": url])
            let viaSQL = try Seg.run(["sql", "--db", url, "clients count"])
            for r in [viaFlag, viaEnv, viaSQL] {
                #expect(r.status == 64 && r.stderr.hasPrefix("error: --db: ") && r.stderr.contains(message), "\(r.status) \(r.stderr.prefix(300))")
                #expect(!r.stderr.contains(Self.secret) && !r.stdout.contains(Self.secret))
                #expect(r.stderr.utf8.count < 400, "\(r.stderr.utf8.count) bytes of message")
            }
        }
        #expect(!listener.wasContacted, "seg connected to the local port")
    }
}

@Suite("hardening (issue 20): text compares byte for byte")
struct HardeningUnicodeTests {
    static let nfc = "\u{E9}"          // é
    static let nfd = "e\u{301}"        // e + combining acute: canonically equivalent, other bytes

    static func book() throws -> String {
        let path = try Seg.temporaryDirectory().appendingPathComponent("nf.csv").path
        let csv = "id,v,t,tags\nC1,\(nfc),\(nfc),\(nfc);x\nC2,\(nfc),\(nfc),\(nfc)\nC3,\(nfd),\(nfd),\(nfd)\nC4,\(nfd),\(nfd),\(nfd);x\nC5,x,x,x\n"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Before: `v = a or v = b` 4, `v in (a, b)` 2 (a Set<String> kept one of the two), `not v in (…)` 3.
    @Test(arguments: ["category", "text"])
    func everyTestAgrees(_ type: String) throws {
        let path = try Self.book()
        let (a, b) = (Self.nfc, Self.nfd)
        let field = type == "category" ? "v" : "t"
        let expected = [("\(field) = \(a) or \(field) = \(b)", 4), ("\(field) in (\(a), \(b))", 4), ("not \(field) in (\(a), \(b))", 1),
                        ("\(field) = \(a)", 2), ("\(field) in (\(a))", 2), ("not \(field) in (\(a))", 3), ("\(field) != \(a)", 3),
                        ("\(field) in (\(b), \(b), \(a))", 4), ("\(field) = \"\(b)\"", 2), ("\(field) like \"\(a)\"", 2)]
        for (condition, count) in expected {
            let r = try Seg.run(["--data", path, "--type", "v=category", "--type", "t=text", "-c", "clients where \(condition) count"])
            #expect(r.status == 0 && r.stdout == "count\n\(count)\n", "\(type) \(condition.debugDescription): \(r.stdout) \(r.stderr)")
        }
        let groups = try Seg.run(["--data", path, "--type", "v=category", "--type", "t=text", "-c", "clients by \(field) show count"])
        #expect(groups.stdout.split(separator: "\n").count == 4, "\(type): \(groups.stdout.debugDescription)")
    }

    @Test func tagsAndLookalikeValues() throws {
        let path = try Self.book()
        let has = try Seg.run(["--data", path, "--type", "tags=tags", "-c", "clients where tags has \(Self.nfc) count",
                                     "-c", "clients where tags has any (\(Self.nfc), \(Self.nfd)) count"])
        #expect(has.stdout == "count\n2\n\ncount\n4\n", "\(has.stdout) \(has.stderr)")
        // A value that looks like one in the book but has other bytes is unknown, and the message says why.
        let only = try Seg.temporaryDirectory().appendingPathComponent("only.csv").path
        try "id,city\nC1,caf\(Self.nfc)\nC2,x\n".write(toFile: only, atomically: true, encoding: .utf8)
        let r = try Seg.run(["--data", only, "--type", "city=category", "-c", "clients where city = caf\(Self.nfd) count"])
        #expect(r.status == 65 && r.stderr.contains("unknown value 'caf\(Self.nfd)' for field 'city' (the book has 'caf\(Self.nfc)' written with other Unicode code points: U+0063 U+0061 U+0066 U+00E9, not U+0063 U+0061 U+0066 U+0065 U+0301; seg compares text byte for byte)"), "\(r.stderr)")
    }

    /// Names follow the same rule: segments `café` (NFC) and `café` (NFD) are two segments, saved,
    /// listed and snapshotted apart (folders of their own bytes).
    @Test func segmentNamesAndSnapshotFolders() throws {
        let dir = try Seg.temporaryDirectory()
        let library = dir.appendingPathComponent("segments.seg").path
        let (a, b) = ("caf" + Self.nfc, "caf" + Self.nfd)
        let r = try Seg.run(["--segments", library, "-c", "save \(a) = clients where age > 60", "-c", "save \(b) = clients where age < 30",
                                   "-c", "snapshot \(a)", "-c", "snapshot \(b)", "-c", "\(a) count", "-c", "\(b) count", "-c", "segments"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("count") }.count == 2)
        let counts = lines.enumerated().filter { $0.offset > 0 && lines[$0.offset - 1] == "count" }.map(\.element)
        #expect(counts.count == 2 && counts[0] != counts[1], "\(r.stdout)")
        #expect(lines.contains { $0.hasPrefix("\(a),") && $0.contains("age > 60") } && lines.contains { $0.hasPrefix("\(b),") && $0.contains("age < 30") })
        let folders = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(".seg/snapshots").path)
        #expect(Set(folders.map { Array($0.utf8) }) == Set([Array(a.utf8), Array(b.utf8)]), "\(folders)")
        // Reloaded from the file: still two.
        let again = try Seg.run(["--segments", library, "-c", "\(b) count", "-c", "diff \(b)"])
        #expect(again.status == 0 && again.stdout.hasPrefix("count\n\(counts[1])\n"), "\(again.stdout) \(again.stderr)")
    }
}

@Suite("hardening (issue 20): unbounded inputs")
struct HardeningInputTests {
    static func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = try Seg.temporaryDirectory().appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// One long field (no line break for megabytes) was found again from every 1 MB cut of the
    /// file: quadratic (256 MB: 33 s). Correct at a size that spans many cuts, quoted and not, with
    /// records after it; the timing is in docs/reliability.md.
    @Test func longFieldsSpanningManyChunks() throws {
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 24 << 20)
        var unquoted = Array("id,note\nC1,".utf8) + long + Array("\nC2,b\nC3,c\n".utf8)
        let path = try Self.file("long.csv", unquoted)
        let r = try Seg.run(["--data", path, "-c", "clients count", "-c", "clients where id = C3 show note"])
        #expect(r.status == 0 && r.stdout == "count\n3\n\nnote\nc\n", "\(r.stdout.prefix(100)) \(r.stderr)")
        // Quoted, with line breaks inside, and a record start in every megabyte after it.
        var quoted = Array("id,note\nC1,\"".utf8)
        for _ in 0..<24 { quoted += [UInt8](repeating: UInt8(ascii: "q"), count: (1 << 20) - 1) + [0x0A] }
        quoted += Array("\"\n".utf8)
        for i in 0..<200_000 { quoted += Array("C\(i + 2),v\n".utf8) }
        let q = try Seg.run(["--data", try Self.file("quoted.csv", quoted), "-c", "clients count"])
        #expect(q.status == 0 && q.stdout == "count\n200001\n", "\(q.stdout) \(q.stderr)")
        unquoted.removeAll()
    }

    /// `--data /dev/zero` read forever; a stream of NULs, or one beyond the limit, is an error at once.
    @Test func devicesAndEndlessStreams() throws {
        let device = try Seg.run(["--data", "/dev/zero", "-c", "clients count"])
        #expect(device.status == 64 && device.stderr.contains("cannot load '/dev/zero': it is a character device, not a data file"), "\(device.stderr)")
        let zeros = try Seg.run(["--data", "-", "-c", "clients count"], input: Data(count: 50 << 20))
        #expect(zeros.status == 65 && zeros.stderr == "error: <stdin>:1:1: NUL byte in the data\n", "\(zeros.stderr)")
        let later = try Seg.run(["--data", "-", "-c", "clients count"], input: Data("id,x\n1,2\n3,".utf8) + Data(count: 10 << 20))
        #expect(later.status == 65 && later.stderr == "error: <stdin>:3:3: NUL byte in the data\n", "\(later.stderr)")
        let big = try Seg.run(["--data", "-", "-c", "clients count"], input: Data(("id\n" + String(repeating: "y\n", count: 1 << 20)).utf8),
                                    environment: ["SEG_TEST_STREAM_LIMIT": "1000000"])
        #expect(big.status == 65 && big.stderr.contains("'<stdin>' holds more than 1,000,000 bytes"), "\(big.stderr)")
        let fits = try Seg.run(["--data", "-", "-c", "clients count"], input: Data("id\n1\n2\n".utf8),
                                     environment: ["SEG_TEST_STREAM_LIMIT": "1000000"])
        #expect(fits.stdout == "count\n2\n")
    }

    /// `id in (10,000 ids)` compared every row with every candidate (35 s on a million rows). Now a
    /// binary search: correct for text, category and integer columns at size.
    @Test func longInLists() throws {
        let rows = 100_000
        var csv = "id,n,c\n"
        for i in 0..<rows { csv += "C\(i),\(i),k\(i % 5000)\n" }
        let path = try Self.file("ids.csv", Array(csv.utf8))
        let ids = stride(from: 0, to: 20_000, by: 2).map { "C\($0)" } + ["nosuch", "C1", "C1"]
        let ns = stride(from: 0, to: 20_000, by: 2).map(String.init) + ["-5", "99999999"]
        let cs = (0..<3000).map { "k\($0)" }
        let r = try Seg.run(["--data", path, "--type", "id=text", "--type", "c=category",
                                   "-c", "clients where id in (\(ids.joined(separator: ", "))) count",
                                   "-c", "clients where n in (\(ns.joined(separator: ", "))) count",
                                   "-c", "clients where not n in (\(ns.joined(separator: ", "))) count",
                                   "-c", "clients where c in (\(cs.joined(separator: ", "))) count"])
        #expect(r.status == 0 && r.stdout == "count\n10001\n\ncount\n10000\n\ncount\n90000\n\ncount\n60000\n", "\(r.stdout) \(r.stderr.prefix(300))")
    }

    /// 10^6 columns took 8.5 GB for `show all` (CSV blocks kept 1,024 rows × every column of end
    /// offsets: 400,000 columns needed 3.2 GB). Now linear: under a 2.5 GB address-space limit
    /// 400,000 columns answer (a million: docs/reliability.md).
    @Test func aWideTable() throws {
        let n = 400_000
        var header = "", row = ""
        header.reserveCapacity(8 * n)
        for i in 0..<n { header += i == 0 ? "c0" : ",c\(i)"; row += i == 0 ? "0" : ",\(i % 10)" }
        let path = try Self.file("wide.csv", Array((header + "\n" + row + "\n").utf8))
        for format in ["csv", "tsv"] {
            let r = try Seg.run(["--data", path, "--format", format, "-c", "clients show all"], addressSpaceKiB: 5 << 19)
            #expect(!r.signalled && r.status == 0, "\(format): \(r.status) \(r.stderr.prefix(300))")
            #expect(r.stdout.utf8.count > 2 * n, "\(format): \(r.stdout.utf8.count) bytes")
        }
    }
}

@Suite("hardening (issue 20): JSON arrays of tags")
struct HardeningJSONTests {
    /// `["a;b"]` silently became the two tags a and b.
    @Test func aSemicolonInATagIsAnError() throws {
        let path = try Seg.temporaryDirectory().appendingPathComponent("t.json").path
        try "[{\"id\": \"C1\", \"tags\": [\"ok\"]},\n {\"id\": \"C2\", \"tags\": [\"fine\", \"a;b\"]}]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Seg.run(["--data", path, "-c", "clients where tags has a count"])
        #expect(r.status == 65 && r.stderr == "error: \(path):2:32: field 'tags': a tag cannot contain ';' (it separates tags); give each tag as its own string\n", "\(r.stderr)")
        let lines = try Seg.temporaryDirectory().appendingPathComponent("t.jsonl").path
        try "{\"id\": \"C1\", \"tags\": [\"x\", \"y\"]}\n".write(toFile: lines, atomically: true, encoding: .utf8)
        let ok = try Seg.run(["--data", lines, "-c", "clients where tags has all (x, y) count"])
        #expect(ok.stdout == "count\n1\n", "\(ok.stderr)")
    }
}
