import SegBase
import SegStore
import SegSyntax

/// What a backend needs besides the statement: the catalog it was resolved against, today's date,
/// the Ctrl-C flag, and the statement as written (so a database's errors can point into it).
public struct QueryContext: Sendable {
    public var catalog: Catalog
    public var today: Int
    public var interrupt: InterruptFlag?
    /// The query as written and its text; nil for the statements seg makes itself (explain's counts…).
    public var written: (query: Query, source: Source)?

    public init(catalog: Catalog, today: Int, interrupt: InterruptFlag? = nil, written: (query: Query, source: Source)? = nil) {
        self.catalog = catalog
        self.today = today
        self.interrupt = interrupt
        self.written = written
    }
}

/// Where resolved statements run: in memory (SegEngine's `MemoryBackend`) or in a database
/// (SegPostgres). The commands built on queries (`explain`, `why`, `snapshot`, `diff`, `segments`,
/// `let` at the prompt) ask only these three questions, so each is written once for every backend.
public protocol Backend: Sendable {
    /// Runs a query and hands its answer to `sink`.
    func run(_ query: BoundQuery, in context: QueryContext, into sink: any ResultSink) throws
    /// How many rows a query selects, its `limit` included.
    func count(_ query: BoundQuery, in context: QueryContext) throws -> Int
    /// The rows of a list query in result order, each cell in seg's CSV form (see `ResultSink`;
    /// tags sorted by bytes), nil when missing. For answers that are small or kept anyway (`why`,
    /// the members of a snapshot or diff).
    func rows(_ query: BoundQuery, in context: QueryContext) throws -> [[String?]]
    /// How many keys one `keyIn` condition may list (a database bounds a statement's size).
    var keysPerQuery: Int { get }
}

/// Category values and tag words that a backend's tables hold only a sample of: a database read
/// in bounded time at start-up, or from a cache that may be stale. The catalog's dictionaries are
/// then hints; the data is one query away, so no value is called unknown, and no word read as a
/// value or a field, on the sample's word alone.
public protocol SampledValues: Sendable {
    /// Whether the dictionary or vocabulary of `column` in `table` may lack values the data holds.
    func isSampled(table: String, column: String) -> Bool
    /// Whether the data holds `value` in the column (a tag word, for a tag field).
    func holds(table: String, column: String, value: String) throws -> Bool
    /// Every value (tag word) the column holds, sorted by bytes, for "did you mean" and for checking
    /// an order lists them all; nil when the column has more than a category may have.
    func allValues(table: String, column: String) throws -> [String]?
    /// `allValues` of every sampled column, for the prompt to read while it waits for typing: on a
    /// connection of its own, so it neither waits for a statement nor delays one, each read given
    /// `timeout`; it stops when its task is cancelled. Never throws: what could not be read stays
    /// a sample, and `FullValues.problem` says why.
    func readAllValues(timeout: Duration) async -> FullValues
}

/// What `SampledValues.readAllValues` read: the values of each sampled column that has no more
/// than a category may hold. The others stay samples, as do all the columns after a failure.
public struct FullValues: Sendable, Equatable {
    /// Every value (tag word), sorted by bytes, by column.
    public var columns: [StoredColumn: [String]]
    /// Why the reading stopped early (a timeout, a lost connection), if it did.
    public var problem: ConnectionProblem?

    public init(columns: [StoredColumn: [String]] = [:], problem: ConnectionProblem? = nil) {
        self.columns = columns
        self.problem = problem
    }
}
