import Foundation
import SegBase
import SegStore
import SegSyntax
import SegSemantics
import SegFunctions
import SegSQL
import SegIO

/// Where to connect: `postgres://user[:password]@host[:port]/database[?sslmode=…]`.
/// The password never appears in `description` or in any message.
public struct PostgresURL: Sendable, CustomStringConvertible {
    public enum SSLMode: String, Sendable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode

    /// Parses a URL; missing parts come from PGUSER, PGHOST, PGPORT, PGDATABASE as libpq does, and
    /// the password from the URL, else PGPASSWORD, else the password file (PGPASSFILE or ~/.pgpass).
    public static func parse(_ text: String, environment: [String: String]) throws -> PostgresURL {
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
              let components = URLComponents(string: text) else {
            throw SegError(.usage, "--db expects a URL like postgres://user@host:5432/dbname")
        }
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        var host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGHOST"] ?? "localhost"
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? environment["PGPORT"].flatMap { Int($0) } ?? 5432
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        database = database.removingPercentEncoding ?? database
        if database.isEmpty { database = environment["PGDATABASE"] ?? user }
        var sslMode = SSLMode.prefer
        if let raw = environment["PGSSLMODE"], let mode = SSLMode(rawValue: raw) { sslMode = mode }
        for item in components.queryItems ?? [] where item.name == "sslmode" {
            guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                throw SegError(.usage, "unknown sslmode '\(item.value ?? "")'; use disable, prefer, require, verify-ca or verify-full")
            }
            sslMode = mode
        }
        var password = components.password
        if password == nil || password == "" { password = environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 } }
        if password == nil {
            let file = environment["PGPASSFILE"] ?? (environment["HOME"].map { $0 + "/.pgpass" })
            if let file { password = PasswordFile.lookup(path: file, host: host, port: port, database: database, user: user) }
        }
        return PostgresURL(user: user, password: password, host: host, port: port, database: database, sslMode: sslMode)
    }

    /// `postgres://user@host:port/db`, without the password.
    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(h):\(port)/\(database)"
    }
}

/// libpq's password file: `host:port:database:user:password` lines, `*` matches anything,
/// `\:` and `\\` escape. Ignored when others may read it, as libpq does.
enum PasswordFile {
    static func lookup(path: String, host: String, port: Int, database: String, user: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o077 == 0,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            if line.hasPrefix("#") { continue }
            let fields = split(line)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    static func split(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for c in line {
            if escaped { current.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}
