#!/usr/bin/env python3
"""Writes the malformed-input corpus (Tests/corpus/malformed/) from templates.

Each file is small; the expected outcome of each (loads, or which error at which file:line:column)
is recorded in Tests/corpus/malformed/EXPECTED by `SEG_RECORD=1 swift test --filter malformed`,
and reviewed like golden files. Type overrides for a file go in its name: `…@v=integer.csv`
gives column v the type integer. Rerun this script after changing templates; it is deterministic.
"""
import os, shutil

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "malformed")
if os.path.isdir(here):
    for f in os.listdir(here):
        if f != "EXPECTED":
            os.remove(os.path.join(here, f))
else:
    os.makedirs(here)

count = 0
def write(name, data):
    global count
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
    count += 1

GOOD_ROWS = ["C1,Wang,34,1200.50", "C2,李娜,58,830000", "C3,Zhang,,99.99", "C4,Ann,71,-5.00"]
HEADER = "id,name,age,assets"

def book(rows, header=HEADER, eol="\n"):
    return eol.join([header] + rows) + eol

# Where a broken row goes: first, middle or last; and the line ending.
PLACES = {"first": 0, "middle": 2, "last": 4}
EOLS = {"lf": "\n", "crlf": "\r\n"}

def placed(bad, place, eol):
    rows = list(GOOD_ROWS)
    rows.insert(PLACES[place], bad)
    return book(rows, eol=eol)

# --- CSV: quoting -----------------------------------------------------------------------------
for place in PLACES:
    for e, eol in EOLS.items():
        write(f"csv-unterminated-quote-{place}-{e}.csv", placed('C9,"Wang,34,1.00', place, eol))
        write(f"csv-quote-inside-unquoted-{place}-{e}.csv", placed('C9,Wa"ng,34,1.00', place, eol))
        write(f"csv-text-after-closing-quote-{place}-{e}.csv", placed('C9,"Wang"x,34,1.00', place, eol))
write("csv-unterminated-quote-in-header.csv", '"id,name\nC1,a\n')
write("csv-unterminated-quote-at-eof.csv", 'id,name\nC1,"a')
write("csv-unterminated-quote-multiline.csv", 'id,name\nC1,"a\nb\nc\n')
write("csv-lone-quote.csv", '"')
write("csv-quoted-newlines-ok.csv", 'id,name\nC1,"a\nb"\nC2,"x""y"\n')
write("csv-empty-quoted-cells.csv", 'id,name\nC1,""\nC2,""""\n')

# --- CSV: ragged rows --------------------------------------------------------------------------
for place in PLACES:
    for e, eol in EOLS.items():
        write(f"csv-ragged-too-many-{place}-{e}.csv", placed("C9,Wang,34,1.00,extra", place, eol))
        write(f"csv-ragged-too-few-{place}-{e}.csv", placed("C9,Wang", place, eol))
write("csv-ragged-one-cell.csv", "id,name\nC1\n")
write("csv-ragged-trailing-comma.csv", "id,name\nC1,a,\n")
write("csv-blank-line-in-middle.csv", "id,name\nC1,a\n\nC2,b\n")
write("csv-blank-lines-at-end.csv", "id,name\nC1,a\n\n\n")

# --- CSV: headers ------------------------------------------------------------------------------
write("csv-duplicate-header.csv", "id,name,name\nC1,a,b\n")
write("csv-duplicate-header-case.csv", "id,Name,name\nC1,a,b\n")
write("csv-duplicate-header-spaces.csv", "id,name, name\nC1,a,b\n")
write("csv-empty-header.csv", "id,,age\nC1,a,3\n")
write("csv-empty-header-last.csv", "id,age,\nC1,3,x\n")
write("csv-all-headers-empty.csv", ",,\n1,2,3\n")
write("csv-space-header.csv", "id, ,age\nC1,a,3\n")
write("csv-header-only.csv", "id,name,age\n")
write("csv-header-only-no-newline.csv", "id,name,age")
write("csv-quoted-header.csv", '"id","na,me"\nC1,a\n')
write("csv-keyword-headers.csv", "where,and,count\n1,2,3\n")
write("csv-chinese-headers.csv", "编号,姓名,资产\nC1,王伟,100.5\n")
write("csv-very-many-columns.csv", ",".join(f"c{i}" for i in range(3000)) + "\n" + ",".join(str(i) for i in range(3000)) + "\n")
write("csv-long-header.csv", "x" * 5000 + "\n1\n")

