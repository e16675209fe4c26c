"""The terminal report: what a merchandiser reads on a laptop, in English or Chinese.

Layout:

* one block per product, in the order of the product's first finding: a header
  (SKU, title truncated, supplier, `path:line`), then each finding in report order —
  severity, rule id, field (→ spec attribute), the message in the chosen language, the matched
  text highlighted inside its context, "spec says X, text says Y" (for other categories
  "expected X, found Y"), the references, and where the finding's source differs from the
  product's;
* findings without a SKU (a whole-file input problem) are grouped under their file path;
* suppressed and baselined findings are shown dimmed, with a `[suppressed: reason]` /
  `[baselined]` marker, and do not count in the verdict;
* a summary table, category × severity, counting active findings, with suppressed and
  baselined counts in their own columns;
* a one-line verdict ("3 errors, 2 warnings in 4 of 7 products — failing on error").

Colour: `color=None` means colour only when `out` is a terminal (and `NO_COLOR` is unset and
`TERM` is not `dumb`);
`FORCE_COLOR` is left to the caller, so a piped run is always plain text. Without colour no
ANSI escape is written at all, the width is fixed at 100 columns so output is stable, and the
matched text is wrapped in « » (not 【】, which Chinese listings use themselves) so the
highlight survives in plain text. With colour the match is bold, underlined, in the severity's
colour, with no markers. Product text is never read as rich markup, and every text that comes
from a catalog, a rule pack or a config (sku, title, supplier, path, message, match, context,
values, references) goes through `_safe` first: control characters other than the line breaks
and tabs the layout allows are shown as `\x1b`-style escapes, so a listing cannot send the
terminal an escape sequence (write the clipboard, clear the screen, move the cursor).
"""

from __future__ import annotations

import os
import re
from typing import Any, Optional, TextIO

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.cells import cell_len
from rich.text import Text

from listcheck.model import Category, Finding, Report, Severity
from listcheck.report.common import ProductHeader, confidence_label, format_source, is_active, localized_message, visible_controls
from listcheck.report.presentation import CATEGORY_NAMES, SEVERITIES, SEVERITY_NAMES, format_value, label_lang, verdict_text

PLAIN_WIDTH = 100
TITLE_WIDTH = 40
MARK_OPEN = "«"
MARK_CLOSE = "»"

SEVERITY_STYLE = {
    Severity.error: "bold red",
    Severity.warning: "bold yellow",
    Severity.info: "bold blue",
}
SEVERITY_COLOR = {Severity.error: "red", Severity.warning: "yellow", Severity.info: "blue"}

LABELS: dict[str, dict[str, Any]] = {
    "en": {
        "severity": SEVERITY_NAMES["en"],
        "category": CATEGORY_NAMES["en"],
        "file_group": "  (file)",
        "config": "config: {path}",
        "no_config": "config: none found (built-in defaults)",
        "no_file": "(no file)",
        "suppressed": "suppressed",
        "baselined": "baselined",
        "colon": ": ",
        "matched": "matched",
        "spec_both": "spec says {expected}, text says {found}",
        "spec_expected": "spec says {expected}",
        "spec_found": "text says {found}",
        "generic_both": "expected {expected}, found {found}",
        "generic_expected": "expected {expected}",
        "generic_found": "found {found}",
        "see": "see",
        "at": "at",
        "summary": "Summary",
        "col_category": "category",
        "col_total": "total",
        "total": "total",
    },
    "zh": {
        "severity": SEVERITY_NAMES["zh"],
        "category": CATEGORY_NAMES["zh"],
        "file_group": "（文件）",
        "config": "配置：{path}",
        "no_config": "配置：未找到（使用内置默认设置）",
        "no_file": "（无文件）",
        "suppressed": "已忽略",
        "baselined": "已在基线中",
        "colon": "：",
        "matched": "命中",
        "spec_both": "规格为 {expected}，文案为 {found}",
        "spec_expected": "规格为 {expected}",
        "spec_found": "文案为 {found}",
        "generic_both": "应为 {expected}，实际为 {found}",
        "generic_expected": "应为 {expected}",
        "generic_found": "实际为 {found}",
        "see": "依据",
        "at": "位置",
        "summary": "汇总",
        "col_category": "类别",
        "col_total": "合计",
        "total": "合计",
    },
}


def _isatty(out: TextIO) -> bool:
    isatty = getattr(out, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):
        return False


def make_console(out: TextIO, color: Optional[bool]) -> Console:
    """A Console on `out`: colour per `color` (None = only on a terminal), fixed width off one."""
    tty = _isatty(out)
    if color is None:
        color = tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return Console(
        file=out,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        no_color=not color,
        # The palette is the 8 standard colours, so "standard" is all any terminal needs.
        color_system="standard" if color else None,
        width=None if tty else PLAIN_WIDTH,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )


