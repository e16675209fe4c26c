"""`terms`: words and phrases a listing must not use.

    - id: cn-ad-law/absolute-terms
      kind: terms
      category: prohibited-claim
      severity: error
      fields: [title, description]
      terms: [最佳, 第一, {term: 国家级, suggest: 删除或改为有据可查的事实}]
      exceptions: [第一次, 最佳赏味期]
      tolerate_separators: true      # also catches 最 佳, 最-佳, 最😊佳
      message: {en: "Absolute term '{match}'", zh: "绝对化用语“{match}”"}

    FAIL: 全网最佳保温杯        PASS: 最佳赏味期 30 天

Matching is CJK-aware: Han terms match anywhere (Chinese has no word boundaries); a term that
starts or ends with an ASCII letter or digit needs a boundary there, so `best` does not match
`bestseller` and `#1` does not match `#10`. Case and full width are folded. Every term of every
rule on a field goes into one Aho-Corasick automaton, so a field is scanned once however many
rules there are.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from listcheck.checks.base import Batch, CheckKind, Hit
from listcheck.model import Product
from listcheck.text.fields import iter_texts
from listcheck.text.keywords import Keywords
from listcheck.text.normalize import fold, is_latin_word_char, kept_positions, squeeze, squeeze_text


class TermEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str = Field(min_length=1)
    suggest: Optional[str] = None


class TermsParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    terms: list[Union[str, TermEntry]] = Field(min_length=1)
    exceptions: list[str] = Field(default_factory=list)
    tolerate_separators: bool = False

    @field_validator("terms")
    @classmethod
    def _terms_not_blank(cls, terms: list) -> list:
        for entry in terms:
            text = entry if isinstance(entry, str) else entry.term
            if not squeeze(fold(text))[0]:
                raise ValueError(f"term {text!r} is empty once spaces and punctuation are removed")
        return terms


_TERM, _EXCEPTION = 0, 1


class TermsKind(CheckKind):
    name = "terms"
    Params = TermsParams

    def entries(self) -> list[tuple[str, Optional[str]]]:
        params: TermsParams = self.params  # type: ignore[assignment]
        return [
            (entry, None) if isinstance(entry, str) else (entry.term, entry.suggest)
            for entry in params.terms
        ]

    def check(self, product: Product) -> Iterator[Hit]:
        # One rule alone (e.g. `rules test`) goes through the same batch code as many.
        batch = TermsBatch([self])
        for _, hit in batch.run(product, [0]):
            yield hit

    @classmethod
    def batch(cls, checks: list[CheckKind]) -> "TermsBatch":
        return TermsBatch(checks)  # type: ignore[arg-type]


class _FieldAutomata:
    """The automata for one field path: plain folded text, and squeezed (separators removed)."""

    def __init__(self) -> None:
        self.plain: Keywords = Keywords(())
        self.squeezed: Keywords = Keywords(())
        self.plain_words: dict[str, list] = defaultdict(list)
        self.squeezed_words: dict[str, list] = defaultdict(list)
        self.checks: set[int] = set()
        self.squeeze_checks: set[int] = set()

    def add(self, index: int, text: str, role: int, suggest: Optional[str], squeezed: bool) -> None:
        folded = fold(text)
        boundary = (is_latin_word_char(folded[0]), is_latin_word_char(folded[-1]))
        payload = (index, role, text, suggest, boundary)
        self.plain_words[folded].append(payload)
        self.checks.add(index)
        if squeezed:
            key = squeeze(folded)[0]
            if key:
                self.squeezed_words[key].append(payload)
                self.squeeze_checks.add(index)

    def build(self) -> None:
        self.plain = Keywords((key, tuple(payloads)) for key, payloads in self.plain_words.items())
        self.squeezed = Keywords((key, tuple(payloads)) for key, payloads in self.squeezed_words.items())


class TermsBatch(Batch):
    def __init__(self, checks: list[TermsKind]) -> None:
        self.checks = checks
        self.fields: dict[str, _FieldAutomata] = {}
        for index, check in enumerate(checks):
            params: TermsParams = check.params  # type: ignore[assignment]
            for path in check.fields:
                automata = self.fields.get(path)
                if automata is None:
                    automata = self.fields[path] = _FieldAutomata()
                for term, suggest in check.entries():
                    automata.add(index, term, _TERM, suggest, params.tolerate_separators)
                for exception in params.exceptions:
                    automata.add(index, exception, _EXCEPTION, None, params.tolerate_separators)
        for automata in self.fields.values():
            automata.build()

    def run(self, product: Product, active: Iterable[int]) -> Iterator[tuple[int, Hit]]:
        active_set = set(active)
        max_chars = self.checks[0].limits.max_field_chars if self.checks else 0
        for path, automata in self.fields.items():
            if not (automata.checks & active_set):
                continue
            for label, text in iter_texts(product, path):
                text = text[:max_chars]
                yield from self._scan(label, text, automata, active_set)

    def _scan(
        self, label: str, text: str, automata: _FieldAutomata, active: set[int]
    ) -> Iterator[tuple[int, Hit]]:
        folded = fold(text)
        # index -> list of (start, end, term, suggest) / exception spans
        terms: dict[int, list[tuple[int, int, str, Optional[str]]]] = defaultdict(list)
        exceptions: dict[int, list[tuple[int, int]]] = defaultdict(list)

        def collect(start: int, end: int, payloads: tuple) -> None:
            for index, role, term, suggest, (left_edge, right_edge) in payloads:
                if index not in active:
                    continue
                if left_edge and start > 0 and is_latin_word_char(folded[start - 1]):
                    continue
                if right_edge and end < len(folded) and is_latin_word_char(folded[end]):
                    continue
                if role == _TERM:
                    terms[index].append((start, end, term, suggest))
                else:
                    exceptions[index].append((start, end))

        plain = automata.plain.payloads
        for key, start, end in automata.plain.find(folded):
            collect(start, end, plain[key])
        if automata.squeeze_checks & active and automata.squeezed_words:
            squeezed = automata.squeezed.payloads
            positions: list[int] = []  # computed on the first hit only: most texts have none
            for key, first, last in automata.squeezed.find(squeeze_text(folded)):
                if not positions:
                    positions = kept_positions(folded)
                start, end = positions[first], positions[last - 1] + 1
                if end - start == last - first:
                    continue  # nothing was inserted: the plain scan already saw it
                collect(start, end, squeezed[key])

        for index in sorted(terms):
            spans = exceptions.get(index, [])
            kept: list[tuple[int, int]] = []
            # Longest first at each start, so 最佳 wins over 最 and nested hits are dropped.
            for start, end, term, suggest in sorted(terms[index], key=lambda h: (h[0], h[0] - h[1])):
                if any(s <= start and end <= e for s, e in spans):
                    continue
                if any(s <= start and end <= e for s, e in kept):
                    continue
                kept.append((start, end))
                yield index, Hit(
                    field=label,
                    match=text[start:end],
                    start=start,
                    end=end,
                    text=text,
                    values={"term": term, "suggestion": suggest or ""},
                )
