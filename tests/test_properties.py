"""Property-based tests: whatever the input, a report or one clear error, never a crash.

- the catalog loaders on arbitrary bytes in each format: Products and input Findings, or a
  CatalogError (a ListcheckError, one line on stderr) — never another exception;
- the line reader against Python's universal-newline reading, and the CSV squashing of
  oversized rows against the csv module (the cells and rows of a row are kept);
- the rule-pack loader on arbitrary YAML-ish text and arbitrary regular expressions: loads, or
  a RulePackError;
- the YAML guard: a document it lets through composes, one it refuses is what it says;
- the text normaliser (`fold` keeps length, `squeeze` maps back into the original) and the
  quantity, number and composition parsers (never raise; offsets fall inside the text).

Example counts are modest so the file runs in a few seconds; CI can raise them with the
hypothesis profile `ci` (HYPOTHESIS_PROFILE=ci).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from listcheck.catalog import csv_format, encoding, iter_products
from listcheck.errors import CatalogError, ListcheckError, RulePackError
from listcheck.limits import Limits, MiB, parse_size
from listcheck.model import Finding, Product
from listcheck.ruleset.loader import load_packs, regex_problem
from listcheck.ruleset.yaml_lines import YAMLLimitError, guard
from listcheck.text.composition import extract_composition_claims, parse_composition
from listcheck.text.normalize import fold, kept_positions, squeeze, squeeze_text
from listcheck.text.numerals import parse_number
from listcheck.text.quantities import extract_quantities, format_quantity, parse_quantity

settings.register_profile(
    "fast", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

FILE_CHECKS = settings(
    settings.default,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- catalog loaders ------------------------------------------------------------------------

# Characters that matter to the formats: structure, quotes, line ends, BOM, NUL, CJK, emoji.
_SPECIAL = list('{}[]":,;\t\r\n -#&*!|>%@`\'\\') + [
    "\ufeff", "\x00", "\u2028", "é", "最", "佳", "😀", "sku", "title", "products", "NaN",
    "Infinity", "1e999", "true", "null", "- ", ": ", "&a ", "*a", "!!python/object ", "\"sku\": ",
]
structured_text = st.lists(
    st.one_of(st.sampled_from(_SPECIAL), st.text(max_size=6)), max_size=40
).map("".join)
encoded = st.one_of(
    structured_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
    structured_text.map(lambda s: s.encode("gb18030", "replace")),
    st.binary(max_size=300),
)
_HEADERS = ("sku,title\n", "sku;title;spec.weight\n", "sku\ttitle\tbullets.0\n", "")
_STARTS = {
    ".csv": _HEADERS,
    ".jsonl": ('{"sku": "A", "title": "x"}\n', ""),
    ".json": ('[{"sku": "A"}, ', "{\"products\": [", ""),
    ".yaml": ("products:\n  - sku: A\n", "- sku: A\n  title: ", ""),
    ".yml": ("",),
    ".ndjson": ("",),
    ".xlsx": ("",),
}
# Small limits, so oversized records and documents happen in examples too.
SMALL = Limits(max_document_bytes=200, max_record_bytes=40, max_field_chars=10)


def _check_items(items: list) -> None:
    for item in items:
        assert isinstance(item, (Product, Finding)), item
        if isinstance(item, Finding):
            assert item.category.value == "input"
            assert item.message
        source = item.source
        assert source is not None and source.path
        assert source.line is None or source.line >= 1


@FILE_CHECKS
@given(
    suffix=st.sampled_from(sorted(_STARTS)),
    start=st.integers(0, 3),
    body=encoded,
    small=st.booleans(),
)
@example(suffix=".csv", start=0, body=b'S1,"' + b"a" * 60 + b'\nb",x\nS2,ok\n', small=True)
@example(suffix=".jsonl", start=0, body=b'{"sku": "B", "title": "' + b"a" * 60 + b'"}\n', small=True)
@example(suffix=".yaml", start=0, body=b"  - &a [*a]\n", small=False)
@example(suffix=".json", start=0, body=b"[" * 5000, small=False)
def test_catalog_loaders_give_products_findings_or_one_catalog_error(
    tmp_path_factory, suffix, start, body, small
):
    folder = tmp_path_factory.mktemp("cat")
    prefixes = _STARTS[suffix]
    path = folder / f"catalog{suffix}"
    path.write_bytes(prefixes[start % len(prefixes)].encode("utf-8") + body)
    try:
        items = list(iter_products([path], limits=SMALL if small else Limits()))
    except CatalogError as error:
        assert isinstance(error, ListcheckError)
        text = str(error)
        assert text.startswith(str(path)) and "\n" not in text.strip()
        return
    _check_items(items)


@FILE_CHECKS
@given(rows=st.lists(st.dictionaries(st.sampled_from(["sku", "title", "spec.w", "x"]),
                                     st.one_of(st.text(max_size=8), st.integers(),
                                               st.floats(allow_nan=True), st.none(),
                                               st.booleans()), max_size=4), max_size=6))
def test_jsonl_records_each_become_a_product_or_a_finding(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("jl") / "c.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    items = list(iter_products([path]))
    _check_items(items)
    if not rows:
        assert [item.rule for item in items] == ["input/empty-file"]
    else:
        # One item per record: no record is lost, none is read twice.
        assert [item.source.line for item in items] == list(range(1, len(rows) + 1))


# --- the line reader and CSV squashing ------------------------------------------------------

line_text = st.lists(
    st.one_of(st.sampled_from(["\r", "\n", "\r\n", '"', ",", "a", "最", "😀", "\x85", "\u2028"]),
              st.text(max_size=5)),
    max_size=30,
).map("".join)


def _reader(data: bytes, max_bytes: int, codec: str = "utf-8") -> encoding.LineReader:
    return encoding.LineReader(io.BufferedReader(io.BytesIO(data), 16), codec, "x", max_bytes)


@given(text=line_text)
def test_line_reader_splits_lines_as_universal_newlines_do(text):
    data = text.encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assume(False)
    expected = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="").readlines()
    with _reader(data, 1 << 20) as lines:
        got = [line.text for line in lines]
    assert got == expected


@given(text=line_text, max_bytes=st.integers(1, 12))
def test_line_reader_skips_oversized_lines_and_keeps_the_rest(text, max_bytes):
    data = text.encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assume(False)
    expected = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="").readlines()
    with _reader(data, max_bytes) as lines:
        got = list(lines)
    assert [line.number for line in got] == list(range(1, len(expected) + 1))
    for line, want in zip(got, expected):
        size = len(want.encode("utf-8"))
        assert line.size == size
        assert line.oversized == (size > max_bytes)
        assert line.text == ("" if line.oversized else want)


@given(text=line_text, max_bytes=st.integers(1, 12))
@example(text='a,"' + "b" * 100 + '\r\nc",d\r\ne' + "f" * 70 + ',"g' + "h" * 70 + '""i",j\n', max_bytes=30)
def test_oversized_csv_lines_keep_their_cells_and_rows(text, max_bytes):
    # Squashing an oversized line must not move any cell or row boundary.
    data = text.encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assume(False)
    squash = csv_format._squasher(",")
    original = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="").readlines()
    with _reader(data, max_bytes) as lines:
        squashed = []
        while (line := lines.next_line(squash)) is not None:
            squashed.append(line.text)
    if None in squashed:
        return  # too many cells to squash under the limit: the reader refuses the file
    try:
        want = [[len(cell) > 0 for cell in row] for row in csv.reader(original)]
    except csv.Error:
        assume(False)
    got = [[len(cell) > 0 for cell in row] for row in csv.reader(squashed)]
    assert [len(row) for row in got] == [len(row) for row in want]


@given(cell=st.text(alphabet='ab",\r\n最', max_size=30), repeat=st.integers(60, 200))
def test_squasher_keeps_short_runs_and_the_csv_structure(cell, repeat):
    squash = csv_format._squasher(",")
    text = f'S1,"{cell}{"x" * repeat}",z\r\n'
    assert squash("S1,short,z\n") == "S1,short,z\n"
    assert len(squash(text)) <= len(text)
    try:
        want = list(csv.reader([text]))
    except csv.Error:
        return
    assert [len(row) for row in csv.reader([squash(text)])] == [len(row) for row in want]


# --- the rule-pack loader -------------------------------------------------------------------

_PACK = """pack: fuzz
title: Fuzz
rules:
  - id: fuzz/a
    kind: {kind}
    category: prohibited-claim
    severity: warning
    fields: [title]
    {key}: {value}
    message: "{{match}}"
