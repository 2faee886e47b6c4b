import Foundation
import Synchronization
import Testing
import SegBase
import SegStore
import SegSemantics
import SegEngine
import SegIO
import SegCommands
import SegTestSupport

/// A database whose dictionaries are samples (issue 18): the value a sample lacks is looked up in
/// the column the resolver looked in, which for a related field is the other table's, never a
/// column of the same name elsewhere.
@Suite("Sampled values")
struct SampledCatalogTests {
    /// Two tables with a `status` column of different values; each dictionary holds one value (the sample).
    /// `accounts` comes first, so a search by column name would meet its `status` before the clients'.
    static let full = ["accounts": ["status": ["frozen", "open"]], "clients": ["status": ["active", "closed"]]]

    static func session(_ data: FakeSampledData) -> Session {
        func table(_ name: String, key: String, sample: String) -> Table {
            Table(name: name, columns: [Column(name: key, data: .text(TextBuffer()), validity: nil, count: 0),
                                        Column(name: "status", data: .category(codes: [], dictionary: [sample]), validity: nil, count: 0)],
                  rowCount: 0, origin: "")
        }
        let tables = [table("accounts", key: "client_id", sample: "open"), table("clients", key: "id", sample: "active")]
        return Session(tables: tables, options: SessionOptions(today: 0, writer: WriterOptions(format: .csv)), backend: data)
    }

    static func dictionary(_ session: Session, _ table: String) -> [String] {
        guard let t = session.catalog.tableIndex(named: table), let c = session.catalog.tables[t].columnIndex(named: "status"),
              case .category(_, let d) = session.catalog.tables[t].columns[c].data else { return [] }
        return d
    }

    @Test func relatedFieldLearnsFromItsOwnTable() {
        let data = FakeSampledData(full: Self.full)
        var session = Self.session(data)
        #expect(session.catalog.links.count == 1, "accounts.client_id → clients.id")
        #expect(GoldenFile.run(&session, "accounts where client.status = closed count") == "count\n0\n")
        #expect(data.asked == ["clients.status=closed"])
        #expect(Self.dictionary(session, "clients") == ["active", "closed"])
        #expect(Self.dictionary(session, "accounts") == ["open"])
    }

    /// A value that the other table's column of the same name holds is still unknown for the
    /// related field, and "did you mean" comes from the related field's own values.
    @Test func valueOfTheWrongTableIsRefused() {
        let data = FakeSampledData(full: Self.full)
        var session = Self.session(data)
        let frozen = GoldenFile.run(&session, "accounts where client.status = frozen count")
        #expect(frozen.hasPrefix("error: unknown value 'frozen' for field 'client.status'"), "\(frozen)")
        #expect(!frozen.contains("did you mean"), "\(frozen)")
        #expect(data.asked == ["clients.status=frozen"])
        #expect(Self.dictionary(session, "accounts") == ["open"])
        let misspelt = GoldenFile.run(&session, "accounts where client.status = closd count")
        #expect(misspelt.hasPrefix("error: unknown value 'closd' for field 'client.status' (did you mean 'closed'?)"), "\(misspelt)")
    }

    /// The table's own field, and a `by` key tested in `having`: the column the key reads.
    @Test func ownFieldAndHavingKeyLearnFromTheTableQueried() {
        let data = FakeSampledData(full: Self.full)
        var session = Self.session(data)
        #expect(GoldenFile.run(&session, "accounts where status = frozen count") == "count\n0\n")
        #expect(GoldenFile.run(&session, "clients by status show count having status = closed") == "status,count\n")
        #expect(GoldenFile.run(&session, "clients where status in (active, closed) count") == "count\n0\n")
        #expect(data.asked == ["accounts.status=frozen", "clients.status=closed"])
        // A related key in `having`: its column of the groups is named `client.status`.
        let fresh = FakeSampledData(full: Self.full)
        var other = Self.session(fresh)
        let related = GoldenFile.run(&other, "accounts by client.status show count having client.status = closed")
        #expect(related == "client.status,count\n", "\(related)")
        #expect(fresh.asked == ["clients.status=closed"])
        #expect(Self.dictionary(session, "accounts") == ["frozen", "open"])
        #expect(Self.dictionary(session, "clients") == ["active", "closed"])
    }
}

extension SampledCatalogTests {
    /// What the prompt reads in the background becomes the catalog's values when taken; a failed
    /// reading leaves the samples. A session in memory starts no reading.
    @Test func backgroundValuesAreTakenWhole() async throws {
        var session = Self.session(FakeSampledData(full: Self.full))
        let reading = try #require(BackgroundValues(session: session))
        let values = await reading.wait()
        #expect(reading.finished == values)
        session.catalog.take(values)
        #expect(Self.dictionary(session, "accounts") == ["frozen", "open"])
        #expect(Self.dictionary(session, "clients") == ["active", "closed"])

        var failed = Self.session(FakeSampledData(full: Self.full, failure: .serverClosed))
        let failing = try #require(BackgroundValues(session: failed))
        let none = await failing.wait()
        #expect(none.problem == .serverClosed && none.columns.isEmpty)
        failed.catalog.take(none)
        #expect(Self.dictionary(failed, "clients") == ["active"])
        #expect(GoldenFile.run(&failed, "clients where status = closed count") == "count\n0\n")

        let memory = Session(tables: [], options: SessionOptions(today: 0, writer: WriterOptions(format: .csv)))
        #expect(BackgroundValues(session: memory) == nil)
    }
}

/// Schema-only tables run in memory, with the full values of their sampled columns to answer from.
final class FakeSampledData: Backend, SampledValues {
    let full: [String: [String: [String]]]
    let memory = MemoryBackend()
    let questions = Mutex<[String]>([])
    /// Set: `readAllValues` fails with it, having read nothing.
    let failure: ConnectionProblem?

    init(full: [String: [String: [String]]], failure: ConnectionProblem? = nil) {
        self.full = full
        self.failure = failure
    }

    /// What `holds` was asked: `table.column=value`.
    var asked: [String] { questions.withLock { $0 } }

    func run(_ query: BoundQuery, in context: QueryContext, into sink: any ResultSink) throws { try memory.run(query, in: context, into: sink) }
    func count(_ query: BoundQuery, in context: QueryContext) throws -> Int { try memory.count(query, in: context) }
    func rows(_ query: BoundQuery, in context: QueryContext) throws -> [[String?]] { try memory.rows(query, in: context) }
    var keysPerQuery: Int { memory.keysPerQuery }

    func isSampled(table: String, column: String) -> Bool { full[table]?[column] != nil }

    func holds(table: String, column: String, value: String) throws -> Bool {
        questions.withLock { $0.append("\(table).\(column)=\(value)") }
        return full[table]?[column]?.contains(value) ?? false
    }

    func allValues(table: String, column: String) throws -> [String]? { full[table]?[column] }

    func readAllValues(timeout: Duration) async -> FullValues {
        if let failure { return FullValues(problem: failure) }
        var values = FullValues()
        for (table, columns) in full {
            for (column, all) in columns { values.columns[StoredColumn(table: table, column: column)] = all }
        }
        return values
    }
}
