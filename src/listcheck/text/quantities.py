"""Quantities in listing text and spec values: 500g, 0,5 kg, 1斤, 五百克, ５００ｍｌ, 250ml×2, 1亿像素.

`extract_quantities(text)` finds every amount in a text, in order, without overlaps; each
mention carries its value in the dimension's base unit (g, ml, mm, mAh, Wh, W, V, A, B, pixel,
count, h; a currency keeps its code) and the exact span of the ORIGINAL text, full-width
characters included. `parse_quantity(value, hint)` reads one spec value ("500 ml", 500 with a
hint, "501g-1kg", "≤200g", "10V/2.25A", "Rs. 698"). `format_quantity` prints a value for messages.

How the text is read (decisions; the unit table itself is data, rules/vocab/units.yaml):

- Numbers: see `numerals` (2,499 = thousands; 0,5 = decimal comma; 1.5万; 五百; 半).
  A number glued to an ASCII letter (iPhone15, T610, Play5T, TM20240501, USB3.0) or after a
  chip/model word (骁龙778G, 天玑9000, 型号 500) is a model number, never an amount.
- Compounds, longest first — each is ONE mention:
  * packs "250ml×2", "2*250ml", "6 x 330 ml", "750g*3盒", "500ml 6瓶装": `value` is the total,
    `per_unit` the amount of one unit and `count` the number of units;
  * "500 g (4 x 125 g)": a net amount followed by its own consistent breakdown (within 2%) is one
    mention of 500 g with per_unit 125 g and count 4; an inconsistent breakdown stays two mentions;
  * sizes "30cm×20cm×10cm", "30×20×10 cm", "70 x 140 cm": dimension length, `dims` holds every
    side in mm in the order written and `value` is the first side;
  * ranges "3-5 kg", "501g-1kg", "1.8-2.2两", "¥100-200": `value` is the low end, `high` the high;
  * "8GB+128GB" stays two data mentions (RAM, then storage); "8+256" in a title (RAM-like number
    + storage-like number, no unit) is read as 8 GB + 256 GB, both flagged ambiguous.
- Counts: "6瓶装", "200粒", "3件套", "6 pcs", "pack of 6" alone are a mention of dimension
  "count" (value 6, count 6, per_unit None). A Chinese numeral takes a classifier only with
  装/套 (两瓶装) since 一个/一条 are everywhere in prose.
- "G": a lower-case g is a gram. An upper-case G is a data size (GB) in a pair (8G+128G, 12G/256G),
  beside storage words (8G运存, 内存12G) or when it is a usual memory size (16..2048, flagged
  ambiguous); 2G-5G (and any other G below 10, e.g. the 2.4G band) are network generations or
  bands and no quantity; any other upper-case G (牛肉干500G) is a gram, flagged ambiguous.
  "5g" next to network words (5g手机, Pro 5g) is no quantity either. "T" is a terabyte only in
  a pair or beside storage words (8G+1T). "ml" and "mg" are distinct units and never confused.
- 公斤 = kg is always matched before 斤; "一斤半" = 1.5 斤; 两 after a number is 50 g unless a
  word follows that makes it "one or two" (一两天, 一两个). 码 is a garment size, never a yard.
- 寸 alone is an inch by trade usage (55寸电视) and flagged ambiguous; 英寸/吋/"/inch are inches;
  市寸 is 1/30 m.
- Camera: "1亿像素" = 1e8, "10800万像素" = 1.08e8, "108MP"; a bare "5000万" is pixels only next
  to camera words (5000万三摄, 后置6400万) — elsewhere 万 is a plain number and no quantity.
- Time: 12小时, 3个月, 2年, 24 hours are dimension "time" (base h); "2024年" (a year >= 1900)
  and 5月1日 (a date) are not quantities.
- Approximate: "约500g", "about 1 kg", "≈", "~500g", "500g左右" set `approximate`; the marker
  words stay outside the span (rules look for them around the mention).
- Upper bounds: "≤200g" is value 0.0 and high 200 (the symbol is inside the span). In spec
  values the words 不超过/最大/max and 以下/以内 do the same. Lower bounds (≥, 以上) keep the
  number itself as the value.
- Currencies: "¥2689", "￥99", "2689元", "Rs. 2,499", "₹998", "$19.99", "€5", "£3" — dimension
  "currency:CODE"; amounts in different currencies never compare.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from listcheck.text.normalize import fold
from listcheck.text.numerals import (
    ARABIC_PATTERN,
    CHINESE_PATTERN,
    CN_NUMERAL_CHARS,
    NUMBER_START,
    NUMBER_START_CHARS,
    parse_number,
)
from listcheck.text.units import (
    Alias,
    Unit,
    UnitTable,
    base_unit,
    currency_unit,
    unit_table,
)


@dataclass(frozen=True)
class QuantityMention:
    value: float            # in the dimension's base unit (a range: the low end; a pack: the total)
    high: float | None      # a range's high end in base units, else None
    unit: str               # canonical name of the unit as written ("kg", "jin", "in", "INR")
    dimension: str          # mass | volume | length | area | charge | energy | power | voltage |
                            # current | data | pixels | count | time | currency:CODE
    start: int              # offsets in the original text
    end: int
    text: str               # the original characters of the mention
    per_unit: float | None = None   # a pack: the amount of one unit, in base units
    count: int | None = None        # a pack: how many units (value = per_unit * count)
    approximate: bool = False       # 约500g, about 1 kg, 500g左右
    ambiguous: bool = False         # bare 寸, upper-case G read as gram/GB, 8+256
    dims: tuple[float, ...] = ()    # a size "30cm×20cm×10cm": every side in base units


# Dimensions where "a × n" is a pack whose total is a × n (not a size, not a price).
_PACKABLE = {"mass", "volume", "count", "charge", "energy", "data"}
# Usual RAM / storage sizes in GB, to read "8+256" and an upper-case "G" as data.
_RAM_SIZES = {1, 2, 3, 4, 6, 8, 10, 12, 16, 18, 24, 32}
_STORAGE_SIZES = {16, 32, 64, 128, 256, 512, 1024, 2048}
_MEMORY_G = {16, 32, 64, 128, 256, 512, 1024, 2048}
_DATA_SIZES = _RAM_SIZES | _STORAGE_SIZES
_HALF_UNITS = {"斤", "市斤", "两", "市两", "公斤", "千克"}
# Texts that cannot hold a quantity skip the tokenizer; most spec values are one or the other.
# - No character that starts a number: "Barilla", "中国".
_NUMBER_START = re.compile(NUMBER_START)
# - Bare numbers ("105", "0.7", "1,234 5", "3-5"): every mention needs a unit, a currency, 万/亿
#   or a "+" or "/" between two numbers (8+256), and none of those is written with these
#   characters (tests/test_quantities.py checks the unit table for that).
_BARE_NUMBERS = re.compile(r"[0-9.,\s-]*")

_MULT_GAP = re.compile(r"[ \t\xa0]*[x×*✕✖][ \t\xa0]*")
_PACK_GAP = re.compile(r"[ \t\xa0]*(?:[x×*✕✖/][ \t\xa0]*)?")
_RANGE_GAP = re.compile(r"[-–~〜]|[ \t\xa0]?(?:[~〜至到]|to)[ \t\xa0]?")
_SPACED_DASH = re.compile(r"[ \t\xa0][-–][ \t\xa0]")  # only between two amounts with units: 5 kg - 10 kg
_PAIR_GAP = re.compile(r"[ \t\xa0]*[+/][ \t\xa0]*")
_OPEN_PAREN = re.compile(r"[ \t\xa0]*\([ \t\xa0]*")
_CLOSE_PAREN = re.compile(r"[ \t\xa0]*\)")
_PREFIX_GAP = re.compile(r"\.?[ \t\xa0]?")  # between a currency and its number: "Rs. 998", "¥ 99"
_PREFIX_GAP_CHARS = ". \t\xa0"  # every character _PREFIX_GAP may match
_GARMENT_HEIGHT = re.compile(r"[0-9]{3}/$")  # 170/92A
_SPACES = " \t\xa0"
_MAX_JOIN = 2  # the most characters other than _SPACES any of the gap patterns above matches ("to")
# A model name just before "5g" (Galaxy A54 5g, Redmi K70 5G): the g is a network generation.
_MODEL_WORD = re.compile(r"(?<![a-z0-9])[a-z]+[0-9]+[a-z]*[ \t\xa0]+$")


class _Tok:
    """A number in the text with what is attached to it."""

    __slots__ = (
        "alias",
        "amb",
        "chinese",
        "end",
        "g_upper",
        "integer",
        "kind",
        "mult",
        "num_end",
        "num_start",
        "number",
        "start",
        "t_candidate",
    )

    def __init__(self, start: int, end: int, number: float, integer: bool, chinese: bool) -> None:
        self.start = start
        self.end = end
        self.num_start = start
        self.num_end = end
        self.number = number
        self.integer = integer
        self.chinese = chinese
        self.alias: Alias | None = None
        self.kind = "N"            # N bare number | Q measured | C count classifier | CUR prefixed currency
        self.g_upper = False       # written with an upper-case "G"
        self.t_candidate = False   # a bare upper-case "T" after it (terabyte only in context)
        self.mult = False          # the number carries 万/亿
        self.amb = False           # the reading is a guess (500G as gram, 256G without context)

    @property
    def unit(self) -> Unit | None:
        return self.alias.unit if self.alias is not None else None

    @property
    def base(self) -> float:
        unit = self.unit
        return self.number * unit.factor if unit is not None else self.number

    @property
    def dimension(self) -> str | None:
        unit = self.unit
        return unit.dimension if unit is not None else None


class _Compiled:
    def __init__(self, table: UnitTable) -> None:
        self.table = table
        # The next number (group "n") from a position on, in one call: what cannot start a number
        # is skipped by a plain character class, which the engine runs through quickly (the
        # number's own alternatives, searched for, would be tried at every position), and in
        # folded text a number matches at every character that can start one (see NUMBER_START).
        self.next_number = re.compile(
            rf"[^{NUMBER_START_CHARS}]*(?P<n>(?P<a>{ARABIC_PATTERN}(?P<m>[万亿])?)|(?P<c>{CHINESE_PATTERN}))"
        )
        # Units: right after a number (unit_at) or after one space (unit_spaced_at, no `attach`
        # aliases), looked up by the character there (see _ByFirstChar).
        alternatives = table.unit_alternatives()
        self.unit_at = _ByFirstChar(alternatives)
        self.unit_spaced_at = _ByFirstChar([(a, rx) for a, rx in alternatives if not table.aliases[a].attach])
        self.unit_dashed = re.compile(
            "-(?P<u>" + "|".join(re.escape(a) + r"(?![a-z])" for a in sorted(table.aliases, key=len, reverse=True)
                                   if a.isascii() and a.isalpha() and len(a) >= 3) + ")"
        )
        self.nospace = {a.replace(" ", ""): v for a, v in table.aliases.items()}
        self.gb = table.aliases["gb"]  # what an upper-case G or a T in context is read as
        self.tb = table.aliases["tb"]
        self.prefix = re.compile(rf"(?<![a-z])(?:{table.prefix_pattern})")
        # The last characters of the currency prefixes: a number with none of them in the three
        # characters before it has no prefix ("Rs. 998": the prefix ends at most 2 before it).
        self.prefix_ends = {prefix[-1] for prefix in table.prefix_currency}
        # How far before a number its prefix may start: the longest prefix, then "." and a space.
        self.prefix_reach = max((len(prefix) for prefix in table.prefix_currency), default=0) + 2
        # The prefixes without a trailing "." or space, for _prefix_before's first test.
        self.prefix_tails = tuple({prefix.rstrip(_PREFIX_GAP_CHARS) for prefix in table.prefix_currency})
        self.model_before = _ending_with(table.words("model_prefixes"))
        self.storage = table.words("storage_words")
        self.network_after = table.words("network_words")
        self.network_before = _ending_with(table.words("network_before"))
        self.camera_after = table.words("camera_after")
        self.camera_before = table.words("camera_before")
        self.approx_before = _ending_with(table.words("approx_before"))
        self.approx_after = table.words("approx_after")
        self.upper_symbols = tuple(sorted(table.words("upper_symbols"), key=len, reverse=True))
        self.upper_before = (*self.upper_symbols, *table.words("upper_words_before"))
        self.upper_after = table.words("upper_words_after")
        self.no_value = set(table.words("no_value"))
        self.steel_grades = set(table.words("steel_grades"))
        self.pack_of = re.compile(r"(?<![a-z])(?:pack|set|box|case|bundle)\s+of\s+$")
        self.va = re.compile(
            rf"(?P<v>{ARABIC_PATTERN})\s*(?:v|伏)(?![a-z])\s*[/⎓=_,、;；\s-]*\s*(?P<a>{ARABIC_PATTERN})\s*(?P<au>ma|a|安)(?![a-z])"
        )


class _ByFirstChar:
    """One pattern per first character of the aliases, each an alternation of those aliases.

    An alias's regex starts with its first character as a literal, so at a given position only
    the aliases starting with the character there can match. The regex engine tries the
    alternatives of one big alternation one by one (300+ for every number); this tries a
    handful. The order (longest first) is kept, so the alias that matches is the same.
    Each pattern is compiled the first time a text needs it: a run over a few products
    compiles a few of the hundred, which is most of what the unit table costs to start.
    """

    def __init__(self, alternatives: list[tuple[str, str]]) -> None:
        groups: dict[str, list[str]] = {}
        for alias, regex in alternatives:
            groups.setdefault(alias[0], []).append(regex)
        self._sources = {first: "(?P<u>" + "|".join(regexes) + ")" for first, regexes in groups.items()}
        self._patterns: dict[str, re.Pattern[str]] = {}

    def __contains__(self, char: str) -> bool:
        """Does some alias start with `char`?"""
        return char in self._sources

    def match(self, scan: str, at: int) -> re.Match[str] | None:
        """The unit alias written at `at` (group "u"), or None."""
        first = scan[at:at + 1]
        pattern = self._patterns.get(first)
        if pattern is None:
            source = self._sources.get(first)
            if source is None:
                return None
            pattern = self._patterns[first] = re.compile(source)
        return pattern.match(scan, at)


# What may follow a word at the end of a window (型号: 500, 约 500g); "\n" for the "$" of the regex.
_WORD_TAIL = " \t\xa0:：#-\n"


class _EndingWith:
    """One of some words at the end of a window, perhaps followed by separators ("型号: ").

    `search` is the regex search. The regex ends with "$" but the engine still tries it at every
    position of the window, so it runs only when the window, its separators stripped, ends with
    one of the words (a plain str.endswith): every match has that, most windows do not.
    The words are grouped by their last character: most windows end with a character no word
    ends with, and one dict lookup rejects them without comparing the window with every word.
    """

    def __init__(self, words: tuple[str, ...]) -> None:
        alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        self.regex = re.compile(rf"(?<![a-z])(?:{alternation})[ \t\xa0:：#-]*$")
        self.ends: dict[str, tuple[str, ...]] = {}
        for word in words:
            end = word.rstrip(_WORD_TAIL)
            self.ends[end[-1:]] = (*self.ends.get(end[-1:], ()), end)

    def search(self, window: str) -> re.Match[str] | None:
        stripped = window.rstrip(_WORD_TAIL)
        ends = self.ends.get(stripped[-1:])
        if ends is None or not stripped.endswith(ends):
            return None
        return self.regex.search(window)


def _ending_with(words: tuple[str, ...]) -> _EndingWith | None:
    return _EndingWith(words) if words else None


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    return _Compiled(unit_table())


# ---------------------------------------------------------------------------------------------
# Public API


def extract_quantities(text: str) -> list[QuantityMention]:
    """Every quantity in `text`, in text order, non-overlapping; compounds win over their parts."""
    if not isinstance(text, str) or not _NUMBER_START.search(text):
        return []
    # Bare numbers ("105", "0.7") are as common as amounts among spec values: rejecting them
    # here saves folding them. Folding changes none of these characters, so _extract would too.
    if _BARE_NUMBERS.fullmatch(text):
        return []
    return _extract(text, _scan(text), None)


def parse_quantity(value: str | float, dimension_hint: str | None = None) -> QuantityMention | None:
    """One spec value as a quantity; None when it holds none ("其他", "", a model name).

    - A bare number (500, "500", "5000万") takes the base unit of `dimension_hint` (mass -> g,
      currency:INR -> INR); without a usable hint it is None.
    - "501g-1kg" is a range (value 501, high 1000). "≤200g", "不超过200g", "200g以下" are value 0.0
      and high 200.
    - A charger "10V/2.25A" is a power of 22.5 W (V × A); with several options
      ("9V/3A；5V/3A；其他") the largest, 27 W. Only when the hint is None or "power".
    - Otherwise the first quantity of the hinted dimension, else the first quantity at all
      (the caller filters by dimension).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # an int beyond any float (a 400-digit "weight")
            return None
        if not math.isfinite(number):
            return None
        return _bare(number, str(value), dimension_hint)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    c = _compiled()
    scan = _scan(text)
    if not _NUMBER_START.search(scan):
        return None  # no amount and no bare number either
    if " ".join(scan.split()) in c.no_value:
        return None
    if dimension_hint in (None, "power"):
        power = _charger_power(text, scan)
        if power is not None:
            return power
    upper, core_start, core_end = _upper_bound(scan)
    mentions = _extract(text, scan, dimension_hint)
    chosen = None
    if mentions:
        chosen = next((m for m in mentions if _family(m.dimension, dimension_hint)), mentions[0])
    else:
        number = parse_number(scan[core_start:core_end].strip())
        if number is None:
            return None
        chosen = _bare(number, text, dimension_hint)
        if chosen is None:
            return None
    if upper and chosen.high is None and chosen.per_unit is None:
        chosen = QuantityMention(0.0, chosen.value, chosen.unit, chosen.dimension, 0, len(text), text,
                                 approximate=chosen.approximate, ambiguous=chosen.ambiguous)
    return chosen


