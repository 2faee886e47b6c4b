import Foundation
import Testing
import SegBase
import SegPatterns
import SegStore
import SegSyntax
import SegFunctions
import SegSemantics
import SegSQL
import SegIO
import SegEngine
import SegCommands
@testable import SegPostgres

/// The `--db` URL parser (issue 20): every part parses completely or is an error naming it;
/// a missing part takes its default, a malformed one never does; no message shows the password.
/// No server needed.
@Suite("PostgreSQL URL parsing")
struct PostgresURLTests {
    static let secret = "s3cret-Pw"

    func parse(_ url: String, _ env: [String: String] = [:]) throws -> PostgresURL {
        try PostgresURL.parse(url, environment: env)
    }

    /// The message of the error `url` gives, checked to be a usage error without the password.
    func failure(_ url: String, _ env: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            let parsed = try parse(url, env)
            Issue.record("\(url.prefix(80)) parsed as \(parsed)", sourceLocation: sourceLocation)
            return ""
        } catch let error as SegError {
            #expect(error.kind == .usage, sourceLocation: sourceLocation)
            let shown = error.render(color: false)
            #expect(!shown.contains(Self.secret), "password in \(shown)", sourceLocation: sourceLocation)
            #expect(shown.utf8.count < 400, "\(shown.utf8.count) bytes", sourceLocation: sourceLocation)
            return error.message
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
            return ""
        }
    }

    @Test func wellFormedURLs() throws {
        let full = try parse("postgres://ann:\(Self.secret)@db.example.com:6543/crm?sslmode=require")
        #expect(full.user == "ann" && full.password == Self.secret && full.host == "db.example.com" && full.port == 6543)
        #expect(full.database == "crm" && full.sslMode == .require)
        #expect(!full.description.contains(Self.secret))
        let encoded = try parse("postgresql://a%40b:p%3Aw%2F%40@h-1.x_y:1/my%20db")
        #expect(encoded.user == "a@b" && encoded.password == "p:w/@" && encoded.host == "h-1.x_y" && encoded.database == "my db")
        let rawAt = try parse("postgres://u:pa@ss@host/db")
        #expect(rawAt.password == "pa@ss" && rawAt.host == "host")
        let v6 = try parse("postgres://u@[::1]:5433/d")
        #expect(v6.host == "::1" && v6.port == 5433 && v6.description == "postgres://u@[::1]:5433/d")
        #expect(try parse("postgres://10.0.0.7/d").host == "10.0.0.7")
        #expect(try parse("postgres://h:65535/d").port == 65535)
    }

    @Test func missingPartsComeFromTheEnvironment() throws {
        let env = ["PGUSER": "envuser", "PGHOST": "envhost", "PGPORT": "7000", "PGDATABASE": "envdb", "PGSSLMODE": "disable",
                   "PGPASSWORD": "pw"]
        let url = try parse("postgres://", env)
        #expect(url.user == "envuser" && url.host == "envhost" && url.port == 7000 && url.database == "envdb")
        #expect(url.sslMode == .disable && url.password == "pw")
        let bare = try parse("postgres:///", ["USER": "me"])
        #expect(bare.user == "me" && bare.host == "localhost" && bare.port == 5432 && bare.database == "me" && bare.sslMode == .prefer)
        // The URL wins over the environment.
        let given = try parse("postgres://u@h:1/d?sslmode=require", env)
        #expect(given.user == "u" && given.host == "h" && given.port == 1 && given.database == "d" && given.sslMode == .require)
    }

    /// A 4,000-character host made Foundation's parser return no host, and seg sent the password
    /// to localhost.
    @Test func aHostThatDoesNotParseIsAnErrorNotLocalhost() {
        let long = String(repeating: "a", count: 4_000)
        #expect(failure("postgres://u:\(Self.secret)@\(long):5432/db").contains("the host name is longer than 253 characters"))
        #expect(failure("postgres://u:\(Self.secret)@\(String(repeating: "b", count: 64)).com/db").contains("is not a host name"))
        #expect(failure("postgres://u:\(Self.secret)@host%00evil/db").contains("is not valid percent-encoded text"))
        #expect(failure("postgres://u:\(Self.secret)@host%zz/db").contains("is not valid percent-encoded text"))
        #expect(failure("postgres://u:\(Self.secret)@ho st/db").contains("is not a host name"))
        #expect(failure("postgres://u:\(Self.secret)@ho\u{1B}st/db").contains("is not a host name"))
        #expect(failure("postgres://u:\(Self.secret)@a..b/db").contains("is not a host name"))
        #expect(failure("postgres://u:\(Self.secret)@a,b/db").contains("several hosts"))
        #expect(failure("postgres://u:\(Self.secret)@%2Ftmp/db").contains("Unix socket"))
        #expect(failure("postgres://u:\(Self.secret)@[::1/db").contains("']' does not close"))
        #expect(failure("postgres://u:\(Self.secret)@[zz]/db").contains("is not an IPv6 address"))
        #expect(failure("postgres://u:\(Self.secret)@[::1]x/db").contains("after the IPv6 address"))
    }

    @Test func portsOutsideOneTo65535AreErrors() {
        for port in ["65536", "0", "-1", "99999999999999999999", "5432x", "+5432", "", " 5432", "٥٤٣٢"] {
            #expect(failure("postgres://u:\(Self.secret)@h:\(port)/db").contains("is not a number from 1 to 65535"), "port \(port)")
        }
        #expect(failure("postgres://h/db", ["PGPORT": "65536"]).contains("PGPORT '65536' is not a number from 1 to 65535"))
        #expect(failure("postgres:///db", ["PGHOST": "a b"]).hasPrefix("PGHOST: 'a b' is not a host name"))
    }

    @Test func everyOtherPartIsChecked() {
        #expect(failure("mysql://u@h/db").contains("must start with postgres://"))
        #expect(failure("postgres://u%ZZ:\(Self.secret)@h/db").contains("the user name is not valid"))
        #expect(failure("postgres://u:\(Self.secret)%Z@h/db").contains("the password is not valid"))
        #expect(failure("postgres://u:\(Self.secret)@h/d%00b").contains("the database name"))
        #expect(failure("postgres://u:\(Self.secret)@h/db?sslmode=maybe").contains("unknown sslmode 'maybe'"))
        #expect(failure("postgres://u:\(Self.secret)@h/db?connect_timeout=3").contains("unknown parameter 'connect_timeout'"))
        #expect(failure("postgres://u:\(Self.secret)@h/db?sslmode").contains("is not a NAME=VALUE parameter"))
        #expect(failure("postgres://u:\(Self.secret)@h/db#frag").contains("fragment"))
        #expect(failure("postgres://h/db", ["PGSSLMODE": "bogus"]).contains("PGSSLMODE: unknown sslmode 'bogus'"))
        // A raw '/' or '?' in the password cuts the authority short: an error that quotes no part of it.
        for url in ["postgres://u:ab/\(Self.secret)@h/db", "postgres://u:\(Self.secret)/x@h/db", "postgres://u:ab?\(Self.secret)@h/db"] {
            let message = failure(url)
            #expect(message.contains("must be written %2F or %3F"), "\(message)")
            #expect(!message.contains("ab") && !message.contains("'x"), "\(message)")
        }
    }
}
