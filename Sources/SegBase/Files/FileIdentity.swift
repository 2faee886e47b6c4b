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

    /// True when `path` names a file inside the folder `directory` (at any depth), comparing
    /// resolved paths; false when either does not exist.
    public static func isInside(_ path: String, directory: String) -> Bool {
        guard let folder = realPath(directory) else { return false }
        // The file need not exist yet: resolve the folder it would be created in.
        let target = realPath(path) ?? realPath(AtomicFile.directory(of: path)).map { $0 + "/" + lastComponent(path) }
        guard let target else { return false }
        return target.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func lastComponent(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
}
