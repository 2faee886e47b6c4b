import Foundation
import SegBase

/// Reads a script of statements (`seg SCRIPT.seg`, `.read SCRIPT`).
public enum ScriptFile {
    /// The script's text; a missing file, a folder or an unreadable file is an error naming it.
    public static func read(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SegError(.missingInput, .file(.failed(.open, path: path, reason: FileMessage.reason(ENOENT))))
        }
        if isDirectory.boolValue { throw SegError(.usage, .file(.isDirectory(.read, path: path))) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SegError(.io, .file(.failed(.read, path: path, reason: nil)))
        }
        return String(decoding: data, as: UTF8.self)
    }
}
