import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegPatterns
import SegSemantics
// Runs a `BoundQuery` over the catalog's columns: conditions become bitmaps through the column
// kernels, then rows are counted, listed (sorted, limited) or grouped.

/// Runs bound queries against the tables of one catalog, as of one `today`.
public struct Executor {
    let catalog: Catalog
    let today: Int
    let interrupt: InterruptFlag?
    /// Computed columns (`anniversary(birthday)`) built once per statement.
    private(set) var computed: [ValueExpr: Column] = [:]
    /// Rows per block for the folds that run blocks on every core (grouping, aggregates, top N per
    /// group); nil lets them choose. Tests force small blocks to check the merges.
    var blockSize: Int? = nil
    /// Parent values tested once per parent row so far (`parentTestRows`); a second test of one
    /// gathers it to the child rows instead, once, for every later test.
    var parentTested: Set<ValueExpr> = []

    public init(catalog: Catalog, today: Int, interrupt: InterruptFlag? = nil) {
        self.catalog = catalog
        self.today = today
        self.interrupt = interrupt
    }

    // MARK: - Values

    mutating func column(_ expr: ValueExpr, table: Table) throws -> Column {
        switch expr {
        case .field(let i, _, _):
            return table.columns[i]
        case .constant(let value, let scale, _):
            let data: ColumnData = scale == 0 ? .integer([Int64](repeating: value, count: table.rowCount))
                : .decimal([Int64](repeating: value, count: table.rowCount), scale: scale)
            return Column(name: expr.displayName, data: data, validity: nil, count: table.rowCount)
        case .dateConstant(let day, _):
            return Column(name: expr.displayName, data: .date([Int32](repeating: Int32(clamping: day), count: table.rowCount)),
                          validity: nil, count: table.rowCount)
        case .arithmetic(let op, let a, let b, _, let scale):
            if let cached = computed[expr] { return cached }
            let n = table.rowCount
            do {
                let (values, validity) = try ArithmeticKernel.apply(op, try numberInput(a, table: table), try numberInput(b, table: table),
                                                                    scale: scale, count: n)
                let data: ColumnData = expr.type == .integer ? .integer(values) : .decimal(values, scale: scale)
                let result = Column(name: expr.displayName, data: data, validity: validity, count: n)
                computed[expr] = result
                return result
            } catch {
                throw SegError(.query, .query(.arithmeticOverflow(expr.displayName)))
            }
        case .negate(let inner):
            if let cached = computed[expr] { return cached }
            let input = try numberInput(inner, table: table)
            guard let values = try? ArithmeticKernel.negate(input, count: table.rowCount) else {
                throw SegError(.query, .query(.arithmeticOverflow(expr.displayName)))
            }
            let data: ColumnData = input.scale == 0 && inner.type == .integer ? .integer(values) : .decimal(values, scale: input.scale)
            let result = Column(name: expr.displayName, data: data, validity: input.validity, count: table.rowCount)
            computed[expr] = result
            return result
        case .shiftDate(let inner, let n, let unit):
            if let cached = computed[expr] { return cached }
            let base = try column(inner, table: table)
            guard case .date(let days) = base.data else { throw SegError(.internal, .internal("a date shift of a column that is not dates")) }
            let (values, validity) = ArithmeticKernel.shift(days, validity: base.validity, by: n, unit)
            let result = Column(name: expr.displayName, data: .date(values), validity: validity, count: base.count)
            computed[expr] = result
            return result
        case .daysBetween(let a, let b):
            if let cached = computed[expr] { return cached }
            let ca = try column(a, table: table), cb = try column(b, table: table)
            guard case .date(let x) = ca.data, case .date(let y) = cb.data else {
                throw SegError(.internal, .internal("days between columns that are not dates"))
            }
            let values = zip(x, y).map { Int64($0) - Int64($1) }
            let result = Column(name: expr.displayName, data: .integer(values),
                                validity: ArithmeticKernel.combined(ca.validity, cb.validity, count: ca.count), count: ca.count)
            computed[expr] = result
            return result
        case .call(let name, let arguments, _, _):
            if let cached = computed[expr] { return cached }
            guard let function = Functions.scalar(named: name) else {
                throw SegError(.internal, .internal("no function '\(name)' in the registry"))
            }
            var result = try function.kernel(try arguments.map { try column($0, table: table) }, today)
            result.name = expr.displayName
            computed[expr] = result
            return result
        case .derived(let name, let inner):
            if let cached = computed[expr] { return cached }
            var result = try column(inner, table: table)
            result.name = name
            computed[expr] = result
            return result
        case .classify(let classification):
            if let cached = computed[expr] { return cached }
            let result = try classify(classification, table: table)
            computed[expr] = result
            return result
        case .parent(let link, let name, let inner, _):
            if let cached = computed[expr] { return cached }
            let result = try parentColumn(link: link, name: name, inner)
            computed[expr] = result
            return result
        case .related(let aggregate):
            if let cached = computed[expr] { return cached }
            let result = try relatedColumn(aggregate, parentRows: table.rowCount)
            computed[expr] = result
            return result
        case .truth(let condition, _):
            if let cached = computed[expr] { return cached }
            let holds = try rows(condition, polarity: true, table: table)
            let result = Column(name: expr.displayName, data: .boolean((0..<table.rowCount).map { holds[$0] }),
                                validity: nil, count: table.rowCount)
            computed[expr] = result
            return result
        }
    }

