/// Which columns of a table a reader builds: a one-shot run names them (see `ColumnDemand` in
/// SegSemantics); nil wants every column. The readers of text files, seg books and database
/// tables all ask `wants`.
public enum ColumnSelection {
    /// Whether a column (`name`, at `index` in its table) is among `wanted` (lowercased names, and
    /// `firstColumn` for the first); nil wants every column.
    public static func wants(_ name: String, index: Int, in wanted: Set<String>?) -> Bool {
        guard let wanted else { return true }
        return wanted.contains(name.lowercased()) || (index == 0 && wanted.contains(firstColumn))
    }

    /// Stands for "the file's first column" (a listing's last resort); no column name starts with `#`
    /// that a statement could name.
    public static let firstColumn = "#first"
}
