"""The domain model shared by loaders, checks and reporters.

`Product` is the canonical catalog record (its JSON Schema: `listcheck schema catalog`). Unknown top-level fields are
kept, not rejected: real exports carry extra columns, and a checker that throws them away
cannot be pointed at them by a third-party pack. `Finding` and `Report` are the JSON report
contract; change them only with a `schema_version` bump.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

SCHEMA_VERSION = 1


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self.value]


_SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


class Confidence(str, Enum):
    """How firmly a spec-mismatch finding's text was bound to the spec attribute.

    high: a cue word (净含量, "Material:") or the attribute's own unit right next to the value;
    medium: the sole mention of its dimension or vocabulary in the field; low: weaker evidence
    (one of several mentions, read without a cue). `--min-confidence` decides what is reported."""

    high = "high"
    medium = "medium"
    low = "low"

    @property
    def rank(self) -> int:
        return _CONFIDENCE_RANK[self.value]

    def weaker(self) -> "Confidence":
        """One step lower (low stays low): for a reading that is itself a guess."""
        return _WEAKER[self.value]


_CONFIDENCE_RANK = {"low": 1, "medium": 2, "high": 3}
_WEAKER = {"high": Confidence.medium, "medium": Confidence.low, "low": Confidence.low}


class Category(str, Enum):
    spec_mismatch = "spec-mismatch"
    prohibited_claim = "prohibited-claim"
    return_policy = "return-policy"
    # Dispatch promises, presale dates, batteries and packages a carrier or platform requires.
    shipping = "shipping"
    completeness = "completeness"
    input = "input"


class Source(BaseModel):
    """Where a product (or a rule) was read from; lines and rows count from 1."""

    model_config = ConfigDict(frozen=True)

    path: str
    line: Optional[int] = None
    # For spreadsheets: the sheet name; `line` is then the row number.
    sheet: Optional[str] = None


class ReturnPolicy(BaseModel):
    model_config = ConfigDict(extra="allow")

    no_reason_days: Optional[int] = Field(default=None, ge=0)
    return_shipping: Optional[str] = None
    refund_days: Optional[int] = Field(default=None, ge=0)
    restocking_fee_pct: Optional[float] = Field(default=None, ge=0, le=100)
    exemption: Optional[str] = None
    text: Optional[str] = None


MAX_PRODUCT_IGNORES = 100
MAX_RULE_PATTERN_CHARS = 200


class ListcheckDirectives(BaseModel):
    """Per-product instructions to listcheck itself (`listcheck: {ignore: [...]}`)."""

    model_config = ConfigDict(extra="forbid")

    # A product's own suppressions are few; the bounds keep one record (up to
    # limits.max_record_bytes) from making millions of findings or compiling huge globs.
    ignore: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_PRODUCT_IGNORES)

    @field_validator("ignore")
    @classmethod
    def _entries_are_text(cls, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for index, entry in enumerate(entries):
            for key in ("rule", "reason"):
                value = entry.get(key)
                if value is not None and not isinstance(value, str):
                    raise ValueError(f"ignore.{index}.{key} must be text, not {type(value).__name__}")
            if len(entry.get("rule") or "") > MAX_RULE_PATTERN_CHARS:
                raise ValueError(f"ignore.{index}.rule is over {MAX_RULE_PATTERN_CHARS} characters; a rule id is far shorter")
        return entries


class Product(BaseModel):
    """One listing: spec, listing text and return policy."""

    model_config = ConfigDict(extra="allow")

    sku: str = Field(min_length=1)
    title: Optional[str] = None
    description: Optional[str] = None
    bullets: Optional[list[str]] = None
    category: Optional[str] = None
    platform: Optional[str] = None
    market: Optional[str] = None
    locale: Optional[str] = None
    supplier: Optional[str] = None
    spec: dict[str, Any] = Field(default_factory=dict)
    return_policy: Optional[ReturnPolicy] = None
    listcheck: Optional[ListcheckDirectives] = None

    # Where the record was read from; set by the loader, carried into every finding.
    _source: Optional[Source] = PrivateAttr(default=None)
    # The length of the record's text as read (a JSON Lines line), when the reader knows it:
    # no text inside the record is longer, so the engine need not look for a long one.
    _read_chars: Optional[int] = PrivateAttr(default=None)

    @property
    def source(self) -> Optional[Source]:
        # Straight from pydantic's store of private values: `self._source` goes through
        # BaseModel.__getattr__ (about 1.8 us), and every finding reads it.
        return self.__pydantic_private__["_source"]  # type: ignore[index]

    @property
    def read_chars(self) -> Optional[int]:
        return self.__pydantic_private__["_read_chars"]  # type: ignore[index]

    @field_validator("sku", mode="before")
    @classmethod
    def _sku_from_number(cls, value: Any) -> Any:
        # Spreadsheets turn numeric SKUs into numbers; a SKU is an identifier, keep its text.
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value

    @field_validator("spec", mode="before")
    @classmethod
    def _spec_none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value


class Reference(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    url: Optional[str] = None


class Span(BaseModel):
    """Character offsets of the match in the original field text (end exclusive)."""

    start: int
    end: int


class Context(BaseModel):
    """A window of the field text around the match; `start`/`end` locate the match inside it."""

    text: str
    start: int
    end: int


class Finding(BaseModel):
    """One problem with one product, produced by one rule."""

    rule: str
    category: Category
    severity: Severity
    sku: Optional[str] = None
    supplier: Optional[str] = None
    field: Optional[str] = None
    attribute: Optional[str] = None
    match: Optional[str] = None
    span: Optional[Span] = None
    # A window of the field text around the match, for reports that show it in context.
    context: Optional[Context] = None
    expected: Optional[Any] = None
    found: Optional[Any] = None
    # Spec-mismatch findings only: how firmly the text was bound to the spec (see Confidence).
    confidence: Optional[Confidence] = None
    # Spec-mismatch findings only: other spec keys the same phrase contradicts. One phrase is
    # one finding; "250g" against a 100 g net content and a 100 g gross weight names both.
    also_contradicts: list[str] = Field(default_factory=list)
    message: str
    messages: dict[str, str] = Field(default_factory=dict)
    references: list[Reference] = Field(default_factory=list)
    source: Optional[Source] = None
    fingerprint: str = ""
    suppressed: bool = False
    suppression_reason: Optional[str] = None
    baselined: bool = False


class Summary(BaseModel):
    products: int = 0
    products_with_findings: int = 0
    findings: int = 0
    by_severity: dict[str, int] = Field(default_factory=dict)
    by_category: dict[str, int] = Field(default_factory=dict)
    suppressed: int = 0
    baselined: int = 0
    fail_on: str = "error"
    # More active warnings than this fail the run too (--max-warnings, max_warnings:).
    max_warnings: Optional[int] = None
    failed: bool = False


class ToolInfo(BaseModel):
    name: str = "listcheck"
    version: str
    packs: list[str] = Field(default_factory=list)
    # The listcheck.yaml the run used, relative to the working folder when under it; None when
    # none was found (the built-in defaults).
    config: Optional[str] = None


class Report(BaseModel):
    schema_version: int = SCHEMA_VERSION
    tool: ToolInfo
    summary: Summary
    findings: list[Finding]
