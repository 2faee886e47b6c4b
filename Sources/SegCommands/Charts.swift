import SegBase
import SegSyntax
import SegStore
import SegSemantics
import SegIO

// Charts of answers (`chart`, `.chart on`) and histograms (`histogram assets`). The drawing is
// the writers' (ChartWriter on a terminal, HTMLReport in a page); here a query decides what is
// drawn, and a histogram's bins are counted.

extension Session {
    /// What `query`'s answer draws, when it is drawn: a `by` result is labelled by its keys and
    /// draws each aggregate that is a number as its own chart; a list (`chart` only) is labelled
    /// by the columns that are not numbers. nil: shown as a table.
    func chartPlan(_ query: BoundQuery, written: Query, source: Source) throws -> ChartPlan? {
        switch query.mode {
        case .count:
            if let range = written.chart { throw SegError(.query, .query(.chartOfCount), source: source, range: range) }
            return nil
        case .groups(_, let show, _):
            guard written.chart != nil || options.charts else { return nil }
            let keys = show.indices.filter { if case .key = show[$0] { return true } else { return false } }
            return ChartPlan(labels: keys, values: show.indices.filter { !keys.contains($0) })
        case .list:
            return written.chart != nil ? ChartPlan() : nil
        }
    }

    /// `… histogram OPERAND`: the clients the query selects, counted in bins of the operand's
    /// values (`Bins`), as a result of rows `bin, from, to, count` drawn as a chart in table format.
    func writeHistogram(_ query: Query, _ histogram: Histogram, source: Source, to output: Output) throws {
        let others: [(Bool, String)] = [
            (query.groupKeys != nil, "by"), (query.show != nil || query.showsAllFields, "show"), (query.sort != nil, "sort by"),
            (query.limit != nil, "limit"), (query.having != nil, "having"), (query.count != nil, "count"),
        ]
        if let clause = others.first(where: \.0) {
            throw SegError(.query, .query(.histogramWith(clause: clause.1)), source: source, range: histogram.range)
        }
        let name = source.slice(histogram.operand.range)
        var list = query
        list.histogram = nil
        list.chart = nil
        list.show = [ShowItem(operand: histogram.operand)]
        var resolver = Resolver(catalog: catalog, today: options.today, source: source)
        let bound = try resolver.resolve(list)
        guard case .list(let columns) = bound.mode, let value = columns.first else {
            throw SegError(.internal, .internal("histogram: the query is not a list"))
        }
        guard value.type.isNumeric else {
            throw SegError(.query, .query(.histogramNeedsNumber(name, type: value.type)), source: source, range: histogram.operand.range)
        }
        if Masking.rule(value, options.masks) != nil {
            throw SegError(.query, .query(.histogramOfMasked(name)), source: source, range: histogram.operand.range)
        }
        // The values, gathered whole (from memory or streamed from a database).
        let collector = ResultCollector()
        var gather = WriterOptions(format: .table)
        gather.collector = collector
        output.interrupt = options.interrupt
        defer { output.interrupt = nil }
        try backend.run(bound, in: context(written: (list, source)), into: ResultPrinter(options: gather, output: output))
        guard let values = collector.take().first?.result.columns.first else {
            throw SegError(.internal, .internal("histogram: no values"))
        }
        let result = Bins(values).result(name: name, language: options.language)
        var writer = options.writer
        writer.chart = ChartPlan(labels: [0], values: [3])
        try ResultPrinter(options: writer, output: output).write(result)
        try output.flush()
    }
}

/// A number column's values counted in bins of equal width. The width is the smallest of 1, 2, 5
/// times a power of ten (in the column's own units: 0.01 for money in cents) that needs at most
/// `maximumBins` bins; the first bin starts at the largest multiple of it at or below the least
/// value. Bin k holds from ≤ value < to. A whole-number column with width 1 has one bin per value.
/// Missing values are counted in a last row of their own, so the counts add up to the clients.
struct Bins {
    static let maximumBins: Int128 = 12

    let scale: Int
    let isDecimal: Bool
    /// nil when no value is present.
    var start: Int128? = nil
    var step: Int128 = 1
    var counts: [Int] = []
    var missing = 0

