import Foundation
import SegTestSupport
import Testing

extension Seg {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures")

    /// The generated book of `rows` clients with seed 3, written once per test run and shared,
    /// read only, by every test that needs it (with `sqlite: true`, also loaded into SQLite as
    /// table `c`). Returns the CSV's path (and the database's).
    static func sharedBook(rows: Int, sqlite: Bool = false) throws -> (csv: String, db: String) {
        try SharedBooks.shared.book(rows: rows, sqlite: sqlite)
    }
}

/// Books made once and kept for the whole run (the tests only read them).
final class SharedBooks: @unchecked Sendable {
    static let shared = SharedBooks()
    private let lock = NSLock()
    private var made: [String: (csv: String, db: String)] = [:]

    func book(rows: Int, sqlite: Bool) throws -> (csv: String, db: String) {
        lock.lock()
        defer { lock.unlock() }
        let key = "\(rows)-\(sqlite)"
        if let book = made[key] { return book }
        let dir = try Seg.temporaryDirectory()
        let csv = dir.appendingPathComponent("book.csv").path
        let generated = try Seg.run(["generate", "--rows", String(rows), "--seed", "3", "--output", csv])
        guard generated.status == 0 else { throw SegTestFailure("seg generate failed: \(generated.stderr)") }
        let db = dir.appendingPathComponent("book.db").path
        if sqlite { try SQLite.load(csv: csv, into: db) }
        made[key] = (csv, db)
        return (csv, db)
    }
}
