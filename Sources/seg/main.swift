#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Foundation
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import SegCommands

// Writes to a closed pipe must fail with EPIPE (reported as a quiet stop), not kill the process.
signal(SIGPIPE, SIG_IGN)

let arguments = Array(CommandLine.arguments.dropFirst())

/// The language of help screens: `--lang` among the arguments, else the locale. swift-argument-
/// parser writes English help from the declarations; the Chinese screens are the catalogue's.
/// `rest`: the arguments without `--lang X`, so `seg --lang zh help language` finds its command.
let (helpLanguage, rest): (Language, [String]) = {
    var flag: String?
    var rest: [String] = []
    var i = 0
    while i < arguments.count {
        if arguments[i] == "--lang", i + 1 < arguments.count {
            flag = arguments[i + 1]
            i += 2
            continue
        }
        if arguments[i].hasPrefix("--lang=") { flag = String(arguments[i].dropFirst("--lang=".count)) } else { rest.append(arguments[i]) }
        i += 1
    }
    // A bad --lang is reported by the command itself.
    let language = (try? Language.resolve(flag: flag, environment: ProcessInfo.processInfo.environment)) ?? .english
    return (language, rest)
}()
let asksForHelp = arguments.contains("--help") || arguments.contains("-h")

switch rest.first {
case "generate" where asksForHelp && helpLanguage == .chinese:
    print(HelpText.generateCommand(generated: "").text(in: .chinese), terminator: "")
case "generate":
    ParserErrors.main(Generate.self, Array(rest.dropFirst()) + ["--lang", helpLanguage.rawValue], language: helpLanguage)
case "sql" where asksForHelp && helpLanguage == .chinese:
    print(HelpText.sqlCommand(generated: "").text(in: .chinese), terminator: "")
case "sql":
    ParserErrors.main(SQLCommand.self, Array(rest.dropFirst()) + ["--lang", helpLanguage.rawValue], language: helpLanguage)
case "plan" where asksForHelp && helpLanguage == .chinese:
    print(HelpText.planCommand(generated: "").text(in: .chinese), terminator: "")
case "plan":
    ParserErrors.main(PlanCommand.self, Array(rest.dropFirst()) + ["--lang", helpLanguage.rawValue], language: helpLanguage)
case "kpi" where asksForHelp && helpLanguage == .chinese:
    print(HelpText.kpiCommand(generated: "").text(in: .chinese), terminator: "")
case "kpi":
    ParserErrors.main(KPICommand.self, Array(rest.dropFirst()) + ["--lang", helpLanguage.rawValue], language: helpLanguage)
case "report" where !asksForHelp && !rest.contains(where: { $0 == "--html" || $0.hasPrefix("--html=") }):
    FileHandle.standardError.write(Data(SegError(.usage, .usage(.reportNeedsScript)).render(color: false, language: helpLanguage).utf8))
    exit(64)
case "report" where !asksForHelp:
    // `seg report SCRIPT --html FILE [options]`: the script's results as one page.
    ParserErrors.main(SegCommand.self, Array(rest.dropFirst()) + ["--lang", helpLanguage.rawValue], language: helpLanguage)
case "help" where rest.count >= 2 && rest[1] == "language":
    print(LanguageReference.text(in: helpLanguage), terminator: "")
case "help":
    print(HelpText.commandLine(generated: SegCommand.helpMessage() + "\n").text(in: helpLanguage), terminator: "")
case _ where asksForHelp && helpLanguage == .chinese:
    print(HelpText.commandLine(generated: "").text(in: .chinese), terminator: "")
default:
    ParserErrors.main(SegCommand.self, arguments, language: helpLanguage)
}
