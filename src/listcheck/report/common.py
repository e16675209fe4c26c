"""What every reporter shares: the product header, localised messages, JSON-ready findings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

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


# (label, its values, the colon) in each language.
_CONFIDENCE_WORDS = {
    "en": ("confidence", {"high": "high", "medium": "medium", "low": "low"}, ": "),
    "zh": ("置信度", {"high": "高", "medium": "中", "low": "低"}, "："),
}


def confidence_parts(finding: Finding, lang: str) -> Optional[tuple[str, str, str]]:
    """(label, value, colon): ("confidence", "medium", ": ") / ("置信度", "中", "：") for a
    finding that has a confidence (spec mismatches), else None."""
    if finding.confidence is None:
        return None
    word, values, colon = _CONFIDENCE_WORDS["zh" if lang.replace("_", "-").split("-")[0].lower() == "zh" else "en"]
    return word, values[finding.confidence.value], colon


def confidence_label(finding: Finding, lang: str) -> Optional[str]:
    """"confidence: medium" / "置信度：中", else None: every format says how firmly the text
    was bound to the spec in the same words."""
    parts = confidence_parts(finding, lang)
    return None if parts is None else parts[0] + parts[2] + parts[1]


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


# C0 controls, DEL and C1 controls: ESC starts terminal escape sequences (OSC 52 writes the
# clipboard, CSI 2J clears the screen), and a UTF-8 terminal may read C1 (U+009B is CSI) too.
# Also the bidirectional controls (U+202E and kin, the "Trojan Source" characters): they make a
# terminal or a rendered page show text in an order other than the one it has, so a title
# could display as something it does not say.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_controls(text: str, keep: str = "") -> str:
    """`text` with each control character shown as a visible escape (ESC -> `\\x1b`), except
    those in `keep` (e.g. "\\n\\t" where the layout allows them): catalog and rule-pack text
    printed where a terminal reads it can then neither move the cursor nor run an escape."""
    if _CONTROLS.search(text) is None:
        return text
    return _CONTROLS.sub(lambda m: m.group(0) if m.group(0) in keep else _escape(m.group(0)), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
