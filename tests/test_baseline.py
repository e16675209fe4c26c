"""The baseline: created from a real run, it survives re-ordering, reformatting and unrelated
edits; new findings are not baselined; fixed entries are counted; bad files are named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from listcheck import api
from listcheck.baseline import create_baseline, load_baseline, save_baseline
from listcheck.config import Config, IgnoreEntry
from listcheck.errors import ListcheckError
from listcheck.model import Report

FIXTURES = Path(__file__).parent / "fixtures" / "report"

PACK = """\
pack: t
title: baseline test pack
rules:
  - id: t/absolute
    kind: terms
    category: prohibited-claim
    severity: error
    fields: [title, description, bullets]
    terms: [最佳, 顶级, best]
    message: {en: "absolute term {match}", zh: "绝对化用语“{match}”"}
  - id: t/flash-sale
    kind: terms
    category: prohibited-claim
    severity: warning
    fields: [title, description]
    terms: [秒杀, flash sale]
    message: {en: "avoid {match}", zh: "请勿使用“{match}”"}
"""

CATALOG = """\
- sku: TM-1
  title: 最佳保温杯 500ml
  supplier: 宁波杯业
  description: 限时秒杀
  spec: {capacity: 500 ml}
- sku: TM-2
  title: 顶级 水杯
  supplier: 宁波杯业
  bullets: [顶级工艺, 保温 12 小时]
- sku: AMZ-3
  title: The best bottle
  supplier: Acme
  description: flash sale today, best price
- sku: AMZ-4
  title: Plain bottle
  supplier: Acme
"""

# The same products, re-ordered, re-formatted (flow style, other indentation, comments, blank
# lines) and edited where no rule looks (spec, supplier of TM-1, a bullet without a term).
CATALOG_REORDERED = """\
# re-exported by another tool
-   sku: AMZ-4
    title: "Plain bottle"
    supplier: Acme

-   {sku: AMZ-3, title: "The best bottle", supplier: Acme,
     description: "flash sale today, best price"}
-   sku: TM-2
    title: "顶级 水杯"
    supplier: 宁波杯业
    bullets:
      - 顶级工艺
      - 保温 24 小时
-   sku: TM-1
    description: 限时秒杀
    title: 最佳保温杯 500ml
    supplier: 宁波杯业有限公司
    spec:
      capacity: 0.5 l
      color: black
