"""The dask engine: a real LocalCluster (two worker processes, loopback only) must produce
exactly the report, product headers and supplier counts of a local run on the same catalog."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from conftest import EXAMPLES  # noqa: E402

from listcheck import api  # noqa: E402
from listcheck.config import Config  # noqa: E402
from listcheck.distributed import check_on_dask  # noqa: E402
from listcheck.errors import ListcheckError  # noqa: E402

# Small blocks: many partitions, and CSV blocks that start inside a quoted cell.
BLOCKSIZE = 8 * 1024

TEMPLATES = [
    {"title": "保温杯 500ml 316不锈钢 真空双层", "description": "316不锈钢内胆，保温12小时，秒杀价以页面为准。",
     "category": "home/drinkware", "platform": "tmall", "supplier": "宁波杯业有限公司",
     "spec": {"capacity": "500 ml", "material": "316 stainless steel", "color": "black"},
     "return_policy": {"no_reason_days": 7, "refund_days": 3, "text": "支持7天无理由退货"}},
    {"title": "限时秒 杀 保温杯 1L 全网最低价", "description": "国家级品质，最佳选择。",
     "category": "home/drinkware", "platform": "tmall", "supplier": "宁波杯业有限公司",
     "spec": {"capacity": "500 ml", "color": "red"}, "return_policy": {"no_reason_days": 3}},
    {"title": "纯棉四件套 1.8m床", "description": "新疆长绒棉，批发请联系13812345678。",
     "category": "home-textiles/bedding", "platform": "jd", "supplier": "南通家纺",
     "spec": {"composition": "65%棉 35%聚酯纤维"}, "return_policy": {"no_reason_days": 7, "text": "不退不换"}},
    {"title": "Copper Bracelet for Arthritis - FDA Approved, Cures Joint Pain",
     "bullets": ["Clinically proven relief", "#1 best seller"], "category": "jewelry/bracelets",
     "platform": "amazon", "market": "US", "supplier": "Wellness Goods LLC",
     "spec": {"material": "copper", "price": "$19.99"},
     "return_policy": {"no_reason_days": 30, "refund_days": 2, "restocking_fee_pct": 15}},
    {"title": "Organic Oat Drink 1 L", "description": "Vegan oat drink, no added sugar.",
     "category": "beverages/plant-milks", "platform": "amazon", "market": "DE", "supplier": "Hafer GmbH",
     "spec": {"net_content": "1 L", "labels": ["en:vegan"], "allergens": ["en:milk"]},
     "return_policy": {"no_reason_days": 14, "refund_days": 14}},
    {"title": "美白祛斑精华液 30ml 三天见效", "description": "医用级配方，治疗色斑。",
     "category": "cosmetics/skincare", "platform": "douyin", "supplier": "广州美妆",
     "spec": {"net_content": "30 ml", "cosmetic_class": "ordinary"}, "return_policy": {"no_reason_days": 7}},
    {"title": "有机红富士苹果 5kg", "description": "产地烟台。", "category": "fresh-food/fruit",
     "platform": "tmall", "supplier": "烟台果园", "spec": {"net_content": "2.5 kg", "origin": "山东烟台"},
     "return_policy": {"no_reason_days": 0, "exemption": "fresh_perishable"}},
    {"title": "Yoga Mat 10 mm", "platform": "amazon", "market": "GB", "supplier": "Shenzhen Sports",
     "spec": {"color": "purple"}},
]


def _record(index: int) -> dict:
    record = json.loads(json.dumps(TEMPLATES[index % len(TEMPLATES)]))
    record["sku"] = f"SKU-{index:05d}"
    if index % 7 == 0:
        record["supplier"] = f"供应商{index % 5}"
    if index % 11 == 0:
        record["title"] = record.get("title", "") + f" 第{index}号 双11秒杀"
    return record


def _write_jsonl(path: Path, count: int) -> None:
    lines = []
    for index in range(count):
        lines.append(json.dumps(_record(index), ensure_ascii=index % 2 == 0))
        if index == 40:
            lines.append('{"sku": "BROKEN-1", "title": "half a line')  # not JSON
        if index == 41:
            lines.append("")  # blank lines carry nothing
            lines.append("   ")
        if index == 500:
            lines.append(json.dumps({"sku": "BAD-1", "return_policy": {"no_reason_days": -1}}))
        if index == 501:
            lines.append(json.dumps({"title": "没有SKU的记录"}))  # invalid, no sku
        if index == 900:
            lines.append(json.dumps({**_record(3), "sku": "SKU-00010"}))  # duplicate, earlier partition
        if index == 901:
            lines.append(json.dumps({**_record(4), "sku": "BAD-1"}))  # duplicate of an invalid record
        if index == 1200:
            lines.append(json.dumps({"sku": "DOTTED-1", "title": "保温杯 500ml", "spec.color": "红色",
                                     "spec.capacity": "500 ml", "商品描述": "国家级产品"}))
        if index == 1300:
            lines.append(json.dumps({**_record(1), "sku": "IGNORED-1",
                                     "listcheck": {"ignore": [{"rule": "house/*"}]}}))
        if index == 1700:
            lines.append(json.dumps({"sku": "CSV-0003", "title": "Duplicate of a CSV row"}))
        if index == 2100:
            lines.append('{"sku": "NUL-1", "title": "a raw \x00 byte"}')
        if index == 2200:
            lines.append(json.dumps({**_record(2), "sku": "DUPE-IGNORED"}))
            lines.append(json.dumps({**_record(2), "sku": "DUPE-IGNORED"}))
    text = ""
    for number, line in enumerate(lines):
        # Mostly "\n"; some Windows line ends and a lone "\r", as concatenated exports have.
        text += line + ("\r\n" if number % 13 == 0 else "\r" if number == 777 else "\n")
    path.write_bytes(text.encode("utf-8"))


CSV_HEADER = ["sku", "title", "description", "category", "platform", "market", "supplier",
              "spec.capacity", "spec.color", "return_policy.no_reason_days", "return_policy.text"]


def _csv_rows(count: int) -> list[list[str]]:
    rows = []
    for index in range(count):
        template = TEMPLATES[index % len(TEMPLATES)]
        description = (template.get("description") or "") + "\n第二行：保温12小时\n" * (index % 3)
        if index % 5 == 0:
            description += '\n包装上写着 "最佳" 两个字'  # quotes inside a quoted cell
        rows.append([
            f"CSV-{index:04d}", template.get("title", ""), description, template.get("category", ""),
            template.get("platform", ""), template.get("market", ""), template.get("supplier", ""),
            template.get("spec", {}).get("capacity", ""), template.get("spec", {}).get("color", ""),
            str(template.get("return_policy", {}).get("no_reason_days", "")),
            template.get("return_policy", {}).get("text", ""),
        ])
    rows.insert(30, [])  # a blank row
    rows.insert(60, ["CSV-BAD-WIDTH", "too", "few", "cells"])
    rows.insert(90, ["CSV-0005", "Duplicate in the same file"] + [""] * 9)
    rows.insert(120, ["SKU-00020", "Duplicate of a JSONL record"] + [""] * 9)
    rows.insert(150, ["CSV-QUOTE", '15.6" laptop sleeve', "unquoted quote", "bags", "amazon", "US",
                      "Sleeve Co", "", "grey", "30", "30 days"])
    return rows


def _write_csv(path: Path, count: int) -> None:
    out = io.StringIO()
    writer = csv.writer(out)  # "\r\n" row ends, "\n" inside quoted cells, as Excel writes
    writer.writerow(CSV_HEADER)
    writer.writerows(_csv_rows(count))
    text = out.getvalue().replace("CSV-QUOTE,\"15.6\"\" laptop sleeve\"", 'CSV-QUOTE,15.6" laptop sleeve')
    path.write_bytes(text.encode("utf-8-sig"))


def _write_gbk_csv(path: Path, count: int) -> None:
    """A Chinese Windows export in GB18030, with long runs of plain ASCII rows: a block of
    those alone would read as UTF-8, the file as a whole is GB18030."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["sku", "title", "description", "category", "platform", "spec.net_content"])
    for index in range(count):
        if index % 400 < 200:
            writer.writerow([f"GBK-{index:04d}", "Tea 500 g", "Plain\nASCII text", "food/tea", "jd", "500 g"])
        else:
            writer.writerow([f"GBK-{index:04d}", f"普洱茶 {index}号 清仓价", "陈年普洱，\n最佳口感。", "food/tea", "jd", "357 g"])
    path.write_bytes(out.getvalue().encode("gb18030"))


