"""`listcheck check` end to end: the examples, exit codes, the JSON contract, --jobs identity."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT, run_cli

from listcheck.report import report_json_schema


@pytest.fixture(scope="module")
def examples_report():
    result = run_cli("check", "examples/", "--format", "json", cwd=ROOT)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def by_sku(report):
    found: dict = {}
    for f in report["findings"]:
        found.setdefault(f["sku"], []).append(f)
    return found


def test_examples_show_every_kind_of_finding(examples_report):
    findings = by_sku(examples_report)
    rules = {(f["sku"], f["rule"]) for f in examples_report["findings"]}
    # a clean product: nothing
    assert "TM-1001" not in {sku for sku, rule in rules if rule != "input/duplicate-sku"}
    # terms with inserted separators, pattern, required, compare, input
    assert ("TM-1002", "house/no-flash-sale-words") in rules
    [spaced] = [f for f in findings["TM-1002"] if f["rule"] == "house/no-flash-sale-words"]
    assert spaced["match"] == "秒 杀" and spaced["field"] == "title"
    assert ("TM-1003", "house/no-contact-details") in rules
    assert ("TM-1004", "core/description-present") in rules
    assert ("TM-1004", "cn-returns/seven-day-minimum") in rules
    assert ("TM-1004", "house/fast-refunds") in rules
    assert ("TM-1005", "core/title-present") in rules
    assert ("TM-1006", "input/invalid-record") in rules
    assert ("TM-1001", "input/duplicate-sku") in rules
    assert ("AMZ-2001", "core/title-too-long-amazon") in rules
    assert ("AMZ-2002", "house/no-flash-sale-words") in rules
    assert ("AMZ-2002", "house/no-contact-details") in rules
    assert ("AMZ-2004", "core/category-present") in rules
    # a mapped GBK export: Chinese headers renamed by the config's mapping
    assert ("JD-3002", "house/no-flash-sale-words") in rules
    # what must not be flagged
    assert ("TM-1005", "cn-returns/seven-day-minimum") not in rules  # fresh food is exempt
    assert ("AMZ-2003", "cn-returns/seven-day-minimum") not in rules  # not the CN market
    assert "AMZ-2003" not in findings and "JD-3001" not in findings


def test_examples_findings_carry_their_source_and_config_tuning(examples_report):
    findings = {(f["sku"], f["rule"]): f for f in examples_report["findings"]}
    spaced = findings[("TM-1002", "house/no-flash-sale-words")]
    assert spaced["source"]["path"].endswith("catalog-cn.yaml") and spaced["source"]["line"] == 12
    contact = findings[("AMZ-2002", "house/no-contact-details")]
    assert contact["source"]["path"].endswith("catalog-en.csv") and contact["source"]["line"] == 3
    assert findings[("AMZ-2004", "core/category-present")]["severity"] == "info"  # config override
    suppressed = findings[("TM-1008", "house/no-flash-sale-words")]
    assert suppressed["suppressed"] is True and "秒杀活动" in suppressed["suppression_reason"]
    bad = findings[("TM-1006", "input/invalid-record")]
    assert bad["field"] == "title" and bad["source"]["line"] == 46
    assert examples_report["summary"]["suppressed"] == 1
    assert examples_report["summary"]["failed"] is True


def test_json_report_validates_and_has_the_contract_fields(examples_report):
    jsonschema.validate(examples_report, report_json_schema())
    assert examples_report["schema_version"] == 1
    for finding in examples_report["findings"]:
        for key in ("rule", "category", "severity", "sku", "supplier", "field", "attribute", "match",
                    "expected", "found", "message", "references", "source", "fingerprint"):
            assert key in finding
        assert len(finding["fingerprint"]) == 32
    fingerprints = [f["fingerprint"] for f in examples_report["findings"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_schema_command_prints_the_report_schema():
    result = run_cli("schema", "report")
    assert result.returncode == 0
    assert json.loads(result.stdout)["$id"].endswith("report-v1.json")
    for name in ("catalog", "rules"):
        result = run_cli("schema", name)
        assert result.returncode == 0 and json.loads(result.stdout)["title"].startswith("listcheck")


def test_terminal_report_of_the_examples_is_plain_when_piped():
    result = run_cli("check", "examples/", cwd=ROOT)
    assert result.returncode == 1
    out = result.stdout
    assert "\x1b[" not in out
    assert "TM-1002" in out and "«秒 杀»" in out
    assert "house/no-contact-details" in out and "«13812345678»" in out
    assert "TM-1001" in out  # the duplicate's input finding names it


def test_lang_zh_gives_chinese_messages(cli):
    result = cli("check", EXAMPLES, "--format", "json", "--lang", "zh")
    report = json.loads(result.stdout)
    messages = {f["rule"]: f["message"] for f in report["findings"]}
    assert messages["core/title-present"].startswith("商品缺少标题")


def test_fingerprints_survive_reordering_and_reformatting(tmp_path, cli):
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "c.yaml").write_text(
        "- {sku: P1, title: 限时秒杀 杯, category: home}\n- {sku: P2, title: 杯, category: home}\n", encoding="utf-8"
    )
    (b / "c.json").write_text(json.dumps([
        {"sku": "P2", "title": "杯", "category": "home", "description": "new text"},
        {"category": "home", "sku": "P1", "title": "限时秒杀 杯", "spec": {"color": "red"}},
    ], ensure_ascii=False, indent=4), encoding="utf-8")
    pack = EXAMPLES / "house-rules.yaml"
    runs = [json.loads(cli("check", d, "--rules", pack, "--format", "json").stdout) for d in (a, b)]
    key = lambda report: {(f["sku"], f["rule"]): f["fingerprint"] for f in report["findings"]}
    assert key(runs[0])[("P1", "house/no-flash-sale-words")] == key(runs[1])[("P1", "house/no-flash-sale-words")]


def test_jobs_1_and_jobs_2_give_identical_output(tmp_path):
    catalog = tmp_path / "big.jsonl"
    lines = []
    for i in range(1500):
        title = ["限时秒杀 保温杯", "保温杯 500ml", "", "Flash Sale bottle"][i % 4]
        lines.append(json.dumps({"sku": f"S{i}", "title": title, "category": "home" if i % 3 else "",
                                 "platform": "tmall", "return_policy": {"no_reason_days": i % 9}}, ensure_ascii=False))
    lines.insert(700, "{not json")
    catalog.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pack = EXAMPLES / "house-rules.yaml"
    outputs = [
        run_cli("check", catalog, "--rules", pack, "--format", "json", "--jobs", jobs, cwd=tmp_path)
        for jobs in ("1", "2")
    ]
    assert outputs[0].returncode == outputs[1].returncode == 1
    assert outputs[0].stdout == outputs[1].stdout
    report = json.loads(outputs[0].stdout)
    assert report["summary"]["products"] == 1500
    assert any(f["rule"] == "input/unreadable-row" and f["source"]["line"] == 701 for f in report["findings"])


@pytest.mark.parametrize(
    "args, needle",
    [
        (["check", "no/such/path.yaml"], "no/such/path.yaml"),
        (["check", "README.md"], "README.md"),
        (["check", "examples/", "--format", "pdf"], "pdf"),
    ],
)
def test_runs_that_cannot_start_exit_2_with_one_line(args, needle):
    result = run_cli(*args)
    assert result.returncode == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_fail_on_and_output_file(tmp_path):
    catalog = tmp_path / "c.yaml"
    catalog.write_text("- {sku: A, title: 保温杯}\n", encoding="utf-8")  # only warnings
    assert run_cli("check", catalog, cwd=tmp_path).returncode == 0
    out = tmp_path / "r.json"
    result = run_cli("check", catalog, "--fail-on", "warning", "--format", "json", "-o", out, cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {f["rule"] for f in report["findings"]} == {"core/description-present", "core/category-present"}
    assert run_cli("check", catalog, "--fail-on", "never", cwd=tmp_path).returncode == 0


def test_broken_config_is_exit_2_naming_file_and_line(tmp_path):
    (tmp_path / "listcheck.yaml").write_text("extends: [recommended]\nfail_on: sometimes\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("- {sku: A, title: x}\n", encoding="utf-8")
    result = run_cli("check", "c.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "listcheck.yaml:2: fail_on:" in result.stderr


def test_disable_and_ignore_in_config(tmp_path):
    (tmp_path / "listcheck.yaml").write_text(
        "disable: [core/description-*]\nignore: [{sku: 'A*', rule: 'core/category-present', reason: legacy}]\n",
        encoding="utf-8",
    )
    (tmp_path / "c.yaml").write_text("- {sku: A1, title: x}\n- {sku: B1, title: y}\n", encoding="utf-8")
    report = json.loads(run_cli("check", "c.yaml", "--format", "json", cwd=tmp_path).stdout)
    got = [(f["sku"], f["rule"], f["suppressed"]) for f in report["findings"]]
    assert got == [("A1", "core/category-present", True), ("B1", "core/category-present", False)]


def test_init_writes_a_working_starter(tmp_path):
    result = run_cli("init", tmp_path / "shop", cwd=tmp_path)
    assert result.returncode == 0
    check = run_cli("check", tmp_path / "shop", "--format", "json", cwd=tmp_path)
    report = json.loads(check.stdout)
    assert report["summary"]["products"] == 2
    again = run_cli("init", tmp_path / "shop", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("listcheck ")


def test_examples_show_the_claims_returns_and_mismatch_packs(examples_report):
    rules = {(f["sku"], f["rule"]) for f in examples_report["findings"] if not f["suppressed"]}
    expected = {
        ("TMC-02", "cn-cosmetics/medical-terms"),            # 药妆, 消炎 on a cosmetic
        ("TMC-02", "cn-ad-law/statutory-absolute-terms"),    # 最 佳, dodged with a space
        ("TMC-03", "cn-cosmetics/special-efficacy-unregistered"),
        ("TMC-04", "mismatch/capacity"),                     # 100ml in the title, 50 ml in the spec
        ("TMC-04", "cn-returns/no-returns-wording"),         # 售出概不退换
        ("JDE-02", "mismatch/ram"),                          # 6GB+128GB sold, 8GB in the spec
        ("JDE-03", "mismatch/battery-capacity"),
        ("JDE-03", "label-claims/power-bank-ccc"),
        ("JDE-04", "mismatch/brand"),                        # 华为 on an EDIFIER product
        ("JDE-05", "mismatch/power"),
        ("AEU-02", "en-claims/fda-approved"),
        ("AEU-02", "amazon-us/restocking-fee"),
        ("AEU-03", "label-claims/vegan-vs-allergens"),
        ("AEU-04", "mismatch/composition-claim"),            # 100% cotton, spec polyester
        ("AEU-04", "eu-returns/withdrawal-14-days"),
    }
    assert expected <= rules, sorted(expected - rules)
    # and what they leave alone
    assert not {sku for sku, _ in rules} & {"TMC-01", "AEU-01"}
    assert ("JDE-01", "mismatch/ram") not in rules and ("JDE-02", "mismatch/camera") not in rules
