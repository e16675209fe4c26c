"""What every report format says the same way: the names of severities and categories in each
language, the label language of a `--lang`, and the one-line verdict ("3 errors in 2 of 5
products — failing on error"). The terminal, Markdown, HTML and GitHub reports take them from
here, and so is how a value is written, so a verdict, a category or a boolean reads the same in
every format; nothing here imports rich.
"""

from __future__ import annotations

from typing import Optional

from listcheck.findings import format_value  # noqa: F401 - the reporters take it from here
from listcheck.model import Report, Severity, Summary
from listcheck.policy import FAIL_THRESHOLDS, too_many_warnings

SEVERITIES = (Severity.error, Severity.warning, Severity.info)

SEVERITY_NAMES: dict[str, dict[str, str]] = {
    "en": {"error": "error", "warning": "warning", "info": "info"},
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
}
CATEGORY_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "spec-mismatch": "spec mismatch",
        "prohibited-claim": "prohibited claim",
        "return-policy": "return policy",
        "shipping": "shipping",
        "completeness": "completeness",
        "input": "input",
    },
    "zh": {
        "spec-mismatch": "规格不符",
        "prohibited-claim": "违规宣传",
        "return-policy": "退货政策",
        "shipping": "发货与物流",
        "completeness": "信息完整性",
        "input": "数据输入",
    },
}


def label_lang(lang: str) -> str:
    """The label language for `lang`: "zh", "zh-CN", "zh_Hans" -> "zh"; anything else -> "en"."""
    base = lang.replace("_", "-").split("-")[0].lower()
    return base if base in SEVERITY_NAMES else "en"


def verdict(report: Report, lang: str = "en") -> str:
    """The one-line verdict in the language of `lang`."""
    return verdict_text(report, label_lang(lang))


def _plural(n: int, word: str, plural: Optional[str] = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def verdict_en(
    *,
    counts: dict[Severity, int],
    products_with: int,
    files_with: int,
    products: int,
    suppressed: int,
    baselined: int,
    fail_on: str,
    failed: bool,
    max_warnings: Optional[int] = None,
    over: bool = False,
) -> str:
    parts = []
    for severity, word, plural in (
        (Severity.error, "error", "errors"),
        (Severity.warning, "warning", "warnings"),
        (Severity.info, "info", "info"),
    ):
        if counts[severity]:
            parts.append(_plural(counts[severity], word, plural))
    if parts:
        where = []
        if products_with:
            if products >= products_with:
                where.append(f"{products_with} of {_plural(products, 'product')}")
            else:
                where.append(_plural(products_with, "product"))
        if files_with:
            where.append(_plural(files_with, "file"))
        line = ", ".join(parts) + (" in " + " and ".join(where) if where else "")
    elif products:
        line = f"No problems in {_plural(products, 'product')}"
    else:
        line = "No problems found"
    extras = []
    if suppressed:
        extras.append(f"{suppressed} suppressed")
    if baselined:
        extras.append(f"{baselined} baselined")
    if extras:
        line += f" ({', '.join(extras)})"
    limit = f"more than {_plural(max_warnings, 'warning')} (--max-warnings)" if over else ""
    if failed and over and not _threshold_reached(counts, fail_on):
        line += f" — failing on {limit}"
    elif failed:
        line += f" — failing on {fail_on}" + (f" and on {limit}" if over else "")
    else:
        line += f" — passing (fail on {fail_on})"
    return line


_ZH_THRESHOLD = {"error": "错误", "warning": "警告", "info": "提示", "never": "不设阈值"}


def verdict_zh(
    *,
    counts: dict[Severity, int],
    products_with: int,
    files_with: int,
    products: int,
    suppressed: int,
    baselined: int,
    fail_on: str,
    failed: bool,
    max_warnings: Optional[int] = None,
    over: bool = False,
) -> str:
    names = SEVERITY_NAMES["zh"]
    parts = [f"{counts[sev]} 个{names[sev.value]}" for sev in SEVERITIES if counts[sev]]
    if parts:
        where = []
        if products_with:
            if products >= products_with:
                where.append(f"{products} 个商品中的 {products_with} 个")
            else:
                where.append(f"{products_with} 个商品")
        if files_with:
            where.append(f"{files_with} 个文件")
        line = "、".join(parts) + ("，涉及 " + "及 ".join(where) if where else "")
    elif products:
        line = f"{products} 个商品均未发现问题"
    else:
        line = "未发现问题"
    extras = []
    if suppressed:
        extras.append(f"{suppressed} 条已忽略")
    if baselined:
        extras.append(f"{baselined} 条已在基线中")
    if extras:
        line += f"（另有 {'，'.join(extras)}）"
    threshold = _ZH_THRESHOLD.get(fail_on, fail_on)
    limit = f"；警告超过 {max_warnings} 个（--max-warnings）" if over else ""
    line += f" — {'未通过' if failed else '通过'}（失败阈值：{threshold}{limit}）"
    return line


def _threshold_reached(counts: dict[Severity, int], fail_on: str) -> bool:
    return any(count and severity.rank >= FAIL_THRESHOLDS[fail_on] for severity, count in counts.items())


_VERDICTS = {"en": verdict_en, "zh": verdict_zh}


def verdict_text(report: Report, label_lang: str) -> str:
    """The one-line verdict ("en" or "zh"), shared by the terminal and Markdown reports."""
    counts = {sev: 0 for sev in SEVERITIES}
    skus: set[str] = set()
    files: set[str] = set()
    suppressed = baselined = 0
    for finding in report.findings:
        if finding.suppressed:
            suppressed += 1
        elif finding.baselined:
            baselined += 1
        else:
            counts[finding.severity] += 1
            if finding.sku is not None:
                skus.add(finding.sku)
            else:
                files.add(finding.source.path if finding.source else "")
    summary = report.summary
    return _VERDICTS[label_lang](
        counts=counts,
        products_with=len(skus),
        files_with=len(files),
        products=summary.products,
        suppressed=suppressed,
        baselined=baselined,
        fail_on=summary.fail_on,
        failed=summary.failed,
        max_warnings=summary.max_warnings,
        # Decided as the summary decides it (policy.too_many_warnings), not counted again here.
        over=too_many_warnings({severity.value: count for severity, count in counts.items()}, summary.max_warnings),
    )


def summary_line(summary: Summary, baseline_fixed: Optional[int] = None) -> str:
    """The verdict line a run ends with on stderr ("listcheck: FAILED: ..."), from the summary
    the policy stage counted; `baseline_fixed`: the run's baseline entries no longer found."""
    counts = ", ".join(
        f"{summary.by_severity.get(name, 0)} {name}" + ("s" if summary.by_severity.get(name, 0) != 1 and name != "info" else "")
        for name in ("error", "warning", "info")
    )
    parts = [f"{counts} in {summary.products_with_findings} of {summary.products} products"]
    if summary.suppressed:
        parts.append(f"{summary.suppressed} suppressed")
    if baseline_fixed is not None:
        parts.append(f"{summary.baselined} baselined, {baseline_fixed} baseline entries fixed")
    reason = f"fail on {summary.fail_on}"
    if too_many_warnings(summary.by_severity, summary.max_warnings):
        reason += f"; {summary.by_severity.get(Severity.warning.value, 0)} warnings > --max-warnings {summary.max_warnings}"
    return f"listcheck: {'FAILED' if summary.failed else 'passed'}: " + "; ".join(parts) + f" ({reason})"
