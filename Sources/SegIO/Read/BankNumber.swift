/// A number as bank systems and spreadsheets export it, read exactly (a scaled integer, never a
/// `Double`): thousands separators `1,234,567.89`, currency marks `￥ ¥ RMB` before and `元` after,
/// units `万` (10⁴), `亿` (10⁸), `k` (10³), `m` (10⁶), `12.5%` (0.125), accounting negatives
/// `(1,234.00)`, scientific `1e6`, full-width digits and marks (`１２３．４５`, `，`, `－`).
///
/// Grouping must be real grouping: a first group of one to three digits, then groups of exactly
/// three (`1,23` is not a number, as it could be a European decimal). Plain `-?[0-9]+(\.[0-9]+)?`
/// cells take the faster `NumberScan` path; this one reads what that refuses.
struct BankNumber: Equatable {
    /// The value is `mantissa / 10^scale`.
    var mantissa: Int64
    var scale: Int

    /// The widest exponent `1e…` may have; beyond it a value cannot fit anyway.
    static let maxExponent = 36

    init(mantissa: Int64, scale: Int) {
        self.mantissa = mantissa
        self.scale = scale
    }

    // UTF-8 of the marks read here.
    private static let yuan: [UInt8] = [0xE5, 0x85, 0x83]       // 元
    private static let wan: [UInt8] = [0xE4, 0xB8, 0x87]        // 万
    private static let yi: [UInt8] = [0xE4, 0xBA, 0xBF]         // 亿
    private static let fullYen: [UInt8] = [0xEF, 0xBF, 0xA5]    // ￥
    private static let yen: [UInt8] = [0xC2, 0xA5]              // ¥
    private static let fullPercent: [UInt8] = [0xEF, 0xBC, 0x85] // ％

