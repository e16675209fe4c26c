"""`quantity`: amounts in the listing text that contradict the spec (净含量1kg vs spec 500 g).

    - id: mismatch/net-content
      kind: quantity
      category: spec-mismatch
      severity: error
      attribute: net_content            # the spec key
      dimensions: [mass, volume]
      fields: [title, description, bullets]
      context: [净含量, 净重, net wt, net weight, 容量]
      avoid: [承重, 最大, up to, fits, 适合, 每100g, per 100]
      bind: context_or_sole             # context | context_or_sole | any
      message: {en: "Text says {found}, spec says {expected}", zh: "文案为 {found}，规格为 {expected}"}

    FAIL: {title: 五常大米 10kg, spec: {net_content: 5 kg}}
    PASS: {title: 五常大米 5kg, spec: {net_content: 5000 g}}   # 0.5 kg = 500 g after conversion

Precision first. A mention is compared with the spec only when it is about the attribute:
of one of its dimensions, and either preceded by a context word (净含量 500g) or — with
`bind: context_or_sole` — the only mention of that dimension in the field; a mention preceded
by an `avoid` word (最大承重 20kg, fits laptops up to 15.6") is never bound. When the text
names the spec's value anywhere (a title that lists two variants), the field is left alone.

With `against: OTHER_KEY` the rule compares two spec values instead of text (a serving size
larger than the package). With `limit: {max: "100 Wh"}` (or `min:`) it compares the spec value
with a bound a law or platform sets (a battery over the air-transport limit, a presale that
ships later than the platform allows).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import ClassVar, Iterator, Literal, Optional, Sequence

import regex
from pydantic import BaseModel, ConfigDict, Field

from listcheck.checks.base import CheckKind, Hit
from listcheck.model import Confidence, Product
from listcheck.text.clauses import any_in_clause, statement_start
from listcheck.text.fields import MISSING, get_path, iter_texts
from listcheck.text.normalize import fold
from listcheck.text.quantities import QuantityMention, extract_quantities, format_quantity, parse_quantity
from listcheck.text.units import unit_table
from listcheck.text.words import WordSet


class Tolerance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    relative: float = Field(default=0.0, ge=0)
    absolute: float = Field(default=0.0, ge=0)  # in the dimension's base unit (g, ml, mm, ...)


class Limit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max: Optional[str] = None  # "100 Wh", "15 days": the spec value may not exceed it
    min: Optional[str] = None


class QuantityParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Accepted dimensions (mass, volume, length, charge, power, voltage, data, pixels, count,
    # currency — `currency` accepts every currency; a price in ¥ never compares with one in Rs.).
    dimensions: Optional[list[str]] = None
    # Words just before a mention that bind it to the attribute (净含量 500g) or unbind it
    # (最大承重 20kg); the suffix_ lists are the same for words just after it (66W快充, 3200万前置).
    context: list[str] = Field(default_factory=list)
    avoid: list[str] = Field(default_factory=list)
    suffix_context: list[str] = Field(default_factory=list)
    suffix_avoid: list[str] = Field(default_factory=list)
    # Words anywhere in the mention's clause that make it something other than the product's
    # own amount: an option (可选, optional), a cross-promoted product (查看…新品仅5499元).
    clause_avoid: list[str] = Field(default_factory=list)
    # Characters around a mention searched for those words.
    window: int = Field(default=8, ge=1, le=60)
    bind: Literal["context", "context_or_sole", "any"] = "context_or_sole"
    # eq: the text must agree with the spec; text_le_spec: the text may not exceed it (a net
    # amount above the gross weight); text_ge_spec: the text may not fall short of it.
    relation: Literal["eq", "text_le_spec", "text_ge_spec"] = "eq"
    tolerance: Tolerance = Field(default_factory=Tolerance)
    # Other spec keys the text may match instead (a price may be the list price).
    alternatives: list[str] = Field(default_factory=list)
    # Other spec keys that hold this attribute in some exports (JD's 屏幕刷新率 for
    # refresh_rate); the first one a product has is compared.
    spec_aliases: list[str] = Field(default_factory=list)
    # For "8GB+128GB": bind only the first / second member of such a pair.
    pair: Optional[Literal["first", "second"]] = None
    # Compare the attribute with another spec value instead of the text.
    against: Optional[str] = None
    # Compare the attribute with a fixed bound instead of the text.
    limit: Optional[Limit] = None
    # Spec values for which the rule does not apply (a serving of exactly 100 g is the
    # per-100 g reference typed into the wrong field, not a claim).
    skip_spec_values: list[str] = Field(default_factory=list)
    # The unit of a spec value written as a bare number ("24.2" for a camera in MP). Without
    # it a bare number is compared only for counts and prices: a net content of "6" is six
    # eggs as often as 6 g, and guessing the unit raised false alarms.
    spec_unit: Optional[str] = None


def _limit_value(text: Optional[str], name: str) -> Optional[QuantityMention]:
    if text is None:
        return None
    parsed = parse_quantity(text)
    if parsed is None:
        raise ValueError(f"limit.{name}: {text!r} is no amount with a unit of rules/vocab/units.yaml")
    return parsed


@lru_cache(maxsize=256)
def _mentions(text: str) -> tuple[QuantityMention, ...]:
    # Several rules read the same field of the same product: extract once.
    return tuple(extract_quantities(text))


@lru_cache(maxsize=256)
def _mentions_by_dimension(text: str) -> dict[str, list[QuantityMention]]:
    # ... and sort them by dimension once: a dozen rules each want one dimension of a field.
    grouped: dict[str, list[QuantityMention]] = {}
    for mention in _mentions(text):
        grouped.setdefault(mention.dimension, []).append(mention)
    return grouped


@lru_cache(maxsize=65536)
def _spec_quantity(raw: object, hint: Optional[str]) -> Optional[QuantityMention]:
    # Spec values repeat across a catalog ("500.00g", "¥2689", "10V/2.25A"): parse each once.
    return parse_quantity(raw, hint)


class QuantityKind(CheckKind):
    name = "quantity"
    Params = QuantityParams
    default_fields: ClassVar[Sequence[str]] = ("title", "description", "bullets")

    def __init__(self, rule, params, *args, **kwargs) -> None:
        if not rule.attribute:
            raise ValueError("a `quantity` rule needs `attribute` (the spec key it checks)")
        super().__init__(rule, params, *args, **kwargs)
        p: QuantityParams = self.params  # type: ignore[assignment]
        self.context = WordSet(fold(word) for word in p.context)
        self.avoid = WordSet(fold(word) for word in p.avoid)
        self.suffix_context = WordSet(fold(word) for word in p.suffix_context)
        self.suffix_avoid = WordSet(fold(word) for word in p.suffix_avoid)
        self.clause_avoid = WordSet(fold(word) for word in p.clause_avoid)
        self._cue_words = self.context + self.suffix_context
        # A suffix word is matched from the amount's end, so the window after it must hold the
        # longest one ("96MP High Resolution mode").
        self._after_window = max([p.window, *map(len, self.suffix_avoid.words + self.suffix_context.words)]) + 2
        self.skip_spec = [parse_quantity(v) for v in p.skip_spec_values]
        if p.spec_unit is not None and unit_table().lookup(p.spec_unit) is None:
            raise ValueError(f"spec_unit: no unit {p.spec_unit!r} in rules/vocab/units.yaml")
        self.limit_max = _limit_value(p.limit.max if p.limit else None, "max")
        self.limit_min = _limit_value(p.limit.min if p.limit else None, "min")

    def _spec_values(self, product: Product, keys: Sequence[str]) -> list[QuantityMention]:
        p: QuantityParams = self.params  # type: ignore[assignment]
        hint = p.spec_unit or (p.dimensions[0] if p.dimensions and p.dimensions[0] in _BARE_OK else None)
        values = []
        for key in keys:
            raw = get_path(product, f"spec.{key}")
            if raw is MISSING or isinstance(raw, (list, dict, bool)):
                continue
            parsed = _spec_quantity(raw, hint)
            if parsed is None:
                continue
            if p.dimensions and not _dimension_accepted(parsed.dimension, p.dimensions):
                continue
            values.append(parsed)
        return values

    def spec_keys(self) -> Optional[tuple[str, ...]]:
        return (self.rule.attribute, *self.params.spec_aliases)  # type: ignore[attr-defined]

    def check(self, product: Product) -> Iterator[Hit]:
        p: QuantityParams = self.params  # type: ignore[assignment]
        attribute = self.rule.attribute
        specs = self._spec_values(product, [attribute])
        for alias in p.spec_aliases:
            if specs:
                break
            specs = self._spec_values(product, [alias])
            attribute = alias
        if not specs:
            return
        spec = specs[0]
        if any(skip is not None and _same_amount(skip, spec) for skip in self.skip_spec):
            return
        if p.limit is not None:
            for bound, over in ((self.limit_max, True), (self.limit_min, False)):
                if bound is None or bound.dimension != spec.dimension:
                    continue
                value = spec.high if over and spec.high is not None else spec.value
                if (value > bound.value) if over else (value < bound.value):
                    yield Hit(
                        field=f"spec.{attribute}",
                        attribute=attribute,
                        found=format_quantity(spec.value, spec.dimension, spec.high),
                        expected=f"{'≤' if over else '≥'} {format_quantity(bound.value, bound.dimension)}",
                        confidence=Confidence.high,  # a spec value and a fixed bound: nothing to bind
                    )
            return
        if p.against:
            others = self._spec_values(product, [p.against])
            # A serving in grams against a package in millilitres says nothing either way.
            if others and others[0].dimension == spec.dimension and not self._agrees(spec, others[0]):
                yield Hit(
                    field=f"spec.{attribute}",
                    attribute=attribute,
                    found=format_quantity(spec.value, spec.dimension, spec.high),
                    expected=f"{_relation_symbol(p.relation)} {format_quantity(others[0].value, others[0].dimension, others[0].high)} ({p.against})",
                    confidence=Confidence.high,  # two spec values: nothing to bind
                )
            return
        accepted = [spec] + self._spec_values(product, p.alternatives)
        for path in self.fields:
            for label, text in iter_texts(product, path):
                hit = self._check_text(label, text[: self.limits.max_field_chars], spec, accepted)
                if hit is not None:
                    hit.attribute = attribute
                    yield hit

    def _check_text(self, label: str, text: str, spec: QuantityMention, accepted: list[QuantityMention]) -> Optional[Hit]:
        p: QuantityParams = self.params  # type: ignore[assignment]
        mentions = list(_mentions_by_dimension(text).get(spec.dimension, ()))
        if spec.dimension == "count":
            # A pack compound ("550ml*12瓶装", "250ml×2") states how many units it holds.
            mentions += [
                dataclasses.replace(m, value=float(m.count), high=None, dimension="count", per_unit=None)
                for m in _mentions(text) if m.dimension != "count" and m.count
            ]
            mentions.sort(key=lambda m: m.start)
        if not mentions:
            return None
        folded = fold(text)
        # Mentions after an avoid word (峰值 12000W, up to 15.6") are about something else, so
        # "the sole amount" is the sole one among the rest.
        avoided = [m for m in mentions if self._avoided(m, folded)]
        # An avoid word covers the whole list it stands before ("承重 340lb/450lb/890lb").
        candidates = [
            m for m in mentions
            if not any(m is a or _same_list(m, a, mentions, folded) for a in avoided)
        ] if avoided else mentions
        bound = [(m, confidence) for m in candidates if (confidence := self._binding(m, candidates, folded))]
        if not bound:
            return None
        if p.relation == "eq":
            agreeing = [m for m in mentions if any(self._agrees(m, value) for value in accepted)]
            wrong = None
            for mention, confidence in bound:
                if any(mention is m for m in agreeing):
                    continue
                if not agreeing:
                    wrong = (mention, confidence)
                    break
                # The text also names the spec's value. "500g/1kg 两种规格" lists options, and
                # an unbound repeat says nothing; but a statement bound by its cue word
                # (运行内存 12GB) still contradicts the spec, wherever else the value appears.
                if confidence is Confidence.high and not any(_same_list(mention, m, mentions, folded) for m in agreeing):
                    wrong = (mention, confidence)
                    break
            if wrong is None:
                return None
        else:
            # An upper or lower bound: every bound mention must respect it.
            wrong = next(((m, c) for m, c in bound if not any(self._agrees(m, v) for v in accepted)), None)
            if wrong is None:
                return None
        wrong, confidence = wrong
        return Hit(
            field=label,
            match=wrong.text,
            start=wrong.start,
            end=wrong.end,
            text=text,
            attribute=self.rule.attribute,
            expected=format_quantity(spec.value, spec.dimension, spec.high),
            found=format_quantity(wrong.value, wrong.dimension, wrong.high),
            confidence=confidence,
        )

    def _avoided(self, mention: QuantityMention, folded: str) -> bool:
        p: QuantityParams = self.params  # type: ignore[assignment]
        start = max(0, mention.start - p.window)
        before = folded[start: mention.start]
        # A word that qualifies the cue qualifies the amount: in "Package Weight: 2.651 kg" and
        # "bearing weight 50KG" the avoid word stands before the cue, out of the window.
        cue_at = self.context.last(before)
        if cue_at >= 0:
            before = folded[max(0, start + cue_at - p.window): mention.start]
        if self.avoid.search(before):
            return True
        after = folded[mention.end: mention.end + self._after_window].lstrip(_SUFFIX_GAP)
        if self.suffix_avoid.leading(after):
            return True
        return any_in_clause(self.clause_avoid, folded, mention.start, mention.end)

    def _binding(self, mention: QuantityMention, mentions: list[QuantityMention], folded: str) -> Optional[Confidence]:
        """How firmly a mention is bound to the attribute, or None when it is not bound.

        high: a cue word before it (净含量 500g) or after it (16G大内存), a member of a RAM +
        storage pair, or — where the dimension is the attribute's own (`bind: any`: mAh, 像素,
        a currency) — the one amount of it the text states; medium: the one amount of its
        dimension in the field without a cue, or one of several amounts of an own-unit
        dimension. An amount whose reading is itself a guess (a bare 寸, an upper-case G,
        "8+256") is one step lower."""
        p: QuantityParams = self.params  # type: ignore[assignment]
        sole = len({(m.value, m.high) for m in mentions}) == 1
        # A cue belongs to the amount it stands nearest: in "16G内存+512G固态" the 内存 before
        # 512G is 16G's, so the window before a mention stops where the previous amount ends.
        previous_end = max((m.end for m in mentions if m.end <= mention.start), default=0)
        # Nor does a cue reach across a clause: in "16G大内存，512G高速固态" 内存 is the 16G's.
        begin = max(previous_end, mention.start - p.window, statement_start(folded, mention.start, p.window))
        before = folded[begin: mention.start]
        after = folded[mention.end: mention.end + self._after_window]
        if p.pair is not None:
            member = _pair_member(mention, mentions, folded)
            if member is not None and member != p.pair:
                return None  # the other member of "8GB+128GB" is the other attribute
        if p.pair is not None and _in_pair(mention, mentions, folded, p.pair):
            confidence = Confidence.high
        elif (self.context.search(before)
              or self.suffix_context.leading(after.lstrip(_SUFFIX_GAP))
              or (mention.count is not None and self._cue_words.search(fold(mention.text)))):
            # (A pack written with its cue inside it, "Pack of 3", "12瓶装", binds itself.)
            confidence = Confidence.high
        elif p.bind == "any":
            confidence = Confidence.high if sole else Confidence.medium
        elif p.bind == "context_or_sole" and p.pair is None and sole:
            # "Sole": the text states one amount of this dimension (perhaps repeated: 250g/250克).
            confidence = Confidence.medium
        else:
            return None
        return confidence.weaker() if mention.ambiguous else confidence

    def _agrees(self, text: QuantityMention, spec: QuantityMention) -> bool:
        """Does a text mention (or a spec value compared `against`) agree with the spec?"""
        p: QuantityParams = self.params  # type: ignore[assignment]
        if text.dimension != spec.dimension:
            return False
        candidates = [(text.value, text.high)]
        if text.per_unit is not None and p.relation != "text_le_spec":
            # "400g*2" may be read as the unit's amount (a spec giving one bag's net content),
            # but never under an upper bound: two 400 g bags cannot weigh 500 g gross.
            candidates.append((text.per_unit, None))
        spec_low, spec_high = spec.value, spec.high if spec.high is not None else spec.value
        for low, high in candidates:
            high = low if high is None else high
            slack = max(p.tolerance.absolute, p.tolerance.relative * max(abs(spec_high), abs(spec_low)))
            slack = max(slack, _rounding(text), _rounding(spec))
            if text.approximate:
                slack = max(slack, 0.1 * abs(spec_high))
            if p.relation == "text_le_spec" and low <= spec_high + slack:
                return True
            if p.relation == "text_ge_spec" and high >= spec_low - slack:
                return True
            if p.relation == "eq" and low <= spec_high + slack and high >= spec_low - slack:
                return True
        return False


def _dimension_accepted(dimension: str, accepted: list[str]) -> bool:
    return dimension in accepted or dimension.split(":")[0] in accepted


_DECIMAL = regex.compile(r"\d+\.(\d+)")


def _rounding(mention: QuantityMention) -> float:
    """Half a unit of the last decimal written: 1.1 lb covers 1.05-1.15 lb (1.1 lb ≈ 500 g).

    Only numbers written with a decimal point get this slack; "1斤" is exactly 500 g."""
    found = _DECIMAL.search(mention.text)
    if found is None or mention.value == 0:
        return 0.0
    written = float(found.group(0))
    if written == 0:
        return 0.0
    per_unit = mention.per_unit if mention.per_unit is not None else mention.value
    return abs(0.5 * 10 ** (-len(found.group(1))) * per_unit / written)


# What may stand between an amount and a word after it that qualifies it ("16000W peak",
# "30lbs Capacity", "25.0g/pcs" keeps its slash: /pcs is the word).
_SUFFIX_GAP = " -:"

# Dimensions whose spec values may be bare numbers: a count is a count, a price a price.
_BARE_OK = {"count", "currency"}

# What may stand between two amounts of one list of options: 500g/1kg, 8GB、12GB, 6 or 8 GB.
_LIST_GAP = regex.compile(r"[\s/、,，|;；+＋&~\-]*(?:或|和|及|与|or|and)?[\s/、,，|;；+＋&~\-]*")


def _same_list(a: QuantityMention, b: QuantityMention, mentions: list[QuantityMention], folded: str) -> bool:
    """Are a and b in one run of amounts separated only by list separators?"""
    first, last = (a, b) if a.start <= b.start else (b, a)
    between = [m for m in mentions if first.start <= m.start <= last.start]
    between.sort(key=lambda m: m.start)
    return all(
        _LIST_GAP.fullmatch(folded[left.end: right.start]) is not None
        for left, right in zip(between, between[1:])
    )


def _same_amount(a: QuantityMention, b: QuantityMention) -> bool:
    return a.dimension == b.dimension and abs(a.value - b.value) < 1e-9 and a.high == b.high


def _in_pair(mention: QuantityMention, mentions: list[QuantityMention], folded: str, position: str) -> bool:
    """Is the mention the first / second member of "8GB+128GB" (also "8+128G", "8G/128G")?"""
    return _pair_member(mention, mentions, folded) == position


# Between the members of a RAM + storage pair: "+", "/", and the words that name them
# ("4GB RAM+64GB ROM", "16G内存+512G固态", "8 RAM + 128 ROM").
_PAIR_JOIN = regex.compile(r"\s*(?:ram|运行内存|运存|内存)?\s*[+/＋]\s*")


def _pair_member(mention: QuantityMention, mentions: list[QuantityMention], folded: str) -> Optional[str]:
    """"first" or "second" when the mention is a member of a RAM + storage pair, else None."""
    for other in mentions:
        if other is mention:
            continue
        first, second = (mention, other) if mention.end <= other.start else (other, mention)
        # RAM is a small fraction of storage (4+64, 8+256, 16G+512G); "16GB/32GB" are options.
        if _PAIR_JOIN.fullmatch(folded[first.end: second.start]) and 4 * first.value <= second.value:
            return "first" if first is mention else "second"
    return None


def _relation_symbol(relation: str) -> str:
    return {"eq": "=", "text_le_spec": "≤", "text_ge_spec": "≥"}[relation]
