"""The one partitioner (`catalog.partition`): however a JSON Lines or CSV file is cut, its
slices read exactly as the whole file does — what `--engine dask` relies on."""

from __future__ import annotations

import json
import random

from listcheck.catalog import iter_products, partition
from listcheck.catalog.mapping import FieldMapping
from listcheck.engine import Engine
from listcheck.errors import ListcheckError
from listcheck.limits import Limits
from listcheck.model import Product
from listcheck.pipeline import PRODUCT, check_entries


def _random_jsonl(rng) -> str:
    lines = []
    for index in range(rng.randint(0, 30)):
        pick = rng.random()
        if pick < 0.5:
            line = json.dumps({"sku": f"S{index}", "title": rng.choice(["保温杯 500ml", "mug"])}, ensure_ascii=False)
        elif pick < 0.6:
            line = '{"sku": "broken'
        elif pick < 0.7:
            line = rng.choice(["", "  ", "\t"])
        elif pick < 0.8:
            line = '{"sku": "N%d", "title": "a\x00b"}' % index
        elif pick < 0.9:
            line = "x" * rng.randint(50, 200)  # over a small max_record_bytes
        else:
            line = json.dumps({"title": "no sku"})
        lines.append(line + rng.choice(["\n", "\r\n", "\r", "\n"]))
    return "".join(lines)


def _random_csv(rng) -> str:
    delimiter = rng.choice([",", ";"])
    rows = [delimiter.join(["sku", "title", "description"])]
    for index in range(rng.randint(0, 30)):
        pick = rng.random()
        if pick < 0.5:
            rows.append(delimiter.join([f"C{index}", rng.choice(["t", "保温杯"]), '"multi\nline ""q"" \r\n more"']))
        elif pick < 0.6:
            rows.append(delimiter.join([f"C{index}", "only two"]))
        elif pick < 0.7:
            rows.append("")
        elif pick < 0.8:
            rows.append(delimiter.join([f"C{index}", '15" screen', "x" * rng.randint(1, 150)]))
        else:
            rows.append(delimiter.join([f"C{index}", "t", "d"]))
    return rng.choice(["", "\n"]) + "\r\n".join(rows) + rng.choice(["", "\n"])


def test_partitions_read_exactly_like_the_whole_file(tmp_path):
    """Without a cluster: every way of cutting a file gives the local reader's records, lines
    and input findings (line ends \\n, \\r\\n and a lone \\r; quoted cells over lines; NUL
    bytes; oversized records; UTF-8, UTF-8 with BOM, GB18030)."""

    engine = Engine([])
    rng = random.Random(20240607)
    for trial in range(60):
        suffix = ".jsonl" if trial % 2 else ".csv"
        text = _random_jsonl(rng) if suffix == ".jsonl" else _random_csv(rng)
        codec = rng.choice(["utf-8", "utf-8-sig", "gb18030"])
        # A BOM counts towards the first line's size in the reader: keep BOM files at the default.
        limits = Limits() if codec == "utf-8-sig" else Limits(max_record_bytes=rng.choice([10 * 2**20, 120]))
        path = tmp_path / f"f{trial}{suffix}"
        path.write_bytes(text.encode(codec))
        want: list = []
        try:
            for item in iter_products([path], limits=limits):
                if isinstance(item, Product):
                    want.append(("product", item.sku, item.source.line))
                elif item.rule != "input/empty-file":
                    want.append((item.rule, item.sku, item.source.line, item.message))
        except ListcheckError as exc:  # e.g. a blank first line: "," is the delimiter, no 'sku'
            want = ["error", str(exc)]
        for blocksize in (1, 16, 64, 2**20):
            got: list = []
            try:
                parts = partition.text_slices(path, str(path), suffix, blocksize, limits)
                if len(parts) > 1:
                    scans = [partition.scan_slice(block) for block in parts]
                    parts = partition.join_slices(str(path), parts, scans)
                for part in parts:
                    entries = partition.read_slice(part, FieldMapping(), limits)
                    for entry in check_entries(engine, FieldMapping(), entries):
                        if entry.kind == PRODUCT:
                            got.append(("product", entry.sku, entry.source.line))
                        else:
                            first = entry.findings[0]
                            got.append((first.rule, first.sku, entry.source.line, first.message))
            except ListcheckError as exc:
                got = ["error", str(exc)]
            assert got == want, (trial, blocksize, text)
