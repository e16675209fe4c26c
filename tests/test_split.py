"""--split-by supplier: one report per supplier plus an index; safe file names from hostile
supplier names; nothing ever written outside the output folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from listcheck.errors import ListcheckError
from listcheck.findings import assign_fingerprints
from listcheck.model import Category, Finding, Report, Severity, Source, Summary, ToolInfo
from listcheck.policy import summarize
from listcheck.report import ProductHeader, report_json_schema
from listcheck.report.split import MAX_NAME_BYTES, file_names, safe_stem, write_split

FIXTURES = Path(__file__).parent / "fixtures" / "report"

HOSTILE = [
    "../../etc/passwd",
    "..",
    ".",
    "...",
    "/abs/path",
    "C:\\Windows\\system32",
    "a\\b",
    "NUL",
    "con.txt",
    "Com1",
    "LPT9.json",
    "x\x00y",
    "bell\x07\x1b[31mred",
    "evil\u202egpj.exe",
    ".hidden",
    "-rf",
    "  spaced  out  ",
    "trailing dot.",
    "a" * 300,
    "长" * 200,
    "名字/斜杠",
    "Acme",
    "ACME",
    "acme",
    "index",
    "INDEX",
    "_no-supplier",
    'q"u<o>t|e*s?:',
    "\u00e9t\u00e9",  # NFC é
    "e\u0301te\u0301",  # NFD: the same name once normalised
    "",
    "   ",
]


def load_report() -> Report:
    report = Report.model_validate_json((FIXTURES / "report.json").read_text(encoding="utf-8"))
    assign_fingerprints(report.findings)
    return report


def load_products() -> dict[str, ProductHeader]:
    raw = json.loads((FIXTURES / "products.json").read_text(encoding="utf-8"))
    return {
        sku: ProductHeader(sku=sku, title=item.get("title"), supplier=item.get("supplier"),
                           source=Source(**item["source"]))
        for sku, item in raw.items()
    }


def snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_split_fixture_by_supplier(tmp_path):
    report = load_report()
    out = tmp_path / "out"
    paths = write_split(report, load_products(), out)
    # In the order of each supplier's first finding, the index last.
    assert [p.name for p in paths] == [
        "宁波杯业有限公司.json", "Acme_Ltd.json", "_no-supplier.json", "深圳数码科技.json", "index.json",
    ]
    assert snapshot(out) == {p.name for p in paths}  # no temporary files left behind
    validator = Draft202012Validator(report_json_schema())

    seen_fingerprints = []
    for path in paths[:-1]:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == []
        seen_fingerprints += [f["fingerprint"] for f in data["findings"]]
    # Every finding is in exactly one supplier report.
    assert sorted(seen_fingerprints) == sorted(f.fingerprint for f in report.findings)

    acme = json.loads((out / "Acme_Ltd.json").read_text(encoding="utf-8"))
    assert {f["supplier"] for f in acme["findings"]} == {"Acme Ltd"}
    assert acme["summary"] == {
        "products": 1, "products_with_findings": 1, "findings": 2,
        "by_severity": {"error": 1, "warning": 1},
        "by_category": {"prohibited-claim": 1, "spec-mismatch": 1},
        "suppressed": 0, "baselined": 1, "fail_on": "error", "max_warnings": None, "failed": True,
    }
    ningbo = json.loads((out / "宁波杯业有限公司.json").read_text(encoding="utf-8"))
    assert ningbo["summary"]["suppressed"] == 1 and ningbo["summary"]["findings"] == 2
    nobody = json.loads((out / "_no-supplier.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in nobody["findings"]] == ["input/unreadable-row"]
    assert nobody["summary"]["products"] == 0

    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["key"] == "supplier" and index["format"] == "json"
    assert index["summary"] == report.summary.model_dump(mode="json")
    by_supplier = {entry["supplier"]: entry for entry in index["reports"]}
    assert by_supplier["Acme Ltd"]["file"] == "Acme_Ltd.json"
    assert by_supplier["Acme Ltd"]["findings"] == 2 and by_supplier["Acme Ltd"]["baselined"] == 1
    assert by_supplier[None]["file"] == "_no-supplier.json"
    assert by_supplier["深圳数码科技"]["failed"] is True
    active = summarize(report.findings, report.summary.products, "error").findings
    assert sum(entry["findings"] for entry in index["reports"]) == active == 7


def test_messages_in_the_chosen_language_and_counts_override(tmp_path):
    report = load_report()
    counts = {"Acme Ltd": 12, "宁波杯业有限公司": 3}
    write_split(report, load_products(), tmp_path, lang="zh", counts=counts)
    acme = json.loads((tmp_path / "Acme_Ltd.json").read_text(encoding="utf-8"))
    assert acme["summary"]["products"] == 12
    assert "描述中写的是黑色，但规格颜色为红色" in [f["message"] for f in acme["findings"]]


@pytest.mark.parametrize("fmt, suffix", [("html", ".html"), ("csv", ".csv"), ("markdown", ".md"),
                                         ("sarif", ".sarif"), ("junit", ".xml")])
def test_other_formats(tmp_path, fmt, suffix):
    paths = write_split(load_report(), load_products(), tmp_path, fmt=fmt)
    assert {p.suffix for p in paths[:-1]} == {suffix}
    index = json.loads(paths[-1].read_text(encoding="utf-8"))
    assert index["format"] == fmt
    acme = (tmp_path / f"Acme_Ltd{suffix}").read_bytes()
    assert b"AMZ-2002" in acme and b"TM-1001" not in acme and b"JD-3003" not in acme
    if fmt == "csv":
        assert acme.startswith(b"\xef\xbb\xbf") and b"\r\n" in acme and b"\r\r\n" not in acme


def test_split_by_file(tmp_path):
    paths = write_split(load_report(), None, tmp_path, key="file")
    assert sorted(p.name for p in paths) == sorted(
        ["catalog_tmall.yaml.json", "catalog_amazon.csv.json", "catalog_jd.xlsx.json", "index.json"]
    )


def hostile_report() -> Report:
    findings = [
        Finding(
            rule="x/y", category=Category.prohibited_claim, severity=Severity.error,
            sku=f"S{i}", supplier=name, message=f"finding {i}",
            source=Source(path="c.yaml", line=i + 1),
        )
        for i, name in enumerate(HOSTILE)
    ]
    assign_fingerprints(findings)
    return Report(tool=ToolInfo(version="0.1.0"), summary=summarize(findings, len(findings), "error"),
                  findings=findings)


def test_hostile_supplier_names(tmp_path):
    outside_before = snapshot(tmp_path)
    out = tmp_path / "deep" / "out"
    report = hostile_report()
    paths = write_split(report, {}, out)

    # Nothing outside the output folder; every file a direct child of it.
    assert snapshot(tmp_path) - {"deep", "deep/out"} - {f"deep/out/{p.name}" for p in paths} == outside_before
    assert not (tmp_path / "etc").exists() and not Path("/abs/path.json").exists()
    root = out.resolve()
    names = [p.name for p in paths]
    for path in paths:
        assert path.parent == root and path.resolve().parent == root
        assert path.is_file() and not path.is_symlink()
    # Distinct even on case-insensitive file systems, within the byte limit, clean characters.
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
        assert not name.startswith((".", "-", " "))
        assert not any(c in name for c in '/\\:*?"<>|\x00')
        assert all(ord(c) >= 32 and c not in "\u202e\u200b" for c in name)
        assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}

    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    by_supplier = {entry["supplier"]: entry["file"] for entry in index["reports"]}
    # Every finding landed in the file the index names for its supplier.
    for finding in report.findings:
        supplier = finding.supplier if finding.supplier and finding.supplier.strip() else None
        data = json.loads((out / by_supplier[supplier]).read_text(encoding="utf-8"))
        assert finding.fingerprint in {f["fingerprint"] for f in data["findings"]}
    # "" and "   " have no supplier: the _no-supplier bucket keeps its name.
    assert by_supplier[None] == "_no-supplier.json"
    assert by_supplier["_no-supplier"] != "_no-supplier.json"  # the literal name never takes it
    assert by_supplier["index"] != "index.json" and by_supplier["INDEX"] != "index.json"
    # Case variants are told apart by a hash of the original name.
    acmes = {by_supplier[n] for n in ("Acme", "ACME", "acme")}
    assert len(acmes) == 3 and all(n.startswith(("Acme-", "ACME-", "acme-")) for n in acmes)
    # NFC and NFD spellings are one name after normalisation: both hashed, both kept.
    assert by_supplier["\u00e9t\u00e9"] != by_supplier["e\u0301te\u0301"]
    # Chinese kept, cut on a character boundary within the limit.
    long_zh = by_supplier["长" * 200]
    assert long_zh.startswith("长" * 50) and long_zh.endswith(".json")
    assert by_supplier["名字/斜杠"] == "名字_斜杠.json"
    assert by_supplier["../../etc/passwd"] == "etc_passwd.json"
    assert by_supplier["NUL"] == "_NUL.json" and by_supplier["con.txt"] == "_con.txt.json"


@pytest.mark.parametrize(
    "name, stem",
    [
        ("../../etc/passwd", "etc_passwd"),
        ("..", "_"),
        ("", "_"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("COM¹", "_COM¹"),
        ("Acme Ltd.", "Acme_Ltd"),
        ("a\tb\nc", "a_b_c"),
        ("x\x00y", "x_y"),
        ("evil\u202egpj.exe", "evil_gpj.exe"),
        ("宁波杯业有限公司", "宁波杯业有限公司"),
        ("-rf", "rf"),
    ],
)
def test_safe_stem(name, stem):
    assert safe_stem(name) == stem


def test_byte_cap_cuts_on_character_boundaries():
    stem = safe_stem("长" * 200, 100)
    assert stem == "长" * 33  # 99 bytes: a 34th character would need 102
    mixed = safe_stem("a" + "😀" * 100, 10)
    assert mixed == "a" + "😀" * 2
    names = file_names(["长" * 200, "长" * 201], suffix=".json", no_value="_no-supplier")
    assert len(set(names.values())) == 2  # same after the cut: told apart by hash
    assert all(len(n.encode()) <= MAX_NAME_BYTES for n in names.values())


def test_refuses_symlinks(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (out / "Acme_Ltd.json").symlink_to(victim)
    with pytest.raises(ListcheckError, match="symbolic link"):
        write_split(load_report(), load_products(), out)
    assert victim.read_text(encoding="utf-8") == "precious"
    # A dangling link to a place outside is refused too, and nothing appears there.
    (out / "Acme_Ltd.json").unlink()
    (out / "index.json").symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(ListcheckError, match="symbolic link"):
        write_split(load_report(), load_products(), out)
    assert not (tmp_path / "elsewhere.json").exists()
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())


def test_output_folder_through_a_symlink_is_fine(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    paths = write_split(load_report(), load_products(), link)
    assert all(p.parent == real.resolve() for p in paths)
    assert (real / "index.json").is_file()


def test_existing_files_are_replaced_not_appended(tmp_path):
    write_split(load_report(), load_products(), tmp_path)
    (tmp_path / "Acme_Ltd.json").write_text("stale" * 1000, encoding="utf-8")
    write_split(load_report(), load_products(), tmp_path)
    json.loads((tmp_path / "Acme_Ltd.json").read_text(encoding="utf-8"))


def test_bad_arguments(tmp_path):
    with pytest.raises(ListcheckError, match="cannot split by"):
        write_split(load_report(), None, tmp_path, key="price")
    with pytest.raises(ListcheckError, match="cannot split into"):
        write_split(load_report(), None, tmp_path, fmt="pdf")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ListcheckError):
        write_split(load_report(), None, blocker)
    (tmp_path / "d").mkdir()
    os.mkdir(tmp_path / "d" / "Acme_Ltd.json")  # a folder where a report should go
    with pytest.raises(ListcheckError, match="not a regular file"):
        write_split(load_report(), load_products(), tmp_path / "d")


def test_empty_report_writes_only_the_index(tmp_path):
    report = Report(tool=ToolInfo(version="0.1.0"), summary=Summary(products=3), findings=[])
    paths = write_split(report, None, tmp_path)
    assert [p.name for p in paths] == ["index.json"]
    assert json.loads(paths[0].read_text(encoding="utf-8"))["reports"] == []
