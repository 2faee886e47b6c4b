// TEMPORARY until the readers branch merges.
public enum DataFormat: String, Sendable { case csv, tsv, json, jsonl }
public enum DataLoader {
    public static func load(path: String, tableName: String, types: [String: FieldType]) throws -> Table {
        throw SegError(.missingInput, "loading files is not available yet")
    }
}