# --- CSV: empty and near-empty files -----------------------------------------------------------
write("csv-empty.csv", b"")
write("csv-only-bom.csv", b"\xef\xbb\xbf")
write("csv-only-newline.csv", "\n")
write("csv-only-crlf.csv", "\r\n")
write("csv-only-newlines.csv", "\n\n\n")
write("csv-only-spaces.csv", "   \n")
write("csv-bom-header.csv", b"\xef\xbb\xbfid,name\nC1,a\n")
write("csv-double-bom.csv", b"\xef\xbb\xbf\xef\xbb\xbfid,name\nC1,a\n")
write("csv-bom-in-middle.csv", b"id,name\nC1,\xef\xbb\xbfa\n")

# --- CSV: line endings -------------------------------------------------------------------------
write("csv-cr-only.csv", "id,name,age\rC1,a,3\rC2,b,4\r")
write("csv-cr-only-no-final.csv", "id,name,age\rC1,a,3\rC2,b,4")
write("csv-mixed-endings.csv", "id,name,age\r\nC1,a,3\nC2,b,4\rC3,c,5\r\n")
write("csv-cr-in-quoted.csv", 'id,name\rC1,"a\rb"\r')
write("csv-lf-cr.csv", "id,name\n\rC1,a\n\r")
write("csv-no-final-newline.csv", "id,name\nC1,a")
write("csv-crlf-ragged.csv", "id,name\r\nC1,a\r\nC2\r\n")

# --- CSV: invalid UTF-8 ------------------------------------------------------------------------
BAD_UTF8 = {
    "lone-continuation": b"\x80",
    "overlong-slash": b"\xc0\xaf",
    "overlong-3byte": b"\xe0\x80\xaf",
    "truncated-2byte": b"\xc3",
    "truncated-3byte": b"\xe4\xb8",
    "truncated-4byte": b"\xf0\x9f\x99",
    "surrogate": b"\xed\xa0\x80",
    "beyond-unicode": b"\xf4\x90\x80\x80",
    "f5-byte": b"\xf5\x80\x80\x80",
    "ff-byte": b"\xff",
    "fe-byte": b"\xfe",
    "latin1-e-acute": b"caf\xe9",
}
for label, bad in BAD_UTF8.items():
    write(f"csv-utf8-{label}-cell.csv", b"id,name\nC1,a" + bad + b"b\n")
for label in ["lone-continuation", "surrogate", "truncated-3byte", "ff-byte"]:
    write(f"csv-utf8-{label}-header.csv", b"id,na" + BAD_UTF8[label] + b"me\nC1,a\n")
    write(f"csv-utf8-{label}-quoted.csv", b'id,name\nC1,"a' + BAD_UTF8[label] + b'"\n')
    write(f"csv-utf8-{label}-at-eof.csv", b"id,name\nC1,a" + BAD_UTF8[label])
    write(f"csv-utf8-{label}-line3.csv", b"id,name\nC1,a\nC2,\xe7\x8e\x8b" + BAD_UTF8[label] + b"\n")
write("csv-utf8-valid-4byte.csv", "id,name\nC1,🙂\nC2,𝄞\n")
write("csv-utf16le-bom.csv", b"\xff\xfei\x00d\x00\n\x001\x00\n\x00")
write("csv-utf16be-bom.csv", b"\xfe\xff\x00i\x00d\x00\n\x001\x00\n")

# --- CSV: NUL and control bytes ----------------------------------------------------------------
write("csv-nul-in-cell.csv", b"id,name\nC1,a\x00b\n")
write("csv-nul-in-header.csv", b"id,na\x00me\nC1,a\n")
write("csv-nul-in-quoted.csv", b'id,name\nC1,"a\x00b"\n')
write("csv-nul-only.csv", b"\x00")
write("csv-nul-line.csv", b"id,name\n\x00\x00\x00\n")
write("csv-escape-sequences.csv", b"id,name\nC1,\x1b[2Jevil\x07\n")
write("csv-del-and-c1.csv", "id,name\nC1,a\x7f\u0085\u2028b\n")

