"""The clause around a mention: the stretch of a listing one statement occupies.

Listings string statements together with commas and brackets ("2.5k高清屏，120Hz高刷新率（可选），
RTX2050独显（可选）", "查看ThinkBook14+新品仅5499元》"). A word that qualifies a whole statement
(可选 "optional", 查看 "see the other product") may stand anywhere in it, so checks look for such
words in the clause rather than in a fixed number of characters beside the amount.

Works on folded text (`normalize.fold`), where full-width punctuation is already ASCII.
"""

from __future__ import annotations

import re

from listcheck.text.words import WordSet

# What ends a statement. An opening bracket ends the clause before it but not the one it
# follows: "120Hz高刷新率(可选)" — the bracket qualifies what stands before it.
_BEFORE = re.compile(r"[,;!?。！？【】\[\]()《》<>|\n]")
_AFTER = re.compile(r"[,;!?。！？【】\[\]《》<>|\n)]")
# What ends a sentence or a list item; brackets do not ("净含量(g): 500g" is one statement).
_STATEMENT_END = re.compile(r"[,;!?。！？\n]")
# A comma inside a number (1,299) separates nothing.
_NUMBER_COMMA = re.compile(r"(?<=\d),(?=\d)")


def clause_around(folded: str, start: int, end: int, reach: int = 60) -> str:
    """The clause holding folded[start:end], at most `reach` characters either side."""
    left = folded[max(0, start - reach): start]
    right = folded[end: end + reach]
    cut = None
    for match in _BEFORE.finditer(left):
        if not _NUMBER_COMMA.match(left, match.start()):
            cut = match.end()
    if cut is not None:
        left = left[cut:]
    for match in _AFTER.finditer(right):
        if not _NUMBER_COMMA.match(right, match.start()):
            right = right[: match.start()]
            break
    return left + folded[start:end] + right


def statement_start(folded: str, start: int, reach: int = 60) -> int:
    """Where the statement holding `start` begins (an offset into folded): after the last
    comma, semicolon or full stop before it, brackets aside."""
    begin = max(0, start - reach)
    cut = begin
    for match in _STATEMENT_END.finditer(folded, begin, start):
        if not _NUMBER_COMMA.match(folded, match.start()):
            cut = match.end()
    return cut


def any_in_clause(words: WordSet, folded: str, start: int, end: int) -> bool:
    return bool(words) and words.search(clause_around(folded, start, end))
