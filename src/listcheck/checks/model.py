"""`model`: a model number in the text that contradicts the spec's (spec Mate 40, title Mate 50).

    - id: mismatch/model
      kind: model
      category: spec-mismatch
      severity: error
      attribute: model
      avoid: [for, fits, compatible, 适用, 兼容]
      message: {en: "Text says model {found}, spec says {expected}", zh: "文案型号为{found}，规格为{expected}"}

    FAIL: {title: 华为 Mate 50 手机, spec: {model: Mate 40}}
    PASS: {title: 华为 Mate40 5G, spec: {model: MATE 40}}

Model numbers have no vocabulary, so the check is narrow on purpose: it takes the series of
the spec's model — the letters just before its first number (Mate in "Mate 40", DV in
"HP-DV5"), else the letters just after it (MBB in "106MBB"), else, for a model that is only a
number ("1001"), the word "model" — and flags the text only when that same series appears
there with another number, never after an `avoid` word (a case "for iPhone 14"), before a
`suffix_avoid` word ("Bolt 4 Cross-Compatibility", "5420升级款"), or in a clause holding a
`clause_avoid` word (【…】点击查看). A text that names the spec's number anywhere is left alone.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar, Iterator, Optional, Sequence

import re
from pydantic import BaseModel, ConfigDict, Field

from listcheck.checks.base import CheckKind, Hit
from listcheck.model import Confidence, Product
from listcheck.text.clauses import any_in_clause
from listcheck.text.fields import MISSING, get_path, iter_texts
from listcheck.text.normalize import fold
from listcheck.text.units import unit_table
from listcheck.text.words import WordSet

_SERIES = re.compile(r"([a-z]{2,})[\s\-_]*(\d+)")
# A number then its series letters (106MBB), as a whole token.
_TRAILING_SERIES = re.compile(r"(?<![a-z0-9])(\d{2,})([a-z]{2,})(?![a-z0-9])")
# A model that is only a number (1001) is named in the text after its cue word.
_NUMERIC_MODEL = re.compile(r"\d{3,}")
_NUMERIC_PATTERN = re.compile(r"(?:model|型号)(?:\s*(?:no\.?|number|#))?[\s:#.\-]*(\d{3,})(?!\d)")


# Words that say the number after them is the product's model.
_MODEL_CUES = WordSet(("model", "型号", "款号", "model no", "model number"))


class ModelParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    avoid: list[str] = Field(default_factory=list)
    suffix_avoid: list[str] = Field(default_factory=list)
    clause_avoid: list[str] = Field(default_factory=list)
    window: int = Field(default=12, ge=1, le=60)


@lru_cache(maxsize=65536)
def series_of(model: str) -> Optional[tuple[str, str, str]]:
    """(shape, series letters, number) of a spec model: "Mate 40 Pro" -> ("lead", "mate",
    "40"), "106MBB" -> ("trail", "mbb", "106"), "1001" -> ("number", "", "1001")."""
    folded = fold(model)
    found = _SERIES.search(folded)
    if found:
        return "lead", found.group(1), found.group(2)
    found = _TRAILING_SERIES.search(folded)
    if found and unit_table().lookup(found.group(2)) is None:  # 500GB, 65inch: amounts, not series
        return "trail", found.group(2), found.group(1)
    if _NUMERIC_MODEL.fullmatch(folded.strip()):
        return "number", "", folded.strip()
    return None


@lru_cache(maxsize=4096)
def _series_pattern(shape: str, letters: str) -> "re.Pattern[str]":
    """The series as a word (not inside another word) with a whole number, group 1; compiled
    once per series, as a catalog names the same few series over and over."""
    if shape == "trail":
        return re.compile(rf"(?<![a-z0-9])(\d+)[\s\-_]*{re.escape(letters)}(?![a-z0-9])")
    if shape == "number":
        return _NUMERIC_PATTERN
    return re.compile(rf"(?<![a-z0-9]){re.escape(letters)}[\s\-_]*(\d+)(?!\d)")


class ModelKind(CheckKind):
    name = "model"
    Params = ModelParams
    default_fields: ClassVar[Sequence[str]] = ("title", "description", "bullets")

    def __init__(self, rule, params, *args, **kwargs) -> None:
        if not rule.attribute:
            raise ValueError("a `model` rule needs `attribute` (the spec key it checks)")
        super().__init__(rule, params, *args, **kwargs)
        p: ModelParams = self.params  # type: ignore[assignment]
        self.avoid = WordSet(fold(word) for word in p.avoid)
        self.suffix_avoid = WordSet(fold(word) for word in p.suffix_avoid)
        self.clause_avoid = WordSet(fold(word) for word in p.clause_avoid)

    def spec_keys(self) -> Optional[tuple[str, ...]]:
        return (self.rule.attribute,)

    def check(self, product: Product) -> Iterator[Hit]:
        raw = get_path(product, f"spec.{self.rule.attribute}")
        if raw is MISSING or not isinstance(raw, (str, int)):
            return
        series = series_of(str(raw))
        if series is None:
            return
        shape, letters, number = series
        pattern = _series_pattern(shape, letters)
        p: ModelParams = self.params  # type: ignore[assignment]
        for path in self.fields:
            for label, text in iter_texts(product, path):
                folded = fold(text[: self.limits.max_field_chars])
                mentions = list(pattern.finditer(folded))
                if not mentions or any(m.group(1) == number for m in mentions):
                    continue
                for mention in mentions:
                    before = folded[max(0, mention.start() - p.window): mention.start()]
                    if self.avoid.search(before):
                        continue
                    after = folded[mention.end(): mention.end() + 24].lstrip(" -")
                    if self.suffix_avoid.leading(after):
                        continue
                    if any_in_clause(self.clause_avoid, folded, mention.start(), mention.end()):
                        continue
                    yield Hit(
                        field=label, match=text[mention.start():mention.end()], start=mention.start(),
                        end=mention.end(), text=text, attribute=self.rule.attribute,
                        expected=str(raw), found=text[mention.start():mention.end()],
                        confidence=Confidence.high if shape == "number" or _MODEL_CUES.search(before) else Confidence.medium,
                    )
                    break
