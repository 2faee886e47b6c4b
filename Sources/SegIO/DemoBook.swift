#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import SegBase
import SegStore

/// A deterministic, realistic-looking client book for demos, tests and benchmarks.
///
/// Every row depends only on `(seed, row index)`: each row draws from its own SplitMix64 stream,
/// so blocks of rows can be generated in parallel and `table()` and `writeCSV` agree byte for byte.
/// Dates are relative to the fixed reference day 2026-11-01, never to the clock.
public enum DemoBook {
    /// The demo table's origin (shown as `ListingWord.demoBook` in the reader's language).
    public static let origin = "demo book"
    public static let defaultRows = 10_000
    public static let defaultSeed: UInt64 = 1
    /// The day ages and contact dates are measured against.
    public static let referenceDay = CivilDate.days(year: 2026, month: 11, day: 1)

    public static let columnNames = [
        "id", "name", "gender", "age", "birthday", "city", "branch", "manager", "tier", "risk",
        "assets", "deposits", "loans", "products", "opened", "last_contact", "phone", "email",
        "industry", "interests",
    ]

    // MARK: - Public entry points

    /// The demo book as a typed table named `clients`, typed exactly as a CSV load of `writeCSV` would infer it.
    public static func table(rows: Int = defaultRows, seed: UInt64 = defaultSeed) -> Table {
        let n = max(0, rows)
        let generated = generateRows(count: n, seed: seed)
        return buildTable(generated)
    }

    /// The same rows as CSV (header + rows), generated in parallel blocks and written in order,
    /// so memory stays bounded for any row count.
    public static func writeCSV(rows: Int, seed: UInt64, to output: Output) throws {
        try writeCSV(rows: rows, seed: seed, to: output, blockRows: 8192, blocksPerBatch: 16)
    }

    /// `writeCSV` with explicit block sizes (tests use small ones to cross block and batch edges).
    static func writeCSV(rows: Int, seed: UInt64, to output: Output, blockRows: Int, blocksPerBatch: Int) throws {
        try output.write(columnNames.joined(separator: ",") + "\n")
        let n = max(0, rows)
        let blockRows = max(1, blockRows)
        let blocksPerBatch = max(1, blocksPerBatch)
        var start = 0
        while start < n {
            let batchEnd = min(n, start + blockRows * blocksPerBatch)
            let blockCount = (batchEnd - start + blockRows - 1) / blockRows
            var buffers = [[UInt8]](repeating: [], count: blockCount)
            let batchStart = start
            buffers.withUnsafeMutableBufferPointer { slots in
                let out = Slots(base: slots.baseAddress)
                let fill: @Sendable (Int) -> Void = { k in
                    let lo = batchStart + k * blockRows
                    let hi = min(batchEnd, lo + blockRows)
                    let lex = Lexicon()
                    var buf: [UInt8] = []
                    buf.reserveCapacity((hi - lo) * 240)
                    for i in lo..<hi { appendCSVLine(generate(index: i, seed: seed, lex), index: i, lex, into: &buf) }
                    out.base?[k] = buf
                }
                Parallel.forEach(blockCount, fill)
            }
            for buffer in buffers { try output.write(bytes: buffer) }
            start = batchEnd
        }
    }

