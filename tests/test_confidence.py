"""How firmly a spec mismatch was bound (confidence) and what --min-confidence reports."""

from __future__ import annotations

import json

from conftest import run_cli

# Two JD listings: the first states its net content with the cue word (high), the second names
# one amount in the title with no cue (medium); a third names two colours, none the spec's (low).
CATALOG = [
    {"sku": "CUE", "title": "云南普洱茶饼", "description": "净含量：500g", "category": "food/tea",
     "platform": "tmall", "market": "CN", "spec": {"net_content": "357 g"}},
    {"sku": "SOLE", "title": "云南普洱茶饼 500g", "category": "food/tea",
     "platform": "tmall", "market": "CN", "spec": {"net_content": "357 g"}},
    {"sku": "TWO-TONE", "title": "Women Black and Golden maxi skirt", "category": "apparel/skirts",
     "platform": "amazon", "market": "US", "spec": {"color": "Red"}},
]


def _write(tmp_path, config: str | None = None):
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in CATALOG) + "\n", encoding="utf-8")
    if config is not None:
        (tmp_path / "listcheck.yaml").write_text(config, encoding="utf-8")
    return catalog


def _found(result) -> dict[str, str]:
    report = json.loads(result.stdout)
    return {f["sku"]: f["confidence"] for f in report["findings"] if f["category"] == "spec-mismatch"}


def test_the_default_reports_high_and_medium(tmp_path):
    catalog = _write(tmp_path)
    found = _found(run_cli("check", str(catalog), "--rules", "mismatch", "-f", "json"))
    assert found == {"CUE": "high", "SOLE": "medium"}


def test_min_confidence_high_keeps_only_cue_bound_findings(tmp_path):
    catalog = _write(tmp_path)
    found = _found(run_cli("check", str(catalog), "--rules", "mismatch", "-f", "json", "--min-confidence", "high"))
    assert found == {"CUE": "high"}


def test_min_confidence_in_the_config_and_in_every_format(tmp_path):
    catalog = _write(tmp_path, "extends: [mismatch]\nmin_confidence: low\n")
    found = _found(run_cli("check", str(catalog), "-f", "json"))
    assert found == {"CUE": "high", "SOLE": "medium", "TWO-TONE": "low"}
    sarif = json.loads(run_cli("check", str(catalog), "-f", "sarif").stdout)
    assert sorted(r["properties"]["confidence"] for r in sarif["runs"][0]["results"]) == ["high", "low", "medium"]
    csv_text = run_cli("check", str(catalog), "-f", "csv").stdout
    assert "confidence" in csv_text.splitlines()[0] and ",low," in csv_text
    terminal = run_cli("check", str(catalog), "--lang", "zh").stdout
    assert "置信度：高" in terminal and "置信度：低" in terminal


def test_a_bad_min_confidence_in_the_config_is_one_error_line(tmp_path):
    catalog = _write(tmp_path, "min_confidence: sure\n")
    result = run_cli("check", str(catalog))
    assert result.returncode == 2
    assert "min_confidence" in result.stderr and "Traceback" not in result.stderr
