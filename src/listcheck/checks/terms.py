"""`terms`: words and phrases a listing must not use.

    - id: cn-ad-law/absolute-terms
      kind: terms
      category: prohibited-claim
      severity: error
      fields: [title, description]
      terms: [最佳, 第一, {term: 国家级, suggest: 删除或改为有据可查的事实}]
      exceptions: [第一次, 最佳赏味期]
      tolerate_separators: true      # also catches 最 佳, 最-佳, 最😊佳 (not across ，。；)
      boundary: word                 # a Han term only where it stands as a word (per term too)
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
from typing import Iterable, Iterator, Literal, NamedTuple, Optional, Union

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from listcheck.checks.base import Batch, CheckKind, Hit
from listcheck.model import Product
from listcheck.text import segment
from listcheck.text.fields import iter_texts
from listcheck.text.keywords import Keywords
from listcheck.text.normalize import fold, is_latin_word_char, kept_positions, squeeze, squeeze_text
from listcheck.text.allowances import allowed_names


class TermEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str = Field(min_length=1)
    suggest: Optional[str] = None
    # `word`: a Han term counts only where it stands as a word (美白 in 美白精华, not in
    # 完美白瓷); `anywhere`: wherever its characters stand. Unset: the rule's `boundary`.
    boundary: Optional[Literal["word", "anywhere"]] = None


class TermsParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    terms: list[Union[str, TermEntry]] = Field(min_length=1)
    exceptions: list[str] = Field(default_factory=list)
    tolerate_separators: bool = False
    boundary: Literal["word", "anywhere"] = "anywhere"

    @field_validator("terms", "exceptions")
    @classmethod
    def _terms_not_blank(cls, terms: list, info: ValidationInfo) -> list:
        # An empty term would match everywhere (and an empty exception crashed the automaton).
        what = "term" if info.field_name == "terms" else "exception"
        for entry in terms:
            text = entry if isinstance(entry, str) else entry.term
            if not squeeze(fold(text))[0]:
                raise ValueError(f"{what} {text!r} is empty once spaces and punctuation are removed")
        return terms


_TERM, _EXCEPTION = 0, 1
# Punctuation that ends a statement: a term spread across it is two statements, not an
# evasion (最-佳 and 最 佳 are evasions; 南极，品牌 is not 极品). Folded text: ，→ , already.
_CLAUSE_BREAK = regex.compile(r"[,;!?。！？、;\n]")


class TermsKind(CheckKind):
    name = "terms"
    Params = TermsParams
    message_values = ("term", "suggestion")

    def entries(self) -> list[tuple[str, Optional[str]]]:
        return [(term, suggest) for term, suggest, _ in self.terms()]

    def terms(self) -> list[tuple[str, Optional[str], bool]]:
        """(term, suggestion, must it stand as a word) per term of the rule."""
        params: TermsParams = self.params  # type: ignore[assignment]
        return [
            (entry, None, params.boundary == "word") if isinstance(entry, str)
            else (entry.term, entry.suggest, (entry.boundary or params.boundary) == "word")
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
        # Rules with a squeezed term or exception made of ASCII only: the only ones the squeezed
        # scan of an ASCII text can find anything for.
        self.ascii_squeeze_checks: set[int] = set()

    def add(self, index: int, text: str, role: int, suggest: Optional[str], squeezed: bool, word: bool = False) -> None:
        folded = fold(text)
        boundary = (is_latin_word_char(folded[0]), is_latin_word_char(folded[-1]))
        if word:
            segment.add_terms([folded])
        payload = (index, role, text, suggest, boundary, word)
        self.plain_words[folded].append(payload)
        self.checks.add(index)
        if squeezed:
            key = squeeze(folded)[0]
            if key:
                self.squeezed_words[key].append(payload)
                self.squeeze_checks.add(index)
                if key.isascii():
                    self.ascii_squeeze_checks.add(index)

    def build(self) -> None:
        self.plain = Keywords((key, tuple(payloads)) for key, payloads in self.plain_words.items())
        self.squeezed = Keywords((key, tuple(payloads)) for key, payloads in self.squeezed_words.items())


class _FieldPlan(NamedTuple):
    """What to do with one field for one set of active rules."""

    path: str
    automata: _FieldAutomata
    squeeze: bool  # an active rule tolerates separators on this field
    squeeze_ascii: bool  # an active rule has a squeezed key made of ASCII only (see _scan)


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
                for term, suggest, word in check.terms():
                    automata.add(index, term, _TERM, suggest, params.tolerate_separators, word)
                for exception in [*params.exceptions, *allowed_names([fold(term) for term, _ in check.entries()])]:
                    automata.add(index, exception, _EXCEPTION, None, params.tolerate_separators)
        for automata in self.fields.values():
            automata.build()
        # The engine passes the same few active lists for a whole catalog (one per combination
        # of `when` verdicts): which fields they need scanned, and how, is worked out once each.
        self._plans: dict[tuple[int, ...], tuple[frozenset[int], list[_FieldPlan]]] = {}

    def _plan(self, active: Iterable[int]) -> tuple[frozenset[int], list[_FieldPlan]]:
        key = tuple(active)
        plan = self._plans.get(key)
        if plan is None:
            active_set = frozenset(key)
            fields = [
                _FieldPlan(
                    path,
                    automata,
                    bool(automata.squeezed_words) and not automata.squeeze_checks.isdisjoint(active_set),
                    not automata.ascii_squeeze_checks.isdisjoint(active_set),
                )
                for path, automata in self.fields.items()
                if not automata.checks.isdisjoint(active_set)
            ]
            if len(self._plans) > 4096:
                self._plans.clear()
            plan = self._plans[key] = (active_set, fields)
        return plan

    def run(self, product: Product, active: Iterable[int]) -> Iterator[tuple[int, Hit]]:
        active_set, fields = self._plan(active)
        max_chars = self.checks[0].limits.max_field_chars if self.checks else 0
        for field in fields:
            for label, text in iter_texts(product, field.path):
                text = text[:max_chars]
                yield from self._scan(label, text, field, active_set)

    def _scan(self, label: str, text: str, field: _FieldPlan, active: frozenset[int]) -> list[tuple[int, Hit]]:
        automata = field.automata
        folded = fold(text)
        plain_found = automata.plain.find(folded)
        # A key with a non-ASCII character cannot occur in an ASCII text: for most English texts
        # no active rule has a squeezed key that could match, and squeezing is skipped.
        squeeze = field.squeeze_ascii if folded.isascii() else field.squeeze
        squeezed_found = automata.squeezed.find(squeeze_text(folded)) if squeeze else []
        if not plain_found and not squeezed_found:
            return []  # most texts: nothing to sort out
        # index -> list of (start, end, term, suggest) / exception spans
        terms: dict[int, list[tuple[int, int, str, Optional[str]]]] = defaultdict(list)
        exceptions: dict[int, list[tuple[int, int]]] = defaultdict(list)

        def collect(start: int, end: int, payloads: tuple, squeezed: bool = False) -> None:
            for index, role, term, suggest, (left_edge, right_edge), word in payloads:
                if index not in active:
                    continue
                if left_edge and start > 0 and is_latin_word_char(folded[start - 1]):
                    continue
                if right_edge and end < len(folded) and is_latin_word_char(folded[end]):
                    continue
                # (A term spread out with separators, 美-白, is meant as the word: no check.)
                if word and role == _TERM and not squeezed and not segment.stands_as_word(folded, start, end):
                    continue
                if role == _TERM:
                    terms[index].append((start, end, term, suggest))
                else:
                    exceptions[index].append((start, end))

        plain = automata.plain.payloads
        for key, start, end in plain_found:
            collect(start, end, plain[key])
        if squeezed_found:
            squeezed = automata.squeezed.payloads
            positions = kept_positions(folded)  # only for texts with a squeezed hit: few have one
            for key, first, last in squeezed_found:
                start, end = positions[first], positions[last - 1] + 1
                if end - start == last - first:
                    continue  # nothing was inserted: the plain scan already saw it
                if _CLAUSE_BREAK.search(folded, start, end) is not None:
                    continue  # 南极，品牌 is two statements, not 极品 spelt out
                collect(start, end, squeezed[key], squeezed=True)

        hits: list[tuple[int, Hit]] = []
        for index in sorted(terms):
            spans = exceptions.get(index, [])
            kept: list[tuple[int, int]] = []
            # Longest first at each start, so 最佳 wins over 最; an overlapping hit is the same
            # phrase (全网最 and 最低价 in 全网最低价). Across rules, Engine.check_product keeps one.
            for start, end, term, suggest in sorted(terms[index], key=lambda h: (h[0], h[0] - h[1])):
                if any(s <= start and end <= e for s, e in spans):
                    continue
                if any(start < e and s < end for s, e in kept):
                    continue
                kept.append((start, end))
                hits.append((index, Hit(
                    field=label,
                    match=text[start:end],
                    start=start,
                    end=end,
                    text=text,
                    values={"term": term, "suggestion": suggest or ""},
                )))
        return hits
