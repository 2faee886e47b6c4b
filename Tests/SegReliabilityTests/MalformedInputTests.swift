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

// The malformed-input corpus (Tests/corpus/malformed/, written by Tests/corpus/generate-malformed.py):
// every file either loads or is refused with one typed error naming file:line:column; none crashes
// or hangs. The outcome of each file is recorded in Tests/corpus/malformed/EXPECTED (review the
// diff after `SEG_RECORD=1 swift test --filter malformed`). A sample also goes through the real
// binary, which must exit 0 or 65 (64 for a bad override) with the same message.

enum MalformedCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("corpus/malformed")
    static let expectedFile = root.appendingPathComponent("EXPECTED")

    static func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0 != "EXPECTED" }.sorted()
    }

    /// `name@col=type@col2=type.csv` → overrides.
    static func types(of file: String) -> [String: FieldType] {
        let stem = (file as NSString).deletingPathExtension
        var out: [String: FieldType] = [:]
        for part in stem.split(separator: "@").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2, let t = FieldType(rawValue: kv[1]) { out[kv[0]] = t }
        }
        return out
    }

    /// What loading a file gives, as one line: `ok 3 rows: id:text name:text` or `error data file:2:5: message`.
    static func outcome(of file: String, bytes: [UInt8]) -> String {
        do {
            let table = try DataLoader.load(bytes: bytes, fileName: file, format: nil, tableName: "clients", types: types(of: file))
            let columns = table.columns.prefix(6).map { "\($0.name.debugDescription):\($0.type.rawValue)" }
            let more = table.columns.count > 6 ? " +\(table.columns.count - 6) more" : ""
            return "ok \(table.rowCount) rows: \(columns.joined(separator: " "))\(more)"
        } catch let error as SegError {
            return "error \(error.kind) \(error.fileLocation ?? "-"): \(error.message)"
        } catch {
            return "error other: \(error)"
        }
    }

    static func expected() -> [String: String] {
        guard let text = try? String(contentsOf: expectedFile, encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            if parts.count == 2 { out[parts[0]] = parts[1] }
        }
        return out
    }
}

@Suite("malformed input corpus")
struct MalformedInputTests {
    @Test func corpusIsLargeEnough() {
        #expect(MalformedCorpus.files().count >= 200)
    }

