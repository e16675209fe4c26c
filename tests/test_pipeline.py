"""The run pipeline (listcheck.pipeline): what `--jobs N` spreads over processes, what stays in
order, and the findings the engine adds about a product's own text (field-too-long)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from listcheck import api, pipeline
from listcheck.catalog import iter_entries, partition
from listcheck.catalog.mapping import FieldMapping
from listcheck.catalog.records import Raw
from listcheck.config import Config
from listcheck.engine import Engine
from listcheck.limits import Limits
from listcheck.policy import PolicyStage

from conftest import run_cli


def _mixed_catalog(folder: Path) -> None:
    """Two files whose records are every kind of entry the pipeline orders: products with and
    without findings, an unreadable line, a record that fails validation, a record whose
    dotted columns conflict, duplicates within a file and across files."""
    lines = []
    for i in range(700):
        lines.append(json.dumps({"sku": f"J{i}", "title": ["保温杯 500ml", "最佳保温杯"][i % 2]}, ensure_ascii=False))
    lines[100] = "{not json"
    lines[200] = json.dumps({"sku": "J5", "title": "最好 duplicate of line 6"}, ensure_ascii=False)
    lines[300] = json.dumps({"sku": "BAD", "title": "x", "return_policy": {"no_reason_days": "seven"}})
    lines[400] = json.dumps({"sku": "J400", "bullets": 5})
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    rows = ["sku,title,spec,spec.color"]
    for i in range(300):
        rows.append(f"C{i},最佳 杯子 {i},,")
    rows[10] = "J7,最佳 duplicate across files,,"
    rows[20] = "C19X,conflict,plain,红色"
    (folder / "b.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.parametrize("output_format", ["json", "jsonl"])
def test_jobs_2_gives_what_jobs_1_gives_over_every_kind_of_entry(tmp_path, output_format):
    _mixed_catalog(tmp_path)
    runs = [
        run_cli("check", tmp_path, "--rules", "cn-ad-law", "--format", output_format, "--jobs", jobs, cwd=tmp_path)
        for jobs in ("1", "2")
    ]
    assert runs[0].returncode == runs[1].returncode == 1, runs[1].stderr
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stderr == runs[1].stderr
    if output_format != "json":
        return
    report = json.loads(runs[0].stdout)
    by_rule: dict[str, list] = {}
    for finding in report["findings"]:
        by_rule.setdefault(finding["rule"], []).append(finding)
    duplicates = {(f["sku"], f["source"]["path"].rsplit("/", 1)[-1], f["source"]["line"]) for f in by_rule["input/duplicate-sku"]}
    assert duplicates == {("J5", "a.jsonl", 201), ("J7", "b.csv", 11)}
    assert "first seen at" in by_rule["input/duplicate-sku"][0]["message"]
    assert [f["source"]["line"] for f in by_rule["input/unreadable-row"]] == [101]
    invalid = {f["sku"] for f in by_rule["input/invalid-record"]}
    assert {"BAD", "J400", "C19X"} <= invalid
    # A duplicate is not checked: line 201 says 最好 but only its duplicate finding is there.
    assert not [f for f in report["findings"] if f["sku"] == "J5" and f.get("match") == "最好"]
    assert [f["match"] for f in report["findings"] if f["sku"] == "J5" and f["rule"].startswith("cn-ad-law/")] == ["最佳"]
    # Every other product with 最佳 is checked, in both files.
    flagged = {f["sku"] for f in report["findings"] if f["rule"].startswith("cn-ad-law/")}
    assert "J1" in flagged and "C0" in flagged and "J0" not in flagged
    assert report["summary"]["products"] == 700 - 4 + 300 - 2


def test_deferred_files_are_sliced_and_read_where_they_are_checked(tmp_path):
    catalog = tmp_path / "c.jsonl"
    catalog.write_text('{"sku": "A", "title": "t"}\n\n   \n{broken\n', encoding="utf-8")
    [piece, end] = iter_entries([catalog], fields=FieldMapping(), defer=True)
    assert type(piece) is partition.Slice and (piece.start, piece.end, piece.line) == (0, catalog.stat().st_size, 1)
    assert end == partition.FileEnd(str(catalog))
    parsed = list(iter_entries([catalog], fields=FieldMapping()))
    assert isinstance(parsed[0], Raw) and parsed[0].data == {"sku": "A", "title": "t"}
    assert parsed[1].rule == "input/unreadable-row" and parsed[1].source.line == 4
    assert _described(partition.read_slice(piece, FieldMapping())) == _described(parsed)  # blank lines skipped


def _described(entries) -> list[tuple]:
    """Entries as comparable tuples: (source line, data) of a record, (line, rule, message) of
    a finding."""
    return [
        (entry.source.line, entry.data) if isinstance(entry, Raw) else (entry.source.line, entry.rule, entry.message)
        for entry in entries
    ]


def _collected(entries, fields: FieldMapping, limits: Limits) -> list[tuple]:
    """What the collecting side makes of `entries`: (kind, sku, line, rules) per entry."""
    collector = pipeline.Collector(Engine([], limits), PolicyStage(Config()))
    out = []
    for entry in pipeline.check_entries(Engine([], limits), fields, entries):
        admitted = collector.admit(entry)
        if admitted is not None:
            out.append((admitted.kind, admitted.sku, admitted.source.line, [f.rule for f in admitted.findings]))
    return out


def _record(i: int) -> bytes:
    return json.dumps({"sku": f"S{i}", "title": f"保温杯 {i}"}, ensure_ascii=False).encode()


_BLOCK_CASES = [
    # Several 4 KB blocks: CRLF pairs and GB18030 characters meet block ends.
    ("crlf", b"\r\n".join(_record(i) for i in range(500)) + b"\r\n"),
    ("lone-cr", b"\n".join(_record(i) for i in range(20)) + b"\r" + _record(99) + b"\n" + _record(100)),
    ("bom-no-final-newline", b"\xef\xbb\xbf" + b"\n".join(_record(i) for i in range(30))),
    ("gb18030", "\n".join(json.dumps({"sku": f"G{i}", "title": "保温杯 最佳"}, ensure_ascii=False)
                           for i in range(400)).encode("gb18030")),
    ("oversized-middle", b"\n".join([_record(1), b'{"sku": "BIG", "t": "' + b"x" * 5000 + b'"}', _record(2)])),
    ("many-blocks", b"\n".join(_record(i) for i in range(15000)) + b"\n\n  \n"),
    ("blank-lines-and-broken", b"\n\n" + _record(1) + b"\n{broken\n\n" + _record(2) + b"\n"),
    # A truncated line: the JSON error names the same column in both paths.
    ("truncated", _record(1) + b"\n" + b'{"sku": "B", "title": "x"' + b"\r\n" + _record(3) + b"\n"),
    # Lines of white space that bytes.isspace does not know: U+3000, NBSP, \x1c.
    ("unicode-blank-lines", _record(1) + "\n\u3000\n\xa0 \n\x1c\n".encode() + _record(2) + b"\n"),
    ("two-boms-and-a-lone-cr", b"\xef\xbb\xbf\xef\xbb\xbf" + _record(1) + b"\r" + _record(2) + b"\n" + _record(3)),
]


@pytest.mark.parametrize("name, content", _BLOCK_CASES, ids=[name for name, _ in _BLOCK_CASES])
@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_sliced_files_read_what_the_whole_file_reader_reads(tmp_path, name, content, suffix):
    """A JSON Lines (or CSV) file cut into slices for `--jobs` workers gives, line for line,
    the records and findings that reading it whole gives: line numbers, CRLF, a lone CR, a BOM,
    GB18030, a line over the record limit, blank and broken lines."""
    catalog = tmp_path / f"{name}{suffix}"
    catalog.write_bytes(content if suffix == ".jsonl" else _as_csv(content))
    fields = FieldMapping()
    limits = Limits(max_record_bytes=4096)
    deferred = list(iter_entries([catalog], fields=fields, limits=limits, defer=True))
    direct = list(iter_entries([catalog], fields=fields, limits=limits))
    if name == "many-blocks":
        assert sum(type(entry) is partition.Slice for entry in deferred) >= 2
    assert _collected(deferred, fields, limits) == _collected(direct, fields, limits)
    assert len(direct) >= 2


def _as_csv(content: bytes) -> bytes:
    """The JSON Lines case as a CSV file of one column: the same line ends, blank lines, BOM."""
    return b"sku\r\n" + content.replace(b'"', b"'") if not content.startswith(b"\xef\xbb\xbf") else \
        b"\xef\xbb\xbfsku\r\n" + content[3:].replace(b'"', b"'")


@pytest.mark.parametrize("content", ["\u3000\n\xa0\n \n", "\n \n\n", ""])
def test_a_file_of_blank_lines_is_empty_also_when_sliced(tmp_path, content):
    catalog = tmp_path / "blank.jsonl"
    catalog.write_text(content, encoding="utf-8")
    [entry] = iter_entries([catalog], fields=FieldMapping())
    assert entry.rule == "input/empty-file"
    [(kind, _sku, _line, rules)] = _collected(iter_entries([catalog], fields=FieldMapping(), defer=True),
                                              FieldMapping(), Limits())
    assert kind == pipeline.READER and rules == ["input/empty-file"]


def test_a_text_over_max_field_chars_is_a_warning_and_only_its_start_is_checked():
    rules = api.load_rules(["cn-ad-law"])
    record = {
        "sku": "LONG-1",
        "title": "保温杯 " + "x" * 200 + " 最佳",
        "description": "最佳 at the start is seen",
        "spec": {"notes": "y" * 300},
        "bullets": ["short", "z" * 150],
    }
    findings = list(api.check_records([record], rules, limits=Limits(max_field_chars=100)))
    too_long = [f for f in findings if f.rule == "input/field-too-long"]
    assert [f.field for f in too_long] == ["title", "bullets.1", "spec.notes"]
    assert all(f.severity.value == "warning" and f.category.value == "input" for f in too_long)
    assert "100" in too_long[0].message and "max_field_chars" in too_long[0].messages["zh"]
    checked = [f for f in findings if f.rule.startswith("cn-ad-law/")]
    assert [f.field for f in checked] == ["description"]  # the title's 最佳 lies past the limit
    # With the default limit nothing is too long and the title's 最佳 is found.
    default = list(api.check_records([record], rules))
    assert not [f for f in default if f.rule == "input/field-too-long"]
    assert {f.field for f in default if f.rule.startswith("cn-ad-law/")} == {"title", "description"}


def test_python_dash_m_listcheck_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "listcheck", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("listcheck ")


def test_in_memory_records_with_numbers_beyond_any_float_are_checked_like_a_files():
    """A 400- or 5,000-digit integer from a program (not a file, whose reader already caps it)
    is infinity to every check: the record is checked, or invalid where a typed field needs a
    number, and nothing crashes converting or printing it."""
    rules = api.load_rules(["recommended"])
    records = [
        {"sku": "H1", "title": "100% cotton tee", "spec": {"composition": {"cotton": 10**400}}},
        {"sku": "H2", "title": "t", "return_policy": {"no_reason_days": 10**400}},
        {"sku": "H3", "title": "最佳 500g", "spec": {"net_content": 10**5000, "weight": -(10**5000)}},
    ]
    findings = list(api.check_records(records, rules))
    by_sku: dict[str, set] = {}
    for finding in findings:
        by_sku.setdefault(finding.sku, set()).add(finding.rule)
    assert "input/invalid-record" in by_sku["H2"]
    assert "input/invalid-record" not in by_sku["H1"] | by_sku["H3"]
    assert "cn-ad-law/statutory-absolute-terms" in by_sku["H3"]  # the rest of H3 is still checked
    assert not [f for f in findings if f.sku == "H3" and f.attribute == "net_content"]


def test_a_run_collects_garbage_less_often_and_restores_the_threshold(tmp_path):
    import gc

    from listcheck import pipeline
    from listcheck.engine import Engine

    catalog = tmp_path / "c.jsonl"
    catalog.write_text("".join(json.dumps({"sku": f"S{i}", "title": "最佳"}) + "\n" for i in range(600)), encoding="utf-8")
    engine = Engine(api.load_rules(["cn-ad-law"]).rules)
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        run = pipeline.run(engine, iter_entries([catalog], fields=FieldMapping()), fields=FieldMapping())
        next(run)
        assert gc.get_threshold()[0] == pipeline.GC_THRESHOLD  # during the run
        inner = pipeline.run(engine, iter_entries([catalog], fields=FieldMapping()), fields=FieldMapping())
        assert len(list(inner)) == 600  # a second run ending inside the first keeps its setting
        assert gc.get_threshold()[0] == pipeline.GC_THRESHOLD
        run.close()  # abandoned part-way
        assert gc.get_threshold() == (700, 10, 10)
        gc.set_threshold(0)  # a host that turned automatic collection off keeps it off
        assert len(list(pipeline.run(engine, iter_entries([catalog], fields=FieldMapping()), fields=FieldMapping()))) == 600
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_a_long_json_line_whose_fields_are_short_is_no_long_field(tmp_path):
    """The line-length shortcut: a line over max_field_chars whose every text is within it
    gives no field-too-long warning; a text over it still does."""
    catalog = tmp_path / "c.jsonl"
    short_fields = {"sku": "A", "title": "t" * 80, "description": "d" * 80, "spec": {"notes": "n" * 80}}
    long_field = {"sku": "B", "title": "t" * 120}
    catalog.write_text(json.dumps(short_fields) + "\n" + json.dumps(long_field) + "\n", encoding="utf-8")
    for jobs in (1, 2):
        run = api.check_run([catalog], rules=api.load_rules(["core"]), limits=Limits(max_field_chars=100), jobs=jobs)
        too_long = [(f.sku, f.field) for f in run.report.findings if f.rule == "input/field-too-long"]
        assert too_long == [("B", "title")]
