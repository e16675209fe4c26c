"""Claim and return-policy coverage on the source-built catalog (tests/claims_sources/).

    python benchmarks/claims_coverage.py                  # the per-source table and totals
    python benchmarks/claims_coverage.py --misses         # also every miss and every alarm
    python benchmarks/claims_coverage.py --json out.json  # also write the per-source table

Each YAML file in tests/claims_sources/ holds short listings written from one legal source
(statute, regulator guide or platform rule) and labelled by reading that source, not by running
the tool: `expect: flag` (a prohibited-claim or return-policy finding must appear) or
`expect: none` (no such finding may appear). `kind` is `plain` (the term as the source names
it), `variant` (evasive or other wording) or `clean` (a look-alike that must not be flagged).

Each case becomes one catalog record (sku = case id; title, description, category, platform,
market, locale, spec {} — plus bullets/return_policy when the case has them; platform, market
and locale default to the file's) and all records run through
`api.check_records(records, api.load_rules(["recommended"]))`. Only findings whose category is
`prohibited-claim` or `return-policy` count.

Per source file and kind it prints flagged/total on the `expect: flag` cases (recall) and
flagged/total on the `expect: none` cases (alarms); then totals: plain recall, variant recall,
clean alarm rate.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT / "tests" / "claims_sources"
COUNTED = ("prohibited-claim", "return-policy")
KINDS = ("plain", "variant", "clean")
PASSED_THROUGH = ("description", "bullets", "return_policy")


def part_of(case_id: str) -> str:
    """`validation` for about 40% of cases, fixed by a hash of the id (as accuracy.py splits skus)."""
    digest = hashlib.sha256(case_id.encode("utf-8")).digest()
    return "validation" if digest[0] % 5 < 2 else "tune"


def load_sources(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        sys.exit(f"no YAML files in {folder}")
    sources = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            sys.exit(f"{path}: expected a mapping with a `cases` list")
        sources.append((path.name, data))
    return sources


def to_record(case: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "sku": case["id"],
        "title": case.get("title"),
        "category": case.get("category"),
        "platform": case.get("platform", source.get("platform")),
        "market": case.get("market", source.get("market")),
        "locale": case.get("locale", source.get("locale")),
        "spec": {},
    }
    for key in PASSED_THROUGH:
        if case.get(key) is not None:
            record[key] = case[key]
    return record


def check_cases(sources: list[tuple[str, dict[str, Any]]]) -> tuple[dict[str, list], list[str]]:
    """Counted findings per sku, and skus that came back as bad records."""
    # Lazy import: `--help` works without the package installed.
    from listcheck import api

    records, seen = [], set()
    for name, data in sources:
        for case in data["cases"]:
            if case["id"] in seen:
                sys.exit(f"{name}: duplicate case id {case['id']}")
            seen.add(case["id"])
            records.append(to_record(case, data))
    rules = api.load_rules(["recommended"])
    counted: dict[str, list] = defaultdict(list)
    bad: list[str] = []
    for finding in api.check_records(records, rules, source="claims_sources"):
        category = finding.category.value
        if category in COUNTED:
            counted[finding.sku].append(finding)
        elif category == "input":
            bad.append(f"{finding.sku}: {finding.message}")
    return counted, bad


def tabulate(sources, counted):
    """Per source and kind: [flagged, total] over the `expect: flag` cases and over the
    `expect: none` cases, plus the misses and alarms."""
    table: dict[str, dict[str, dict[str, list[int]]]] = {}
    misses, alarms = [], []
    for name, data in sources:
        row = {kind: {"flag": [0, 0], "none": [0, 0]} for kind in KINDS}
        for case in data["cases"]:
            kind, expect = case.get("kind", "plain"), case.get("expect")
            if kind not in row:
                sys.exit(f"{name}: {case['id']}: unknown kind {kind!r}")
            if expect not in ("flag", "none"):
                sys.exit(f"{name}: {case['id']}: expect must be flag or none, not {expect!r}")
            flagged = bool(counted.get(case["id"]))
            row[kind][expect][0] += flagged
            row[kind][expect][1] += 1
            if expect == "flag" and not flagged:
                misses.append((name, case))
            elif expect == "none" and flagged:
                alarms.append((name, case, counted[case["id"]]))
        table[name] = row
    return table, misses, alarms


def ratio(hits: int, total: int) -> str:
    if not total:
        return "     -     "
    return f"{hits:>3}/{total:<3} {100 * hits / total:3.0f}%"


def as_json(row) -> dict[str, Any]:
    """{kind: {expect: {flagged, total}}}: recall is under `flag`, alarms under `none`."""
    return {
        kind: {
            expect: {"flagged": row[kind][expect][0], "total": row[kind][expect][1]}
            for expect in ("flag", "none") if row[kind][expect][1]
        }
        for kind in KINDS
    }


def case_text(case: dict[str, Any]) -> str:
    parts = [case.get("title") or ""]
    if case.get("description"):
        parts.append(case["description"])
    policy = case.get("return_policy") or {}
    if isinstance(policy, dict) and policy.get("text"):
        parts.append(f"[return_policy] {policy['text']}")
    return " | ".join(parts)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder of source files")
    parser.add_argument("--misses", action="store_true", help="list every miss and every alarm")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the per-source table as JSON")
    parser.add_argument("--part", choices=["tune", "validation", "both"], default="both",
                        help="list the misses and alarms of this part only (tune on `tune`, never on `validation`)")
    args = parser.parse_args(argv)

    sources = load_sources(args.dir)
    counted, bad = check_cases(sources)
    table, misses, alarms = tabulate(sources, counted)

    # Recall: flagged/total over `expect: flag` cases; alarms: over `expect: none` cases.
    # plain and variant cases expect a flag and clean ones none, as the files are written; a
    # case that breaks that pattern still counts by its label, in the `other` column.
    totals = {kind: {"flag": [0, 0], "none": [0, 0]} for kind in KINDS}
    for row in table.values():
        for kind in KINDS:
            for expect in ("flag", "none"):
                totals[kind][expect][0] += row[kind][expect][0]
                totals[kind][expect][1] += row[kind][expect][1]
    other = any(totals[k]["none"][1] for k in ("plain", "variant")) or totals["clean"]["flag"][1]

    def cells(row):
        line = f"{ratio(*row['plain']['flag']):>14} {ratio(*row['variant']['flag']):>14} {ratio(*row['clean']['none']):>14}"
        if other:
            extra_alarm = [row["plain"]["none"][0] + row["variant"]["none"][0],
                           row["plain"]["none"][1] + row["variant"]["none"][1]]
            line += f" {ratio(*extra_alarm):>14} {ratio(*row['clean']['flag']):>14}"
        return line

    header = f"{'source':<32} {'plain recall':>14} {'variant recall':>14} {'clean alarms':>14}"
    if other:
        header += f" {'other alarms':>14} {'clean recall':>14}"
    print(header)
    print("-" * len(header))
    for name, row in table.items():
        print(f"{name:<32} {cells(row)}")
    print("-" * len(header))
    print(f"{'all':<32} {cells(totals)}")
    print()
    print(f"plain recall    {ratio(*totals['plain']['flag'])}")
    print(f"variant recall  {ratio(*totals['variant']['flag'])}")
    print(f"clean alarms    {ratio(*totals['clean']['none'])}")
    cases = sum(len(data["cases"]) for _, data in sources)
    print(f"({cases} cases in {len(sources)} source files)")

    # The same split as benchmarks/accuracy.py, by a hash of the case id: about 40% of the
    # cases are `validation`, measured and never tuned on.
    print(f"\n{'part':<12} {'plain recall':>14} {'variant recall':>14} {'clean alarms':>14}")
    for part in ("tune", "validation"):
        row = {kind: [0, 0] for kind in KINDS}
        for _, data in sources:
            for case in data["cases"]:
                if part_of(case["id"]) == part:
                    row[case.get("kind", "plain")][0] += bool(counted.get(case["id"]))
                    row[case.get("kind", "plain")][1] += 1
        print(f"{part:<12} {ratio(*row['plain']):>14} {ratio(*row['variant']):>14} {ratio(*row['clean']):>14}")
    if args.part != "both":
        misses = [(name, case) for name, case in misses if part_of(case["id"]) == args.part]
        alarms = [(name, case, found) for name, case, found in alarms if part_of(case["id"]) == args.part]

    if bad:
        print(f"\nwarning: {len(bad)} case(s) were rejected as bad records:")
        for line in bad:
            print(f"  {line}")

    if args.misses:
        print(f"\nmisses ({len(misses)}): expect flag, no prohibited-claim/return-policy finding")
        for name, case in misses:
            print(f"  {name}  {case['id']}  [{case.get('kind')}/{case.get('class')}]  {case_text(case)}")
        print(f"\nalarms ({len(alarms)}): expect none, flagged")
        for name, case, findings in alarms:
            print(f"  {name}  {case['id']}  [{case.get('kind')}/{case.get('class')}]  {case_text(case)}")
            for finding in findings:
                print(f"      {finding.rule}  match={finding.match!r}  field={finding.field}")

    if args.json:
        out = {
            "counted_categories": list(COUNTED),
            "sources": {name: as_json(row) for name, row in table.items()},
            "totals": as_json(totals),
            "misses": [case["id"] for _, case in misses],
            "alarms": [
                {"id": case["id"], "findings": [{"rule": f.rule, "match": f.match} for f in findings]}
                for _, case, findings in alarms
            ],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