@pytest.fixture(scope="module")
def cluster():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1",
    )
    yield cluster
    cluster.close()


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dask-catalog")
    for name in ("listcheck.yaml", "house-rules.yaml", "catalog-cn.yaml", "jd-export-gbk.csv"):
        shutil.copy(EXAMPLES / name, root / name)
    config = (root / "listcheck.yaml").read_text(encoding="utf-8")
    config = config.replace("ignore:\n", "ignore:\n  - {sku: DUPE-*, rule: input/duplicate-sku, reason: known}\n", 1)
    (root / "listcheck.yaml").write_text(config, encoding="utf-8")
    feeds = root / "feeds"
    feeds.mkdir()
    _write_jsonl(feeds / "products.jsonl", 3000)
    _write_csv(feeds / "export.csv", 400)
    _write_gbk_csv(feeds / "jd-gbk-big.csv", 1200)
    (feeds / "empty.jsonl").write_bytes(b"")
    return root


def _local_and_dask(paths, root: Path, address: str, **options):
    config = api.load_config(root / "listcheck.yaml")
    rules = api.load_rules(config=config)
    local = api.check_run(paths, config=config, rules=rules)
    remote = check_on_dask(paths, config=config, rules=rules, scheduler=address, **options)
    return local, remote


def _assert_same(local, remote) -> None:
    expected, got = local.report.model_dump(), remote.report.model_dump()
    assert len(got["findings"]) == len(expected["findings"])
    for index, (want, have) in enumerate(zip(expected["findings"], got["findings"])):
        assert have == want, f"finding {index} differs"
    assert got == expected
    assert list(remote.products.items()) == list(local.products.items())
    assert list(remote.counts["supplier"].items()) == list(local.counts["supplier"].items())