    /// Each row's label: the first rule that holds gives it; a rule neither true nor false for the
    /// row (a value it tests is missing) leaves it missing; rows no rule takes get `otherwise`.
    /// One bitmap pass per rule.
    mutating func classify(_ c: Classification, table: Table) throws -> Column {
        if let band = try bandColumn(c, table: table) { return band }
        let n = table.rowCount
        var codes = [UInt32](repeating: 0, count: n)
        var decided = Bitmap(count: n)
        var labelled = Bitmap(count: n)
        for (code, rule) in c.rules.enumerated() {
            let holds = try rows(rule, polarity: true, table: table)
            var unknown: Bitmap
            if case .test(let expr, _) = rule {
                // A test is unknown exactly where its value is missing: no second pass for `false`.
                unknown = try column(expr, table: table).validity?.inverted() ?? Bitmap(count: n)
            } else {
                unknown = (holds | (try rows(rule, polarity: false, table: table))).inverted()
            }
            var taken = holds
            taken.subtract(decided)
            Self.fill(&codes, taken, UInt32(code))
            labelled.formUnion(taken)
            unknown.subtract(decided)
            decided.formUnion(taken)
            decided.formUnion(unknown)
        }
        if c.otherwise != nil {
            let rest = decided.inverted()
            let code = UInt32(c.rules.count)
            Self.fill(&codes, rest, code)
            labelled.formUnion(rest)
        }
        return Column(name: c.name, data: .category(codes: codes, dictionary: c.dictionary), validity: labelled, count: n)
    }

    /// A band (`band(assets, 5万, 60万, 600万)`: every rule `value < k` on one number, k rising,
    /// and a label for the rest) in one pass: a row's label is how many bounds its value reaches;
    /// missing where the value is. nil for any other classification. Tuned: blocks of rows on
    /// every core, no branch per bound.
    mutating func bandColumn(_ c: Classification, table: Table) throws -> Column? {
        var bounds: [Int64] = []
        var subject: ValueExpr?
        for rule in c.rules {
            guard case .test(let e, .compare(.less, let k)) = rule, subject.map({ $0 == e }) ?? true,
                  bounds.last.map({ k > $0 }) ?? true else { return nil }
            subject = e
            bounds.append(k)
        }
        guard let subject, c.otherwise != nil else { return nil }
        let col = try column(subject, table: table)
        let values: [Int64]
        switch col.data {
        case .integer(let v), .decimal(let v, _): values = v
        default: return nil
        }
        let n = table.rowCount
        var codes = [UInt32](unsafeUninitializedCapacity: n) { out, initialized in
            let out = UncheckedSendable(out)
            values.withUnsafeBufferPointer { v in
                bounds.withUnsafeBufferPointer { k in
                    let blocks = Parallel.ranges(n)
                    Parallel.forEach(blocks.count) { b in
                        // Chunks that stay in cache, one vectorisable loop per bound.
                        let out = out.value
                        var start = blocks[b].lowerBound
                        while start < blocks[b].upperBound {
                            let chunk = start..<Swift.min(start + 4096, blocks[b].upperBound)
                            for i in chunk { out[i] = 0 }
                            for bound in k {
                                for i in chunk { out[i] &+= UInt32(unsafeBitCast(v[i] >= bound, to: UInt8.self)) }
                            }
                            start = chunk.upperBound
                        }
                    }
                }
            }
            initialized = n
        }
        // Missing rows hold code 0, as the rule-by-rule path leaves them.
        if let validity = col.validity {
            for r in validity.inverted().rowIndices() { codes[Int(r)] = 0 }
        }
        return Column(name: c.name, data: .category(codes: codes, dictionary: c.dictionary), validity: col.validity, count: n)
    }

