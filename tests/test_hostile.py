"""Hostile and broken input: the real CLI on each file of tests/hostile/ (see its README).

Every run is a subprocess with a timeout and an address-space limit, so a hang or a memory
explosion fails the test instead of the machine. The promises checked:

- a file that cannot be read: exit 2, exactly one stderr line `listcheck: error: FILE[:LINE]: …`
  and nothing on stdout;
- a bad record: exit 0/1, the right `input` finding, and the good products of the same file
  are still checked (their findings are in the JSON report);
- never a traceback, never code run from YAML, never a write outside the output path;
- huge inputs (a 200 MB line, a 65 MB YAML/JSON document, zip and XML bombs) are generated in
  tmp_path at test time, never committed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pyexpat
import pty
import re
import resource
import select
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Optional

import pytest

HOSTILE = Path(__file__).parent / "hostile"
# A run that takes longer than this hangs: the limit is on a hang, not on speed.
TIMEOUT = 60
# Address space for one run. A normal run needs ~100 MB; reading the 200 MB line whole, or
# expanding an alias bomb, needs several GB and dies here instead of passing.
MEMORY = 1 << 30
MB = 1024 * 1024
# A rule pack that makes the runs quick and the good products visible: 最佳 and 最好 are
# absolute terms under the Chinese advertising law, so every good product has a finding.
AD_LAW = ("--rules", "cn-ad-law")
AD_LAW_RULES = "cn-ad-law/"


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    """The CLI as a user runs it, bounded in time and memory; never a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "listcheck.cli", *map(str, args)],
        cwd=cwd,
        env={**os.environ, "LISTCHECK_DEBUG": "", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        errors="replace",
        timeout=TIMEOUT,
        preexec_fn=_limit_memory,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert result.returncode in (0, 1, 2), (result.returncode, result.stderr)
    return result


def assert_refused(result: subprocess.CompletedProcess, path: Path, line: Optional[int], *words: str):
    """Exit 2, one stderr line naming the file (and the line when known), nothing on stdout."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert lines[0].startswith(f"listcheck: error: {where}"), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    assert result.stdout == ""


def report(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    return data


def by_rule(data: dict, rule: str) -> list[dict]:
    return [finding for finding in data["findings"] if finding["rule"] == rule]


def ad_law(data: dict) -> list[dict]:
    """The advertising-law findings: one or more for each good product that was checked."""
    return [finding for finding in data["findings"] if finding["rule"].startswith(AD_LAW_RULES)]


def flagged_skus(data: dict) -> set:
    return {finding["sku"] for finding in ad_law(data)}


# --- files that cannot be read: one clear line ----------------------------------------------


@pytest.mark.parametrize(
    "name, line, words",
    [
        ("alias-bomb.yaml", 9, ["alias bomb"]),
        ("recursive-alias.yaml", 5, ["recursive alias"]),
        ("deep-nesting.json", None, ["nested too deeply"]),
        ("deep-nesting.yaml", 1, ["nested more than 100 levels"]),
        ("deep-dotted-header.csv", 1, ["column 3", "3,001 parts"]),
        ("binary.csv", None, ["binary file"]),
        ("invalid-utf8.csv", 42, ["invalid UTF-8", "0xFF"]),
        ("mixed-encoding.csv", 42, ["invalid UTF-8"]),
        ("utf16.csv", None, ["UTF-16 is not supported"]),
        ("control-chars.yaml", 4, ["control characters"]),
        ("yaml-binary.yaml", 4, ["!!binary"]),
    ],
)
def test_an_unreadable_catalog_is_one_error_line(tmp_path, name, line, words):
    path = HOSTILE / name
    assert_refused(run("check", path, *AD_LAW, "--format", "json", cwd=tmp_path), path, line, *words)


def test_python_tags_in_a_catalog_are_refused_and_never_run(tmp_path):
    path = HOSTILE / "python-object.yaml"
    result = run("check", path, *AD_LAW, cwd=tmp_path)
    assert_refused(result, path, 2, "!!python/object/apply:os.system", "not allowed")
    assert list(tmp_path.iterdir()) == []  # the payload would `touch` a file here


@pytest.mark.parametrize(
    "name, line, words",
    [
        ("alias-bomb-pack.yaml", 11, ["alias bomb"]),
        ("deep-nesting-pack.yaml", 3, ["nested more than 100 levels"]),
        ("invalid-utf8-pack.yaml", 3, ["not UTF-8"]),
        ("regex-memory-pack.yaml", 10, ["rules.0.pattern", "too large"]),
        ("regex-crash-pack.yaml", 9, ["rules.0.require.all.0.matches", "too large"]),
        ("regex-verbose-pack.yaml", 10, ["rules.0.require.all.0.matches", "too large"]),
        ("regex-digits-pack.yaml", 10, ["rules.0.pattern", "too large"]),
        ("regex-many-pack.yaml", 80, ["rules.10.pattern", "together are too large"]),
        ("python-object-pack.yaml", 2, ["!!python/object/apply:os.system", "not allowed"]),
    ],
)
def test_a_hostile_rule_pack_is_one_error_line(tmp_path, name, line, words):
    pack = HOSTILE / name
    result = run("check", HOSTILE / "duplicate-sku.csv", "--rules", pack, cwd=tmp_path)
    assert_refused(result, pack, line, *words)
    assert list(tmp_path.iterdir()) == []


def test_a_python_tag_in_a_pack_is_not_run_by_rules_test_either(tmp_path):
    pack = HOSTILE / "python-object-pack.yaml"
    assert_refused(run("rules", "test", pack, cwd=tmp_path), pack, 2, "not allowed")
    assert list(tmp_path.iterdir()) == []


# --- bad records: a finding, and the rest of the file is still checked ----------------------


def test_a_deeply_nested_json_line_is_one_finding(tmp_path):
    data = report(run("check", HOSTILE / "deep-line.jsonl", *AD_LAW, "--format", "json", cwd=tmp_path))
    [bad] = by_rule(data, "input/unreadable-row")
    assert bad["source"]["line"] == 2 and "not valid JSON" in bad["message"]
    assert flagged_skus(data) == {"DEEP-1", "DEEP-3"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_record_nested_too_deeply_is_one_finding_also_across_processes(tmp_path, jobs):
    # 950 levels parse (JSON's own bound is ~1,000) but crashed `--jobs 2` while pickling.
    data = report(run("check", HOSTILE / "deep-record.json", *AD_LAW, "--jobs", jobs,
                      "--format", "json", cwd=tmp_path))
    [deep] = by_rule(data, "input/invalid-record")
    assert (deep["sku"], deep["source"]["line"]) == ("DR-2", 3)
    assert "nested more than 100 levels" in deep["message"]
    assert flagged_skus(data) == {"DR-1", "DR-3"}


def test_a_dotted_key_thousands_of_parts_deep_is_one_finding(tmp_path):
    data = report(run("check", HOSTILE / "deep-dotted-key.jsonl", *AD_LAW, "--jobs", "2",
                      "--format", "json", cwd=tmp_path))
    [deep] = by_rule(data, "input/invalid-record")
    assert (deep["sku"], deep["source"]["line"]) == ("DK-2", 2)
    assert "3,001 parts" in deep["message"]
    assert flagged_skus(data) == {"DK-1", "DK-3"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_index_of_thousands_of_digits_in_a_key_or_header_is_read_not_converted(tmp_path, jobs):
    # `spec.x.999…` (5,000 digits) made its parent a list, ordered by int(): Python refuses to
    # convert 4,300 digits and the whole run ended in an internal error, good products lost.
    index = "9" * 5000
    lines = [{"sku": "IX-1", "title": "最佳"}, {"sku": "IX-2", "title": "最佳", f"spec.x.{index}": "v"},
             {"sku": "IX-3", "title": "最佳"}]
    jsonl = tmp_path / "index.jsonl"
    jsonl.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    csv_file = tmp_path / "index.csv"
    csv_file.write_text(f"sku,title,spec.x.{index}\nIX-1,最佳,v\nIX-2,最佳,w\n", encoding="utf-8")
    for catalog, skus in ((jsonl, {"IX-1", "IX-2", "IX-3"}), (csv_file, {"IX-1", "IX-2"})):
        data = report(run("check", catalog, *AD_LAW, "--jobs", jobs, "--format", "json", cwd=tmp_path))
        assert flagged_skus(data) == skus


def test_a_rule_field_path_with_a_non_ascii_digit_is_no_index(tmp_path):
    # "²".isdigit() is true and int("²") raises: a `compare` rule on spec.labels.² crashed.
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "pack: digits\ntitle: Digits\nrules:\n"
        "  - id: digits/second-label\n    kind: compare\n    category: completeness\n"
        "    severity: warning\n    require: {field: spec.labels.², exists: true}\n"
        "    message: no label ²\n",
        encoding="utf-8",
    )
    catalog = tmp_path / "labels.jsonl"
    catalog.write_text('{"sku": "L-1", "title": "杯", "spec": {"labels": ["a", "b", "c"]}}\n', encoding="utf-8")
    data = report(run("check", catalog, "--rules", pack, "--format", "json", cwd=tmp_path))
    assert [f["rule"] for f in data["findings"]] == ["digits/second-label"]  # no such path: not present


@pytest.mark.parametrize(
    "ignore, words",
    [
        ([{"rule": "*", "reason": 2024}], "reason must be text"),  # crashed every report format
        ([{"rule": "q"}] * 200_000, "at most 100 items"),  # 200,000 findings from 2.6 MB
        ([{"rule": "*a" * 3000 + "*N", "reason": "r"}] * 3, "over 200 characters"),  # slow globs
    ],
)
def test_a_product_s_own_suppressions_are_bounded_and_typed(tmp_path, ignore, words):
    lines = [{"sku": "IG-1", "title": "最佳", "listcheck": {"ignore": ignore}}, {"sku": "IG-2", "title": "最佳"}]
    catalog = tmp_path / "ignore.jsonl"
    catalog.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    data = report(run("check", catalog, *AD_LAW, "--format", "json", cwd=tmp_path))
    [bad] = by_rule(data, "input/invalid-record")
    assert bad["sku"] == "IG-1" and words in bad["message"]
    assert flagged_skus(data) == {"IG-2"}
    assert len(data["findings"]) < 10


def test_a_message_repeating_a_placeholder_stays_small(tmp_path):
    # 2,000 x {title} over a 100 KB title made a 200 MB message (a MemoryError under the limit).
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "pack: amp\ntitle: Amp\nrules:\n  - id: amp/title\n    kind: terms\n"
        "    category: prohibited-claim\n    severity: error\n    terms: [最佳]\n"
        f"    message: '{'{title} ' * 2000}'\n",
        encoding="utf-8",
    )
    catalog = tmp_path / "big.jsonl"
    catalog.write_text(json.dumps({"sku": "AMP-1", "title": "最佳" + "x" * 100_000}) + "\n", encoding="utf-8")
    data = report(run("check", catalog, "--rules", pack, "--format", "json", cwd=tmp_path))
    [finding] = by_rule(data, "amp/title")
    assert 4_000 < len(finding["message"]) < 20_000


def test_bidirectional_controls_in_a_title_are_shown_not_obeyed(tmp_path):
    catalog = tmp_path / "bidi.jsonl"
    catalog.write_text(json.dumps({"sku": "BIDI-1", "title": "最佳 \u202eevil\u202c \u2066x\u2069"}) + "\n",
                       encoding="utf-8")
    result = run("check", catalog, *AD_LAW, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert not set("\u202e\u202c\u2066\u2069") & set(result.stdout)
    assert "\\u202eevil" in result.stdout


def test_binary_data_in_the_middle_of_a_csv_is_one_finding(tmp_path):
    data = report(run("check", HOSTILE / "nul-in-middle.csv", *AD_LAW, "--format", "json", cwd=tmp_path))
    [bad] = by_rule(data, "input/unreadable-row")
    assert (bad["sku"], bad["source"]["line"]) == ("NUL-0600", 601)
    assert "NUL" in bad["message"]
    assert data["summary"]["products"] == 600  # every other row is checked


@pytest.mark.parametrize("name", ["nan-infinity.json", "nan-infinity.jsonl"])
def test_nan_and_infinity_in_typed_fields_are_findings_elsewhere_accepted(tmp_path, name):
    result = run("check", HOSTILE / name, *AD_LAW, "--rules", "mismatch", "--format", "json", cwd=tmp_path)
    data = report(result)
    invalid = {finding["sku"]: finding["message"] for finding in by_rule(data, "input/invalid-record")}
    assert "finite number" in invalid["NUM-2"]
    if name.endswith(".json"):
        assert "NUM-4" in invalid and None in invalid  # restocking 1e999; a NaN sku
        assert flagged_skus(data) == {"NUM-1", "NUM-6"}
        assert data["summary"]["products"] == 3  # NUM-1, NUM-3 (NaN in spec), NUM-6
    else:
        assert flagged_skus(data) == {"NUM-1", "NUM-4"}
        assert data["summary"]["products"] == 3
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout  # valid JSON out


@pytest.mark.parametrize("name, jobs", [("lone-surrogates.jsonl", 1), ("lone-surrogates.jsonl", 2),
                                        ("lone-surrogates.json", 1)])
@pytest.mark.parametrize("fmt", ["json", "jsonl", "sarif", "junit", "csv", "html"])
def test_lone_surrogates_become_replacement_characters_and_every_report_is_written(tmp_path, name, jobs, fmt):
    # A JSON "\ud800" escape decodes to a character no UTF-8 writer can write: it failed every
    # report of the run ("internal error"), losing all its products.
    out = tmp_path / f"report.{fmt}"
    result = run("check", HOSTILE / name, *AD_LAW, "--jobs", jobs, "--format", fmt, "--output", out, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    written = out.read_text(encoding="utf-8")
    assert "SUR-4" in written and "SUR-\ufffd" in written
    if fmt == "json":
        data = json.loads(written)
        assert data["summary"]["products"] == 4
        assert flagged_skus(data) == {"SUR-1", "SUR-2", "SUR-\ufffd", "SUR-4"}
        (title,) = [f for f in ad_law(data) if f["sku"] == "SUR-2" and f["field"] == "title"]
        assert (title["match"], title["context"]["text"]) == ("最佳", "最佳\ufffd保温杯 best")


@pytest.mark.parametrize("name", ["huge-numbers.json", "huge-numbers.yaml"])
def test_numbers_too_large_for_any_float_do_not_crash_the_checks(tmp_path, name):
    result = run("check", HOSTILE / name, *AD_LAW, "--rules", "mismatch", "--format", "json", cwd=tmp_path)
    data = report(result)
    assert flagged_skus(data) == {"HUGE-2"}
    assert data["summary"]["products"] == 2  # HUGE-1's 400-digit spec values are checked
    invalid = {finding["sku"] for finding in by_rule(data, "input/invalid-record")}
    # A 1,000-digit return-policy day count is no number of days: that record is invalid.
    assert invalid == ({"HUGE-3"} if name.endswith(".json") else set())


def test_a_number_longer_than_python_reads_is_one_bad_line(tmp_path):
    data = report(run("check", HOSTILE / "huge-int.jsonl", *AD_LAW, "--format", "json", cwd=tmp_path))
    [bad] = by_rule(data, "input/unreadable-row")
    assert bad["source"]["line"] == 2 and "5,000 digits" in bad["message"]
    assert flagged_skus(data) == {"INT-1", "INT-3"}


def test_a_number_longer_than_python_reads_in_a_json_document_names_its_line(tmp_path):
    path = HOSTILE / "huge-int.json"
    assert_refused(run("check", path, *AD_LAW, cwd=tmp_path), path, 3, "5,000 digits")


def test_yaml_types_a_json_catalog_cannot_hold_are_read_as_plain_data(tmp_path):
    data = report(run("check", HOSTILE / "yaml-types.yaml", *AD_LAW, "--rules", "mismatch",
                      "--format", "json", cwd=tmp_path))
    assert flagged_skus(data) == {"2024-01-01", "TYPES-2"}  # a timestamp sku stays its text
    assert by_rule(data, "input/invalid-record") == []


def test_a_duplicate_sku_is_a_finding_and_the_first_product_is_still_checked(tmp_path):
    data = report(run("check", HOSTILE / "duplicate-sku.csv", *AD_LAW, "--format", "json", cwd=tmp_path))
    [duplicate] = by_rule(data, "input/duplicate-sku")
    assert (duplicate["sku"], duplicate["source"]["line"]) == ("DUP-1", 3)
    assert "first seen at" in duplicate["message"] and "duplicate-sku.csv:2" in duplicate["message"]
    first = [f for f in ad_law(data) if f["sku"] == "DUP-1"]
    assert [f["source"]["line"] for f in first] == [2]
    assert flagged_skus(data) == {"DUP-1", "DUP-2"}


def test_bad_json_lines_are_findings_and_good_lines_are_checked(tmp_path):
    data = report(run("check", HOSTILE / "bad-records.jsonl", *AD_LAW, "--format", "json", cwd=tmp_path))
    lines = {(f["rule"], f["source"]["line"]) for f in data["findings"] if f["category"] == "input"}
    assert lines == {
        ("input/unreadable-row", 2),
        ("input/invalid-record", 3),
        ("input/invalid-record", 4),
        ("input/invalid-record", 5),
    }
    assert flagged_skus(data) == {"BAD-1", "BAD-6"}


def test_a_catastrophic_regex_is_stopped_with_a_rule_timeout_finding(tmp_path):
    result = run("check", HOSTILE / "redos-catalog.json", "--rules", HOSTILE / "redos-pack.yaml",
                 *AD_LAW, "--format", "json", cwd=tmp_path)
    data = report(result)
    [timeout] = by_rule(data, "input/rule-timeout")
    assert (timeout["sku"], timeout["field"], timeout["severity"]) == ("REDOS-1", "title", "warning")
    assert "redos/nested-alternation" in timeout["message"]
    assert flagged_skus(data) == {"REDOS-2"}


# --- formula injection in CSV output --------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def test_formula_cells_are_re_emitted_with_a_leading_apostrophe_in_csv(tmp_path):
    out = tmp_path / "report.csv"
    result = run("check", HOSTILE / "formula-injection.csv", "--rules", HOSTILE / "formula-echo-pack.yaml",
                 *AD_LAW, "--format", "csv", "--output", out, cwd=tmp_path)
    assert result.returncode == 1
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    echoed = {(row["sku"], row["field"]): row for row in rows if row["rule"] == "echo/formula-in-title"}
    title = echoed["FX-1", "title"]
    assert title["match"] == title["message"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert echoed["FX-1", "description"]["match"] == "'+cmd|' /C calc'!A0"
    assert "'=1+1" in {row["sku"] for row in rows}
    assert any(row["supplier"] == "'@SUM(A1:A9)" for row in rows)
    # No cell anywhere starts with a formula character, even after spaces.
    for row in rows:
        for column, cell in row.items():
            if column != "line" and cell.lstrip(" \u3000\u00a0").startswith(_FORMULA_STARTS):
                assert cell.lstrip(" \u3000\u00a0").lstrip("+-").replace(".", "").isdigit(), (column, cell)
    # The JSON report carries the text as written: escaping is the CSV writer's job.
    data = report(run("check", HOSTILE / "formula-injection.csv", "--rules", HOSTILE / "formula-echo-pack.yaml",
                      "--format", "json", cwd=tmp_path))
    assert '=HYPERLINK("http://evil","x")' in {f["match"] for f in data["findings"]}


# --- huge inputs, generated at test time ----------------------------------------------------


def _write_with_huge_line(path: Path, before: str, huge_head: bytes, unit: bytes, size: int,
                          huge_tail: bytes, after: str) -> None:
    with open(path, "wb") as stream:
        stream.write(before.encode("utf-8") + huge_head)
        block = unit * (MB // len(unit))
        for _ in range(size // len(block)):
            stream.write(block)
        stream.write(huge_tail + after.encode("utf-8"))


def test_a_200_mb_json_line_is_skipped_without_being_read_and_the_rest_is_checked(tmp_path):
    # The line is 70 million empty lists: json.loads would need ~4 GB, the limit is 1 GB.
    path = tmp_path / "huge-line.jsonl"
    _write_with_huge_line(
        path,
        '{"sku": "G0", "title": "最佳保温杯"}\n',
        b'{"sku": "BIG", "title": "x", "spec": {"junk": [', b"[],", 200 * MB, b"[]]}}\n",
        '{"sku": "G1", "title": "最好的杯子"}\n',
    )
    try:
        data = report(run("check", path, *AD_LAW, "--format", "json", cwd=tmp_path))
    finally:
        path.unlink()
    [big] = by_rule(data, "input/record-too-large")
    assert (big["sku"], big["source"]["line"]) == ("BIG", 2)
    assert "limits.max_record_bytes" in big["message"]
    assert flagged_skus(data) == {"G0", "G1"}


def test_a_200_mb_csv_cell_is_skipped_without_being_read_and_the_rest_is_checked(tmp_path):
    path = tmp_path / "huge-cell.csv"
    _write_with_huge_line(
        path,
        "sku,title,description\nG0,最佳保温杯,ok\n",
        b'BIG,"', "长".encode("utf-8"), 200 * MB, b'",tail\n',
        'G1,最好的杯子,"a description\nover two lines, with ""quotes"""\nG2,最佳,ok\n',
    )
    try:
        data = report(run("check", path, *AD_LAW, "--format", "json", cwd=tmp_path))
    finally:
        path.unlink()
    [big] = by_rule(data, "input/record-too-large")
    assert (big["sku"], big["source"]["line"]) == ("BIG", 3)
    lines = {f["sku"]: f["source"]["line"] for f in ad_law(data)}
    assert lines == {"G0": 2, "G1": 4, "G2": 6}
    assert data["summary"]["products"] == 3