"""
yaml_ish = st.lists(
    st.one_of(
        st.sampled_from(["pack: p\n", "title: t\n", "rules:\n", "  - ", "id: p/a\n", "kind: terms\n",
                         "kind: pattern\n", "pattern: ", "terms: [", "]\n", "{", "}", "&a ", "*a",
                         "!!python/object/apply:os.system ['true']", "!!binary AAA", "\t", "    ",
                         "extends: [", "core", "]", "'", '"', "\\", "\n", "#", "---\n", "...\n",
                         "? ", ": ", "- ", "|\n", ">\n", "\x00", "\ufeff"]),
        st.text(max_size=8),
    ),
    max_size=40,
).map("".join)


def _load_pack(folder, text: str) -> None:
    path = folder / "pack.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_packs([str(path)])
    except RulePackError as error:
        assert "\n" not in str(error).strip()


@FILE_CHECKS
@given(text=yaml_ish)
def test_rule_pack_loader_loads_or_raises_rule_pack_error(tmp_path_factory, text):
    _load_pack(tmp_path_factory.mktemp("pack"), text)


regexes = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(["(", ")", "(?:", "|", "a", "[", "]", "\\", "\\d", "\\p{Han}", "{",
                              "}", "{3}", "{0,5}", "{2,}", "{1000}", "{100000}", "*", "+", "?",
                              "^", "$", ".", "-", ","]), max_size=25).map("".join),
)


@given(pattern=regexes)
@example(pattern="a{100001}")
@example(pattern="(?:x{1000}){1000}")
def test_regex_problem_never_raises_and_bounds_what_compiles(pattern):
    problem = regex_problem(pattern)
    assert problem is None or isinstance(problem, str)


@pytest.mark.parametrize(
    "pattern",
    [
        "(?x)a{1 000 000}",  # verbose: the spaces in the count are ignored
        "(?x)a{1#a comment\n000000}",  # and so is a comment
        "(?x)(?:a{1000}) {1000}",  # and the space between an item and its repeat
        "(?ix)(?:a{1000}#)\n) {1000}",  # a comment that holds a parenthesis
        "(?:a{1000}(?#)){1000}",  # an inline comment's ) does not close the group
        "a{" + "9" * 5000 + "}",  # more digits than int() converts
        "(?x)[ #](?:ab){1000000}",  # a # inside a class is no comment
    ],
)
def test_regex_problem_sizes_patterns_as_the_regex_module_reads_them(pattern):
    assert "too large" in regex_problem(pattern)


@pytest.mark.parametrize(
    "pattern",
    ["(?x) a {1 0} # ten a", r"(?x)\ {3}", "(?x)[ ]{3}", "a(?#c)b{2}", "(?i)a{1 000 000}", "a{1 0}"],
)
def test_regex_problem_lets_real_verbose_and_literal_patterns_through(pattern):
    assert regex_problem(pattern) is None


@pytest.mark.parametrize(
    "pattern, words",
    [
        ("a(?x: b {1 000 000})", "part-way"),  # scoped verbose mode
        ("a(?x)b{1 000 000}", "part-way"),  # a global flag after the start
        ("(?x)a(?-x)b", "part-way"),
        ("a(?V1x:b{1 000 000})", "part-way"),
        ("(?x)[[:alpha:]#](?:ab){1000000}", "POSIX class"),
        ("(?xV1)[[a]#](?:ab){1000000}", "POSIX class"),
    ],
)
def test_regex_problem_refuses_verbose_patterns_it_cannot_size(pattern, words):
    assert words in regex_problem(pattern)


@FILE_CHECKS
@given(pattern=regexes, kind=st.sampled_from(["pattern", "compare"]))
@example(pattern="(a|aa)+$", kind="pattern")
@example(pattern="a{4294967294}", kind="pattern")
@example(pattern="(" * 1000 + ")" * 1000, kind="compare")
def test_rule_pack_regexes_load_or_raise_rule_pack_error(tmp_path_factory, pattern, kind):
    quoted = json.dumps(pattern)
    if kind == "pattern":
        text = _PACK.format(kind="pattern", key="pattern", value=quoted)
    else:
        text = _PACK.format(kind="compare", key="require",
                            value="{all: [{field: title, matches: %s}]}" % quoted)
    _load_pack(tmp_path_factory.mktemp("re"), text)


# --- the YAML guard -------------------------------------------------------------------------


@given(text=yaml_ish)
def test_yaml_guard_lets_through_only_what_composes_safely(text):
    try:
        guard(text, max_depth=5, max_alias_nodes=50, alias_factor=2)
    except YAMLLimitError as refused:
        assert refused.problem_mark is not None
        return
    except yaml.YAMLError:
        return
    loader = yaml.SafeLoader(text)
    try:
        loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        pass
    finally:
        loader.dispose()


def _laughs(depth: int, width: int) -> tuple[str, int]:
    """A "billion laughs" document, and how many nodes its aliases re-use in all."""
    lines = ["a0: &a0 [x, x]"]
    size = 3  # the sequence and its two scalars
    reused = 0
    for level in range(1, depth):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
        reused += width * size
        size = 1 + width * size
    return "\n".join(lines) + "\n", reused


@given(depth=st.integers(1, 12), width=st.integers(1, 9), budget=st.integers(0, 5000))
@example(depth=10, width=9, budget=1_000_000)
def test_yaml_guard_refuses_exactly_the_documents_over_the_alias_budget(depth, width, budget):
    text, reused = _laughs(depth, width)
    try:
        guard(text, max_alias_nodes=budget, alias_factor=0)
    except YAMLLimitError as refused:
        assert reused > budget, refused
    else:
        assert reused <= budget


@given(depth=st.integers(1, 30), limit=st.integers(1, 30), flow=st.booleans())
def test_yaml_guard_refuses_exactly_the_documents_nested_too_deeply(depth, limit, flow):
    if flow:
        text = "[" * depth + "]" * depth + "\n"
    else:
        text = "".join("  " * level + "-\n" for level in range(depth - 1)) + "  " * (depth - 1) + "- x\n"
    try:
        guard(text, max_depth=limit)
    except YAMLLimitError:
        assert depth > limit
    else:
        assert depth <= limit


@given(name=st.sampled_from(["a", "x1"]), flow=st.booleans())
def test_yaml_guard_refuses_recursive_aliases(name, flow):
    text = f"k: &{name} [1, *{name}]\n" if flow else f"k: &{name}\n  v: *{name}\n"
    with pytest.raises(YAMLLimitError, match="recursive"):
        guard(text)


# --- the text normaliser --------------------------------------------------------------------

any_text = st.text(max_size=60)


@given(text=any_text)
@example(text="İSTANBUL ＡＢＣ　ß ﬁ")
def test_fold_keeps_one_character_per_character(text):
    folded = fold(text)
    assert len(folded) == len(text)
    # Where a character folds, it folds to one character; ASCII letters fold to lower case.
    for original, new in zip(text, folded):
        if original.isascii():
            assert new == original.lower()


@given(text=st.one_of(any_text, st.text(st.sampled_from("ＡＢｃ１！　 aB中文İß\uff5e\uff5f\u3001"), max_size=30)))
@example(text="全网最佳ＡＢＣ　５００ｍｌ ΑΣ İ")
def test_fold_is_the_width_table_then_lower_case(text):
    # fold skips the width and Han tables for a text without full-width or variant characters:
    # the same result as applying both.
    from listcheck.text.normalize import _WIDTH_TABLE, _fold_char, _han_variants

    wide = text.translate(_WIDTH_TABLE).translate(_han_variants()[0])
    expected = wide.lower()
    if len(expected) != len(text):
        expected = "".join(_fold_char(ch) for ch in wide)
    assert fold(text) == expected


@given(text=any_text)
@example(text="最 佳😊-最\u200b佳\ufe0f")
def test_squeeze_maps_every_kept_character_back_into_the_original(text):
    folded = fold(text)
    squeezed, positions = squeeze(folded)
    assert squeezed == squeeze_text(folded)
    assert positions == kept_positions(folded)
    assert len(squeezed) == len(positions)
    assert all(a < b for a, b in zip(positions, positions[1:]))
    assert all(0 <= p < len(folded) for p in positions)
    assert "".join(folded[p] for p in positions) == squeezed


# --- quantities, numbers, compositions ------------------------------------------------------

quantity_text = st.one_of(
    any_text,
    st.lists(st.sampled_from(
        ["500", "0.5", "1e999", "５００", "五百", "两", "半", "1/2", "g", "kg", "ml", "L", "斤",
         "mAh", "W", "V", "寸", "GB", "G", "万", "亿", "×", "x", "*", "-", "~", "至", "+", "(", ")",
         " ", "约", "≤", "不超过", "以下", "左右", "%", "棉", "纯", "100%", "cotton", "¥", "$",
         "Rs.", "9" * 400, "0." + "0" * 50 + "1", "NaN", "inf", "，", "．"]),
        max_size=12).map("".join),
)


@given(text=quantity_text)
@example(text="9" * 5000 + "kg")
@example(text="1e308kg × 1e308")
def test_extract_quantities_never_raises_and_offsets_are_in_the_text(text):
    for mention in extract_quantities(text):
        assert 0 <= mention.start <= mention.end <= len(text)
        assert text[mention.start:mention.end] == mention.text
        assert not math.isnan(mention.value)


@given(value=st.one_of(quantity_text, st.floats(), st.integers(), st.none(), st.booleans()),
       hint=st.sampled_from([None, "mass", "volume", "power", "data", "currency:INR", "nonsense"]))
@example(value=float("nan"), hint="mass")
@example(value=10**400, hint="mass")
def test_parse_quantity_never_raises(value, hint):
    mention = parse_quantity(value, hint)
    if mention is not None:
        text = value.strip() if isinstance(value, str) else None
        if text is not None:
            assert 0 <= mention.start <= mention.end <= len(text)
        format_quantity(mention.value, mention.dimension, mention.high)


@given(text=quantity_text)
def test_parse_number_never_raises(text):
    number = parse_number(text)
    assert number is None or isinstance(number, float)


@given(value=st.one_of(quantity_text, st.dictionaries(st.text(max_size=8), st.one_of(
    st.floats(), st.integers(), st.text(max_size=5), st.none(), st.booleans()), max_size=4)))
def test_parse_composition_never_raises(value):
    comp = parse_composition(value)
    assert comp is None or all(isinstance(k, str) for k in comp)


@given(text=quantity_text)
def test_extract_composition_claims_never_raises_and_offsets_are_in_the_text(text):
    for claim in extract_composition_claims(text):
        assert 0 <= claim.start <= claim.end <= len(text)
        assert text[claim.start:claim.end] == claim.text


@pytest.mark.parametrize("text", ["", " ", "\x00", "9" * 100_000])
def test_parsers_on_edge_strings(text):
    extract_quantities(text)
    parse_quantity(text)
    parse_number(text)
    parse_composition(text)
    extract_composition_claims(text)


# --- sizes for the CLI's limit options ------------------------------------------------------


@given(number=st.integers(1, 10**6), unit=st.sampled_from(["", "b", "k", "K", "KiB", "m", "MB", "MiB", "g", "GiB"]))
def test_parse_size_reads_every_written_form(number, unit):
    factor = {"": 1, "b": 1, "k": 1024, "K": 1024, "KiB": 1024, "m": MiB, "MB": MiB, "MiB": MiB,
              "g": 1024**3, "GiB": 1024**3}[unit]
    assert parse_size(f"{number}{unit}") == number * factor


@given(text=st.text(max_size=12))
def test_parse_size_reads_a_size_or_raises_value_error(text):
    try:
        size = parse_size(text)
    except ValueError as error:
        assert repr(text) in str(error)
    else:
        assert size >= 1


# --- dotted-path indexes ------------------------------------------------------------------


@given(indexes=st.lists(st.from_regex(r"[0-9]{1,30}", fullmatch=True), max_size=20))
def test_indexes_sort_as_the_numbers_they_write(indexes):
    from listcheck.catalog.mapping import _index_order

    assert sorted(indexes, key=_index_order) == sorted(indexes, key=int)