def format_quantity(value: float, dimension: str, high: float | None = None) -> str:
    """A base-unit value for people: "500 g", "1.5 kg", "22.5 W", "¥2689", "Rs. 698", "3–5 kg"."""
    if high is not None:
        if value == 0:
            return "≤ " + format_quantity(high, dimension)
        low_text, high_text = format_quantity(value, dimension), format_quantity(high, dimension)
        low_num, _, low_unit = low_text.partition(" ")
        high_num, _, high_unit = high_text.partition(" ")
        if low_unit and low_unit == high_unit and not dimension.startswith("currency:"):
            return f"{low_num}–{high_num} {high_unit}"
        return f"{low_text}–{high_text}"
    if dimension.startswith("currency:"):
        code = dimension.split(":", 1)[1]
        currency = unit_table().currencies.get(code)
        symbol = currency.symbol if currency else f"{code} "
        return f"{symbol}{_num(value, 2)}"
    for limit, factor, unit in _DISPLAY.get(dimension, ()):
        if abs(value) >= limit:
            number = _num(value / factor)
            text = f"{number} {_SINGULAR.get(unit, unit) if number == '1' else unit}"
            if dimension == "length" and unit != "mm" and _is_round_inch(value):
                text += f" ({_num(value / 25.4)} in)"
            return text
    return f"{_num(value)} {base_unit(dimension) or ''}".strip()


