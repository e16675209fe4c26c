"""The CI gate from the command line: several outputs, baseline, thresholds, suppressions, split."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import run_cli

CATALOG = """\
- sku: A1
  title: 全网最佳保温杯 500ml
  description: 316不锈钢内胆
  category: home/drinkware
  platform: tmall
  supplier: 宁波杯业
  return_policy: {no_reason_days: 7, text: 支持7天无理由退货}
- sku: A2
  title: 保温杯 750ml
  category: home/drinkware
  platform: tmall
  supplier: 宁波杯业
  return_policy: {no_reason_days: 3}
- sku: B1
  title: 顶级真皮钱包
  description: 头层牛皮
  category: bags/wallets
  platform: jd
  supplier: "../../etc/passwd"
  return_policy: {no_reason_days: 7}
  listcheck:
    ignore:
      - {rule: cn-ad-law/*, reason: 品牌名含“顶级”，已备案}
      - {rule: core/description-present}
"""


def write_catalog(tmp_path, text=CATALOG, name="catalog.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_one_run_writes_several_formats(tmp_path):
    catalog = write_catalog(tmp_path)
    result = run_cli("check", catalog, "--format", "json", "-o", tmp_path / "r.json",
                     "--output-format", f"sarif={tmp_path / 'r.sarif'}",
                     "--output-format", f"junit={tmp_path / 'r.xml'}",
                     "--output-format", f"html={tmp_path / 'r.html'}", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[0].startswith("listcheck: FAILED: ")  # the summary comes first
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"][0]["results"]) == len(report["findings"])
    assert (tmp_path / "r.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert "<html" in (tmp_path / "r.html").read_text(encoding="utf-8")


# Shipped with the tests (tests/schemas/README.md: sources and licences).
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


def test_the_sarif_written_beside_other_formats_is_valid(tmp_path):
    catalog = write_catalog(tmp_path)
    run_cli("check", catalog, "--format", "json", "-o", tmp_path / "r.json",
            "--output-format", f"sarif={tmp_path / 'r.sarif'}", cwd=tmp_path)
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def test_bad_output_format_is_exit_2(tmp_path):
    catalog = write_catalog(tmp_path)
    result = run_cli("check", catalog, "--output-format", "pdf=r.pdf", cwd=tmp_path)
    assert result.returncode == 2 and "--output-format takes FORMAT=PATH" in result.stderr


def test_product_suppressions_with_and_without_reason(tmp_path):
    catalog = write_catalog(tmp_path)
    report = json.loads(run_cli("check", catalog, "--format", "json", cwd=tmp_path).stdout)
    b1 = [f for f in report["findings"] if f["sku"] == "B1"]
    top = [f for f in b1 if f["rule"].startswith("cn-ad-law/")]
    assert top and all(f["suppressed"] and "已备案" in f["suppression_reason"] for f in top)
    reasonless = [f for f in b1 if f["rule"] == "input/suppression-without-reason"]
    assert len(reasonless) == 1 and reasonless[0]["severity"] == "warning"
    assert reasonless[0]["field"] == "listcheck.ignore.1"


def test_expired_suppression_is_active_again_and_says_so(tmp_path):
    catalog = write_catalog(tmp_path, CATALOG.replace("reason: 品牌名含“顶级”，已备案}", "reason: 临时, expires: 2020-01-01}"))
    report = json.loads(run_cli("check", catalog, "--format", "json", cwd=tmp_path).stdout)
    top = [f for f in report["findings"] if f["sku"] == "B1" and f["rule"].startswith("cn-ad-law/")]
    assert top and not any(f["suppressed"] for f in top)
    assert all("suppression expired on 2020-01-01" in f["message"] for f in top)


def test_a_config_expiry_written_as_a_number_is_refused_not_read_as_1970(tmp_path):
    # pydantic reads 86400 as seconds since 1970: the suppression had silently expired.
    catalog = write_catalog(tmp_path)
    config = tmp_path / "listcheck.yaml"
    config.write_text("ignore:\n  - {rule: '*', reason: r, expires: 86400}\n", encoding="utf-8")
    result = run_cli("check", catalog, "--config", config, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"listcheck: error: {config}:2: ignore.0.expires: expires is a date written YYYY-MM-DD, not the number 86400"
    ]


def test_baseline_fails_only_on_new_findings(tmp_path):
    catalog = write_catalog(tmp_path)
    baseline = tmp_path / "listcheck-baseline.json"
    created = run_cli("baseline", "create", catalog, "-o", baseline, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    # Re-order the products and reformat them (as JSON, keys shuffled): nothing new, so it passes.
    products = list(reversed(yaml.safe_load(CATALOG)))
    products = [dict(reversed(list(p.items()))) for p in products]
    reformatted = tmp_path / "catalog.json"
    reformatted.write_text(json.dumps(products, ensure_ascii=False, indent=4), encoding="utf-8")
    again = run_cli("check", reformatted, "--baseline", baseline, "--format", "json", cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    report = json.loads(again.stdout)
    assert report["summary"]["findings"] == 0 and report["summary"]["baselined"] > 0
    assert all(f["baselined"] or f["suppressed"] for f in report["findings"])
    assert "baseline entries fixed" in again.stderr
    # A new violation fails; a fixed one is counted.
    write_catalog(tmp_path, CATALOG.replace("保温杯 750ml", "国家级保温杯 750ml").replace("全网最佳保温杯", "保温杯"))
    new = run_cli("check", catalog, "--baseline", baseline, "--format", "json", cwd=tmp_path)
    assert new.returncode == 1
    active = [f for f in json.loads(new.stdout)["findings"] if not f["baselined"] and not f["suppressed"]]
    assert [f["match"] for f in active] == ["国家级"]
    assert "1 baseline entries fixed" in new.stderr


def test_max_warnings(tmp_path):
    catalog = write_catalog(tmp_path, "- {sku: W1, title: 保温杯, category: home}\n- {sku: W2, title: 水杯, category: home}\n")
    assert run_cli("check", catalog, "--format", "json", cwd=tmp_path).returncode == 0
    failed = run_cli("check", catalog, "--format", "json", "--max-warnings", "1", cwd=tmp_path)
    assert failed.returncode == 1 and "> --max-warnings 1" in failed.stderr
    assert run_cli("check", catalog, "--format", "json", "--max-warnings", "2", cwd=tmp_path).returncode == 0


def test_split_by_supplier_stays_inside_the_folder(tmp_path):
    catalog = write_catalog(tmp_path)
    out = tmp_path / "reports"
    result = run_cli("check", catalog, "--split-by", "supplier", "--output-dir", out, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "index.json" in written and len(written) == 3
    assert all("/" not in name and ".." not in name.replace("..json", "") for name in written)
    assert not (tmp_path.parent / "etc").exists()
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert "宁波杯业" in json.dumps(index, ensure_ascii=False)


def test_a_streamed_run_and_a_json_run_count_products_with_findings_alike(tmp_path):
    """One summary builder counts both: a duplicate sku and a bad record naming a sku are the
    product they name, not more products with findings than there are products."""
    lines = [
        {"sku": "D-1", "title": "全网最佳保温杯", "platform": "tmall"},
        {"sku": "D-1", "title": "最好的保温杯", "platform": "tmall"},       # a duplicate of D-1
        {"sku": "D-2", "title": "保温杯 500ml", "platform": "tmall", "spec": "not a mapping"},  # bad record
        {"sku": "D-3", "title": "国家级保温杯", "platform": "tmall"},
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n",
                                      encoding="utf-8")
    whole = run_cli("check", "c.jsonl", "--format", "json", cwd=tmp_path)
    streamed = run_cli("check", "c.jsonl", "--format", "jsonl", "-o", "s.jsonl", cwd=tmp_path)
    summary = json.loads(whole.stdout)["summary"]
    assert whole.stderr.strip().splitlines()[-1] == streamed.stderr.strip().splitlines()[-1]
    assert f"in {summary['products_with_findings']} of {summary['products']} products" in streamed.stderr
    assert summary["products_with_findings"] == 3  # D-1, D-2 (its bad record), D-3
    assert len((tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()) == summary["findings"]


def test_every_engine_and_format_applies_the_same_policy(tmp_path):
    """One policy stage: suppressions (the config's and the product's own), the baseline and
    the counts are the same for a JSON run, a streamed JSON Lines run (which now takes
    --baseline too) and a --jobs run, findings marked alike."""
    lines = [{"sku": f"P-{n}", "title": ["保温杯 500ml", "全网最佳保温杯", "国家级保温杯"][n % 3], "platform": "tmall",
              "category": "home/drinkware", "description": "不锈钢", "return_policy": {"no_reason_days": 7}}
             for n in range(700)]
    lines[4]["listcheck"] = {"ignore": [{"rule": "cn-ad-law/*", "reason": "brand name, filed"}]}
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n",
                                      encoding="utf-8")
    (tmp_path / "listcheck.yaml").write_text(
        "extends: [recommended]\nignore:\n  - {sku: P-7, rule: '*', reason: relisted next week}\n", encoding="utf-8")
    old = tmp_path / "old.jsonl"
    old.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines[:300]) + "\n", encoding="utf-8")
    baseline = tmp_path / "b.json"
    assert run_cli("baseline", "create", "old.jsonl", "-o", baseline, cwd=tmp_path).returncode in (0, 1)
    runs = {
        "json": run_cli("check", "c.jsonl", "--baseline", baseline, "--format", "json", cwd=tmp_path),
        "jobs": run_cli("check", "c.jsonl", "--baseline", baseline, "--format", "json", "--jobs", "2", cwd=tmp_path),
        "jsonl": run_cli("check", "c.jsonl", "--baseline", baseline, "--format", "jsonl", cwd=tmp_path),
    }
    verdicts = {name: result.stderr.strip().splitlines()[-1] for name, result in runs.items()}
    assert len(set(verdicts.values())) == 1, verdicts
    assert "baselined" in verdicts["json"] and "suppressed" in verdicts["json"]
    assert runs["json"].returncode == runs["jsonl"].returncode == runs["jobs"].returncode == 1
    whole = json.loads(runs["json"].stdout)
    assert whole == json.loads(runs["jobs"].stdout)
    streamed = [json.loads(line) for line in runs["jsonl"].stdout.splitlines()]
    marks = lambda findings: sorted((f["sku"], f["rule"], f["suppressed"], f["baselined"]) for f in findings)
    assert marks(streamed) == marks(whole["findings"])
    summary = whole["summary"]
    assert summary["suppressed"] >= 2 and summary["baselined"] > 0 and summary["findings"] > 0
    assert {f["sku"] for f in whole["findings"] if f["suppressed"]} == {"P-4", "P-7"}
    assert not [f for f in whole["findings"] if f["baselined"] and int(f["sku"][2:]) >= 300]


WARNINGS_CATALOG = [
    {"sku": f"W-{n}", "title": f"Mug {n}", "platform": "amazon", "market": "US"} for n in range(3)
]  # two warnings each from core (no description, no category), no error


@pytest.mark.parametrize("how", ["flag", "config"])
def test_too_many_warnings_fail_the_run_and_every_report_says_so(tmp_path, how):
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in WARNINGS_CATALOG) + "\n", encoding="utf-8")
    args = ["check", "c.jsonl", "--rules", "core"]
    if how == "flag":
        args += ["--max-warnings", "1"]
    else:
        (tmp_path / "listcheck.yaml").write_text("max_warnings: 1\n", encoding="utf-8")
    plain = run_cli(*args, "--max-warnings", "6", cwd=tmp_path) if how == "flag" else None
    if plain is not None:
        assert plain.returncode == 0, plain.stderr  # the last --max-warnings wins: 6 warnings, not more than 6
    reason = "failing on more than 1 warning (--max-warnings)"
    outputs = {}
    for fmt in ("json", "sarif", "junit", "html", "markdown", "terminal", "github"):
        result = run_cli(*args, "--format", fmt, cwd=tmp_path)
        assert result.returncode == 1, (fmt, result.stderr)
        assert fmt == "terminal" or "FAILED" in result.stderr.splitlines()[-1], (fmt, result.stderr)
        outputs[fmt] = result.stdout
    summary = json.loads(outputs["json"])["summary"]
    assert summary["failed"] is True and summary["max_warnings"] == 1
    sarif = json.loads(outputs["sarif"])["runs"][0]
    assert sarif["invocations"][0]["properties"]["failed"] is True
    assert sarif["properties"]["summary"]["max_warnings"] == 1
    for fmt in ("junit", "html", "markdown", "terminal", "github"):
        assert reason in outputs[fmt], fmt
    streamed = run_cli(*args, "--format", "jsonl", "-o", "s.jsonl", cwd=tmp_path)
    assert streamed.returncode == 1 and "FAILED" in streamed.stderr


def test_max_warnings_in_the_config_must_be_a_count(tmp_path):
    (tmp_path / "c.jsonl").write_text(json.dumps(WARNINGS_CATALOG[0]) + "\n", encoding="utf-8")
    (tmp_path / "listcheck.yaml").write_text("max_warnings: -1\n", encoding="utf-8")
    result = run_cli("check", "c.jsonl", cwd=tmp_path)
    assert result.returncode == 2 and "max_warnings" in result.stderr and "Traceback" not in result.stderr


def test_a_folder_without_a_catalog_file_is_exit_2_unless_allowed(tmp_path):
    folder = tmp_path / "exports"
    (folder / "sub").mkdir(parents=True)
    (folder / "README.txt").write_text("not a catalog", encoding="utf-8")
    result = run_cli("check", "exports", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "listcheck: error: exports: no catalog file (.yaml, .yml, .json, .jsonl, .ndjson, .csv, .xlsx) in this "
        "folder; pass --allow-empty to accept a run that checks nothing"]
    allowed = run_cli("check", "exports", "--allow-empty", "--format", "json", cwd=tmp_path)
    assert allowed.returncode == 0 and json.loads(allowed.stdout)["summary"]["products"] == 0
    (folder / "sub" / "c.jsonl").write_text(json.dumps({"sku": "A-1", "title": "Mug 350 ml"}) + "\n", encoding="utf-8")
    assert run_cli("check", "exports", "--format", "json", cwd=tmp_path).returncode in (0, 1)  # a file below counts


def test_every_run_says_which_config_it_used_or_that_none_was_found(tmp_path):
    """The nearest listcheck.yaml to the catalog, else the working folder's (or a parent's);
    the JSON tool.config, SARIF's run properties and the terminal say which, relative."""
    catalogs = tmp_path / "catalogs"
    catalogs.mkdir()
    (catalogs / "c.jsonl").write_text(json.dumps({"sku": "A-1", "title": "Mug"}) + "\n", encoding="utf-8")
    none = run_cli("check", "catalogs", "--format", "json", cwd=tmp_path)
    assert json.loads(none.stdout)["tool"]["config"] is None
    assert "config: none found" in run_cli("check", "catalogs", cwd=tmp_path).stdout
    (tmp_path / "listcheck.yaml").write_text("disable: [core/description-present]\n", encoding="utf-8")
    used = json.loads(run_cli("check", "catalogs", "--format", "json", cwd=tmp_path).stdout)
    assert used["tool"]["config"] == "listcheck.yaml"  # the working folder's, found from the catalog's parent
    assert "core/description-present" not in {f["rule"] for f in used["findings"]}
    (catalogs / "listcheck.yaml").write_text("fail_on: never\n", encoding="utf-8")
    sarif = json.loads(run_cli("check", "catalogs", "--format", "sarif", cwd=tmp_path).stdout)
    assert sarif["runs"][0]["properties"]["config"] == "catalogs/listcheck.yaml"  # the nearest wins
    assert "config: catalogs/listcheck.yaml" in run_cli("check", "catalogs", cwd=tmp_path).stdout


def test_without_a_config_near_the_catalog_the_working_folders_is_used(tmp_path):
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir()
    elsewhere.mkdir()
    (elsewhere / "c.jsonl").write_text(json.dumps({"sku": "A-1", "title": "Mug"}) + "\n", encoding="utf-8")
    (work / "listcheck.yaml").write_text("fail_on: never\n", encoding="utf-8")
    result = run_cli("check", str(elsewhere / "c.jsonl"), "--format", "json", cwd=work)
    assert json.loads(result.stdout)["tool"]["config"] == "listcheck.yaml"
    assert json.loads(result.stdout)["summary"]["fail_on"] == "never"


@pytest.mark.parametrize("strict", ["", "--strict", "config"])
def test_a_config_name_that_matches_no_rule_is_a_warning_or_with_strict_exit_2(tmp_path, strict):
    (tmp_path / "c.jsonl").write_text(json.dumps({"sku": "A-1", "title": "Mug"}) + "\n", encoding="utf-8")
    (tmp_path / "listcheck.yaml").write_text(
        ("strict: true\n" if strict == "config" else "")
        + "disable: [core/descripton-present]\n"            # a typo
        + 'severity: {"core/*": info}\n'                    # matches
        + "ignore:\n  - {sku: A-1, rule: input/duplicate-sku, reason: known}\n"   # an input finding: meant
        + "  - {sku: A-1, rule: cn-ad-law/no-such-rule, reason: old}\n", encoding="utf-8")
    args = ["check", "c.jsonl", "--format", "json"] + ([strict] if strict == "--strict" else [])
    result = run_cli(*args, cwd=tmp_path)
    typo = "listcheck.yaml: disable: 'core/descripton-present' matches no rule of the packs loaded"
    if strict:
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.strip().splitlines() == [f"listcheck: error: {typo} (--strict)"]
    else:
        assert result.returncode == 0, result.stderr
        warnings = [line for line in result.stderr.splitlines() if line.startswith("listcheck: warning: ")]
        assert warnings == [f"listcheck: warning: {typo}",
                            "listcheck: warning: listcheck.yaml: ignore: rule 'cn-ad-law/no-such-rule' matches no rule "
                            "of the packs loaded"]