"""


@pytest.fixture
def rules(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK, encoding="utf-8")
    return api.load_rules([str(pack)])


def run(tmp_path: Path, rules, text: str, name: str = "catalog.yaml", **options) -> Report:
    return checked(tmp_path, rules, text, name, **options).report


def checked(tmp_path: Path, rules, text: str, name: str = "catalog.yaml", **options) -> api.CheckRun:
    """The run through the real API; `baseline=` goes through the policy stage as `--baseline` does."""
    catalog = tmp_path / name
    catalog.write_text(text, encoding="utf-8")
    return api.check_run([catalog], rules=rules, fail_on="warning", **options)


def keys(report: Report, baselined: bool) -> set[tuple]:
    return {(f.sku, f.rule, f.field, f.match) for f in report.findings if f.baselined == baselined}


def test_create_save_load(tmp_path, rules):
    report = run(tmp_path, rules, CATALOG)
    assert len(report.findings) == 7
    data = create_baseline(report)
    assert data["schema_version"] == 1
    assert data["tool"] == {"name": "listcheck", "version": report.tool.version}
    assert len(data["created"]) == 10  # an ISO date: YYYY-MM-DD
    entries = data["findings"]
    assert len(entries) == 7
    assert set(entries[0]) == {"fingerprint", "rule", "sku", "field", "match"}
    assert entries == sorted(entries, key=lambda e: (e["rule"], e["sku"], e["field"], e["match"], e["fingerprint"]))
    path = tmp_path / "listcheck-baseline.json"
    save_baseline(data, path)
    text = path.read_text(encoding="utf-8")
    assert "最佳" in text  # UTF-8, not \u escapes
    assert json.loads(text) == data
    assert load_baseline(path) == {f.fingerprint for f in report.findings}
    # Deterministic: the same report gives the same file (but for the date).
    assert create_baseline(report) == data


def test_reordering_reformatting_and_unrelated_edits_keep_findings_baselined(tmp_path, rules):
    before = run(tmp_path, rules, CATALOG)
    fingerprints = {f.fingerprint for f in before.findings}
    assert before.summary.failed

    result = checked(tmp_path, rules, CATALOG_REORDERED, name="renamed-export.yml", baseline=fingerprints)
    after = result.report
    # File, lines and order changed ...
    assert [f.sku for f in after.findings][0] == "AMZ-3"
    line_of = lambda report: {(f.sku, f.field): f.source.line for f in report.findings}
    assert line_of(before) != line_of(after)
    assert {f.source.path for f in after.findings} == {str(tmp_path / "renamed-export.yml")}
    # ... and every finding is still recognised.
    assert result.baseline_fixed == 0
    assert keys(after, baselined=False) == set()
    assert after.summary.baselined == 7
    assert after.summary.findings == 0
    assert not after.summary.failed
    assert after.summary.fail_on == "warning" and after.summary.products == 4


def test_new_finding_is_not_baselined_and_fixed_ones_are_counted(tmp_path, rules):
    before = run(tmp_path, rules, CATALOG)
    baseline = tmp_path / "b.json"
    save_baseline(create_baseline(before), baseline)

    changed = (
        CATALOG.replace("description: 限时秒杀", "description: 限时折扣")  # fixed: 秒杀 gone
        .replace("title: Plain bottle", "title: Plain bottle, best seller")  # new finding
        .replace("保温 12 小时", "最佳保温 12 小时")  # new finding in another bullet of TM-2
    )
    result = checked(tmp_path, rules, changed, baseline=load_baseline(baseline))
    after = result.report
    assert result.baseline_fixed == 1
    assert keys(after, baselined=False) == {
        ("AMZ-4", "t/absolute", "title", "best"),
        ("TM-2", "t/absolute", "bullets.1", "最佳"),
    }
    assert after.summary.findings == 2 and after.summary.baselined == 6
    assert after.summary.failed


def test_second_occurrence_of_the_same_text_is_new(tmp_path, rules):
    before = run(tmp_path, rules, CATALOG)
    result = checked(tmp_path, rules, CATALOG.replace("best price", "best price, best gift"),
                     baseline={f.fingerprint for f in before.findings})
    after = result.report
    assert after.summary.baselined == 7 and result.baseline_fixed == 0
    assert keys(after, baselined=False) == {("AMZ-3", "t/absolute", "description", "best")}


def test_suppressed_findings_are_left_out_and_stay_suppressed(tmp_path, rules):
    config = Config(ignore=[IgnoreEntry(rule="t/flash-sale", sku="TM-1", reason="accepted")])
    report = run(tmp_path, rules, CATALOG, config=config)
    data = create_baseline(report)
    suppressed = next(f for f in report.findings if f.suppressed)
    assert suppressed.fingerprint not in {e["fingerprint"] for e in data["findings"]}
    assert len(data["findings"]) == len(report.findings) - 1 == 6
    # Even a baseline that lists it leaves it suppressed (not baselined, not "fixed").
    everything = {f.fingerprint for f in report.findings} | {"gone-1", "gone-2"}
    result = checked(tmp_path, rules, CATALOG, config=config, baseline=everything)
    again = result.report
    assert result.baseline_fixed == 2
    [still] = [f for f in again.findings if f.suppressed]
    assert still.fingerprint == suppressed.fingerprint and not still.baselined
    assert again.summary.suppressed == 1 and again.summary.baselined == 6
    assert again.summary.findings == 0 and not again.summary.failed
    assert again.summary.products == 4 and again.summary.fail_on == "warning"


def test_a_partial_or_empty_baseline_marks_only_its_entries(tmp_path, rules):
    report = run(tmp_path, rules, CATALOG)
    some = {f.fingerprint for f in report.findings[:3]}
    assert run(tmp_path, rules, CATALOG, baseline=some).summary.baselined == 3
    empty = checked(tmp_path, rules, CATALOG, baseline=set())
    assert empty.baseline_fixed == 0
    assert empty.report.summary.baselined == 0 and empty.report.summary.findings == 7


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"schema_version": 2, "findings": []}', "schema_version 2"),
        ('{"schema_version": 1}', "`findings` must be a list"),
        ('{"schema_version": 1, "findings": [{"rule": "x"}]}', "fingerprint"),
        ('{"schema_version": 1, "findings": ["abc"]}', "fingerprint"),
        ('{"schema_version": true, "findings": []}', "schema_version true"),
        ('{"schema_version": 1.0, "findings": []}', "schema_version 1.0"),
        ('{"schema_version": 1, "tool": "x", "findings": []}', "`tool` must be an object"),
        ('{"schema_version": 1, "created": 20260501, "findings": []}', "`created` must be"),
        ('{"schema_version": 1, "findings": [{"fingerprint": "f", "sku": false}]}', "`sku` must be text"),
    ],
)
def test_bad_baseline_files_are_named(tmp_path, content, message):
    path = tmp_path / "broken-baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ListcheckError) as caught:
        load_baseline(path)
    text = str(caught.value)
    assert str(path) in text and message in text


def test_missing_and_unreadable_baseline(tmp_path):
    with pytest.raises(ListcheckError, match="not found") as caught:
        load_baseline(tmp_path / "nope.json")
    assert "nope.json" in str(caught.value)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00{")
    with pytest.raises(ListcheckError, match="UTF-8"):
        load_baseline(binary)
    with pytest.raises(ListcheckError, match="cannot write the baseline"):
        save_baseline({"schema_version": 1, "findings": []}, tmp_path / "no" / "such" / "dir.json")


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_text('\ufeff{"schema_version": 1, "findings": [{"fingerprint": "abc"}]}', encoding="utf-8")
    assert load_baseline(path) == {"abc"}


def test_a_baseline_over_the_size_bound_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"schema_version": 1, "findings": []}' + " " * 100, encoding="utf-8")
    with pytest.raises(ListcheckError, match="over the limit of 64") as caught:
        load_baseline(path, max_bytes=64)
    assert caught.value.path == str(path)
    assert load_baseline(path, max_bytes=1000) == set()


# --- The real CLI on baselines that are not baselines: `check --baseline` is the reader. ---

ONE = '{"sku": "B-1", "title": "最佳 水杯"}\n'


def check_with_baseline(tmp_path: Path, baseline: Path, *options: str) -> subprocess.CompletedProcess:
    """`listcheck check catalog.jsonl --baseline FILE` in a process, bounded in time, so a
    baseline that hangs the reader fails the test instead of hanging it."""
    catalog = tmp_path / "one.jsonl"
    catalog.write_text(ONE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "listcheck.cli", "check", str(catalog), "--rules", "cn-ad-law",
         "-f", "json", "--baseline", str(baseline), *options],
        cwd=tmp_path,
        env={**os.environ, "LISTCHECK_DEBUG": "", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        errors="replace",
        timeout=30,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    return result


def assert_one_error_line(result: subprocess.CompletedProcess, path: Path, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"listcheck: error: {path}: "), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize(
    "name, content, words",
    [
        # A findings list nested 5,000 deep: json.loads raises RecursionError.
        ("deep.json", '{"schema_version": 1, "findings": ' + "[" * 5000 + "]" * 5000 + "}",
         ["nested too deeply"]),
        # A 5,000-digit number: more digits than Python converts to an int.
        ("bigint.json", '{"schema_version": ' + "9" * 5000 + ', "findings": []}', ["number too long"]),
        ("list.json", "[]", ["JSON object"]),
        ("string.json", '"listcheck"', ["JSON object"]),
        ("bool.json", '{"schema_version": true, "findings": []}', ["schema_version true"]),
        ("entries.json", '{"schema_version": 1, "findings": [{"fingerprint": 7}]}', ["findings[0]", "fingerprint"]),
        ("types.json", '{"schema_version": 1, "findings": [{"fingerprint": "f", "rule": []}]}', ["`rule` must be text"]),
        ("long.json", '{"schema_version": "' + "x" * 100_000 + '", "findings": []}', ["schema_version"]),
    ],
)
def test_a_broken_baseline_is_one_error_line_naming_the_file(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = check_with_baseline(tmp_path, path)
    assert_one_error_line(result, path, *words)
    assert len(result.stderr) < 300  # a value from the file is cut short, not echoed whole


def test_a_baseline_that_is_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "baseline.json"
    os.mkfifo(fifo)
    assert_one_error_line(check_with_baseline(tmp_path, fifo), fifo, "not a regular file")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_baseline_that_is_a_device_is_refused_without_being_read(tmp_path, device):
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    assert_one_error_line(check_with_baseline(tmp_path, Path(device)), Path(device), "not a regular file")


def test_a_baseline_that_is_a_folder_or_missing_is_one_error_line(tmp_path):
    folder = tmp_path / "baselines"
    folder.mkdir()
    assert_one_error_line(check_with_baseline(tmp_path, folder), folder, "not a regular file")
    missing = tmp_path / "nope.json"
    assert_one_error_line(check_with_baseline(tmp_path, missing), missing, "not found")


def test_a_baseline_over_64_mib_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:  # sparse: no disk is written, no byte is read
        handle.truncate(64 * 1024 * 1024 + 1)
    assert_one_error_line(check_with_baseline(tmp_path, path), path, "over the limit", "max_document_bytes")


def test_a_good_baseline_still_baselines_through_the_cli(tmp_path):
    catalog = tmp_path / "one.jsonl"
    catalog.write_text(ONE, encoding="utf-8")
    report = api.check([catalog], rules=api.load_rules(["cn-ad-law"]))
    path = tmp_path / "listcheck-baseline.json"
    save_baseline(create_baseline(report), path)
    result = check_with_baseline(tmp_path, path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["products"] == 1
    assert data["findings"] and all(f["baselined"] for f in data["findings"])


def test_the_baseline_is_bounded_by_max_document_size(tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"schema_version": 1, "findings": [{"fingerprint": "x" * 64}] * 50}), encoding="utf-8")
    result = check_with_baseline(tmp_path, baseline, "--max-document-size", "1K")
    assert_one_error_line(result, baseline, "limits.max_document_bytes")
