"""`superlative`: 最 with any word, not only a list of 最 words.

    - id: cn-ad-law/most-plus-any-word
      kind: superlative
      degree: 最
      not_claims: [最近, 最新, 最后, 最重要]     # time, order and discourse: nothing about the goods
      measures: [最高, 最大, 最低, 最快]          # a parameter's bound (最高转速 6000 转) is a fact
      exceptions: [最好在, 最佳赏味期]

    FAIL: 最舒适的记忆棉枕头   最顺滑的中性笔   夏季最透气跑步鞋
    PASS: 最近上新   最高转速 6000 转   最大容量 5L   开封后最好在 3 天内吃完

SAMR's guide on absolute terms (2023) reads 最 with any adjective about the goods as the same
meaning as 最佳 (Ad Law Art.9(3)); a list of 最 words misses 最舒适, 最顺滑 and every word
sellers coin next. The text around each 最 is cut into words (text.segment, jieba-rs), and the
word it starts — 最美 — or 最 with the word after it — 最 / 舒适 — is the claim, unless it is a
word of time, order or discourse (`not_claims`), or a measure (`measures`: 最高, 最大 …)
followed by what it measures or a number, which the guide allows as a technical parameter;
a measure at the end of its statement or before 的 (价格最低, 最大的品牌) is still a claim.
Only texts holding the degree word are segmented.
"""

from __future__ import annotations

from typing import ClassVar, Iterator, Sequence

from pydantic import BaseModel, ConfigDict, Field

from listcheck.checks.base import CheckKind, Hit
from listcheck.model import Product
from listcheck.text import segment
from listcheck.text.clauses import statement_start
from listcheck.text.fields import iter_texts
from listcheck.text.normalize import fold
from listcheck.text.allowances import allowed_names

# What ends a statement after a measure: a claim (价格最低。), not a parameter (最低 -10℃).
_STATEMENT_END = set(",;!?。！？、\n)]】")


class SuperlativeParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    degree: str = Field(default="最", min_length=1)
    not_claims: list[str] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)


class SuperlativeKind(CheckKind):
    name = "superlative"
    Params = SuperlativeParams
    message_values = ("term", "suggestion")
    default_fields: ClassVar[Sequence[str]] = ("title", "description", "bullets")

    def __init__(self, rule, params, *args, **kwargs) -> None:
        super().__init__(rule, params, *args, **kwargs)
        p: SuperlativeParams = self.params  # type: ignore[assignment]
        self.degree = fold(p.degree)
        self.not_claims = frozenset(fold(word) for word in p.not_claims)
        self.measures = frozenset(fold(word) for word in p.measures)
        # Trademarks and product names holding the degree word (最生活) are no claims.
        self.exceptions = [fold(word) for word in p.exceptions] + allowed_names([self.degree])

    def check(self, product: Product) -> Iterator[Hit]:
        for path in self.fields:
            for label, text in iter_texts(product, path):
                text = text[: self.limits.max_field_chars]
                folded = fold(text)
                if self.degree not in folded:
                    continue  # most texts: nothing to segment
                for start, end in self._claims(folded):
                    yield Hit(field=label, match=text[start:end], start=start, end=end, text=text,
                              values={"term": folded[start:end], "suggestion": ""})
                    break  # one finding per field is enough to act on

    def _claims(self, folded: str) -> Iterator[tuple[int, int]]:
        excepted = [(at, at + len(word)) for word in self.exceptions for at in _all(folded, word)]
        for at in _all(folded, self.degree):
            begin = statement_start(folded, at, 40)
            stop = min(len(folded), at + 24)
            tokens = segment.words(folded[begin:stop])
            span = self._claim_at(tokens, at - begin)
            if span is None:
                continue
            start, end = begin + span[0], begin + span[1]
            if any(start < e and s < end for s, e in excepted):
                continue
            word = folded[start:end]
            if word in self.not_claims:
                continue
            if word in self.measures and not self._ends_statement(folded, end):
                continue  # 最高转速 6000 转, 最大容量 5L: a parameter's bound
            yield start, end

    def _claim_at(self, tokens: tuple[tuple[str, int, int], ...], at: int) -> tuple[int, int] | None:
        """The span of the superlative starting at `at`: the word 最美, or 最 with the next word."""
        for index, (word, start, end) in enumerate(tokens):
            if start != at:
                continue
            if word != self.degree:
                return (start, end) if word.startswith(self.degree) else None
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is None or following[1] != end or not _is_han(following[0]):
                return None  # 最 alone, before a space, a number or Latin: nothing to read
            return start, following[2]
        return None

    @staticmethod
    def _ends_statement(folded: str, end: int) -> bool:
        rest = folded[end:].lstrip(" ")
        return not rest or rest[0] in _STATEMENT_END or rest.startswith("的")


def _all(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at != -1:
        yield at
        at = text.find(word, at + 1)


def _is_han(word: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in word)
