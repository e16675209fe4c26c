"""Words in a window of folded text, as whole words.

The checks look for short qualifier words beside an amount or a value: "net" before a weight,
"text" after a colour, "under" before a price. As bare substrings they fire inside other words —
"net" in "internet", "text" in "textured", "under" in "underwear", "light" in "lightweight" — and
a colour, a weight or a price that is plainly the product's is dropped. A word that begins or
ends with a Latin letter or digit therefore needs a boundary there; Han text needs none, and a
word that ends with a space or a sign ("in ", "/pcs") carries its own.

A check's list of words is compiled once into one expression (`WordSet`): the windows are
searched once per mention, not once per word. It is compiled on its first search, and the same
list (several rules share their avoid words) only once: a one-product run loads 170 of them and
searches few.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property, lru_cache
from typing import Optional

from listcheck.text.normalize import is_latin_word_char

_BEFORE = r"(?<![A-Za-z0-9])"
_AFTER = r"(?![A-Za-z0-9])"


def _alternative(word: str) -> str:
    left = _BEFORE if is_latin_word_char(word[0]) else ""
    right = _AFTER if is_latin_word_char(word[-1]) else ""
    return left + re.escape(word) + right


@lru_cache(maxsize=None)
def _compile(words: tuple[str, ...]) -> Optional[re.Pattern[str]]:
    # Longest first, so "net weight" is tried before "net" at the same place.
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(_alternative(word) for word in ordered)) if ordered else None


class WordSet:
    """Words to find as whole words; empty words are ignored. The standard library's engine:
    these are plain alternations, which it runs fastest."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(dict.fromkeys(word for word in words if word))

    @cached_property
    def _pattern(self) -> Optional[re.Pattern[str]]:
        return _compile(self.words)

    def __bool__(self) -> bool:
        return bool(self.words)

    def __add__(self, other: "WordSet") -> "WordSet":
        return WordSet(self.words + other.words)

    def search(self, window: str) -> bool:
        """Does any word stand in `window` as a whole word?"""
        return self._pattern is not None and self._pattern.search(window) is not None

    def leading(self, window: str) -> bool:
        """Does `window` open with one of the words ("text" does not open "textured")?"""
        return self._pattern is not None and self._pattern.match(window) is not None

    def last(self, window: str) -> int:
        """Where the last word found in `window` starts, or -1."""
        found: Optional[re.Match[str]] = None
        if self._pattern is not None:
            for found in self._pattern.finditer(window):
                pass
        return found.start() if found is not None else -1