    /// Sets `codes[row] = code` for each row in `rows`. Tuned: straight from the bitmap's words,
    /// blocks of words on every core, with no list of rows in between.
    static func fill(_ codes: inout [UInt32], _ rows: Bitmap, _ code: UInt32) {
        rows.words.withUnsafeBufferPointer { words in
            codes.withUnsafeMutableBufferPointer { out in
                let out = UncheckedSendable(out)
                Parallel.blocks(words.count) { range in
                    for wi in range {
                        var w = words[wi]
                        while w != 0 {
                            out.value[wi << 6 | w.trailingZeroBitCount] = code
                            w &= w &- 1
                        }
                    }
                }
            }
        }
    }

    /// An operand of arithmetic: a constant stays one value, anything else is its column.
    mutating func numberInput(_ expr: ValueExpr, table: Table) throws -> NumberInput {
        if case .constant(let value, let scale, _) = expr { return NumberInput(constant: value, scale: scale) }
        return NumberInput(try column(expr, table: table))
    }

    // MARK: - Conditions

    /// The rows where `condition` is definitely true (`polarity`), or definitely false (`!polarity`).
    /// Missing values make a test neither, as in SQL's three-valued logic, so `not` stays exact.
    mutating func rows(_ condition: BoundCondition, polarity: Bool, table: Table) throws -> Bitmap {
        try interrupt?.check()
        switch condition {
        case .and(let terms), .or(let terms):
            var isAnd = true
            if case .or = condition { isAnd = false }
            // and: true where all true, false where any false; or: the dual.
            let intersect = isAnd == polarity
            if isAnd, polarity, let range = try rangeRows(terms, table: table) { return range }
            var acc: Bitmap?
            for term in terms {
                let r = try rows(term, polarity: polarity, table: table)
                if var a = acc {
                    if intersect { a.formIntersection(r) } else { a.formUnion(r) }
                    acc = a
                } else {
                    acc = r
                }
            }
            return acc ?? Bitmap(count: table.rowCount, filled: intersect)
        case .not(let inner):
            return try rows(inner, polarity: !polarity, table: table)
        case .isEmpty(let expr, let negated):
            let col = try column(expr, table: table)
            let present = col.validity ?? Bitmap(count: table.rowCount, filled: true)
            return polarity != negated ? present.inverted() : present
        case .member(let source):
            let members = try sourceRows(source) ?? Bitmap(count: table.rowCount, filled: true)
            return polarity ? members : members.inverted()
        case .keyIn(let key, let keys):
            let col = try column(key, table: table)
            var raw = Self.keyRows(col, keys)
            if !polarity { raw = raw.inverted() }
            if let validity = col.validity { raw.formIntersection(validity) }
            return raw
        case .test(let expr, let test):
            if computed[expr] == nil, let bits = try parentTestRows(expr, test, polarity: polarity, childRows: table.rowCount) {
                return bits
            }
            let col = try column(expr, table: table)
            var raw = try testRows(col, test)
            if !polarity { raw = raw.inverted() }
            if let validity = col.validity { raw.formIntersection(validity) }
            return raw
        case .compareValues(let a, let op, let b):
            let ca = try column(a, table: table)
            let cb = try column(b, table: table)
            var raw = compareColumns(ca, op, cb)
            if !polarity { raw = raw.inverted() }
            if let v = ca.validity { raw.formIntersection(v) }
            if let v = cb.validity { raw.formIntersection(v) }
            return raw
        }
    }

