// The Chinese help texts. Keywords, field names, function names, options and examples stay as
// they are typed; the explanations are Chinese.

extension HelpText {
    var chinese: String {
        switch self {
        case .languageReference(let dateFunctions, let otherFunctions, let aggregates):
            return """
            seg 查询语言参考
            ================

            一条语句向一个表（客户表名为 `clients`）或一个细分提一个问题：

              SOURCE [where CONDITION] [by KEYS] [show ITEMS] [sort by KEYS] [limit N] [count]

            `where` 之后的子句顺序任意，每种最多一次。语句在换行或 `;` 处结束；括号未闭合、
            或行尾是运算符或需要后续内容的词（`and`、`where`、`,` …）时，语句延续到下一行。
            注释：`--` 或 `#`。关键字和字段名不区分大小写。字段名含空格、括号或与关键字同形时，
            用反引号括起，凡字段可出现之处均可：
              clients where `资产余额(元)` > 1m show 客户号, `最近联系 日期`

            条件
              risk = averse                    比较：=  !=  <  <=  >  >=（两边都可以是字段）
              deposits > loans                 两个字段比较
              risk in (averse, conservative)   取值列表；也可：not in (…)
              age between 30 and 50            含两端；也可：not between
              products has fund                标签字段含某个标签
              products has any (fund, wealth)  … 含其中任一个；has all (…)：全部都含
              name like "王%"                   % 任意多个字符，_ 一个字符；也可：not like
              name ~ "(^| )Wang( |$)"          正则表达式，在值中任意位置匹配
              email contains "@qq"             包含子串；也可：not contains
              phone is empty                   缺失值；也可：is not empty
              in vip                           属于细分 vip
              not C, C and C, C or C, ( C )    通常的优先级：先 not，再 and，最后 or

            取值
              averse, 深圳                      与分类字段比较时，不加引号的词就是取值
              "Li Na", 'O''Brien'               带引号的文本
              1m  2.5k  100万  1亿  1_000_000    数字：k=10^3，m=10^6，b=10^9，万=10^4，亿=10^8
              2026-01-31  today  yesterday      日期；也可 6 months ago；单位：days、weeks、months、years

            日期
              last_contact before 6 months ago        早于 / 晚于某个日期（before / after）
              opened after 2020-01-01
              last_contact in last 30 days            今天前 30 天 … 今天，含两端
            \(dateFunctions)
              `today` 是本机日期，除非用 --today YYYY-MM-DD 或 SEG_TODAY 固定。

            运算与函数（凡能写字段的地方都可以用：where、by、show、sort、聚合）
              assets - loans > 1m                     + - * / 和括号；* 和 / 优先
              loans / assets > 0.5                    精确小数：/ 保留 4 位，四舍五入（远离零）；
                                                      除以零得到缺失值
              birthday + 30 days, opened - 1 year     日期加减时间段（月份超出时取当月最后一天）
              today - last_contact > 90               两个日期相减：相差的天数
              show assets - loans as net sort by net  给显示的值起标题；sort by 可以用这个标题
              1千万  1百万  2千  5w                  更多后缀：10^7、10^6、10^3、10^4（w = 万）
            \(otherFunctions)

            缺失值
              空单元格就是缺失值。缺失值不满足任何比较，对这种比较取 `not` 也不满足
              （SQL 的三值逻辑）：只有 `is empty` 能选中它。sum 和 avg 跳过缺失值。

            结果
              show name, phone, assets          名单的列（默认：id、name 和查询用到的字段）；
                                                show all：所有字段
              sort by assets desc, name         默认 asc 升序；缺失值排在最后
              limit 20                          （排序后）前 20 行
              count                             只要行数
              by tier, risk                     每组一行（默认：显示分组键和 count）
              by tier show count, sum(assets), avg(age), min(assets), max(assets)
              by manager show count sort by count desc limit 10
              by manager having count > 300 show count, sum(assets)
                                                只保留条件成立的组（可用聚合和分组键）
              sort by assets desc limit 5 per manager
                                                每位客户经理的前 5 行，经理依次排列
              by products show count            标签字段：每个标签一组，客户在其每个标签的组里
                                                各计一次（结果下方会注明）
              by band(assets, 5万, 60万, 600万) show count
                                                每个区间一组：<5万、5万–60万、60万–600万、≥600万
              show count, sum(assets)           不带 `by` 的聚合：所有选中的行合成一行
              by tier show quantile(assets, 0.9)   每个 tier 中升序第 ⌈n × 0.9⌉ 位的值
              by tier show count, pct(count), pct(sum(assets))
                                                每组占所有组合计的百分比
            \(aggregates)

            图表（表格格式下：终端上，或 .txt 文件；--width N 或 COLUMNS 设定宽度）
              clients by tier show count, sum(assets) chart
                                                每个数值列画一张横向条形图，以 by 的键为标签；
                                                .chart on 让所有 by 结果都画成图
              clients where tier = vip sort by assets desc limit 10 show name, assets chart
                                                列表：以非数值列为标签
              clients where tier = vip histogram assets
                                                每个等宽整数区间（5万–10万 …）内的客户数；
                                                缺失值单独一行
              负值画在 │ 轴的左侧；csv、json、xlsx 等输出数字本身（直方图：区间、起、止、count 四列）。
              seg report SCRIPT --html FILE 把它们画在网页里。

            细分
              let rich = clients where assets > 5m     给一个问题起名字；每次使用时重新计算
              rich where risk = averse                 把它当作数据来源
              vip union rich, vip intersect rich, vip except rich, (clients where age > 60) except vip
              clients where in vip and not in rich     在条件里判断是否属于细分

            关联表（seg clients.csv … --data holdings.csv --data contacts.csv；演示数据自带
            holdings、family、contacts 和 managers）
              字段 client_id 按 id 关联到 clients 表，字段 manager 关联到 managers 表；
              --link holdings.client_id=clients.id 可显式声明关联。键在 clients 中找不到的行保留并计数
              （会有提示说明行数），不计入任何客户。
              clients where has holdings where kind = wealth and maturity in next 14 days
              clients where tier = vip and no contacts where outcome = reached and date after 90 days ago
              clients where latest contacts.outcome = disconnected     取最近一次联系当天的结果
              clients where count(holdings where kind = fund) >= 2
              clients where sum(holdings.amount where kind = fund) > 1m
              clients where avg(holdings.amount where kind = fund) > 500k   avg、median：与 avg(assets) 算法相同
              clients show name, count(holdings), sum(holdings.amount), min(holdings.maturity)
                                                       没有关联行时 count 和 sum 为 0，其余为缺失
              clients by tier show count(holdings), sum(holdings.amount)   分组时：对组内客户求和
              `has T where` 之后的条件一直延续到结尾：客户自身的条件请写在前面，
              或写成 (has holdings where kind = fund) and tier = vip；在其中用 client.tier。
              holdings where maturity in next 30 days and client.tier in (vip, private)
                  show client.name, client.phone, product, amount, maturity
              holdings by client.manager show count, sum(amount)   client.字段：该持仓所属客户的字段
              clients by team show count               关联表的字段（manager.team）可直接用字段名
              family where anniversary(birthday) in next 7 days show client.manager, client.name, name
              let order risk_level = R1, R2, R3, R4, R5    配合 let order risk = averse, …, aggressive：
              holdings where risk_level > client.risk      R1 对应 averse … R5 对应 aggressive，逐级比较

            派生字段与分类（凡能用存储字段的地方都能用）
              let field net = assets - loans           为每位客户计算的值
              clients where net > 1m sort by net desc  … 然后像普通字段一样使用
              let field aum_tier =
                  私行 when assets >= 600万,
                  财富 when assets >= 60万,
                  贵宾 when assets >= 5万,
                  else 大众                            每位客户一个标签：取第一条成立的规则
              clients by aum_tier show count           分组按规则书写的顺序排列
              clients where aum_tier >= 财富           对同一个值的阈值规则给标签定了顺序：递减
                                                       （>= 600万, >= 60万）第一个最高，递增
                                                       （< 5万, < 60万）第一个最低
              某条规则用到的值对某位客户缺失时，该客户的标签为缺失（seg 不猜）；没有 `else` 时，
              没有任何规则成立的客户没有标签。save NAME / drop NAME 像保存细分一样把字段保存到
              细分库；.fields 列出它们。

            有序分类（存储字段的取值，从低到高；也可用 --order risk=averse,…）
              let order risk = averse, conservative, balanced, growth, aggressive
              clients where risk >= balanced by risk show count
                                                       分组、排序、<、>、between 都按此顺序
              let order risk_level = C1, C2, C3, C4, C5
              let order product_risk = R1, R2, R3, R4, R5
              holdings where product_risk > risk_level  适当性：级数相同的两个有序字段逐级比较
                                                       （R4 > C3）
              必须列出该字段的每个取值；save risk / drop risk 把顺序保存到细分库或从中删除。
              没有顺序时，分类字段的 < 和 > 按拼写比较。.fields 显示顺序，Tab 按此顺序提示取值。

            保存的细分（细分库：./segments.seg，或 --segments FILE）
              save vip = clients where tier in (vip, private)   定义并保存到细分库
              save rich                                         保存用 let 定义的细分
              drop vip                                          从会话和细分库中删除
              segments                                          列出各细分及其人数

            参数
              param min_assets = 1m                    默认值，可被 --param min_assets=5m 覆盖
              clients where assets > $min_assets

            解释
              explain clients where risk = averse and assets > 1m and city = 深圳
                                                       每个条件之后还剩多少位客户
              why C0000042 in vip                      逐个条件列出该客户的值，✓ 或 ✗

            快照与对比（保存在细分库旁的 .seg/snapshots/ 中）
              snapshot vip                             记录 vip 今天的成员及其用到的字段
              diff vip                                 此后谁进入、谁离开、哪些字段变了
              diff vip since 2026-10-01                与该日期当天或之前最近的快照对比
              snapshots vip                            已保存的快照
              snapshot aum_tier, diff aum_tier         分类：记录每位客户的标签，然后给出迁移矩阵
                                                       （从每个标签到每个标签，上移和下移）

            联系计划（规则写在细分库旁的 plan.seg 中；seg plan 写出名单）
              rule birthday priority 1 reason "生日" where anniversary(birthday) in next 7 days
                                                       一条规则：联系谁、为什么、多紧急（1 最先）
              seg plan --out lists                     每位客户经理一份联系名单（lists/经理名.csv），
                                                       每位客户只出现一次，列出所有成立的原因
              seg kpi --then october.csv --now november.csv
                                                       每位客户经理和团队：新增AUM、新开户、新增和
                                                       流失客户、层级升降、贵宾联系覆盖率

            类型
              integer（整数）、decimal（精确定点小数，金额）、date（YYYY-MM-DD）、
              boolean（true/false）、category（重复出现的字符串）、text（文本）、
              tags（用 `;` 分隔的标签，如 deposit;fund）。
              类型由数据推断；--type column=TYPE 可覆盖某一列。

            错误
              未知字段、未知分类取值（risk = avrese）、没有任何客户拥有的标签和类型不匹配都是错误，
              会在出错位置下画出标记并给出“是不是要找”的建议，绝不会悄悄返回空结果。

            """
        case .prompt(let table):
            return """
                输入一条语句后按回车；Tab 补全名称和取值，上箭头调出之前的语句。
                语句没写完时会在下一行继续（提示符显示 ..>）。

                示例：
                  \(table) where risk = averse and assets > 1m count
                  \(table) where city in (深圳, 上海) sort by assets desc limit 20 show name, phone, assets
                  \(table) by tier show count, sum(assets)
                  let vip = \(table) where tier in (vip, private)
                  vip where anniversary(birthday) in next 14 days show name, birthday

                命令：

                """ + HelpText.chineseDotCommands.split(separator: "\n").map { "  " + $0 + "\n" }.joined()
        case .dotCommands:
            return HelpText.chineseDotCommands
        case .commandLine:
            return Self.chineseCommandLine
        case .generateCommand:
            return """
                概要：按确定的方式写出一个演示客户表（CSV），与内置演示数据用同一个生成器。

                用法：seg generate [--rows <rows>] [--seed <seed>] [--output <path>] [--out <dir>]

                选项：
                  --rows <rows>           客户数（默认：10000）
                  --seed <seed>           种子：同一个种子生成同一份数据（默认：1）
                  --output <path>         写入这个文件，而不是标准输出
                  --out <dir>             把客户表及其关联表写入这个文件夹，每个表一个 CSV：clients、holdings、
                                          family、contacts、managers
                  --lang <en|zh>          消息的语言：en 或 zh
                  -h, --help              显示帮助

                示例：
                  seg generate --rows 1000 > small.csv
                  seg generate --rows 1000000 --seed 7 --output book.csv
                  seg generate --rows 1000 --out demo/

                """
        case .planCommand:
            return """
                概要：按计划文件中的规则，为每位客户经理写出一份联系名单。

                用法：seg plan [选项]

                计划文件（默认：细分库所在文件夹中的 plan.seg）每条规则一句：
                  rule birthday priority 1 reason "生日" where anniversary(birthday) in next 7 days
                每位客户只列一次，归在其客户经理名下，所有成立规则的原因合在一起（"生日; 90天未联系"）；
                优先级最高（数字最小）的在前，其次按资产从大到小。--out DIR 为每位客户经理写出
                DIR/经理名.csv（带 UTF-8 BOM，Excel 可正确显示中文；权限 0600，原子写入；没有客户经理
                的客户写入 _no_manager.csv）；加 --format xlsx 则写出 DIR/经理名.xlsx 工作簿。

                选项：
                  --data <[name=]path>    名单文件，同 seg --data（默认：演示数据）
                  --plan <file>           规则所在的计划文件（默认：--segments 所在文件夹中的 plan.seg）
                  --out <dir>             为每位客户经理在这个文件夹中写一个 CSV 文件（没有则创建），不输出到屏幕
                  --force                 允许 --out 覆盖已有的名单文件（已加载的数据文件、细分库和快照永远不会被覆盖）
                  --only <names>          只要这些客户经理的名单（逗号分隔）
                  --manager <field>       按哪个字段分名单（默认：manager）
                  --show <items>          每份名单的列，同 show 子句（默认：id, name, phone, tier, assets, last_contact）
                  --mask <field,…>        在名单中遮盖这些字段（同 seg --mask）
                  --no-mask               不遮盖细分库 '# mask:' 行要求遮盖的字段
                \(HelpText.chineseBookOptions)

                示例：
                  seg plan --today 2026-11-16
                  seg plan --data book.csv --plan team.seg --out lists --mask phone

                """
        case .kpiCommand:
            return """
                概要：两份名单之间每位客户经理（及团队）的新增AUM、新开户、新增和流失客户、层级升降、贵宾联系覆盖率。

                用法：seg kpi --then <file> --now <file> [选项]

                按客户键（id）匹配客户；只在一份名单中的客户算作新增或流失。统计期从 --since（默认：
                今天往前一个月）到今天，两端都含。层级升降按 'tier' 的顺序（--order tier=… 或细分库中的
                'let order tier'）。名单也可以是保存的 .segbook，它把一个月的名单原样
                保存下来（参见 seg --help）。--format json 时两张表合为一个文档：
                [{"statement": "managers", "result": […]}, {"statement": "teams", …}]。

                选项：
                  --then <file>           较早的名单（上个月的文件）
                  --now <file>            较新的名单（这个月的文件）
                  --teams <file>          客户经理所属团队的表（manager 和 team 两列）：再按团队统计
                  --since <YYYY-MM-DD>    统计期的第一天（默认：今天往前一个月）
                  --vip <condition>       贵宾客户的条件（默认：tier in (vip, private)）
                \(HelpText.chineseBookOptions)

                示例：
                  seg kpi --then october.csv --now november.csv --today 2026-11-30 --order tier=mass,affluent,vip,private
                  seg kpi --then october.csv --now november.csv --teams teams.csv --since 2026-11-01

                """
        case .sqlCommand:
            return """
                概要：打印 seg 语句对应的 SQL（PostgreSQL、SQLite 或 DuckDB）。

                用法：seg sql [<statement> ...] [选项]

                先按数据结构检查名称、类型和取值：演示数据、--data 文件或 PostgreSQL 表（--db）。
                相对日期会按 --today 换算成具体日期，所以生成的 SQL 可以重现。'let' 定义的细分在后面
                的语句中作为 CTE 使用。

                参数：
                  <statement>             要翻译的语句（用 ';' 或换行分隔）

                选项：
                  --dialect <dialect>     postgres（默认）、sqlite 或 duckdb
                  --data <[name=]path>    从文件读取数据结构，同 seg --data。可重复
                  --type <column=type>    覆盖推断出的列类型。可重复
                  --db <postgres://user@host:port/db>
                                          从 PostgreSQL 读取数据结构（也可用 SEG_DB）
                  --table <name=schema.table>
                                          seg 表对应的 SQL 表（默认：同名）。可重复
                  --today <YYYY-MM-DD>    相对日期所用的今天（也可用 SEG_TODAY）
                  --tags <storage>        文件数据结构中标签字段的存储方式：text（';' 分隔，默认）或 array
                  --lang <en|zh>          消息的语言：en 或 zh
                  --order <field=low,…,high>
                                          给分类字段的取值定顺序（从低到高），同 seg --order。可重复
                  --link <child.field=parent.key>
                                          把一个表的字段关联到另一个表的键，同 seg --link。可重复
                  --params                把字符串写成 $1、$2 … 参数（列在每条语句后），而不是字面量
                  --create                改为打印第一个表结构的 CREATE TABLE（配合 --dialect postgres：一个同时
                                          从标准输入加载 CSV 的 psql 脚本）
                  -h, --help              显示帮助

                示例：
                  seg sql 'clients where risk=averse and assets>1m count'
                  seg sql --dialect sqlite --data book.csv 'clients by tier show count, avg(age)'
                  seg sql --today 2026-11-15 'let vip = clients where tier = vip; vip where last_contact before 6 months ago'
                  seg sql --data book.csv --table clients=crm.clients --tags array --create > load.sql

                """
        }
    }

