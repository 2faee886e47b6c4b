/// Runs resolved statements outside memory, in a database: the session resolves each statement
/// against the catalog (schema-only tables whose dictionaries and vocabularies come from the
/// database), then hands the bound query to the runner instead of the in-memory executor.
/// `explain`, `why`, `snapshot`, `diff` and `segments` ask their questions through `count` and
/// `fetch`; the schema-only tables hold no rows, so nothing may read them as a book.
public protocol QueryRunner: Sendable {
    /// How each catalog table is stored in SQL (parallel to `catalog.tables`).
    var sqlTables: [SQLTable] { get }
    /// The SQL dialect the runner speaks (for `.sql`).
    var dialect: SQLDialect { get }
    /// Runs one query and writes its result to `output`. `query` and `source` are the statement
    /// as written, so errors from the database can point into it.
    func run(_ bound: BoundQuery, catalog: Catalog, options: SessionOptions, output: Output, query: Query, source: Source) throws
    /// How many rows a query selects, its `limit` included (for `let` at the prompt, `segments`, `explain`).
    func count(_ bound: BoundQuery, catalog: Catalog, options: SessionOptions) throws -> Int
    /// Runs a statement generated with `sqlOptions(today:)` and returns its rows, each cell as
    /// text (nil when NULL). For the commands whose answers are small or stored locally anyway
    /// (`why`, and the member rows of `snapshot` and `diff`).
    func fetch(_ statement: SQLStatement, options: SessionOptions) throws -> [[String?]]
}

extension QueryRunner {
    /// How statements for `fetch` are generated: this runner's dialect and tables, values as
    /// bound parameters, every result cell as text formatted like seg's CSV.
    public func sqlOptions(today: Int) -> SQLOptions {
        SQLOptions(dialect: dialect, today: today, tables: sqlTables, bindParameters: true, textResults: true)
    }
}
