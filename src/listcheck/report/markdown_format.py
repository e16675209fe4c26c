"""Markdown: a summary and a table of findings, for a ticket or a pull-request comment.

* a heading and the verdict line ("5 errors, 1 warning … — failing on error"), the same
  sentence the terminal report ends with;
* a summary table, category × severity, of active findings, with suppressed and baselined
  counts in their own columns;
* a findings table (severity, rule, SKU, field, message, matched text), active findings first
  then suppressed and baselined ones (marked), at most `MAX_ROWS` rows with a note saying how
  many more there are — "see the full report".

Cell text is escaped for GitHub-flavoured Markdown tables: `|` and the characters that would
start emphasis, links, code or HTML are backslash-escaped, newlines become spaces, so product
text can neither break the table nor inject markup or links into the comment. Other control
characters are shown as `\x1b`-style escapes (the report may be printed to a terminal).
"""

from __future__ import annotations

import re
from typing import Any, Optional, TextIO

from listcheck.model import Category, Finding, Report, Severity
from listcheck.report.common import ProductHeader, confidence_label, is_active, localized_message, visible_controls
from listcheck.report.presentation import CATEGORY_NAMES, SEVERITIES, SEVERITY_NAMES, label_lang, verdict

MAX_ROWS = 200

LABELS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "listcheck report",
        "summary": "Summary",
        "findings": "Findings",
        "severity": SEVERITY_NAMES["en"],
        "category": CATEGORY_NAMES["en"],
        "col_category": "Category",
        "col_total": "Total",
        "col_suppressed": "Suppressed",
        "col_baselined": "Baselined",
        "total": "Total",
        "col_severity": "Severity",
        "col_rule": "Rule",
        "col_sku": "SKU",
        "col_field": "Field",
        "col_message": "Message",
        "col_match": "Match",
        "suppressed": "suppressed",
        "baselined": "baselined",
        "more": "{n} more — see the full report.",
        "none": "No findings.",
    },
    "zh": {
        "title": "listcheck 检查报告",
        "summary": "汇总",
        "findings": "问题列表",
        "severity": SEVERITY_NAMES["zh"],
        "category": CATEGORY_NAMES["zh"],
        "col_category": "类别",
        "col_total": "合计",
        "col_suppressed": "已忽略",
        "col_baselined": "已在基线中",
        "total": "合计",
        "col_severity": "级别",
        "col_rule": "规则",
        "col_sku": "SKU",
        "col_field": "字段",
        "col_message": "说明",
        "col_match": "命中文本",
        "suppressed": "已忽略",
        "baselined": "已在基线中",
        "more": "另有 {n} 条未列出，请查看完整报告。",
        "none": "未发现问题。",
    },
}


def category_table(findings: list[Finding]) -> list[tuple[Category, list[int]]]:
    """Per category present: [error, warning, info, total, suppressed, baselined] counts."""
    rows: dict[Category, list[int]] = {}
    for finding in findings:
        row = rows.setdefault(finding.category, [0] * 6)
        if finding.suppressed:
            row[4] += 1
        elif finding.baselined:
            row[5] += 1
        else:
            row[SEVERITIES.index(finding.severity)] += 1
            row[3] += 1
    return [(category, rows[category]) for category in Category if category in rows]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def cell(value: Any) -> str:
    """Text safe inside a GFM table cell: one line, markup characters escaped."""
    if value is None:
        return ""
    text = visible_controls(" ".join(str(value).split()))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # "&" would start an entity (&lt; …).
    return text.replace("&", "&amp;")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render(
    report: Report,
    out: TextIO,
    *,
    lang: str = "en",
    color: Optional[bool] = None,
    products: Optional[dict[str, ProductHeader]] = None,
) -> None:
    del color, products
    labels = LABELS[label_lang(lang)]
    lines = [f"## {labels['title']}", "", f"**{cell(verdict(report, lang))}**", ""]

    if not report.findings:
        lines += [labels["none"]]
        out.write("\n".join(lines) + "\n")
        return

    lines += [f"### {labels['summary']}", ""]
    header = [labels["col_category"]] + [labels["severity"][s.value] for s in SEVERITIES]
    header += [labels["col_total"], labels["col_suppressed"], labels["col_baselined"]]
    lines.append(_row(header))
    lines.append("| --- " + "| ---: " * (len(header) - 1) + "|")
    table = category_table(report.findings)
    for category, counts in table:
        lines.append(_row([labels["category"][category.value]] + [str(n) for n in counts]))
    totals = [sum(counts[i] for _, counts in table) for i in range(6)]
    lines.append(_row([f"**{labels['total']}**"] + [f"**{n}**" for n in totals]))
    lines.append("")

    lines += [f"### {labels['findings']}", ""]
    columns = ["col_severity", "col_rule", "col_sku", "col_field", "col_message", "col_match"]
    lines.append(_row([labels[c] for c in columns]))
    lines.append("|" + " --- |" * len(columns))
    ordered = [f for f in report.findings if is_active(f)]
    ordered += [f for f in report.findings if not is_active(f)]
    for finding in ordered[:MAX_ROWS]:
        severity = labels["severity"][finding.severity.value]
        if finding.suppressed:
            severity += f" ({labels['suppressed']})"
        elif finding.baselined:
            severity += f" ({labels['baselined']})"
        message = cell(localized_message(finding, lang))
        if not is_active(finding) and message:
            message = f"~~{message}~~"
        if finding.suppression_reason:  # why it is suppressed, or that a suppression expired
            message += " — " + cell(finding.suppression_reason)
        confidence = confidence_label(finding, lang)
        if confidence:
            message += f" ({cell(confidence)})"
        match = f"`{_code(finding.match)}`" if finding.match else ""
        lines.append(
            _row(
                [
                    severity,
                    f"`{_code(finding.rule)}`",
                    cell(finding.sku),
                    cell(finding.field),
                    message,
                    match,
                ]
            )
        )
    if len(ordered) > MAX_ROWS:
        lines += ["", "_" + cell(labels["more"].format(n=len(ordered) - MAX_ROWS)) + "_"]
    out.write("\n".join(lines) + "\n")


def _code(value: str) -> str:
    """Text inside an inline code span in a table: no backticks, `|` escaped, one line."""
    return visible_controls(" ".join(value.split())).replace("`", "'").replace("|", "\\|")
