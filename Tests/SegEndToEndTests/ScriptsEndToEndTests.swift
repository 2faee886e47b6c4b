import Foundation
import SegTestSupport
import Testing

// Issue 16 on the real binary: exports that never destroy data, dot-commands in scripts,
// several results in one output, continuation lines, lock files and snapshots, value
// suggestions, and masking.

/// A folder with a copy of the fixture book as `book.csv`.
private func folderWithBook() throws -> (dir: String, book: String, bytes: Data) {
    let dir = try Seg.temporaryDirectory().path
    let book = dir + "/book.csv"
    let bytes = try Data(contentsOf: Seg.fixtures.appendingPathComponent("clients.csv"))
    try bytes.write(to: URL(fileURLWithPath: book))
    return (dir, book, bytes)
}

private func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

@Suite("issue 16: exports never destroy data")
struct ExportSafetyTests {
    @Test(arguments: ["book.csv", "./book.csv", "sub/../book.csv", "link.csv"])
    func outputOverTheLoadedFileIsRefused(_ target: String) throws {
        let (dir, book, bytes) = try folderWithBook()
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: book)
        for force in [false, true] {
            let r = try Seg.run(["--data", "book.csv"] + (force ? ["--force"] : []),
                                stdin: ".output! \(target)\nclients count\n", directory: dir)
            #expect(r.status == 64, "\(r.stderr)")
            #expect(r.stderr.contains("refusing to write '\(target)': it is the data file loaded as table 'clients'"), "\(r.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: book)) == bytes)
        }
        let flag = try Seg.run(["--data", "book.csv", "--output", target, "--force", "-c", "clients count"], directory: dir)
        #expect(flag.status == 64 && flag.stderr.contains("refusing to write"), "\(flag.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: book)) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("seg-tmp") }.isEmpty)
    }

    @Test func libraryAndSnapshotsAreNeverOverwritten() throws {
        let (dir, _, _) = try folderWithBook()
        let save = try Seg.run(["--data", "book.csv", "-c", "save sh = clients where city = 上海", "-c", "snapshot sh"], directory: dir)
        #expect(save.status == 0, "\(save.stderr)")
        let library = try Data(contentsOf: URL(fileURLWithPath: dir + "/segments.seg"))
        let snapshot = dir + "/.seg/snapshots/sh/2026-11-15.csv"
        let kept = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        for (target, what) in [("segments.seg", "the segment library"), (".seg/snapshots/sh/2026-11-15.csv", "a snapshot file"),
                               (".seg/snapshots/sh/new.csv", "a snapshot file")] {
            let r = try Seg.run(["--data", "book.csv", "--force", "-c", ".output \(target)", "-c", "clients count"], directory: dir)
            #expect(r.status == 64 && r.stderr.contains("it is \(what)"), "\(target): \(r.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/segments.seg")) == library)
        #expect(try Data(contentsOf: URL(fileURLWithPath: snapshot)) == kept)
        #expect(!FileManager.default.fileExists(atPath: dir + "/.seg/snapshots/sh/new.csv"))
        let book = try Seg.run(["--data", "book.csv", "--save-book", "book.csv"], directory: dir)
        #expect(book.status == 64 && book.stderr.contains("refusing to write 'book.csv'"), "\(book.stderr)")
    }

    /// A library that `save` will create, and the snapshot folder before the first snapshot, are
    /// protected too: an export there would be overwritten (or would overwrite the library).
    @Test func aLibraryNotYetCreatedIsProtected() throws {
        let (dir, _, _) = try folderWithBook()
        for (target, what) in [("team.seg", "the segment library"), ("./sub/../team.seg", "the segment library"),
                               (".seg/snapshots/vip/2026-11-15.csv", "a snapshot file")] {
            try? FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
            let r = try Seg.run(["--data", "book.csv", "--segments", "team.seg", "--force", "-c", ".output \(target)", "-c", "clients count"],
                                directory: dir)
            #expect(r.status == 64 && r.stderr.contains("refusing to write '\(target)': it is \(what)"), "\(target): \(r.stderr)")
            let flag = try Seg.run(["--data", "book.csv", "--segments", "team.seg", "--output", target, "-c", "clients count"], directory: dir)
            #expect(flag.status == 64 && flag.stderr.contains("it is \(what)"), "\(target): \(flag.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/team.seg"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/.seg"))
        // Another file of that folder is an ordinary export.
        let other = try Seg.run(["--data", "book.csv", "--segments", "team.seg", "-c", ".output other.csv", "-c", "clients count"],
                                directory: dir)
        #expect(other.status == 0 && read(dir + "/other.csv") == "count\n4\n", "\(other.stderr)")
    }

    @Test func theScriptItselfIsNotOverwritten() throws {
        let (dir, _, _) = try folderWithBook()
        let script = ".output! run.seg\nclients count\n"
        try script.write(toFile: dir + "/run.seg", atomically: true, encoding: .utf8)
        let r = try Seg.run(["--data", "book.csv", "run.seg"], directory: dir)
        #expect(r.status == 64 && r.stderr.contains("it is the script being run"), "\(r.stderr)")
        #expect(read(dir + "/run.seg") == script)
    }

    @Test func anExistingFileNeedsForceOrBang() throws {
        let (dir, _, _) = try folderWithBook()
        try "old\n".write(toFile: dir + "/out.csv", atomically: true, encoding: .utf8)
        let refused = try Seg.run(["--data", "book.csv", "-c", ".output out.csv", "-c", "clients count"], directory: dir)
        #expect(refused.status == 64 && refused.stderr.contains("'out.csv' already exists; to replace it write .output! out.csv"), "\(refused.stderr)")
        #expect(read(dir + "/out.csv") == "old\n")
        let flag = try Seg.run(["--data", "book.csv", "--output", "out.csv", "-c", "clients count"], directory: dir)
        #expect(flag.status == 64 && flag.stderr.contains("add --force to replace it"), "\(flag.stderr)")
        #expect(read(dir + "/out.csv") == "old\n")
        let bang = try Seg.run(["--data", "book.csv", "-c", ".output! out.csv", "-c", "clients count"], directory: dir)
        #expect(bang.status == 0 && read(dir + "/out.csv") == "count\n4\n", "\(bang.stderr)")
        let forced = try Seg.run(["--data", "book.csv", "--force", "--output", "out.csv", "-c", "clients where city = 上海 count"], directory: dir)
        #expect(forced.status == 0 && read(dir + "/out.csv") == "count\n2\n", "\(forced.stderr)")
    }

    @Test(arguments: [("a.csv", "count\n4\n"), ("a.tsv", "count\n4\n"), ("a.json", "[\n{\"count\":4}\n]\n"),
                      ("a.jsonl", "{\"count\":4}\n")])
    func formatFollowsTheExtension(_ file: String, _ expected: String) throws {
        let (dir, _, _) = try folderWithBook()
        let r = try Seg.run(["--data", "book.csv", "--output", file, "-c", "clients count"], directory: dir)
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderr)")
        #expect(read(dir + "/" + file) == expected)
        // A format given wins over the extension.
        let chosen = try Seg.run(["--data", "book.csv", "--format", "jsonl", "-c", ".output! \(file)", "-c", "clients count"], directory: dir)
        #expect(chosen.status == 0 && read(dir + "/" + file) == "{\"count\":4}\n", "\(chosen.stderr)")
    }
}

