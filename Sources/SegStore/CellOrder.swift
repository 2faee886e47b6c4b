import SegBase

/// Compares cells of any two columns whose types `checkComparable` allowed together.
public enum CellOrder {
    public static func compare(_ a: Column, _ i: Int, _ b: Column, _ j: Int) -> Int {
        switch (a.data, b.data) {
        case (.date(let x), .date(let y)):
            return x[i] == y[j] ? 0 : (x[i] < y[j] ? -1 : 1)
        case (.boolean(let x), .boolean(let y)):
            return x[i] == y[j] ? 0 : (!x[i] ? -1 : 1)
        default:
            if let x = scaled(a, i), let y = scaled(b, j) {
                let (xs, ys) = (a.scale, b.scale)
                let s = max(xs, ys)
                let xv = Int128(x) * Int128(FixedPoint.powersOfTen[s - xs])
                let yv = Int128(y) * Int128(FixedPoint.powersOfTen[s - ys])
                return xv == yv ? 0 : (xv < yv ? -1 : 1)
            }
            var sa = string(a, i)
            var sb = string(b, j)
            return sa.withUTF8 { pa in sb.withUTF8 { pb in Bytes.compare(UnsafeBufferPointer(rebasing: pa[...]), UnsafeBufferPointer(rebasing: pb[...])) } }
        }
    }

    static func scaled(_ c: Column, _ i: Int) -> Int64? {
        switch c.data {
        case .integer(let v), .decimal(let v, _): return v[i]
        default: return nil
        }
    }

    public static func string(_ c: Column, _ i: Int) -> String {
        switch c.data {
        case .category(let codes, let dictionary): return dictionary[Int(codes[i])]
        case .text(let buffer): return buffer.string(at: i)
        case .tags(let sets): return sets.tags(at: i).joined(separator: ";")
        case .integer(let v): return String(v[i])
        case .decimal(let v, let s): return FixedPoint.format(v[i], scale: s)
        case .date(let v): return CivilDate.format(Int(v[i]))
        case .boolean(let v): return v[i] ? "true" : "false"
        }
    }
}