_DISPLAY: dict[str, tuple[tuple[float, float, str], ...]] = {
    "mass": ((1000, 1000, "kg"), (1, 1, "g"), (0.001, 0.001, "mg"), (0, 1, "g")),
    "volume": ((1000, 1000, "L"), (0, 1, "ml")),
    "length": ((1000, 1000, "m"), (10, 10, "cm"), (1, 1, "mm"), (0.001, 0.001, "µm"), (0, 0.000001, "nm")),
    "area": ((1_000_000, 1_000_000, "m²"), (0, 100, "cm²")),
    "charge": ((0, 1, "mAh"),),
    "energy": ((1000, 1000, "kWh"), (0, 1, "Wh")),
    "power": ((10_000, 1000, "kW"), (0, 1, "W")),
    "voltage": ((1000, 1000, "kV"), (1, 1, "V"), (0.0, 0.001, "mV")),
    "current": ((1, 1, "A"), (0, 0.001, "mA")),
    "data": ((1e12, 1e12, "TB"), (1e9, 1e9, "GB"), (1e6, 1e6, "MB"), (1e3, 1e3, "KB"), (0, 1, "B")),
    "pixels": ((1e6, 1e6, "MP"), (0, 1, "px")),
    "count": ((0, 1, "pcs"),),
    "time": ((8766, 8766, "years"), (730.5, 730.5, "months"), (24, 24, "days"), (1, 1, "h"), (0, 1 / 60, "min")),
}
_SINGULAR = {"years": "year", "months": "month", "days": "day"
}


