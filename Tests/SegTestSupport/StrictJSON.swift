/// A strict RFC 8259 JSON validator, for checking seg's output. Foundation's JSONSerialization
/// is lenient (it accepts a trailing comma in an array), so OutputCheck uses both.
public enum StrictJSON {
    /// nil when `bytes` are exactly one JSON value (surrounded by optional whitespace), else
    /// what is wrong and the byte offset where.
    public static func problem(_ bytes: [UInt8]) -> String? {
        var p = Parser(b: bytes)
        do throws(Failure) {
            p.space()
            try p.value(depth: 0)
            p.space()
            if p.i != bytes.count { throw Failure(what: "text after the value", at: p.i) }
            return nil
        } catch {
            return "\(error.what) at byte \(error.at)"
        }
    }

    struct Failure: Error {
        var what: String
        var at: Int
    }

    struct Parser {
        let b: [UInt8]
        var i = 0

        func fail(_ what: String) -> Failure { Failure(what: what, at: i) }

        var peek: UInt8? { i < b.count ? b[i] : nil }

        mutating func space() {
            while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 }
        }

        mutating func expect(_ c: UInt8) throws(Failure) {
            guard peek == c else { throw fail("expected '\(Character(Unicode.Scalar(c)))'") }
            i += 1
        }

        mutating func value(depth: Int) throws(Failure) {
            guard depth < 512 else { throw fail("nested too deep") }
            switch peek {
            case UInt8(ascii: "{"):
                i += 1
                space()
                if peek == UInt8(ascii: "}") { i += 1; return }
                while true {
                    space()
                    try string()
                    space()
                    try expect(UInt8(ascii: ":"))
                    space()
                    try value(depth: depth + 1)
                    space()
                    if peek == UInt8(ascii: ",") { i += 1; continue }
                    try expect(UInt8(ascii: "}"))
                    return
                }
            case UInt8(ascii: "["):
                i += 1
                space()
                if peek == UInt8(ascii: "]") { i += 1; return }
                while true {
                    space()
                    try value(depth: depth + 1)
                    space()
                    if peek == UInt8(ascii: ",") { i += 1; continue }
                    try expect(UInt8(ascii: "]"))
                    return
                }
            case UInt8(ascii: "\""):
                try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default:
                try number()
            }
        }

        mutating func literal(_ word: String) throws(Failure) {
            for c in word.utf8 { try expect(c) }
        }

        mutating func digits() throws(Failure) {
            guard let c = peek, (0x30...0x39).contains(c) else { throw fail("expected a digit") }
            while let c = peek, (0x30...0x39).contains(c) { i += 1 }
        }

        mutating func number() throws(Failure) {
            if peek == UInt8(ascii: "-") { i += 1 }
            if peek == UInt8(ascii: "0") {
                i += 1
            } else {
                try digits()
            }
            if peek == UInt8(ascii: ".") {
                i += 1
                try digits()
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                i += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
                try digits()
            }
        }

        /// A string: no raw control characters, only JSON's escapes (UTF-8 validity is checked
        /// on the whole output separately).
        mutating func string() throws(Failure) {
            try expect(UInt8(ascii: "\""))
            while true {
                guard let c = peek else { throw fail("unterminated string") }
                i += 1
                switch c {
                case UInt8(ascii: "\""):
                    return
                case UInt8(ascii: "\\"):
                    guard let e = peek else { throw fail("unterminated escape") }
                    i += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        break
                    case UInt8(ascii: "u"):
                        for _ in 0..<4 {
                            guard let h = peek, (0x30...0x39).contains(h) || (0x41...0x46).contains(h) || (0x61...0x66).contains(h) else {
                                throw fail("bad \\u escape")
                            }
                            i += 1
                        }
                    default:
                        i -= 1
                        throw fail("bad escape")
                    }
                case 0..<0x20:
                    i -= 1
                    throw fail("raw control character in a string")
                default:
                    break
                }
            }
        }
    }
}