# --- CSV: numbers with type overrides ----------------------------------------------------------
NUMBERS = {
    "400-digits": "9" * 400,
    "400-digits-negative": "-" + "1" * 400,
    "400-fraction-digits": "0." + "1" * 400,
    "int64-max": "9223372036854775807",
    "int64-max-plus-1": "9223372036854775808",
    "int64-min": "-9223372036854775808",
    "int64-min-minus-1": "-9223372036854775809",
    "20-digits": "12345678901234567890",
    "inf": "inf",
    "infinity": "Infinity",
    "minus-inf": "-inf",
    "nan": "nan",
    "NaN": "NaN",
    "exponent": "1e5",
    "exponent-huge": "1e400",
    "plus-sign": "+5",
    "leading-dot": ".5",
    "trailing-dot": "5.",
    "grouping-comma": '"1,234"',
    "space-inside": "1 234",
    "leading-space": " 42",
    "hex": "0x1F",
    "double-minus": "--1",
    "minus-only": "-",
    "minus-zero": "-0",
    "fullwidth-digits": "１２３",
    "ten-fraction-digits": "1.0123456789",
    "decimal-max-scaled": "92233720368547758.07",
    "decimal-over-scaled": "92233720368547758.08",
    "leading-zeros": "007",
}
for label, value in NUMBERS.items():
    rows = f"v\n1\n{value}\n2\n"
    write(f"num-{label}@v=integer.csv", rows)
    write(f"num-{label}@v=decimal.csv", rows)
    write(f"num-{label}-inferred.csv", rows)

# --- CSV: dates, booleans, tags with overrides -------------------------------------------------
DATES = ["2023-02-29", "2024-02-30", "2026-13-01", "2026-00-10", "2026-1-5", "26-01-05", "2026/01/05",
         "0000-01-01", "9999-12-31", "2024-02-29", "20260105", "2026-01-05T10:00"]
for d in DATES:
    write(f"date-{d.replace('/', '_').replace(':', '_')}@d=date.csv", f"d\n2026-01-01\n{d}\n")
for b in ["yes", "1", "t", "TRUE ", "truee", "True"]:
    write(f"bool-{b.strip() or 'space'}{'-trailing-space' if b.endswith(' ') else ''}@b=boolean.csv", f"b\ntrue\n{b}\n")
write("tags-only-separators@t=tags.csv", "t\n;;;\na;b\n")
write("tags-spaces@t=tags.csv", "t\n a ; b \n;\n")
write("tags-5000-vocabulary@t=tags.csv", "t\n" + "\n".join(f"x{i};y{i}" for i in range(2500)) + "\n")
write("override-unknown-column@nosuch=integer.csv", "v\n1\n")
write("override-category-many@c=category.csv", "c\n" + "\n".join(f"v{i}" for i in range(3000)) + "\n")

# --- TSV ---------------------------------------------------------------------------------------
write("tsv-ragged.tsv", "id\tname\nC1\ta\tb\n")
write("tsv-quotes-are-text.tsv", 'id\tname\nC1\t"a\n')
write("tsv-empty-header.tsv", "id\t\nC1\ta\n")
write("tsv-cr-only.tsv", "id\tname\rC1\ta\r")
write("tsv-invalid-utf8.tsv", b"id\tname\nC1\t\xff\n")
write("tsv-nul.tsv", b"id\tname\nC1\t\x00\n")
write("tsv-empty.tsv", b"")

# --- JSON: nesting -----------------------------------------------------------------------------
write("json-nested-arrays-10000.json", "[" * 10000 + "]" * 10000)
write("json-nested-arrays-10000-unclosed.json", "[" * 10000)
write("json-nested-objects-10000.json", '{"a":' * 10000 + "1" + "}" * 10000)
write("json-nested-in-value-10000.json", '[{"a":' + "[" * 10000 + "]" * 10000 + "}]")
write("json-nested-objects-in-value-10000.json", '[{"a":' + '{"b":' * 10000 + "1" + "}" * 10000 + "}]")
write("jsonl-nested-10000.jsonl", '{"a":' + "[" * 10000 + "]" * 10000 + "}\n")
write("json-nested-513.json", '[{"a":' + "[" * 513 + "]" * 513 + "}]")
write("json-nested-mismatched.json", '[{"a":[}]')

# --- JSON: truncation of a valid document at many places ---------------------------------------
VALID = '[{"id":"C1","name":"王伟","age":34,"assets":1200.50,"vip":true,"products":["deposit","fund"],"note":null},{"id":"C2","name":"Li \\"Na\\"","age":-1e0}]'
valid_bytes = VALID.encode("utf-8")
cuts = sorted(set(list(range(1, len(valid_bytes), 3)) ))
for k in cuts:
    write(f"json-truncated-{k:03d}.json", valid_bytes[:k])