def _num(x: float, decimals: int = 4) -> str:
    if abs(x - round(x)) < 1e-9 * max(1.0, abs(x)):
        return str(round(x))
    return f"{x:.{decimals}f}".rstrip("0").rstrip(".")


def _is_round_inch(mm: float) -> bool:
    inches = mm / 25.4
    return abs(inches * 10 - round(inches * 10)) < 1e-6


# ---------------------------------------------------------------------------------------------
# Reading


def _scan(text: str) -> str:
    # A full-width comma is a list separator, never a decimal comma: keep it apart from ",".
    return fold(text.replace("，", "、"))


def _family(dimension: str, hint: str | None) -> bool:
    if hint is None:
        return True
    return dimension == hint or dimension.split(":")[0] == hint.split(":")[0] and ":" not in hint


def _bare(number: float, text: str, hint: str | None) -> QuantityMention | None:
    unit = _hint_unit(hint)
    if unit is None:
        return None
    value = number * unit.factor
    count = int(number) if hint == "count" and number.is_integer() else None
    return QuantityMention(value, None, unit.name, unit.dimension, 0, len(text), text, count=count)


@lru_cache(maxsize=256)
def _hint_unit(hint: str | None) -> Unit | None:
    """The unit a bare number takes under a dimension hint (mass -> g); memoised per hint."""
    if hint is None or hint == "currency":
        return None
    if hint.startswith("currency:"):
        return currency_unit(hint.split(":", 1)[1])
    name = base_unit(hint)
    if name:
        return Unit(name, hint, 1.0)
    return unit_table().lookup(hint)  # a unit's own name: a bare "24.2" under "MP" is 24.2 MP


def _upper_bound(scan: str) -> tuple[bool, int, int]:
    """Does a spec value state an upper bound (≤200g, 不超过200g, 200g以下)? And the rest's span."""
    c = _compiled()
    left = len(scan) - len(scan.lstrip())
    right = len(scan.rstrip())
    stripped = scan[left:right]
    # One startswith/endswith with the whole tuple first: most values have no bound at all.
    if stripped.startswith(c.upper_before):
        for word in c.upper_before:
            if stripped.startswith(word) and len(stripped) > len(word):
                nxt = stripped[len(word)]
                if not (word[-1].isascii() and word[-1].isalpha() and nxt.isascii() and nxt.isalpha()):
                    return True, left + len(word), right
    if stripped.endswith(c.upper_after):
        for word in c.upper_after:
            if stripped.endswith(word) and len(stripped) > len(word):
                return True, left, right - len(word)
    return False, left, right


# A charger spec is short; on a long run of digits ("999…", "999,999,…") the V × A pattern
# backtracks quadratically (100,000 digits took minutes), so longer values are not read as one.
_MAX_CHARGER_SPEC = 500


def _charger_power(text: str, scan: str) -> QuantityMention | None:
    """A charger spec "10V/2.25A" (or several, "9V/3A；5V/3A") as the largest V × A, in W."""
    if len(scan) > _MAX_CHARGER_SPEC:
        return None
    c = _compiled()
    best: tuple[float, int, int] | None = None
    for match in c.va.finditer(scan):
        volts = parse_number(match.group("v"))
        amps = parse_number(match.group("a"))
        if volts is None or amps is None:
            continue
        if match.group("au") == "ma":
            amps /= 1000
        watts = round(volts * amps, 6)
        if best is None or watts > best[0]:
            best = (watts, match.start(), match.end())
    if best is None:
        return None
    for mention in _extract(text, scan, "power"):
        if mention.dimension == "power" and mention.value > best[0]:
            best = (mention.value, mention.start, mention.end)
    watts, start, end = best
    return QuantityMention(watts, None, "W", "power", start, end, text[start:end])


