import Dispatch
import Foundation
import Logging
import PostgresNIO
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO
import Synchronization

/// One connection to the server, opened on first use and again after it drops, and the bridge
/// from seg's synchronous engine to PostgresNIO's async API: the caller's thread waits while a
/// task runs the statement (and closes the connection if Ctrl-C is pressed meanwhile).
final class PostgresLink: Sendable {
    let url: PostgresURL
    let configuration: PostgresConnection.Configuration
    let state = Mutex<PostgresConnection?>(nil)
    let logger = Logger(label: "seg.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(url: PostgresURL, configuration: PostgresConnection.Configuration) {
        self.url = url
        self.configuration = configuration
    }

    deinit { close() }

    func close() {
        if let connection = detach() { try? connection.close().wait() }
    }

    /// Takes the connection out of use, for the caller to close (the next statement opens a new one).
    func detach() -> PostgresConnection? {
        state.withLock { c -> PostgresConnection? in
            let old = c
            c = nil
            return old
        }
    }

    func connection() async throws -> PostgresConnection {
        if let c = state.withLock({ $0 }), !c.isClosed { return c }
        do {
            let c = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            let stale = state.withLock { s -> PostgresConnection? in
                let old = s
                s = c
                return old
            }
            if let stale { try? await stale.close() }
            return c
        } catch {
            throw SegError(.io, .database(.cannotConnect(url: "\(url)", problem: Self.reason(error))))
        }
    }

    /// Runs a statement, handing each row's cells (as text) to `onRow`.
    func execute(_ statement: SQLStatement, interrupt: InterruptFlag?, query: Query?, source: Source?,
                 onRow: @escaping ([String?]) throws -> Void) throws {
        let handler = UncheckedBox(onRow)
        do {
            try blocking(interrupt: interrupt) {
                try await self.stream(statement) { try handler.value($0) }
            }
        } catch let error as SegError {
            // Stopped mid-stream (Ctrl-C, a closed pipe, a write error): the connection may be
            // half way through a result, so start afresh next time.
            close()
            throw error
        } catch let error as PSQLError where error.code == .server && !Self.endsSession(error) {
            // The server refused the statement; the connection stays usable.
            throw Self.serverError(error, query: query, source: source)
        } catch let error as PostgresDecodingError {
            close()
            throw SegError(.internal, .database(.unreadableValue(column: error.columnName)))
        } catch {
            close()
            throw SegError(.io, .database(.connectionLost(url: "\(url)", problem: Self.reason(error))))
        }
    }

    /// Runs a statement on this link's connection, handing each row's cells (as text) to `onRow`.
    func stream(_ statement: SQLStatement, onRow: ([String?]) throws -> Void) async throws {
        let connection = try await self.connection()
        var binds = PostgresBindings(capacity: statement.parameters.count)
        for p in statement.parameters { binds.append(p) }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: statement.text, binds: binds), logger: logger)
        var cells: [String?] = []
        for try await row in rows {
            cells.removeAll(keepingCapacity: true)
            for cell in row { cells.append(try cell.decode(String?.self)) }
            try onRow(cells)
        }
    }

    /// A statement whose one row holds one number.
    func count(_ statement: SQLStatement, interrupt: InterruptFlag?, query: Query?, source: Source?) throws -> Int {
        let box = UncheckedBox(0)
        try execute(statement, interrupt: interrupt, query: query, source: source) { row in
            box.value = row.first.flatMap { $0.flatMap { Int($0) } } ?? 0
        }
        return box.value
    }

    /// Waits for `body` on this thread; Ctrl-C closes the connection, which ends the statement.
    func blocking(interrupt: InterruptFlag?, _ body: @escaping @Sendable () async throws -> Void) throws {
        let outcome = UncheckedBox<Result<Void, any Error>>(.success(()))
        let done = DispatchSemaphore(value: 0)
        let task = Task {
            do { try await body() } catch { outcome.value = .failure(error) }
            done.signal()
        }
        var interrupted = false
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if !interrupted, let interrupt, interrupt.isRaised {
                interrupted = true
                task.cancel()
                detach()?.close().whenComplete { _ in }
            }
        }
        if interrupted {
            interrupt?.clear()
            throw SegError(.interrupted, .interrupted)
        }
        try outcome.value.get()
    }

    /// A server error that ends the session (FATAL, PANIC, or class 57P/08: shutdown, terminated).
    static func endsSession(_ error: PSQLError) -> Bool {
        let severity = error.serverInfo?[.severity] ?? ""
        let state = error.serverInfo?[.sqlState] ?? ""
        return severity == "FATAL" || severity == "PANIC" || state.hasPrefix("57P") || state.hasPrefix("08")
    }

    /// Why talking to the server failed, in words that never include the password.
    static func reason(_ error: any Error) -> ConnectionProblem {
        if let e = error as? SegError { return .other(e.message) }
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] { return .other(message) }
            if let underlying = e.underlying { return reason(underlying) }
            switch e.code {
            case .serverClosedConnection: return .serverClosed
            case .clientClosedConnection: return .clientClosed
            case .sslUnsupported: return .sslUnsupported
            case .authMechanismRequiresPassword: return .passwordNeeded
            case .unsupportedAuthMechanism: return .unsupportedAuthentication
            default: return .other(e.code.description)
            }
        }
        return .other("\(error)")
    }

    /// A server error as a seg error, pointing into the statement where it can.
    static func serverError(_ error: PSQLError, query: Query?, source: Source?) -> SegError {
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        let text = DatabaseMessage.refused(message, hint: error.serverInfo?[.hint])
        var range = query?.range
        // An invalid regular expression is the one place a server error names the user's text.
        if error.serverInfo?[.sqlState] == "2201B", let query, let r = Self.regexRange(query) { range = r }
        return SegError(.query, .database(text), source: range == nil ? nil : source, range: range)
    }

    /// The pattern of the first `~` test in a query.
    static func regexRange(_ query: Query) -> SourceRange? {
        func inCondition(_ c: Condition) -> SourceRange? {
            switch c {
            case .and(let terms, _), .or(let terms, _):
                for t in terms { if let r = inCondition(t) { return r } }
                return nil
            case .not(let inner, _):
                return inCondition(inner)
            case .predicate(let p):
                if case .matches(let pattern) = p.test { return pattern.range }
                return nil
            case .related(_, let rows, _):
                return rows.condition.flatMap(inCondition)
            case .membership, .invalid:
                return nil
            }
        }
        func inSource(_ s: SourceExpr) -> SourceRange? {
            switch s {
            case .parenthesized(let q, _): return regexRange(q)
            case .setOperation(let first, let rest, _):
                if let r = inSource(first) { return r }
                for (_, term) in rest { if let r = inSource(term) { return r } }
                return nil
            case .name, .invalid: return nil
            }
        }
        return inSource(query.source) ?? query.condition.flatMap(inCondition)
    }
}