def test_a_yaml_or_json_document_over_the_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "w", encoding="utf-8") as stream:
        stream.write("- sku: A\n  description: ")
        stream.write("x" * (65 * MB))
        stream.write("\n")
    try:
        result = run("check", path, *AD_LAW, cwd=tmp_path)
    finally:
        path.unlink()
    assert_refused(result, path, None, "limits.max_document_bytes", "JSON Lines or CSV")


def _workbook(path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["sku", "title"])
    sheet.append(["X-1", "最佳保温杯"])
    book.save(path)


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    good = tmp_path / "good.xlsx"
    _workbook(good)
    # Declare a 4 GB worksheet in the central directory: the sizes a zip declares are what
    # zipfile unpacks at most, and what listcheck checks before openpyxl opens anything.
    data = bytearray(good.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[entry + 24:entry + 28] = (0xFFFFFF00).to_bytes(4, "little")
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(bytes(data))
    assert_refused(run("check", bomb, *AD_LAW, cwd=tmp_path), bomb, None, "zip bomb")


@pytest.mark.skipif(pyexpat.version_info < (2, 4, 0), reason="expat before 2.4 has no amplification limit")
def test_an_xml_entity_bomb_in_an_xlsx_is_refused(tmp_path):
    good = tmp_path / "good.xlsx"
    _workbook(good)
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10)
    )
    bomb = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.namelist():
            content = source.read(item)
            if item == "xl/worksheets/sheet1.xml":
                text = content.decode("utf-8").replace("最佳保温杯", "&l9;")
                content = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>' + text).encode()
            target.writestr(item, content)
    result = run("check", bomb, *AD_LAW, cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"listcheck: error: {bomb}")


