import SegBase
import SegSyntax
import SegStore
import SegFunctions
import SegSemantics
import SegEngine
import SegIO
/// The text of `seg help language` and the REPL's `.help language`.
public enum LanguageReference {
    /// One line per registry function of a date: an example, then what it gives.
    static var functionLines: String {
        Functions.scalars.filter { $0.arguments.first == .date }.map { "  " + pad($0.example, to: 40) + $0.summary }
            .joined(separator: "\n")
    }

    /// One line per other registry function.
    static var otherFunctionLines: String {
        Functions.scalars.filter { $0.arguments.first != .date }.map { "  " + pad($0.example, to: 40) + $0.summary }
            .joined(separator: "\n")
    }

    /// One line per registry aggregate.
    static var aggregateLines: String {
        Functions.aggregates.map { a in
            let call = a.heading.map { $0("field") } ?? (a.allowsNoArgument ? a.name : a.takesFraction ? "\(a.name)(field, p)" : "\(a.name)(field)")
            return "  " + pad(call, to: 34) + a.summary
        }
            .joined(separator: "\n")
    }

    static func pad(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - DisplayWidth.of(text)))
    }

    public static let text = """
    seg language reference
    ======================

    A statement asks one question of a table (the client book is `clients`) or of a segment:

      SOURCE [where CONDITION] [by KEYS] [show ITEMS] [sort by KEYS] [limit N] [count]

    The clauses after `where` may come in any order, each at most once. Statements end at a
    newline or `;`, and continue on the next line while a parenthesis is open or the line ends
    with an operator or a word that needs more (`and`, `where`, `,` …). Comments: `--` or `#`.
    Keywords and field names are case-insensitive.

    CONDITIONS
      risk = averse                    compare: =  !=  <  <=  >  >=   (either side may be a field)
      deposits > loans                 two fields
      risk in (averse, conservative)   a list; also: not in (…)
      age between 30 and 50            inclusive; also: not between
      products has fund                a tag field holds a tag
      products has any (fund, wealth)  … any of them;  has all (…): every one
      name like "王%"                   % any run of characters, _ one character; also: not like
      name ~ "(^| )Wang( |$)"          a regular expression found anywhere in the value
      email contains "@qq"             a substring; also: not contains
      phone is empty                   missing value; also: is not empty
      in vip                           a member of segment vip
      not C, C and C, C or C, ( C )    the usual precedence: not, then and, then or

    VALUES
      averse, 深圳                      a bare word compared with a category field is a value
      "Li Na", 'O''Brien'               quoted text
      1m  2.5k  100万  1亿  1_000_000    numbers: k=10^3, m=10^6, b=10^9, 万=10^4, 亿=10^8
      2026-01-31  today  yesterday      dates; also 6 months ago; units: days, weeks, months, years

    DATES
      last_contact before 6 months ago        before / after a date
      opened after 2020-01-01
      last_contact in last 30 days            today-30 … today, inclusive
    \(functionLines)
      `today` is the machine's date unless --today YYYY-MM-DD or SEG_TODAY fixes it.

    ARITHMETIC AND FUNCTIONS (wherever a field may stand: where, by, show, sort, aggregates)
      assets - loans > 1m                     + - * / and parentheses; * and / bind tighter
      loans / assets > 0.5                    exact decimals: / gives 4 places, rounded half away
                                              from zero; dividing by zero gives a missing value
      birthday + 30 days, opened - 1 year     a date and a span (months clamp to the month's end)
      today - last_contact > 90               two dates: the days between
      show assets - loans as net sort by net  a heading for a shown value; sort by may name it
      1千万  1百万  2千  5w                  more suffixes: 10^7, 10^6, 10^3, 10^4 (w = 万)
    \(otherFunctionLines)

    MISSING VALUES
      An empty cell is missing. A missing value never satisfies a comparison, and `not` of such
      a comparison is not satisfied either (SQL's three-valued logic): only `is empty` sees it.
      sum and avg skip missing values.

    RESULTS
      show name, phone, assets          the columns of a list (default: id, name and the fields
                                        the query mentions); show all: every field
      sort by assets desc, name         asc is the default; missing values sort last
      limit 20                          the first 20 rows (after sort)
      count                             only the number of rows
      by tier, risk                     one row per group (default: show the keys and count)
      by tier show count, sum(assets), avg(age), min(assets), max(assets)
      by manager show count sort by count desc limit 10
      by manager having count > 300 show count, sum(assets)
                                        only the groups the condition holds for (aggregates, keys)
      sort by assets desc limit 5 per manager
                                        the first 5 rows of each manager, managers in order
      by products show count            a tag field: one group per tag, a client counted in each
                                        of their tags' groups (the footer says so)
      by band(assets, 5万, 60万, 600万) show count
                                        one group per band: <5万, 5万–60万, 60万–600万, ≥600万
      show count, sum(assets)           aggregates without `by`: one row for all selected rows
      by tier show quantile(assets, 0.9)   the value at rank ⌈n × 0.9⌉ of each tier, ascending
      by tier show count, pct(count), pct(sum(assets))
                                        each group's share of the total over the groups, in %
    \(aggregateLines)
      \(pad("pct(aggregate)", to: 34))\(Functions.share.summary)

    SEGMENTS
      let rich = clients where assets > 5m     name a question; it is asked again each time
      rich where risk = averse                 use it as a source
      vip union rich, vip intersect rich, vip except rich, (clients where age > 60) except vip
      clients where in vip and not in rich     membership in a condition

    DERIVED FIELDS AND CLASSIFICATIONS (usable wherever a stored field is)
      let field net = assets - loans           a value computed for each client
      clients where net > 1m sort by net desc  … then used like any field
      let field aum_tier =
          私行 when assets >= 600万,
          财富 when assets >= 60万,
          贵宾 when assets >= 5万,
          else 大众                            one label per client: the first rule that holds
      clients by aum_tier show count           groups in the order the rules are written
      clients where aum_tier >= 财富           thresholds on one value order the labels: falling
                                               (>= 600万, >= 60万) put the first highest, rising
                                               (< 5万, < 60万) the lowest
      A rule whose value is missing for a client leaves the label missing (seg does not guess);
      without `else`, clients no rule takes have no label. save NAME / drop NAME keep fields in
      the library as they do segments; .fields lists them.

    ORDERED CATEGORIES (a stored field's values, lowest first; also --order risk=averse,…)
      let order risk = averse, conservative, balanced, growth, aggressive
      clients where risk >= balanced by risk show count
                                               groups, sorts, <, >, between follow the order
      let order risk_level = C1, C2, C3, C4, C5
      let order product_risk = R1, R2, R3, R4, R5
      holdings where product_risk > risk_level  suitability: two ordered fields with as many
                                               levels compare level by level (R4 > C3)
      Every value of the field must be listed; save risk / drop risk keep the order in the library.
      Without an order, < and > on a category compare spelling.

    SAVED SEGMENTS (library: ./segments.seg, or --segments FILE)
      save vip = clients where tier in (vip, private)   define and save to the library
      save rich                                         save a segment defined with let
      drop vip                                          remove from the session and the library
      segments                                          list segments with their sizes

    PARAMETERS
      param min_assets = 1m                    a default, overridden by --param min_assets=5m
      clients where assets > $min_assets

    EXPLAIN
      explain clients where risk = averse and assets > 1m and city = 深圳
                                               how many clients remain after each condition
      why C0000042 in vip                      each condition with that client's value, ✓ or ✗

    SNAPSHOTS AND DIFFS (stored in .seg/snapshots/ beside the library)
      snapshot vip                             record vip's members and the fields it uses, today
      diff vip                                 who entered, who left, and what changed since then
      diff vip since 2026-10-01                against the latest snapshot on or before a date
      snapshots vip                            the stored snapshots
      snapshot aum_tier, diff aum_tier         a classification: every client's label, then the
                                               migration matrix (from each label to each, moved
                                               up and down)

    TYPES
      integer, decimal (exact fixed point, money), date (YYYY-MM-DD), boolean (true/false),
      category (repeated strings), text, tags (`;`-separated tokens such as deposit;fund).
      Types are inferred from the data; --type column=TYPE overrides one.

    ERRORS
      Unknown fields, unknown category values (risk = avrese), tags that no client has and type
      mismatches are errors with a caret under the place and a "did you mean" suggestion, never
      a silent empty answer.

    """
}
