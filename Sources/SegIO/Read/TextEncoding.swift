#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SegBase

/// Turns a file in another character encoding into UTF-8 with the system's iconv (glibc), so no
/// table of characters is written here. Excel on Chinese Windows saves CSV as GBK; GB18030 is its
/// superset, so a GBK file reads the same as GB18030.
public enum TextEncoding {
    /// The encoding tried when a file is not valid UTF-8 and no `--encoding` was given.
    public static let fallback = "GB18030"

    /// Whether `name` is UTF-8 itself (no conversion).
    public static func isUTF8(_ name: String) -> Bool {
        let n = name.lowercased().filter { $0 != "-" && $0 != "_" }
        return n == "utf8"
    }

    /// Whether bytes that are not valid UTF-8 look like another encoding rather than damaged
    /// UTF-8: more of their non-ASCII sequences are invalid UTF-8 than valid (GBK text read as
    /// UTF-8 is mostly invalid; a UTF-8 file with one bad byte is mostly valid).
    public static func looksLikeOtherEncoding(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = bytes.baseAddress else { return false }
        var valid = 0, invalid = 0, i = 0
        while i < bytes.count {
            if p[i] < 0x80 {
                i += 1
                continue
            }
            let n = UTF8Check.sequenceLength(p, i, bytes.count)
            if n > 0 {
                valid += 1
                i += n
            } else {
                invalid += 1
                i += 1
            }
        }
        return invalid > valid
    }

    /// Whether the double-byte characters of a GBK/GB18030 reading are mostly common Chinese:
    /// at least half of them in the GB2312 area (both bytes A1–FE, the 6,763 characters of
    /// everyday text). A Latin-1 or Windows-1252 file (`M\u{FC}ller`) also converts, but each
    /// accented letter pairs with the ASCII letter after it into a rare GBK character, so it
    /// fails this and stays an invalid-UTF-8 error instead of a column of nonsense.
    public static func mostlyCommonChinese(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = bytes.baseAddress else { return false }
        var common = 0, total = 0, i = 0
        while i < bytes.count {
            let c = p[i]
            guard c >= 0x81, c <= 0xFE, i + 1 < bytes.count else {
                i += 1
                continue
            }
            let t = p[i + 1]
            if t >= 0x30 && t <= 0x39 {  // a four-byte GB18030 sequence
                i += 4
                continue
            }
            total += 1
            if c >= 0xA1 && c <= 0xF7 && t >= 0xA1 && t <= 0xFE { common += 1 }
            i += 2
        }
        return total > 0 && common * 2 >= total
    }

    /// Whether converted text reads as Chinese: two non-ASCII characters at least, every one of
    /// them a CJK character, CJK or full-width punctuation, or a common mark (· — “ ” … ×). A UTF-8
    /// file with a bad byte, read as GB18030, gives one stray character or none of these.
    public static func readsAsChinese(_ utf8: [UInt8]) -> Bool {
        var count = 0
        for scalar in String(decoding: utf8, as: UTF8.self).unicodeScalars where scalar.value >= 0x80 {
            switch scalar.value {
            case 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF00...0xFFEF, 0x00B7, 0x00D7, 0x2014, 0x2018...0x201D, 0x2026:
                count += 1
            default:
                return false
            }
        }
        return count >= 2
    }

    /// Whether iconv knows the encoding.
    public static func isKnown(_ name: String) -> Bool {
        let cd = iconv_open("UTF-8", name)
        if cd == iconv_t(bitPattern: -1) { return false }
        iconv_close(cd)
        return true
    }

    /// The bytes converted to UTF-8, or the offset of the first byte that is not valid in `name`.
    public static func toUTF8(_ bytes: UnsafeBufferPointer<UInt8>, from name: String) -> Result<[UInt8], ConversionFailure> {
        let cd = iconv_open("UTF-8", name)
        if cd == iconv_t(bitPattern: -1) { return .failure(ConversionFailure(offset: 0, unknownEncoding: true)) }
        defer { iconv_close(cd) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .success([]) }
        // Chinese characters take 2 bytes in GB18030 and 3 in UTF-8: one and a half times, plus room.
        var out = [UInt8](repeating: 0, count: bytes.count + bytes.count / 2 + 16)
        var written = 0
        var consumed = 0
        while true {
            var inLeft = bytes.count - consumed
            var outLeft = out.count - written
            let result: Int = out.withUnsafeMutableBufferPointer { o in
                guard let ob = o.baseAddress else { return 0 }
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base + consumed)
                    .assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ob + written).assumingMemoryBound(to: CChar.self)
                let before = inLeft, room = outLeft
                let r = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                consumed += before - inLeft
                written += room - outLeft
                return r
            }
            if result != -1 { break }
            let err = errno
            if err == E2BIG {
                out.append(contentsOf: [UInt8](repeating: 0, count: out.count / 2 + 16))
                continue
            }
            // EILSEQ (not valid in that encoding) or EINVAL (cut off at the end).
            return .failure(ConversionFailure(offset: consumed, unknownEncoding: false))
        }
        out.removeLast(out.count - written)
        return .success(out)
    }

    /// Where a conversion stopped.
    public struct ConversionFailure: Error, Sendable {
        public var offset: Int
        public var unknownEncoding: Bool
    }
}