    /// `x >= lo and x <= hi` on one stored number or date (what `in next 30 days` binds to) in one
    /// pass; nil for any other pair of terms.
    mutating func rangeRows(_ terms: [BoundCondition], table: Table) throws -> Bitmap? {
        guard terms.count == 2, case .test(let expr, .compare(.greaterOrEqual, let lo)) = terms[0],
              case .test(let other, .compare(.lessOrEqual, let hi)) = terms[1], expr == other else { return nil }
        if case .parent = expr { return nil }  // tested once per parent row instead (`parentTestRows`)
        let col = try column(expr, table: table)
        var raw: Bitmap
        switch col.data {
        case .integer(let v), .decimal(let v, _): raw = Kernels.between(v, lo, hi)
        case .date(let v): raw = Kernels.between(v, lo, hi)
        default: return nil
        }
        if let validity = col.validity { raw.formIntersection(validity) }
        return raw
    }

    func testRows(_ col: Column, _ test: RowTest) throws -> Bitmap {
        switch test {
        case .always: return Bitmap(count: col.count, filled: true)
        case .never: return Bitmap(count: col.count)
        case .compare(let op, let k):
            switch col.data {
            case .integer(let v), .decimal(let v, _): return Kernels.compare(v, op, k)
            case .date(let v): return Kernels.compare(v, op, k)
            case .boolean(let v): return Kernels.compare(v.map { UInt8($0 ? 1 : 0) }, op, k)
            default: return Bitmap(count: col.count)
            }
        case .oneOf(let set):
            switch col.data {
            case .integer(let v), .decimal(let v, _): return Kernels.oneOf(v, set)
            case .date(let v): return Kernels.oneOf(v, set)
            case .boolean(let v): return Kernels.oneOf(v.map { UInt8($0 ? 1 : 0) }, set)
            default: return Bitmap(count: col.count)
            }
        case .tagsAny(let mask), .tagsAll(let mask):
            guard case .tags(let sets) = col.data else { return Bitmap(count: col.count) }
            var all = false
            if case .tagsAll = test { all = true }
            return Kernels.tags(sets, mask: mask, all: all, count: col.count)
        case .string(let st):
            switch col.data {
            case .category(let codes, let dictionary):
                // Run the test once per distinct value, then look codes up.
                let matcher = StringMatcher(st)
                let table = dictionary.map { matcher.matches($0) }
                return Kernels.lookup(codes, table)
            case .text(let buffer):
                switch st {
                case .like(let pattern): return Kernels.text(buffer, pattern)
                case .regex(let regex): return Kernels.text(buffer, regex)
                default:
                    let matcher = StringMatcher(st)
                    return Kernels.text(buffer) { matcher.matches($0) }
                }
            default:
                return Bitmap(count: col.count)
            }
        }
    }

    /// Rows whose key, as text, is one of `keys`: one hash lookup per row.
    static func keyRows(_ key: Column, _ keys: [String]) -> Bitmap {
        var out = Bitmap(count: key.count)
        if case .text(let buffer) = key.data {
            let wanted = Set(keys.map { Array($0.utf8) })
            for r in 0..<key.count where wanted.contains(Array(buffer.bytes[buffer.range(at: r)])) { out[r] = true }
            return out
        }
        let wanted = Set(keys.map(ExactKey.init))
        for (r, id) in CellText.ids(key).enumerated() where wanted.contains(ExactKey(id)) { out[r] = true }
        return out
    }