    static let chineseCommandLine = """
        概要：快速找到合适的客户：用于客户细分的查询语言和交互提示符。

        用法：
          seg [选项]                          打开提示符
          seg [选项] -c STATEMENT [-c …]      运行语句后退出
          seg [选项] SCRIPT.seg               运行脚本
          … | seg [选项]                      运行标准输入中的语句
          seg generate --rows N [--seed S]    以 CSV 写出演示客户表
          seg generate --out DIR              …连同关联表，每表一个 CSV
          seg plan [--out DIR]                按计划文件的规则为每位客户经理写联系名单
          seg kpi --then 文件 --now 文件      两份名单之间每位客户经理和团队的指标
          seg sql [选项] STATEMENT            打印语句编译成的 SQL
          seg report SCRIPT.seg --html FILE   把脚本的结果写成一个 HTML 页面
          seg help language                   查询语言参考

        不给 --data 时，seg 打开内置的 10,000 位客户的演示数据。

        示例：
          seg -c 'clients where risk=averse and assets>1m count'
          seg --data book.csv -c 'clients where tier in (vip, private) sort by assets desc limit 20 show name, phone, assets'
          seg --data book.csv --format json -c 'clients by tier show count, sum(assets)'
          seg -c 'clients by tier show count, sum(assets) chart' --width 100
          seg -c 'clients where tier = vip histogram assets'
          seg --output vip.xlsx -c 'clients where tier = vip show id, name, assets, last_contact'
          seg report monday.seg --html monday.html
          seg --data book.csv --save-book book.segbook && seg --data book.segbook -c 'clients count'
          seg --segments team.seg -c 'save vip = clients where tier in (vip, private)' -c 'snapshot vip'
          seg --data export.xlsx --sheet 客户明细 -c 'clients where `资产余额(元)` > 1m show 客户号, `最近联系 日期`'
          seg --param min_assets=5m script.seg
          seg --order risk=averse,conservative,balanced,growth,aggressive -c 'clients where risk >= balanced by risk show count'
          seg --today 2026-11-29 -c 'clients where anniversary(birthday) in next 14 days show name, birthday'
          seg generate --rows 1000000 --seed 7 > book.csv

        退出码：0 成功，64 用法错误，65 语句或数据文件有错，66 找不到输入文件，70 内部错误，74 读写错误。

        参数：
          <script>                运行这个脚本中的语句

        选项：
          -c, --command <statement>
                                  运行语句后退出（可重复）
          --data <[name=]path>    从 .csv、.tsv、.json、.jsonl、.xlsx（第一个工作表，或 --sheet）或 .segbook
                                  文件加载表（'-' 读标准输入）。
                                  第一个表名为 'clients'，除非给出 NAME=。可重复
          --save-book <file.segbook>
                                  把第一个表保存为二进制 seg 数据簿（权限 0600），--data 打开它只需一小部分
                                  时间；然后退出，给了 -c 语句或脚本时接着运行
          --db <postgres://user@host:port/db>
                                  在 PostgreSQL 中而不是内存中运行语句（也可用 SEG_DB）。启动时
                                  学到的取值按表缓存在 SEG_DB_CACHE（默认
                                  ~/.local/state/seg/db-cache；off 表示不缓存）；在提示符下随后
                                  在后台读取全部取值，供 Tab 补全
          --link <child.field=parent.key>
                                  把一个表的字段关联到另一个表的键：holdings.client_id=clients.id（默认：字段
                                  CLIENT_id 按 id 关联到 clients 表，字段 manager 关联到 managers 表）。可重复
          --table <name=schema.table>
                                  配合 --db：seg 表对应的数据库表（默认 clients=clients）。可重复
          --type <column=type>    覆盖推断出的列类型：integer、decimal、date、boolean、category、text 或
                                  tags。可重复
          --na <list>             表示缺失值的词，逗号分隔（默认：-- - NA N/A null NULL 无 空；空单元格总是
                                  缺失）。'--na ""' 只把空单元格当作缺失
          --encoding <name>       --data 文件的字符编码（默认：UTF-8，有无 BOM 均可；不是合法 UTF-8 的文件按
                                  GB18030/GBK 读取，并会说明）
          --key <column>          why、snapshot 和 diff 用来识别客户的列（默认：id，否则 客户号、客户编号、
                                  client_id 或 cust_id）
          --skip <n>              --data 文件表头上方的标题行数（默认：自动识别：表头上方只有一个值的行是标题，
                                  并会说明）
          --skip-footer           去掉作为合计的最后一行（合计、总计）；不加时这一行会被加载，并会说明
          --sheet <name>          要读取的 .xlsx --data 文件的工作表（默认：第一个工作表）
          --format <format>       输出格式：table、csv、tsv、json、jsonl、markdown、value 或 xlsx（默认：--output
                                  文件的扩展名，否则终端上为 table，其他情况为 csv）。xlsx（Excel 工作簿）只能
                                  写入文件：--output FILE.xlsx。多个结果输出到同一处时：
                                  json 输出一个文档 [{"statement":…,"result":[…]},…]，csv 和 tsv 会被拒绝
                                  （每个结果前用 .output FILE），value 每条语句输出一个值
                                  （n=$(seg --format value -c 'clients count')）
          --output <file>         把结果写入 FILE（权限 0600，seg 结束时才替换），而不是标准输出。绝不会是
                                  已加载的数据文件、细分库或快照；已存在的 FILE 需要 --force
          --bom                   csv 和 tsv 结果以 UTF-8 字节顺序标记（BOM）开头，标准输出也不例外；不加时只有
                                  文件名以 .csv 结尾的文件（--output、.output）才有，Excel 因而能正确读出中文
          --width <n>             图表的宽度（列数；默认：终端宽度，否则 COLUMNS，否则 80）
          --html <file>           把脚本的结果写成一个独立的 HTML 页面（表格和条形图，不联网）：
                                  seg report SCRIPT --html FILE。写入方式同 --output
          --force                 允许 --output FILE 和脚本中的 .output FILE 替换已存在的 FILE（已加载的
                                  数据文件、细分库和快照永远不会被替换）
          --today <YYYY-MM-DD>    固定相对日期所用的今天（也可用 SEG_TODAY）
          --segments <file>       细分库：由 'let' 语句组成的 .seg 文件，启动时加载，save 和 drop 会修改它
                                  （默认：./segments.seg）
          --param <name=value>    给参数 $NAME 赋值（优先于脚本中 'param NAME = …' 的默认值）。可重复
          --order <field=low,…,high>
                                  给分类字段的取值定顺序（从低到高），用于 <、>、between、by 和 sort
                                  （同 'let order FIELD = …'）。可重复，每个字段一次
          --lang <en|zh>          消息、表尾和提示符的语言：en 或 zh（默认：LC_ALL、LC_MESSAGES 或 LANG 为
                                  中文区域设置如 zh_CN.UTF-8 时为 zh，否则为 en）
          --mask <field,…>        在所有输出格式以及 why 和 diff 中脱敏这些字段：手机 138****1234，姓名 张*三 /
                                  L** Na，邮箱 w***@qq.com，其他 C***。FIELD=phone|name|email|other 指定方式。
                                  与细分库的 '# mask: …' 行合并
          --no-mask               不脱敏显示（否则细分库的 '# mask: …' 行要求脱敏）
          --timer                 在标准错误上打印加载时间和每条语句的耗时
          --no-formula-guard      csv/tsv 输出中，不给以 = + - @ 开头的单元格加引号前缀
          --version               显示版本
          -h, --help              显示帮助

        """
}

