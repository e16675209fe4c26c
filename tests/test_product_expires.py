"""A product's own `listcheck.ignore[].expires` is read as the config's is: a number or text that
is no date is refused with the product's file, line and field, never a suppression that silently
never expires; the product is checked all the same."""

from __future__ import annotations

import json
import textwrap

import pytest

from conftest import run_cli

# A towel with no category: core/category-present (a warning) is the finding each product suppresses.
TOWEL = {"title": "Soft cotton towel, 70 x 140 cm", "description": "A soft cotton towel for the bathroom."}
SUPPRESSED = "core/category-present"


def findings_of(catalog, cwd):
    result = run_cli("check", catalog.name, "--format", "json", cwd=cwd)
    return result, json.loads(result.stdout)["findings"]


def test_a_jsonl_expiry_that_is_no_date_is_refused_with_its_line(tmp_path):
    products = [
        {"sku": "N1", **TOWEL, "listcheck": {"ignore": [{"rule": SUPPRESSED, "reason": "set upstream", "expires": "next year"}]}},
        {"sku": "N2", **TOWEL, "listcheck": {"ignore": [{"rule": SUPPRESSED, "reason": "set upstream", "expires": 20271231}]}},
        {"sku": "OK", **TOWEL, "listcheck": {"ignore": [{"rule": SUPPRESSED, "reason": "set upstream", "expires": "2099-12-31"}]}},
    ]
    catalog = tmp_path / "towels.jsonl"
    catalog.write_text("".join(json.dumps(p) + "\n" for p in products), encoding="utf-8")
    result, findings = findings_of(catalog, tmp_path)
    assert result.returncode == 1  # a refused suppression is an error: the gate fails on it

    refused = {f["sku"]: f for f in findings if f["rule"] == "input/invalid-suppression"}
    assert set(refused) == {"N1", "N2"}
    assert refused["N1"]["source"]["path"] == "towels.jsonl" and refused["N1"]["source"]["line"] == 1
    assert refused["N2"]["source"]["line"] == 2
    assert all(f["field"] == "listcheck.ignore.0.expires" and f["severity"] == "error" for f in refused.values())
    assert "not 'next year'" in refused["N1"]["message"]
    assert "not the number 20271231" in refused["N2"]["message"]
    assert "YYYY-MM-DD" in refused["N1"]["messages"]["zh"] and "未生效" in refused["N1"]["messages"]["zh"]

    # The products were checked, and the refused suppressions not applied; the good one holds.
    category = {f["sku"]: f for f in findings if f["rule"] == SUPPRESSED}
    assert set(category) == {"N1", "N2", "OK"}
    assert not category["N1"]["suppressed"] and not category["N2"]["suppressed"]
    assert category["OK"]["suppressed"]
    assert "OK" not in refused


def test_a_yaml_expiry_that_is_no_date_is_refused_in_the_terminal_report(tmp_path):
    catalog = tmp_path / "towels.yaml"
    catalog.write_text(textwrap.dedent(f"""\
        products:
          - sku: Y1
            title: {TOWEL["title"]}
            description: {TOWEL["description"]}
            listcheck:
              ignore:
                - {{rule: {SUPPRESSED}, reason: set upstream, expires: next year}}
          - sku: Y2
            title: {TOWEL["title"]}
            description: {TOWEL["description"]}
            listcheck:
              ignore:
                - {{rule: {SUPPRESSED}, reason: set upstream, expires: 2027}}
          - sku: Y3
            title: {TOWEL["title"]}
            description: {TOWEL["description"]}
            listcheck:
              ignore:
                - {{rule: {SUPPRESSED}, reason: set upstream, expires: 2099-12-31}}
        """), encoding="utf-8")
    result, findings = findings_of(catalog, tmp_path)
    refused = {f["sku"]: f for f in findings if f["rule"] == "input/invalid-suppression"}
    assert set(refused) == {"Y1", "Y2"}
    assert (refused["Y1"]["source"]["line"], refused["Y2"]["source"]["line"]) == (2, 8)
    assert "not the number 2027" in refused["Y2"]["message"]
    assert [f["suppressed"] for f in findings if f["rule"] == SUPPRESSED] == [False, False, True]

    terminal = run_cli("check", catalog.name, cwd=tmp_path)
    assert terminal.returncode == 1
    assert "towels.yaml:2" in terminal.stdout and "listcheck.ignore.0.expires" in terminal.stdout
    assert "input/invalid-suppression" in terminal.stdout


@pytest.mark.parametrize("expires", ["2099-12-31", "2020-01-01"])
def test_a_product_expiry_that_is_a_date_is_not_refused(tmp_path, expires):
    catalog = tmp_path / "towels.jsonl"
    record = {"sku": "D1", **TOWEL, "listcheck": {"ignore": [{"rule": SUPPRESSED, "reason": "r", "expires": expires}]}}
    catalog.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result, findings = findings_of(catalog, tmp_path)
    assert not [f for f in findings if f["rule"].startswith("input/")]
    (category,) = [f for f in findings if f["rule"] == SUPPRESSED]
    # Before its date the finding is suppressed; after it, active again and saying so.
    assert category["suppressed"] == (expires == "2099-12-31")
    assert result.returncode == 0
