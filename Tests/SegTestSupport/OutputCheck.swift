import Foundation
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

/// Checks the promise that no output format ever emits invalid UTF-8 or invalid JSON, whatever
/// the input: used by the property tests and inside the fuzz targets.
public enum OutputCheck {
    /// Runs each statement on `table` in every output format and returns what is wrong with the
    /// output (empty when nothing is): bytes that are not valid UTF-8, `json` output that is not
    /// one JSON array, `jsonl` lines that are not JSON objects (strict RFC 8259, and as
    /// Foundation's JSONSerialization reads them). A statement that fails with an
    /// error is fine (its message is a Swift string, valid by construction).
    public static func problems(_ table: Table, statements: [String], today: Int = 20_000) -> [String] {
        var found: [String] = []
        // xlsx is a zip of XML, not text: seg reads its workbooks back in OutputsEndToEndTests.
        for format in OutputFormat.allCases where format != .xlsx {
            let options = SessionOptions(today: today, writer: WriterOptions(format: format, terminalWidth: 60, maxRows: 50))
            var session = Session(tables: [table], options: options)
            for statement in statements {
                let output = Output(.memory)
                do {
                    try session.run(Source(name: "", text: statement), output: output)
                    try output.flush()
                } catch {
                    continue
                }
                if let problem = problem(output.captured, format: format) {
                    found.append("\(format) output of `\(statement)`: \(problem)")
                }
            }
        }
        return found
    }

    /// What is wrong with `bytes` as output in `format`, or nil.
    public static func problem(_ bytes: [UInt8], format: OutputFormat) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let at = firstInvalidByte(bytes)
            return "invalid UTF-8 at byte \(at) of \(bytes.count)"
        }
        switch format {
        case .json:
            // Foundation's parser is lenient (a trailing comma passes): StrictJSON as well.
            if let problem = StrictJSON.problem(bytes) { return "not JSON (\(problem)): \(text.prefix(200).debugDescription)" }
            guard (try? JSONSerialization.jsonObject(with: Data(bytes))) is [Any] else {
                return "not a JSON array: \(text.prefix(200).debugDescription)"
            }
        case .jsonl:
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                if let problem = StrictJSON.problem(Array(line.utf8)) {
                    return "a line that is not JSON (\(problem)): \(line.prefix(200).debugDescription)"
                }
                guard (try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any] else {
                    return "a line that is not a JSON object: \(line.prefix(200).debugDescription)"
                }
            }
        default:
            break
        }
        return nil
    }

    static func firstInvalidByte(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { b in
            do throws(UTF8.ValidationError) {
                _ = try UTF8Span(validating: b.span)
                return b.count
            } catch {
                return error.byteOffsets.lowerBound
            }
        }
    }
}
