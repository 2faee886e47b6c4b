#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import SegBase

/// Where the prompt's history lives and whether seg may use that file.
public enum HistoryFile {
    /// The first line of a libedit history file.
    public static let header = "_HiStOrY_V2_"
    public static let defaultSize = 5_000

    /// `$SEG_HISTORY`, else `$XDG_STATE_HOME/seg/history`, else `~/.local/state/seg/history`.
    public static func path(environment: [String: String]) -> String? {
        if let p = environment["SEG_HISTORY"], !p.isEmpty { return p }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/seg/history" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/state/seg/history" }
        return nil
    }

    /// Entries kept: `$SEG_HISTORY_SIZE` when it is a positive number, else 5,000.
    public static func size(environment: [String: String]) -> Int {
        if let s = environment["SEG_HISTORY_SIZE"], let n = Int(s), n > 0 { return n }
        return defaultSize
    }

    public enum State: Equatable, Sendable {
        /// No file yet: the first save creates it (mode 0600).
        case absent
        /// A libedit history file seg can read and write.
        case usable
        /// Never write it: the reason, for a one-time note.
        case unusable(HistoryProblem)
    }

    /// Thrown when the file turned unusable between two saves.
    struct Unusable: Error {
        var problem: HistoryProblem
    }

    /// Creates missing parent directories (mode 0700) and checks the file: it must be readable,
    /// writable and start with libedit's header (a readline history, say, is left alone).
    public static func prepare(_ path: String) -> State {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                return .unusable(.cannotCreateFolder(directory))
            }
        }
        return state(of: path)
    }

    /// Whether seg may write the file at `path`; checked again before every save, so a file
    /// another program put there meanwhile is never overwritten.
    public static func state(of path: String) -> State {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .absent }
        if isDirectory.boolValue { return .unusable(.isDirectory(path)) }
        // A FIFO or device: opening it to look would block (a FIFO waits for a writer) or never end.
        var info = stat()
        if stat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG {
            return .unusable(.notARegularFile(path))
        }
        guard access(path, R_OK | W_OK) == 0 else { return .unusable(.notReadableAndWritable(path)) }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .unusable(.notReadable(path)) }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: header.utf8.count + 1)) ?? Data()
        if start.isEmpty { return .absent }
        guard start.starts(with: Data(header.utf8)) else {
            return .unusable(.notAHistoryFile(path))
        }
        return .usable
    }

    /// Escapes a multi-line statement's line breaks away when no line holds a comment, so the
    /// entry recalls on one line; with a comment the line breaks must stay.
    public static func entry(for statement: String) -> String {
        let lines = statement.split(separator: "\n", omittingEmptySubsequences: true)
        if lines.count <= 1 { return statement.trimmingCharacters(in: .whitespacesAndNewlines) }
        if lines.contains(where: { $0.contains("#") || $0.contains("--") }) { return statement }
        return lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
