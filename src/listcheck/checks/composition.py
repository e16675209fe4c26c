"""`composition`: fibre and material percentages — does the spec add up, does the text agree?

    - id: mismatch/composition-claim
      kind: composition
      category: spec-mismatch
      severity: error
      attribute: composition           # "65%棉 35%聚酯纤维" or {cotton: 65, polyester: 35}
      alternatives: [material]         # read the material when there is no composition
      fields: [title, description, bullets]
      message: {en: "Text claims {found}, spec composition is {expected}", zh: "文案称{found}，规格成分为{expected}"}

    FAIL: {title: 纯棉T恤, spec: {composition: 65%棉 35%聚酯纤维}}
    PASS: {title: 纯棉T恤, spec: {composition: 100%棉}}

With `check: sum` the rule instead flags a spec composition that does not add up to 100 %.
Claims of purity (纯棉, 全棉, 100% cotton, pure silk, 真丝) need the fibre at `pure_minimum`
(100 by default; cashmere 95 where the rest is wool, per the fibre-content standard as the
vocabulary records it); a stated percentage (含棉量 95%) may differ from the spec by at most
`tolerance` percentage points.
"""

from __future__ import annotations

from typing import ClassVar, Iterator, Literal, Optional, Sequence

from pydantic import BaseModel, ConfigDict, Field

from listcheck.checks.base import CheckKind, Hit
from listcheck.model import Confidence, Product
from listcheck.text.composition import composition_parts, composition_total, extract_composition_claims, parse_composition
from listcheck.text.fields import MISSING, get_path, iter_texts


class CompositionParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    check: Literal["claims", "sum"] = "claims"
    alternatives: list[str] = Field(default_factory=list)
    # Percentage points a stated share may differ from the spec.
    tolerance: float = Field(default=5.0, ge=0, le=100)
    # Minimum share that supports a claim of purity, per fibre; `default` for the others.
    pure_minimum: dict[str, float] = Field(default_factory=lambda: {"default": 100.0})
    # Slack when checking that a spec adds up (rounded shares: 33.3 + 33.3 + 33.3).
    sum_slack: float = Field(default=0.5, ge=0)


def _describe(composition: dict[str, float]) -> str:
    return " ".join(f"{share:g}% {fibre}" for fibre, share in sorted(composition.items(), key=lambda i: -i[1]))


class CompositionKind(CheckKind):
    name = "composition"
    Params = CompositionParams
    message_values = ("composition",)
    default_fields: ClassVar[Sequence[str]] = ("title", "description", "bullets")

    def __init__(self, rule, params, *args, **kwargs) -> None:
        if not rule.attribute:
            raise ValueError("a `composition` rule needs `attribute` (the spec key it checks)")
        super().__init__(rule, params, *args, **kwargs)

    def _spec(self, product: Product, keys: Sequence[str]) -> tuple[Optional[str], Optional[dict[str, float]], bool]:
        """The spec key read, its composition, and whether it states shares: a material of
        "Nylon" names the main fibre, not 100% of it, and says nothing of minor ones."""
        for key in keys:
            raw = get_path(product, f"spec.{key}")
            if raw is MISSING or not isinstance(raw, (str, dict)):
                continue
            parsed = parse_composition(raw)
            if parsed:
                return key, parsed, isinstance(raw, dict) or any(ch.isdigit() for ch in raw)
        return None, None, False

    def spec_keys(self) -> Optional[tuple[str, ...]]:
        p: CompositionParams = self.params  # type: ignore[assignment]
        return (self.rule.attribute,) if p.check == "sum" else (self.rule.attribute, *p.alternatives)

    def check(self, product: Product) -> Iterator[Hit]:
        p: CompositionParams = self.params  # type: ignore[assignment]
        attribute = self.rule.attribute
        if p.check == "sum":
            raw = get_path(product, f"spec.{attribute}")
            if raw is MISSING or not isinstance(raw, (str, dict)):
                return
            # Each labelled part (face, back, lining) adds up to 100% on its own.
            for part in composition_parts(raw):
                total = composition_total(part)
                if abs(total - 100.0) > p.sum_slack:
                    yield Hit(field=f"spec.{attribute}", attribute=attribute, found=f"{total:g}%", expected="100%",
                              values={"composition": _describe(part)}, confidence=Confidence.high)
                    return
            return
        key, spec, shares_stated = self._spec(product, [attribute, *p.alternatives])
        if spec is None:
            return
        for path in self.fields:
            for label, text in iter_texts(product, path):
                for claim in extract_composition_claims(text[: self.limits.max_field_chars]):
                    if not shares_stated and claim.percent is not None and claim.percent < 50:
                        continue  # a minor fibre beside the main one the spec names (86% nylon, 12.9% polyester)
                    percent = claim.percent if shares_stated or claim.percent is None or claim.percent >= 100 else None
                    if not self._supported(claim.fibre, percent, spec):
                        claimed = f"{claim.percent:g}% {claim.fibre}" if claim.percent is not None else claim.fibre
                        yield Hit(
                            field=label, match=claim.text, start=claim.start, end=claim.end, text=text,
                            attribute=key, found=claimed, expected=_describe(spec), confidence=Confidence.high,
                        )
                        break  # one finding per field is enough to act on

    def _supported(self, fibre: str, percent: Optional[float], spec: dict[str, float]) -> bool:
        p: CompositionParams = self.params  # type: ignore[assignment]
        share = spec.get(fibre, 0.0)
        if percent is None:
            return share > 0
        if percent >= 100:
            minimum = p.pure_minimum.get(fibre, p.pure_minimum.get("default", 100.0))
            return share >= minimum - 1e-9
        return abs(share - percent) <= p.tolerance + 1e-9
