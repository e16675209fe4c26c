"""The terminal reporter, rendered to a StringIO (plain text) and to a fake terminal (colour)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from listcheck.findings import assign_fingerprints
from listcheck.model import (
    Category,
    Context,
    Finding,
    Product,
    Report,
    Severity,
    Source,
    Summary,
    ToolInfo,
)
from listcheck.report import ProductHeader, render
from listcheck.report.presentation import verdict_en, verdict_zh

FIXTURES = Path(__file__).parent / "fixtures" / "report"
ANSI = "\x1b["


def load_report() -> Report:
    report = Report.model_validate_json((FIXTURES / "report.json").read_text(encoding="utf-8"))
    assign_fingerprints(report.findings)
    return report


def load_products() -> dict[str, ProductHeader]:
    raw = json.loads((FIXTURES / "products.json").read_text(encoding="utf-8"))
    return {
        sku: ProductHeader(
            sku=sku, title=p["title"], supplier=p["supplier"], source=Source(**p["source"])
        )
        for sku, p in raw.items()
    }


def terminal(report: Report, out: io.StringIO | None = None, **kwargs) -> str:
    out = out if out is not None else io.StringIO()
    render(report, "terminal", out, **kwargs)
    return out.getvalue()


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report()


@pytest.fixture(scope="module")
def products() -> dict[str, ProductHeader]:
    return load_products()


@pytest.fixture(scope="module")
def en(report, products) -> str:
    return terminal(report, lang="en", products=products)


@pytest.fixture(scope="module")
def zh(report, products) -> str:
    return terminal(report, lang="zh", products=products)


def table_row(text: str, label: str) -> list[str]:
    """The cells after `label` on the summary-table line that starts with it."""
    line = next(line for line in text.splitlines() if line.startswith(label + " "))
    return line[len(label) :].split()


# -- plain text ---------------------------------------------------------------------------


def test_piped_output_has_no_ansi_codes(en, zh):
    assert ANSI not in en and ANSI not in zh
    assert "\x1b" not in en + zh


def test_color_false_is_plain_even_on_a_terminal(report):
    assert ANSI not in terminal(report, FakeTTY(), color=False)


def test_no_color_env_turns_colour_off_on_a_terminal(report, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert ANSI not in terminal(report, FakeTTY())


def test_terminal_gets_colour(report, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert ANSI in terminal(report, FakeTTY())
    monkeypatch.setenv("TERM", "dumb")
    assert ANSI not in terminal(report, FakeTTY())


def test_forced_colour_highlights_without_markers(report):
    text = terminal(report, color=True)
    assert ANSI in text
    assert "«" not in text and "»" not in text
    # The match itself is styled: bold + underline in the severity's colour (error = red).
    assert re.search(r"保温杯 \x1b\[(?:[0-9]+;)*4(?:;[0-9]+)*m1000ml\x1b\[0m 316不锈钢", text)


def test_plain_output_has_no_trailing_spaces(en, zh):
    for line in (en + zh).splitlines():
        assert line == line.rstrip(), repr(line)


def test_plain_output_is_stable(report, products, en):
    assert terminal(report, lang="en", products=products) == en


# -- grouping and headers -----------------------------------------------------------------


def test_products_in_order_of_first_finding(en):
    tm = en.index("TM-1001  ")
    amz = en.index("AMZ-2002  ")
    file_group = en.index("catalog/amazon.csv  (file)")
    jd = en.index("JD-3003  ")
    assert tm < amz < file_group < jd
    # TM-1001's second finding comes after an AMZ-2002 finding in the report,
    # but it is shown with its product.
    assert tm < en.index("cn-ad-law/absolute-terms") < amz
    # Within a product, findings keep their order.
    assert (
        en.index("us-claims/fda-approved")
        < en.index("spec-mismatch/color")
        < en.index("completeness/images")
    )


def test_product_header_shows_title_supplier_and_location(en):
    header = next(line for line in en.splitlines() if line.startswith("TM-1001"))
    assert "保温杯 500ml 316不锈钢" in header
    assert header.count("…") == 1 and "送杯刷" not in header  # the long title is truncated
    assert "宁波杯业有限公司" in header
    assert header.endswith("catalog/tmall.yaml:3")
    amz = next(line for line in en.splitlines() if line.startswith("AMZ-2002"))
    assert amz.startswith("AMZ-2002  Stainless Steel Water Bottle") and "Acme Ltd" in amz


def test_header_without_product_info_uses_what_findings_carry(report):
    text = terminal(report)  # no `products`
    assert "TM-1001  ·  宁波杯业有限公司  ·  catalog/tmall.yaml:3" in text
    assert "JD-3003  ·  深圳数码科技  ·  catalog/jd.xlsx[商品]:5" in text


def test_findings_without_sku_are_grouped_under_their_file(en, zh):
    assert "\ncatalog/amazon.csv  (file)\n  error    input/unreadable-row\n" in en
    assert "Row 12 cannot be read: 3 columns where the header has 9" in en
    assert "at: catalog/amazon.csv:12" in en
    assert "\ncatalog/amazon.csv（文件）\n" in zh
    assert "位置：catalog/amazon.csv:12" in zh


# -- findings -----------------------------------------------------------------------------


def test_finding_lines_en(en):
    assert "  error    spec-mismatch/capacity  title → spec.capacity\n" in en
    assert "The title says 1000ml but the spec capacity is 500 ml" in en
    assert "see: GB 7718-2011 §4.1.5 <https://example.com/gb7718>" in en
    assert "  warning  spec-mismatch/color  description → spec.color\n" in en
    assert "  info     acme/bullet-count  bullets\n" in en


def test_match_is_marked_inside_its_context(en, zh):
    for text in (en, zh):
        assert "保温杯 «1000ml» 316不锈钢 长效保温" in text
        assert "Stainless Steel Water Bottle 32 oz, 100% «FDA approved», BPA free" in text
        assert "本品«最佳»保温效果" in text
    # No context: the match alone.
    assert "matched: «black»" in en
    assert "命中：«black»" in zh


def test_listing_text_is_not_read_as_markup(en):
    assert "[bold]不含[/bold]双酚A" in en


def test_expected_and_found(en, zh):
    assert "spec says 500 ml, text says 1000 ml" in en
    assert "规格为 500 ml，文案为 1000 ml" in zh
    assert "spec says red, text says black" in en
    # Not a spec mismatch: the generic wording; dicts and whole floats read naturally.
    assert "expected no_reason_days: 7, found 0" in en
    assert "应为 no_reason_days: 7，实际为 0" in zh
    assert "expected 5, found 2\n" in en
    assert "应为 5，实际为 2\n" in zh


def test_messages_follow_lang(en, zh):
    assert "广告法禁止使用“最佳”等绝对化用语" in zh
    assert "Absolute term '最佳' is forbidden by the Advertising Law" not in zh
    assert "Absolute term '最佳' is forbidden by the Advertising Law" in en
    assert "广告法禁止使用“最佳”等绝对化用语" not in en
    # English only: shown in the Chinese report too.
    assert "Listings should have five bullets" in zh
    assert "依据：广告法 第九条 <https://example.com/ad-law-9>" in zh


def test_suppressed_and_baselined_are_marked(en, zh):
    assert "[suppressed: registered trade name" in en
    assert "[已忽略：registered trade name, cleared by legal]" in zh
    assert "completeness/images  images  [baselined]" in en
    assert "completeness/images  images  [已在基线中]" in zh


def test_suppressed_findings_are_dimmed_in_colour(report):
    text = terminal(report, color=True)
    line = next(line for line in text.splitlines() if "[suppressed:" in line)
    dim = r"\x1b\[(?:[0-9]+;)*2(?:;[0-9]+)*m"
    assert re.search(dim + "cn-ad-law/absolute-terms", line)
    active = next(line for line in text.splitlines() if "spec-mismatch/capacity" in line)
    assert not re.search(dim + "spec-mismatch/capacity", active)


# -- summary and verdict ------------------------------------------------------------------


def test_summary_table_en(en):
    assert "\nSummary\n" in en
    header = table_row(en, "category")
    assert header == ["error", "warning", "info", "total", "suppressed", "baselined"]
    #                                            error warn info total supp base
    assert table_row(en, "spec mismatch") == ["1", "1", "0", "2", "0", "0"]
    assert table_row(en, "prohibited claim") == ["2", "0", "0", "2", "1", "0"]
    assert table_row(en, "return policy") == ["1", "0", "0", "1", "0", "0"]
    assert table_row(en, "completeness") == ["0", "0", "1", "1", "0", "1"]
    assert table_row(en, "input") == ["1", "0", "0", "1", "0", "0"]
    assert table_row(en, "total") == ["5", "1", "1", "7", "1", "1"]


def test_summary_table_zh(zh):
    assert "\n汇总\n" in zh
    assert table_row(zh, "类别") == ["错误", "警告", "提示", "合计", "已忽略", "已在基线中"]
    assert table_row(zh, "违规宣传") == ["2", "0", "0", "2", "1", "0"]
    assert table_row(zh, "合计") == ["5", "1", "1", "7", "1", "1"]


def test_verdict_en(en):
    assert en.endswith(
        "\n5 errors, 1 warning, 1 info in 3 of 7 products and 1 file "
        "(1 suppressed, 1 baselined) — failing on error\n"
    )


def test_verdict_zh(zh):
    assert zh.endswith(
        "\n5 个错误、1 个警告、1 个提示，涉及 7 个商品中的 3 个及 1 个文件"
        "（另有 1 条已忽略，1 条已在基线中） — 未通过（失败阈值：错误）\n"
    )


def test_clean_report():
    report = Report(
        tool=ToolInfo(version="0.1.0"), summary=Summary(products=7, fail_on="warning"), findings=[]
    )
    en = terminal(report)
    assert en == "config: none found (built-in defaults)\nNo problems in 7 products — passing (fail on warning)\n"
    assert terminal(report, lang="zh") == "配置：未找到（使用内置默认设置）\n7 个商品均未发现问题 — 通过（失败阈值：警告）\n"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            dict(
                counts={Severity.error: 1, Severity.warning: 0, Severity.info: 0},
                products_with=1,
                files_with=0,
                products=1,
                suppressed=0,
                baselined=0,
                fail_on="error",
                failed=True,
            ),
            "1 error in 1 of 1 product — failing on error",
        ),
        (
            dict(
                counts={Severity.error: 0, Severity.warning: 2, Severity.info: 3},
                products_with=2,
                files_with=0,
                products=0,
                suppressed=0,
                baselined=4,
                fail_on="never",
                failed=False,
            ),
            "2 warnings, 3 info in 2 products (4 baselined) — passing (fail on never)",
        ),
        (
            dict(
                counts={Severity.error: 1, Severity.warning: 0, Severity.info: 0},
                products_with=0,
                files_with=2,
                products=0,
                suppressed=0,
                baselined=0,
                fail_on="error",
                failed=True,
            ),
            "1 error in 2 files — failing on error",
        ),
        (
            dict(
                counts={Severity.error: 0, Severity.warning: 0, Severity.info: 0},
                products_with=0,
                files_with=0,
                products=0,
                suppressed=2,
                baselined=0,
                fail_on="error",
                failed=False,
            ),
            "No problems found (2 suppressed) — passing (fail on error)",
        ),
    ],
)
def test_verdict_en_wording(kwargs, expected):
    assert verdict_en(**kwargs) == expected


def test_verdict_zh_wording():
    assert (
        verdict_zh(
            counts={Severity.error: 0, Severity.warning: 2, Severity.info: 0},
            products_with=2,
            files_with=0,
            products=0,
            suppressed=0,
            baselined=0,
            fail_on="never",
            failed=False,
        )
        == "2 个警告，涉及 2 个商品 — 通过（失败阈值：不设阈值）"
    )


def test_verdict_counts_follow_the_findings_not_the_summary():
    findings = [
        Finding(
            rule="a/b",
            category=Category.completeness,
            severity=Severity.warning,
            sku="S1",
            message="m",
        ),
        Finding(
            rule="a/b",
            category=Category.completeness,
            severity=Severity.warning,
            sku="S2",
            message="m",
            suppressed=True,
        ),
    ]
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(products=2), findings=findings)
    text = terminal(report)
    assert text.endswith(
        "\n1 warning in 1 of 2 products (1 suppressed) — passing (fail on error)\n"
    )
    # One category only: the table still has its total line.
    assert table_row(text, "completeness") == ["0", "1", "0", "1", "1", "0"]
    assert table_row(text, "total") == ["0", "1", "0", "1", "1", "0"]


# -- robustness ---------------------------------------------------------------------------


def test_odd_contexts_do_not_break_the_view():
    findings = [
        Finding(
            rule="a/newline",
            category=Category.prohibited_claim,
            severity=Severity.error,
            sku="S1",
            field="description",
            match="最佳",
            message="m",
            context=Context(text="第一行\n最佳\t效果", start=4, end=6),
        ),
        Finding(
            rule="a/out-of-range",
            category=Category.prohibited_claim,
            severity=Severity.error,
            sku="S1",
            field="title",
            match="x",
            message="m",
            context=Context(text="abc", start=2, end=99),
        ),
        Finding(
            rule="a/empty-span",
            category=Category.completeness,
            severity=Severity.info,
            sku="S1",
            field="title",
            message="m",
            context=Context(text="abc", start=1, end=1),
        ),
        Finding(
            rule="a/no-source", category=Category.input, severity=Severity.error, message="broken"
        ),
    ]
    text = terminal(Report(tool=ToolInfo(version="0.1.0"), summary=Summary(), findings=findings))
    assert "第一行 «最佳» 效果" in text
    assert "ab«c»" in text
    assert "\n           abc\n" in text
    assert "\n(no file)  (file)\n" in text


def test_header_from_a_product(report):
    product = Product(sku="TM-1001", title="保温杯 500ml", supplier="宁波杯业有限公司")
    product._source = Source(path="catalog/tmall.yaml", line=3)
    header = ProductHeader.from_product(product)
    assert header == ProductHeader(
        sku="TM-1001",
        title="保温杯 500ml",
        supplier="宁波杯业有限公司",
        source=Source(path="catalog/tmall.yaml", line=3),
    )
    text = terminal(report, products={"TM-1001": header})
    assert "\nTM-1001  保温杯 500ml  ·  宁波杯业有限公司  ·  catalog/tmall.yaml:3\n" in "\n" + text


def test_unknown_lang_falls_back_to_english_labels():
    finding = Finding(
        rule="a/b",
        category=Category.prohibited_claim,
        severity=Severity.error,
        sku="S1",
        message="english",
        messages={"en": "english", "fr": "français"},
    )
    text = terminal(
        Report(tool=ToolInfo(version="0.1.0"), summary=Summary(), findings=[finding]), lang="fr"
    )
    assert "  error  " in text and "français" in text and "Summary" in text


def test_regional_lang_codes_use_the_base_language(report, products, zh):
    assert terminal(report, lang="zh-CN", products=products) == zh
    assert terminal(report, lang="zh_Hans", products=products) == zh
