"""Write a realistic catalog of N listings for benchmarks, built from the real listings.

    python benchmarks/generate.py 100000                  # -> benchmarks/out/catalog-100000.{jsonl,csv}
    python benchmarks/generate.py 1000000 --out /tmp/bench --violations 0.1

Each listing is a real one from ../shared/data/real/ (Chinese and English mixed, as found
there) with a fresh sku. A known share of them gets one violation injected — an absolute term
in the title, a net content that contradicts the spec, a short no-reason return window on a
Chinese listing — and the counts are written next to the catalog (`.truth.json`), so a run can
be checked against what was planted.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"

CSV_COLUMNS = [
    "sku", "title", "description", "category", "platform", "market", "locale", "supplier",
    "spec.brand", "spec.color", "spec.material", "spec.net_content", "spec.weight", "spec.capacity",
    "spec.price", "spec.origin", "return_policy.no_reason_days", "return_policy.text",
]
CN_PLATFORMS = {"jd", "tmall", "taobao", "douyin", "pinduoduo", "xiaohongshu"}


def load_real(folder: Path) -> list[dict]:
    records = []
    for path in sorted(folder.glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                record.pop("provenance", None)
                records.append(record)
    if not records:
        raise SystemExit(f"no real listings in {folder}")
    return records


def inject(record: dict, rng: random.Random) -> str:
    """Plant one violation; return its kind."""
    chinese = record.get("platform") in CN_PLATFORMS
    choice = rng.choice(["absolute-term", "net-content", "returns"] if chinese else ["absolute-term", "net-content"])
    if choice == "absolute-term":
        record["title"] = ("全网最佳 " if chinese else "Best in the world ") + (record.get("title") or "")
    elif choice == "net-content":
        record.setdefault("spec", {})["net_content"] = "500 g"
        record["title"] = (record.get("title") or "") + (" 净含量1kg" if chinese else " Net wt 1 kg")
    else:
        record["return_policy"] = {"no_reason_days": 3, "text": "支持3天无理由退货"}
    return choice


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of listings")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--violations", type=float, default=0.1, help="share of listings given a violation")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--data", type=Path, default=REAL)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    real = load_real(args.data)
    args.out.mkdir(parents=True, exist_ok=True)
    jsonl_path = args.out / f"catalog-{args.n}.jsonl"
    csv_path = args.out / f"catalog-{args.n}.csv"
    planted: dict[str, int] = {}
    with open(jsonl_path, "w", encoding="utf-8") as jsonl, open(csv_path, "w", encoding="utf-8", newline="") as csv_file:
        writer = csv.DictWriter(csv_file, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for index in range(args.n):
            record = json.loads(json.dumps(real[index % len(real)]))
            record["sku"] = f"GEN-{index:08d}"
            if record.get("platform") in CN_PLATFORMS and "return_policy" not in record:
                record["return_policy"] = {"no_reason_days": 7, "text": "支持7天无理由退货"}
            if rng.random() < args.violations:
                kind = inject(record, rng)
                planted[kind] = planted.get(kind, 0) + 1
            jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
            writer.writerow(_flatten(record))
    truth = {"listings": args.n, "violation_share": args.violations, "planted": planted, "seed": args.seed}
    (args.out / f"catalog-{args.n}.truth.json").write_text(json.dumps(truth, indent=2), encoding="utf-8")
    print(f"wrote {jsonl_path} and {csv_path}: {args.n} listings, planted {planted}")
    return 0


def _flatten(record: dict) -> dict:
    row = {key: record.get(key) for key in ("sku", "title", "description", "category", "platform", "market", "locale", "supplier")}
    for key, value in (record.get("spec") or {}).items():
        if isinstance(value, (str, int, float)):
            row[f"spec.{key}"] = value
    for key, value in (record.get("return_policy") or {}).items():
        row[f"return_policy.{key}"] = value
    return row


if __name__ == "__main__":
    sys.exit(main())
