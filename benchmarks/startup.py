"""Wall time of `listcheck check` on a single product: the CI gate's cost for a small change.

    python benchmarks/startup.py                 # 20 runs, the first product of examples/amazon-eu.jsonl
    python benchmarks/startup.py --runs 50 --product path/to/one.jsonl

Runs the `listcheck` command of this environment (the one `pip install .` put next to this
Python) with the recommended set and a JSON report, `--runs` times, and prints the fastest and
the median wall time; the machine is noisy and the fastest run is the least disturbed. Then,
in one process, where the time goes: interpreter start, importing the CLI (typer), importing
the API (pydantic and listcheck's models), loading the rule packs, checking the product.

Measure a regular install, not an editable one: an editable install has no table of the
built-in packs parsed at build time (it parses their YAML, about 60 ms), and under
PYTHONDONTWRITEBYTECODE=1 it compiles listcheck's sources again on every run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter: the phases of one `listcheck check`, each timed once.
PHASES = """
import sys, time
started = time.perf_counter()
import listcheck.cli
cli = time.perf_counter()
from listcheck import api
imported = time.perf_counter()
rules = api.load_rules(["recommended"])
loaded = time.perf_counter()
api.check([sys.argv[1]], rules=rules)
checked = time.perf_counter()
print(cli - started, imported - cli, loaded - imported, checked - loaded)
"""


def one_product(workdir: Path, source: Path) -> Path:
    with open(source, encoding="utf-8") as handle:
        first = json.loads(handle.readline())
    path = workdir / "one.jsonl"
    path.write_text(json.dumps(first, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--product", type=Path, default=ROOT / "examples" / "amazon-eu.jsonl",
                        help="a JSON Lines file; its first product is checked")
    args = parser.parse_args(argv)
    command = Path(sys.executable).parent / "listcheck"
    if not command.exists():
        raise SystemExit(f"no listcheck next to {sys.executable}: pip install . first")

    with tempfile.TemporaryDirectory(prefix="listcheck-startup-") as tmp:
        workdir = Path(tmp)
        product = one_product(workdir, args.product)
        report = workdir / "report.json"
        run = [str(command), "check", str(product), "--format", "json", "--output", str(report), "--fail-on", "never"]
        subprocess.run(run, check=True, capture_output=True)  # warm the file cache
        walls = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(run, check=True, capture_output=True)
            walls.append(time.perf_counter() - started)
        print(f"listcheck check, one product, {args.runs} runs: fastest {min(walls):.3f} s, "
              f"median {statistics.median(walls):.3f} s (goal: under 0.3 s)")

        bare = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            bare.append(time.perf_counter() - started)
        phases = [
            [float(x) for x in subprocess.run([sys.executable, "-c", PHASES, str(product)], check=True,
                                              capture_output=True, text=True).stdout.split()]
            for _ in range(5)
        ]
        fastest = [min(column) for column in zip(*phases)]
        names = ["import the CLI (typer)", "import the API (pydantic, models)", "load the rule packs", "check the product"]
        print(f"  interpreter start: {min(bare) * 1000:.0f} ms")
        for name, seconds in zip(names, fastest):
            print(f"  {name}: {seconds * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
