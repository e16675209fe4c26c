"""The rule-pack schema (README, "Writing a rule"; `listcheck schema rules`), validated with pydantic.

A rule's common keys are here; the parameters of its kind (`terms`, `pattern`, ...) are
validated by that kind's own `Params` model, so a third-party kind brings its own schema.
"""

from __future__ import annotations

import fnmatch
from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from listcheck.model import Category, Reference, Severity

RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*/[a-z0-9][a-z0-9_.-]*$"


def _as_list(value: Any) -> Any:
    if value is None:
        return None
    return [value] if isinstance(value, str) else value


class Messages(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: str
    zh: Optional[str] = None

    def get(self, lang: str) -> str:
        return (self.zh if lang == "zh" else self.en) or self.en


class When(BaseModel):
    """Which products a rule applies to. Every key given must hold (they are ANDed)."""

    model_config = ConfigDict(extra="forbid")

    # Slash-path prefixes: `cosmetics` matches `cosmetics` and `cosmetics/skincare`.
    category: Optional[list[str]] = None
    not_category: Optional[list[str]] = None
    platform: Optional[list[str]] = None
    not_platform: Optional[list[str]] = None
    # ISO country codes; `EU` stands for the member states; `unknown` for a product whose
    # market nothing tells (no market, no known platform, no locale region).
    market: Optional[list[str]] = None
    not_market: Optional[list[str]] = None
    # Locale prefixes: `zh` matches zh-CN and zh-TW.
    locale: Optional[list[str]] = None
    # Dotted paths that must be present (non-empty) / absent.
    present: Optional[list[str]] = None
    absent: Optional[list[str]] = None
    # Dotted path -> a value or a list of accepted values (compared as case-folded text).
    values: Optional[dict[str, Any]] = None

    _listify = field_validator(
        "category", "not_category", "platform", "not_platform", "market", "not_market", "locale",
        "present", "absent", mode="before",
    )(_as_list)


class Expectation(BaseModel):
    """What an invalid example must be flagged for (`expect: {match: 最舒适, field: title}`), as
    yamllint's and sqlfluff's rule cases say where they fail."""

    model_config = ConfigDict(extra="forbid")

    match: Optional[str] = None
    field: Optional[str] = None


class Examples(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invalid: list[dict[str, Any]] = Field(default_factory=list)
    valid: list[dict[str, Any]] = Field(default_factory=list)

    @field_validator("invalid")
    @classmethod
    def _expectations_are_well_formed(cls, examples: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for example in examples:
            if "expect" in example:
                Expectation.model_validate(example["expect"])
        return examples

    @field_validator("valid")
    @classmethod
    def _valid_examples_expect_nothing(cls, examples: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if any("expect" in example for example in examples):
            raise ValueError("`expect` belongs to an invalid example: a valid one must raise nothing")
        return examples


class RuleSpec(BaseModel):
    """A rule as written in YAML. Keys other than these belong to the kind's parameters."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(pattern=RULE_ID_PATTERN)
    kind: str
    category: Category
    severity: Severity
    message: Union[str, Messages]
    description: Optional[str] = None
    when: Optional[When] = None
    fields: Optional[list[str]] = None
    # The spec key the rule is about (`net_content`, `color`, `labels`): mismatch kinds compare
    # the text with it; every finding of the rule carries it, so reports can group by it.
    attribute: Optional[str] = None
    references: list[Reference] = Field(default_factory=list)
    examples: Examples = Field(default_factory=Examples)
    # Sentences in which the rule's hits are lawful, by name in rules/vocab/claim-exemptions.yaml
    # (SAMR's guide Art.6: self-comparison, a dated and sourced sales fact).
    exempt: list[str] = Field(default_factory=list)

    _listify = field_validator("fields", mode="before")(_as_list)

    @field_validator("exempt")
    @classmethod
    def _known_exemptions(cls, names: list[str]) -> list[str]:
        from listcheck.text.exemptions import exemption_names

        known = exemption_names()
        for name in names:
            if name not in known:
                raise ValueError(f"unknown exemption {name!r}; rules/vocab/claim-exemptions.yaml has {', '.join(known)}")
        return names

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class PackDefaults(BaseModel):
    """Values a pack's rules take unless they set their own."""

    model_config = ConfigDict(extra="forbid")

    category: Optional[Category] = None
    severity: Optional[Severity] = None
    fields: Optional[list[str]] = None
    when: Optional[When] = None
    references: Optional[list[Reference]] = None


class PackSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pack: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    description: Optional[str] = None
    version: Optional[str] = None
    extends: list[str] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    defaults: PackDefaults = Field(default_factory=PackDefaults)
    # Validated one by one by the loader, so an error names the rule and its line.
    rules: list[dict[str, Any]] = Field(default_factory=list)

    _listify = field_validator("extends", mode="before")(_as_list)


def matches_any(rule_id: str, patterns: list[str]) -> bool:
    """Rule-id globs, as in `disable: [core/*]`."""
    return any(fnmatch.fnmatchcase(rule_id, pattern) for pattern in patterns)
