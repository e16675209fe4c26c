"""Numbers as listings write them: Arabic with thousands or decimal commas, Chinese numerals, 万/亿."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listcheck.text.numerals import NUMBER_PATTERN, NUMBER_START, parse_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("500", 500.0),
        ("0.5", 0.5),
        ("0,5", 0.5),            # decimal comma (European)
        ("1,5", 1.5),
        ("12,75", 12.75),
        ("0,500", 0.5),          # a leading zero: always a decimal comma
        ("2,499", 2499.0),       # thousands
        ("1,500", 1500.0),
        ("1,234,567.5", 1234567.5),
        ("1.234,56", 1234.56),   # European thousands dot + decimal comma
        ("５００", 500.0),        # full-width digits
        ("1.5万", 15000.0),
        ("1亿", 1e8),
        ("10800万", 1.08e8),
        ("5千", 5000.0),
    ],
)
def test_arabic_numbers(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("五百", 500.0),
        ("一点五", 1.5),
        ("零点五", 0.5),
        ("两", 2.0),
        ("两百", 200.0),
        ("半", 0.5),
        ("十", 10.0),
        ("十二", 12.0),
        ("二十", 20.0),
        ("一百二十三", 123.0),
        ("一千零五", 1005.0),
        ("一百五", 150.0),       # colloquial: 一百五十
        ("三万五", 35000.0),     # colloquial: 三万五千
        ("一亿二千万", 1.2e8),
        ("壹佰贰拾", 120.0),     # financial numerals
        ("二〇二四", 2024.0),    # digit by digit
    ],
)
def test_chinese_numerals(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "abc", "一两", "二三", "1,2,3", "百", "万", "5.5.5", "一半"])
def test_not_a_number(text):
    # 一两 and 二三 mean "one or two" / "two or three": no single value.
    assert parse_number(text) is None


def test_not_a_string_is_none():
    assert parse_number(None) is None  # type: ignore[arg-type]
    assert parse_number(500) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text, found",
    [
        ("净含量500g", "500"),
        ("0,5 kg", "0,5"),
        ("Rs. 2,499 only", "2,499"),
        ("五百克", "五百"),
        ("1.5万毫安", "1.5万"),
        ("10800万像素", "10800万"),
        ("半斤", "半"),
    ],
)
def test_number_pattern_finds_the_number_in_text(text, found):
    match = re.search(NUMBER_PATTERN, text)
    assert match is not None and match.group(0) == found
    assert parse_number(match.group(0)) is not None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parse_number_never_raises(text):
    value = parse_number(text)
    assert value is None or isinstance(value, float)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,零〇一二两三四五六七八九十百千万亿点半", max_size=12))
def test_parse_number_never_raises_on_number_like_text(text):
    value = parse_number(text)
    assert value is None or value >= 0


# --- the fast path for plain numbers ---------------------------------------------------------


@pytest.mark.parametrize("text", ["500", "0500", "0.5", "12.50", "9" * 40, "9" * 41, "1.5.3", "12.", ".5", "1e5", "٣"])
def test_plain_numbers_read_as_the_general_path_reads_them(text):
    # parse_number reads plain ASCII numbers with float(); " x " takes the general path.
    assert parse_number(text) == parse_number(f" {text} ")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.", min_size=1, max_size=44))
def test_plain_number_fast_path_agrees_with_the_general_path(text):
    assert parse_number(text) == parse_number(f" {text} ")


def test_number_start_is_where_every_number_starts():
    # quantities looks for NUMBER_START, then matches the number there: it must start each one.
    start = re.compile(NUMBER_START)
    for text in ("500", "0,5", "2,499", "五百", "半", "1.5万", "二〇二四", "一点五", "壹佰"):
        match = re.search(NUMBER_PATTERN, "净含量" + text)
        assert match is not None and start.match(match.group(0))
