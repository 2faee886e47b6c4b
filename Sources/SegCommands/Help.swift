import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegSemantics
import SegEngine
import SegIO
/// The text of `seg help language` and the REPL's `.help language`.
public enum LanguageReference {
    /// One line per registry function of a date: an example, then what it gives.
    static func functionLines(_ language: Language) -> String {
        Functions.scalars.filter { $0.arguments.first == .date }.map { "  " + pad($0.example, to: 40) + summary($0.name, $0.summary, language) }
            .joined(separator: "\n")
    }

    /// One line per other registry function.
    static func otherFunctionLines(_ language: Language) -> String {
        Functions.scalars.filter { $0.arguments.first != .date }.map { "  " + pad($0.example, to: 40) + summary($0.name, $0.summary, language) }
            .joined(separator: "\n")
    }

    /// One line per registry aggregate.
    static func aggregateLines(_ language: Language) -> String {
        Functions.aggregates.map { a in
            let call = a.heading.map { $0("field") } ?? (a.allowsNoArgument ? a.name : a.takesFraction ? "\(a.name)(field, p)" : "\(a.name)(field)")
            return "  " + pad(call, to: 34) + summary(a.name, a.summary, language)
        }
            .joined(separator: "\n")
            + "\n  " + pad("pct(aggregate)", to: 34) + summary(Functions.share.name, Functions.share.summary, language)
    }

    /// A registry entry's summary: its own (English), or the catalogue's Chinese one.
    static func summary(_ name: String, _ english: String, _ language: Language) -> String {
        language == .chinese ? chineseFunctionSummary(name) ?? english : english
    }

    static func pad(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - DisplayWidth.of(text)))
    }

    /// The reference in English.
    public static var text: String { text(in: .english) }

    /// The reference in `language`.
    public static func text(in language: Language) -> String {
        HelpText.languageReference(dateFunctions: functionLines(language), otherFunctions: otherFunctionLines(language),
                                   aggregates: aggregateLines(language)).text(in: language)
    }
}
