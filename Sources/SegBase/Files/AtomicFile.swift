#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file replacement, whole-file reads and an exclusive lock, for every file seg writes:
/// the segment library, snapshots, the prompt's history and `.output` exports.
///
/// A replacement writes a temporary file in the same folder (`.NAME.seg-tmp-PID-RANDOM`, created
/// 0600, or with the mode of the file it replaces), fsyncs it, renames it over the target and
/// fsyncs the folder: a crash or a full disk at any moment leaves either the old file or the new
/// one, never a mix. A process killed before the rename leaves only its temporary file behind.
///
/// Test hooks (environment): `SEG_TEST_FAIL=write|fsync|rename` injects a fault at that step
/// (`write`: the temporary file's descriptor is swapped for `/dev/full` half way, so the write
/// fails with ENOSPC as on a full disk; `fsync` and `rename`: the call fails with EIO);
/// `SEG_TEST_PAUSE_BEFORE_RENAME=SECONDS` sleeps after the fsync, before the rename, so a test can
/// kill the process there.
public enum AtomicFile {
    /// A step at which a test may inject a fault (`SEG_TEST_FAIL`).
    public enum Fault: String, Sendable, CaseIterable {
        case write, fsync, rename
    }

    /// The fault `SEG_TEST_FAIL` asks for, if any.
    static var injectedFault: Fault? { environment("SEG_TEST_FAIL").flatMap(Fault.init(rawValue:)) }

    /// The file's bytes, or nil when it does not exist. Only a regular file is read: a FIFO would
    /// block seg at start until some writer came, and a device like /dev/zero never ends.
    public static func read(_ path: String) throws -> [UInt8]? {
        // O_NONBLOCK: opening a FIFO must not wait for a writer before the check below.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw ioError(.open, path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError(.read, path) }
        if info.st_mode & S_IFMT != S_IFREG {
            throw SegError(.io, .file(.notRegular(.read, path: path, kind: kind(of: info.st_mode))))
        }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError(.read, path)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Replaces the file at `path` with `bytes` atomically (see the type's comment). `mode`: the
    /// new file's permissions; nil keeps those of the file it replaces (0600 for a new file).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t? = nil) throws {
        let replacement = try Replacement(replacing: path, mode: mode)
        let half = bytes.count / 2
        try replacement.write(bytes[..<half])
        if replacement.fault == .write { replacement.injectWriteFault() }
        try replacement.write(bytes[half...])
        try replacement.commit()
    }

    /// Replaces the file at `path` atomically with the bytes `produce` hands to its `emit` argument,
    /// in order: large files (seg books) are written straight from their buffers, without one copy
    /// of the whole file in memory. A `write` fault (`SEG_TEST_FAIL`) strikes half way through the
    /// first piece.
    public static func write(to path: String,
                             _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let replacement = try Replacement(replacing: path)
        var first = true
        try produce { raw in
            if first && replacement.fault == .write {
                try replacement.write(raw: UnsafeRawBufferPointer(rebasing: raw[..<(raw.count / 2)]))
                replacement.injectWriteFault()
                try replacement.write(raw: UnsafeRawBufferPointer(rebasing: raw[(raw.count / 2)...]))
            } else {
                try replacement.write(raw: raw)
            }
            first = false
        }
        try replacement.commit()
    }

    /// A replacement in progress: bytes go to a temporary file beside the target, which `commit()`
    /// renames over it. Dropped without a commit, the temporary file is removed and the target is
    /// untouched.
    public final class Replacement {
        /// The file being replaced, as given (errors name it).
        public let path: String
        /// Where the rename goes: `path`, or what it links to (the link itself stays).
        private let destination: String
        /// The temporary file, `.NAME.seg-tmp-PID-RANDOM` in the same folder.
        public let temporaryPath: String
        /// Where to write the new contents (the temporary file), until `commit()` or `discard()`.
        public let fileDescriptor: Int32
        /// The fault a test asked for (`SEG_TEST_FAIL`), if any.
        public let fault: Fault?
        private let mode: mode_t
        private var descriptorOpen = true
        private var finished = false

        /// Creates the temporary file (0600). `mode` as for `AtomicFile.write`. Only a regular file
        /// is replaced: a device, FIFO, socket or folder at `target` (or where its symbolic links
        /// lead) is an error, never renamed over (as root that destroyed /dev/full).
        public init(replacing target: String, mode: mode_t? = nil) throws {
            // Replace what a symbolic link points to, beside it, and keep the link; a dangling
            // link stays a link too, and the new file appears where it points.
            let resolved = try resolvedPath(target)
            let folder = directory(of: resolved)
            let base = resolved.split(separator: "/").last.map(String.init) ?? resolved
            var keep: mode_t = 0o600
            var st = stat()
            if lstat(resolved, &st) == 0 {
                guard st.st_mode & S_IFMT == S_IFREG else {
                    throw SegError(.io, .file(.notRegular(.replace, path: target, kind: kind(of: st.st_mode))))
                }
                // The permissions of the file replaced, never its set-id or sticky bits.
                keep = st.st_mode & 0o777
            }
            let temp = "\(folder)/.\(base).seg-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            // Named as given: the user knows the file, not the temporary one beside it.
            guard fd >= 0 else { throw ioError(.create, target) }
            path = target
            destination = resolved
            temporaryPath = temp
            fileDescriptor = fd
            self.mode = mode ?? keep
            fault = AtomicFile.injectedFault
        }

        deinit { discard() }

        /// Appends `bytes` to the temporary file.
        public func write<C: Collection<UInt8>>(_ bytes: C) throws {
            let failure: SegError? = bytes.withContiguousStorageIfAvailable { raw in
                writeAll(UnsafeRawBufferPointer(raw))
            } ?? Array(bytes).withUnsafeBytes { writeAll($0) }
            if let failure { throw failure }
        }

        /// Appends raw bytes to the temporary file, without copying them.
        public func write(raw: UnsafeRawBufferPointer) throws {
            if let failure = writeAll(raw) { throw failure }
        }

        private func writeAll(_ raw: UnsafeRawBufferPointer) -> SegError? {
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fileDescriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return ioError(.write, path)
                }
                offset += n
            }
            return nil
        }

