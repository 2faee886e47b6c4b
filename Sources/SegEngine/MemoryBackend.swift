import SegBase
import SegStore
import SegSemantics

/// Runs statements over the columns in memory: the default backend.
public struct MemoryBackend: Backend {
    /// Rows per block for the folds that run blocks on every core; nil lets them choose.
    let blockSize: Int?

    public init() { blockSize = nil }

    /// A backend whose folds use blocks of `blockSize` rows (tests check the merges with small ones).
    init(blockSize: Int?) { self.blockSize = blockSize }

    public func run(_ query: BoundQuery, in context: QueryContext, into sink: any ResultSink) throws {
        var executor = Executor(catalog: context.catalog, today: context.today, interrupt: context.interrupt)
        executor.blockSize = blockSize
        try sink.write(try executor.run(query))
    }

    public func count(_ query: BoundQuery, in context: QueryContext) throws -> Int {
        var executor = Executor(catalog: context.catalog, today: context.today, interrupt: context.interrupt)
        return try executor.selectedRows(query)?.popcount ?? context.catalog.tables[query.tableIndex].rowCount
    }

    public func rows(_ query: BoundQuery, in context: QueryContext) throws -> [[String?]] {
        var executor = Executor(catalog: context.catalog, today: context.today, interrupt: context.interrupt)
        executor.blockSize = blockSize
        let result = try executor.run(query)
        let texts = result.columns.map { CellText.Reader($0) }
        return (0..<result.rowCount).map { i in texts.map { $0.plain(i) } }
    }

    /// Memory holds every key at hand: one condition may list them all.
    public var keysPerQuery: Int { Int.max }
}
