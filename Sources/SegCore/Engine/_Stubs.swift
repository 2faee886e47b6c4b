// TEMPORARY stubs until the writers/readers branches merge.
public struct WriterOptions: Sendable {
    public var format: OutputFormat
    public var color: Bool = false
    public var terminalWidth: Int? = nil
    public var maxRows: Int? = nil
    public var neutralizeFormulas: Bool = true
    public init(format: OutputFormat) { self.format = format }
}
public enum ResultWriter {
    public static func write(_ result: ResultSet, options: WriterOptions, to output: Output) throws {
        try output.write(result.columns.map(\.name).joined(separator: ",") + "\n")
        for i in 0..<result.rowCount {
            try output.write(result.columns.map { c in
                let r = c.storageRow(i)
                return c.column.isPresent(r) ? CellOrder.string(c.column, r) : ""
            }.joined(separator: ",") + "\n")
        }
    }
}
