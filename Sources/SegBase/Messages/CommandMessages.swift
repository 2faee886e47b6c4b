// The messages of the commands on segments: the library, save and drop, snapshots and diffs.

/// What is wrong inside a snapshot file.
public enum SnapshotDamage: Sendable, Equatable {
    case notUTF8
    case notASnapshot
    case truncatedBeforeHeader
    case headerWithoutID
    case truncatedBeforeEnd
    case unexpectedComment
    case memberCount(holds: Int, says: Int)
    case textAfterEnd
    case truncatedInRow
    case rowWidth(fields: Int, header: Int)
    case unclosedQuote
    case quoteInUnquotedField
    case textAfterQuote

    var english: String {
        switch self {
        case .notUTF8: return "it is not UTF-8 text"
        case .notASnapshot: return "the first line is not a seg snapshot header"
        case .truncatedBeforeHeader: return "it ends before its header row (the file is truncated)"
        case .headerWithoutID: return "the header row does not start with 'id'"
        case .truncatedBeforeEnd: return "it ends without its end line (the file is truncated)"
        case .unexpectedComment: return "unexpected comment line"
        case .memberCount(let holds, let says): return "it holds \(holds) members but says \(says)"
        case .textAfterEnd: return "text after the end line"
        case .truncatedInRow: return "it ends in the middle of a row (the file is truncated)"
        case .rowWidth(let fields, let header): return "a row has \(fields) fields, the header \(header)"
        case .unclosedQuote: return "a quoted field is not closed"
        case .quoteInUnquotedField: return "a quote inside an unquoted field"
        case .textAfterQuote: return "text after a closing quote"
        }
    }
}

public enum CommandMessage: Sendable, Equatable {
    case libraryHoldsOnlyLets
    case definedTwice(String, firstLine: Int)
    case libraryDefinedByItself(String)
    case libraryCycle([String])
    case libraryNotUTF8(path: String)
    case noLibraryToSave(String)
    case usesUnsaved(String, uses: String)
    case dropUsed(String, usedBy: String)
    case usesUnsavedField(String, field: String)
    case dropUsedField(String, usedBy: String)
    case damagedSnapshot(SnapshotDamage, segment: String)
    /// `'snapshot' keeps snapshots beside the segment library, and none is open`.
    case noLibraryForSnapshots(command: String)
    case noSnapshotYet(String)
    /// `snapshot net`: a derived field whose values are not labels.
    case snapshotNeedsLabels(String)
    case noSnapshotBefore(String, date: String, first: String)
    /// `snapshot NAME` of a segment not saved in the library (`changed`: saved, but the session
    /// has another definition).
    case snapshotOfUnsaved(String, changed: Bool)
    /// The first row of a `diff` whose segment was defined otherwise when the snapshot was taken.
    case definitionChanged(was: String, now: String)

    var english: String {
        switch self {
        case .libraryHoldsOnlyLets: return "a segment library holds only 'let NAME = QUERY' statements and comments"
        case .definedTwice(let name, let line): return "segment '\(name)' is defined twice (first on line \(line))"
        case .libraryDefinedByItself(let name): return "segment '\(name)' cannot be defined in terms of itself"
        case .libraryCycle(let names): return "segments refer to each other in a cycle: \(names.joined(separator: " → "))"
        case .libraryNotUTF8(let path): return "'\(path)' is not UTF-8 text"
        case .noLibraryToSave(let name): return "no segment library is open to save '\(name)' in (give --segments FILE)"
        case .usesUnsaved(let name, let uses): return "'\(name)' uses segment '\(uses)', which is not saved; save '\(uses)' first"
        case .dropUsed(let name, let user): return "cannot drop '\(name)': segment '\(user)' uses it; drop or redefine '\(user)' first"
        case .usesUnsavedField(let name, let field):
            return "'\(name)' uses the derived field '\(field)', which is not saved; save '\(field)' first"
        case .dropUsedField(let name, let user): return "cannot drop field '\(name)': '\(user)' uses it; drop or redefine '\(user)' first"
        case .damagedSnapshot(let damage, let segment):
            return "damaged snapshot: \(damage.english); take a new one with 'snapshot \(segment)'"
        case .noLibraryForSnapshots(let command):
            return "'\(command)' keeps snapshots beside the segment library, and none is open (give --segments FILE)"
        case .snapshotNeedsLabels(let name):
            return "'\(name)' is a derived field but not a classification; a snapshot takes a segment or a classification's labels (let field \(name) = A when …, else B)"
        case .noSnapshotYet(let name): return "no snapshot of '\(name)' yet; run 'snapshot \(name)' first"
        case .noSnapshotBefore(let name, let date, let first): return "no snapshot of '\(name)' on or before \(date) (the first is \(first))"
        case .snapshotOfUnsaved(let name, let changed):
            return changed
                ? "'\(name)' differs from its definition in the library; 'save \(name)' first, so a later diff compares like with like"
                : "'\(name)' is not saved in the library, so a later diff could not find it; 'save \(name)' first"
        case .definitionChanged(let was, let now):
            return "the segment's definition changed since the snapshot: was \(was), now \(now); clients may have entered or left because of it"
        }
    }
}
