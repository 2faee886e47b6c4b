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
    ///
    /// Strict, by hand (Foundation's `URLComponents` returned no host for a 4,000-character one, so
    /// the password went to localhost; `host%00` cut the name; port 65536 passed): each part must
    /// parse completely or the URL is a usage error naming the part. A missing part takes its
    /// default; a part that is there and wrong never does. No message shows the user part.
    public static func parse(_ text: String, environment: [String: String]) throws -> PostgresURL {
        func fail(_ problem: URLProblem) -> SegError {
            SegError(.usage, .database(.badURL(problem, from: "--db")))
        }
        var rest = Substring(text)
        guard let scheme = ["postgresql://", "postgres://"].first(where: { rest.hasPrefix($0) }) else {
            throw fail(.scheme)
        }
        rest = rest.dropFirst(scheme.count)
        if rest.contains("#") { throw fail(.fragment) }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        // `postgres://u:pa/ss@h/db`: the authority ended inside the password. Say so without
        // quoting any part (each would be a piece of the password).
        if rest.contains("@") {
            throw fail(.atAfterHost)
        }

        // user[:password]@ — the last '@' ends it, so a raw '@' in a password still works.
        var hostPort = authority
        var urlUser: String?
        var urlPassword: String?
        if let at = authority.lastIndex(of: "@") {
            let info = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            let colon = info.firstIndex(of: ":")
            // Never quote these parts: the password is among them.
            guard let user = decode(info[..<(colon ?? info.endIndex)]), !user.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw fail(.badUser)
            }
            urlUser = user.isEmpty ? nil : user
            if let colon {
                guard let password = decode(info[info.index(after: colon)...]) else {
                    throw fail(.badPassword)
                }
                urlPassword = password
            }
        }

        var urlHost: String?
        var urlPort: Int?
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw fail(.unclosedIPv6) }
            let address = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            guard address.filter({ $0 == ":" }).count >= 2,
                  address.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw fail(.notIPv6(shortened(address)))
            }
            urlHost = String(address)
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail(.afterIPv6(shortened(after))) }
                portText = after.dropFirst()
            }
        } else {
            let colon = hostPort.lastIndex(of: ":")
            let name = hostPort[..<(colon ?? hostPort.endIndex)]
            if let colon { portText = hostPort[hostPort.index(after: colon)...] }
            if !name.isEmpty {
                guard let host = decode(name) else { throw fail(.badHostEncoding(shortened(name))) }
                try checkHost(host, fail: fail)
                urlHost = host
            }
        }
        if let portText {
            guard let port = Self.port(portText) else {
                throw fail(.badPort(shortened(portText)))
            }
            urlPort = port
        }

        var urlDatabase: String?
        var sslMode: SSLMode?
        if rest.hasPrefix("/") {
            let end = rest.firstIndex(of: "?") ?? rest.endIndex
            let path = rest[rest.index(after: rest.startIndex)..<end]
            guard let database = decode(path), !database.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw fail(.badDatabase(shortened(path)))
            }
            urlDatabase = database.isEmpty ? nil : database
            rest = rest[end...]
        }
        if rest.hasPrefix("?") {
            for item in rest.dropFirst().split(separator: "&", omittingEmptySubsequences: false) {
                guard let eq = item.firstIndex(of: "="), let key = decode(item[..<eq]), let value = decode(item[item.index(after: eq)...]) else {
                    throw fail(.notAParameter(shortened(item)))
                }
                guard key == "sslmode" else { throw fail(.unknownParameter(shortened(key))) }
                guard let mode = SSLMode(rawValue: value) else {
                    throw SegError(.usage, .database(.unknownSSLMode(shortened(value), from: "--db")))
                }
                sslMode = mode
            }
        } else if !rest.isEmpty {
            throw fail(.afterHost(shortened(rest)))
        }

        // Missing parts from the environment, checked as strictly.
        let user = urlUser ?? environment["PGUSER"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["USER"] ?? "postgres"
        var host = urlHost ?? "localhost"
        if urlHost == nil, let env = environment["PGHOST"], !env.isEmpty {
            try checkHost(env) { SegError(.usage, .database(.badURL($0, from: "PGHOST"))) }
            host = env
        }
        var port = urlPort ?? 5432
        if urlPort == nil, let env = environment["PGPORT"], !env.isEmpty {
            guard let p = Self.port(Substring(env)) else {
                throw SegError(.usage, .database(.badURL(.badPort(shortened(env)), from: "PGPORT")))
            }
            port = p
        }
        let database = urlDatabase ?? environment["PGDATABASE"].flatMap { $0.isEmpty ? nil : $0 } ?? user
        if sslMode == nil, let raw = environment["PGSSLMODE"], !raw.isEmpty {
            guard let mode = SSLMode(rawValue: raw) else {
                throw SegError(.usage, .database(.unknownSSLMode(shortened(raw), from: "PGSSLMODE")))
            }
            sslMode = mode
        }
        var password = urlPassword
        if password == nil || password == "" { password = environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 } }
        if password == nil {
            let file = environment["PGPASSFILE"] ?? (environment["HOME"].map { $0 + "/.pgpass" })
            if let file { password = PasswordFile.lookup(path: file, host: host, port: port, database: database, user: user) }
        }
        return PostgresURL(user: user, password: password, host: host, port: port, database: database, sslMode: sslMode ?? .prefer)
    }

    /// Percent-decoding to UTF-8; nil for a bad escape (`%G1`, `%4`), invalid UTF-8 or a NUL.
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var i = text.utf8.startIndex
        let u = text.utf8
        while i != u.endIndex {
            let b = u[i]
            if b == UInt8(ascii: "%") {
                let h1 = u.index(after: i)
                guard h1 != u.endIndex else { return nil }
                let h2 = u.index(after: h1)
                guard h2 != u.endIndex, let hi = hexValue(u[h1]), let lo = hexValue(u[h2]) else { return nil }
                bytes.append(hi << 4 | lo)
                i = u.index(after: h2)
            } else {
                bytes.append(b)
                i = u.index(after: i)
            }
        }
        if bytes.contains(0) { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// 1…65535 written in ASCII digits only; nil otherwise.
    static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let n = Int(text), (1...65535).contains(n) else { return nil }
        return n
    }

    /// A host name (letters, digits, '-', '_', '.'; labels of 1–63, at most 253 in all) or an IPv4
    /// address. Several hosts (`a,b`) and socket folders are not supported.
    static func checkHost(_ host: String, fail: (URLProblem) -> SegError) throws {
        if host.contains(",") { throw fail(.severalHosts(shortened(host))) }
        if host.hasPrefix("/") { throw fail(.socketFolder(shortened(host))) }
        guard host.utf8.count <= 253 else { throw fail(.hostTooLong) }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let valid = labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63
                && label.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x5F }
        }
        guard valid else { throw fail(.notAHostName(shortened(host))) }
    }

    /// A part quoted in a message: at most 60 characters, control characters made visible.
    static func shortened(_ text: some StringProtocol) -> String {
        let s = String(text)
        return DisplayWidth.sanitized(s.count <= 60 ? s : String(s.prefix(28)) + "…" + String(s.suffix(28)))
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
