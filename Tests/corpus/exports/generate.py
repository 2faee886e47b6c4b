#!/usr/bin/env python3
"""Writes the bank-export corpus (issue 13): small files shaped like what bank systems and Excel
on Chinese Windows export. Run it from anywhere; it rewrites the files beside it. The expected
types and answers are in expected.test, checked by BankExportCorpusTests."""
import os

here = os.path.dirname(os.path.abspath(__file__))


def write(name, text, encoding="utf-8", newline="\n", bom=False):
    data = text.replace("\n", newline).encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)


# GBK (as Excel on Chinese Windows saves CSV), CRLF, a title row above the header, money with
# thousands separators and '--', Chinese dates, Y/N, and a total row at the end.
write("gbk-title-total.csv", """客户资产明细表,,,,,
客户号,姓名,资产余额,开户日期,是否VIP,风险等级
C001,张伟,"1,234,567.89",2024年3月5日,Y,稳健
C002,王芳,--,2023年12月1日,N,进取
C003,李娜,"52,000.00",2022年1月15日,Y,稳健
C004,刘洋,"(1,000.00)",2021年6月30日,N,保守
C005,陈静,800.5,2020年2月29日,N,--
合计,,"1,286,368.39",,,
""", encoding="gb18030", newline="\r\n")

# UTF-8 with a BOM, amounts in 万元 and with ￥, dates with slashes and times, 是/否, a column
# without a name (row numbers, as R and pandas write them) and a repeated name.
write("bom-wanyuan.csv", """,客户编号,存款,贷款,最近联系,是否代发,备注,备注
1,K01,3.5万,"￥12,000",2024/03/05 10:22:33,是,无,甲
2,K02,1.2亿,￥0,2024/3/6 09:05,否,空,乙
3,K03,800,NA,2024/03/07 00:00,是,N/A,丙
4,K04,-,￥5k,2024/03/08 12:00,否,null,丁
""", bom=True)

# Plain UTF-8 with percents, scientific notation, full-width digits, dotted and compact dates.
write("rates.csv", """cust_id,利率,额度,到期日,起息日
A1,3.5%,1e6,2025.03.05,20240305
A2,12.25%,２５０００,2025.12.31,20240101
A3,0.5%,1.5E3,2026.01.01,20231231
""")

# Files that are not what they claim (issue 13): each must be a clear error naming the file.
# A CSV renamed .xlsx; an OLE compound file (what a password-protected workbook and an old .xls
# are) named .xlsx; a Latin-1 CSV, which is neither UTF-8 nor everyday Chinese in GB18030.
write("renamed.xlsx", "cust_id,x\nA1,1\n")
with open(os.path.join(here, "encrypted.xlsx"), "wb") as f:
    f.write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
write("latin1.csv", "name,city\nMüller,Zürich\nJürgen,Köln\n", encoding="latin-1")
# Many bank systems save tab-separated text as ".xls": refused by name, with what to do.
write("tab-text.xls", "客户号\t资产\nC1\t100\n")