    init?(_ p: UnsafePointer<UInt8>, _ n: Int) {
        var i = 0, e = n
        @inline(__always) func has(_ mark: [UInt8], at k: Int) -> Bool {
            guard k >= 0, k + mark.count <= e, k >= i else { return false }
            for j in 0..<mark.count where p[k + j] != mark[j] { return false }
            return true
        }
        /// A full-width form of an ASCII character (U+FF01…U+FF5E) at `k`: its ASCII byte.
        @inline(__always) func fullWidth(at k: Int) -> UInt8? {
            guard k + 3 <= e, p[k] == 0xEF else { return nil }
            if p[k + 1] == 0xBC, p[k + 2] >= 0x81 && p[k + 2] <= 0xBF { return p[k + 2] - 0x81 + 0x21 }
            if p[k + 1] == 0xBD, p[k + 2] >= 0x80 && p[k + 2] <= 0x9E { return p[k + 2] - 0x80 + 0x60 }
            return nil
        }
        /// The ASCII character at `k` (a full-width one read as its ASCII twin) and its width in bytes.
        @inline(__always) func char(at k: Int) -> (UInt8, Int)? {
            guard k < e else { return nil }
            if p[k] < 0x80 { return (p[k], 1) }
            return fullWidth(at: k).map { ($0, 3) }
        }
        @inline(__always) func lastChar() -> (UInt8, Int)? {
            guard e > i else { return nil }
            if p[e - 1] < 0x80 { return (p[e - 1], 1) }
            return e - 3 >= i ? fullWidth(at: e - 3).map { ($0, 3) } : nil
        }
        func trim() {
            while i < e, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
            while e > i, p[e - 1] == 0x20 || p[e - 1] == 0x09 { e -= 1 }
        }
        trim()
        var negative = false
        if let (open, w) = char(at: i), open == 0x28, let (close, v) = lastChar(), close == 0x29 {
            negative = true
            i += w
            e -= v
            trim()
        }
        var signed = false
        func sign() {
            guard !signed, let (c, w) = char(at: i), c == 0x2D || c == 0x2B else { return }
            if negative && c == 0x2D { negative = false } else if c == 0x2D { negative = true }
            signed = true
            i += w
            trim()
        }
        sign()
        // A currency mark before the digits: ￥ ¥ RMB.
        if has(Self.fullYen, at: i) { i += 3 } else if has(Self.yen, at: i) { i += 2 } else if e - i >= 3,
            p[i] | 0x20 == 0x72, p[i + 1] | 0x20 == 0x6D, p[i + 2] | 0x20 == 0x62 { i += 3 }
        trim()
        sign()
        // After the digits: 元, then a unit or a percent sign.
        var shift = 0
        if has(Self.yuan, at: e - 3) { e -= 3; trim() }
        if has(Self.wan, at: e - 3) { shift = 4; e -= 3 } else if has(Self.yi, at: e - 3) { shift = 8; e -= 3 }
        else if has(Self.fullPercent, at: e - 3) { shift = -2; e -= 3 }
        else if e > i {
            switch p[e - 1] {
            case 0x6B, 0x4B: shift = 3; e -= 1   // k K
            case 0x6D, 0x4D: shift = 6; e -= 1   // m M
            case 0x25: shift = -2; e -= 1        // %
            default: break
            }
        }
        trim()
        // The digits: groups, a fraction, an exponent.
        var magnitude: UInt64 = 0
        var overflow = false
        var digits = 0, fraction = 0
        var groupDigits = 0, grouped = false, firstGroupZero = false
        var inFraction = false
        @inline(__always) func push(_ d: UInt8) {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            magnitude = a
            overflow = overflow || o1 || o2
        }
        var exponent = 0
        while let (c, w) = char(at: i) {
            if c &- 0x30 < 10 {
                if digits == 0 && c == 0x30 { firstGroupZero = true }
                push(c - 0x30)
                digits += 1
                if inFraction { fraction += 1 } else { groupDigits += 1 }
                i += w
            } else if c == 0x2C && !inFraction {
                // A separator follows a first group of 1…3 digits (not `0,`) or a full group of three.
                if digits == 0 || (grouped ? groupDigits != 3 : (digits > 3 || firstGroupZero)) { return nil }
                grouped = true
                groupDigits = 0
                i += w
            } else if c == 0x2E && !inFraction {
                if grouped && groupDigits != 3 { return nil }
                inFraction = true
                i += w
            } else if c | 0x20 == 0x65 && digits > 0 {
                i += w
                var expNegative = false
                if let (s, sw) = char(at: i), s == 0x2D || s == 0x2B {
                    expNegative = s == 0x2D
                    i += sw
                }
                var expDigits = 0
                while let (d, dw) = char(at: i), d &- 0x30 < 10 {
                    exponent = exponent * 10 + Int(d - 0x30)
                    if exponent > Self.maxExponent { return nil }
                    expDigits += 1
                    i += dw
                }
                if expDigits == 0 { return nil }
                if expNegative { exponent = -exponent }
                break
            } else {
                return nil
            }
        }
        guard i == e, digits > 0, !overflow else { return nil }
        if grouped && !inFraction && groupDigits != 3 { return nil }
        if inFraction && fraction == 0 { return nil }
        var scale = fraction - shift - exponent
        if scale < 0 {
            for _ in 0..<(-scale) { push(0) }
            if overflow { return nil }
            scale = 0
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            mantissa = Int64(bitPattern: 0 &- magnitude)
        } else {
            guard magnitude <= UInt64(Int64.max) else { return nil }
            mantissa = Int64(magnitude)
        }
        self.scale = scale
    }

    /// The value times 10^target, or nil when it has more fraction digits or does not fit.
    func scaled(to target: Int) -> Int64? {
        guard scale <= target else { return nil }
        var value = mantissa
        for _ in 0..<(target - scale) {
            let (m, o) = value.multipliedReportingOverflow(by: 10)
            if o { return nil }
            value = m
        }
        return value
    }
}