def _extract(text: str, scan: str, hint: str | None) -> list[QuantityMention]:
    """The mentions in `text`; `scan` is `_scan(text)`, which every caller has already."""
    try:
        c = _compiled()
        if _BARE_NUMBERS.fullmatch(scan):
            return []
        tokens = _tokens(text, scan, c, hint)
        if not tokens:
            return []
        return _combine(text, scan, tokens, c, hint)
    except RecursionError:  # pragma: no cover - defensive: a listing never stops the run
        return []


def _tokens(text: str, scan: str, c: _Compiled, hint: str | None) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    next_number = c.next_number.match
    while True:
        match = next_number(scan, pos)
        if match is None:
            break
        start, end = match.span("n")
        pos = end
        raw = match.group("n")
        if match.group("c") is not None:
            prev = scan[start - 1] if start else ""
            if prev and (prev in CN_NUMERAL_CHARS or prev in "第周礼星"):
                continue
            tok = _chinese_token(scan, start, raw, c)
            if tok is not None:
                tokens.append(tok)
                pos = tok.end
            continue
        # A currency written before the number: ¥2689, Rs. 2,499, $19.99.
        prefix = None
        if not c.prefix_ends.isdisjoint(scan[max(0, start - 3):start]):
            prefix = _prefix_before(scan, start, c)
        # Model numbers are told by what is before them: dropped before they cost a token.
        if prefix is None and _is_model_number(scan, start, c, tokens[-1].end if tokens else -1):
            continue  # iPhone15, T610, TM20240501, 骁龙778G
        number = parse_number(raw)
        if number is None:
            continue
        tok = _Tok(start, end, number, number.is_integer() and "." not in raw, False)
        tok.mult = match.group("m") is not None
        if prefix is not None:
            pstart, currency = prefix
            tok.kind = "CUR"
            tok.alias = _currency_alias(currency.code)
            tok.start = pstart
            tokens.append(tok)
            pos = tok.end
            continue
        _attach_unit(scan, text, tok, c)
        if tok.kind == "DROP":
            pos = max(pos, tok.end)
            continue
        # pack_of ends with \s+: look only after a space (str.isspace is the same class as \s).
        if tok.kind == "N" and tok.integer and scan[start - 1:start].isspace():
            found = c.pack_of.search(scan[max(0, start - 16):start])
            if found is not None:  # pack of 6, set of 4
                tok.kind = "C"
                tok.alias = c.table.aliases.get("pack")
                tok.start = max(0, start - 16) + found.start()
        tokens.append(tok)
        pos = max(pos, tok.end)
    return tokens


@lru_cache(maxsize=64)
def _currency_alias(code: str) -> Alias:
    """What an amount after a currency prefix (¥2689, Rs. 499) is measured in: one per currency."""
    return Alias(code.lower(), currency_unit(code))


def _prefix_before(scan: str, start: int, c: _Compiled) -> tuple[int, object] | None:
    # The prefixes in the few characters before the number only. Two prefixes never overlap
    # (tests/test_quantities.py checks the table for that), so a search that starts there finds
    # the ones a search of the whole text finds; on a long description with "colors 3" or
    # "rs 5" in it, the whole text cost more than all the rest of the extraction.
    window_start = max(0, start - c.prefix_reach)
    # Only a gap of "." and spaces may follow the prefix, so the window with those stripped ends
    # with the prefix (less its own trailing "."): one str.endswith rejects most windows
    # ("is 5", "size 3") before the regex runs.
    if not scan[window_start:start].rstrip(_PREFIX_GAP_CHARS).endswith(c.prefix_tails):
        return None
    prefixes = {m.end(): m for m in c.prefix.finditer(scan, window_start, start)}
    if not prefixes:
        return None
    # The prefix may be followed by "." and one space: "Rs. 998", "Rs.998", "¥ 99".
    for back in (0, 1, 2):
        end = start - back
        if end < 0:
            break
        between = scan[end:start]
        if between and not _PREFIX_GAP.fullmatch(between):
            break
        match = prefixes.get(end)
        if match is not None:
            return match.start(), c.table.prefix_currency[match.group(0)]
    return None


def _is_model_number(scan: str, start: int, c: _Compiled, prev_end: int) -> bool:
    if start == 0:
        return False
    prev = scan[start - 1]
    if prev_end == start or prev_end == start - 1 and prev in "-~/+":
        return False  # 5V2A, 501g-1kg, 8G/128G: joined to the amount before it
    if prev.isascii() and (prev.isalpha() or prev.isdigit()):
        # AC220V / DC12V: a current type, not a model letter.
        return not (scan[max(0, start - 2):start] in ("ac", "dc") and (start < 3 or not scan[start - 3].isalpha()))
    if prev in ".," and start >= 2 and scan[start - 2].isdigit():
        return True  # 1.2.3, a version
    if prev in "-_" and start >= 2 and scan[start - 2].isascii() and scan[start - 2].isalpha():
        return True  # TM-1001
    return bool(c.model_before is not None and c.model_before.search(scan[max(0, start - 14):start]))


def _chinese_token(scan: str, start: int, raw: str, c: _Compiled) -> _Tok | None:
    """A Chinese numeral takes a unit (五百克, 半斤, 两瓶装); 二两 backs off to 二 + 两."""
    for cut in range(len(raw), 0, -1):
        if scan[start + cut:start + cut + 1] not in c.unit_at:
            continue  # no unit starts right after it, as with most 一 and 十 in prose (一起, 统一)
        number = parse_number(raw[:cut])
        if number is None:
            continue
        tok = _Tok(start, start + cut, number, number.is_integer(), True)
        _attach_unit(scan, scan, tok, c, chinese=True)
        if tok.kind in ("Q", "C"):
            return tok
    return None