    @Test func everyFileLoadsOrNamesItsPlace() throws {
        let record = ProcessInfo.processInfo.environment["SEG_RECORD"] == "1"
        let expected = MalformedCorpus.expected()
        var lines: [String] = []
        let clock = ContinuousClock()
        for file in MalformedCorpus.files() {
            let bytes = try [UInt8](Data(contentsOf: MalformedCorpus.root.appendingPathComponent(file)))
            let start = clock.now
            let outcome = MalformedCorpus.outcome(of: file, bytes: bytes)
            let elapsed = clock.now - start
            let megabytes = Double(bytes.count) / 1_048_576
            #expect(elapsed < .seconds(max(1, megabytes)), "\(file) took \(elapsed)")
            lines.append("\(file)\t\(outcome)")
            if outcome.hasPrefix("error ") {
                // A data error names file:line:column; only a bad override (usage) has no place.
                if outcome.hasPrefix("error data") {
                    let location = outcome.dropFirst("error data ".count).prefix { $0 != " " }
                    #expect(location.range(of: #"^\#(NSRegularExpression.escapedPattern(for: file)):\d+:\d+:$"#, options: .regularExpression) != nil,
                            "\(file): \(outcome)")
                } else {
                    #expect(outcome.hasPrefix("error usage"), "\(file): \(outcome)")
                }
                // Messages never echo the file's values: the corpus plants these markers in bad cells.
                #expect(!outcome.contains("Wa\"ng") && !outcome.contains("evil"), "\(file): \(outcome)")
            }
            if !record {
                #expect(expected[file] == outcome, "\(file)\n expected: \(expected[file] ?? "(nothing recorded)")\n actual:   \(outcome)")
            }
        }
        if record {
            try (lines.joined(separator: "\n") + "\n").write(to: MalformedCorpus.expectedFile, atomically: true, encoding: .utf8)
        }
    }

    /// Every eighth file through the real binary: exit status and message agree with in-process loading.
    @Test func sampleThroughTheBinary() throws {
        let expected = MalformedCorpus.expected()
        for (i, file) in MalformedCorpus.files().enumerated() where i % 8 == 0 {
            let path = MalformedCorpus.root.appendingPathComponent(file).path
            var arguments = ["--data", path, "--format", "csv", "-c", "clients count"]
            for (column, type) in MalformedCorpus.types(of: file) { arguments += ["--type", "\(column)=\(type.rawValue)"] }
            let r = try Seg.run(arguments)
            guard let outcome = expected[file] else { continue }
            if outcome.hasPrefix("ok ") {
                let rows = outcome.split(separator: " ")[1]
                #expect(r.status == 0 && r.stdout == "count\n\(rows)\n", "\(file): \(r.status) \(r.stderr)")
            } else if outcome.hasPrefix("error data") {
                #expect(r.status == 65, "\(file): \(r.status) \(r.stderr)")
                // The binary names the path it was given; the rest of the message is the same.
                let message = outcome.split(separator: ": ", maxSplits: 1).last.map(String.init) ?? ""
                #expect(r.stderr.contains(message), "\(file): \(r.stderr)")
                #expect(r.stderr.range(of: #":\d+:\d+: "#, options: .regularExpression) != nil, "\(file): \(r.stderr)")
            } else {
                #expect(r.status == 64, "\(file): \(r.status) \(r.stderr)")
            }
        }
    }

    // MARK: - Big inputs generated here (not committed)

    static func tenMegabytes(_ byte: UInt8 = UInt8(ascii: "x")) -> [UInt8] { [UInt8](repeating: byte, count: 10 << 20) }

    @Test func tenMegabyteFieldLoadsQuotedAndUnquoted() throws {
        let clock = ContinuousClock()
        for quoted in [true, false] {
            var bytes = Array("id,note\nC1,".utf8)
            if quoted { bytes.append(UInt8(ascii: "\"")) }
            bytes += Self.tenMegabytes()
            if quoted { bytes.append(UInt8(ascii: "\"")) }
            bytes += Array("\nC2,short\n".utf8)
            let start = clock.now
            let table = try DataLoader.load(bytes: bytes, fileName: "big.csv", format: .csv, tableName: "clients", types: [:])
            #expect(clock.now - start < .seconds(10))
            #expect(table.rowCount == 2)
            // Two distinct values make a category; either way the 10 MB value is kept whole.
            switch table.columns[1].data {
            case .text(let buffer): #expect(buffer.range(at: 0).count == 10 << 20)
            case .category(let codes, let dictionary): #expect(dictionary[Int(codes[0])].utf8.count == 10 << 20)
            default: Issue.record("the 10 MB column is \(table.columns[1].type)")
            }
        }
    }

    @Test func tenMegabyteUnterminatedFieldNamesItsStart() throws {
        var bytes = Array("id,note\nC1,a\nC2,\"".utf8)
        bytes += Self.tenMegabytes()
        let clock = ContinuousClock()
        let start = clock.now
        #expect {
            _ = try DataLoader.load(bytes: bytes, fileName: "big.csv", format: .csv, tableName: "clients", types: [:])
        } throws: { error in
            guard let e = error as? SegError else { return false }
            return e.kind == .data && e.fileLocation == "big.csv:3:4"
        }
        #expect(clock.now - start < .seconds(10))
    }

    @Test func tenMegabyteJSONStringAndDeepNesting() throws {
        var bytes = Array("[{\"id\":\"C1\",\"note\":\"".utf8)
        bytes += Self.tenMegabytes()
        bytes += Array("\"}]".utf8)
        let table = try DataLoader.load(bytes: bytes, fileName: "big.json", format: .json, tableName: "clients", types: [:])
        #expect(table.rowCount == 1)
        // 100,000 levels: an error with a place, not a stack overflow.
        let deep = Array(("[{\"a\":" + String(repeating: "[", count: 100_000)).utf8)
        #expect {
            _ = try DataLoader.load(bytes: deep, fileName: "deep.json", format: .json, tableName: "clients", types: [:])
        } throws: { error in
            (error as? SegError)?.fileLocation?.hasPrefix("deep.json:1:") ?? false
        }
    }
}