# --- outputs --------------------------------------------------------------------------------


def test_split_reports_never_write_outside_the_output_folder(tmp_path):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    escaped = Path("/tmp/listcheck-escaped.json")
    before = escaped.exists()
    result = run("check", HOSTILE / "traversal-supplier.csv", *AD_LAW, "--split-by", "supplier",
                 "--output-dir", "out", "--format", "json", cwd=work)
    assert result.returncode == 1, result.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written and all(name.startswith("a/b/out/") for name in written), written
    assert "/" not in "".join(name[len("a/b/out/"):] for name in written)
    assert escaped.exists() == before


def _escape_catalog(tmp_path: Path) -> Path:
    """A product whose sku, title and supplier carry terminal escape sequences: an OSC 52
    clipboard write, clear screen, blink, a C1 CSI, and rich markup."""
    catalog = tmp_path / "escape.json"
    catalog.write_text(json.dumps([
        {"sku": "ESC-1\x1b[31m", "title": "最佳 [bold]x[/bold] \x1b]52;c;ZXZpbA==\x07 \x1b[2J\x9b5m",
         "supplier": "s\x1b[5m"}
    ]), encoding="utf-8")
    return catalog


def _assert_no_catalog_escapes(output: str) -> None:
    # Whatever escapes remain are the report's own colours (SGR `ESC[…m`), never the catalog's.
    assert "\x1b]" not in output and "\x07" not in output and "\x9b" not in output
    assert "\x1b[2J" not in output and "\x1b[5m" not in output
    rest = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert "\x1b" not in rest
    # The catalog's control characters are shown, as escapes, where they were.
    assert r"ESC-1\x1b[31m" in rest and r"s\x1b[5m" in rest
    assert r"\x1b]52;c;ZXZpbA==\x07 \x1b[2J\x9b5m" in rest
    assert "[bold]x[/bold]" in rest  # listing text is never read as rich markup


