"""The HTML report: self-contained, escaped, and working in a real headless Chromium.

The browser test drives Debian's `chromium` over the DevTools protocol on a pipe
(`--remote-debugging-pipe`: JSON messages separated by NUL bytes on file descriptors 3 and 4),
so it needs no Python package beyond the standard library. It loads the report from a file://
URL, checks the rows and the charts are rendered and that the page's script ran under the
page's own Content-Security-Policy, types into the search box (`Input.insertText`, real input
events), sets the severity select, sorts a column, and saves a full-page screenshot under
tmp_path. Without a Chromium binary it is skipped, saying so.
"""

from __future__ import annotations

import base64
import io
import json
import os
import selectors
import shutil
import signal
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Optional

import pytest

from listcheck.findings import assign_fingerprints
from listcheck.model import (
    Category,
    Context,
    Finding,
    Reference,
    Report,
    Severity,
    Source,
    Summary,
    ToolInfo,
)
from listcheck.report import ProductHeader, render
from listcheck.report.html_format import safe_url

FIXTURES = Path(__file__).parent / "fixtures" / "report"


def load_report() -> Report:
    report = Report.model_validate_json((FIXTURES / "report.json").read_text(encoding="utf-8"))
    assign_fingerprints(report.findings)
    return report


def load_products() -> dict[str, ProductHeader]:
    raw = json.loads((FIXTURES / "products.json").read_text(encoding="utf-8"))
    return {
        sku: ProductHeader(
            sku=sku,
            title=item.get("title"),
            supplier=item.get("supplier"),
            source=Source(**item["source"]) if item.get("source") else None,
        )
        for sku, item in raw.items()
    }


def html(report: Report, **kwargs: Any) -> str:
    out = io.StringIO()
    render(report, "html", out, **kwargs)
    return out.getvalue()


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report()


@pytest.fixture(scope="module")
def page(report) -> str:
    return html(report, lang="en", products=load_products())


