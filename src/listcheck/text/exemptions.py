"""Sentences in which an absolute term is lawful (SAMR's 2023 guide, Art.6): a comparison of
the seller's own goods, a dated and sourced sales fact. The patterns are data, in
rules/vocab/claim-exemptions.yaml; a rule names the ones it honours (`exempt:`).

    这是本品牌保温杯系列中容量最大的一款     -> self-comparison: no claim
    2023年度天猫吹风机类目销量第一（数据来源：生意参谋） -> dated-fact: no claim
    本店最低价 / 销量第一                     -> still claims
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Sequence

from listcheck.text.normalize import fold

# What ends a sentence: a hit's exemption is looked for between these, not across them.
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def exemption_names() -> list[str]:
    from listcheck.vocab import load_vocab

    return sorted(((load_vocab("claim-exemptions") or {}).get("exemptions") or {}))


@lru_cache(maxsize=None)
def _compiled(names: tuple[str, ...]) -> Optional[re.Pattern[str]]:
    from listcheck.vocab import load_vocab

    table = (load_vocab("claim-exemptions") or {}).get("exemptions") or {}
    patterns = [pattern for name in names for pattern in table[name]["patterns"]]
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns)) if patterns else None


class Exemptions:
    def __init__(self, names: Sequence[str]) -> None:
        self.pattern = _compiled(tuple(names))

    def __bool__(self) -> bool:
        return self.pattern is not None

    def cover(self, text: str, start: int, end: int) -> bool:
        """Does the sentence of `text` holding [start, end) match an exemption?"""
        if self.pattern is None:
            return False
        begin = 0
        for match in _SENTENCE_END.finditer(text, 0, start):
            begin = match.end()
        stop = _SENTENCE_END.search(text, end)
        return bool(self.pattern.search(fold(text[begin: stop.start() if stop else len(text)])))
