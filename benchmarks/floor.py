"""The floor for throughput.py: parse a catalog and run one combined regex of all term-rule terms.

    python benchmarks/floor.py CATALOG.jsonl [PACK ...]

Nothing else — no validation, no other check kinds, no report — so listcheck's time over this
one says what everything beyond "find the words" costs.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path


def combined_pattern(packs: list[str]):
    import re  # the standard library's engine: the floor is what any quick script would use

    from listcheck import api

    terms: set[str] = set()
    for rule in api.load_rules(packs).rules:
        if rule.spec.kind == "terms":
            for term in rule.params.model_dump()["terms"]:
                terms.add(term if isinstance(term, str) else term["term"])
    alternatives = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in alternatives) or "(?!)", re.IGNORECASE)


def records(path: Path):
    if path.suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)
    else:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)


def main() -> int:
    path = Path(sys.argv[1])
    pattern = combined_pattern(sys.argv[2:] or ["recommended"])
    started = time.perf_counter()
    count = hits = 0
    for record in records(path):
        count += 1
        for field in ("title", "description"):
            text = record.get(field)
            if text:
                hits += len(pattern.findall(text))
        for bullet in record.get("bullets") or []:
            hits += len(pattern.findall(bullet))
    print(f"{count} listings, {hits} term hits, {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