def _attach_unit(scan: str, text: str, tok: _Tok, c: _Compiled, chinese: bool = False) -> None:
    at = tok.num_end
    match = c.unit_at.match(scan, at)
    if match is None and at < len(scan) and scan[at] in _SPACES and not chinese:
        match = c.unit_spaced_at.match(scan, at + 1)
    if match is None and at < len(scan) and scan[at] == "-" and not chinese:
        match = c.unit_dashed.match(scan, at)
    if match is None:
        if not chinese and scan.startswith("t", at) and text[at:at + 1] == "T" and not (
                at + 1 < len(scan) and scan[at + 1].isascii() and scan[at + 1].isalpha()):
            tok.t_candidate = True
        return
    written = match.group("u")
    alias = c.table.aliases.get(written) or c.nospace.get(written.replace(" ", "")) or c.table.aliases.get(" ".join(written.split()))
    if alias is None:
        return
    unit = alias.unit
    if alias.text == "l" and scan[tok.num_start:tok.num_end] in c.steel_grades:
        return  # 316L stainless steel
    if alias.text == "a" and _GARMENT_HEIGHT.search(scan[max(0, tok.num_start - 4):tok.num_start]):
        return  # 170/92A: a garment size (height/chest + body type)
    if chinese and tok.number == 0.5 and alias.pack:
        return  # 半个 is not a count
    if unit.dimension == "count":
        if not tok.integer or tok.number <= 0:
            return
        end = match.end()
        if chinese:
            # 两瓶装 / 三件套: a Chinese numeral needs the pack mark.
            if scan.startswith("装", end) or scan.startswith("入", end):
                end += 1
            elif alias.text not in ("件套", "套", "组", "入"):
                return
        elif scan.startswith("装", end):
            end += 1
        tok.alias = alias
        tok.kind = "C"
        tok.end = end
        return
    if unit.name == "year" and written == "年" and tok.number >= 1900 and tok.integer:
        tok.kind = "DROP"  # 2024年 is a date
        tok.end = match.end()
        return
    tok.alias = alias
    tok.kind = "Q"
    tok.end = match.end()
    if alias.text == "g" and text[match.start("u"):match.start("u") + 1] == "G":
        tok.g_upper = True
    if written in _HALF_UNITS and scan.startswith("半", tok.end):
        tok.number += 0.5  # 一斤半 = 1.5 斤
        tok.integer = False
        tok.end += 1


def _combine(text: str, scan: str, tokens: list[_Tok], c: _Compiled, hint: str | None) -> list[QuantityMention]:
    out: list[QuantityMention] = []
    _resolve_letters(scan, tokens, c, hint)
    i = 0
    count = len(tokens)

    def gap(a: _Tok, b: _Tok) -> str:
        return scan[a.end:b.start]

    prev_tok: _Tok | None = None
    while i < count:
        if i:
            prev_tok = tokens[i - 1]
        tok = tokens[i]
        if tok.kind == "DROP":
            i += 1
            continue
        nxt = tokens[i + 1] if i + 1 < count else None
        # Every compound below joins a token to the next by at most two characters besides spaces
        # (the _GAP patterns: ×, -, ~, to, +, /, "("): a token farther from the next, as most are
        # in prose, is a single and needs none of those patterns tried.
        if nxt is not None and len(scan[tok.end:nxt.start].strip(_SPACES)) > _MAX_JOIN:
            nxt = None
        nxt2 = tokens[i + 2] if i + 2 < count else None

        # 500 g (4 x 125 g): a net amount with its own breakdown.
        if (tok.kind == "Q" and nxt is not None and nxt2 is not None and nxt.kind in ("N", "C") and nxt.integer
                and nxt2.kind == "Q" and nxt2.dimension == tok.dimension and tok.dimension in _PACKABLE
                and _OPEN_PAREN.fullmatch(gap(tok, nxt)) and _MULT_GAP.fullmatch(gap(nxt, nxt2))):
            close = _CLOSE_PAREN.match(scan, nxt2.end)
            total = nxt.number * nxt2.base
            if close is not None and abs(total - tok.base) <= 0.02 * tok.base:
                out.append(_mention(text, scan, tok.start, close.end(), tok.base, None, tok.unit, c,
                                    per_unit=nxt2.base, count=int(nxt.number), ambiguous=_amb(tok) or _amb(nxt2)))
                i += 3
                continue

        # Sides labelled by letter, "18.99L x 16.99W x 12.499H inches": a size, whatever L, W
        # and H would mean alone (litres, watts, hours); no rule reads such a size.
        if nxt is not None and _side_label(tok) and _side_label(nxt) and _MULT_GAP.fullmatch(gap(tok, nxt)):
            i += 2
            while i < count and _side_label(tokens[i]) and _MULT_GAP.fullmatch(gap(tokens[i - 1], tokens[i])):
                i += 1
            continue

        # A decimal point with a stray space after it, "24. 2MP" (24.2 MP): the digit before
        # the unit is the fraction. Only after a number of two digits or more, so a numbered
        # list ("1. 5kg bag") keeps its reading.
        if (prev_tok is not None and prev_tok.kind == "N" and prev_tok.integer and prev_tok.number >= 10
                and tok.kind == "Q" and tok.integer and tok.number < 10 and gap(prev_tok, tok) == ". "
                and not tok.num_start - tok.start):
            fraction = float(f"{int(prev_tok.number)}.{int(tok.number)}")
            unit = tok.unit
            assert unit is not None
            out.append(_mention(text, scan, prev_tok.start, tok.end, fraction * unit.factor, None, unit, c, ambiguous=True))
            prev_tok = tok
            i += 1
            continue

        # Sizes: 30cm×20cm×10cm, 30×20×10cm, 70 x 140 cm.
        size = _size(scan, tokens, i) if nxt is not None else None
        if size is not None:
            last, dims, unit = size
            out.append(_mention(text, scan, tok.start, tokens[last].end, dims[0], None, unit, c, dims=tuple(dims),
                                ambiguous=any(_amb(t) for t in tokens[i:last + 1])))
            i = last + 1
            continue

        # Packs: 250ml×2, 750g*3盒, 500ml 6瓶装.
        if (nxt is not None and tok.kind == "Q" and tok.dimension in _PACKABLE and tok.dimension != "count"
                and nxt.integer and 0 < nxt.number <= 10000
                and (nxt.kind == "N" and _MULT_GAP.fullmatch(gap(tok, nxt))
                     or nxt.kind == "C" and _PACK_GAP.fullmatch(gap(tok, nxt)))
                and not (nxt2 is not None and _MULT_GAP.fullmatch(gap(nxt, nxt2)))):
            n = int(nxt.number)
            out.append(_mention(text, scan, tok.start, nxt.end, tok.base * n, None, tok.unit, c,
                                per_unit=tok.base, count=n, ambiguous=_amb(tok)))
            i += 2
            continue
        # Packs: 2*250ml, 6 x 330 ml, 6瓶×500ml.
        if (tok.kind in ("N", "C") and not tok.chinese and tok.integer and 0 < tok.number <= 1000 and nxt is not None
                and nxt.kind == "Q" and nxt.dimension in _PACKABLE and nxt.dimension != "count"
                and _MULT_GAP.fullmatch(gap(tok, nxt))):
            n = int(tok.number)
            out.append(_mention(text, scan, tok.start, nxt.end, nxt.base * n, None, nxt.unit, c,
                                per_unit=nxt.base, count=n, ambiguous=_amb(nxt)))
            i += 2
            continue

        # Ranges: 3-5 kg, 501g-1kg, 1.8-2.2两, ¥100-200.
        if nxt is not None and (_RANGE_GAP.fullmatch(gap(tok, nxt))
                                or tok.kind == "Q" and _SPACED_DASH.fullmatch(gap(tok, nxt))):
            rng = _range(tok, nxt)
            if rng is not None:
                low, high, unit = rng
                out.append(_mention(text, scan, tok.start, nxt.end, low, high, unit, c,
                                    ambiguous=_amb(tok) or _amb(nxt)))
                i += 2
                continue

        # RAM + storage without units: 8+256, 8+128GB, 12GB+256.
        if nxt is not None and _PAIR_GAP.fullmatch(gap(tok, nxt)):
            pair = _data_pair(tok, nxt, c.table)
            if pair is not None:
                (a_val, a_unit, a_amb), (b_val, b_unit, b_amb) = pair
                out.append(_mention(text, scan, tok.start, tok.end, a_val, None, a_unit, c, ambiguous=a_amb))
                out.append(_mention(text, scan, nxt.start, nxt.end, b_val, None, b_unit, c, ambiguous=b_amb))
                i += 2
                continue

        single = _single(text, scan, tok, c)
        if single is not None:
            out.append(single)
        i += 1
    return out