def test_terminal_report_does_not_pass_escape_sequences_from_the_catalog(tmp_path):
    result = run("check", _escape_catalog(tmp_path), *AD_LAW, "--format", "terminal", cwd=tmp_path)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    _assert_no_catalog_escapes(result.stdout)
    assert "«最佳»" in result.stdout  # the match is still highlighted in its context


def run_on_terminal(*args: object, cwd: Path) -> tuple[int, str]:
    """The CLI with stdout and stderr on a pseudo-terminal, as in an interactive shell: the
    terminal report is then coloured by rich. (exit code, everything the terminal received)."""
    controller, terminal = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-m", "listcheck.cli", *map(str, args)],
        cwd=cwd, env={**env, "LISTCHECK_DEBUG": "", "TERM": "xterm-256color", "COLUMNS": "120"},
        stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal, preexec_fn=_limit_memory,
    )
    os.close(terminal)
    received = bytearray()
    try:
        while select.select([controller], [], [], TIMEOUT)[0]:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
        code = process.wait(timeout=TIMEOUT)
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
    output = received.decode("utf-8", errors="replace")
    assert "Traceback" not in output and "internal error" not in output, output
    return code, output


def test_coloured_terminal_report_does_not_pass_escape_sequences_from_the_catalog(tmp_path):
    code, output = run_on_terminal("check", _escape_catalog(tmp_path), *AD_LAW, cwd=tmp_path)
    assert code == 1
    assert "\x1b[1m" in output  # coloured: rich wrote its own styles
    _assert_no_catalog_escapes(output)


