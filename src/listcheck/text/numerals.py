"""Numbers as listings write them: 500, 0.5, 0,5, 2,499, 五百, 一点五, 两, 半, 1.5万, 1亿.

`parse_number` turns one number into a float (or None); `NUMBER_PATTERN` is a regex fragment
(no groups) that matches the same forms inside a longer text, so `quantities` can find them.

Conventions (they are the ones Chinese and European listings use):

- A comma followed by exactly three digits groups thousands ("2,499", "1,234,567.5"); any
  other comma between digits is a decimal comma ("0,5", "1,5", "0,500"). A comma after a
  leading zero is always decimal ("0,500" = 0.5). A dot is always decimal ("2.499" = 2.499),
  except in the European form "1.234,56" where dots group thousands and the comma is last.
- 万 = 10^4 and 亿 = 10^8 multiply what comes before them ("1.5万" = 15000, "10800万" = 1.08e8);
  千/百 after Arabic digits are accepted by `parse_number` ("5千" = 5000) but not by the pattern.
- Chinese numerals: 零〇一二两三四五六七八九 and 十百千万亿, financial 壹贰叁肆伍陆柒捌玖拾佰仟,
  decimals with 点 ("一点五" = 1.5), colloquial "三万五" = 35000 and "一百五" = 150, "半" = 0.5.
  A run of digits without any unit character is read digit by digit only when it is three
  digits or longer ("二〇二四" = 2024); "一两" / "二三" (one-or-two, two-or-three) are None.
"""

from __future__ import annotations

import re

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_ARABIC_MULT = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}

# Characters that can start a Chinese numeral (百/千/万/亿 alone are not a number: 每百克).
CN_NUMERAL_START = "零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾"
CN_NUMERAL_CHARS = CN_NUMERAL_START + "百千万亿佰仟"
_CN_FRACTION_DIGITS = "零〇一二三四五六七八九"

# Arabic numbers: thousands groups, a decimal comma, a decimal point. Order matters: the first
# alternative that matches wins, so the comma forms come before the plain one.
ARABIC_PATTERN = (
    r"(?:0,[0-9]+"                                  # 0,5  0,500  (leading zero: decimal comma)
    r"|[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]{1,2}(?![0-9])"  # 1.234,56 (European)
    r"|[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])"  # 2,499  1,234,567.89
    r"|[0-9]+,[0-9]{1,2}(?![0-9,])"                 # 1,5  12,75  (decimal comma)
    r"|[0-9]+(?:\.[0-9]+)?)"                        # 500  0.5
)
CHINESE_PATTERN = (
    rf"(?:[{CN_NUMERAL_START}][{CN_NUMERAL_CHARS}]*(?:点[{_CN_FRACTION_DIGITS}]+)?|半)"
)
# One number as it may appear in a listing: Arabic (optionally times 万/亿) or Chinese.
NUMBER_PATTERN = rf"(?:{ARABIC_PATTERN}(?:[万亿])?|{CHINESE_PATTERN})"
# The characters a number starts with, as a character class, full-width digits included (the
# text may not be folded yet). Searching for one of them is much faster than searching with the
# patterns themselves (the regex engine skips ahead quickly only for a plain character class),
# and in folded text a number matches at every one of them. NUMBER_START_CHARS is the inside of
# the class, to build others from ([^...] skips to the next number).
NUMBER_START_CHARS = f"0-9０-９{CN_NUMERAL_START}半"
NUMBER_START = f"[{NUMBER_START_CHARS}]"

_ARABIC_RE = re.compile(rf"({ARABIC_PATTERN})([万亿千百]?)")
_EUROPEAN_RE = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]+")
_THOUSANDS_TAIL = re.compile(r"[0-9]{3}(?:,[0-9]{3})*(?:\.[0-9]+)?")
_PLAIN_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")


def parse_number(text: str) -> float | None:
    """One number (Arabic, Chinese or mixed with 万/亿) as a float; None when it is not one."""
    if not isinstance(text, str):
        return None
    # Fast path for the form nearly every number in a listing takes (500, 0.5): ASCII digits with
    # at most one dot and no comma, which float() reads exactly as _parse_arabic would.
    if len(text) <= 40 and text.isascii() and (text.isdigit() or _PLAIN_DECIMAL.fullmatch(text)):
        return float(text)
    s = text.strip().replace("，", ",").replace("．", ".")
    if not s or len(s) > 40:
        return None
    s = s.translate(_FULLWIDTH_DIGITS)
    if s[0] in "0123456789":
        return _parse_arabic(s)
    return _parse_chinese(s)


_FULLWIDTH_DIGITS = {0xFF10 + i: 0x30 + i for i in range(10)}


def _parse_arabic(s: str) -> float | None:
    if _EUROPEAN_RE.fullmatch(s):
        return float(s.replace(".", "").replace(",", "."))
    match = _ARABIC_RE.fullmatch(s)
    if match is None:
        return None
    digits, mult = match.groups()
    if "," in digits:
        head, _, tail = digits.partition(",")
        if head != "0" and _THOUSANDS_TAIL.fullmatch(tail):
            digits = digits.replace(",", "")
        else:
            digits = digits.replace(",", ".", 1)
    try:
        value = float(digits)
    except ValueError:
        return None
    return value * _ARABIC_MULT[mult] if mult else value


def _parse_chinese(s: str) -> float | None:
    if s == "半":
        return 0.5
    if s[0] not in CN_NUMERAL_START:
        return None  # 百 / 万 alone (每百克) are not a number
    integer, sep, fraction = s.partition("点")
    if sep:
        if not fraction or any(ch not in _CN_FRACTION_DIGITS for ch in fraction):
            return None
        whole = _cn_integer(integer)
        if whole is None:
            return None
        return float(f"{int(whole)}." + "".join(str(_CN_DIGITS[ch]) for ch in fraction))
    value = _cn_integer(s)
    return None if value is None else float(value)


def _cn_integer(s: str) -> int | None:
    if not s or any(ch not in _CN_DIGITS and ch not in _CN_SMALL and ch not in _CN_BIG for ch in s):
        return None
    if all(ch in _CN_DIGITS for ch in s):
        if len(s) == 1:
            return _CN_DIGITS[s]
        # 二〇二四: digit by digit, only for runs of three or more without 两 (一两 = "one or two").
        if len(s) < 3 or "两" in s:
            return None
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total = 0      # above 亿
    wan = 0        # the 万 section
    section = 0    # below 万
    number: int | None = None
    prev_digit = False
    for ch in s:
        if ch in _CN_DIGITS:
            if prev_digit and number not in (None, 0) and _CN_DIGITS[ch] != 0:
                return None  # two digits in a row (二三): not a number
            number = _CN_DIGITS[ch]
            prev_digit = True
            continue
        prev_digit = False
        if ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            section += (1 if not number else number) * unit
            number = None
            continue
        # 万 / 亿
        section += number or 0
        number = None
        if ch == "万":
            wan += section * 10_000
        else:
            total += (wan + section) * 100_000_000
            wan = 0
        section = 0
    if number:
        before = s[-2]
        step = _CN_SMALL.get(before) or _CN_BIG.get(before) or 0
        if step >= 100:
            # 一百五 = 150, 三万五 = 35000: a bare digit right after a unit is one step below it.
            number = number * step // 10
        section += number
    return total + wan + section