_SIDE_LETTERS = {"l", "w", "h", "d"}


def _side_label(tok: _Tok) -> bool:
    """A number with one of the letters that label a side (L, W, H, D) as its "unit"."""
    return tok.kind == "Q" and tok.alias is not None and tok.alias.text in _SIDE_LETTERS


def _amb(tok: _Tok) -> bool:
    return tok.amb or bool(tok.alias is not None and tok.alias.ambiguous)


def _resolve_letters(scan: str, tokens: list[_Tok], c: _Compiled, hint: str | None) -> None:
    """Decide what an upper-case G, a lower-case g near network words, or a bare T means."""
    gb, tb = c.gb, c.tb
    for index, tok in enumerate(tokens):
        is_g = tok.kind == "Q" and tok.alias is not None and tok.alias.text == "g"
        if not is_g and not tok.t_candidate:
            continue
        value = tok.number
        before = scan[max(0, tok.start - 8):tok.start]
        after = scan[tok.end + (1 if tok.t_candidate else 0):tok.end + 9].lstrip(_SPACES)
        partner = _data_partner(scan, tokens, index)
        # a pair of sizes has a storage-sized member: 8G+128G, 8G+1T (not the 2.4G/5G bands)
        paired = partner is not None and max(_as_bytes(tok), _as_bytes(partner)) >= 16e9
        # _near_storage is called last in each condition: most amounts (500g) never need it.
        if tok.t_candidate:
            if paired or hint == "data" or _near_storage(before, after, c):
                tok.alias = tb
                tok.kind = "Q"
                tok.end += 1
            tok.t_candidate = False
            continue
        network = (value in (2, 3, 4, 5) and tok.integer
                   and (after.startswith(c.network_after)
                        or (c.network_before is not None and c.network_before.search(before))
                        or _MODEL_WORD.search(before) is not None))
        if network:
            tok.kind = "DROP"
            continue
        if not tok.g_upper:
            if hint == "data" or paired:
                tok.alias = gb
            elif tok.integer and value in _DATA_SIZES and _near_storage(before, after, c):
                tok.alias = gb
                tok.amb = True  # 运存8g: a lower-case g read as GB
            continue
        if hint == "data" or paired or (tok.integer and _near_storage(before, after, c)):
            tok.alias = gb
        elif hint == "mass":
            tok.amb = True
        elif value < 10:
            tok.kind = "DROP"   # 5G / 4G network, 2.4G band
        elif tok.integer and value in _MEMORY_G:
            tok.alias = gb      # 256G U盘
            tok.amb = True
        else:
            tok.amb = True      # 牛肉干500G: a gram


def _near_storage(before: str, after: str, c: _Compiled) -> bool:
    """A storage word just before or right after an amount (运存8G, 256G存储)."""
    return any(w in before for w in c.storage) or after.startswith(c.storage)


def _as_bytes(tok: _Tok) -> float:
    if tok.t_candidate:
        return tok.number * 1e12
    if tok.alias is not None and tok.alias.text == "g":
        return tok.number * 1e9
    return tok.base


def _data_partner(scan: str, tokens: list[_Tok], index: int) -> _Tok | None:
    """The data-like amount joined to this one by + or / (8G+128G, 12GB/256GB, 8G+1T)."""
    tok = tokens[index]
    if index + 1 < len(tokens):
        other = tokens[index + 1]
        end = tok.end + (1 if tok.t_candidate else 0)
        if _PAIR_GAP.fullmatch(scan[end:other.start]) and _data_like(other):
            return other
    if index > 0:
        other = tokens[index - 1]
        end = other.end + (1 if other.t_candidate else 0)
        if _PAIR_GAP.fullmatch(scan[end:tok.start]) and _data_like(other):
            return other
    return None


def _data_like(tok: _Tok) -> bool:
    if tok.kind == "Q" and tok.alias is not None:
        return tok.dimension == "data" or tok.alias.text == "g" and tok.g_upper
    return tok.t_candidate