def render(
    report: Report,
    out: TextIO,
    *,
    lang: str = "en",
    color: Optional[bool] = None,
    products: Optional[dict[str, ProductHeader]] = None,
) -> None:
    console = make_console(out, color)
    # Rendered into a capture first so the padding rich adds to fill table cells can be cut
    # off the ends of lines: the plain output is then clean text to diff, grep or mail.
    console.begin_capture()
    try:
        _Renderer(console, lang, products or {}).render(report)
    finally:
        rendered = console.end_capture()
    out.write(_TRAILING_SPACE.sub(_keep_escapes, rendered))


# The end of a line made of spaces and style codes only: the spaces go, the codes stay.
_TRAILING_SPACE = re.compile(r"(?:[ \t]|\x1b\[[0-9;]*m)+$", re.MULTILINE)


def _keep_escapes(match: re.Match[str]) -> str:
    return match.group(0).replace(" ", "").replace("\t", "")


def _plain(value: str) -> str:
    """Text on one line: line breaks and tabs become spaces, one for one (offsets stay valid)."""
    return "".join(" " if ch in "\r\n\t\v\f" else ch for ch in value)


def _safe(value: str, *, lines: bool = False) -> str:
    """Untrusted text as the terminal view prints it: on one line (line breaks and tabs become
    spaces) or, with `lines`, keeping line breaks and tabs; every other control character (ESC,
    BEL, C1 …) becomes a visible escape such as `\\x1b`. Every catalog, pack or config text
    printed goes through here."""
    if lines:
        return visible_controls(value.replace("\r\n", "\n").replace("\r", "\n"), keep="\n\t")
    return visible_controls(_plain(value))


