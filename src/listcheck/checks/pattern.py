"""`pattern`: a regular expression that a field must not (or must) match.

    - id: acme/no-phone-numbers
      kind: pattern
      category: prohibited-claim
      severity: warning
      fields: [title, description]
      pattern: '1[3-9]\\d{9}'          # match: forbid (default) | require
      message: {en: "Contact details in the listing: {match}", zh: "商品信息含联系方式：{match}"}

    FAIL: 咨询电话13812345678        PASS: 保温杯 500ml

Patterns come from third-party packs, so every search runs with a time budget (the `regex`
module's timeout): a catastrophic pattern costs one warning, never a hung CI job.
"""

from __future__ import annotations

from typing import Iterator, Literal, Optional

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from listcheck.checks.base import CheckKind, CheckTimeout, Hit
from listcheck.model import Product
from listcheck.text import required_chars
from listcheck.text.fields import iter_texts


class PatternParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pattern: str = Field(min_length=1)
    match: Literal["forbid", "require"] = "forbid"
    ignore_case: bool = True

    @model_validator(mode="after")
    def _compiles(self, info: ValidationInfo) -> "PatternParams":
        # A built-in pack as shipped has its patterns compiled by `listcheck rules validate`
        # and when first used (see ruleset/loader.py); any other pack's stop the run here.
        if not (info.context or {}).get("as_shipped"):
            self.compile()
        return self

    def compile(self) -> regex.Pattern:
        try:
            return regex.compile(self.pattern, regex.IGNORECASE if self.ignore_case else 0)
        except regex.error as exc:
            raise ValueError(f"pattern: invalid regular expression: {exc}") from None


class PatternKind(CheckKind):
    name = "pattern"
    Params = PatternParams

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Compiled when first used: many rules never run on a given catalog.
        self.regex: Optional[regex.Pattern] = None
        self.gate: Optional[required_chars.Gate] = None

    def _compile(self) -> regex.Pattern:
        params: PatternParams = self.params  # type: ignore[assignment]
        self.gate = required_chars.gate(params.pattern, params.ignore_case)
        self.regex = params.compile()
        return self.regex

    def check(self, product: Product) -> Iterator[Hit]:
        params: PatternParams = self.params  # type: ignore[assignment]
        timeout = self.limits.regex_timeout
        max_chars = self.limits.max_field_chars
        compiled = self.regex or self._compile()
        seen_text = False
        for path in self.fields:
            for label, text in iter_texts(product, path):
                text = text[:max_chars]
                seen_text = True
                if self.gate is not None and self.gate(text) is None:
                    continue  # none of the characters every match needs: no match here
                try:
                    if params.match == "require":
                        if compiled.search(text, timeout=timeout):
                            return
                        continue
                    for found in compiled.finditer(text, timeout=timeout):
                        if found.end() == found.start():
                            continue  # an empty match points at nothing
                        yield Hit(
                            field=label,
                            match=found.group(0),
                            start=found.start(),
                            end=found.end(),
                            text=text,
                        )
                except TimeoutError:
                    raise CheckTimeout(label) from None
        if params.match == "require" and seen_text:
            yield Hit(field=self.fields[0], expected=params.pattern)
