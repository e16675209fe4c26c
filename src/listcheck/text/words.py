"""Words in a window of folded text, as whole words.

The checks look for short qualifier words beside an amount or a value: "net" before a weight,
"text" after a colour, "under" before a price. As bare substrings they fire inside other words —
"net" in "internet", "text" in "textured", "under" in "underwear", "light" in "lightweight" — and
a colour, a weight or a price that is plainly the product's is dropped. A word that begins or
ends with a Latin letter or digit therefore needs a boundary there; Han text needs none, and a
word that ends with a space or a sign ("in ", "/pcs") carries its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from listcheck.text.normalize import is_latin_word_char


def _ends_clean(window: str, start: int, end: int, word: str) -> bool:
    if is_latin_word_char(word[0]) and start > 0 and is_latin_word_char(window[start - 1]):
        return False
    return not (is_latin_word_char(word[-1]) and end < len(window) and is_latin_word_char(window[end]))


def find_word(window: str, word: str) -> int:
    """The last offset where `word` stands in `window` as a whole word, or -1."""
    at = window.rfind(word)
    while at != -1:
        if _ends_clean(window, at, at + len(word), word):
            return at
        at = window.rfind(word, 0, at + len(word) - 1)
    return -1


def has_word(window: str, word: str) -> bool:
    return bool(word) and find_word(window, word) != -1


def any_word(words: Iterable[str], window: str) -> bool:
    """Does any of `words` stand in `window` as a whole word?"""
    return any(has_word(window, word) for word in words)


def starts_with_word(window: str, word: str) -> bool:
    """Does `window` open with `word`, ending where a word ends ("text" does not open "textured")?"""
    return bool(word) and window.startswith(word) and _ends_clean(window, 0, len(word), word)


def any_leading(words: Iterable[str], window: str) -> bool:
    """Does `window` open with any of `words` as a whole word?"""
    return any(starts_with_word(window, word) for word in words)