class _Renderer:
    def __init__(self, console: Console, lang: str, products: dict[str, ProductHeader]) -> None:
        self.console = console
        self.lang = lang
        self.label_lang = label_lang(lang)
        self.labels = LABELS[self.label_lang]
        self.products = products
        self.color = console.color_system is not None
        self.severity_width = max(cell_len(label) for label in self.labels["severity"].values())

    # -- the whole report ------------------------------------------------------------------

    def render(self, report: Report) -> None:
        groups: dict[tuple[str, str], list[Finding]] = {}
        for finding in report.findings:
            if finding.sku is not None:
                key = ("sku", finding.sku)
            else:
                key = ("file", finding.source.path if finding.source else "")
            groups.setdefault(key, []).append(finding)

        for (kind, name), findings in groups.items():
            self._group(kind, name, findings)
            self.console.print()

        if report.findings:
            self.console.print(self._summary_table(report.findings))
        config = report.tool.config
        self.console.print(Text(self.labels["config"].format(path=_safe(config)) if config else self.labels["no_config"],
                                style="dim"), soft_wrap=True)
        self.console.print(self._verdict(report), soft_wrap=True)

    # -- one product (or file) -------------------------------------------------------------

    def _group(self, kind: str, name: str, findings: list[Finding]) -> None:
        header, header_source = self._header(kind, name, findings)
        self.console.print(header, soft_wrap=True)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, min_width=self.severity_width)
        grid.add_column(ratio=1, overflow="fold")
        for finding in findings:
            style = None if is_active(finding) else "dim"
            grid.add_row(*self._finding_row(finding, header_source), style=style)
        self.console.print(Padding(grid, (0, 0, 0, 2)))

    def _header(self, kind: str, name: str, findings: list[Finding]) -> tuple[Text, Optional[str]]:
        labels = self.labels
        text = Text()
        if kind == "file":
            text.append(_safe(name) if name else labels["no_file"], style="bold")
            text.append(labels["file_group"], style="dim")
            return text, name or None

        product = self.products.get(name)
        supplier = product.supplier if product and product.supplier else None
        supplier = supplier or next((f.supplier for f in findings if f.supplier), None)
        source = product.source if product and product.source else None
        source = source or next((f.source for f in findings if f.source), None)
        where = format_source(source)

        text.append(_safe(name), style="bold")
        if product and product.title:
            title = Text(" ".join(_safe(product.title).split()))
            title.truncate(TITLE_WIDTH, overflow="ellipsis")
            text.append("  ")
            text.append_text(title)
        for part in (supplier, where):
            if part:
                text.append("  ·  ", style="dim")
                text.append(_safe(part), style="dim")
        return text, where

    def _finding_row(self, finding: Finding, header_source: Optional[str]) -> tuple[Text, Group]:
        labels = self.labels
        severity = Text(
            labels["severity"][finding.severity.value], style=SEVERITY_STYLE[finding.severity]
        )

        first = Text()
        first.append(_safe(finding.rule), style="bold")
        where_in_product = self._field_label(finding)
        if where_in_product:
            first.append("  ")
            first.append(_safe(where_in_product), style="cyan")
        if finding.suppressed:
            marker = labels["suppressed"]
            if finding.suppression_reason:
                marker += labels["colon"] + _safe(finding.suppression_reason)
            first.append(f"  [{marker}]", style="italic")
        elif finding.baselined:
            first.append(f"  [{labels['baselined']}]", style="italic")

        lines: list[Text] = [first, Text(_safe(localized_message(finding, self.lang), lines=True))]

        shown = self._shown_text(finding)
        if shown is not None:
            lines.append(shown)
        comparison = self._comparison(finding)
        confidence = confidence_label(finding, self.lang)
        if comparison or confidence:
            lines.append(Text(" · ".join(part for part in (comparison, confidence) if part)))
        if finding.references:
            refs = "; ".join(
                f"{ref.title} <{ref.url}>" if ref.url else ref.title for ref in finding.references
            )
            lines.append(Text(f"{labels['see']}{labels['colon']}{_safe(refs)}", style="dim"))
        where = format_source(finding.source)
        if where and where != header_source:
            lines.append(Text(f"{labels['at']}{labels['colon']}{_safe(where)}", style="dim"))
        return severity, Group(*lines)

    @staticmethod
    def _field_label(finding: Finding) -> str:
        if finding.field and finding.attribute:
            if finding.field in (f"spec.{finding.attribute}", finding.attribute):
                return finding.field
            return f"{finding.field} → spec.{finding.attribute}"
        if finding.field:
            return finding.field
        if finding.attribute:
            return f"spec.{finding.attribute}"
        return ""

    def _highlighted(self, text: str, severity: Severity) -> Text:
        if self.color:
            return Text(text, style=f"bold underline {SEVERITY_COLOR[severity]}")
        return Text(f"{MARK_OPEN}{text}{MARK_CLOSE}")

    def _shown_text(self, finding: Finding) -> Optional[Text]:
        """The match inside its context, or the match alone; None when there is neither."""
        context = finding.context
        if context is not None and context.text:
            body = context.text
            start = max(0, min(context.start, len(body)))
            end = max(start, min(context.end, len(body)))
            # Made safe piece by piece: the offsets are into the text as written.
            line = Text(_safe(body[:start]))
            if end > start:
                line.append_text(self._highlighted(_safe(body[start:end]), finding.severity))
            line.append(_safe(body[end:]))
            return line
        if finding.match:
            line = Text(f"{self.labels['matched']}{self.labels['colon']}")
            line.append_text(self._highlighted(_safe(finding.match), finding.severity))
            return line
        return None

    def _comparison(self, finding: Finding) -> Optional[str]:
        has_expected = finding.expected is not None
        has_found = finding.found is not None
        if not has_expected and not has_found:
            return None
        prefix = "spec" if finding.category == Category.spec_mismatch else "generic"
        suffix = "both" if has_expected and has_found else ("expected" if has_expected else "found")
        template = self.labels[f"{prefix}_{suffix}"]
        return template.format(
            expected=_safe(format_value(finding.expected)) if has_expected else "",
            found=_safe(format_value(finding.found)) if has_found else "",
        )

    # -- summary and verdict ---------------------------------------------------------------

    def _summary_table(self, findings: list[Finding]) -> Table:
        labels = self.labels
        active: dict[Category, dict[Severity, int]] = {}
        suppressed: dict[Category, int] = {}
        baselined: dict[Category, int] = {}
        for finding in findings:
            category = finding.category
            active.setdefault(category, {sev: 0 for sev in SEVERITIES})
            suppressed.setdefault(category, 0)
            baselined.setdefault(category, 0)
            if finding.suppressed:
                suppressed[category] += 1
            elif finding.baselined:
                baselined[category] += 1
            else:
                active[category][finding.severity] += 1

        categories = [category for category in Category if category in active]
        rows = []
        for category in categories:
            counts = [active[category][sev] for sev in SEVERITIES]
            rows.append(counts + [sum(counts), suppressed[category], baselined[category]])
        totals = [sum(column) for column in zip(*rows, strict=True)]

        table = Table(
            title=labels["summary"],
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE,
            show_edge=False,
            pad_edge=False,
            show_footer=True,
        )
        table.add_column(labels["col_category"], footer=labels["total"])
        styles = [SEVERITY_COLOR[sev] for sev in SEVERITIES] + ["bold", "dim", "dim"]
        headers = [labels["severity"][sev.value] for sev in SEVERITIES]
        headers += [labels["col_total"], labels["suppressed"], labels["baselined"]]
        for header, style, total in zip(headers, styles, totals, strict=True):
            table.add_column(header, footer=str(total), justify="right", style=style)
        for category, row in zip(categories, rows, strict=True):
            table.add_row(
                labels["category"][category.value],
                *(Text(str(n), style="dim") if n == 0 else str(n) for n in row),
            )
        return table

    def _verdict(self, report: Report) -> Text:
        text = verdict_text(report, self.label_lang)
        return Text(text, style="bold red" if report.summary.failed else "bold green")