@Suite("issue 16: scripts with dot-commands and several outputs")
struct ScriptOutputTests {
    @Test func aScriptWritesEachListToItsOwnFile() throws {
        let (dir, _, _) = try folderWithBook()
        let script = """
            # monthly lists
            .output shanghai.csv
            clients where city = 上海 show id
            .output beijing.json
            clients where city = 北京
              show id, name
            .output
            clients count
            """
        try script.write(toFile: dir + "/monthly.seg", atomically: true, encoding: .utf8)
        for run in [try Seg.run(["--data", "book.csv", "--force", "monthly.seg"], directory: dir),
                    try Seg.run(["--data", "book.csv", "--force"], stdin: script, directory: dir)] {
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "count\n4\n")
            #expect(read(dir + "/shanghai.csv") == "id\nC001\nC003\n")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/beijing.json"))) as? [[String: Any]]
            #expect(json?.map { $0["id"] as? String } == ["C002"])
        }
    }

    @Test func aBadDotCommandStopsTheScriptBeforeAnythingRuns() throws {
        let (dir, _, _) = try folderWithBook()
        let r = try Seg.run(["--data", "book.csv"], stdin: ".output a.csv\nclients count\n.fromat json\nclients count\n", directory: dir)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("unknown command '.fromat' (did you mean '.format'?)"), "\(r.stderr)")
        #expect(r.stderr.contains("<stdin>:3:1"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/a.csv"))
    }

    @Test func severalJSONResultsAreOneDocument() throws {
        let r = try Seg.run(["--format", "json", "-c", "clients where risk = averse count", "-c", "clients by tier show count limit 2"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        #expect(doc?.count == 2)
        #expect(doc?.first?["statement"] as? String == "clients where risk = averse count")
        #expect((doc?.last?["result"] as? [Any])?.count == 2)
        // One statement: the plain array, as before.
        let one = try Seg.run(["--format", "json", "-c", "clients count"])
        #expect(one.stdout.hasPrefix("[\n{\"count\":"), "\(one.stdout)")
    }

    @Test func severalCSVResultsToOnePlaceAreRefused() throws {
        let r = try Seg.run(["--format", "csv"], stdin: "clients count\nclients where risk = averse count\n")
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("2 statements would write results to standard output as csv, which holds one table"), "\(r.stderr)")
        #expect(r.stderr.contains("<stdin>:2:1"), "\(r.stderr)")
        let tsv = try Seg.run(["--format", "tsv", "-c", "clients count", "-c", "segments"])
        #expect(tsv.status == 64 && tsv.stderr.contains("as tsv"), "\(tsv.stderr)")
        let path = try Seg.temporaryDirectory().appendingPathComponent("two.csv").path
        let file = try Seg.run(["--output", path, "-c", "clients count", "-c", "segments"])
        #expect(file.status == 64 && file.stderr.contains("to '\(path)' as csv"), "\(file.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func csvByDefaultMarksEachResultWithAnEmptyLine() throws {
        let r = try Seg.run(["-c", "clients where risk = averse count", "-c", "clients where risk = growth count", "-c", "let x = clients"])
        #expect(r.status == 0, "\(r.stderr)")
        let parts = r.stdout.components(separatedBy: "\n\n")
        #expect(parts.count == 2 && parts.allSatisfy { $0.hasPrefix("count\n") }, "\(r.stdout)")
    }

    @Test func valueFormatPrintsTheBareNumber() throws {
        let r = try Seg.run(["--format", "value", "-c", "clients where risk = averse count"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Int(r.stdout.dropLast()) ?? 0 > 0 && r.stdout.hasSuffix("\n") && !r.stdout.contains(","), "\(r.stdout)")
        let shell = try Seg.run(executable: "/bin/sh", ["-c", "n=$(\"$0\" --format value -c 'clients count'); echo \"n=$n\"", Seg.binary],
                                environment: ["SEG_TODAY": "2026-11-15"])
        #expect(shell.stdout == "n=10000\n", "\(shell.stdout) \(shell.stderr)")
        let many = try Seg.run(["--format", "value", "-c", "clients limit 3 show id"])
        #expect(many.status == 65 && many.stderr.contains("--format value prints one value, but this result has 3 rows of 1 column"), "\(many.stderr)")
    }
}

@Suite("issue 16: continuation lines")
struct ContinuationTests {
    @Test(arguments: ["where", "and", "count", "sort", "show", "limit", "by", "or", "union", "except", "intersect"])
    func aLineStartingWithAClauseWordContinues(_ word: String) throws {
        let statement: String
        switch word {
        case "where": statement = "clients\nwhere risk = averse\ncount"
        case "and": statement = "clients where risk = averse\n  and age > 40\ncount"
        case "or": statement = "clients where risk = averse\nor age > 40\ncount"
        case "count": statement = "clients where risk = averse\n\n# the number\ncount"
        case "sort": statement = "clients where risk = averse\nsort by assets desc\nlimit 1\nshow id"
        case "show": statement = "clients where risk = averse\nshow id\nlimit 1"
        case "limit": statement = "clients where risk = averse show id\nlimit 1"
        case "by": statement = "clients\nby risk\nshow risk, count\nsort by risk\nlimit 1"
        default: statement = "clients\n\(word) clients\ncount"
        }
        let oneLine = statement.replacingOccurrences(of: "\n# the number\n", with: " ").replacingOccurrences(of: "\n", with: " ")
        let expected = try Seg.run(["-c", oneLine])
        #expect(expected.status == 0, "\(expected.stderr)")
        for r in [try Seg.run(["-c", statement]), try Seg.run([], stdin: statement + "\n")] {
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == expected.stdout)
        }
    }

    @Test func aContinuationAfterAFinishedCommandIsStillAnError() throws {
        let r = try Seg.run([], stdin: "segments\ncount\n")
        #expect(r.status == 65, "\(r.stderr)")
    }
}

