#if canImport(Glibc)
@preconcurrency import Glibc
#endif

// Reading and writing files. `reason` is the system's own words (strerror).

/// What seg tried to do with a file.
public enum FileAction: Sendable, Equatable {
    case open, read, create, write, replace, openLockFile, lock, createFolder, readAndWrite, readLink, follow, load

    var english: String {
        switch self {
        case .open: return "open"
        case .read: return "read"
        case .create: return "create"
        case .write: return "write"
        case .replace: return "replace"
        case .openLockFile: return "open the lock file"
        case .lock: return "lock"
        case .createFolder: return "create the folder"
        case .readAndWrite: return "read and write"
        case .readLink: return "read the link"
        case .follow: return "follow"
        case .load: return "load"
        }
    }
}

/// What a file that is not a regular file is.
public enum FileKind: Sendable, Equatable {
    case folder, characterDevice, blockDevice, fifo, socket, symbolicLink, other

    var english: String {
        switch self {
        case .folder: return "a folder"
        case .characterDevice: return "a character device"
        case .blockDevice: return "a block device"
        case .fifo: return "a FIFO (named pipe)"
        case .socket: return "a socket"
        case .symbolicLink: return "a symbolic link"
        case .other: return "not a regular file"
        }
    }
}

/// A file seg will never write an export over.
public enum ProtectedFile: Sendable, Equatable {
    /// A data file loaded as this table.
    case data(table: String)
    case segmentLibrary
    /// A file of the snapshot store (`.seg/snapshots`).
    case snapshot
    /// The script being run.
    case script

    var english: String {
        switch self {
        case .data(let table): return "the data file loaded as table '\(table)'"
        case .segmentLibrary: return "the segment library"
        case .snapshot: return "a snapshot file"
        case .script: return "the script being run"
        }
    }
}

/// How to replace a file that exists, where seg did not ask.
public enum ReplaceAdvice: Sendable, Equatable {
    /// In a script, -c or standard input: `.output! FILE`, or `--force`.
    case script
    /// `--output FILE` on the command line: `--force`.
    case commandLine
    /// At the prompt the answer was no.
    case declined
}

public indirect enum FileMessage: Sendable, Equatable {
    /// An export refused because `path` is a file seg read or keeps (it is left byte for byte).
    case protected(path: String, ProtectedFile)
    /// An export refused because `path` exists and replacing it was not asked for.
    case exists(path: String, ReplaceAdvice)
    /// The prompt's question before an export replaces a file.
    case replaceQuestion(path: String)
    /// `cannot replace 'x': it is a FIFO (named pipe), not a regular file`
    case notRegular(FileAction, path: String, kind: FileKind)
    /// `cannot open 'x': No such file or directory`
    case failed(FileAction, path: String, reason: String?)
    /// `cannot read 'x': it is a directory`
    case isDirectory(FileAction, path: String)
    /// Standard output (or an export) refused a write.
    case outputFailed(reason: String)
    /// The reader of the output went away (`seg … | head`).
    case outputClosed
    /// A failed export to `path`: what failed, and whether the file kept its old contents (nil:
    /// a device or pipe, written directly).
    case exportFailed(path: String, failure: Message, unchanged: Bool?)

    var english: String {
        switch self {
        case .protected(let path, let what):
            return "refusing to write '\(path)': it is \(what.english); nothing was written and it is unchanged"
        case .exists(let path, let advice):
            switch advice {
            case .script: return "'\(path)' already exists; to replace it write .output! \(path) (or run seg with --force)"
            case .commandLine: return "'\(path)' already exists; add --force to replace it"
            case .declined: return "'\(path)' kept; results go to the screen"
            }
        case .replaceQuestion(let path): return "'\(path)' exists; replace it? [y/N] "
        case .notRegular(let action, let path, let kind):
            return "cannot \(action.english) '\(path)': it is \(kind.english), not a regular file"
        case .failed(let action, let path, let reason): return "cannot \(action.english) '\(path)'" + (reason.map { ": \($0)" } ?? "")
        case .isDirectory(let action, let path): return "cannot \(action.english) '\(path)': it is a directory"
        case .outputFailed(let reason): return "cannot write output: \(reason)"
        case .outputClosed: return "output closed"
        case .exportFailed(let path, let failure, let unchanged):
            var text = failure.text(in: .english)
            // The output's own words say "output"; name the file.
            if case .file(.outputFailed(let reason)) = failure { text = "cannot write '\(path)': \(reason)" }
            guard let unchanged else { return text }
            return text + "; '\(path)' " + (unchanged ? "is unchanged" : "was not created")
        }
    }
}

extension FileMessage {
    /// The system's words for `errno` value `code`.
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