def test_the_error_line_does_not_pass_escape_sequences_from_a_file_name(tmp_path):
    result = run("check", tmp_path / "no\x1b]52;c;ZXZpbA==\x07such.json", cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert r"no\x1b]52;c;ZXZpbA==\x07such.json" in result.stderr


def test_markdown_report_does_not_pass_escape_sequences_from_the_catalog(tmp_path):
    result = run("check", _escape_catalog(tmp_path), *AD_LAW, "--format", "markdown", cwd=tmp_path)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\x9b" not in result.stdout
    assert r"ESC-1\\x1b\[31m" in result.stdout  # shown, with the Markdown escaping on top


_INJECTED = "\n::error file=pwned.yaml,line=1::injected\r\n::add-mask::secret %0A::warning::x \x1b[2J"


def test_github_annotations_cannot_be_split_into_workflow_commands_by_listing_text(tmp_path):
    # The pack's message is the matched text, line breaks included: listing text reaches the
    # message, the title (the sku) and the file= property (the file name). Its category is not
    # the ad-law pack's, so 最佳 is reported by both (one finding per phrase is per category).
    (tmp_path / "echo.yaml").write_text(
        "pack: echo\ntitle: Echo\nrules:\n  - id: echo/all\n    kind: pattern\n"
        "    category: completeness\n    severity: error\n    fields: [title]\n"
        "    pattern: '(?s)=.*'\n    message: '{match}'\n", encoding="utf-8")
    name = "inject,::x.jsonl"
    (tmp_path / name).write_text(json.dumps({
        "sku": "GH-1" + _INJECTED, "title": "=最佳" + _INJECTED, "supplier": "s" + _INJECTED,
    }) + "\n", encoding="utf-8")
    args = ("check", name, "--rules", "echo.yaml", *AD_LAW)
    result = run(*args, "--format", "github", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and lines[-2].startswith("listcheck: ")
    commands = lines[:-2]
    data = report(run(*args, "--format", "json", cwd=tmp_path))
    assert len(commands) == len(data["findings"]) >= 2  # one line per finding, no more
    for line in commands:
        assert "\r" not in line and "\x1b" not in line
        command, _, rest = line.partition(" ")
        assert command in ("::error", "::warning", "::notice"), line
        props, separator, message = rest.partition("::")
        assert separator and props.startswith("file=inject%2C%3A%3Ax.jsonl,line=1,title="), line
        assert ":" not in props  # a property cannot end early and start the message
    echoed = next(line for line in commands if "title=echo/all" in line)
    assert echoed.endswith(
        "::=最佳%0A::error file=pwned.yaml,line=1::injected%0D%0A::add-mask::secret %250A::warning::x \\x1b[2J%0A"
        "title · “=最佳%0A::error file=pwned.yaml,line=1::injected%0D%0A::add-mask::secret %250A::warning::x \\x1b[2J”"
    )


# --- resource limits set on the command line ------------------------------------------------


def _good_and_bad(path: Path, bad: str) -> None:
    """Three JSON Lines products; the second is `bad` (a JSON object's text)."""
    path.write_text(
        json.dumps({"sku": "L-1", "title": "最佳保温杯"}, ensure_ascii=False) + "\n"
        + bad + "\n"
        + json.dumps({"sku": "L-3", "title": "最好的杯子"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("command", [("check",), ("baseline", "create")])
def test_a_file_over_max_file_size_is_refused(tmp_path, command):
    path = tmp_path / "catalog.jsonl"
    _good_and_bad(path, json.dumps({"sku": "L-2", "title": "x" * 2000}))
    result = run(*command, path, *AD_LAW, "--max-file-size", "1k", cwd=tmp_path)
    assert_refused(result, path, None, "over the limit of 1,024", "limits.max_file_bytes")
    assert not (tmp_path / "listcheck-baseline.json").exists()
    # The same file under a limit it fits is checked.
    assert run(*command, path, *AD_LAW, "--max-file-size", "1MiB", cwd=tmp_path).returncode in (0, 1)


def test_a_json_document_over_max_document_size_is_refused_json_lines_stream(tmp_path):
    records = [{"sku": f"D-{i}", "title": "最佳保温杯", "description": "x" * 100} for i in range(20)]
    document = tmp_path / "catalog.json"
    document.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    result = run("check", document, *AD_LAW, "--max-document-size", "1k", cwd=tmp_path)
    assert_refused(result, document, None, "over the limit of 1,024", "limits.max_document_bytes")
    lines = tmp_path / "catalog.jsonl"
    lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    data = report(run("check", lines, *AD_LAW, "--max-document-size", "1k", "--format", "json", cwd=tmp_path))
    assert len(flagged_skus(data)) == 20


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_max_record_size_makes_a_large_line_one_finding_and_checks_the_rest(tmp_path, jobs):
    path = tmp_path / "catalog.jsonl"
    _good_and_bad(path, json.dumps({"sku": "L-2", "title": "最佳", "description": "长" * 3000}, ensure_ascii=False))
    data = report(run("check", path, *AD_LAW, "--max-record-size", "4k", "--jobs", jobs,
                      "--format", "json", cwd=tmp_path))
    [big] = by_rule(data, "input/record-too-large")
    assert (big["sku"], big["source"]["line"]) == ("L-2", 2)
    assert "limits.max_record_bytes" in big["message"] and "4,096" in big["message"]
    assert flagged_skus(data) == {"L-1", "L-3"}
    # Under the default limit the same line is a product like the others.
    data = report(run("check", path, *AD_LAW, "--jobs", jobs, "--format", "json", cwd=tmp_path))
    assert by_rule(data, "input/record-too-large") == []
    assert flagged_skus(data) == {"L-1", "L-2", "L-3"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_max_field_chars_reaches_the_checks(tmp_path, jobs):
    path = tmp_path / "catalog.jsonl"
    _good_and_bad(path, json.dumps({"sku": "L-2", "title": "x" * 200 + " 最佳"}, ensure_ascii=False))
    data = report(run("check", path, *AD_LAW, "--max-field-chars", "100", "--jobs", jobs, "--format", "json",
                      cwd=tmp_path))
    assert flagged_skus(data) == {"L-1", "L-3"}  # 最佳 at character 201 was not read
    [long] = by_rule(data, "input/field-too-long")
    assert (long["sku"], long["field"]) == ("L-2", "title") and "limit of 100 " in long["message"]
    data = report(run("check", path, *AD_LAW, "--format", "json", cwd=tmp_path))
    assert flagged_skus(data) == {"L-1", "L-2", "L-3"}
    assert by_rule(data, "input/field-too-long") == []


_COMPARE_REDOS = """\
pack: redos-compare
title: ReDoS in a compare rule
rules:
  - id: redos/compare-matches
    kind: compare
    category: prohibited-claim
    severity: warning
    require: {not: {field: title, matches: '(a|aa)+$'}}
    message: "matched {found}"
"""


@pytest.mark.parametrize("kind", ["pattern", "compare"])
def test_regex_timeout_reaches_the_checks(tmp_path, kind):
    pack = HOSTILE / "redos-pack.yaml"
    rule = "redos/nested-alternation"
    if kind == "compare":
        pack = tmp_path / "compare-redos.yaml"
        pack.write_text(_COMPARE_REDOS, encoding="utf-8")
        rule = "redos/compare-matches"
    path = tmp_path / "catalog.jsonl"
    _good_and_bad(path, json.dumps({"sku": "L-2", "title": "a" * 5000 + "!"}))
    started = time.monotonic()
    result = run("check", path, "--rules", pack, *AD_LAW, "--regex-timeout", "0.05",
                 "--format", "json", cwd=tmp_path)
    assert time.monotonic() - started < 20  # the search is stopped, not run to its end
    data = report(result)
    [timeout] = by_rule(data, "input/rule-timeout")
    assert (timeout["sku"], timeout["field"], timeout["severity"]) == ("L-2", "title", "warning")
    assert rule in timeout["message"] and "longer than 0.05s" in timeout["message"]
    assert flagged_skus(data) == {"L-1", "L-3"}


@pytest.mark.parametrize("command", [("check",), ("baseline", "create")])
@pytest.mark.parametrize(
    "option, value, words",
    [
        ("--max-file-size", "12XB", ["not a size: '12XB'", "64MiB"]),
        ("--max-file-size", "9" * 400, ["a size must be"]),
        ("--max-document-size", "0", ["at least 1 byte"]),
        ("--max-record-size", "-5M", ["not a size"]),
        ("--max-field-chars", "1.5", ["whole number"]),
        ("--max-field-chars", "0", ["whole number"]),
        ("--regex-timeout", "-1", ["greater than 0", "'-1'"]),
        ("--regex-timeout", "nan", ["greater than 0"]),
        ("--regex-timeout", "soon", ["greater than 0"]),
    ],
)
def test_a_bad_limit_is_one_error_line(tmp_path, command, option, value, words):
    result = run(*command, HOSTILE / "duplicate-sku.csv", *AD_LAW, option, value, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"listcheck: error: {option}: "), line
    for word in words:
        assert word in line, line
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option", ["--rules", "--config"])
def test_a_fifo_given_as_a_pack_or_config_is_named_as_such_and_never_opened(tmp_path, option):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pack.yaml"
    os.mkfifo(fifo)
    result = run("check", HOSTILE / "duplicate-sku.csv", option, fifo, cwd=tmp_path)
    assert_refused(result, fifo, None, "not a regular file")
