import Foundation
import SegTestSupport
import Testing

// The real binary: arguments, standard input, output formats, exit codes and pipes.

@Suite("command line")
struct CommandLineTests {
    @Test func countOnDemoBookAsCSVWhenPiped() throws {
        let r = try Seg.run(["-c", "clients where risk=averse and assets>1m count"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first == "count")
        #expect(lines.count == 2)
        #expect(Int(lines[1]) ?? 0 > 0)
    }

    @Test func severalCommandsRunInOrderAndShareSegments() throws {
        let r = try Seg.run(["-c", "let rich = clients where assets > 5m", "-c", "rich count", "-c", "clients where assets > 5m count"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1] == lines[3])
    }

    @Test(arguments: ["table", "csv", "tsv", "json", "jsonl", "markdown"])
    func everyFormat(_ format: String) throws {
        let r = try Seg.run(["--format", format, "-c", "clients where tier = private sort by assets desc limit 3 show id, name, assets"])
        #expect(r.status == 0, "\(r.stderr)")
        switch format {
        case "table":
            #expect(r.stdout.contains("│"))
            #expect(r.stdout.hasSuffix("3 of 278 clients\n"), "\(r.stdout)")
        case "csv": #expect(r.stdout.hasPrefix("id,name,assets\n"))
        case "tsv": #expect(r.stdout.hasPrefix("id\tname\tassets\n"))
        case "json":
            let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
            #expect(parsed?.count == 3)
            #expect(parsed?.first?["assets"] is NSNumber)
        case "jsonl":
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.count == 3)
            for line in lines { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any]) }
        default: #expect(r.stdout.hasPrefix("| id"))
        }
    }

    @Test func queryErrorExits65WithCaretOnStderr() throws {
        let r = try Seg.run(["-c", "clients where risk=avrese and assets>1m"])
        #expect(r.status == 65)
        #expect(r.stdout == "")
        #expect(r.stderr == """
            error: unknown value 'avrese' for field 'risk' (did you mean 'averse'?)
             1 | clients where risk=avrese and assets>1m
               |                    ^^^^^^

            """)
    }

    @Test func unknownOptionIsUsageError() throws {
        let r = try Seg.run(["--frobnicate"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("frobnicate"))
    }

    @Test func unknownFormatIsUsageErrorWithSuggestion() throws {
        let r = try Seg.run(["--format", "jsn", "-c", "clients count"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("did you mean 'json'?"))
    }

    @Test func missingDataFileExits66() throws {
        let r = try Seg.run(["--data", "/nonexistent/book.csv", "-c", "clients count"])
        #expect(r.status == 66)
        #expect(r.stderr.contains("/nonexistent/book.csv"))
    }

    @Test func missingScriptExits66() throws {
        let r = try Seg.run(["/nonexistent/script.seg"])
        #expect(r.status == 66)
    }

    @Test func malformedCSVNamesFileLineAndColumn() throws {
        let dir = try Seg.temporaryDirectory()
        let path = dir.appendingPathComponent("bad.csv").path
        try "id,name\nC1,\"Wang\nC2,Li\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Seg.run(["--data", path, "-c", "clients count"])
        #expect(r.status == 65)
        #expect(r.stdout == "")
        #expect(r.stderr.contains("bad.csv:2:4: unterminated quoted field"))
    }

    @Test func loadsEachDataFormatFromFileAndStdin() throws {
        let dir = try Seg.temporaryDirectory()
        let csv = "id,risk,assets\nC1,averse,10.50\nC2,growth,3.25\nC3,averse,\n"
        let json = #"[{"id":"C1","risk":"averse","assets":10.50},{"id":"C2","risk":"growth","assets":3.25},{"id":"C3","risk":"averse","assets":null}]"#
        let jsonl = #"{"id":"C1","risk":"averse","assets":10.50}"# + "\n" + #"{"id":"C2","risk":"growth","assets":3.25}"# + "\n" + #"{"id":"C3","risk":"averse"}"# + "\n"
        let tsv = "id\trisk\tassets\nC1\taverse\t10.50\nC2\tgrowth\t3.25\nC3\taverse\t\n"
        for (ext, text) in [("csv", csv), ("json", json), ("jsonl", jsonl), ("tsv", tsv)] {
            let path = dir.appendingPathComponent("book.\(ext)").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let q = "clients where risk = averse show count, sum(assets)"
            let fromFile = try Seg.run(["--data", path, "-c", q])
            #expect(fromFile.status == 0, "\(ext): \(fromFile.stderr)")
            #expect(fromFile.stdout == "count,sum(assets)\n2,10.50\n", "\(ext)")
            let fromStdin = try Seg.run(["--data", "-", "-c", q], stdin: text)
            #expect(fromStdin.stdout == "count,sum(assets)\n2,10.50\n", "\(ext) from stdin: \(fromStdin.stderr)")
        }
    }

    @Test func namedTablesFromSeveralFiles() throws {
        let dir = try Seg.temporaryDirectory()
        let a = dir.appendingPathComponent("a.csv").path
        let b = dir.appendingPathComponent("b.csv").path
        try "id,risk\nC1,averse\n".write(toFile: a, atomically: true, encoding: .utf8)
        try "id,amount\nT1,5\nT2,7\n".write(toFile: b, atomically: true, encoding: .utf8)
        let r = try Seg.run(["--data", a, "--data", "trades=\(b)", "-c", "clients count", "-c", "trades where amount > 5 count"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "count\n1\n\ncount\n1\n")  // issue 16: an empty line before each result after the first
    }

    /// One rule names tables, from `--data NAME=` and `--table` alike: a name a statement can use
    /// (before, `--data 1x=t.csv` loaded a table no query could name).
    @Test(arguments: ["1x", "x-y", "count", "a b"])
    func tableNamesAreNamesAStatementCanUse(_ name: String) throws {
        let dir = try Seg.temporaryDirectory()
        let t = dir.appendingPathComponent("t.csv").path
        try "id,risk\nC1,averse\n".write(toFile: t, atomically: true, encoding: .utf8)
        let r = try Seg.run(["--data", "\(name)=\(t)", "-c", "clients count"])
        #expect(r.status == 64, "\(name): \(r.stderr)")
        #expect(r.stderr.contains("'\(name)' cannot name a table"), "\(r.stderr)")
        let db = try Seg.run(["--db", "postgres://nobody@127.0.0.1:1/x", "--table", "\(name)=crm.t", "-c", "clients count"])
        #expect(db.status == 64, "\(name): \(db.stderr)")
        let ok = try Seg.run(["--data", "名单_2=\(t)", "-c", "名单_2 count"])
        #expect(ok.stdout == "count\n1\n", "\(ok.stderr)")
    }

    @Test func typeOverride() throws {
        let dir = try Seg.temporaryDirectory()
        let path = dir.appendingPathComponent("t.csv").path
        try "id,code\nC1,00123\nC2,7\n".write(toFile: path, atomically: true, encoding: .utf8)
        let asText = try Seg.run(["--data", path, "-c", "clients where code = \"00123\" count"])
        #expect(asText.stdout == "count\n1\n", "\(asText.stderr)")
        let bad = try Seg.run(["--data", path, "--type", "cod=integer", "-c", "clients count"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("did you mean 'code'?"))
        let badType = try Seg.run(["--data", path, "--type", "code=intger", "-c", "clients count"])
        #expect(badType.status == 64)
        #expect(badType.stderr.contains("did you mean 'integer'?"))
    }

    @Test func scriptFileWithShebangAndStdinStatements() throws {
        let dir = try Seg.temporaryDirectory()
        let path = dir.appendingPathComponent("vip.seg").path
        try "#!/usr/bin/env seg\n-- VIPs by city\nlet vip = clients where tier in (vip, private)\nvip where city = 深圳 count\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Seg.run([path])
        #expect(r.status == 0, "\(r.stderr)")
        let viaStdin = try Seg.run([], stdin: "let vip = clients where tier in (vip, private)\nvip where city = 深圳 count\n")
        #expect(viaStdin.stdout == r.stdout)
        let direct = try Seg.run(["-c", "clients where tier in (vip, private) and city = 深圳 count"])
        #expect(direct.stdout == r.stdout)
    }

    @Test func scriptErrorNamesTheScriptAndLine() throws {
        let dir = try Seg.temporaryDirectory()
        let path = dir.appendingPathComponent("bad.seg").path
        try "clients count\nclients where asets > 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Seg.run([path])
        #expect(r.status == 65)
        #expect(r.stdout == "count\n10000\n")
        #expect(r.stderr.contains("--> \(path):2:15"))
        #expect(r.stderr.contains("did you mean 'assets'?"))
    }

    @Test func writeToFullDiskIsAnIOError() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Seg.binary)
        process.arguments = ["-c", "clients"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        let err = Pipe()
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 74)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(message.contains("cannot write output"))
    }

    @Test func closedPipeEndsQuietlyWithStatusZero() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Seg.binary)
        process.arguments = ["-c", "clients", "-c", "clients", "-c", "clients", "-c", "clients"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        _ = out.fileHandleForReading.readData(ofLength: 10)
        try out.fileHandleForReading.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(err.fileHandleForReading.readDataToEndOfFile().isEmpty)
    }

    @Test func generateWritesTheDemoBookDeterministically() throws {
        let a = try Seg.run(["generate", "--rows", "500", "--seed", "9"])
        let b = try Seg.run(["generate", "--rows", "500", "--seed", "9"])
        let c = try Seg.run(["generate", "--rows", "500", "--seed", "10"])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout != c.stdout)
        #expect(a.stdout.split(separator: "\n").count == 501)
        #expect(a.stdout.hasPrefix("id,name,gender,age,birthday,city,branch,manager,tier,risk,assets,deposits,loans,products,opened,last_contact,phone,email,industry,interests\n"))
        // The generated CSV loads back to the same book as the built-in demo.
        let demo = try Seg.run(["-c", "clients by tier show count, sum(assets)"])
        let full = try Seg.run(["generate"])
        let loaded = try Seg.run(["--data", "-", "-c", "clients by tier show count, sum(assets)"], stdin: full.stdout)
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stdout == demo.stdout)
    }

    @Test func helpAndLanguageReference() throws {
        let help = try Seg.run(["--help"])
        #expect(help.status == 0)
        for option in ["--data", "--format", "--today", "--type", "-c", "generate", "Examples"] {
            #expect(help.stdout.contains(option), "help lacks \(option)")
        }
        let language = try Seg.run(["help", "language"])
        #expect(language.status == 0)
        #expect(language.stdout.contains("anniversary(birthday) in next 14 days"))
    }

    @Test func todayFlagAndEnvironment() throws {
        let q = "clients where last_contact in last 7 days count"
        let a = try Seg.run(["--today", "2026-11-01", "-c", q])
        let b = try Seg.run(["-c", q], environment: ["SEG_TODAY": "2026-11-01"])
        #expect(a.stdout == b.stdout)
        let bad = try Seg.run(["--today", "2026-13-01", "-c", q])
        #expect(bad.status == 64)
    }

    @Test func deepNestingAndLongChainsNeverCrash() throws {
        let deep = String(repeating: "(", count: 100_000) + "risk = averse" + String(repeating: ")", count: 100_000)
        // Through standard input: one argument cannot hold 200 KB.
        let r1 = try Seg.run([], stdin: "clients where \(deep) count\n")
        #expect(r1.status == 65)
        #expect(r1.stderr.contains("nesting deeper than"))
        // A three-row book keeps the debug build's 100,000 column scans quick.
        let dir = try Seg.temporaryDirectory()
        let book = dir.appendingPathComponent("tiny.csv").path
        try "id,age\nC1,30\nC2,0\nC3,50\n".write(toFile: book, atomically: true, encoding: .utf8)
        let chain = Array(repeating: "age > 1", count: 100_000).joined(separator: " and ")
        let script = dir.appendingPathComponent("chain.seg").path
        try "clients where \(chain) count\n".write(toFile: script, atomically: true, encoding: .utf8)
        let r2 = try Seg.run(["--data", book, script])
        #expect(r2.status == 0, "\(r2.stderr.prefix(300))")
        #expect(r2.stdout == "count\n2\n")
    }
}
