#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Which file a path names, by device and inode, so that two spellings of one file (`./a.csv`,
/// `dir/../a.csv`, a hard or symbolic link) are seen as the same file.
public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    /// The file `path` names, following symbolic links; nil when there is none (yet).
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// True when `path` and `other` name one file: the same device and inode, or, when either
    /// does not exist yet (a library that `save` will create), the same resolved path.
    public static func same(_ path: String, _ other: String) -> Bool {
        if let a = FileIdentity(path: path), let b = FileIdentity(path: other) { return a == b }
        guard let a = resolvedPath(path), let b = resolvedPath(other) else { return false }
        return a == b
    }

    /// True when `path` names a file inside the folder `directory` (at any depth), comparing
    /// resolved paths; either may not exist yet (the snapshot folder is made by the first snapshot).
    public static func isInside(_ path: String, directory: String) -> Bool {
        guard let folder = resolvedPath(directory), let target = resolvedPath(path) else { return false }
        return target.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// `path` made absolute with symbolic links resolved as far as it exists; the components
    /// beyond the longest existing prefix are appended (`.` dropped, `..` taken lexically), so a
    /// file that does not exist yet has the path it will be created at.
    static func resolvedPath(_ path: String) -> String? {
        if let real = realPath(path) { return real }
        var existing = path.hasPrefix("/") ? "" : "."
        var rest = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var base = realPath(existing.isEmpty ? "/" : existing)
        // Walk down while the prefix exists.
        while let first = rest.first, let next = realPath((existing.isEmpty ? "" : existing) + "/" + first) {
            existing += "/" + first
            base = next
            rest.removeFirst()
        }
        guard var parts = base.map({ $0.split(separator: "/").map(String.init) }) else { return nil }
        for part in rest {
            if part == "." || part.isEmpty { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() } } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
