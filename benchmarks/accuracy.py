"""Accuracy of the recommended rule set on real listings nobody on the team wrote.

    python benchmarks/accuracy.py                  # ../shared/data/real/ beside the repository
    python benchmarks/accuracy.py --data DIR --sample 5 --packs recommended

Reads the canonical-format JSONL files and the hand-checked `labels-dev.yaml` there and prints:
- per attribute: recall on the `hard` labels, how many `soft` ones were flagged, and false
  alarms on the `agree` labels (a flag on an agreement is always wrong);
- per data set: listings, listings with a `spec-mismatch` finding and their share;
- per rule: findings and listings flagged, and (with --sample N) N findings outside the labels
  to read — every one of them is a candidate false alarm until a reader says otherwise.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "real"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with *.jsonl and labels-dev.yaml")
    parser.add_argument("--packs", nargs="*", default=["recommended"], help="rule packs to run")
    parser.add_argument("--sample", type=int, default=0, help="findings outside the labels to print per rule")
    parser.add_argument("--category", default=None, help="only findings of this category in the per-rule table")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    if not args.data.is_dir():
        print(f"no real data at {args.data} (expected ../shared/data/real/ beside the repository)", file=sys.stderr)
        return 2

    from listcheck import api

    rules = api.load_rules(args.packs)
    files = sorted(args.data.glob("*.jsonl"))
    labels = yaml.safe_load((args.data / "labels-dev.yaml").read_text(encoding="utf-8"))
    labelled = {(label["sku"], label["attribute"]) for label in labels}

    findings_by_sku: dict[str, list] = defaultdict(list)
    listings: Counter = Counter()
    flagged_mismatch: dict[str, set] = defaultdict(set)
    per_rule: Counter = Counter()
    per_rule_listings: dict[str, set] = defaultdict(set)
    outside: dict[str, list] = defaultdict(list)
    for path in files:
        run = api.check_run([path], rules=rules)
        listings[path.stem] = run.report.summary.products
        for finding in run.report.findings:
            if finding.category.value == "input":
                continue
            findings_by_sku[finding.sku].append(finding)
            per_rule[finding.rule] += 1
            per_rule_listings[finding.rule].add(finding.sku)
            if finding.category.value == "spec-mismatch":
                flagged_mismatch[path.stem].add(finding.sku)
            if (finding.sku, finding.attribute) not in labelled:
                outside[finding.rule].append((path.stem, finding))

    print("== Labels (labels-dev.yaml) ==")
    table: dict[str, Counter] = defaultdict(Counter)
    misses = []
    for label in labels:
        attribute, kind = label["attribute"], label["kind"]
        hit = any(f.attribute == attribute for f in findings_by_sku.get(label["sku"], []))
        table[attribute][kind] += 1
        if hit:
            table[attribute][kind + "_flagged"] += 1
        if (kind == "hard" and not hit) or (kind == "agree" and hit):
            misses.append((kind, label["sku"], attribute, label["note"]))
    print(f"{'attribute':<14}{'hard recall':>14}{'soft flagged':>14}{'agree alarms':>14}")
    totals = Counter()
    for attribute in sorted(table):
        row = table[attribute]
        for key, value in row.items():
            totals[key] += value
        print(f"{attribute:<14}{_ratio(row['hard_flagged'], row['hard']):>14}"
              f"{_ratio(row['soft_flagged'], row['soft']):>14}{_ratio(row['agree_flagged'], row['agree']):>14}")
    print(f"{'all':<14}{_ratio(totals['hard_flagged'], totals['hard']):>14}"
          f"{_ratio(totals['soft_flagged'], totals['soft']):>14}{_ratio(totals['agree_flagged'], totals['agree']):>14}")
    for kind, sku, attribute, note in misses:
        what = "missed hard" if kind == "hard" else "false alarm on agree"
        print(f"  {what}: {sku} {attribute}: {note}")

    print("\n== spec-mismatch findings per data set ==")
    print(f"{'data set':<12}{'listings':>10}{'flagged':>10}{'share':>9}")
    for name in sorted(listings):
        flagged = len(flagged_mismatch[name])
        share = flagged / listings[name] if listings[name] else 0
        print(f"{name:<12}{listings[name]:>10}{flagged:>10}{share:>9.1%}")

    print("\n== Findings per rule (listings flagged / findings) ==")
    for rule in sorted(per_rule):
        print(f"  {rule:<48}{len(per_rule_listings[rule]):>6} listings {per_rule[rule]:>6} findings")

    if args.sample:
        rng = random.Random(args.seed)
        print(f"\n== A sample of findings outside the labels (up to {args.sample} per rule) ==")
        for rule in sorted(outside):
            if args.category and not rule.startswith(args.category):
                continue
            for dataset, finding in rng.sample(outside[rule], min(args.sample, len(outside[rule]))):
                print(f"- {rule} [{dataset}] {finding.sku} {finding.field}: {finding.message}")
                if finding.context is not None:
                    print(f"    …{finding.context.text}…")
    return 0


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole}" + (f" ({part / whole:.0%})" if whole else "")


if __name__ == "__main__":
    sys.exit(main())
