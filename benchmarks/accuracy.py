"""Detection accuracy on real listings nobody on the team wrote (../shared/data/real/).

    python benchmarks/accuracy.py                     # the tables, both parts of every set
    python benchmarks/accuracy.py --misses tune       # also list missed labels and alarms (tune part only)
    python benchmarks/accuracy.py --unjudged out.yaml # findings not yet judged, to read and judge

Every data set is split by a hash of the sku (`part_of`): about 40% of each set is the
`validation` part, which is measured and never tuned on; the rest is the `tune` part. Both
are always reported side by side. The split was fixed before any tuning.

Per data set, part and kind (quantity, attribute, composition, model, price) it prints:
- recall on the `hard` labels (a finding on the labelled sku and attribute),
- alarms on the `agree` labels (a finding there is always wrong),
- the spec-mismatch findings judged right, wrong and debatable in `judgements.yaml` beside
  this script, and those not yet judged; precision is right / (right + wrong), and the share
  of listings with a wrong finding is counted from the same records.
Claim labels (`claim`, `claim-clean`) get their own table: recall and alarms per set and part;
and every claim and return-policy finding is judged in the same file, its precision printed per
set, part and pack.

Judgements are keyed by (sku, rule, match): a finding whose matched text changes is a new
finding and must be read again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "real"
JUDGEMENTS = Path(__file__).resolve().parent / "judgements.yaml"
MEASURED_PRECISION = ROOT / "rules" / "vocab" / "measured-precision.yaml"

KINDS = ("quantity", "attribute", "composition", "model", "price")
# The kind of a label, by the spec key it is about (anything else is a quantity).
LABEL_KINDS = {
    "price": "price",
    "brand": "attribute", "color": "attribute", "material": "attribute", "origin": "attribute",
    "gender": "attribute", "labels": "attribute", "系统": "attribute",
    "composition": "composition", "填充物": "composition", "填充成分": "composition",
    "主要原材料": "composition", "外套材质": "composition",
    "model": "model", "显卡型号": "model",
}
VERDICTS = ("right", "wrong", "debatable")


def part_of(sku: str) -> str:
    """`validation` for about 40% of skus, fixed by a hash so it never depends on order."""
    digest = hashlib.sha256(sku.encode("utf-8")).digest()
    return "validation" if digest[0] % 5 < 2 else "tune"


def label_kind(attribute: str) -> str:
    return LABEL_KINDS.get(attribute, "quantity")


def finding_kind(finding, rule_kinds: dict[str, str]) -> str:
    if finding.attribute == "price" or finding.rule.endswith("/price"):
        return "price"
    return {"quantity": "quantity", "attribute": "attribute", "composition": "composition",
            "model": "model"}.get(rule_kinds.get(finding.rule, ""), "quantity")


def judgement_key(sku: str, rule: str, match: str | None) -> tuple[str, str, str]:
    return sku, rule, " ".join((match or "").split())


def load_labels(data: Path) -> list[dict]:
    labels: list[dict] = []
    for path in sorted(data.glob("labels-*.yaml")):
        labels.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return labels


def load_judgements(path: Path) -> dict[tuple[str, str, str], dict]:
    if not path.is_file():
        return {}
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    judged = {}
    for entry in entries:
        if entry.get("verdict") not in VERDICTS:
            raise SystemExit(f"{path}: verdict must be one of {VERDICTS}: {entry}")
        judged[judgement_key(entry["sku"], entry["rule"], entry.get("match"))] = entry
    return judged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with *.jsonl and labels-*.yaml")
    parser.add_argument("--packs", nargs="*", default=["recommended"], help="rule packs to run")
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    parser.add_argument("--min-confidence", default=None, help="report only findings at or above this confidence")
    parser.add_argument("--misses", choices=["tune", "validation", "both"], default=None,
                        help="list missed hard labels, alarms on agreements and wrong findings of this part")
    parser.add_argument("--unjudged", type=Path, default=None,
                        help="write the spec-mismatch, claim and return-policy findings not yet judged to this YAML file")
    parser.add_argument("--unjudged-part", choices=["tune", "validation", "both"], default="both")
    parser.add_argument("--write-precision", type=Path, nargs="?", const=MEASURED_PRECISION, default=None, metavar="PATH",
                        help=f"write each rule's judged findings per part to {MEASURED_PRECISION.relative_to(ROOT)} "
                             "(shown by `listcheck rules show` and docs/rules.md)")
    args = parser.parse_args(argv)

    if not args.data.is_dir():
        print(f"no real data at {args.data} (expected ../shared/data/real/ beside the repository)", file=sys.stderr)
        return 2

    from listcheck import api
    from listcheck.config import Config

    # The default config reports what a reviewer acts on (min_confidence: medium).
    config = Config(min_confidence=args.min_confidence) if args.min_confidence else Config()
    rules = api.load_rules(args.packs)
    rule_kinds = {rule.spec.id: rule.spec.kind for rule in rules.rules}
    labels = load_labels(args.data)
    judged = load_judgements(args.judgements)

    products: dict[str, dict] = {}
    dataset_of: dict[str, str] = {}
    findings_by_sku: dict[str, list] = defaultdict(list)
    listings: Counter = Counter()
    for path in sorted(args.data.glob("*.jsonl")):
        run = api.check_run([path], rules=rules, config=config)
        for finding in run.report.findings:
            if finding.category.value != "input" and finding.sku:
                findings_by_sku[finding.sku].append(finding)
                dataset_of[finding.sku] = path.stem
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                products[record["sku"]] = record
                dataset_of[record["sku"]] = path.stem
                listings[(path.stem, part_of(record["sku"]))] += 1

    _label_table(labels, findings_by_sku, dataset_of, args.misses)
    unjudged = _precision_table(findings_by_sku, dataset_of, listings, judged, rule_kinds, args.misses)
    _claims_table(labels, findings_by_sku, dataset_of)
    unjudged += _claims_precision_table(findings_by_sku, dataset_of, judged, args.misses)
    _confidence_table(findings_by_sku, judged)

    if args.write_precision:
        _write_precision(findings_by_sku, judged, args.write_precision)

    if args.unjudged is not None:
        rows = []
        for finding in unjudged:
            part = part_of(finding.sku)
            if args.unjudged_part not in ("both", part):
                continue
            product = products.get(finding.sku, {})
            rows.append({
                "sku": finding.sku, "rule": finding.rule, "match": finding.match, "part": part,
                "dataset": dataset_of.get(finding.sku), "field": finding.field,
                "confidence": finding.confidence.value if finding.confidence is not None else None,
                "message": finding.message, "title": product.get("title"),
                "context": finding.context.text if finding.context else None,
                "spec": {k: v for k, v in (product.get("spec") or {}).items() if isinstance(v, (str, int, float))},
                "verdict": None, "why": None,
            })
        args.unjudged.write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
        print(f"\n{len(rows)} findings not yet judged written to {args.unjudged}")
    return 0


def _label_table(labels, findings_by_sku, dataset_of, misses) -> None:
    print("== Hard labels caught (recall) and agreements flagged (alarms), per set, part and kind ==")
    table: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    listed = []
    for label in labels:
        kind = label["kind"]
        if kind not in ("hard", "agree", "soft"):
            continue
        sku, attribute = label["sku"], label["attribute"]
        dataset, part = dataset_of.get(sku, "?"), part_of(sku)
        hit = any(attribute in (f.attribute, *f.also_contradicts) for f in findings_by_sku.get(sku, []))
        for key in ((dataset, part, label_kind(attribute)), ("all", part, label_kind(attribute)), ("all", part, "all")):
            table[key][kind] += 1
            table[key][kind + "_hit"] += int(hit)
        if misses in (part, "both") and ((kind == "hard" and not hit) or (kind == "agree" and hit)):
            listed.append((part, "missed hard" if kind == "hard" else "alarm on agree", sku, attribute, label.get("note", "")))
    print(f"{'set':<18}{'part':<12}{'kind':<13}{'hard recall':>16}{'agree alarms':>16}{'soft flagged':>16}")
    for key in sorted(table, key=lambda k: (k[0] == "all", k[0], k[1], k[2] == "all", k[2])):
        row = table[key]
        if not (row["hard"] or row["agree"]):
            continue
        print(f"{key[0]:<18}{key[1]:<12}{key[2]:<13}{_ratio(row['hard_hit'], row['hard']):>16}"
              f"{_ratio(row['agree_hit'], row['agree']):>16}{_ratio(row['soft_hit'], row['soft']):>16}")
    for part, what, sku, attribute, note in sorted(listed):
        print(f"  [{part}] {what}: {sku} {attribute}: {note}")


def _precision_table(findings_by_sku, dataset_of, listings, judged, rule_kinds, misses) -> list:
    print("\n== Spec-mismatch findings judged (judgements.yaml), per set, part and kind ==")
    table: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    wrong_listings: dict[tuple[str, str], set] = defaultdict(set)
    unjudged = []
    wrong = []
    for sku, findings in findings_by_sku.items():
        dataset, part = dataset_of.get(sku, "?"), part_of(sku)
        for finding in findings:
            if finding.category.value != "spec-mismatch":
                continue
            entry = judged.get(judgement_key(sku, finding.rule, finding.match))
            verdict = entry["verdict"] if entry else "unjudged"
            if verdict == "unjudged":
                unjudged.append(finding)
            kind = finding_kind(finding, rule_kinds)
            for key in ((dataset, part, kind), ("all", part, kind), ("all", part, "all")):
                table[key][verdict] += 1
            if verdict == "wrong":
                wrong_listings[(dataset, part)].add(sku)
                wrong_listings[("all", part)].add(sku)
                if misses in (part, "both"):
                    wrong.append((part, sku, finding.rule, finding.match, entry.get("why", "")))
    totals: Counter = Counter()
    for (dataset, part), count in listings.items():
        totals[("all", part)] += count
    listings = Counter(listings) + totals
    print(f"{'set':<18}{'part':<12}{'kind':<13}{'right':>7}{'wrong':>7}{'debat.':>7}{'unjudged':>9}"
          f"{'precision':>11}{'listings w/ wrong':>20}")
    for key in sorted(table, key=lambda k: (k[0] == "all", k[0], k[1], k[2] == "all", k[2])):
        row = table[key]
        right, bad = row["right"], row["wrong"]
        precision = f"{right / (right + bad):.3f}" if right + bad else "-"
        share = ""
        if key[2] == "all" or key[0] != "all":
            n = listings.get((key[0], key[1]), 0)
            w = len(wrong_listings.get((key[0], key[1]), ()))
            share = f"{w}/{n} ({w / n:.1%})" if n and key[2] == "all" else ""
        print(f"{key[0]:<18}{key[1]:<12}{key[2]:<13}{right:>7}{bad:>7}{row['debatable']:>7}{row['unjudged']:>9}"
              f"{precision:>11}{share:>20}")
    # Per-data-set listing share of wrong findings (all kinds).
    print(f"\n{'set':<18}{'part':<12}{'listings':>10}{'with a wrong finding':>24}")
    for (dataset, part), n in sorted(listings.items(), key=lambda kv: (kv[0][0] == "all", kv[0])):
        w = len(wrong_listings.get((dataset, part), ()))
        print(f"{dataset:<18}{part:<12}{n:>10}{f'{w} ({w / n:.1%})' if n else '-':>24}")
    for part, sku, rule, match, why in sorted(wrong):
        print(f"  [{part}] wrong: {sku} {rule} '{match}': {why}")
    return unjudged


def _claims_table(labels, findings_by_sku, dataset_of) -> None:
    print("\n== Claim labels: recall on `claim`, alarms on `claim-clean`, per set and part ==")
    table: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for label in labels:
        kind = label["kind"]
        if kind not in ("claim", "claim-clean"):
            continue
        sku = label["sku"]
        category = "return-policy" if label["attribute"] == "return_policy" else "prohibited-claim"
        hit = any(f.category.value == category for f in findings_by_sku.get(sku, []))
        dataset, part = dataset_of.get(sku, "?"), part_of(sku)
        for key in ((dataset, part), ("all", part)):
            table[key][kind] += 1
            table[key][kind + "_hit"] += int(hit)
    print(f"{'set':<18}{'part':<12}{'claim recall':>16}{'clean alarms':>16}")
    for key in sorted(table, key=lambda k: (k[0] == "all", k)):
        row = table[key]
        print(f"{key[0]:<18}{key[1]:<12}{_ratio(row['claim_hit'], row['claim']):>16}"
              f"{_ratio(row['claim-clean_hit'], row['claim-clean']):>16}")


CLAIM_CATEGORIES = ("prohibited-claim", "return-policy")


def _claims_precision_table(findings_by_sku, dataset_of, judged, misses) -> list:
    """Every claim and return-policy finding, judged by reading it (judgements.yaml, the same
    keys as the mismatch verdicts): precision per set, part and rule pack."""
    print("\n== Claim and return-policy findings judged (judgements.yaml), per set, part and pack ==")
    table: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    unjudged, wrong = [], []
    for sku, findings in findings_by_sku.items():
        dataset, part = dataset_of.get(sku, "?"), part_of(sku)
        for finding in findings:
            if finding.category.value not in CLAIM_CATEGORIES:
                continue
            entry = judged.get(judgement_key(sku, finding.rule, finding.match))
            verdict = entry["verdict"] if entry else "unjudged"
            if verdict == "unjudged":
                unjudged.append(finding)
            pack = finding.rule.split("/")[0]
            for key in ((dataset, part, pack), ("all", part, pack), ("all", part, "all")):
                table[key][verdict] += 1
            if verdict == "wrong" and misses in (part, "both"):
                wrong.append((part, sku, finding.rule, finding.match, entry.get("why", "")))
    print(f"{'set':<18}{'part':<12}{'pack':<16}{'right':>7}{'wrong':>7}{'debat.':>7}{'unjudged':>9}{'precision':>11}")
    for key in sorted(table, key=lambda k: (k[0] == "all", k[0], k[1], k[2] == "all", k[2])):
        row = table[key]
        right, bad = row["right"], row["wrong"]
        precision = f"{right / (right + bad):.3f}" if right + bad else "-"
        print(f"{key[0]:<18}{key[1]:<12}{key[2]:<16}{right:>7}{bad:>7}{row['debatable']:>7}{row['unjudged']:>9}{precision:>11}")
    for part, sku, rule, match, why in sorted(wrong):
        print(f"  [{part}] wrong: {sku} {rule} '{match}': {why}")
    return unjudged


def _confidence_table(findings_by_sku, judged) -> None:
    rows: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for sku, findings in findings_by_sku.items():
        for finding in findings:
            if finding.category.value != "spec-mismatch":
                continue
            confidence = getattr(finding, "confidence", None)
            if confidence is None:
                return
            entry = judged.get(judgement_key(sku, finding.rule, finding.match))
            rows[(part_of(sku), str(confidence.value if hasattr(confidence, "value") else confidence))][
                entry["verdict"] if entry else "unjudged"] += 1
    print("\n== Spec-mismatch findings by confidence ==")
    print(f"{'part':<12}{'confidence':<12}{'right':>7}{'wrong':>7}{'debat.':>7}{'unjudged':>9}")
    for key in sorted(rows):
        row = rows[key]
        print(f"{key[0]:<12}{key[1]:<12}{row['right']:>7}{row['wrong']:>7}{row['debatable']:>7}{row['unjudged']:>9}")


def _write_precision(findings_by_sku, judged, out: Path) -> None:
    """Each spec-mismatch rule's verdicts per part, for the rule catalogue: the precision a
    rule states is the one measured here, never typed in by hand."""
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for sku, findings in findings_by_sku.items():
        for finding in findings:
            if finding.category.value != "spec-mismatch":
                continue
            entry = judged.get(judgement_key(sku, finding.rule, finding.match))
            counts[finding.rule][part_of(sku)][entry["verdict"] if entry else "unjudged"] += 1
    rules = {}
    for rule in sorted(counts):
        rules[rule] = {}
        for part in ("validation", "tune"):
            row = counts[rule][part]
            rules[rule][part] = {verdict: row[verdict] for verdict in ("right", "wrong", "debatable", "unjudged")}
    header = ("# Written by `python benchmarks/accuracy.py --write-precision`; do not edit by hand.\n"
              "# Verdicts (benchmarks/judgements.yaml) on each spec-mismatch rule's findings at the default\n"
              "# confidence, on the real listings of ../shared/data/real/: `validation` is the part never\n"
              "# tuned on, `tune` the part the rules were tuned on. Precision = right / (right + wrong).\n")
    body = yaml.safe_dump({"measured_on": date.today().isoformat(), "rules": rules}, sort_keys=False, width=120,
                          default_flow_style=None)
    out.write_text(header + body, encoding="utf-8")
    print(f"\nwrote {out}: {len(rules)} rules")


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole}" + (f" ({part / whole:.0%})" if whole else "")


if __name__ == "__main__":
    sys.exit(main())
