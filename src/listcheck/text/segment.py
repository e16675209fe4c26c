"""Chinese word boundaries, for a Han term that must stand as a word.

Chinese has no spaces, so a term matches inside other words: 美白 ("whitening") in 完美白瓷
("flawless white porcelain"), 极品 in 南极品牌. A term marked `boundary: word` is kept only
where a word segmenter starts a word with it and ends one with it or with the word it heads
(防晒 in 防晒霜).

The segmenter is jieba-rs (`rjieba`): jieba's dictionary and HMM, in Rust — about a
microsecond for a listing's clause, where Python's jieba takes tens. Its dictionary takes
about 0.1 s to load, so it is loaded on the first match of such a term, not at start-up: a
run whose texts never hold one never pays for it. The terms themselves join the dictionary
with a high frequency (else 美白牙贴 reads 美 / 白牙 / 贴), and so do the domain words of
rules/vocab/han-words.yaml (brands and product words a term can hide in: 南极人, 白瓷).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

import regex

# A term's frequency in the segmenter's dictionary: above any ordinary word it overlaps
# (完美 is 1,510 in jieba's dictionary, 白牙 about 20), so it is cut as one word where it can be.
_TERM_FREQUENCY = 20000
# How far around a match the text is segmented: a clause of Han characters is enough context.
_REACH = 24
_HAN_RUN = regex.compile(r"\p{Han}+")

_terms: set[str] = set()
_segmenter: Any = None


def add_terms(terms: Iterable[str]) -> None:
    """Register terms that must stand as words (called when the rules are built)."""
    global _segmenter
    new = {term for term in terms if term not in _terms}
    _terms.update(new)
    if _segmenter is not None and new:
        for term in new:
            _segmenter.add_word(term, _TERM_FREQUENCY, None)
        _words.cache_clear()


def _load() -> Any:
    global _segmenter
    if _segmenter is None:
        # rjieba builds its default segmenter when it is imported (about 0.1 s and 25 MB):
        # that one is used, through the module's public functions, rather than a second. The
        # words added here (terms, rules/vocab/han-words.yaml) join that process-wide
        # dictionary, which only makes them cut as words for any other caller too.
        import rjieba

        from listcheck.vocab import load_vocab

        for entry in (load_vocab("han-words") or {}).get("words", []):
            word, _, freq = str(entry).partition(" ")
            rjieba.add_word(word, int(freq) if freq else None, None)
        for term in _terms:
            rjieba.add_word(term, _TERM_FREQUENCY, None)
        _segmenter = rjieba
    return _segmenter


@lru_cache(maxsize=4096)
def _words(run: str) -> tuple[dict[int, int], frozenset[int]]:
    """Where each word of `run` starts -> where it ends, and every cut."""
    tokens = _load().tokenize(run)
    return {start: end for _, start, end in tokens}, frozenset(end for _, _, end in tokens) | {0}


def stands_as_word(folded: str, start: int, end: int) -> bool:
    """Does folded[start:end] begin a word and end one — or begin a word it is the head of
    (防晒 in 防晒霜, 染发 in 染发剂)? 美白 in 完美白瓷 does not: the segmenter cuts 完美 / 白瓷.
    A side that is not Han (a space, a digit, Latin) is a boundary."""
    left = max(0, start - _REACH)
    right = min(len(folded), end + _REACH)
    for found in _HAN_RUN.finditer(folded, left, right):
        if found.start() <= start and end <= found.end():
            run_start, run_end = found.start(), found.end()
            break
    else:
        return True  # the term itself is not all Han: its edges are boundaries enough
    word_end, cuts = _words(folded[run_start:run_end])
    first = word_end.get(start - run_start)
    if first is None:
        return False  # the term starts inside a word
    return first >= end - run_start or (end - run_start) in cuts


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[tuple[str, int, int], ...]:
    """The words of `text` as the segmenter cuts them: (word, start, end)."""
    return tuple(_load().tokenize(text))
