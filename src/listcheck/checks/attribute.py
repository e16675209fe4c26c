"""`attribute`: a categorical value the text asserts that contradicts the spec (spec red, title 黑色).

    - id: mismatch/color
      kind: attribute
      category: spec-mismatch
      severity: error
      attribute: color                 # the spec key
      vocab: colors                    # rules/vocab/colors.yaml: values, synonyms, families
      fields: [title, bullets]
      message: {en: "Text says {found}, spec says {expected}", zh: "文案为{found}，规格为{expected}"}

    FAIL: {title: 保温杯 黑色, spec: {color: red}}
    PASS: {title: 保温杯 曜石黑, spec: {color: black}}     # a synonym of the same value
    PASS: {title: Available in black and red, spec: {color: red}}   # options, not a claim

A vocabulary maps each value to its synonyms in Chinese and English and, optionally, to a
parent (navy → blue; 316 stainless steel → stainless steel): a parent and its child never
contradict each other, siblings do. The spec value is read with the same vocabulary, falling
back to fuzzy matching (rapidfuzz) for misspellings. Precision first: a text that names the
spec's value anywhere, or names two or more different values (options, multi-colour), or
names a value after an `avoid` word (适用于 iPhone, fits Samsung) is left alone; with
`context`, a value binds only after a context word (产地：日本) or before a `suffix_context`
word (日本进口).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import ClassVar, Iterator, Literal, Optional, Sequence

import regex
from pydantic import BaseModel, ConfigDict, Field

from listcheck.checks.base import CheckKind, Hit
from listcheck.model import Confidence, Product
from listcheck.text.clauses import any_in_clause
from listcheck.text.fields import MISSING, get_path, iter_texts
from listcheck.text.keywords import Keywords
from listcheck.text.normalize import fold, is_latin_word_char
from listcheck.vocab import load_vocab, vocab_exists
from listcheck.text.words import WordSet


class AttributeParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vocab: str = Field(pattern=r"^[a-z0-9_-]+$")
    # Other spec keys that hold the same attribute in some exports (Flipkart's "Ideal For").
    alternatives: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    suffix_context: list[str] = Field(default_factory=list)
    avoid: list[str] = Field(default_factory=list)
    # Words just after a value that make it describe a part or a decoration, not the product
    # ("gold patterns", "black strap", "透明视窗"): such a mention is not bound.
    suffix_avoid: list[str] = Field(default_factory=list)
    # Words anywhere in the value's clause that make it an option or another product's
    # ("可选独立显卡", "查看ThinkBook新品").
    clause_avoid: list[str] = Field(default_factory=list)
    # Words that bind a value firmly without being required ("Colour: black", "黑色款"): the
    # finding's confidence is high. Without one, a value in the title is medium (in its first
    # `lead` characters, where brands stand, high; past them, low) and elsewhere low.
    cues: list[str] = Field(default_factory=list)
    suffix_cues: list[str] = Field(default_factory=list)
    lead: Optional[int] = Field(default=None, ge=1, le=200)
    window: int = Field(default=8, ge=1, le=60)
    # rapidfuzz WRatio score (0-100) for reading a spec value that matches no synonym exactly.
    fuzzy: int = Field(default=90, ge=50, le=100)
    # A spec value the vocabulary does not know: `skip` (no claim either way), or `compare` —
    # a text naming a known value that the spec value does not resemble contradicts it (a
    # listing naming 华为 whose spec brand is 漫步者).
    unknown_spec: Literal["skip", "compare"] = "skip"


@dataclass(frozen=True)
class ValueMention:
    value: str
    start: int
    end: int


class Vocabulary:
    """Values, synonyms and parents of one attribute, compiled into one automaton."""

    def __init__(self, name: str, data: dict) -> None:
        self.name = name
        self.parents: dict[str, Optional[str]] = {}
        self.labels: dict[str, str] = {}
        self.terms: dict[str, str] = {}
        words: dict[str, list] = {}
        for value, entry in (data.get("values") or {}).items():
            entry = entry or {}
            self.parents[value] = entry.get("parent")
            terms = [value.replace("-", " ")] + list(entry.get("terms") or [])
            self.labels[value] = str(terms[1] if len(terms) > 1 else terms[0])
            for term in terms:
                key = fold(str(term))
                words.setdefault(key, []).append(("value", value))
                self.terms[key] = value
        for exception in data.get("exceptions") or []:
            words.setdefault(fold(str(exception)), []).append(("exception", None))
        self.any_value = {fold(str(v)) for v in data.get("any_value") or []}
        # Whole spec values too short to be safe terms in text (男, 女): read in the spec only.
        self.spec_only = {fold(str(k)): v for k, v in (data.get("spec_only") or {}).items()}
        self.keywords = Keywords(
            (key, (tuple(payload), (is_latin_word_char(key[0]), is_latin_word_char(key[-1]))))
            for key, payload in words.items() if key
        )
        self._choices = list(self.terms)
        self._spec_cache: dict[tuple[str, int], Optional[frozenset[str]]] = {}

    def scan(self, text: str) -> list[ValueMention]:
        """Values named in the text, longest first at each place, exceptions removed."""
        folded = fold(text)
        found = self.keywords.find(folded)
        if not found:
            return []  # most texts name no value of the vocabulary
        # Plain (start, end, value) tuples: ValueMentions are made for the kept ones only.
        values: list[tuple[int, int, str]] = []
        blocked: list[tuple[int, int]] = []
        payloads = self.keywords.payloads
        for key, start, end in found:
            payload, (left, right) = payloads[key]
            if left and start > 0 and is_latin_word_char(folded[start - 1]) and not _case_break(text, start):
                continue
            if right and end < len(folded) and is_latin_word_char(folded[end]) and not _case_break(text, end):
                continue
            for role, value in payload:
                if role == "exception":
                    blocked.append((start, end))
                else:
                    values.append((start, end, value))
        values.sort(key=lambda m: (m[0], m[0] - m[1]))
        kept: list[ValueMention] = []
        # Every kept mention starts at or before the one at hand (they are sorted by start), so
        # the one at hand is nested in a kept one exactly when it ends no later than they reach.
        kept_reach = -1
        for start, end, value in values:
            if blocked and any(s <= start and end <= e for s, e in blocked):
                continue
            if end <= kept_reach:
                continue
            kept.append(ValueMention(value, start, end))
            kept_reach = end  # further than any kept mention so far, or it would not be kept
        return kept

    def means_any(self, raw: str) -> bool:
        return fold(raw.strip()) in self.any_value

    def resembles(self, raw: str, value: str, threshold: int) -> bool:
        """Does a spec string look like any synonym of `value` (a variant or misspelling)?"""
        synonyms = [term for term, owner in self.terms.items() if owner == value]
        from rapidfuzz import fuzz, process  # lazy: the slow path, and 25 ms to import

        return process.extractOne(fold(raw.strip()), synonyms, scorer=fuzz.WRatio, score_cutoff=threshold) is not None

    def read_spec(self, raw: str, threshold: int) -> Optional[frozenset[str]]:
        """The values a spec string names; None when it means "any" or cannot be read.

        Spec values repeat across a catalog, and fuzzy matching is the slow path: memoised."""
        key = (raw, threshold)
        if key not in self._spec_cache:
            if len(self._spec_cache) > 65536:
                self._spec_cache.clear()
            self._spec_cache[key] = self._read_spec(raw, threshold)
        return self._spec_cache[key]

    def _read_spec(self, raw: str, threshold: int) -> Optional[frozenset[str]]:
        if self.means_any(raw):
            return None
        if fold(raw.strip()) in self.spec_only:
            return frozenset([self.spec_only[fold(raw.strip())]])
        found = frozenset(m.value for m in self.scan(raw))
        if found:
            return found
        from rapidfuzz import fuzz, process

        best = process.extractOne(fold(raw.strip()), self._choices, scorer=fuzz.WRatio, score_cutoff=threshold)
        return frozenset([self.terms[best[0]]]) if best else None

    def lineage(self, value: str) -> list[str]:
        chain = [value]
        while (parent := self.parents.get(chain[-1])) and parent not in chain:
            chain.append(parent)
        return chain

    def compatible(self, value: str, spec_values: frozenset[str]) -> bool:
        """The same value, or one is a parent (ancestor) of the other."""
        lineage = self.lineage(value)
        return any(s in lineage or value in self.lineage(s) for s in spec_values)


@lru_cache(maxsize=None)
def load_vocabulary(name: str) -> Vocabulary:
    data = load_vocab(name)
    if data is None:
        raise _no_vocabulary(name)
    return Vocabulary(name, data or {})


def _no_vocabulary(name: str) -> ValueError:
    return ValueError(f"vocab: no vocabulary {name!r} in rules/vocab/")


class AttributeKind(CheckKind):
    name = "attribute"
    Params = AttributeParams
    default_fields: ClassVar[Sequence[str]] = ("title", "description", "bullets")

    def __init__(self, rule, params, *args, **kwargs) -> None:
        if not rule.attribute:
            raise ValueError("an `attribute` rule needs `attribute` (the spec key it checks)")
        super().__init__(rule, params, *args, **kwargs)
        p: AttributeParams = self.params  # type: ignore[assignment]
        if not vocab_exists(p.vocab):
            raise _no_vocabulary(p.vocab)
        self._vocab_name = p.vocab
        self.context = WordSet(fold(w) for w in p.context)
        self.suffix_context = WordSet(fold(w) for w in p.suffix_context)
        self.avoid = WordSet(fold(w) for w in p.avoid)
        self.suffix_avoid = WordSet(fold(w) for w in p.suffix_avoid)
        self.clause_avoid = WordSet(fold(w) for w in p.clause_avoid)
        self.cues = WordSet(fold(w) for w in p.cues)
        self.suffix_cues = WordSet(fold(w) for w in p.suffix_cues)
        # Suffix words are matched from the value's end: the window after it holds the longest.
        self._after_window = max([p.window, *map(len, self.suffix_avoid.words + self.suffix_cues.words)]) + 2
        # The spec paths tried in turn, formatted once rather than for every product.
        self._spec_paths = [f"spec.{key}" for key in (rule.attribute, *p.alternatives)]

    @cached_property
    def vocab(self) -> Vocabulary:
        # Read and compiled on the first product the rule applies to: a run whose products
        # never need the colour vocabulary does not read it.
        return load_vocabulary(self._vocab_name)

    def spec_keys(self) -> Optional[tuple[str, ...]]:
        return (self.rule.attribute, *self.params.alternatives)  # type: ignore[attr-defined]

    def check(self, product: Product) -> Iterator[Hit]:
        p: AttributeParams = self.params  # type: ignore[assignment]
        raw = MISSING
        for spec_path in self._spec_paths:
            raw = get_path(product, spec_path)
            if raw is not MISSING:
                break
        if raw is MISSING or not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
            return
        spec_values = self.vocab.read_spec(str(raw), p.fuzzy)
        if not spec_values:
            if p.unknown_spec == "skip" or self.vocab.means_any(str(raw)) or not str(raw).strip():
                return
            spec_values = frozenset()  # unknown to the vocabulary: compared by resemblance below
        max_chars = self.limits.max_field_chars
        for path in self.fields:
            for label, text in iter_texts(product, path):
                hit = self._check_text(label, text[:max_chars], spec_values, str(raw))
                if hit is not None:
                    hit.attribute = spec_path[len("spec."):]  # the key read: "Ideal For", 显卡型号
                    yield hit

    def _check_text(self, label: str, text: str, spec_values: frozenset[str], raw: str) -> Optional[Hit]:
        mentions = self.vocab.scan(text)
        if not mentions:
            return None
        if any(self.vocab.compatible(m.value, spec_values) for m in mentions):
            return None  # the text names the spec's value (perhaps among others)
        folded = fold(text)
        if not spec_values:
            # An unknown spec value named in the text itself makes the other names compatible
            # devices or owners ("Lapguard HP Pavilion battery", "NYX, bought by L'Oréal").
            if any(name in folded for name in _names_in(raw)):
                return None
            p: AttributeParams = self.params  # type: ignore[assignment]
            if any(self.vocab.resembles(raw, m.value, p.fuzzy) for m in mentions):
                return None
        bound = [m for m in mentions if self._binds(m, folded)]
        if not bound:
            return None
        distinct = {m.value for m in bound}
        confidences = [self._confidence(m, folded, label) for m in bound]
        best = max(range(len(bound)), key=lambda i: confidences[i].rank)
        first, confidence = bound[best], confidences[best]
        if len(distinct) > 1 and not self._all_one_family(distinct):
            # Several values, none of them the spec's: a two-tone product ("Black and Golden
            # skirt", spec red) still contradicts it, but options are the likelier reading.
            confidence = confidence.weaker()
        return Hit(
            field=label,
            match=text[first.start:first.end],
            start=first.start,
            end=first.end,
            text=text,
            attribute=self.rule.attribute,
            expected=raw,
            found=text[first.start:first.end],
            confidence=confidence,
        )

    def _confidence(self, mention: ValueMention, folded: str, label: str) -> Confidence:
        p: AttributeParams = self.params  # type: ignore[assignment]
        if self.context or self.suffix_context:
            return Confidence.high  # bound by a required context word
        before = folded[max(0, mention.start - p.window): mention.start]
        after = folded[mention.end: mention.end + self._after_window]
        if self.cues.search(before) or self.suffix_cues.leading(after.lstrip(" -")):
            return Confidence.high
        if label != "title":
            return Confidence.low
        if p.lead is not None:
            return Confidence.high if mention.start < p.lead else Confidence.low
        return Confidence.medium

    def _all_one_family(self, values: set[str]) -> bool:
        roots = {self.vocab.lineage(v)[-1] for v in values}
        return len(roots) == 1

    def _binds(self, mention: ValueMention, folded: str) -> bool:
        p: AttributeParams = self.params  # type: ignore[assignment]
        before = folded[max(0, mention.start - p.window): mention.start]
        if self.avoid.search(before):
            return False
        if self.suffix_avoid:
            after = folded[mention.end: mention.end + self._after_window].lstrip(" -")
            if self.suffix_avoid.leading(after):
                return False
        if any_in_clause(self.clause_avoid, folded, mention.start, mention.end):
            return False
        if not self.context and not self.suffix_context:
            return True
        after = folded[mention.end: mention.end + p.window]
        return self.context.search(before) or self.suffix_context.leading(after)


def _case_break(text: str, at: int) -> bool:
    """Does a new word start at `at` though no space separates it ("Grey and whiteFabric",
    "Turquoise BluePattern": exports that glue a table's rows together)?"""
    return text[at - 1].islower() and text[at].isupper()


def _names_in(raw: str) -> list[str]:
    """The names a spec value gives, folded: "漫步者（EDIFIER）" -> ["漫步者", "edifier"]."""
    parts = regex.split(r"[()（）/,，、|]+", fold(raw))
    return [part.strip() for part in parts if len(part.strip()) >= 2]
