public enum UsageMessage: Sendable, Equatable {
    func text(in language: Language) -> String {
        switch language {
        case .english: return english
        }
    }

    var english: String {
        switch self {
        }
    }
}
