"""The JSON report: the whole `Report` as one pretty-printed JSON document.

The shape is a contract: `report_json_schema()` (`listcheck schema report`) describes it.
Every finding field is written, `null` when it has no value, so consumers can rely on the keys
being there. `message` is in the requested language (falling back to English); `messages`
carries every language the rule provides.
"""

from __future__ import annotations

import json
from typing import Any, Optional, TextIO

from listcheck.model import Report
from listcheck.report.common import ProductHeader, localized_message


def report_json(report: Report, *, lang: str = "en") -> dict[str, Any]:
    """The JSON report as a Python object (what `render` writes)."""
    data = report.model_dump(mode="json")
    for finding, finding_data in zip(report.findings, data["findings"], strict=True):
        finding_data["message"] = localized_message(finding, lang)
    return data


def render(
    report: Report,
    out: TextIO,
    *,
    lang: str = "en",
    color: Optional[bool] = None,
    products: Optional[dict[str, ProductHeader]] = None,
) -> None:
    del color, products  # JSON has no colour and carries no product headers
    out.write(json.dumps(report_json(report, lang=lang), ensure_ascii=False, indent=2))
    out.write("\n")
