"""What every reporter shares: the product header, localised messages, JSON-ready findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from listcheck.model import Finding, Product, Source

DEFAULT_LANG = "en"


@dataclass(frozen=True)
class ProductHeader:
    """What a report shows above a product's findings; findings alone carry no title."""

    sku: str
    title: Optional[str] = None
    supplier: Optional[str] = None
    source: Optional[Source] = None

    @classmethod
    def from_product(cls, product: Product) -> ProductHeader:
        return cls(
            sku=product.sku,
            title=product.title,
            supplier=product.supplier,
            source=product.source,
        )


def localized_message(finding: Finding, lang: str) -> str:
    """The finding's message in `lang` ("zh-CN" also finds "zh"), else English, else `message`."""
    messages = finding.messages or {}
    base = lang.replace("_", "-").split("-")[0].lower()
    return messages.get(lang) or messages.get(base) or messages.get(DEFAULT_LANG) or finding.message


def finding_json(finding: Finding, lang: str) -> dict[str, Any]:
    """A finding as the JSON report has it: every field kept (None as null), message in `lang`."""
    data = finding.model_dump(mode="json")
    data["message"] = localized_message(finding, lang)
    return data


def format_source(source: Optional[Source]) -> Optional[str]:
    """`path:line`, or `path[sheet]:row` for a spreadsheet; None when there is no source."""
    if source is None:
        return None
    where = source.path
    if source.sheet:
        where += f"[{source.sheet}]"
    if source.line is not None:
        where += f":{source.line}"
    return where


def is_active(finding: Finding) -> bool:
    """A finding that counts towards the verdict: neither suppressed nor in the baseline."""
    return not finding.suppressed and not finding.baselined