    init(_ column: ResultColumn) {
        let source = CellSource(column)
        scale = source.kind == .decimal ? source.scale : 0
        isDecimal = source.kind == .decimal
        var present: [Int64] = []
        present.reserveCapacity(column.rows?.count ?? column.column.count)
        let rows = column.rows?.count ?? column.column.count
        for i in 0..<rows {
            let r = source.storageRow(i)
            if source.isPresent(storage: r) { present.append(source.ints[r]) } else { missing += 1 }
        }
        guard let least = present.min(), let most = present.max() else { return }
        let low = Int128(least), high = Int128(most)
        var power: Int128 = 1
        search: while true {
            for m in [Int128(1), Int128(2), Int128(5)] {
                let width = m * power
                let first = Self.floorDivide(low, width) * width
                if (high - first) / width + 1 <= Self.maximumBins {
                    step = width
                    start = first
                    break search
                }
            }
            power *= 10
        }
        let first = start ?? 0
        counts = Array(repeating: 0, count: Int((high - first) / step) + 1)
        for v in present { counts[Int((Int128(v) - first) / step)] += 1 }
    }

    static func floorDivide(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// The rows `bin, from, to, count`: `bin` reads `5万–10万` (`50k–100k` in English), from and
    /// to are exact numbers of the column's type; a last row counts the missing values.
    func result(name: String, language: Language) -> ResultSet {
        var labels: [String?] = []
        var from: [Int64?] = []
        var to: [Int64?] = []
        var count: [Int64?] = []
        if let start {
            for (k, n) in counts.enumerated() {
                let low = start + Int128(k) * step
                let high = low + step
                labels.append(!isDecimal && step == 1 ? ShortNumber.text(low, scale: 0, language: language)
                              : ShortNumber.text(low, scale: scale, language: language) + "–" + ShortNumber.text(high, scale: scale, language: language))
                from.append(Int64(clamping: low))
                to.append(Int64(clamping: high))
                count.append(Int64(n))
            }
        }
        if missing > 0 {
            labels.append(ResultWord.missingValue.text(in: language))
            from.append(nil)
            to.append(nil)
            count.append(Int64(missing))
        }
        let columns = [
            ResultColumns.text(name, labels),
            number(ResultWord.from.text(in: language), from),
            number(ResultWord.to.text(in: language), to),
            ResultColumns.integer("count", count),
        ]
        return ResultSet(columns: columns, rowCount: labels.count, kind: .groups)
    }

    /// A from/to column in the values' own type.
    func number(_ name: String, _ values: [Int64?]) -> ResultColumn {
        var validity = Bitmap(count: values.count, filled: true)
        for (i, v) in values.enumerated() where v == nil { validity[i] = false }
        let data: ColumnData = isDecimal ? .decimal(values.map { $0 ?? 0 }, scale: scale) : .integer(values.map { $0 ?? 0 })
        return ResultColumn(name: name, column: Column(name: name, data: data, validity: validity, count: values.count), rows: nil)
    }
}

/// Round numbers as people say them: 50k, 1.5m, 2b in English; 5万, 150万, 1.5亿 in Chinese (the
/// suffixes statements accept). Exact: a value that is no whole or half-round multiple of a unit
/// keeps its digits (1234 stays 1234).
enum ShortNumber {
    static func text(_ raw: Int128, scale: Int, language: Language) -> String {
        let units: [(String, Int128)] = language == .chinese ? [("亿", 100_000_000), ("万", 10_000)]
            : [("b", 1_000_000_000), ("m", 1_000_000), ("k", 1_000)]
        var power: Int128 = 1
        for _ in 0..<scale { power *= 10 }
        let sign = raw < 0 ? "-" : ""
        let magnitude = raw < 0 ? -raw : raw
        for (suffix, unit) in units where magnitude >= unit * power {
            // At most two decimals of the unit: 1.5m, 2.25亿; else the digits as they are.
            let hundredths = unit * power / 100
            guard hundredths > 0, magnitude % hundredths == 0 else { continue }
            let n = magnitude / hundredths
            let whole = n / 100
            let fraction = n % 100
            let digits = fraction == 0 ? "" : fraction % 10 == 0 ? "." + String(fraction / 10) : "." + (fraction < 10 ? "0" : "") + String(fraction)
            return sign + String(whole) + digits + suffix
        }
        var text = FixedPoint.format(Int64(clamping: raw), scale: scale)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