class _Collector(HTMLParser):
    """Tags with their attributes, and the text of <script>/<style> blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, Optional[str]]]] = []
        self.scripts: list[str] = []
        self._in: Optional[str] = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)


def parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


# -- the document ---------------------------------------------------------------------------


def test_self_contained_no_network(page):
    doc = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    # Nothing is loaded from anywhere: no src/href to a resource, no @import or url() in CSS.
    for tag, attrs in doc.tags:
        assert "src" not in attrs, (tag, attrs)
        if tag == "link":
            pytest.fail(f"external resource: {attrs}")
    assert "@import" not in page and "url(" not in page
    # The only links are the references', opened without referrer or opener.
    anchors = [attrs for tag, attrs in doc.tags if tag == "a"]
    assert anchors
    for attrs in anchors:
        assert attrs["href"].startswith("https://")
        assert attrs["rel"] == "noopener noreferrer"
    csp = next(attrs["content"] for tag, attrs in doc.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp


def test_rows_context_and_chinese(report, page):
    doc = parse(page)
    rows = [attrs for tag, attrs in doc.tags if tag == "tr" and "data-severity" in attrs]
    assert len(rows) == len(report.findings)
    assert "保温杯 <mark>1000ml</mark> 316不锈钢 长效保温" in page
    # The product text is escaped, never read as markup.
    assert "本品<mark>最佳</mark>保温效果，[bold]不含[/bold]双酚A" in page
    statuses = [attrs["data-status"] for attrs in rows]
    assert statuses.count("suppressed") == 1 and statuses.count("baselined") == 1
    # Active findings first.
    assert statuses[: statuses.index("suppressed")] == ["active"] * 7
    assert "registered trade name, cleared by legal" in page
    assert "宁波杯业有限公司" in page
    zh = html(report, lang="zh", products=load_products())
    assert '<html lang="zh-CN">' in zh
    assert "标题写的是“1000ml”，但规格容量为 500 ml" in zh
    assert "问题列表" in zh


def test_charts_are_server_side_svg(page):
    doc = parse(page)
    svgs = [attrs for tag, attrs in doc.tags if tag == "svg"]
    assert len(svgs) == 2
    rects = [attrs for tag, attrs in doc.tags if tag == "rect"]
    # category × severity: spec-mismatch has error+warning, 4 more categories with one each;
    # supplier: Acme (error+warning), 宁波 (error), 深圳 (error+info), no supplier (error).
    assert len(rects) == 6 + 6
    assert {a["class"].split()[-1] for a in rects} == {"sev-error", "sev-warning", "sev-info"}


def test_hostile_text_is_escaped():
    evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>"\''
    finding = Finding(
        rule="x/evil",
        category=Category.prohibited_claim,
        severity=Severity.error,
        sku="<b>SKU</b>",
        supplier=evil,
        field="title",
        match="<img>",
        context=Context(text=f"a{evil}b<img>c", start=len(evil) + 2, end=len(evil) + 7),
        message=evil,
        references=[
            Reference(title="js", url="javascript:alert(3)"),
            Reference(title="ok", url="https://example.com/?a=1&b=<2>"),
        ],
        source=Source(path="c/<x>.yaml", line=1),
    )
    report = Report(
        tool=ToolInfo(version="0.1.0"),
        summary=Summary(products=1, products_with_findings=1, findings=1, failed=True),
        findings=[finding],
    )
    page = html(report)
    doc = parse(page)
    assert [tag for tag, _ in doc.tags].count("script") == 1  # only the report's own script
    assert not any("onerror" in attrs for _, attrs in doc.tags)
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page
    assert "<mark>&lt;img&gt;</mark>" in page
    hrefs = [attrs.get("href") for tag, attrs in doc.tags if tag == "a"]
    assert hrefs == ["https://example.com/?a=1&b=<2>"]  # javascript: is shown as text only
    assert safe_url("JavaScript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url("mailto:a@example.com") == "mailto:a@example.com"


def test_empty_report():
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(products=3), findings=[])
    page = html(report)
    assert "No findings." in page
    assert "No problems in 3 products" in page
    assert 'id="lc-findings"' not in page


# -- in a real browser ----------------------------------------------------------------------

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


def find_chromium() -> Optional[str]:
    explicit = os.environ.get("LISTCHECK_CHROMIUM")
    if explicit:
        return explicit
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _high_pipe() -> tuple[int, int]:
    """A pipe whose ends are above fd 9, so moving them onto fds 3 and 4 cannot clash."""
    import fcntl  # POSIX only, like --remote-debugging-pipe's fd 3 and 4

    ends = []
    for fd in os.pipe():
        high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
        os.close(fd)
        ends.append(high)
    return ends[0], ends[1]


class DevTools:
    """A minimal Chrome DevTools Protocol client over --remote-debugging-pipe."""

    def __init__(self, binary: str, profile: Path) -> None:
        cmd_read, self._cmd_write = _high_pipe()
        self._res_read, res_write = _high_pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4. The pipe ends sit above
        # fd 9, so moving them there in the child cannot overwrite each other.

        def onto_3_and_4() -> None:
            os.dup2(cmd_read, 3)
            os.dup2(res_write, 4)

        self.proc = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900",
             "about:blank"],
            pass_fds=(3, 4, cmd_read, res_write),
            preexec_fn=onto_3_and_4,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(cmd_read)
        os.close(res_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: Optional[str] = None

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer from Chromium")
            selector = selectors.DefaultSelector()
            selector.register(self._res_read, selectors.EVENT_READ)
            ready = selector.select(remaining)
            selector.close()
            if not ready:
                continue
            chunk = os.read(self._res_read, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: Optional[dict] = None, *, session: bool = True,
             timeout: float = 30) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._cmd_write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 30) -> dict[str, Any]:
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            event = self._read_message(deadline)
            if event.get("method") == method:
                return event
            self.events.append(event)

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open_page(self) -> None:
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        attached = self.send(
            "Target.attachToTarget", {"targetId": page["targetId"], "flatten": True}, session=False
        )
        self.session = attached["sessionId"]
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.send(domain)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        os.close(self._cmd_write)
        os.close(self._res_read)


@pytest.fixture
def browser(tmp_path):
    if os.name != "posix":
        pytest.skip("the DevTools pipe (file descriptors 3 and 4) needs a POSIX system")
    binary = find_chromium()
    if binary is None:
        pytest.skip(
            "no Chromium binary found (looked for " + ", ".join(CHROMIUM_NAMES)
            + " on PATH and $LISTCHECK_CHROMIUM); install Debian's `chromium` to run this test"
        )
    devtools = DevTools(binary, tmp_path / "chromium-profile")
    try:
        devtools.open_page()
        yield devtools
    finally:
        devtools.close()


def visible_rows(browser: DevTools) -> int:
    return browser.evaluate(
        "Array.from(document.querySelectorAll('#lc-findings tbody tr'))"
        ".filter(r => !r.hidden && r.getClientRects().length > 0).length"
    )


def test_html_in_headless_chromium(browser, report, page, tmp_path):
    path = tmp_path / "报告 report.html"
    path.write_text(page, encoding="utf-8")
    browser.send("Page.navigate", {"url": path.as_uri()})
    browser.wait_event("Page.loadEventFired")

    # The script ran (its CSP hash is right) and nothing was blocked or thrown.
    assert browser.evaluate("document.documentElement.dataset.ready") == "true"
    problems = [
        e for e in browser.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]
    assert problems == []
    assert browser.evaluate("document.characterSet") == "UTF-8"

    # Rows and charts are rendered (laid out, not just present in the source).
    total = len(report.findings)
    assert visible_rows(browser) == total
    chart = browser.evaluate(
        "(() => { const rects = document.querySelectorAll('#lc-chart-1 svg rect');"
        " const box = document.querySelector('#lc-chart-1 svg').getBoundingClientRect();"
        " return {rects: rects.length, width: box.width, height: box.height,"
        " widest: Math.max(...Array.from(rects).map(r => r.getBoundingClientRect().width))}; })()"
    )
    assert chart["rects"] == 6 and chart["width"] > 200 and chart["height"] > 50
    assert chart["widest"] > 50
    assert browser.evaluate("document.querySelector('#lc-findings mark').textContent") == "1000ml"
    assert "宁波杯业有限公司" in browser.evaluate("document.body.innerText")

    # Typing into the search box filters the rows.
    browser.evaluate("document.getElementById('lc-search').focus()")
    browser.send("Input.insertText", {"text": "FDA"})
    assert browser.evaluate("document.getElementById('lc-search').value") == "FDA"
    assert visible_rows(browser) == 3  # every finding of AMZ-2002, whose title says FDA
    browser.send("Input.insertText", {"text": " approved title"})
    assert visible_rows(browser) == 1  # all words must match: the finding on the title
    assert browser.evaluate("document.getElementById('lc-shown').textContent") == f"1 of {total} shown"
    # Chinese search text, full width folded: 最佳 appears in one finding's message and context.
    browser.evaluate(
        "(() => { const s = document.getElementById('lc-search'); s.value = '最佳';"
        " s.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )
    assert visible_rows(browser) == 1
    browser.evaluate(
        "(() => { const s = document.getElementById('lc-search'); s.value = 'ＴＭ－１００１';"
        " s.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )
    assert visible_rows(browser) == 3  # TM-1001: two errors and the suppressed warning
    # A filter that matches nothing says so.
    browser.evaluate(
        "(() => { const s = document.getElementById('lc-search'); s.value = 'no such thing';"
        " s.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )
    assert visible_rows(browser) == 0
    assert browser.evaluate("document.getElementById('lc-empty').hidden") is False

    # Clear the search; the severity select narrows to warnings (one active, one suppressed).
    browser.evaluate(
        "(() => { const s = document.getElementById('lc-search'); s.value = '';"
        " s.dispatchEvent(new Event('input', {bubbles: true}));"
        " const sel = document.getElementById('lc-severity'); sel.value = 'warning';"
        " sel.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )
    assert visible_rows(browser) == 2
    browser.evaluate(
        "(() => { const sel = document.getElementById('lc-status'); sel.value = 'active';"
        " sel.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )
    assert visible_rows(browser) == 1
    browser.evaluate(
        "(() => { for (const id of ['lc-severity', 'lc-status']) {"
        " const sel = document.getElementById(id); sel.value = '';"
        " sel.dispatchEvent(new Event('change', {bubbles: true})); } })()"
    )
    assert visible_rows(browser) == total

    # Sorting: click the severity header (info first), again (error first).
    order = (
        "Array.from(document.querySelectorAll('#lc-findings tbody tr'))"
        ".map(r => r.dataset.severity)"
    )
    browser.evaluate("document.querySelector('#lc-findings th button').click()")
    ascending = browser.evaluate(order)
    assert ascending == sorted(ascending, key=["info", "warning", "error"].index)
    assert browser.evaluate("document.querySelector('#lc-findings th').getAttribute('aria-sort')") == "ascending"
    browser.evaluate("document.querySelector('#lc-findings th button').click()")
    descending = browser.evaluate(order)
    assert descending == sorted(descending, key=["error", "warning", "info"].index)
    assert len(descending) == total

    # A screenshot of the whole page, for a person to look at.
    shot = browser.send(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, timeout=60
    )
    png = base64.b64decode(shot["data"])
    target = tmp_path / "report.png"
    target.write_bytes(png)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert target.stat().st_size > 20_000
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width >= 1000 and height >= 900
    if os.environ.get("LISTCHECK_KEEP_SCREENSHOT"):
        shutil.copy(target, os.environ["LISTCHECK_KEEP_SCREENSHOT"])


def test_find_chromium_honours_env(monkeypatch):
    monkeypatch.setenv("LISTCHECK_CHROMIUM", "/opt/chrome/chrome")
    assert find_chromium() == "/opt/chrome/chrome"