        /// Test hook: from now on writes to the temporary file fail with ENOSPC, as on a full disk.
        public func injectWriteFault() {
            let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
            if full >= 0 {
                _ = dup2(full, fileDescriptor)
                close(full)
            } else {
                // No /dev/full (macOS): a descriptor open for reading fails every write too.
                let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
                _ = dup2(null, fileDescriptor)
                close(null)
            }
        }

        /// Makes the new contents durable and puts them in place of the target.
        public func commit() throws {
            guard !finished else { return }
            defer { discard() }
            if mode != 0o600 { _ = fchmod(fileDescriptor, mode) }
            if fault == .fsync { errno = EIO }
            guard fault != .fsync, fsync(fileDescriptor) == 0 else { throw ioError(.write, path) }
            descriptorOpen = false
            guard close(fileDescriptor) == 0 else { throw ioError(.write, path) }
            if let pause = environment("SEG_TEST_PAUSE_BEFORE_RENAME").flatMap(Double.init), pause > 0 {
                usleep(useconds_t(min(pause, 60) * 1_000_000))
            }
            if fault == .rename { errno = EIO }
            guard fault != .rename, rename(temporaryPath, destination) == 0 else { throw ioError(.replace, path) }
            finished = true
            // The rename is durable only once the folder itself is on disk.
            let dirfd = open(directory(of: destination), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dirfd >= 0 {
                _ = fsync(dirfd)
                close(dirfd)
            }
        }

        /// Abandons the replacement: removes the temporary file; the target stays as it was.
        public func discard() {
            guard !finished else { return }
            finished = true
            if descriptorOpen { close(fileDescriptor) }
            unlink(temporaryPath)
        }
    }

    /// Runs `body` while holding an exclusive `flock` on `lockPath` (created 0600 if missing), so
    /// that processes editing the same file take turns. The lock file is removed again before the
    /// lock is let go, so none is left beside the file; a process that waited on the removed file
    /// sees that its name now leads elsewhere (or nowhere) and locks afresh.
    public static func withLock<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
        while true {
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw ioError(.openLockFile, lockPath) }
            defer { close(fd) }
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR { throw ioError(.lock, lockPath) }
            }
            defer { _ = flock(fd, LOCK_UN) }
            var held = stat(), named = stat()
            guard fstat(fd, &held) == 0, stat(lockPath, &named) == 0,
                  held.st_dev == named.st_dev, held.st_ino == named.st_ino else { continue }
            defer { unlink(lockPath) }
            return try body()
        }
    }

    /// `path` with its symbolic links followed to the name they lead to, which need not exist (a
    /// dangling link names the file to create). A relative link is taken from the link's folder.
    /// Editing a library through a link and through its target must lock and replace one file.
    public static func resolvedPath(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return readlink(current, base.assumingMemoryBound(to: CChar.self), raw.count - 1)
            }
            guard n > 0 else { throw ioError(.readLink, path) }
            let link = String(decoding: buffer[0..<n], as: UTF8.self)
            current = link.hasPrefix("/") ? link : directory(of: current) + "/" + link
        }
        errno = ELOOP
        throw ioError(.follow, path)
    }

    /// What a non-regular file is, for messages.
    public static func kind(of mode: mode_t) -> FileKind {
        switch mode & S_IFMT {
        case S_IFDIR: return .folder
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// Creates `path` and any missing parent folders with `mode` (0700: snapshots hold client data).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o700) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw ioError(.createFolder, current)
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

    static func ioError(_ action: FileAction, _ path: String) -> SegError {
        SegError(.io, .file(.failed(action, path: path, reason: FileMessage.reason(errno))))
    }
}
