"""Reporters: turn a `Report` into terminal, JSON or JSON Lines output.

Each format is one module exposing

    render(report, out, *, lang="en", color=None, products=None) -> None

and one line in `_RENDERERS` below. Modules are imported only when their format is used, so
`--format json` never loads rich. To add a format (sarif, junit, ...): write the module, add
its line to `_RENDERERS`; `FORMATS` follows.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Optional, TextIO

from listcheck.errors import ListcheckError

if TYPE_CHECKING:
    from listcheck.model import Report
    from listcheck.report.common import ProductHeader, localized_message
    from listcheck.report.schema import report_json_schema

# format name -> module that implements it (in the order `--help` lists them)
_RENDERERS: dict[str, str] = {
    "terminal": "listcheck.report.terminal",
    "json": "listcheck.report.json_format",
    "jsonl": "listcheck.report.jsonl_format",
    "sarif": "listcheck.report.sarif_format",
    "junit": "listcheck.report.junit_format",
    "github": "listcheck.report.github_format",
    "csv": "listcheck.report.csv_format",
    "markdown": "listcheck.report.markdown_format",
    "html": "listcheck.report.html_format",
}

FORMATS: tuple[str, ...] = tuple(_RENDERERS)

__all__ = [
    "FORMATS",
    "ProductHeader",
    "UnknownFormatError",
    "localized_message",
    "render",
    "report_json_schema",
]


# Re-exported, imported on first use: the CLI reads FORMATS to build its options, and
# `listcheck --version` or `--help` should not wait for pydantic and the report model.
_LAZY = {
    "ProductHeader": "listcheck.report.common",
    "localized_message": "listcheck.report.common",
    "report_json_schema": "listcheck.report.schema",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


class UnknownFormatError(ListcheckError, ValueError):
    """The requested output format does not exist (a bad argument: exit 2)."""


def render(
    report: Report,
    fmt: str,
    out: TextIO,
    *,
    lang: str = "en",
    color: Optional[bool] = None,
    products: Optional[dict[str, ProductHeader]] = None,
) -> None:
    """Write `report` to `out` in format `fmt` (one of `FORMATS`).

    `lang` picks the language of messages and labels ("en" or "zh"; messages fall back to
    English). `color`: None = colour only when `out` is a terminal; False = never, True = always
    (terminal format only). `products` maps SKU -> ProductHeader so the terminal view can show
    product titles; without it the view shows what the findings carry.
    """
    module_name = _RENDERERS.get(fmt)
    if module_name is None:
        raise UnknownFormatError(
            f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}"
        )
    module = importlib.import_module(module_name)
    module.render(report, out, lang=lang, color=color, products=products)
