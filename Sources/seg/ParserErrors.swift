#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Foundation
import SegBase

/// swift-argument-parser words its refusals in English only; in another language seg says them
/// from its own catalogue. Only the parser's first line is read, and only the shapes below: any
/// other refusal keeps the parser's own words.
enum ParserErrors {
    /// The problem in `message` (the parser's `message(for:)`), or nil when its shape is unknown.
    static func problem(in message: String) -> CommandLineProblem? {
        let line = String(message.split(separator: "\n", maxSplits: 1).first ?? "")
        let quoted = quotedParts(line)
        func first() -> String? { quoted.first }
        if line.hasPrefix("Unknown option "), let option = first() {
            return .unknownOption(option, suggestion: line.contains("Did you mean") ? quoted.dropFirst().first : nil)
        }
        if line.hasPrefix("Missing value for "), let option = first() { return .missingValue(option: option) }
        if line.hasPrefix("The value "), quoted.count >= 2 { return .invalidValue(quoted[0], option: quoted[1]) }
        if line.hasPrefix("Unexpected argument "), let argument = first() { return .unexpectedArgument(argument) }
        if line.hasPrefix("Missing expected argument "), let argument = first() { return .missingArgument(argument) }
        return nil
    }

    /// The texts between single quotes, in order.
    static func quotedParts(_ line: String) -> [String] {
        line.split(separator: "'", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// Parses `arguments` as `Command` and runs it; a refusal of the parser is said in `language`
    /// (exit 64), everything else goes the parser's usual way.
    static func main<Command: ParsableCommand>(_ command: Command.Type, _ arguments: [String], language: Language) {
        var parsed: ParsableCommand
        do {
            parsed = try Command.parseAsRoot(arguments)
        } catch {
            let words = Command.message(for: error)
            guard language != .english, Command.exitCode(for: error) == .validationFailure,
                  let problem = problem(in: words) else { Command.exit(withError: error) }
            let error = SegError(.usage, .usage(.commandLine(problem, help: Command.configuration.commandName ?? "seg")))
            let color = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            FileHandle.standardError.write(Data(error.render(color: color, language: language).utf8))
            Command.exit(withError: ExitCode(64))
        }
        do { try parsed.run() } catch { Command.exit(withError: error) }
    }
}
