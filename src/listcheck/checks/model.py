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

Model numbers have no vocabulary, so the check is narrow on purpose: it takes the letters just
before the spec model's first number (Mate in "Mate 40", DV in "HP-DV5") and flags the text
only when that same series appears there with another number, never after an `avoid` word
(a case "for iPhone 14"). A text that names the spec's number anywhere is left alone.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar, Iterator, Optional, Sequence

import regex
from pydantic import BaseModel, ConfigDict, Field

from listcheck.checks.base import CheckKind, Hit
from listcheck.model import Confidence, Product
from listcheck.text.fields import MISSING, get_path, iter_texts
from listcheck.text.normalize import fold

_SERIES = regex.compile(r"([a-z]{2,})[\s\-_]*(\d+)")


# Words that say the number after them is the product's model.
_MODEL_CUES = ("model", "型号", "款号", "model no", "model number")


class ModelParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    avoid: list[str] = Field(default_factory=list)
    window: int = Field(default=12, ge=1, le=60)


@lru_cache(maxsize=65536)
def series_of(model: str) -> Optional[tuple[str, str]]:
    """(series letters, number) of a model such as "Mate 40 Pro" -> ("mate", "40")."""
    found = _SERIES.search(fold(model))
    return (found.group(1), found.group(2)) if found else None


@lru_cache(maxsize=4096)
def _series_pattern(letters: str) -> "regex.Pattern[str]":
    """The series letters as a word (not inside another word), then a whole number; compiled
    once per series, as a catalog names the same few series over and over."""
    return regex.compile(rf"(?<![a-z0-9]){regex.escape(letters)}[\s\-_]*(\d+)(?!\d)")


class ModelKind(CheckKind):
    name = "model"
    Params = ModelParams
    default_fields: ClassVar[Sequence[str]] = ("title", "description", "bullets")

    def __init__(self, rule, params, *args, **kwargs) -> None:
        if not rule.attribute:
            raise ValueError("a `model` rule needs `attribute` (the spec key it checks)")
        super().__init__(rule, params, *args, **kwargs)
        p: ModelParams = self.params  # type: ignore[assignment]
        self.avoid = [fold(word) for word in p.avoid]

    def spec_keys(self) -> Optional[tuple[str, ...]]:
        return (self.rule.attribute,)

    def check(self, product: Product) -> Iterator[Hit]:
        raw = get_path(product, f"spec.{self.rule.attribute}")
        if raw is MISSING or not isinstance(raw, (str, int)):
            return
        series = series_of(str(raw))
        if series is None:
            return
        letters, number = series
        pattern = _series_pattern(letters)
        p: ModelParams = self.params  # type: ignore[assignment]
        for path in self.fields:
            for label, text in iter_texts(product, path):
                folded = fold(text[: self.limits.max_field_chars])
                mentions = list(pattern.finditer(folded))
                if not mentions or any(m.group(1) == number for m in mentions):
                    continue
                for mention in mentions:
                    before = folded[max(0, mention.start() - p.window): mention.start()]
                    if any(word in before for word in self.avoid):
                        continue
                    yield Hit(
                        field=label, match=text[mention.start():mention.end()], start=mention.start(),
                        end=mention.end(), text=text, attribute=self.rule.attribute,
                        expected=str(raw), found=text[mention.start():mention.end()],
                        confidence=Confidence.high if any(cue in before for cue in _MODEL_CUES) else Confidence.medium,
                    )
                    break