def test_dask_run_matches_local_run(cluster, catalog, monkeypatch):
    monkeypatch.chdir(catalog)  # relative paths in findings; workers open absolute ones
    paths = [".", "feeds/export.csv"]  # the walk and an explicit file already in it: read once
    local, remote = _local_and_dask(paths, catalog, cluster.scheduler_address, blocksize=BLOCKSIZE)
    _assert_same(local, remote)
    # The catalog really exercises what the engine must get right.
    rules = {finding.rule for finding in local.report.findings}
    assert {"input/duplicate-sku", "input/invalid-record", "input/unreadable-row", "input/empty-file",
            "input/suppression-without-reason", "house/no-flash-sale-words"} <= rules
    assert local.report.summary.products > 3000
    assert any(f.suppressed and f.rule == "input/duplicate-sku" for f in local.report.findings)
    lines = {f.source.line for f in local.report.findings if f.source.path.endswith("export.csv")}
    assert max(lines) > 1000  # rows far down the file, past many multi-line cells


def test_csv_blocks_starting_inside_quoted_cells_are_joined(catalog):
    from listcheck.catalog import partition

    for name in ("export.csv", "jd-gbk-big.csv"):
        path = catalog / "feeds" / name
        blocks = partition.text_slices(path, str(path), ".csv", BLOCKSIZE)
        scans = [partition.scan_slice(block) for block in blocks]
        parts = partition.join_slices(str(path), blocks, scans)
        assert len(blocks) > 5 and 1 < len(parts) < len(blocks), name


def test_one_partition_per_file_matches_too(cluster, catalog, monkeypatch):
    monkeypatch.chdir(catalog)
    local, remote = _local_and_dask(["feeds"], catalog, cluster.scheduler_address, blocksize="64MiB")
    _assert_same(local, remote)


