import Synchronization

/// Set from a signal handler (Ctrl-C) and checked by the engine between kernels and by output
/// between buffers, so a long statement stops promptly without tearing down the session.
public final class InterruptFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    public func raise() { raised.store(true, ordering: .relaxed) }

    public func clear() { raised.store(false, ordering: .relaxed) }

    public var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Lowers the flag; true when it was up.
    public func take() -> Bool { raised.exchange(false, ordering: .relaxed) }

    /// Throws `.interrupted` (and clears the flag) when the flag is up.
    public func check() throws {
        if take() {
            throw SegError(.interrupted, .interrupted)
        }
    }
}
