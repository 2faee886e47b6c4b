import SegBase
import SegStore

// Functions of numbers (and coalesce, of any two values of one kind). Exact: numbers are integers
// scaled by 10^scale in every backend, rounding is half away from zero.

extension Functions {
    static let round = ScalarFunction(
        name: "round", arguments: [.number, .wholeNumber], result: .decimal,
        summary: "a number rounded half away from zero to N decimal places", example: "round(loans / assets, 2) > 0.5",
        kernel: { args, _ in
            let x = NumberInput(args[0])
            let places = Int(args[1].integerValues.first ?? 0)
            var values = [Int64](repeating: 0, count: args[0].count)
            if places >= x.scale {
                let k = FixedPoint.powersOfTen[places - x.scale]
                for i in values.indices where args[0].isPresent(i) {
                    let (v, overflow) = x.values[i].multipliedReportingOverflow(by: k)
                    if overflow { throw SegError(.query, .query(.arithmeticOverflow("round(\(args[0].name), \(places))"))) }
                    values[i] = v
                }
            } else {
                let p = Int128(FixedPoint.powersOfTen[x.scale - places])
                for i in values.indices {
                    let n = Int128(x.values[i])
                    let q = (n.magnitude * 2 + p.magnitude) / (2 * p.magnitude)
                    values[i] = Int64(n < 0 ? -Int128(q) : Int128(q))
                }
            }
            let data: ColumnData = places == 0 ? .integer(values) : .decimal(values, scale: places)
            return Column(name: args[0].name, data: data, validity: args[0].validity, count: args[0].count)
        },
        sql: { args, s in
            let x = args[0], places = Int(args[1].sql) ?? 0
            let type: FieldType = places == 0 ? .integer : .decimal
            if places >= x.scale {
                return SQLValue(sql: s.atScale(x, places), type: type, scale: places, scaled: places > 0)
            }
            return SQLValue(sql: s.roundedShift(s.atScale(x, x.scale), x.scale - places), type: type, scale: places, scaled: places > 0)
        },
        typing: { args in
            guard let places = args[1].wholeNumber, (0...18).contains(places) else { return .refused(.roundPlaces(function: "round")) }
            return .value(places == 0 ? .integer : .decimal, scale: Int(places))
        })

    static let abs = ScalarFunction(
        name: "abs", arguments: [.number], result: .decimal,
        summary: "a number without its sign", example: "abs(assets - deposits) > 1m",
        kernel: { args, _ in
            let x = NumberInput(args[0])
            var values = [Int64](repeating: 0, count: args[0].count)
            for i in values.indices where args[0].isPresent(i) {
                if x.values[i] == .min { throw SegError(.query, .query(.arithmeticOverflow("abs(\(args[0].name))"))) }
                values[i] = Swift.abs(x.values[i])
            }
            let data: ColumnData = args[0].type == .integer ? .integer(values) : .decimal(values, scale: x.scale)
            return Column(name: args[0].name, data: data, validity: args[0].validity, count: args[0].count)
        },
        sql: { args, _ in
            var v = args[0]
            v.sql = "abs(\(v.sql))"
            return v
        },
        typing: { args in .value(args[0].type, scale: args[0].scale) })

    static let coalesce = ScalarFunction(
        name: "coalesce", arguments: [.any, .any], result: .text,
        summary: "the first value where it is present, else the second", example: "coalesce(last_contact, opened)",
        kernel: { args, _ in try coalesced(args[0], args[1]) },
        sql: { args, s in
            let (a, b) = (args[0], args[1])
            if a.type.isNumeric && b.type.isNumeric {
                // On integers of the smallest unit, so both sides are exact at one scale.
                let scale = Swift.max(a.scale, b.scale)
                let type: FieldType = a.type == .integer && b.type == .integer ? .integer : .decimal
                return SQLValue(sql: "COALESCE(\(s.atScale(a, scale)), \(s.atScale(b, scale)))", type: type, scale: scale, scaled: scale > 0)
            }
            var v = a
            v.sql = "COALESCE(\(a.sql), \(b.sql))"
            if a.type != b.type { v.type = .text }
            return v
        },
        typing: { args in
            let (a, b) = (args[0], args[1])
            if a.type.isNumeric && b.type.isNumeric {
                return .value(a.type == .integer && b.type == .integer ? .integer : .decimal, scale: Swift.max(a.scale, b.scale))
            }
            if a.type.isString && b.type.isString { return .value(a.type == b.type ? a.type : .text, scale: 0) }
            guard a.type == b.type, a.type != .tags else {
                return .refused(.argumentsDisagree(function: "coalesce", types: [a.type, b.type]))
            }
            return .value(a.type, scale: 0)
        })

    /// `a` where present, else `b`, for two columns of one kind (numbers at the larger scale).
    static func coalesced(_ a: Column, _ b: Column) throws -> Column {
        let n = a.count
        let validity: Bitmap? = a.validity.map { va in b.validity.map { va | $0 } ?? Bitmap(count: n, filled: true) }
        func pick<T>(_ x: [T], _ y: [T]) -> [T] { (0..<n).map { a.isPresent($0) ? x[$0] : y[$0] } }
        switch (a.data, b.data) {
        case (.date(let x), .date(let y)):
            return Column(name: a.name, data: .date(pick(x, y)), validity: validity, count: n)
        case (.boolean(let x), .boolean(let y)):
            return Column(name: a.name, data: .boolean(pick(x, y)), validity: validity, count: n)
        default:
            if a.type.isNumeric && b.type.isNumeric {
                let x = NumberInput(a), y = NumberInput(b)
                let scale = Swift.max(x.scale, y.scale)
                func at(_ input: NumberInput, _ i: Int) throws -> Int64 {
                    let (v, overflow) = input.values[i].multipliedReportingOverflow(by: FixedPoint.powersOfTen[scale - input.scale])
                    if overflow { throw SegError(.query, .query(.arithmeticOverflow("coalesce(\(a.name), \(b.name))"))) }
                    return v
                }
                var values = [Int64](repeating: 0, count: n)
                for i in 0..<n {
                    if a.isPresent(i) { values[i] = try at(x, i) } else if b.isPresent(i) { values[i] = try at(y, i) }
                }
                let data: ColumnData = a.type == .integer && b.type == .integer ? .integer(values) : .decimal(values, scale: scale)
                return Column(name: a.name, data: data, validity: validity, count: n)
            }
            // Text (or a category): as text, byte for byte.
            var out = TextBuffer()
            for i in 0..<n {
                let source = a.isPresent(i) ? a : b
                if source.isPresent(i) { out.append(CellOrder.string(source, i)) } else { out.append("") }
            }
            return Column(name: a.name, data: .text(out), validity: validity, count: n)
        }
    }
}

/// A number column as integers at its scale.
struct NumberInput {
    let values: [Int64]
    let scale: Int

    init(_ column: Column) {
        switch column.data {
        case .integer(let v): values = v; scale = 0
        case .decimal(let v, let s): values = v; scale = s
        default: values = []; scale = 0
        }
    }
}

extension Column {
    /// The integer values of an integer column (empty for other types).
    var integerValues: [Int64] {
        if case .integer(let v) = data { return v }
        return []
    }
}
