import Synchronization
import SegBase
import SegStore
import SegSemantics

/// The prompt's reading of a database's full value lists while it waits for typing (issue 18):
/// started on a database read in bounded time, so completion and `.fields` come to know every
/// value of the sampled columns, not only the sample's. A one-shot run never starts one.
///
/// The reading runs in a task of its own on a connection of its own (`SampledValues.readAllValues`):
/// typing and statements never wait for it. Its answer is taken into the session between
/// statements (`Catalog.take`), never while one runs; a reading that fails leaves the samples, which
/// checking does not depend on.
public final class BackgroundValues: Sendable {
    /// The values read, once the task ends.
    final class Outcome: Sendable {
        let values = Mutex<FullValues?>(nil)
    }

    let task: Task<FullValues, Never>
    let outcome: Outcome

    /// How long each column's reading may take before the server cancels it.
    public static let timeout: Duration = .seconds(120)

    /// Starts reading, when the session's tables hold samples (nil otherwise).
    public init?(session: Session, timeout: Duration = BackgroundValues.timeout) {
        guard let sampled = session.catalog.sampled else { return nil }
        let outcome = Outcome()
        self.outcome = outcome
        task = Task(priority: .utility) {
            let values = await sampled.readAllValues(timeout: timeout)
            outcome.values.withLock { $0 = values }
            return values
        }
    }

    /// What was read, once the reading has ended; nil while it runs. Never waits.
    public var finished: FullValues? { outcome.values.withLock { $0 } }

    /// Waits for the reading to end (tests, and nothing that a user waits on).
    public func wait() async -> FullValues { await task.value }

    /// Stops the reading (the prompt is closing): its connection is closed.
    public func cancel() { task.cancel() }
}

extension Catalog {
    /// Takes in full value lists read in the background: each sampled column's dictionary or
    /// vocabulary becomes every value the data held. For a session's catalog between statements
    /// only (a running statement keeps the catalog it was resolved against), or for a copy.
    public mutating func take(_ values: FullValues) {
        for (stored, all) in values.columns {
            guard let t = tableIndex(named: stored.table), let c = tables[t].columnIndex(named: stored.column) else { continue }
            _ = replaceValues(of: (t, c), with: all)
        }
    }
}
