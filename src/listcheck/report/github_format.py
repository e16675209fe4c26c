"""GitHub Actions workflow commands: annotations on the catalog's lines in a pull request.

One command per *active* finding (suppressed and baselined findings are not emitted — they
would annotate lines nobody has to fix):

    ::error file=catalog/tmall.yaml,line=3,title=cn-ad-law/absolute-terms (TM-1001)::MESSAGE

error → `::error`, warning → `::warning`, info → `::notice`. The message is in the chosen
language; a second line gives the field, the matched text and expected/found (labels in the
same language). Escaping is
what the Actions runner unescapes (as `@actions/core` does it): in the message `%` → `%25`,
CR → `%0D`, LF → `%0A`; in property values additionally `:` → `%3A` and `,` → `%2C`. So a
listing's text stays inside its one line and its own property: a newline followed by `::error`
or `::add-mask` in a title cannot start a command of its own. Other control characters (ESC …)
are shown as `\x1b`-style escapes, as in the terminal report, so they cannot colour or hide
text in the job log. A finding without a file gets no
`file=`; `line=` is given only with a file (for a spreadsheet it is the row). The output ends
with the plain verdict line ("5 errors, … — failing on error"), which is not a command.
"""

from __future__ import annotations

from typing import Optional, TextIO

from listcheck.model import Finding, Report, Severity
from listcheck.report.common import ProductHeader, confidence_label, is_active, localized_message, visible_controls
from listcheck.report.presentation import format_value, verdict

_WORDS = {
    "en": {"expected": "expected ", "found": "found ", "sheet": "sheet "},
    "zh": {"expected": "应为 ", "found": "实际为 ", "sheet": "工作表 "},
}
COMMANDS = {Severity.error: "error", Severity.warning: "warning", Severity.info: "notice"}


def escape_data(value: str) -> str:
    """A workflow command's message (other control characters shown as `\\x1b` escapes)."""
    value = visible_controls(value, keep="\r\n\t")
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """A workflow command's property value (file, title …)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")




def annotation(finding: Finding, lang: str = "en") -> str:
    """The workflow command for one finding (without the trailing newline)."""
    props: list[str] = []
    source = finding.source
    if source is not None and source.path:
        props.append("file=" + escape_property(source.path.replace("\\", "/")))
        if source.line is not None and source.line >= 1:
            props.append(f"line={source.line}")
    title = finding.rule + (f" ({finding.sku})" if finding.sku else "")
    props.append("title=" + escape_property(title))

    words = _WORDS["zh" if lang.replace("_", "-").split("-")[0].lower() == "zh" else "en"]
    message = localized_message(finding, lang)
    details = []
    if finding.field:
        details.append(finding.field)
    if finding.match:
        details.append(f"“{finding.match}”")
    if finding.expected is not None:
        details.append(words["expected"] + format_value(finding.expected))
    if finding.found is not None:
        details.append(words["found"] + format_value(finding.found))
    confidence = confidence_label(finding, lang)
    if confidence:
        details.append(confidence)
    if source is not None and source.sheet:
        details.append(words["sheet"] + source.sheet)
    if finding.suppression_reason:  # an expired suppression says so
        details.append(finding.suppression_reason)
    if details:
        message += "\n" + " · ".join(details)
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{escape_data(message)}"


def render(
    report: Report,
    out: TextIO,
    *,
    lang: str = "en",
    color: Optional[bool] = None,
    products: Optional[dict[str, ProductHeader]] = None,
) -> None:
    del color, products
    for finding in report.findings:
        if is_active(finding):
            out.write(annotation(finding, lang) + "\n")
    # A plain line: a line that starts with "::" would be read as a command.
    line = verdict(report, lang).replace("\r", " ").replace("\n", " ")
    out.write(("listcheck: " + line) + "\n")
