"""What a check kind is, for the built-in kinds and for third-party ones.

A built-in kind is a module here and a line in `registry.BUILTIN_KINDS`; a third-party kind is
a class registered under the entry point group `listcheck.checks`:

    [project.entry-points."listcheck.checks"]
    shouting = "my_package.checks:ShoutingKind"

It declares the parameters its rules take (`Params`, a pydantic model) and yields `Hit`s for
one product. The engine does the rest: `when` filters, messages, references, sources and
fingerprints. Checks are pure functions of the product, so the engine may run them in any
process.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Any, ClassVar, Iterable, Iterator, Optional, Sequence

from pydantic import BaseModel, ConfigDict

from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Confidence, Product
from listcheck.ruleset.schema import RuleSpec


# What the engine fills in every rule's message (engine.format_message).
MESSAGE_VALUES = ("sku", "title", "field", "match", "attribute", "expected", "found")


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass
class Hit:
    """What a check found; the engine turns it into a Finding."""

    field: Optional[str] = None
    match: Optional[str] = None
    # Offsets in the field's text; with `text` the engine shows the match in context.
    start: Optional[int] = None
    end: Optional[int] = None
    text: Optional[str] = None
    attribute: Optional[str] = None
    expected: Any = None
    found: Any = None
    # How firmly the text was bound to the attribute (kinds that compare text with the spec
    # set it; the engine drops hits below `min_confidence`).
    confidence: Optional[Confidence] = None
    # Extra placeholders for the rule's message, e.g. {"suggestion": "..."}.
    values: dict[str, Any] = dataclass_field(default_factory=dict)


class CheckKind:
    """One compiled rule of one kind. Subclasses set `name`, `Params` and `check`."""

    name: ClassVar[str] = ""
    Params: ClassVar[type[BaseModel]] = NoParams
    # Fields a rule of this kind reads when the rule names none.
    default_fields: ClassVar[Sequence[str]] = ("title", "description", "bullets")
    # Placeholders this kind fills for a rule's message beyond the engine's own (MESSAGE_VALUES),
    # through `Hit.values`: `rules validate` reports any other {name} a message uses.
    message_values: ClassVar[tuple[str, ...]] = ()

    def __init__(self, rule: RuleSpec, params: BaseModel, limits: Limits = DEFAULT_LIMITS) -> None:
        self.rule = rule
        self.params = params
        self.limits = limits
        self.fields: list[str] = list(rule.fields or self.default_fields)

    def check(self, product: Product) -> Iterator[Hit]:
        raise NotImplementedError

    def spec_keys(self) -> Optional[tuple[str, ...]]:
        """Spec keys of which a product must have at least one for this rule to find anything,
        or None. The engine skips the rule for other products without calling `check`: most
        mismatch rules compare one spec value, and most products lack most of them."""
        return None

    @classmethod
    def batch(cls, checks: list["CheckKind"]) -> Optional["Batch"]:
        """Kinds that can match many rules in one pass over a field return a Batch."""
        return None


class Batch:
    """Runs many rules of one kind together (e.g. every term of every rule in one automaton)."""

    def run(self, product: Product, active: Iterable[int]) -> Iterator[tuple[int, Hit]]:
        """Hits for the active checks (indexes into the list given to `batch`)."""
        raise NotImplementedError


class CheckTimeout(Exception):
    """A check exceeded its time budget on one field (a hostile regex); reported, not fatal."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field