def _size(scan: str, tokens: list[_Tok], i: int) -> tuple[int, list[float], Unit] | None:
    """Up to three sides joined by ×: every side bare or a length, at least one a length."""
    members = [tokens[i]]
    j = i
    while j + 1 < len(tokens) and len(members) < 3 and _MULT_GAP.fullmatch(scan[tokens[j].end:tokens[j + 1].start]):
        members.append(tokens[j + 1])
        j += 1
    while len(members) >= 2:
        if all(m.kind == "N" or m.kind == "Q" and m.dimension == "length" for m in members) \
                and any(m.kind == "Q" for m in members) \
                and (len(members) == 3 or members[-1].kind == "Q"):
            units: list[Unit | None] = [m.unit for m in members]
            # A bare side takes the unit written after it, else the one before it.
            for k in range(len(units) - 1, -1, -1):
                if units[k] is None:
                    units[k] = next((u for u in units[k + 1:] if u is not None), None)
            for k in range(len(units)):
                if units[k] is None:
                    units[k] = next((u for u in reversed(units[:k]) if u is not None), None)
            dims = [m.number * u.factor for m, u in zip(members, units)]  # type: ignore[union-attr]
            last_unit = next(u for u in reversed(units) if u is not None)
            return i + len(members) - 1, dims, last_unit  # type: ignore[return-value]
        members.pop()
    return None


def _range(low: _Tok, high: _Tok) -> tuple[float, float, Unit] | None:
    if high.kind == "Q":
        unit = high.unit
        assert unit is not None
        if unit.dimension in ("count",):
            return None
        if low.kind == "Q":
            if low.dimension != high.dimension:
                return None
            lo = low.base
        elif low.kind == "N" and not low.chinese:
            if unit.dimension == "data":
                return None  # iPhone 15-256GB: a model then a size, not a range
            lo = low.number * unit.factor
        else:
            return None
        hi = high.base
    elif low.kind == "CUR" and high.kind in ("N", "CUR"):
        unit = low.unit
        assert unit is not None
        if high.kind == "CUR" and high.unit != unit:
            return None
        lo, hi = low.number, high.number
    else:
        return None
    if lo > hi:
        return None
    return lo, hi, unit


def _data_pair(a: _Tok, b: _Tok, table: UnitTable) -> tuple[tuple[float, Unit, bool], tuple[float, Unit, bool]] | None:
    """8+256 (both bare), 8+128GB, 8+1TB, 12GB+256: RAM then storage, in bytes."""
    gb = table.units["GB"]
    if a.kind == "N" and b.kind == "N":
        if (not a.mult and not b.mult and a.integer and b.integer
                and a.number in _RAM_SIZES and b.number in _STORAGE_SIZES and a.number < b.number):
            return (a.number * gb.factor, gb, True), (b.number * gb.factor, gb, True)
        return None
    if a.kind == "N" and b.kind == "Q" and b.dimension == "data" and a.integer and not a.mult:
        unit = b.unit
        assert unit is not None
        a_unit = gb if unit.factor > gb.factor and a.number <= 64 else unit
        if a.number in _RAM_SIZES or a.number in _STORAGE_SIZES:
            return (a.number * a_unit.factor, a_unit, False), (b.base, unit, _amb(b))
    if a.kind == "Q" and a.dimension == "data" and b.kind == "N" and b.integer and not b.mult:
        unit = a.unit
        assert unit is not None
        if b.number in _STORAGE_SIZES and b.number > a.number:
            return (a.base, unit, _amb(a)), (b.number * unit.factor, unit, False)
    return None


def _single(text: str, scan: str, tok: _Tok, c: _Compiled) -> QuantityMention | None:
    if tok.kind in ("Q", "CUR"):
        unit = tok.unit
        assert unit is not None
        return _mention(text, scan, tok.start, tok.end, tok.base, None, unit, c, ambiguous=_amb(tok))
    if tok.kind == "C":
        unit = tok.unit
        assert unit is not None
        n = int(tok.number)
        return _mention(text, scan, tok.start, tok.end, float(n), None, unit, c, count=n)
    if tok.kind == "N" and tok.mult and tok.number >= 1e6:
        # 5000万三摄, 后置6400万: a resolution without 像素, only beside camera words.
        after = scan[tok.end:tok.end + 6].lstrip(_SPACES)
        before = scan[max(0, tok.start - 6):tok.start]
        if after.startswith(c.camera_after) or any(w in before for w in c.camera_before):
            return _mention(text, scan, tok.start, tok.end, tok.number, None, c.table.units["pixel"], c)
    return None


def _mention(text: str, scan: str, start: int, end: int, value: float, high: float | None, unit: Unit | None,
             c: _Compiled, *, per_unit: float | None = None, count: int | None = None, ambiguous: bool = False,
             dims: tuple[float, ...] = ()) -> QuantityMention:
    assert unit is not None
    approximate = False
    before = scan[max(0, start - 14):start]
    marker = c.approx_before.search(before) if c.approx_before is not None else None
    if marker is not None and not (marker.group(0).strip() == "~" and before[:marker.start()][-1:].isdigit()):
        approximate = True
    after = scan[end:end + 4].lstrip(_SPACES)
    if after.startswith(c.approx_after):
        approximate = True
    # ≤200g: an upper bound, the symbol is part of the mention.
    if high is None and per_unit is None and not dims:
        stripped = before.rstrip(_SPACES)
        if stripped.endswith(c.upper_symbols):  # one call for the usual "no symbol"
            for symbol in c.upper_symbols:
                if stripped.endswith(symbol):
                    start = start - (len(before) - len(stripped)) - len(symbol)
                    value, high = 0.0, value
                    break
    # The same object QuantityMention(...) builds, in a third of the time: a frozen dataclass's
    # __init__ sets each of the 12 fields with object.__setattr__, and this is one per mention.
    # (Fields in their declared order, so vars() reads the same; the class has no __post_init__.)
    mention = object.__new__(QuantityMention)
    mention.__dict__.update(
        value=_clean(value), high=_clean(high) if high is not None else None, unit=unit.name,
        dimension=unit.dimension, start=start, end=end, text=text[start:end],
        per_unit=_clean(per_unit) if per_unit is not None else None, count=count,
        approximate=approximate, ambiguous=ambiguous, dims=tuple(map(_clean, dims)) if dims else (),
    )
    return mention


def _clean(x: float) -> float:
    """Drop float noise from conversions (15.6 × 25.4 = 396.23999999999995 -> 396.24)."""
    if x == 0 or not math.isfinite(x):
        return x
    if x.is_integer() and abs(x) < 1e12:
        return x  # a whole number of at most 12 digits: "{:.12g}" prints it exactly (the usual case)
    return float(f"{x:.12g}")