# --- JSON: syntax and values -------------------------------------------------------------------
JSON_CASES = {
    "trailing-comma-array": '[{"a":1},]',
    "trailing-comma-object": '[{"a":1,}]',
    "missing-comma": '[{"a":1}{"a":2}]',
    "missing-colon": '[{"a" 1}]',
    "single-quotes": "[{'a':1}]",
    "unquoted-key": "[{a:1}]",
    "duplicate-key": '[{"a":1,"a":2}]',
    "scalar-row": "[1,2,3]",
    "array-row": "[[1,2]]",
    "null-row": "[null]",
    "top-level-object": '{"a":1}',
    "top-level-string": '"hello"',
    "top-level-number": "42",
    "empty-array": "[]",
    "empty-objects": "[{},{}]",
    "empty-file": "",
    "whitespace-only": "  \n\t ",
    "garbage-after": '[{"a":1}] x',
    "two-documents": '[{"a":1}][{"a":2}]',
    "bad-escape": '[{"a":"\\x"}]',
    "short-unicode-escape": '[{"a":"\\u12"}]',
    "lone-high-surrogate": '[{"a":"\\ud800"}]',
    "lone-low-surrogate": '[{"a":"\\udc00"}]',
    "reversed-surrogates": '[{"a":"\\udc00\\ud800"}]',
    "valid-surrogate-pair": '[{"a":"\\ud83d\\ude42"}]',
    "nul-escape": '[{"a":"x\\u0000y"}]',
    "raw-control-char": '[{"a":"x\ty"}]',
    "raw-newline-in-string": '[{"a":"x\ny"}]',
    "number-1e400": '[{"a":1e400}]',
    "number-minus-1e400": '[{"a":-1e400}]',
    "number-400-digits": '[{"a":' + "9" * 400 + "}]",
    "number-leading-zero": '[{"a":01}]',
    "number-leading-plus": '[{"a":+1}]',
    "number-trailing-dot": '[{"a":1.}]',
    "number-leading-dot": '[{"a":.5}]',
    "number-nan": '[{"a":NaN}]',
    "number-infinity": '[{"a":Infinity}]',
    "number-minus-only": '[{"a":-}]',
    "number-int64-overflow": '[{"a":9223372036854775808}]',
    "number-mixed-types": '[{"a":1},{"a":"x"},{"a":true}]',
    "number-exponent-exact": '[{"a":1.5e3},{"a":2E-2}]',
    "literal-tru": '[{"a":tru}]',
    "literal-nul": '[{"a":nul}]',
    "literal-TRUE": '[{"a":TRUE}]',
    "nested-object-value": '[{"a":{"b":1}}]',
    "array-of-objects-value": '[{"a":[{"b":1}]}]',
    "array-with-null": '[{"a":["x",null,"y"]}]',
    "array-with-semicolon": '[{"a":["x;y","z"]}]',
    "array-of-numbers": '[{"a":[1,2.5]}]',
    "empty-key": '[{"":1}]',
    "keys-differ-by-case": '[{"a":1,"A":2}]',
    "many-keys-sparse": "[" + ",".join('{"k%d":%d}' % (i, i) for i in range(300)) + "]",
    "bom": "\ufeff[{\"a\":1}]",
    "comment": '[{"a":1} /* c */]',
    "invalid-utf8-in-string": b'[{"a":"\xff"}]',
    "invalid-utf8-in-key": b'[{"\xc3":1}]',
    "nul-byte-raw": b'[{"a":"x\x00y"}]',
    "nul-byte-outside": b'[{"a":1}\x00]',
}
for label, doc in JSON_CASES.items():
    write(f"json-{label}.json", doc)

JSONL_CASES = {
    "blank-lines": '{"a":1}\n\n{"a":2}\n\n',
    "array-line": '{"a":1}\n[1,2]\n',
    "scalar-line": '{"a":1}\n42\n',
    "two-objects-one-line": '{"a":1}{"a":2}\n',
    "unterminated-object": '{"a":1}\n{"a":2\n',
    "crlf": '{"a":1}\r\n{"a":2}\r\n',
    "cr-only": '{"a":1}\r{"a":2}\r',
    "no-final-newline": '{"a":1}\n{"a":2}',
    "garbage-line": '{"a":1}\nnot json\n',
    "trailing-comma": '{"a":1},\n',
    "whitespace-lines": '{"a":1}\n   \n\t\n{"a":2}\n',
    "invalid-utf8": b'{"a":"\xe4\xb8"}\n',
    "empty": "",
    "string-with-newline-escape": '{"a":"x\\ny"}\n',
}
for label, doc in JSONL_CASES.items():
    write(f"jsonl-{label}.jsonl", doc)

print(f"wrote {count} files to {here}")
