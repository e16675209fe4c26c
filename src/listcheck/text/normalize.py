"""Normalisation for matching, with a way back to the original characters.

`fold` keeps one output character per input character, so an offset in the folded text is
the same offset in the original: findings point at the exact characters the user wrote.
`squeeze` drops the separators people insert to dodge filters (最 佳, 最-佳, 最😊佳) and keeps
the original index of every character it keeps.
"""

from __future__ import annotations

import re
import unicodedata

import regex
from functools import lru_cache

# Full-width ASCII (U+FF01..U+FF5E) to ASCII, the ideographic space to a space. Width only:
# NFKC would also rewrite ①, ½ and superscripts, which changes what a listing says.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20
# str.translate looks up every character of a non-ASCII text in the table (about 50 ns each);
# most Chinese listings have no full-width character at all, and this scan finds that first.
_WIDE = regex.compile("[\u3000\uff01-\uff5e]")


@lru_cache(maxsize=1)
def _han_variants() -> tuple[dict[int, int], "re.Pattern[str]"]:
    """Traditional -> simplified and financial / circled numerals -> 一二三 (rules/vocab/
    han-variants.yaml, written from OpenCC by tools/han_variants.py): a table and a pattern
    that finds whether a text holds any of its characters. Loaded on the first Han text."""
    from listcheck.vocab import load_vocab

    pairs = (load_vocab("han-variants") or {}).get("chars", "").split()
    table = {ord(pair[0]): ord(pair[1]) for pair in pairs if len(pair) == 2}
    # The standard library's engine, not `regex`: it turns a class of 3,800 characters into a
    # bitmap and finds one in a listing in under a microsecond; `regex` takes 200 µs.
    chars = "".join(re.escape(chr(code)) for code in table)
    return table, re.compile(f"[{chars}]" if chars else r"(?!)")


@lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """Fold width, case, traditional characters (國家級 -> 国家级) and numerals written another
    way (第① / 第壹 -> 第一), one character for one character.

    Memoised: several rules fold the same field of the same product (a str hashes once)."""
    if not text.isascii():
        if _WIDE.search(text) is not None:
            text = text.translate(_WIDTH_TABLE)
        han_table, han_chars = _han_variants()
        if han_chars.search(text) is not None:
            text = text.translate(han_table)
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    # A few characters lower-case to two (İ -> i̇); keep those as they are so offsets hold.
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


@lru_cache(maxsize=4096)
def is_separator(ch: str) -> bool:
    """Characters that may be inserted between the characters of a term to dodge a filter."""
    if ch.isspace():
        return True
    cat = unicodedata.category(ch)
    # P*: punctuation; S*: symbols and emoji; Cf: zero-width and other format characters.
    return cat[0] in "PS" or cat == "Cf" or cat == "Mn" and ch in "\u20e3\ufe0f"


# The same classes as is_separator, for the C regex engine: white space, punctuation, symbols
# (emoji included), format characters, the combining keycap and variation selector.
_SEPARATORS = regex.compile(r"[\s\p{P}\p{S}\p{Cf}\u20e3\ufe0f]+")
_KEPT = regex.compile(r"[^\s\p{P}\p{S}\p{Cf}\u20e3\ufe0f]")


# The ASCII separators, for str.translate: on an all-ASCII text (most English listings) it drops
# them about eight times faster than the regex, with the same result.
_ASCII_SEPARATORS = {code: None for code in range(128) if _SEPARATORS.fullmatch(chr(code))}


def squeeze_text(folded: str) -> str:
    """The text with separators dropped (no offsets: see `kept_positions`)."""
    if folded.isascii():
        return folded.translate(_ASCII_SEPARATORS)
    return _SEPARATORS.sub("", folded)


def kept_positions(folded: str) -> list[int]:
    """Per character of `squeeze_text(folded)`, its index in `folded`."""
    return [found.start() for found in _KEPT.finditer(folded)]


def squeeze(folded: str) -> tuple[str, list[int]]:
    """Drop separators; return the squeezed text and, per kept character, its original index."""
    return squeeze_text(folded), kept_positions(folded)


def is_latin_word_char(ch: str) -> bool:
    """ASCII letters and digits: where a Latin term needs a boundary (Han text needs none)."""
    return ch.isascii() and ch.isalnum()


def context_window(text: str, start: int, end: int, width: int = 40) -> tuple[str, int, int]:
    """A window of `text` around [start, end): (window, start in window, end in window)."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    window = text[left:right]
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    window = " ".join(window.split("\n"))
    return prefix + window + suffix, start - left + len(prefix), end - left + len(prefix)