    /// Lets parallel workers fill distinct slots of one array.
    private struct Slots<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>?
    }

    // MARK: - Vocabulary

    /// Surnames with pinyin and a relative frequency.
    static let surnames: [(han: String, pinyin: String, weight: Int)] = [
        ("王", "Wang", 10), ("李", "Li", 10), ("张", "Zhang", 9), ("刘", "Liu", 7), ("陈", "Chen", 7),
        ("杨", "Yang", 5), ("黄", "Huang", 4), ("赵", "Zhao", 4), ("吴", "Wu", 3), ("周", "Zhou", 3),
        ("徐", "Xu", 2), ("孙", "Sun", 2), ("马", "Ma", 2), ("朱", "Zhu", 2), ("胡", "Hu", 2),
        ("郭", "Guo", 2), ("何", "He", 2), ("高", "Gao", 2), ("林", "Lin", 2), ("罗", "Luo", 2),
        ("郑", "Zheng", 1), ("梁", "Liang", 1), ("谢", "Xie", 1), ("宋", "Song", 1), ("唐", "Tang", 1),
        ("许", "Xu", 1), ("韩", "Han", 1), ("冯", "Feng", 1), ("邓", "Deng", 1), ("曹", "Cao", 1),
    ]
    static let givenCharacters: [(han: String, pinyin: String)] = [
        ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
        ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
        ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"),
        ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂", "gui"), ("英", "ying"), ("华", "hua"),
        ("玉", "yu"), ("兰", "lan"), ("萍", "ping"), ("红", "hong"), ("鹏", "peng"), ("辉", "hui"),
        ("建", "jian"), ("文", "wen"), ("斌", "bin"), ("宇", "yu"), ("浩", "hao"), ("凯", "kai"),
        ("健", "jian"), ("俊", "jun"), ("帆", "fan"), ("帅", "shuai"), ("旭", "xu"), ("宁", "ning"),
        ("龙", "long"), ("林", "lin"), ("欣", "xin"), ("婷", "ting"), ("雪", "xue"), ("琳", "lin"),
        ("晶", "jing"), ("慧", "hui"), ("佳", "jia"), ("颖", "ying"), ("倩", "qian"), ("莉", "li"),
        ("志", "zhi"), ("国", "guo"), ("海", "hai"), ("峰", "feng"), ("亮", "liang"), ("成", "cheng"),
        ("春", "chun"), ("梅", "mei"),
    ]
    /// Given names of clients who write their name in Latin letters, with gender (true = female).
    static let latinGiven: [(name: String, female: Bool)] = [
        ("Wei", false), ("Lily", true), ("Jun", false), ("Michael", false), ("Grace", true),
        ("David", false), ("Amy", true), ("Kevin", false), ("Lei", false), ("Na", true),
        ("Emily", true), ("Jason", false), ("Ming", false), ("Helen", true), ("Tony", false),
        ("Fang", true), ("Vincent", false), ("Cindy", true), ("Eric", false), ("Yan", true),
        ("Jenny", true), ("Peter", false),
    ]
    /// Cities with weight (percent), districts (one branch each) and six managers each.
    static let cities: [(name: String, weight: Int, districts: [String], managers: [String])] = [
        ("深圳", 22, ["福田", "南山", "罗湖", "宝安"], ["陈静", "李海涛", "王晓燕", "张志强", "刘婷", "黄俊杰"]),
        ("广州", 15, ["天河", "越秀", "海珠"], ["梁文斌", "何丽娟", "林少华", "罗佩玲", "郭伟明", "谢晓东"]),
        ("上海", 15, ["浦东", "徐汇", "静安", "黄浦"], ["周敏", "吴佳怡", "徐建国", "孙丽华", "朱晓峰", "沈一鸣"]),
        ("北京", 14, ["朝阳", "海淀", "西城", "东城"], ["赵国庆", "杨帆", "高明", "马丽", "胡军", "郑晓红"]),
        ("杭州", 10, ["西湖", "滨江", "上城"], ["钱晓宇", "俞佳", "方振华", "金雅婷", "潘文涛", "施建平"]),
        ("成都", 9, ["锦江", "武侯", "高新"], ["蒋小琴", "邓超", "曾丽", "彭勇", "苏晓梅", "唐建华"]),
        ("南京", 8, ["鼓楼", "玄武", "建邺"], ["韩磊", "许静", "冯宇", "顾晓敏", "蔡明", "丁海燕"]),
        ("武汉", 7, ["江汉", "武昌", "洪山"], ["熊伟", "程丽萍", "汪洋", "万志刚", "夏雨", "叶红"]),
    ]
    static let genders = ["F", "M"]
    static let tiers = ["mass", "affluent", "vip", "private"]
    static let risks = ["averse", "conservative", "balanced", "growth", "aggressive"]
    static let industries: [(name: String, weight: Int)] = [
        ("制造业", 14), ("金融", 12), ("信息技术", 14), ("教育", 9), ("医疗", 8), ("房地产", 7),
        ("零售", 10), ("政府机关", 7), ("自由职业", 9), ("外贸", 8), ("餐饮", 6), ("退休", 2),
    ]
    static let retiredIndustry = 11
    /// Tag vocabularies, already in UTF-8 byte order so a bit index is the sorted position.
    static let products = [
        "bond", "credit_card", "deposit", "forex", "fund", "gold", "insurance", "online_banking", "safe_box", "wealth",
    ]
    static let interests = [
        "art", "cars", "education", "fitness", "golf", "health", "investing", "photography", "reading", "tea",
        "travel", "wine",
    ]
    static let emailDomains = ["example.com", "example.net", "example.org"]
    static let deposit = 2
    static let onlineBanking = 7
    /// Odds of holding each product (in `products` order) for tiers mass, affluent, vip, private.
    static let productOdds: [Double] = [
        0.03, 0.1, 0.25, 0.4,      // bond
        0.4, 0.55, 0.65, 0.7,      // credit_card
        0.9, 0.9, 0.9, 0.9,        // deposit
        0.02, 0.05, 0.15, 0.35,    // forex
        0.2, 0.4, 0.6, 0.7,        // fund
        0.05, 0.1, 0.2, 0.3,       // gold
        0.15, 0.3, 0.45, 0.6,      // insurance
        0, 0, 0, 0,                // online_banking: by age instead
        0.01, 0.05, 0.2, 0.45,     // safe_box
        0.15, 0.45, 0.7, 0.85,     // wealth
    ]
    /// Base weights of `interests`, 5 bits each, first interest in the lowest bits.
    static let interestWeightsPacked: UInt64 = {
        let weights: [UInt64] = [8, 5, 6, 8, 2, 6, 7, 5, 8, 6, 10, 4]
        var packed: UInt64 = 0
        for (k, w) in weights.enumerated() { packed |= w << UInt64(5 * k) }
        return packed
    }()

    /// Branches and managers flattened: `branchNames[branchBase[city] + district]`.
    static let branchNames: [String] = cities.flatMap { city in city.districts.map { city.name + $0 + "支行" } }
    static let branchBase: [Int] = {
        var base: [Int] = []
        var n = 0
        for city in cities { base.append(n); n += city.districts.count }
        return base
    }()
    static let managerNames: [String] = cities.flatMap(\.managers)

    /// The bytes and weight tables read for every row. Each worker builds its own copy per block:
    /// shared arrays would have their reference counts bounce between cores on every access
    /// (that was 40% of `writeCSV`'s time).
    struct Lexicon {
        let surnameHan = surnames.map { Array($0.han.utf8) }
        let surnamePinyin = surnames.map { Array($0.pinyin.utf8) }
        let surnamePinyinLower = surnames.map { Array($0.pinyin.lowercased().utf8) }
        let surnameCumulative = cumulative(surnames.map(\.weight))
        let givenHan = givenCharacters.map { Array($0.han.utf8) }
        let givenPinyin = givenCharacters.map { Array($0.pinyin.utf8) }
        let latinGivenBytes = latinGiven.map { Array($0.name.utf8) }
        let latinGivenLower = latinGiven.map { Array($0.name.lowercased().utf8) }
        let latinFemale = latinGiven.map(\.female)
        let cityCumulative = cumulative(cities.map(\.weight))
        let districtCount = cities.map(\.districts.count)
        let branchBase = DemoBook.branchBase.map { $0 }
        let industryCumulative = cumulative(industries.dropLast().map(\.weight))
        let productOdds = DemoBook.productOdds.map { $0 }
        let cityBytes = cities.map { Array($0.name.utf8) }
        let branchBytes = branchNames.map { Array($0.utf8) }
        let managerBytes = managerNames.map { Array($0.utf8) }
        let genderBytes = genders.map { Array($0.utf8) }
        let tierBytes = tiers.map { Array($0.utf8) }
        let riskBytes = risks.map { Array($0.utf8) }
        let industryBytes = industries.map { Array($0.name.utf8) }
        let productBytes = products.map { Array($0.utf8) }
        let interestBytes = interests.map { Array($0.utf8) }
        let emailDomainBytes = emailDomains.map { Array($0.utf8) }
    }

    static let firstOpened = CivilDate.days(year: 2005, month: 1, day: 1)
    static let missingDate = Int32.min

    static func cumulative(_ weights: [Int]) -> [Int] {
        var sum = 0
        return weights.map { sum += $0; return sum }
    }

    // MARK: - Rows

    /// One generated client, as small indices and numbers; strings are produced from it on demand.
    struct Row {
        var latinName = false
        var surname: UInt8 = 0
        /// Chinese: the given characters (`given2` 255 = none); Latin: `given1` indexes `latinGiven`.
        var given1: UInt8 = 0
        var given2: UInt8 = 255
        var female = false
        var age: Int16 = 0
        var birthday: Int32 = 0
        var city: UInt8 = 0
        var branch: UInt8 = 0
        var manager: UInt8 = 0
        var tier: UInt8 = 0
        var risk: UInt8 = 0
        /// Money in cents.
        var assets: Int64 = 0
        var deposits: Int64 = 0
        var loans: Int64 = 0
        /// Bit set over `products`; 0 = missing.
        var products: UInt16 = 0
        var opened: Int32 = 0
        var lastContact: Int32 = missingDate
        /// 0 = missing.
        var phone: UInt64 = 0
        var hasEmail = false
        /// Digits after the name in the e-mail address; -1 = none.
        var emailNumber: Int16 = -1
        var emailDomain: UInt8 = 0
        var industry: UInt8 = 0
        /// Bit set over `interests`; 0 = missing.
        var interests: UInt16 = 0
    }

    /// SplitMix64: a counter-based stream per row.
    struct Random {
        var state: UInt64

        init(seed: UInt64, index: Int) {
            var s = Random(raw: seed)
            state = s.next() ^ (UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)
        }

        private init(raw: UInt64) { state = raw }

        @inline(__always)
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// Uniform in [0, 1).
        @inline(__always)
        mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

        /// Uniform in 0..<n (n > 0, < 2^32).
        @inline(__always)
        mutating func below(_ n: Int) -> Int { Int(((next() >> 32) &* UInt64(n)) >> 32) }

        @inline(__always)
        mutating func chance(_ p: Double) -> Bool { unit() < p }

        /// Index into a cumulative weight table.
        @inline(__always)
        mutating func weighted(_ cumulative: [Int]) -> Int {
            let total = cumulative[cumulative.count - 1]
            let x = below(total)
            var i = 0
            while cumulative[i] <= x { i += 1 }
            return i
        }

        /// Standard normal (Box–Muller).
        mutating func normal() -> Double {
            let u1 = 1.0 - unit()
            let u2 = unit()
            return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
        }
    }

    /// Whole years from `birthday` to the reference day.
    static func age(birthday: Int) -> Int {
        let (by, bm, bd) = CivilDate.civil(birthday)
        return referenceYear - by - ((referenceMonth, referenceDayOfMonth) < (bm, bd) ? 1 : 0)
    }
    private static let referenceYear = 2026, referenceMonth = 11, referenceDayOfMonth = 1

    // Assets: ln(yuan) ~ N(10.8, 2.5), redrawn outside 1,000 … 50,000,000 (≈12% above 1m, ≈41% from 100k).
    private static let assetsMu = 10.8
    private static let assetsSigma = 2.5
    private static let lnMinAssets = log(1_000.0)
    private static let lnMaxAssets = log(50_000_000.0)

    /// The client at `index` (0-based): a pure function of `(seed, index)`.
    static func generate(index: Int, seed: UInt64, _ lex: Lexicon) -> Row {
        var rng = Random(seed: seed, index: index)
        var row = Row()

        // Name and gender.
        row.surname = UInt8(rng.weighted(lex.surnameCumulative))
        if rng.chance(0.15) {
            row.latinName = true
            row.given1 = UInt8(rng.below(latinGiven.count))
            row.female = lex.latinFemale[Int(row.given1)]
        } else {
            row.given1 = UInt8(rng.below(givenCharacters.count))
            if rng.chance(0.65) { row.given2 = UInt8(rng.below(givenCharacters.count)) }
            row.female = rng.chance(0.5)
        }

        // Age 18–85, triangular with its mode at 38 (mean ≈ 47); birthday uniform within that age's year.
        let u = rng.unit()
        let ageDraw = u < 20.0 / 68 ? 18 + (u * 68 * 20).squareRoot() : 86 - ((1 - u) * 68 * 48).squareRoot()
        let years = min(85, max(18, Int(ageDraw)))
        let latest = CivilDate.addingMonths(-12 * years, to: referenceDay)
        let earliest = CivilDate.addingMonths(-12 * (years + 1), to: referenceDay) + 1
        let birthday = earliest + rng.below(latest - earliest + 1)
        row.birthday = Int32(birthday)
        let age = self.age(birthday: birthday)
        row.age = Int16(age)

        // Place.
        let city = rng.weighted(lex.cityCumulative)
        row.city = UInt8(city)
        row.branch = UInt8(lex.branchBase[city] + rng.below(lex.districtCount[city]))
        row.manager = UInt8(city * 6 + rng.below(6))

        // Money.
        var lnAssets = assetsMu + assetsSigma * rng.normal()
        while lnAssets < lnMinAssets || lnAssets > lnMaxAssets {
            lnAssets = assetsMu + assetsSigma * rng.normal()
        }
        let assets = Int64((exp(lnAssets) * 100).rounded())
        row.assets = assets
        let oldness = Double(age - 18) / 67
        let depositShare = min(1.0, 0.05 + 0.65 * rng.unit() + 0.3 * oldness * rng.unit())
        row.deposits = Int64((Double(assets) * depositShare).rounded(.down))
        if rng.chance(0.35) {
            let yuan = exp(log(10_000.0) + rng.unit() * (log(3_000_000.0) - log(10_000.0)))
            row.loans = Int64(yuan.rounded()) * 100
        }
        let noisy = Double(assets) * (0.85 + 0.35 * rng.unit())
        row.tier = noisy >= 600_000_000 ? 3 : noisy >= 100_000_000 ? 2 : noisy >= 20_000_000 ? 1 : 0

        // Risk: older clients lean averse.
        let riskDraw = min(0.9999, max(0, rng.unit() - Double(age - 50) * 0.004))
        row.risk = riskDraw < 0.15 ? 0 : riskDraw < 0.45 ? 1 : riskDraw < 0.75 ? 2 : riskDraw < 0.92 ? 3 : 4

        // Products: richer clients hold more; about 1% have none recorded.
        if !rng.chance(0.01) {
            let t = Int(row.tier)
            var bits: UInt16 = 0
            for p in 0..<products.count {
                let odds = p == onlineBanking ? 0.9 - 0.008 * Double(age - 18) : lex.productOdds[p * 4 + t]
                if rng.chance(odds) { bits |= 1 << UInt16(p) }
            }
            row.products = bits == 0 ? 1 << UInt16(deposit) : bits
        }

        // Dates: an account opened after the 18th birthday; a contact in the last two years.
        let adult = CivilDate.addingMonths(12 * 18, to: birthday)
        let lastDay = referenceDay - 1
        let openFrom = min(max(firstOpened, adult), lastDay)
        let opened = openFrom + rng.below(lastDay - openFrom + 1)
        row.opened = Int32(opened)
        if !rng.chance(0.06) {
            let contactFrom = min(max(referenceDay - 730, opened), lastDay)
            row.lastContact = Int32(contactFrom + rng.below(lastDay - contactFrom + 1))
        }

        // Contact details.
        if !rng.chance(0.03) {
            row.phone = 10_000_000_000 + UInt64(3 + rng.below(7)) * 1_000_000_000 + UInt64(rng.below(1_000_000_000))
        }
        if !rng.chance(0.25) {
            row.hasEmail = true
            row.emailNumber = rng.chance(0.7) ? Int16(1 + rng.below(999)) : -1
            let d = rng.below(10)
            row.emailDomain = d < 7 ? 0 : d < 9 ? 1 : 2
        }

        // Work.
        if age >= 60 && rng.chance(0.7) {
            row.industry = UInt8(retiredIndustry)
        } else {
            row.industry = UInt8(age >= 55 && rng.chance(0.1) ? retiredIndustry : rng.weighted(lex.industryCumulative))
        }

        // Interests: 1–3 (see `interestWeight`); about 10% unknown.
        if !rng.chance(0.1) {
            let count = 1 + (rng.chance(0.4) ? 0 : rng.chance(0.58) ? 1 : 2)
            // Weights packed 5 bits each (no array traffic in this hot loop).
            var packed = interestWeightsPacked
            if age >= 30 && age < 50 { packed += 5 << (5 * 2) }      // education: parents
            packed += UInt64(row.tier) * 6 << (5 * 4)               // golf: the rich
            if age >= 50 { packed += 6 << (5 * 5) }                  // health: the old
            var bits: UInt16 = 0
            for _ in 0..<count {
                var total = 0
                for k in 0..<12 { total += Int((packed >> UInt64(5 * k)) & 31) }
                var x = rng.below(total)
                var pick = 0
                while pick < 11 {
                    let w = Int((packed >> UInt64(5 * pick)) & 31)
                    if x < w { break }
                    x -= w
                    pick += 1
                }
                bits |= 1 << UInt16(pick)
                packed &= ~(31 << UInt64(5 * pick))
            }
            row.interests = bits
        }
        return row
    }

    /// Rows 0..<count, in parallel blocks when there are many.
    static func generateRows(count: Int, seed: UInt64) -> [Row] {
        var rows = [Row](repeating: Row(), count: count)
        let blockRows = 2048
        let blocks = (count + blockRows - 1) / blockRows
        rows.withUnsafeMutableBufferPointer { buffer in
            let out = Slots(base: buffer.baseAddress)
            let fill: @Sendable (Int) -> Void = { k in
                let lex = Lexicon()
                for i in (k * blockRows)..<min(count, (k + 1) * blockRows) {
                    out.base?[i] = generate(index: i, seed: seed, lex)
                }
            }
            Parallel.forEach(blocks, fill)
        }
        return rows
    }

    // MARK: - Text of a row

    static func appendID(_ index: Int, into buf: inout [UInt8]) {
        buf.append(UInt8(ascii: "C"))
        let n = index + 1
        var digits = 1
        var x = n
        while x >= 10 { x /= 10; digits += 1 }
        // Seven digits at least; from the ten millionth client on, as many as it takes.
        if digits < 7 { for _ in digits..<7 { buf.append(UInt8(ascii: "0")) } }
        ByteFormat.appendUnsigned(UInt64(n), grouping: false, into: &buf)
    }

    static func appendName(_ row: Row, _ lex: Lexicon, into buf: inout [UInt8]) {
        if row.latinName {
            buf.append(contentsOf: lex.latinGivenBytes[Int(row.given1)])
            buf.append(UInt8(ascii: " "))
            buf.append(contentsOf: lex.surnamePinyin[Int(row.surname)])
        } else {
            buf.append(contentsOf: lex.surnameHan[Int(row.surname)])
            buf.append(contentsOf: lex.givenHan[Int(row.given1)])
            if row.given2 != 255 { buf.append(contentsOf: lex.givenHan[Int(row.given2)]) }
        }
    }

    /// `wang.wei123@example.com`; the caller checks `hasEmail`.
    static func appendEmail(_ row: Row, _ lex: Lexicon, into buf: inout [UInt8]) {
        if row.latinName {
            buf.append(contentsOf: lex.latinGivenLower[Int(row.given1)])
            buf.append(UInt8(ascii: "."))
            buf.append(contentsOf: lex.surnamePinyinLower[Int(row.surname)])
        } else {
            buf.append(contentsOf: lex.surnamePinyinLower[Int(row.surname)])
            buf.append(UInt8(ascii: "."))
            buf.append(contentsOf: lex.givenPinyin[Int(row.given1)])
            if row.given2 != 255 { buf.append(contentsOf: lex.givenPinyin[Int(row.given2)]) }
        }
        if row.emailNumber >= 0 { ByteFormat.appendUnsigned(UInt64(row.emailNumber), grouping: false, into: &buf) }
        buf.append(UInt8(ascii: "@"))
        buf.append(contentsOf: lex.emailDomainBytes[Int(row.emailDomain)])
    }

    /// Tags in vocabulary (= UTF-8) order, joined by `;`.
    static func appendTags(_ bits: UInt16, _ vocabulary: [[UInt8]], into buf: inout [UInt8]) {
        var first = true
        for t in 0..<vocabulary.count where bits & (1 << UInt16(t)) != 0 {
            if !first { buf.append(UInt8(ascii: ";")) }
            buf.append(contentsOf: vocabulary[t])
            first = false
        }
    }

    /// One CSV line. No generated value contains `,` `"` or a line break, so nothing needs quoting.
    static func appendCSVLine(_ row: Row, index: Int, _ lex: Lexicon, into buf: inout [UInt8]) {
        let comma = UInt8(ascii: ",")
        appendID(index, into: &buf)
        buf.append(comma)
        appendName(row, lex, into: &buf)
        buf.append(comma)
        buf.append(contentsOf: lex.genderBytes[row.female ? 0 : 1])
        buf.append(comma)
        ByteFormat.appendInteger(Int64(row.age), into: &buf)
        buf.append(comma)
        ByteFormat.appendDate(Int(row.birthday), into: &buf)
        buf.append(comma)
        buf.append(contentsOf: lex.cityBytes[Int(row.city)])
        buf.append(comma)
        buf.append(contentsOf: lex.branchBytes[Int(row.branch)])
        buf.append(comma)
        buf.append(contentsOf: lex.managerBytes[Int(row.manager)])
        buf.append(comma)
        buf.append(contentsOf: lex.tierBytes[Int(row.tier)])
        buf.append(comma)
        buf.append(contentsOf: lex.riskBytes[Int(row.risk)])
        buf.append(comma)
        ByteFormat.appendDecimal(row.assets, scale: 2, into: &buf)
        buf.append(comma)
        ByteFormat.appendDecimal(row.deposits, scale: 2, into: &buf)
        buf.append(comma)
        ByteFormat.appendDecimal(row.loans, scale: 2, into: &buf)
        buf.append(comma)
        appendTags(row.products, lex.productBytes, into: &buf)
        buf.append(comma)
        ByteFormat.appendDate(Int(row.opened), into: &buf)
        buf.append(comma)
        if row.lastContact != missingDate { ByteFormat.appendDate(Int(row.lastContact), into: &buf) }
        buf.append(comma)
        if row.phone != 0 { ByteFormat.appendUnsigned(row.phone, grouping: false, into: &buf) }
        buf.append(comma)
        if row.hasEmail { appendEmail(row, lex, into: &buf) }
        buf.append(comma)
        buf.append(contentsOf: lex.industryBytes[Int(row.industry)])
        buf.append(comma)
        appendTags(row.interests, lex.interestBytes, into: &buf)
        buf.append(UInt8(ascii: "\n"))
    }

    // MARK: - Typed table

    /// A category column whose dictionary holds only the values that occur, sorted by UTF-8 bytes.
    private static func categoryColumn(_ name: String, _ values: [String], _ index: [UInt8]) -> Column {
        var used = [Bool](repeating: false, count: values.count)
        for v in index { used[Int(v)] = true }
        let present = (0..<values.count).filter { used[$0] }
            .sorted { values[$0].utf8.lexicographicallyPrecedes(values[$1].utf8) }
        var code = [UInt32](repeating: 0, count: values.count)
        for (c, v) in present.enumerated() { code[v] = UInt32(c) }
        let codes = index.map { code[Int($0)] }
        return Column(name: name, data: .category(codes: codes, dictionary: present.map { values[$0] }),
                      validity: nil, count: index.count)
    }

    /// A tags column over the tags that occur (vocabulary already in UTF-8 order); 0 bits = missing.
    private static func tagsColumn(_ name: String, _ vocabulary: [String], _ sets: [UInt16]) -> Column {
        var union: UInt16 = 0
        for s in sets { union |= s }
        let present = (0..<vocabulary.count).filter { union & (1 << UInt16($0)) != 0 }
        // Bit of each vocabulary entry in the compacted vocabulary.
        var remap = [UInt64](repeating: 0, count: vocabulary.count)
        for (t, v) in present.enumerated() { remap[v] = 1 << UInt64(t) }
        var bits = [UInt64](repeating: 0, count: sets.count)
        var validity = Bitmap(count: sets.count, filled: true)
        for r in 0..<sets.count {
            var s = sets[r]
            if s == 0 { validity[r] = false; continue }
            var word: UInt64 = 0
            while s != 0 {
                word |= remap[s.trailingZeroBitCount]
                s &= s - 1
            }
            bits[r] = word
        }
        return Column(name: name,
                      data: .tags(TagSets(vocabulary: present.map { vocabulary[$0] }, wordsPerRow: 1, bits: bits)),
                      validity: validity, count: sets.count)
    }

    /// Builds the typed columns: the text columns and the others in two concurrent halves
    /// (kept to plain loops and direct appends: tests run this unoptimised).
    static func buildTable(_ rows: [Row]) -> Table {
        var halves = [[Column]](repeating: [], count: 2)
        halves.withUnsafeMutableBufferPointer { slots in
            let out = Slots(base: slots.baseAddress)
            Parallel.forEach(2) { k in
                out.base?[k] = k == 0 ? textColumns(rows) : valueColumns(rows)
            }
        }
        var byName: [String: Column] = [:]
        for column in halves[0] + halves[1] { byName[column.name] = column }
        let columns = columnNames.compactMap { byName[$0] }
        return Table(name: "clients", columns: columns, rowCount: rows.count, origin: origin)
    }

    private static func textColumns(_ rows: [Row]) -> [Column] {
        let n = rows.count
        let lex = Lexicon()
        var ids = TextBuffer(), names = TextBuffer(), phones = TextBuffer(), emails = TextBuffer()
        ids.bytes.reserveCapacity(n * 8)
        names.bytes.reserveCapacity(n * 9)
        phones.bytes.reserveCapacity(n * 11)
        emails.bytes.reserveCapacity(n * 24)
        var phoneValid = Bitmap(count: n, filled: true), emailValid = Bitmap(count: n, filled: true)
        for i in 0..<n {
            let row = rows[i]
            appendID(i, into: &ids.bytes)
            ids.offsets.append(ids.bytes.count)
            appendName(row, lex, into: &names.bytes)
            names.offsets.append(names.bytes.count)
            if row.phone != 0 {
                ByteFormat.appendUnsigned(row.phone, grouping: false, into: &phones.bytes)
            } else {
                phoneValid[i] = false
            }
            phones.offsets.append(phones.bytes.count)
            if row.hasEmail { appendEmail(row, lex, into: &emails.bytes) } else { emailValid[i] = false }
            emails.offsets.append(emails.bytes.count)
        }
        return [
            Column(name: "id", data: .text(ids), validity: nil, count: n),
            Column(name: "name", data: .text(names), validity: nil, count: n),
            Column(name: "phone", data: .text(phones), validity: phoneValid, count: n),
            Column(name: "email", data: .text(emails), validity: emailValid, count: n),
        ]
    }

    private static func valueColumns(_ rows: [Row]) -> [Column] {
        let n = rows.count
        var contactValid = Bitmap(count: n, filled: true)
        var gender = [UInt8](), city = [UInt8](), branch = [UInt8](), manager = [UInt8](), tier = [UInt8]()
        var risk = [UInt8](), industry = [UInt8]()
        var age = [Int64](), assets = [Int64](), deposits = [Int64](), loans = [Int64]()
        var birthday = [Int32](), opened = [Int32](), lastContact = [Int32]()
        var productSets = [UInt16](), interestSets = [UInt16]()
        gender.reserveCapacity(n); city.reserveCapacity(n); branch.reserveCapacity(n); manager.reserveCapacity(n)
        tier.reserveCapacity(n); risk.reserveCapacity(n); industry.reserveCapacity(n)
        age.reserveCapacity(n); assets.reserveCapacity(n); deposits.reserveCapacity(n); loans.reserveCapacity(n)
        birthday.reserveCapacity(n); opened.reserveCapacity(n); lastContact.reserveCapacity(n)
        productSets.reserveCapacity(n); interestSets.reserveCapacity(n)
        for i in 0..<n {
            let row = rows[i]
            gender.append(row.female ? 0 : 1)
            city.append(row.city)
            branch.append(row.branch)
            manager.append(row.manager)
            tier.append(row.tier)
            risk.append(row.risk)
            industry.append(row.industry)
            age.append(Int64(row.age))
            assets.append(row.assets)
            deposits.append(row.deposits)
            loans.append(row.loans)
            birthday.append(row.birthday)
            opened.append(row.opened)
            if row.lastContact == missingDate {
                contactValid[i] = false
                lastContact.append(0)
            } else {
                lastContact.append(row.lastContact)
            }
            productSets.append(row.products)
            interestSets.append(row.interests)
        }
        return [
            categoryColumn("gender", genders, gender),
            Column(name: "age", data: .integer(age), validity: nil, count: n),
            Column(name: "birthday", data: .date(birthday), validity: nil, count: n),
            categoryColumn("city", cities.map(\.name), city),
            categoryColumn("branch", branchNames, branch),
            categoryColumn("manager", managerNames, manager),
            categoryColumn("tier", tiers, tier),
            categoryColumn("risk", risks, risk),
            Column(name: "assets", data: .decimal(assets, scale: 2), validity: nil, count: n),
            Column(name: "deposits", data: .decimal(deposits, scale: 2), validity: nil, count: n),
            Column(name: "loans", data: .decimal(loans, scale: 2), validity: nil, count: n),
            tagsColumn("products", products, productSets),
            Column(name: "opened", data: .date(opened), validity: nil, count: n),
            Column(name: "last_contact", data: .date(lastContact), validity: contactValid, count: n),
            categoryColumn("industry", industries.map(\.name), industry),
            tagsColumn("interests", interests, interestSets),
        ]
    }
}