def test_parquet_rows_read_like_jsonl_lines(cluster, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    records = [_record(index) for index in range(400)]
    for record in records:  # one type per column, as Parquet needs
        record["spec"] = {key: str(value) for key, value in record["spec"].items() if isinstance(value, str)}
    (tmp_path / "p.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    table = pa.Table.from_struct_array(pa.array(records))  # columns from every record
    pq.write_table(table, tmp_path / "p.parquet", row_group_size=64)
    address = cluster.scheduler_address
    config = Config()
    from_jsonl = check_on_dask([tmp_path / "p.jsonl"], config=config, scheduler=address)
    from_parquet = check_on_dask([tmp_path / "p.parquet"], config=config, scheduler=address)
    want = from_jsonl.report.model_dump()
    got = from_parquet.report.model_dump()
    for finding in want["findings"]:
        finding["source"]["path"] = str(tmp_path / "p.parquet")
    assert want["findings"] and got == want
    assert from_parquet.counts == from_jsonl.counts


def test_errors_that_stop_a_local_run_stop_a_dask_run(cluster, tmp_path):
    bad = tmp_path / "no-sku.csv"
    bad.write_text("title,description\nA mug,\n", encoding="utf-8")
    for paths in ([bad], [tmp_path / "missing.jsonl"]):
        with pytest.raises(ListcheckError) as local_error:
            api.check_run(paths)
        with pytest.raises(ListcheckError) as dask_error:
            check_on_dask(paths, scheduler=cluster.scheduler_address)
        assert str(dask_error.value) == str(local_error.value)


def test_without_dask_the_error_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ListcheckError, match=r"pip install 'listcheck\[dask\]'"):
        check_on_dask([tmp_path], scheduler="tcp://127.0.0.1:1")


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(ListcheckError, match="cannot connect to the Dask scheduler at tcp://127.0.0.1:9"):
            check_on_dask([tmp_path], scheduler="tcp://127.0.0.1:9")


def _cli_has_dask_engine() -> bool:
    from listcheck.cli import check

    import inspect

    return "engine" in inspect.signature(check).parameters


@pytest.mark.skipif(not _cli_has_dask_engine(), reason="cli.py has no --engine option yet")
def test_cli_engine_dask_writes_the_local_report(cluster, catalog):
    from conftest import run_cli

    args = ["check", "feeds", "--format", "json"]
    local = run_cli(*args, cwd=catalog)
    remote = run_cli(*args, "--engine", "dask", "--scheduler", cluster.scheduler_address, cwd=catalog)
    assert remote.returncode == local.returncode == 1, remote.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)


def test_cli_limits_reach_the_dask_workers(cluster, tmp_path):
    from conftest import run_cli

    lines = [
        {"sku": "L-1", "title": "最佳保温杯"},
        {"sku": "L-2", "title": "最佳", "description": "长" * 3000},  # 9 KB: over --max-record-size
        {"sku": "L-3", "title": "x" * 200 + " 最佳"},  # 最佳 past --max-field-chars
        {"sku": "L-4", "title": "最好的杯子"},
    ]
    (tmp_path / "feed.jsonl").write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    args = ["check", "feed.jsonl", "--rules", "cn-ad-law", "--format", "json",
            "--max-record-size", "4k", "--max-field-chars", "100"]
    local = run_cli(*args, cwd=tmp_path)
    remote = run_cli(*args, "--engine", "dask", "--scheduler", cluster.scheduler_address, cwd=tmp_path)
    assert remote.returncode == local.returncode == 1, remote.stderr
    report = json.loads(remote.stdout)
    assert report == json.loads(local.stdout)
    rules = {(f["sku"], f["rule"].split("/")[0] if f["rule"].startswith("cn-ad-law/") else f["rule"])
             for f in report["findings"]}
    assert rules == {("L-1", "cn-ad-law"), ("L-2", "input/record-too-large"),
                     ("L-3", "input/field-too-long"), ("L-4", "cn-ad-law")}
