#!/usr/bin/env bash
# Makes the .xlsx files of the bank-export corpus with a real spreadsheet program (LibreOffice
# Calc, Debian package libreoffice-calc-nogui), so seg is tested on workbooks as one writes them:
#   workbook.xlsx   from workbook.fods (written below): two sheets; a title row; headers with
#                   brackets and spaces; money in #,##0.00; dates, Chinese dates and date-times;
#                   booleans; a percentage; a text with a comma and quotes; empty cells; a blank
#                   row; a row that skips columns; and a total row that is a formula.
#   converted.xlsx  from converted.csv, as `soffice --convert-to xlsx` imports a CSV.
#   damaged.xlsx    workbook.xlsx cut short.
# The .xlsx files are committed, so the tests need no LibreOffice; run this again after changing it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v soffice >/dev/null || { echo "make-xlsx.sh: soffice not found (apt-get install libreoffice-calc-nogui)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat > "$work/workbook.fods" <<'FODS'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
  xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
  xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
  office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:number-style style:name="Nmoney"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/></number:number-style>
  <number:date-style style:name="Ndate"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
  <number:date-style style:name="Ncn"><number:year number:style="long"/><number:text>年</number:text><number:month/><number:text>月</number:text><number:day/><number:text>日</number:text></number:date-style>
  <number:date-style style:name="Ntime"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/></number:date-style>
  <number:percentage-style style:name="Npct"><number:number number:decimal-places="1" number:min-decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
  <number:boolean-style style:name="Nbool"><number:boolean/></number:boolean-style>
  <style:style style:name="money" style:family="table-cell" style:data-style-name="Nmoney"/>
  <style:style style:name="date" style:family="table-cell" style:data-style-name="Ndate"/>
  <style:style style:name="cn" style:family="table-cell" style:data-style-name="Ncn"/>
  <style:style style:name="time" style:family="table-cell" style:data-style-name="Ntime"/>
  <style:style style:name="pct" style:family="table-cell" style:data-style-name="Npct"/>
  <style:style style:name="bool" style:family="table-cell" style:data-style-name="Nbool"/>
 </office:automatic-styles>
 <office:body>
  <office:spreadsheet>
   <table:table table:name="客户明细">
    <table:table-row><table:table-cell office:value-type="string"><text:p>客户资产明细表</text:p></table:table-cell></table:table-row>
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>客户号</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>资产余额(元)</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>最近联系 日期</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>开户日期</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>是否VIP</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>Last Contact</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>备注</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>占比</text:p></table:table-cell>
    </table:table-row>
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>C001</text:p></table:table-cell>
     <table:table-cell table:style-name="money" office:value-type="float" office:value="1234567.89"><text:p>1,234,567.89</text:p></table:table-cell>
     <table:table-cell table:style-name="date" office:value-type="date" office:date-value="2024-03-05"><text:p>2024-03-05</text:p></table:table-cell>
     <table:table-cell table:style-name="cn" office:value-type="date" office:date-value="2019-03-05"><text:p>2019年3月5日</text:p></table:table-cell>
     <table:table-cell table:style-name="bool" office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>
     <table:table-cell table:style-name="time" office:value-type="date" office:date-value="2024-03-05T10:22:33"><text:p>2024-03-05 10:22:33</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>甲,"乙"</text:p></table:table-cell>
     <table:table-cell table:style-name="pct" office:value-type="percentage" office:value="0.125"><text:p>12.5%</text:p></table:table-cell>
    </table:table-row>
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>C002</text:p></table:table-cell>
     <table:table-cell/>
     <table:table-cell table:style-name="date" office:value-type="date" office:date-value="2023-12-01"><text:p>2023-12-01</text:p></table:table-cell>
     <table:table-cell table:style-name="cn" office:value-type="date" office:date-value="2018-01-02"><text:p>2018年1月2日</text:p></table:table-cell>
     <table:table-cell table:style-name="bool" office:value-type="boolean" office:boolean-value="false"><text:p>FALSE</text:p></table:table-cell>
     <table:table-cell table:number-columns-repeated="2"/>
     <table:table-cell table:style-name="pct" office:value-type="percentage" office:value="0.05"><text:p>5.0%</text:p></table:table-cell>
    </table:table-row>
    <table:table-row><table:table-cell table:number-columns-repeated="8"/></table:table-row>
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>C003</text:p></table:table-cell>
     <table:table-cell table:style-name="money" office:value-type="float" office:value="52000"><text:p>52,000.00</text:p></table:table-cell>
     <table:table-cell table:style-name="date" office:value-type="date" office:date-value="2022-01-15"><text:p>2022-01-15</text:p></table:table-cell>
     <table:table-cell table:style-name="cn" office:value-type="date" office:date-value="2020-06-30"><text:p>2020年6月30日</text:p></table:table-cell>
     <table:table-cell table:style-name="bool" office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>
     <table:table-cell table:style-name="time" office:value-type="date" office:date-value="2024-01-02T00:00:00"><text:p>2024-01-02 00:00:00</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>丙</text:p></table:table-cell>
     <table:table-cell table:style-name="pct" office:value-type="percentage" office:value="0.2"><text:p>20.0%</text:p></table:table-cell>
    </table:table-row>
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>C004</text:p></table:table-cell>
     <table:table-cell table:style-name="money" office:value-type="float" office:value="-1000"><text:p>-1,000.00</text:p></table:table-cell>
     <table:table-cell table:number-columns-repeated="1"/>
     <table:table-cell table:style-name="cn" office:value-type="date" office:date-value="2021-01-01"><text:p>2021年1月1日</text:p></table:table-cell>
     <table:table-cell table:style-name="bool" office:value-type="boolean" office:boolean-value="false"><text:p>FALSE</text:p></table:table-cell>
     <table:table-cell table:number-columns-repeated="2"/>
     <table:table-cell table:style-name="pct" office:value-type="percentage" office:value="0"><text:p>0.0%</text:p></table:table-cell>
    </table:table-row>
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>C005</text:p></table:table-cell>
     <table:table-cell table:style-name="money" office:value-type="float" office:value="800.5"><text:p>800.50</text:p></table:table-cell>
     <table:table-cell table:style-name="date" office:value-type="date" office:date-value="2020-02-29"><text:p>2020-02-29</text:p></table:table-cell>
     <table:table-cell table:style-name="cn" office:value-type="date" office:date-value="2017-12-31"><text:p>2017年12月31日</text:p></table:table-cell>
     <table:table-cell table:style-name="bool" office:value-type="boolean" office:boolean-value="false"><text:p>FALSE</text:p></table:table-cell>
     <table:table-cell table:style-name="time" office:value-type="date" office:date-value="2024-02-29T23:59:59"><text:p>2024-02-29 23:59:59</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>丁</text:p></table:table-cell>
     <table:table-cell table:style-name="pct" office:value-type="percentage" office:value="0.3"><text:p>30.0%</text:p></table:table-cell>
    </table:table-row>
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>合计</text:p></table:table-cell>
     <table:table-cell table:style-name="money" table:formula="of:=SUM([.B3:.B8])" office:value-type="float" office:value="1286368.39"><text:p>1,286,368.39</text:p></table:table-cell>
    </table:table-row>
   </table:table>
   <table:table table:name="汇总">
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>分行</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>客户数</text:p></table:table-cell>
     <table:table-cell office:value-type="string"><text:p>资产</text:p></table:table-cell>
    </table:table-row>
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>深圳</text:p></table:table-cell>
     <table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>
     <table:table-cell table:style-name="money" office:value-type="float" office:value="0.1"><text:p>0.10</text:p></table:table-cell>
    </table:table-row>
    <table:table-row>
     <table:table-cell office:value-type="string"><text:p>北京</text:p></table:table-cell>
     <table:table-cell office:value-type="float" office:value="2"><text:p>2</text:p></table:table-cell>
     <table:table-cell table:style-name="money" table:formula="of:=0.1+0.2" office:value-type="float" office:value="0.3"><text:p>0.30</text:p></table:table-cell>
    </table:table-row>
   </table:table>
  </office:spreadsheet>
 </office:body>
</office:document>
FODS

cat > "$here/converted.csv" <<'CSV'
客户号,资产余额(元),最近联系 日期,Last Contact,备注
C001,1234567.89,2024-03-05,2024-03-05 10:22:33,甲
C002,,2023-12-01,,
C003,52000,2022-01-15,2024-01-02 00:00:00,"a,b"
CSV
cp "$here/converted.csv" "$work/converted.csv"

# The CSV import options: comma, double quote, UTF-8 (76), from line 1.
(cd "$work" && soffice --headless --convert-to xlsx workbook.fods >/dev/null 2>&1 \
    && soffice --headless --infilter=CSV:44,34,76,1 --convert-to xlsx converted.csv >/dev/null 2>&1)
cp "$work/workbook.xlsx" "$work/converted.xlsx" "$here/"
# A workbook cut short, as a failed download leaves it.
head -c 3000 "$here/workbook.xlsx" > "$here/damaged.xlsx"
echo "make-xlsx.sh: wrote workbook.xlsx, converted.xlsx and damaged.xlsx in $here"
