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

/// Forged seg books, for the tests and the book fuzz target: `resealed` recomputes every checksum
/// of a book (each section's, the column list's, the header's) and its stored file length from
/// the bytes as they are, so a damaged book reaches the structural checks behind the checksums,
/// as a deliberately forged file would. The column list is walked as `BookFile`'s layout comment
/// describes; where it is too damaged to walk, what could be found is resealed.
public enum BookForgery {
    public static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        guard b.count >= 64, Array(b[0..<8]) == BookFile.magic else { return b }
        func u32(_ at: Int) -> Int? {
            guard at >= 0, at + 4 <= b.count else { return nil }
            return (0..<4).reduce(0) { $0 | Int(b[at + $1]) << (8 * $1) }
        }
        func u64(_ at: Int) -> UInt64? {
            guard at >= 0, at + 8 <= b.count else { return nil }
            return (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) }
        }
        func put(_ v: UInt64, at: Int) {
            for k in 0..<8 { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
        }
        func hash(_ range: Range<Int>) -> UInt64 {
            b.withUnsafeBytes { BookChecksum.hash(UnsafeRawBufferPointer(rebasing: $0[range])) }
        }
        put(UInt64(b.count), at: 16)
        let metaLength = Int(clamping: u64(40) ?? 0)
        let metaEnd = 64 + min(metaLength, b.count - 64)
        // Walk the column list: table name, column count, then each column.
        var cursor = 64
        func skipString() -> Bool {
            guard let n = u32(cursor), cursor + 4 + n <= metaEnd else { return false }
            cursor += 4 + n
            return true
        }
        if skipString(), let columns = u32(cursor) {
            cursor += 4
            walk: for _ in 0..<columns {
                guard skipString(), cursor + 20 <= metaEnd else { break }
                let sections = Int(b[cursor + 3])
                cursor += 20
                for _ in 0..<sections {
                    guard cursor + 24 <= metaEnd, let offset = u64(cursor), let length = u64(cursor + 8) else { break walk }
                    if offset <= UInt64(b.count), length <= UInt64(b.count) - offset {
                        let range = Int(offset)..<Int(offset + length)
                        let sum = b.withUnsafeBytes { BookChecksum.section(UnsafeRawBufferPointer(rebasing: $0[range])) }
                        put(sum, at: cursor + 16)
                    }
                    cursor += 24
                }
            }
        }
        put(hash(64..<metaEnd), at: 48)
        put(hash(0..<56), at: 56)
        return b
    }
}
