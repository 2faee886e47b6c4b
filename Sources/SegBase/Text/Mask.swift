// Masking of personal data in output (个人信息保护): `--mask phone,name,email`, `.mask`, and
// `# mask: …` in the segment library. Statements still read the real values; only what seg
// writes out is masked.

/// How one field's values are masked.
public enum MaskRule: String, Sendable, Equatable, CaseIterable {
    /// `13812341234` → `138****1234`: the first three and last four digits stay.
    case phone
    /// `张三丰` → `张*丰`, `张三` → `张*`, `Li Na` → `L** Na`.
    case name
    /// `wang@qq.com` → `w***@qq.com`.
    case email
    /// Every character but the first is hidden: `C1234` → `C***`.
    case other

    /// The rule a field's name suggests: phone, mobile, tel, 手机, 电话 → phone; mail, 邮箱 →
    /// email; name, 姓名, 名 → name; anything else → other.
    public init(forField field: String) {
        let f = field.lowercased()
        if ["phone", "mobile", "tel", "手机", "电话"].contains(where: f.contains) { self = .phone }
        else if ["mail", "邮箱"].contains(where: f.contains) { self = .email }
        else if ["name", "姓名", "名"].contains(where: f.contains) { self = .name }
        else { self = .other }
    }

    /// `value` masked; the empty text stays empty.
    public func apply(_ value: String) -> String {
        guard !value.isEmpty else { return value }
        switch self {
        case .phone: return Self.phone(value)
        case .name: return Self.name(value)
        case .email: return Self.email(value)
        case .other: return String(value.prefix(1)) + "***"
        }
    }

    static func phone(_ value: String) -> String {
        let digits = value.filter(\.isASCII).filter(\.isNumber).count
        // Keep 3 leading and 4 trailing digits when at least as many are hidden; short numbers
        // keep only their last two.
        let (head, tail) = digits >= 11 ? (3, 4) : digits >= 7 ? (0, 4) : (0, min(2, max(0, digits - 4)))
        var seen = 0
        var out = ""
        for c in value {
            guard c.isASCII && c.isNumber else { out.append(c); continue }
            out.append(seen < head || seen >= digits - tail ? c : "*")
            seen += 1
        }
        return out
    }

    static func name(_ value: String) -> String {
        let words = value.split(separator: " ", omittingEmptySubsequences: true)
        if words.count > 1 {
            // A Latin name: the given name's initial, then the family name (the length is not shown).
            return String(words[0].prefix(1)) + "** " + words.dropFirst().joined(separator: " ")
        }
        let c = Array(value)
        switch c.count {
        case 1: return "*"
        case 2: return String(c[0]) + "*"
        default: return String(c[0]) + String(repeating: "*", count: c.count - 2) + String(c[c.count - 1])
        }
    }

    static func email(_ value: String) -> String {
        guard let at = value.lastIndex(of: "@"), at != value.startIndex else { return MaskRule.other.apply(value) }
        return String(value[value.startIndex]) + "***" + value[at...]
    }
}

/// The fields masked in output, by field name (compared as `ExactText.nameKey` does).
public struct MaskSet: Sendable, Equatable {
    public private(set) var rules: [String: MaskRule] = [:]
    /// The names as given, in order, for `.mask` to show.
    public private(set) var names: [String] = []

    public init() {}

    /// `phone, name, email` or `contact=phone, 姓名`: field names, each with the rule its name
    /// suggests or the one given after `=`.
    public init(parsing list: String) throws {
        for item in list.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " }) {
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0) }
            let field = parts[0]
            guard !field.isEmpty else { continue }
            var rule = MaskRule(forField: field)
            if parts.count == 2 {
                guard let given = MaskRule(rawValue: parts[1].lowercased()) else {
                    throw SegError(.usage, .usage(.unknownMaskRule(parts[1], field: field,
                                                                   suggestion: Suggest.closest(to: parts[1], among: MaskRule.allCases.map(\.rawValue)))))
                }
                rule = given
            }
            add(field, rule)
        }
    }

    public var isEmpty: Bool { rules.isEmpty }

    public mutating func add(_ field: String, _ rule: MaskRule) {
        if rules[ExactText.nameKey(field)] == nil { names.append(field) }
        rules[ExactText.nameKey(field)] = rule
    }

    /// Adds every field of `other`, with its rule.
    public mutating func merge(_ other: MaskSet) {
        for field in other.names { if let rule = other.rule(for: field) { add(field, rule) } }
    }

    /// The rule for `field`, when it is masked.
    public func rule(for field: String) -> MaskRule? { rules[ExactText.nameKey(field)] }
}
