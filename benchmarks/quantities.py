"""Speed of quantity extraction on the real listings, and a dump of its output to diff.

    python benchmarks/quantities.py                       # texts/second, µs per text
    python benchmarks/quantities.py --rounds 5 --dump /tmp/quantities.txt

Reads every text field (title, description, bullets, string spec values) of the listings in
../shared/data/real/*.jsonl, runs `extract_quantities` over every text and `parse_quantity`
over every spec value (strings and numbers) with each dimension hint the quantity checks use.
Each round starts with cold caches (the `fold` memo and any memo in the quantity module), so
a round measures the work a first sight of each text costs, as in a catalog of fresh listings.
The best round is reported: the machine is noisy and the best is the least disturbed. The
garbage collector is off while a round runs, as in `timeit`: its pauses depend on what the
earlier rounds left behind, not on the code measured.

`--dump FILE` writes the repr of every result, one a line, to compare two versions with diff.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from functools import _lru_cache_wrapper
from pathlib import Path

from generate import load_real  # benchmarks/generate.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"


def hints() -> list[str | None]:
    """The hints the checks pass: the first dimension of every built-in `quantity` rule, and
    None (a rule's skip_spec_values; a rule without dimensions)."""
    from listcheck import api

    found: list[str | None] = [None]
    for rule in api.load_rules(["recommended"]).rules:
        dimensions = getattr(rule.params, "dimensions", None) if rule.spec.kind == "quantity" else None
        if dimensions and dimensions[0] not in found:
            found.append(dimensions[0])
    return found


def load(folder: Path) -> tuple[list[str], list[object]]:
    """The texts (title, description, bullets, string spec values) and the raw spec values."""
    texts: list[str] = []
    specs: list[object] = []
    for record in load_real(folder):
        for key in ("title", "description"):
            if isinstance(record.get(key), str):
                texts.append(record[key])
        texts.extend(b for b in record.get("bullets") or () if isinstance(b, str))
        for value in (record.get("spec") or {}).values():
            if isinstance(value, str):
                texts.append(value)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                specs.append(value)
    return texts, specs


def clear_caches() -> None:
    from listcheck.text import normalize, numerals, quantities, units

    for module in (normalize, numerals, quantities):
        for obj in vars(module).values():
            # The compiled unit table is built once per process in real runs too: keep it.
            if isinstance(obj, _lru_cache_wrapper) and obj not in (quantities._compiled, units.unit_table):
                obj.cache_clear()


def extract_all(texts: list[str]) -> list[object]:
    from listcheck.text.quantities import extract_quantities

    return [extract_quantities(text) for text in texts]


def parse_all(specs: list[object], hint_list: list[str | None]) -> list[object]:
    from listcheck.text.quantities import parse_quantity

    return [parse_quantity(value, hint) for hint in hint_list for value in specs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REAL, help="folder of *.jsonl listings")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dump", type=Path, help="write repr of every result to this file")
    args = parser.parse_args(argv)
    if not args.data.is_dir() or not any(args.data.glob("*.jsonl")):
        print(f"no listings in {args.data}: nothing to measure")
        return 0
    texts, specs = load(args.data)
    hint_list = hints()
    from listcheck.text.quantities import _compiled

    _compiled()  # compile the unit table outside the timing
    calls = len(texts) + len(specs) * len(hint_list)
    best = best_extract = best_parse = float("inf")
    results: list[object] = []
    for _ in range(args.rounds):
        clear_caches()
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            results = extract_all(texts)
            middle = time.perf_counter()
            results += parse_all(specs, hint_list)
            ended = time.perf_counter()
        finally:
            gc.enable()
        best = min(best, ended - started)
        best_extract = min(best_extract, middle - started)
        best_parse = min(best_parse, ended - middle)
    print(f"{len(texts)} texts, {len(specs)} spec values x {len(hint_list)} hints = {calls} calls; "
          f"best of {args.rounds} rounds")
    print(f"extract_quantities: {len(texts) / best_extract:10.0f} texts/s  {best_extract / len(texts) * 1e6:8.1f} µs/text")
    parse_calls = len(specs) * len(hint_list)
    print(f"parse_quantity:     {parse_calls / best_parse:10.0f} calls/s  {best_parse / parse_calls * 1e6:8.1f} µs/call")
    print(f"all:                {calls / best:10.0f} calls/s  {best / calls * 1e6:8.1f} µs/call  ({best:.3f} s)")
    if args.dump is not None:
        with open(args.dump, "w", encoding="utf-8") as handle:
            for result in results:
                handle.write(repr(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