@Suite("issue 16: lock files, snapshots and diffs")
struct SnapshotSafetyTests {
    @Test func noLockFileIsLeftBehind() throws {
        let dir = try Seg.temporaryDirectory().path
        let r = try Seg.run(["-c", "save rich = clients where assets > 5m", "-c", "drop rich", "-c", "save old = clients where age > 70"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(files == ["segments.seg"], "\(files)")
    }

    @Test func snapshotOfAnUnsavedSegmentIsRefused() throws {
        let dir = try Seg.temporaryDirectory().path
        let r = try Seg.run(["-c", "let tmp = clients where age > 90", "-c", "snapshot tmp"], directory: dir)
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("'tmp' is not saved in the library, so a later diff could not find it; 'save tmp' first"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/.seg"))
        _ = try Seg.run(["-c", "save rich = clients where assets > 5m"], directory: dir)
        let changed = try Seg.run(["-c", "let rich = clients where assets > 6m", "-c", "snapshot rich"], directory: dir)
        #expect(changed.status == 65 && changed.stderr.contains("'rich' differs from its definition in the library"), "\(changed.stderr)")
    }

    @Test func diffSaysTheDefinitionChanged() throws {
        let dir = try Seg.temporaryDirectory().path
        let first = try Seg.run(["-c", "save rich = clients where assets > 5m", "-c", "snapshot rich"], directory: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let same = try Seg.run(["--format", "jsonl", "-c", "diff rich"], directory: dir)
        #expect(!same.stdout.contains("definition"), "\(same.stdout)")
        let r = try Seg.run(["--format", "jsonl", "-c", "save rich = clients where assets > 8m", "-c", "diff rich"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let firstLine = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.contains("\"change\":\"definition\""), "\(firstLine)")
        #expect(firstLine.contains("was clients where assets > 5m, now clients where assets > 8m"), "\(firstLine)")
    }

    /// The footer counts clients' changes; the definition row is a note about them.
    @Test func theDefinitionRowIsNotCounted() throws {
        let dir = try Seg.temporaryDirectory().path
        _ = try Seg.run(["-c", "save rich = clients where assets > 20m", "-c", "snapshot rich"], directory: dir)
        for (lang, footer) in [("en", "\n64 changes\n"), ("zh", "\n共 64 项变化\n")] {
            let r = try Seg.run(["--lang", lang, "--format", "table", "-c", "save rich = clients where assets > 20m and age < 0", "-c", "diff rich"],
                                directory: dir)
            #expect(r.status == 0, "\(r.stderr)")
            let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix(" left ") || $0.hasPrefix(" 离开 ") }.count
            #expect(rows == 64)
            #expect(r.stdout.hasSuffix(footer), "\(r.stdout.suffix(200))")
        }
    }
}

@Suite("issue 16: value suggestions")
struct ValueSuggestionTests {
    @Test(arguments: [("深证", "深圳"), ("上悔", "上海"), ("avrese", "averse")])
    func aTypoGetsTheClosestValue(_ typo: String, _ meant: String) throws {
        let field = meant == "averse" ? "risk" : "city"
        let r = try Seg.run(["-c", "clients where \(field) = \(typo) count"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("unknown value '\(typo)' for field '\(field)' (did you mean '\(meant)'?)"), "\(r.stderr)")
    }
}

@Suite("issue 16: masking")
struct MaskingTests {
    static let statement = "clients where id = C001 show id, name, phone"

    @Test(arguments: ["table", "csv", "tsv", "json", "jsonl", "markdown"])
    func everyFormatIsMasked(_ format: String) throws {
        let (dir, _, _) = try folderWithBook()
        let r = try Seg.run(["--data", "book.csv", "--mask", "phone,name", "--format", format, "-c", Self.statement], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("138****0001") && r.stdout.contains("王*"), "\(r.stdout)")
        #expect(!r.stdout.contains("13800000001") && !r.stdout.contains("王伟"), "\(r.stdout)")
        #expect(r.stdout.contains("C001"))
    }

    @Test func computedValuesGroupsAndHeadingsAreMasked() throws {
        let (dir, _, _) = try folderWithBook()
        for statement in ["clients where id = C001 show phone as tel", "clients where id = C001 show upper(name)",
                          "clients where id = C001 by phone show phone, count", "clients where id = C001 show max(phone)"] {
            let r = try Seg.run(["--data", "book.csv", "--mask", "phone,name", "--format", "jsonl", "-c", statement], directory: dir)
            #expect(r.status == 0, "\(statement): \(r.stderr)")
            #expect(!r.stdout.contains("13800000001") && !r.stdout.contains("王伟"), "\(statement): \(r.stdout)")
        }
    }

    @Test func whyAndDiffDetailsAreMasked() throws {
        let (dir, _, _) = try folderWithBook()
        let setup = try Seg.run(["--data", "book.csv", "-c", "save p = clients where phone > \"13800000002\"", "-c", "snapshot p"], directory: dir)
        #expect(setup.status == 0, "\(setup.stderr)")
        let why = try Seg.run(["--data", "book.csv", "--mask", "phone", "--format", "jsonl", "-c", "why C003 in p"], directory: dir)
        #expect(why.status == 0 && why.stdout.contains("138****0003") && !why.stdout.contains("13800000003"), "\(why.stdout) \(why.stderr)")
        let edited = try String(contentsOfFile: dir + "/book.csv", encoding: .utf8).replacingOccurrences(of: "13800000003", with: "13900000003")
        try edited.write(toFile: dir + "/book.csv", atomically: true, encoding: .utf8)
        let diff = try Seg.run(["--data", "book.csv", "--mask", "phone,name", "--format", "jsonl", "-c", "diff p"], directory: dir)
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("138****0003 → 139****0003") && !diff.stdout.contains("13900000003"), "\(diff.stdout)")
        #expect(!diff.stdout.contains("张强"), "\(diff.stdout)")
    }

    @Test func theLibraryDefaultMasksUntilAskedOtherwise() throws {
        let (dir, _, _) = try folderWithBook()
        try "# mask: phone, name\nlet sh = clients where city = 上海\n".write(toFile: dir + "/segments.seg", atomically: true, encoding: .utf8)
        let masked = try Seg.run(["--data", "book.csv", "-c", Self.statement], directory: dir)
        #expect(masked.status == 0 && masked.stdout == "id,name,phone\nC001,王*,138****0001\n", "\(masked.stdout) \(masked.stderr)")
        let plain = try Seg.run(["--data", "book.csv", "--no-mask", "-c", Self.statement], directory: dir)
        #expect(plain.stdout == "id,name,phone\nC001,王伟,13800000001\n", "\(plain.stdout)")
        let dot = try Seg.run(["--data", "book.csv"], stdin: ".mask off\n\(Self.statement)\n", directory: dir)
        #expect(dot.stdout == "id,name,phone\nC001,王伟,13800000001\n", "\(dot.stdout) \(dot.stderr)")
    }

    @Test func dotMaskAndBadMasks() throws {
        let (dir, _, _) = try folderWithBook()
        let r = try Seg.run(["--data", "book.csv"], stdin: ".mask phone\n\(Self.statement)\n", directory: dir)
        #expect(r.stdout == "id,name,phone\nC001,王伟,138****0001\n", "\(r.stdout) \(r.stderr)")
        let typo = try Seg.run(["--data", "book.csv", "--mask", "phnoe", "-c", Self.statement], directory: dir)
        #expect(typo.status == 64 && typo.stderr.contains("cannot mask 'phnoe': no such field (did you mean 'phone'?)"), "\(typo.stderr)")
        #expect(typo.stdout.isEmpty)
        let both = try Seg.run(["--mask", "phone", "--no-mask", "-c", "clients count"])
        #expect(both.status == 64)
    }

    @Test func rules() throws {
        let (dir, _, _) = try folderWithBook()
        let csv = "id,name,email,phone\n1,张三丰,wang@qq.com,13812341234\n2,Li Na,x@163.com,+86 138 1234 5678\n3,张三,,\n"
        try csv.write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
        let r = try Seg.run(["--data", "p.csv", "--mask", "name,email,phone", "-c", "clients show name, email, phone"], directory: dir)
        #expect(r.stdout == "name,email,phone\n张*丰,w***@qq.com,138****1234\nL** Na,x***@163.com,'+86 1** **** 5678\n张*,,\n", "\(r.stdout) \(r.stderr)")
    }
}

@Suite("issue 16: Chinese messages")
struct ChineseEndToEndTests {
    @Test func langAndLocalePickChinese() throws {
        for (arguments, environment) in [(["--lang", "zh"], [String: String]()), ([], ["LANG": "zh_CN.UTF-8", "LC_ALL": ""])] {
            let r = try Seg.run(arguments + ["-c", "clients where city = 深证 count"], environment: environment)
            #expect(r.status == 65)
            #expect(r.stderr.hasPrefix("错误：字段 'city' 没有值 '深证'（您是不是想写 '深圳'？）\n"), "\(r.stderr)")
            let table = try Seg.run(arguments + ["--format", "table", "-c", "clients where city = 深圳 limit 2 show id"], environment: environment)
            #expect(table.stdout.hasSuffix("显示 2 / 共 2,204 位客户\n"), "\(table.stdout)")
        }
        let english = try Seg.run(["-c", "clients where city = 深证 count"], environment: ["LANG": "C.UTF-8", "LC_ALL": ""])
        #expect(english.stderr.hasPrefix("error: unknown value '深证' for field 'city' (did you mean '深圳'?)"), "\(english.stderr)")
        let forced = try Seg.run(["--lang", "en", "-c", "clients where city = 深证 count"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(forced.stderr.hasPrefix("error: unknown value"), "\(forced.stderr)")
        let bad = try Seg.run(["--lang", "fr", "-c", "clients count"])
        #expect(bad.status == 64 && bad.stderr.contains("unknown language 'fr'; choose en or zh"), "\(bad.stderr)")
    }

    /// Help screens follow --lang and the locale; English stays the default.
    @Test func helpInChinese() throws {
        let zh = ["LANG": "zh_CN.UTF-8", "LC_ALL": ""], en = ["LANG": "C.UTF-8", "LC_ALL": ""]
        for (arguments, environment) in [(["--lang", "zh", "--help"], en), (["--help"], zh), (["-h"], zh), (["help"], zh)] {
            let r = try Seg.run(arguments, environment: environment)
            #expect(r.status == 0 && r.stdout.hasPrefix("概要：快速找到合适的客户"), "\(arguments): \(r.stdout.prefix(200))")
            #expect(r.stdout.contains("  --mask <field,…>        在所有输出格式"), "\(arguments)")
        }
        for (arguments, start) in [(["generate", "--help"], "概要：按确定的方式写出一个演示客户表"), (["sql", "--help"], "概要：打印 seg 语句对应的 SQL"),
                                   (["help", "language"], "seg 查询语言参考\n"), (["--lang", "zh", "help", "language"], "seg 查询语言参考\n")] {
            let r = try Seg.run(arguments, environment: zh)
            #expect(r.status == 0 && r.stdout.hasPrefix(start), "\(arguments): \(r.stdout.prefix(200))")
        }
        let reference = try Seg.run(["--lang", "zh", "help", "language"], environment: en)
        #expect(reference.stdout.contains("days_since(last_contact) > 180          从该日期到今天的整天数"), "\(reference.stdout)")
        let english = try Seg.run(["--help"], environment: en)
        #expect(english.status == 0 && english.stdout.hasPrefix("OVERVIEW: Find the right clients fast"), "\(english.stdout.prefix(200))")
        let englishReference = try Seg.run(["help", "language"], environment: en)
        #expect(englishReference.stdout.hasPrefix("seg language reference\n"))
        let forced = try Seg.run(["--lang", "en", "--help"], environment: zh)
        #expect(forced.stdout.hasPrefix("OVERVIEW:"), "\(forced.stdout.prefix(100))")
        // The subcommands' errors follow --lang and the locale too.
        let sql = try Seg.run(["--lang", "zh", "sql", "clients where city = 深证"], environment: en)
        #expect(sql.status == 65 && sql.stderr.hasPrefix("错误：字段 'city' 没有值 '深证'"), "\(sql.stderr)")
        let sqlEnglish = try Seg.run(["sql", "clients where city = 深证"], environment: en)
        #expect(sqlEnglish.stderr.hasPrefix("error: unknown value '深证'"), "\(sqlEnglish.stderr)")
        let generate = try Seg.run(["generate", "--rows", "1", "--output", "/nonexistent-dir/x.csv"], environment: zh)
        #expect(generate.status == 74 && generate.stderr.hasPrefix("错误：无法创建 '/nonexistent-dir/x.csv'"), "\(generate.stderr)")
        // The system's reason in Chinese too.
        #expect(generate.stderr == "错误：无法创建 '/nonexistent-dir/x.csv'：没有这个文件或文件夹\n", "\(generate.stderr)")
        let missing = try Seg.run(["--data", "/nonexistent.csv", "-c", "clients count"], environment: zh)
        #expect(missing.status == 66 && missing.stderr == "错误：无法打开 '/nonexistent.csv'：没有这个文件或文件夹\n", "\(missing.status) \(missing.stderr)")
    }

    /// The Chinese --help screens are written by hand beside the generated English ones: each
    /// lists the same options, so a new option cannot be left out of one of them.
    @Test func chineseHelpListsEveryOption() throws {
        let zh = ["LANG": "zh_CN.UTF-8", "LC_ALL": ""], en = ["LANG": "C.UTF-8", "LC_ALL": ""]
        /// The options that start a line of the screen (`  --data <…>`, `  -c, --command`).
        func options(_ screen: String) -> Set<String> {
            var found = Set<String>()
            for line in screen.split(separator: "\n") {
                let words = line.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
                for word in words.prefix(2) where word.hasPrefix("--") && word.count > 2
                    && word.dropFirst(2).allSatisfy({ $0.isASCII && ($0.isLowercase || $0 == "-") }) {
                    found.insert(word)
                }
            }
            return found
        }
        for command in [[], ["sql"], ["generate"], ["plan"], ["kpi"]] {
            let english = try Seg.run(command + ["--help"], environment: en)
            let chinese = try Seg.run(command + ["--help"], environment: zh)
            #expect(english.status == 0 && chinese.status == 0)
            #expect(options(english.stdout).count > 3, "\(command): \(options(english.stdout))")
            #expect(options(chinese.stdout) == options(english.stdout),
                    "\(command): only in English \(options(english.stdout).subtracting(options(chinese.stdout))), only in Chinese \(options(chinese.stdout).subtracting(options(english.stdout)))")
        }
    }

    /// The argument parser's refusals, in its own English by default and from the catalogue in
    /// Chinese, with the same exit code (64).
    @Test func commandLineRefusalsInChinese() throws {
        let zh = ["LANG": "zh_CN.UTF-8", "LC_ALL": ""], en = ["LANG": "C.UTF-8", "LC_ALL": ""]
        let cases: [([String], String)] = [
            (["--frob"], "错误：未知的选项 '--frob'（您是不是想写 '--db'？）；参见 'seg --help'\n"),
            (["--data"], "错误：选项 '--data <[name=]path>' 缺少值；参见 'seg --help'\n"),
            (["a.seg", "b.seg"], "错误：多余的参数 'b.seg'；参见 'seg --help'\n"),
            (["generate", "--rows", "abc"], "错误：值 'abc' 不适用于 '--rows <rows>'；参见 'seg generate --help'\n"),
        ]
        for (arguments, expected) in cases {
            let r = try Seg.run(arguments, environment: zh)
            #expect(r.status == 64 && r.stderr == expected, "\(arguments): \(r.status) \(r.stderr)")
            let english = try Seg.run(arguments, environment: en)
            #expect(english.status == 64 && english.stderr.hasPrefix("Error: "), "\(arguments): \(english.stderr)")
        }
    }

    /// The prompt's listings and the computed results speak Chinese: .tables, .fields, .load,
    /// .help, and the headings of explain, why, segments, snapshots and diff.
    @Test func listingsAndHeadingsInChinese() throws {
        let (dir, _, _) = try folderWithBook()
        let script = ".tables\n.fields\n.fields risk\n.load book.csv as small\n.help\n"
        let r = try Seg.run(["--lang", "zh"], stdin: script, directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        // The demo book's related tables follow clients (issue 15), then their links.
        for expected in ["clients   10,000 行 · 20 个字段 · 演示数据\n", "holdings  ", "  holdings.client_id → clients.id\n",
                         "还没有细分（用 let NAME = QUERY 定义）\n",
                         "字段          类型       缺失\n", "risk：category · 缺失 0 · 5 个不同值\n", "small：4 行 · 11 个字段\n",
                         "输入一条语句后按回车", "  .tables                   各表及行数，以及已定义的细分\n"] {
            #expect(r.stdout.contains(expected), "\(expected) in \(r.stdout)")
        }
        let results = try Seg.run(["--lang", "zh", "--format", "table", "-c", "explain clients where risk = averse and assets > 1m",
                                   "-c", "save rich = clients where assets > 20m", "-c", "snapshot rich", "-c", "segments",
                                   "-c", "snapshots rich", "-c", "why C0000042 in rich", "-c", "diff rich"], directory: dir)
        #expect(results.status == 0, "\(results.stderr)")
        for expected in [" 步骤 │ 条件          │   剩余\n", "共 3 步\n", " 名称 │ 人数 │ 已保存 │ 定义\n", " 日期       │ 成员数 │ 文件\n",
                         " 条件         │ 取值                 │ 结果\n", "C0000042 不属于 rich", "共 0 项变化\n"] {
            #expect(results.stdout.contains(expected), "\(expected) in \(results.stdout)")
        }
        // The same in English, as before.
        let english = try Seg.run(["--format", "table", "-c", "explain clients where risk = averse", "-c", "why C0000042 in rich"], directory: dir)
        #expect(english.stdout.contains(" step │ condition     │ remaining\n") && english.stdout.contains("C0000042 is not in rich"),
                "\(english.stdout)")
    }

    @Test func exportRefusalsInChinese() throws {
        let (dir, book, bytes) = try folderWithBook()
        let r = try Seg.run(["--lang", "zh", "--data", "book.csv", "--output", "book.csv", "--force", "-c", "clients count"], directory: dir)
        #expect(r.status == 64)
        #expect(r.stderr == "错误：拒绝写入 'book.csv'：它是作为表 'clients' 加载的数据文件；没有写入任何内容，文件保持不变\n", "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: book)) == bytes)
    }
}

@Suite("issue 16: masking in .fields")
struct MaskedFieldsTests {
    @Test func fieldsShowsMaskedValues() throws {
        let plain = try Seg.run([], stdin: ".fields city\n")
        #expect(plain.stdout.contains("深圳"), "\(plain.stdout)")
        let r = try Seg.run(["--mask", "city"], stdin: ".fields city\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("深***") && !r.stdout.contains("深圳"), "\(r.stdout)")
    }
}
