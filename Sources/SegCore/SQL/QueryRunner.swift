/// Runs resolved statements outside memory, in a database: the session resolves each statement
/// against the catalog (schema-only tables whose dictionaries and vocabularies come from the
/// database), then hands the bound query to the runner instead of the in-memory executor.
public protocol QueryRunner: Sendable {
    /// How each catalog table is stored in SQL (parallel to `catalog.tables`).
    var sqlTables: [SQLTable] { get }
    /// The SQL dialect the runner speaks (for `.sql`).
    var dialect: SQLDialect { get }
    /// Runs one query and writes its result to `output`. `query` and `source` are the statement
    /// as written, so errors from the database can point into it.
    func run(_ bound: BoundQuery, catalog: Catalog, options: SessionOptions, output: Output, query: Query, source: Source) throws
    /// How many rows a segment's query selects (for `let` at the prompt).
    func count(_ bound: BoundQuery, catalog: Catalog, options: SessionOptions) throws -> Int
}