    func compareColumns(_ a: Column, _ op: ComparisonOperator, _ b: Column) -> Bitmap {
        let n = min(a.count, b.count)
        func passes(_ c: Int) -> Bool { op.holds(order: c) }
        // Same-scale numbers and dates compare as plain integers, row against row. Missing cells
        // hold placeholders (code 0 even in an empty dictionary): the generic path never reads them.
        switch (a.data, b.data) {
        case (.integer(let x), .integer(let y)):
            return Kernels.byRow(n) { i in passes(x[i] == y[i] ? 0 : (x[i] < y[i] ? -1 : 1)) }
        case (.decimal(let x, let sx), .decimal(let y, let sy)) where sx == sy:
            return Kernels.byRow(n) { i in passes(x[i] == y[i] ? 0 : (x[i] < y[i] ? -1 : 1)) }
        case (.date(let x), .date(let y)):
            return Kernels.byRow(n) { i in passes(x[i] == y[i] ? 0 : (x[i] < y[i] ? -1 : 1)) }
        default:
            return Kernels.byRow(n) { i in a.isPresent(i) && b.isPresent(i) && passes(CellOrder.compare(a, i, b, i)) }
        }
    }

    // MARK: - Sources

    /// The rows a source holds; nil means every row of its table.
    mutating func sourceRows(_ source: BoundSource) throws -> Bitmap? {
        switch source {
        case .table:
            return nil
        case .query(let query, _):
            var inner = Executor(catalog: catalog, today: today, interrupt: interrupt)
            return try inner.selectedRows(query)
        case .setOperation(let first, let rest):
            var acc = try sourceRows(first)
            for (op, term) in rest {
                let r = try sourceRows(term)
                acc = Self.combine(acc, op, r, count: rowCount(of: term))
            }
            return acc
        }
    }

    func rowCount(of source: BoundSource) -> Int {
        switch source {
        case .table(let t): return catalog.tables[t].rowCount
        case .query(let q, _): return catalog.tables[q.tableIndex].rowCount
        case .setOperation(let first, _): return rowCount(of: first)
        }
    }

    static func combine(_ a: Bitmap?, _ op: SetOperator, _ b: Bitmap?, count: Int) -> Bitmap? {
        let all = Bitmap(count: count, filled: true)
        switch op {
        case .union:
            guard let a, let b else { return nil }
            return a | b
        case .intersect:
            guard let a else { return b }
            guard let b else { return a }
            return a & b
        case .except:
            var r = a ?? all
            r.subtract(b ?? all)
            return r
        }
    }

    /// The rows a list query selects after `where`, `sort` and `limit` (membership of a segment).
    public mutating func selectedRows(_ query: BoundQuery) throws -> Bitmap? {
        let table = catalog.tables[query.tableIndex]
        let filtered = try filter(query, table: table)
        guard let limit = query.limit else { return filtered }
        let ordered = try orderedRows(query, filtered: filtered, table: table, limit: limit)
        var out = Bitmap(count: table.rowCount)
        for r in ordered { out[Int(r)] = true }
        return out
    }

    mutating func filter(_ query: BoundQuery, table: Table) throws -> Bitmap? {
        var selected = try sourceRows(query.source)
        if let condition = query.condition {
            let r = try rows(condition, polarity: true, table: table)
            if selected == nil { selected = r } else { selected?.formIntersection(r) }
        }
        return selected
    }

    mutating func orderedRows(_ query: BoundQuery, filtered: Bitmap?, table: Table, limit: Int?) throws -> [Int32] {
        try orderedList(query, filtered: filtered, table: table, limit: limit).rows
    }

