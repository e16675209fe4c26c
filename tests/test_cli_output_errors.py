"""A report that cannot be written, and --jobs beyond reason: the run ends as the CLI promises.

A run that cannot finish its output exits 2 with exactly one line on stderr,
`listcheck: error: PATH: ...` naming the file (`<stdout>` for the standard output): no summary
line before it, no `internal error`, no traceback. A closed pipe (`| head`) is not an error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from conftest import run_cli

AD_LAW = ("--rules", "cn-ad-law", "--rules", "core")
FORMATS = ("json", "sarif", "jsonl", "csv", "terminal")
DEV_FULL = "/dev/full"
needs_dev_full = pytest.mark.skipif(not os.path.exists(DEV_FULL), reason="no /dev/full here")


def write_catalog(tmp_path, count=3, name="catalog.jsonl"):
    path = tmp_path / name
    lines = (json.dumps({"sku": f"S{i}", "title": "全网最佳保温杯 500ml"}, ensure_ascii=False) for i in range(count))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def assert_one_error_line(result, path):
    """Exit 2, and stderr is one `listcheck: error:` line naming `path` (no summary)."""
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"listcheck: error: {path}: cannot write the report: "), lines
    assert "internal error" not in lines[0] and "FAILED" not in lines[0] and "passed" not in lines[0]


def run_to(stdout, *args, cwd):
    """The CLI with its stdout on `stdout` (an open file), stderr captured."""
    return subprocess.run(
        [sys.executable, "-m", "listcheck.cli", *map(str, args)],
        cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120,
    )


# --- a missing folder --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_output_in_a_missing_folder_is_one_error_line(tmp_path, fmt):
    catalog = write_catalog(tmp_path)
    result = run_cli("check", catalog, *AD_LAW, "-f", fmt, "-o", "missing/dir/r.out", cwd=tmp_path)
    assert_one_error_line(result, "missing/dir/r.out")
    assert "No such file or directory" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("extra", ["json", "sarif", "jsonl", "junit", "html"])
def test_an_output_format_extra_in_a_missing_folder_is_one_error_line(tmp_path, extra):
    catalog = write_catalog(tmp_path)
    result = run_cli("check", catalog, *AD_LAW, "-f", "json", "-o", tmp_path / "r.json",
                     "--output-format", f"{extra}=missing/x.{extra}", cwd=tmp_path)
    assert_one_error_line(result, f"missing/x.{extra}")
    assert (tmp_path / "r.json").exists()  # the reports before it were written


# --- a full disk ---------------------------------------------------------------------------


@needs_dev_full
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_output_on_a_full_disk_is_one_error_line_naming_it(tmp_path, fmt, jobs):
    # jsonl is the streamed path; the others are rendered by the gate.
    catalog = write_catalog(tmp_path)
    result = run_cli("check", catalog, *AD_LAW, "-f", fmt, "-o", DEV_FULL, "--jobs", jobs, cwd=tmp_path)
    assert_one_error_line(result, DEV_FULL)
    assert "No space left on device" in result.stderr


@needs_dev_full
@pytest.mark.parametrize("extra", ["json", "sarif", "jsonl", "junit"])
def test_an_output_format_extra_on_a_full_disk_is_one_error_line(tmp_path, extra):
    catalog = write_catalog(tmp_path)
    result = run_cli("check", catalog, *AD_LAW, "-f", "json", "-o", tmp_path / "r.json",
                     "--output-format", f"{extra}={DEV_FULL}", cwd=tmp_path)
    assert_one_error_line(result, DEV_FULL)


@needs_dev_full
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("count", [3, 3000])  # within stdout's buffer, and well past it
def test_stdout_on_a_full_disk_is_one_error_line_naming_stdout(tmp_path, fmt, count):
    catalog = write_catalog(tmp_path, count)
    with open(DEV_FULL, "w") as full:
        result = run_to(full, "check", catalog, *AD_LAW, "-f", fmt, cwd=tmp_path)
    assert_one_error_line(result, "<stdout>")
    assert "No space left on device" in result.stderr


@needs_dev_full
def test_the_streamed_report_on_a_full_stdout_with_jobs_is_one_error_line(tmp_path):
    catalog = write_catalog(tmp_path, 3000)
    with open(DEV_FULL, "w") as full:
        result = run_to(full, "check", catalog, *AD_LAW, "-f", "jsonl", "--jobs", "2", cwd=tmp_path)
    assert_one_error_line(result, "<stdout>")


# --- what stays as it was ------------------------------------------------------------------


def test_the_summary_comes_once_the_reports_are_written(tmp_path):
    catalog = write_catalog(tmp_path)
    for fmt in ("json", "jsonl"):  # rendered, and streamed
        result = run_cli("check", catalog, *AD_LAW, "-f", fmt, "-o", tmp_path / f"r.{fmt}",
                         "--output-format", f"sarif={tmp_path / 'r.sarif'}", cwd=tmp_path)
        assert result.returncode == 1
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("listcheck: FAILED: 3 errors, "), lines
        assert (tmp_path / f"r.{fmt}").stat().st_size > 0 and (tmp_path / "r.sarif").stat().st_size > 0


@pytest.mark.parametrize("fmt, summary", [("json", True), ("sarif", True), ("jsonl", False), ("terminal", False)])
def test_a_closed_pipe_is_not_an_error(tmp_path, fmt, summary):
    # `listcheck check ... | head -1`: exit 1 as before, no error line, no traceback; a rendered
    # report's verdict is still told (the streamed and the terminal reports have none on stderr).
    catalog = write_catalog(tmp_path, 3000)
    process = subprocess.Popen(
        [sys.executable, "-m", "listcheck.cli", "check", str(catalog), *AD_LAW, "-f", fmt],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    process.stdout.readline()
    process.stdout.close()  # the reader goes away
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in stderr and "listcheck: error" not in stderr
    assert [line.startswith("listcheck: FAILED: ") for line in stderr.splitlines()] == ([True] if summary else [])


# --- --jobs beyond reason ------------------------------------------------------------------


def test_jobs_4096_on_a_small_catalog_is_quick_and_gives_what_jobs_1_gives(tmp_path):
    catalog = write_catalog(tmp_path, 600)  # three chunks of work: three workers at most
    one = run_cli("check", catalog, *AD_LAW, "-f", "json", "--jobs", "1", cwd=tmp_path)
    started = time.monotonic()
    many = run_cli("check", catalog, *AD_LAW, "-f", "json", "--jobs", "4096", cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert many.returncode == one.returncode == 1, many.stderr
    assert many.stdout == one.stdout and many.stderr == one.stderr
    assert len(json.loads(many.stdout)["findings"]) == 3 * 600  # an absolute term, no description, no category
    assert elapsed < 30, f"--jobs 4096 took {elapsed:.1f}s"


def test_the_pool_has_no_more_workers_than_chunks_nor_than_the_bound(monkeypatch):
    from concurrent import futures

    from listcheck import api, pipeline
    from listcheck.catalog.mapping import FieldMapping
    from listcheck.catalog.records import Raw
    from listcheck.engine import Engine
    from listcheck.model import Source

    sizes = []
    real = futures.ProcessPoolExecutor

    def recording(*args, max_workers=None, **kwargs):
        sizes.append(max_workers)
        return real(*args, max_workers=max_workers, **kwargs)

    monkeypatch.setattr(futures, "ProcessPoolExecutor", recording)
    engine = Engine(api.load_rules(["core"]).rules)
    fields = FieldMapping(None)
    records = [{"sku": f"S{i}", "title": "保温杯"} for i in range(3 * pipeline.CHUNK_SIZE)]

    def entries():
        return (Raw(Source(path="<records>", line=n), record) for n, record in enumerate(records, start=1))

    serial = list(pipeline.run(engine, entries(), fields=fields, jobs=1))
    assert len(serial) == len(records) and all(entry.findings for entry in serial)
    assert list(pipeline.run(engine, entries(), fields=fields, jobs=4096)) == serial
    assert sizes == [3]  # three chunks of work, three workers
    monkeypatch.setattr(pipeline, "max_workers", lambda: 2)
    assert list(pipeline.run(engine, entries(), fields=fields, jobs=4096)) == serial
    assert sizes == [3, 2]  # and never more than the bound
    assert list(pipeline.run(engine, iter(()), fields=fields, jobs=4096)) == []
    assert sizes == [3, 2]  # nothing to check: no pool at all


def test_max_workers_is_a_few_per_cpu():
    from listcheck import pipeline

    assert pipeline.WORKERS_PER_CPU <= pipeline.max_workers() <= (os.cpu_count() or 1) * pipeline.WORKERS_PER_CPU


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_a_report_over_the_catalog_it_checks_is_refused_and_the_catalog_kept(tmp_path, fmt):
    # Streamed, the report was opened (emptied) before the catalog was read: "passed, 0 of 0".
    catalog = write_catalog(tmp_path)
    before = catalog.read_bytes()
    result = run_cli("check", catalog, *AD_LAW, "-f", fmt, "-o", catalog, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"listcheck: error: {catalog}: the report would overwrite the catalog it checks"]
    assert catalog.read_bytes() == before


def test_two_reports_to_one_file_are_refused(tmp_path):
    catalog = write_catalog(tmp_path)
    out = tmp_path / "r.json"
    result = run_cli("check", catalog, *AD_LAW, "-f", "json", "-o", out, "--output-format", f"sarif={out}", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"listcheck: error: {out}: the report would overwrite another report of this run"]
    assert not out.exists()
