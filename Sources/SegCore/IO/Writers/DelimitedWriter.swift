/// CSV (RFC 4180, LF line ends) and TSV. Numbers are raw digits without grouping.
/// Hot path: a whole export of ~10^7 cells goes through here, so cells are formatted as bytes into
/// one reused line buffer and category cells are encoded once per dictionary entry.
enum DelimitedWriter {
    private static let quote = UInt8(ascii: "\"")
    private static let apostrophe = UInt8(ascii: "'")
    private static let newline = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let tab = UInt8(ascii: "\t")
    private static let space = UInt8(ascii: " ")

    static func write(_ result: ResultSet, separator: UInt8, options: WriterOptions, to output: Output) throws {
        let csv = separator != tab
        let neutralize = options.neutralizeFormulas
        let sources = result.columns.map(CellSource.init)

        var line: [UInt8] = []
        line.reserveCapacity(1024)
        for (c, source) in sources.enumerated() {
            if c > 0 { line.append(separator) }
            // Header names are the user's own words: no formula neutralisation.
            encode(Array(source.name.utf8), csv: csv, neutralize: false, into: &line)
        }
        line.append(newline)
        try output.write(bytes: line)

        // Category cells: encode each dictionary entry once.
        let encodedDictionaries: [[[UInt8]]] = sources.map { source in
            guard source.kind == .category else { return [] }
            return source.dictionary.map { value in
                var out: [UInt8] = []
                encode(Array(value.utf8), csv: csv, neutralize: neutralize, into: &out)
                return out
            }
        }

        var scratch: [UInt8] = []
        scratch.reserveCapacity(256)
        for i in 0..<result.rowCount {
            line.removeAll(keepingCapacity: true)
            for c in 0..<sources.count {
                if c > 0 { line.append(separator) }
                let source = sources[c]
                let r = source.storageRow(i)
                guard source.isPresent(storage: r) else { continue }
                switch source.kind {
                case .integer, .decimal, .date, .boolean:
                    source.appendPlain(storage: r, grouping: false, into: &line)
                case .category:
                    let code = Int(source.codes[r])
                    if code < encodedDictionaries[c].count { line.append(contentsOf: encodedDictionaries[c][code]) }
                case .text, .tags:
                    scratch.removeAll(keepingCapacity: true)
                    source.appendPlain(storage: r, grouping: false, into: &scratch)
                    encode(scratch, csv: csv, neutralize: neutralize, into: &line)
                }
            }
            line.append(newline)
            try output.write(bytes: line)
        }
    }

    /// Appends one string field: CSV quotes it when needed, TSV replaces tabs and line breaks by spaces.
    @inline(__always)
    static func encode(_ value: [UInt8], csv: Bool, neutralize: Bool, into out: inout [UInt8]) {
        let prefix = neutralize && needsNeutralizing(value)
        if !csv {
            if prefix { out.append(apostrophe) }
            for b in value { out.append(b == tab || b == newline || b == cr ? space : b) }
            return
        }
        var needsQuotes = false
        if let first = value.first, let last = value.last, (first == space && !prefix) || last == space {
            needsQuotes = true
        } else {
            for b in value where b == UInt8(ascii: ",") || b == quote || b == cr || b == newline {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else {
            if prefix { out.append(apostrophe) }
            out.append(contentsOf: value)
            return
        }
        out.append(quote)
        if prefix { out.append(apostrophe) }
        for b in value {
            if b == quote { out.append(quote) }
            out.append(b)
        }
        out.append(quote)
    }

    /// Spreadsheets treat a cell starting with one of these as a formula.
    @inline(__always)
    static func needsNeutralizing(_ value: [UInt8]) -> Bool {
        guard let first = value.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == tab || first == cr
    }
}