    /// The rows a list shows, in order (for a few rows of a large table, read through a gather:
    /// see OrderedList.swift).
    mutating func orderedList(_ query: BoundQuery, filtered: Bitmap?, table: Table, limit: Int?) throws -> OrderedList {
        var rows = filtered?.rowIndices() ?? Parallel.rowNumbers(table.rowCount)
        if sortsByGathering(query, selected: rows.count, tableRows: table.rowCount, limit: limit) {
            return try orderedByGathering(query, selected: rows, table: table, limit: limit)
        }
        var keys: [SortColumn] = []
        // `limit N per KEYS`: sorted by the keys first, so each group's rows are together.
        let perColumns = try query.limitPer.map { try column($0, table: table) }
        for col in perColumns { keys.append(SortColumn(column: col, rows: nil, descending: false)) }
        for key in query.sort {
            if case .value(let expr) = key.target {
                if computed[expr] == nil,
                   let parentKey = try parentSortKey(expr, rows: rows, tableRows: table.rowCount, descending: key.descending) {
                    keys.append(parentKey)
                    continue
                }
                keys.append(SortColumn(column: try column(expr, table: table), rows: nil, descending: key.descending))
            }
        }
        if let limit, perColumns.count == 1, case .category(let codes, let dictionary) = perColumns[0].data {
            return OrderedList(rows: Sorter.topPerBucket(rows, codes: codes, buckets: dictionary.count, validity: perColumns[0].validity,
                                                         by: Array(keys.dropFirst()), limit: limit, blockSize: blockSize))
        }
        if let limit, perColumns.count > 1, let (codes, buckets) = Self.compositeCodes(perColumns, count: table.rowCount) {
            return OrderedList(rows: Sorter.topPerBucket(rows, codes: codes, buckets: buckets, validity: nil,
                                                         by: Array(keys.dropFirst(perColumns.count)), limit: limit, blockSize: blockSize))
        }
        if !perColumns.isEmpty {
            rows = Sorter.sort(rows, by: keys, limit: nil)
            return OrderedList(rows: Self.firstOfEachGroup(rows, keys: perColumns, limit: limit ?? rows.count))
        }
        if !keys.isEmpty {
            rows = Sorter.sort(rows, by: keys, limit: limit)
        } else if let limit, rows.count > limit {
            rows.removeSubrange(limit...)
        }
        return OrderedList(rows: rows)
    }

    /// `limit N per a, b`, every key a category: one code per row whose order is the keys' order
    /// (mixed radix, missing the last code of each key), and how many codes there are; nil when
    /// a key is not a category or the codes would be too many.
    static func compositeCodes(_ keys: [Column], count: Int) -> ([UInt32], Int)? {
        var space = 1
        for key in keys {
            guard case .category(_, let dictionary) = key.data else { return nil }
            space *= dictionary.count + 1
            guard space <= 1 << 16 else { return nil }
        }
        var out = [UInt32](repeating: 0, count: count)
        for key in keys {
            guard case .category(let codes, let dictionary) = key.data else { return nil }
            let radix = UInt32(dictionary.count + 1), missing = UInt32(dictionary.count)
            for i in 0..<count { out[i] = out[i] &* radix &+ (key.isPresent(i) ? codes[i] : missing) }
        }
        return (out, space)
    }

    /// The first `limit` rows of each run of equal keys (missing equals missing) in `rows`.
    static func firstOfEachGroup(_ rows: [Int32], keys: [Column], limit: Int) -> [Int32] {
        var out: [Int32] = []
        var taken = 0
        for (i, row) in rows.enumerated() {
            let sameGroup = i > 0 && keys.allSatisfy { col in
                let (a, b) = (Int(rows[i - 1]), Int(row))
                if col.isPresent(a) != col.isPresent(b) { return false }
                return !col.isPresent(a) || CellOrder.compare(col, a, col, b) == 0
            }
            taken = sameGroup ? taken + 1 : 1
            if taken <= limit { out.append(row) }
        }
        return out
    }

    // MARK: - Statements

