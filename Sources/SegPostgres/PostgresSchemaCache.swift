import Foundation
import SegBase

/// What a quick start learned about one table's text and tag columns (their kind, and the values
/// seen in a bounded sample or looked up since), kept in the state folder so the next run on an
/// unchanged table starts without reading the table at all.
///
/// The cache is a hint, never the truth: every value it lacks is looked up in the data before a
/// statement calls it unknown (`SampledValues`), and a value it holds that the table no longer
/// does matches no row, as it would anyway. It is used only while the table's `signature` is the
/// one it was written under (see `PostgresSchema.signature`).
struct SchemaCache: Codable, Equatable {
    struct Entry: Codable, Equatable {
        /// `category`, `text`, `tags` (a text[] column) or `delimited` (`;`-separated text).
        var kind: String
        /// Sorted by bytes.
        var values: [String]
    }

    static let format = 1
    var format = SchemaCache.format
    var signature: String
    var rows: Int
    /// Keyed by the column's name as the catalog spells it.
    var columns: [String: Entry]

    /// `$SEG_DB_CACHE` (a folder; `off` for none), else `$XDG_STATE_HOME/seg/db-cache`, else
    /// `~/.local/state/seg/db-cache`, beside the prompt's history.
    static func folder(environment: [String: String]) -> String? {
        if let p = environment["SEG_DB_CACHE"], !p.isEmpty { return p == "off" ? nil : p }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/seg/db-cache" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/state/seg/db-cache" }
        return nil
    }

    /// One file per server, database, user (row security may show users different rows) and table.
    static func path(folder: String, url: PostgresURL, relation: String) -> String {
        let key = "\(url.host)\u{0}\(url.port)\u{0}\(url.database)\u{0}\(url.user)\u{0}\(relation)"
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across runs, unlike Hasher
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let readable = relation.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) ? Character($0) : "_" }
        return folder + "/" + String(String(readable).prefix(40)) + "-" + String(hash, radix: 16) + ".json"
    }

    /// The cache at `path` when it was written for `signature`; nil when missing, unreadable,
    /// of another format or another version of the table.
    static func read(_ path: String, signature: String) -> SchemaCache? {
        guard let data = FileManager.default.contents(atPath: path),
              let cache = try? JSONDecoder().decode(SchemaCache.self, from: data),
              cache.format == format, cache.signature == signature else { return nil }
        return cache
    }

    /// Writes the cache (mode 0600 in a 0700 folder: it holds values of the table) through a
    /// temporary file, so a reader never sees half of it. A cache that cannot be written is no
    /// error: the next run reads the table again.
    func write(_ path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return }
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }
}
