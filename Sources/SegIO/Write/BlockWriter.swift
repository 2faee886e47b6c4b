import SegBase
import SegStore

/// Writes rows formatted in blocks on every core, in order. Tuned: an export or a long list was
/// bound by one core's formatting. A batch holds a bounded number of blocks, so memory stays
/// small however many rows there are.
enum BlockWriter {
    /// Blocks formatted at once before they are written.
    static let blocksPerBatch = 16

    /// Calls `format(first, count)` for each block of `rowsPerBlock` rows of `0..<rowCount`
    /// (several at once) and writes what it returns, through `shown`, in row order.
    static func write(rowCount: Int, rowsPerBlock: Int, to output: Output, shown: ([UInt8]) -> [UInt8] = { $0 },
                      _ format: (_ first: Int, _ count: Int) -> [UInt8]) throws {
        let chunk = max(1, rowsPerBlock)
        var first = 0
        while first < rowCount {
            let blockCount = min(blocksPerBatch, (rowCount - first + chunk - 1) / chunk)
            var blocks = [[UInt8]](repeating: [], count: blockCount)
            let batchStart = first
            blocks.withUnsafeMutableBufferPointer { out in
                let out = UncheckedSendable(out)
                Parallel.forEach(blockCount) { b in
                    let start = batchStart + b * chunk
                    out.value[b] = format(start, min(chunk, rowCount - start))
                }
            }
            for block in blocks { try output.write(bytes: shown(block)) }
            first += blockCount * chunk
        }
    }
}

/// A block of rows formatted a column at a time (one type switch and one set of array borrows per
/// column, not per cell), then put together row by row. CSV, TSV and JSON differ only in how a
/// column's cells are written and in what goes around them.
struct RowBlock {
    /// What surrounds the cells of each row: `prefix` before the row (`leadingPrefix` before the
    /// block's first row), `cellPrefixes[c]` before column `c`'s cell, `suffix` after the row.
    struct Frame {
        var leadingPrefix: [UInt8]
        var prefix: [UInt8]
        var cellPrefixes: [[UInt8]]
        var suffix: [UInt8]
    }

    /// Rows `first..<first+count` of `sources`. `formatColumn(c, storage, &cells, &ends, endsBase)`
    /// appends column `c`'s cells at the storage rows `storage[0..<count]` to `cells`, recording
    /// where each ends in `ends[endsBase + k]`.
    static func format(_ sources: [CellSource], first: Int, count: Int, chunk: Int, frame: Frame,
                       _ formatColumn: (Int, [Int], inout [UInt8], inout [Int], Int) -> Void) -> [UInt8] {
        var cells: [UInt8] = []
        var ends = [Int](repeating: 0, count: sources.count * chunk)
        var starts = [Int](repeating: 0, count: sources.count)
        var storage = [Int](repeating: 0, count: chunk)
        for c in 0..<sources.count {
            let source = sources[c]
            for k in 0..<count { storage[k] = source.storageRow(first + k) }
            starts[c] = cells.count
            formatColumn(c, storage, &cells, &ends, c * chunk)
        }
        guard count > 0 else { return [] }
        // Exact size: every cell and everything around them.
        let around = frame.prefix.count + frame.cellPrefixes.reduce(0) { $0 + $1.count } + frame.suffix.count
        let size = cells.count + count * around + frame.leadingPrefix.count - frame.prefix.count
        let columnCount = sources.count
        return [UInt8](unsafeUninitializedCapacity: size) { out, initialized in
            guard let dst = out.baseAddress else { return }
            var at = 0
            func put(_ bytes: UnsafeBufferPointer<UInt8>) {
                guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
                (dst + at).initialize(from: base, count: bytes.count)
                at += bytes.count
            }
            cells.withUnsafeBufferPointer { cellBytes in
                for k in 0..<count {
                    (k == 0 ? frame.leadingPrefix : frame.prefix).withUnsafeBufferPointer(put)
                    for c in 0..<columnCount {
                        frame.cellPrefixes[c].withUnsafeBufferPointer(put)
                        let from = k == 0 ? starts[c] : ends[c * chunk + k - 1]
                        put(UnsafeBufferPointer(rebasing: cellBytes[from..<ends[c * chunk + k]]))
                    }
                    frame.suffix.withUnsafeBufferPointer(put)
                }
            }
            initialized = at
        }
    }
}
