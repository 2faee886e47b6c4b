import SegBase
import SegStore
import SegSyntax

// Arithmetic over whole columns, exact: numbers are integers scaled by 10^scale, products and
// quotients go through 128 bits, and a result that leaves 64 bits is an error, never a wrong value.
// A missing operand gives a missing result; so does division by zero.

/// A number column or a constant, at its own scale.
struct NumberInput {
    var values: [Int64]
    /// True when `values` holds one value for every row.
    var isConstant: Bool
    var scale: Int
    var validity: Bitmap?

    init(_ column: Column) {
        switch column.data {
        case .integer(let v): values = v; scale = 0
        case .decimal(let v, let s): values = v; scale = s
        default: values = []; scale = 0
        }
        isConstant = false
        validity = column.validity
    }

    init(constant: Int64, scale: Int) {
        values = [constant]
        isConstant = true
        self.scale = scale
    }
}

/// Why a column of arithmetic could not be computed.
struct ArithmeticOverflow: Error {}

enum ArithmeticKernel {
    /// `a op b` for `count` rows, at `scale` decimal places.
    static func apply(_ op: ArithmeticOperator, _ a: NumberInput, _ b: NumberInput, scale: Int, count: Int) throws(ArithmeticOverflow) -> (values: [Int64], validity: Bitmap?) {
        var validity = combined(a.validity, b.validity, count: count)
        var out = [Int64](repeating: 0, count: count)
        // One flag per 64 rows: a block that meets an overflow marks its first word and stops.
        let words = (count + 63) >> 6
        var overflowAt = [UInt8](repeating: 0, count: words)
        let present = validity
        // Tuned: one loop per operator over raw buffers, blocks of rows on every core; a constant
        // side is read once.
        a.values.withUnsafeBufferPointer { av in
            b.values.withUnsafeBufferPointer { bv in
                out.withUnsafeMutableBufferPointer { o in
                    overflowAt.withUnsafeMutableBufferPointer { flags in
                        let ka = Int64(FixedPoint.powersOfTen[max(0, scale - a.scale)])
                        let kb = Int64(FixedPoint.powersOfTen[max(0, scale - b.scale)])
                        @inline(__always) func x(_ i: Int) -> Int64 { a.isConstant ? av[0] : av[i] }
                        @inline(__always) func y(_ i: Int) -> Int64 { b.isConstant ? bv[0] : bv[i] }
                        Parallel.blocks(words) { block in
                            let rows = (block.lowerBound << 6)..<min(count, block.upperBound << 6)
                            @inline(__always) func fail() { flags[block.lowerBound] = 1 }
                            switch op {
                            case .add, .subtract:
                                for i in rows {
                                    let (l, o1) = x(i).multipliedReportingOverflow(by: ka)
                                    let (r, o2) = y(i).multipliedReportingOverflow(by: kb)
                                    let (v, o3) = op == .add ? l.addingReportingOverflow(r) : l.subtractingReportingOverflow(r)
                                    if o1 || o2 || o3 { if present?[i] ?? true { fail(); return } }
                                    o[i] = v
                                }
                            case .multiply:
                                // Scales add: no rescaling.
                                for i in rows {
                                    let (v, overflow) = x(i).multipliedReportingOverflow(by: y(i))
                                    if overflow { if present?[i] ?? true { fail(); return } }
                                    o[i] = v
                                }
                            case .divide:
                                // (x / 10^sa) / (y / 10^sb) at 10^scale: x · 10^(scale - sa + sb) / y, rounded
                                // half away from zero.
                                let factor = Int128(FixedPoint.powersOfTen[scale - a.scale + b.scale])
                                for i in rows {
                                    let d = Int128(y(i))
                                    if d == 0 { o[i] = 0; continue }  // missing, below
                                    let n = Int128(x(i)) * factor
                                    let q = (n.magnitude * 2 + d.magnitude) / (2 * d.magnitude)
                                    let v = (n < 0) != (d < 0) ? -Int128(q) : Int128(q)
                                    guard let exact = Int64(exactly: v) else {
                                        if present?[i] ?? true { fail(); return }
                                        continue
                                    }
                                    o[i] = exact
                                }
                            }
                        }
                    }
                }
            }
        }
        let failed = overflowAt.contains(1)
        if failed { throw ArithmeticOverflow() }
        if op == .divide {
            // Division by zero gives a missing value.
            var zero: Bitmap?
            b.values.withUnsafeBufferPointer { bv in
                for i in 0..<count where (b.isConstant ? bv[0] : bv[i]) == 0 {
                    if zero == nil { zero = Bitmap(count: count, filled: true) }
                    zero?[i] = false
                }
            }
            if let zero { validity = validity.map { $0 & zero } ?? zero }
        }
        return (out, validity)
    }

    /// `-a`
    static func negate(_ a: NumberInput, count: Int) throws(ArithmeticOverflow) -> [Int64] {
        var out = [Int64](repeating: 0, count: count)
        for i in 0..<count {
            let v = a.isConstant ? a.values[0] : a.values[i]
            if v == .min { if a.validity?[i] ?? true { throw ArithmeticOverflow() } else { continue } }
            out[i] = -v
        }
        return out
    }

    /// Rows present in both (nil: all).
    static func combined(_ a: Bitmap?, _ b: Bitmap?, count: Int) -> Bitmap? {
        switch (a, b) {
        case (nil, nil): return nil
        case (let x?, nil): return x
        case (nil, let y?): return y
        case (let x?, let y?): return x & y
        }
    }

    /// Each date `count` units later (earlier when negative); a date beyond 0000…9999 is missing.
    static func shift(_ days: [Int32], validity: Bitmap?, by n: Int, _ unit: DateUnit) -> (values: [Int32], validity: Bitmap?) {
        var out = [Int32](repeating: 0, count: days.count)
        var valid = validity
        func mark(_ i: Int) {
            if valid == nil { valid = Bitmap(count: days.count, filled: true) }
            valid?[i] = false
        }
        switch unit {
        case .days, .weeks:
            let step = unit == .days ? n : 7 * n
            for (i, d) in days.enumerated() {
                let v = Int(d) + step
                if CivilDate.supportedRange.contains(v) { out[i] = Int32(v) } else { mark(i) }
            }
        case .months, .years:
            let months = unit == .months ? n : 12 * n
            // Calendar arithmetic once per distinct day in the column's range (a table), not per row.
            guard let lo = days.min(), let hi = days.max() else { return (out, valid) }
            let table: [Int?] = Int(hi) - Int(lo) < 1 << 20
                ? (Int(lo)...Int(hi)).map { CivilDate.addingMonthsInRange(months, to: $0) } : []
            for (i, d) in days.enumerated() {
                let v = table.isEmpty ? CivilDate.addingMonthsInRange(months, to: Int(d)) : table[Int(d) - Int(lo)]
                if let v { out[i] = Int32(v) } else { mark(i) }
            }
        }
        return (out, valid)
    }
}
