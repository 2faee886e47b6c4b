#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered output to a file descriptor or to memory (tests). Every failed write is reported:
/// a closed pipe becomes `.outputClosed` (quiet exit 0), anything else an I/O error (exit 74).
public final class Output {
    public enum Target {
        case fileDescriptor(Int32)
        case memory
    }

    public let target: Target
    private var buffer: [UInt8] = []
    /// Everything written, when the target is `.memory`.
    public private(set) var captured: [UInt8] = []
    private let flushThreshold = 1 << 16
    /// Checked at each flush so Ctrl-C stops a long listing.
    public var interrupt: InterruptFlag?
    /// The first write that failed, if any: a later write may succeed and leave a gap, so a
    /// file being written (`.output`) must not be kept.
    public private(set) var failure: SegError?

    public init(_ target: Target) {
        self.target = target
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    /// The captured text (memory target).
    public var text: String { String(decoding: captured, as: UTF8.self) }

    @inline(__always)
    public func write(_ s: String) throws {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= flushThreshold { try flush() }
    }

    @inline(__always)
    public func write(byte: UInt8) throws {
        buffer.append(byte)
        if buffer.count >= flushThreshold { try flush() }
    }

    public func write<C: Collection<UInt8>>(bytes: C) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { try flush() }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        if let interrupt, interrupt.isRaised {
            buffer.removeAll(keepingCapacity: true)
            try interrupt.check()
        }
        defer { buffer.removeAll(keepingCapacity: true) }
        switch target {
        case .memory:
            captured.append(contentsOf: buffer)
        case .fileDescriptor(let fd):
            try buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                    if n < 0 {
                        let err = errno
                        if err == EINTR { continue }
                        let error = err == EPIPE ? SegError(.outputClosed, .file(.outputClosed))
                            : SegError(.io, .file(.outputFailed(reason: FileMessage.reason(err))))
                        if failure == nil { failure = error }
                        throw error
                    }
                    offset += n
                }
            }
        }
    }
}
