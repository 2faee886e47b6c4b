#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
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
switch arguments.first {
case "generate":
    Generate.main(Array(arguments.dropFirst()))
case "sql":
    SQLCommand.main(Array(arguments.dropFirst()))
case "help" where arguments.count >= 2 && arguments[1] == "language":
    print(LanguageReference.text, terminator: "")
case "help":
    print(SegCommand.helpMessage())
default:
    SegCommand.main(arguments)
}
