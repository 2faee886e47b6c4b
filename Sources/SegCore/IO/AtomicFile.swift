#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file replacement, whole-file reads and an exclusive lock, for the segment library
/// and snapshots.
///
/// A replacement writes a temporary file in the same folder (created 0600, or with the mode of the
/// file it replaces), fsyncs it, renames it over the target and fsyncs the folder: a crash or a
/// full disk at any moment leaves either the old file or the new one, never a mix.
///
/// Test hooks (environment): `SEG_TEST_FAIL_WRITE=1` makes the write of the temporary file fail
/// half way; `SEG_TEST_PAUSE_BEFORE_RENAME=SECONDS` sleeps after the fsync, before the rename, so a
/// test can kill the process there.
public enum AtomicFile {
    /// The file's bytes, or nil when it does not exist.
    public static func read(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw ioError("cannot open", path)
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("cannot read", path)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Replaces the file at `path` with `bytes` atomically (see the type's comment).
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { emit in try bytes.withUnsafeBytes { try emit($0) } }
    }

    /// Replaces the file at `path` atomically with the bytes `produce` hands to its `emit` argument,
    /// in order: large files (seg books) are written straight from their buffers, without one copy
    /// of the whole file in memory.
    public static func write(to path: String,
                             _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let folder = directory(of: path)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        var mode: mode_t = 0o600
        var st = stat()
        if stat(path, &st) == 0 { mode = st.st_mode & 0o7777 }
        let temp = "\(folder)/.\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ioError("cannot create a file in", folder) }
        var closed = false
        var renamed = false
        defer {
            if !closed { close(fd) }
            if !renamed { unlink(temp) }
        }
        // The test hook fails half way through the first piece (all of it for a single array).
        let failHalfWay = environment("SEG_TEST_FAIL_WRITE") == "1"
        try produce { raw in
            let limit = failHalfWay ? raw.count / 2 : raw.count
            var offset = 0
            while offset < limit {
                let n = Glibc.write(fd, raw.baseAddress.map { $0 + offset }, limit - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ioError("cannot write", path)
                }
                offset += n
            }
            if failHalfWay {
                throw SegError(.io, "cannot write '\(path)': No space left on device (simulated by SEG_TEST_FAIL_WRITE)")
            }
        }
        if mode != 0o600 { _ = fchmod(fd, mode) }
        guard fsync(fd) == 0 else { throw ioError("cannot write", path) }
        closed = true
        guard close(fd) == 0 else { throw ioError("cannot write", path) }
        if let pause = environment("SEG_TEST_PAUSE_BEFORE_RENAME").flatMap(Double.init), pause > 0 {
            usleep(useconds_t(min(pause, 60) * 1_000_000))
        }
        guard rename(temp, path) == 0 else { throw ioError("cannot replace", path) }
        renamed = true
        // The rename is durable only once the folder itself is on disk.
        let dirfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }

    /// Runs `body` while holding an exclusive `flock` on `lockPath` (created 0600 if missing), so
    /// that processes editing the same file take turns.
    public static func withLock<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ioError("cannot open the lock file", lockPath) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw ioError("cannot lock", lockPath) }
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }

    /// Creates `path` and any missing parent folders with `mode` (0700: snapshots hold client data).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o700) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw ioError("cannot create the folder", current)
            }
        }
    }

    /// The folder holding `path` (`.` for a bare file name).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    static func ioError(_ what: String, _ path: String) -> SegError {
        SegError(.io, "\(what) '\(path)': \(String(cString: strerror(errno)))")
    }
}
