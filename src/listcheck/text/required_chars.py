"""A cheap gate in front of a regular expression: characters one of which every match contains.

Most listings contain none of what a claim pattern looks for (`专利`, `好评率…%`, `ZL\\s*\\d{4}`),
yet a `regex` search with a time budget walks the whole text to find that out — several
microseconds on a long description, for each pattern and field. `gate(pattern)` reads the
pattern's syntax tree and returns a search for a set of characters such that any match must
contain at least one of them (for `专利`: 专 or 利); a text without any of them cannot match, so
the regex is not run. The test is one C-level character-class scan.

The analysis is conservative: whatever it does not understand — a construct that may match
without any particular character (`\\d`, `.`, a negated class, an optional group), syntax
only the `regex` module has, case-insensitive letters — gives no gate, and the pattern runs as
before. Common characters (ASCII letters, digits, white space) make no gate either: they are
in nearly every text, so the gate would only add a scan.

A gated pattern is not run on a text without its characters, so a pattern that would
backtrack catastrophically there costs nothing instead of a `rule-timeout` warning.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from functools import lru_cache
from typing import Any, Callable, Optional

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

Gate = Callable[[str], Any]

# Larger character classes are not worth enumerating (and would hardly filter anything).
_MAX_CLASS = 256
# Syntax the `regex` module reads differently from `re`, which parses it without complaint: a
# POSIX class `[[:alpha:]]`. (Braces that `re` takes literally, such as fuzzy matching
# `(?:x){e<=1}` or a repeat written `{0, 2}` in verbose mode, are caught in the parse tree.)
_REGEX_ONLY = re.compile(r"\[:\^?[A-Za-z]+:\]")
_OPEN_BRACE = ord("{")

_LITERAL = sre_constants.LITERAL
_IN = sre_constants.IN
_RANGE = sre_constants.RANGE
_BRANCH = sre_constants.BRANCH
_SUBPATTERN = sre_constants.SUBPATTERN
_REPEATS = tuple(
    getattr(sre_constants, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(sre_constants, name)
)
_ATOMIC_GROUP = getattr(sre_constants, "ATOMIC_GROUP", None)


@lru_cache(maxsize=4096)
def required_chars(pattern: str, ignore_case: bool = False) -> Optional[frozenset[str]]:
    """Characters one of which every match of `pattern` contains, or None when no such set is
    known (or it would not filter: it holds an ASCII letter, digit or white space)."""
    if _REGEX_ONLY.search(pattern):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "possible nested set" and the like: not re's reading
            parsed = sre_parse.parse(pattern)
    except Exception:  # re cannot read it (regex-only syntax) or refuses it: no gate
        return None
    ignore_case = ignore_case or bool(parsed.state.flags & re.IGNORECASE)
    try:
        chars = _sequence(list(parsed), ignore_case)
    except _NoGate:
        return None
    if not chars or _common(chars):
        return None
    return chars


class _NoGate(Exception):
    """The pattern holds something `re` and `regex` may read differently."""


def gate(pattern: str, ignore_case: bool = False) -> Optional[Gate]:
    """A function that finds any of `required_chars(pattern)` in a text (None: cannot match),
    or None when the pattern has no such characters and must always be run."""
    chars = required_chars(pattern, ignore_case)
    if chars is None:
        return None
    scan = re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]").search
    ascii_chars = tuple(sorted(c for c in chars if c.isascii()))

    def found(text: str) -> Any:
        # An all-ASCII text (most listings outside CJK markets; isascii() reads a flag, not the
        # text) can hold only the set's ASCII characters: `in` finds one several times faster
        # than the class scan (`%` of `[%％有好…]`), and a set without any cannot be met at all.
        if not text.isascii():
            return scan(text)
        for char in ascii_chars:
            if char in text:
                return char
        return None

    return found


def _sequence(items: list[Any], ignore_case: bool) -> Optional[frozenset[str]]:
    """A match of a sequence contains a match of each item: the most selective item's set."""
    best: Optional[frozenset[str]] = None
    for op, arg in items:
        chars = _item(op, arg, ignore_case)
        if chars is not None and (best is None or _rank(chars) < _rank(best)):
            best = chars
    return best


def _rank(chars: frozenset[str]) -> tuple[bool, int]:
    return _common(chars), len(chars)


def _common(chars: frozenset[str]) -> bool:
    """Holds a character found in nearly every text: an ASCII letter, digit or white space."""
    return any(c.isascii() and (c.isalnum() or c.isspace()) for c in chars)


def _item(op: Any, arg: Any, ignore_case: bool) -> Optional[frozenset[str]]:
    if op is _LITERAL:
        if arg == _OPEN_BRACE:
            # A brace `re` reads as a character may be a repeat or fuzzy matching to `regex`.
            raise _NoGate
        return _caseless(frozenset((chr(arg),)), ignore_case)
    if op is _IN:
        return _caseless(_class(arg), ignore_case)
    if op is _BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            chars = _sequence(list(alternative), ignore_case)
            if chars is None:
                return None  # one alternative can match without any known character
            union |= chars
        return frozenset(union)
    if op is _SUBPATTERN:
        add_flags = arg[1]
        return _sequence(list(arg[-1]), ignore_case or bool(add_flags & re.IGNORECASE))
    if op in _REPEATS:
        low, _high, body = arg
        return _sequence(list(body), ignore_case) if low >= 1 else None
    if _ATOMIC_GROUP is not None and op is _ATOMIC_GROUP:
        return _sequence(list(arg), ignore_case)
    # ANY, NOT_LITERAL, AT (anchors), lookarounds, back-references, categories: no one character.
    return None


def _class(items: list[Any]) -> Optional[frozenset[str]]:
    chars: set[str] = set()
    for op, arg in items:
        if op is _LITERAL:
            chars.add(chr(arg))
        elif op is _RANGE:
            low, high = arg
            if high - low >= _MAX_CLASS:
                return None
            chars.update(chr(code) for code in range(low, high + 1))
        else:  # NEGATE, CATEGORY (\d, \w inside a class): not a finite set worth listing
            return None
        if len(chars) > _MAX_CLASS:
            return None
    return frozenset(chars)


def _caseless(chars: Optional[frozenset[str]], ignore_case: bool) -> Optional[frozenset[str]]:
    """Under case-insensitive matching only characters without case stand for themselves. A
    character unassigned in Python's Unicode tables may have case in the newer tables of the
    `regex` module, so it counts as having case."""
    if chars is None or not ignore_case:
        return chars
    if all(c.lower() == c == c.upper() and c.casefold() == c and unicodedata.category(c) != "Cn" for c in chars):
        return chars
    return None
