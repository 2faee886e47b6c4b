#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import SegCore

/// A plain line-reading prompt (no line editing): statements may span lines while unfinished.
struct PlainPrompt {
    var session: Session

    mutating func run() throws {
        let output = Output(.fileDescriptor(STDOUT_FILENO))
        let color = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let count = session.catalog.tables.first.map { FixedPoint.format(Int64($0.rowCount), grouping: true) } ?? "0"
        let origin = session.catalog.tables.first?.origin ?? ""
        try output.write("\(origin): \(count) clients · \(session.catalog.tables.first?.columns.count ?? 0) fields · type a statement, .quit to leave\n")
        var pending = ""
        while true {
            try output.write(pending.isEmpty ? "seg> " : "  ..> ")
            try output.flush()
            guard let line = readLine(strippingNewline: true) else {
                try output.write("\n")
                break
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && (trimmed == ".quit" || trimmed == ".exit") { break }
            pending += pending.isEmpty ? line : "\n" + line
            if Parser.needsMoreInput(pending) { continue }
            let text = pending
            pending = ""
            do {
                try session.run(Source(name: "", text: text), output: output)
            } catch let error as SegError {
                if error.kind == .outputClosed { return }
                FileHandle.standardError.write(Data(error.render(color: color).utf8))
            } catch let errors as SegErrors {
                FileHandle.standardError.write(Data(errors.errors.map { $0.render(color: color) }.joined().utf8))
            }
        }
        try output.flush()
    }
}