    /// Runs a query and returns its result set.
    public mutating func run(_ query: BoundQuery) throws -> ResultSet {
        let table = catalog.tables[query.tableIndex]
        let noun = table.name.lowercased() == "clients" ? "clients" : "rows"
        let filtered = try filter(query, table: table)
        switch query.mode {
        case .count:
            var n = filtered?.popcount ?? table.rowCount
            if !query.limitPer.isEmpty {
                n = try orderedRows(query, filtered: filtered, table: table, limit: query.limit).count
            } else if let limit = query.limit {
                n = min(n, limit)
            }
            let col = Column(name: "count", data: .integer([Int64(n)]), validity: nil, count: 1)
            return ResultSet(columns: [ResultColumn(name: "count", column: col, rows: nil)], rowCount: 1, kind: .count(noun: noun))
        case .list(let columns):
            let total = filtered?.popcount ?? table.rowCount
            var list = try orderedList(query, filtered: filtered, table: table, limit: query.limit)
            let rows = list.rows
            let out = try columns.enumerated().map { k, expr in
                if let gathered = try listedColumn(expr, named: query.heading(k) ?? expr.displayName, &list, table: table) {
                    return gathered
                }
                // A parent's value (`client.name`): gathered for the listed rows only.
                if case .parent(let l, let name, let inner, _) = expr, computed[expr] == nil, rows.count < table.rowCount / 2 {
                    return ResultColumn(name: query.heading(k) ?? expr.displayName,
                                        column: try parentColumn(link: l, name: name, inner, rows: rows), rows: nil,
                                        grouped: expr.groupsDigits)
                }
                return ResultColumn(name: query.heading(k) ?? expr.displayName, column: try column(expr, table: table), rows: rows,
                                    grouped: expr.groupsDigits)
            }
            return ResultSet(columns: out, rowCount: rows.count, kind: .rows(noun: noun), totalBeforeLimit: total)
        case .groups(let keys, let show, let aggregates):
            var keyColumns = try keys.map { try column($0, table: table) }
            var argumentColumns: [ValueExpr: Column] = [:]
            for agg in aggregates { if let a = agg.argument { argumentColumns[a] = try column(a, table: table) } }
            var groupTable = table, groupFilter = filtered
            if keyColumns.contains(where: { $0.type == .tags }) {
                // `by products`: one row per client and tag, so a client is counted once in each
                // of their tags' groups (a client without tags in the missing group).
                let rows = filtered?.rowIndices() ?? Parallel.rowNumbers(table.rowCount)
                let (source, exploded) = Grouper.perTag(rows, keyColumns)
                keyColumns = keyColumns.indices.map { exploded[$0] ?? keyColumns[$0].gather(source) }
                for (a, col) in argumentColumns { argumentColumns[a] = col.gather(source) }
                groupTable = Table(name: table.name, columns: [], rowCount: source.count, origin: table.origin)
                groupFilter = nil
            }
            // `having` runs on the groups' own columns, apart from this statement's cached values.
            let groupRows = Executor(catalog: catalog, today: today, interrupt: interrupt)
            var result = try Grouper.run(table: groupTable, rows: groupFilter, keys: keys, keyColumns: keyColumns, show: show,
                                         aggregates: aggregates, argumentColumns: argumentColumns,
                                         sort: query.sort, limit: query.limit, having: query.having,
                                         blockSize: blockSize) { condition, groups in
                var executor = groupRows
                return try executor.rows(condition, polarity: true, table: groups)
            }
            for k in result.columns.indices { if let heading = query.heading(k) { result.columns[k].name = heading } }
            return result
        }
    }
}

/// A string test ready to run on dictionary entries or raw UTF-8 bytes.
struct StringMatcher {
    let test: StringTest
    let bytes: [UInt8]
    let set: [[UInt8]]

    init(_ test: StringTest) {
        self.test = test
        switch test {
        case .compare(_, let s), .contains(let s): bytes = Array(s.utf8)
        default: bytes = []
        }
        // Sorted by bytes for a binary search per value: `id in (10,000 ids)` compared each of
        // 10^6 rows with every candidate (35 s); now about 14 comparisons a row.
        if case .oneOf(let values) = test {
            set = values.map { Array($0.utf8) }.sorted { a, b in
                a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in Bytes.compare(x, y) < 0 } }
            }
        } else {
            set = []
        }
    }

    func matches(_ s: String) -> Bool {
        var copy = s
        return copy.withUTF8 { matches(UnsafeBufferPointer(rebasing: $0[...])) }
    }

    func matches(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        switch test {
        case .compare(let op, _):
            return op.holds(order: bytes.withUnsafeBufferPointer { Bytes.compare(value, $0) })
        case .oneOf:
            var lo = 0, hi = set.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                let c = set[mid].withUnsafeBufferPointer { Bytes.compare(value, $0) }
                if c == 0 { return true }
                if c < 0 { hi = mid } else { lo = mid + 1 }
            }
            return false
        case .like(let pattern):
            return pattern.matches(value)
        case .contains:
            return Bytes.contains(value, bytes)
        case .regex(let regex):
            return regex.matches(value)
        }
    }
}