/// The Chinese summary of a registry function or aggregate, by its name; nil for a name without
/// one (a test checks that every registry entry has one).
public func chineseFunctionSummary(_ name: String) -> String? {
    switch name {
    case "round": return "把数字四舍五入（远离零）到 N 位小数"
    case "abs": return "数字的绝对值"
    case "coalesce": return "第一个值存在时取它，否则取第二个"
    case "days_since": return "从该日期到今天的整天数"
    case "months_since": return "从该日期到今天的整月数"
    case "years_since": return "从该日期到今天的整年数"
    case "age": return "到今天的周岁（2 月 29 日的生日按 3 月 1 日算）"
    case "year": return "日期的年份"
    case "month": return "日期的月份，1 到 12"
    case "year_month": return "年月文本，如 2026-03（用于按月分组）"
    case "anniversary": return "下一个周年日（2 月 29 日 → 2 月 28 日）"
    case "lower": return "把 A–Z 换成 a–z 的文本"
    case "upper": return "把 a–z 换成 A–Z 的文本"
    case "length": return "文本的字符数（Unicode 码位）"
    case "count": return "组内行数；count(field)：该字段存在的行数"
    case "count_distinct": return "不同的存在值的个数"
    case "sum": return "存在值的精确合计"
    case "avg": return "存在值的平均数，四舍五入（远离零）到至少两位小数"
    case "quantile": return "升序第 ⌈n × p⌉ 位的存在值（p 为 0 到 1，不插值）"
    case "pct": return "每组占所有组合计的百分比，两位小数"
    case "median": return "存在值的中位数（偶数个时取中间两个的平均，舍入同 avg）"
    case "min": return "最小的存在值"
    case "max": return "最大的存在值"
    default: return nil
    }
}

extension HelpText {
    /// The options `seg plan` and `seg kpi` share (BookOptions in Sources/seg/PlanCommand.swift).
    static let chineseBookOptions = """
          --type <column=type>    覆盖推断出的列类型。可重复
          --segments <file>       细分库（细分、派生字段、顺序、'# mask:'）；默认 ./segments.seg
          --order <field=low,…,high>
                                  给分类字段的取值定顺序（从低到高），同 seg --order。可重复
          --key <column>          标识客户的列（默认：id，其次 客户号、客户编号、client_id 或 cust_id）
          --today <YYYY-MM-DD>    固定今天的日期（也可用 SEG_TODAY）
          --format <format>       标准输出的格式：table（终端上默认）、csv（管道默认）、tsv、json、jsonl 或 markdown
          --lang <en|zh>          消息和标题的语言：en 或 zh
          -h, --help              显示帮助
        """
}
