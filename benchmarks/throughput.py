"""Throughput and memory of `listcheck check` against a floor and a peer, measured in one run.

    python benchmarks/throughput.py                          # 100k and 1M listings, --jobs 2
    python benchmarks/throughput.py --sizes 100000 --spectral-size 2000   # quicker
    python benchmarks/throughput.py --sizes 100000 --before /tmp/venv-before/bin/python --spectral-size 0
        # before and after a change, in one run: another interpreter with the old listcheck

For each size it generates a catalog from the real listings (benchmarks/generate.py), then:
- listcheck: `listcheck check FILE --jobs J` with the recommended set, JSONL and CSV input,
  listings per second and the peak RSS of the whole process tree (sampled from /proc);
- floor: `benchmarks/floor.py` — parse the file and run one combined regular expression of
  every `terms` rule's terms over the text fields; nothing else. The ratio says how much the
  rest of listcheck (validation, the other kinds, findings, the report) costs;
- listcheck's cost before any rule: the same run with one `required` rule left enabled (a
  config disables the rest). What it takes to read, validate, place and report a listing is
  the part of the budget that no rule can win back;
- peer: Spectral (`@stoplight/spectral-cli` from npm) with an equivalent ruleset (the same term
  lists as `pattern` rules, the same required fields) on the first `--spectral-size` listings
  (default: the first size, 100,000) as one JSON document, and listcheck, --jobs 1 and --jobs
  J, on the same listings for the ratio. Spectral holds the whole document in memory (2.2 GB
  at 100,000 listings), so a million is out of its reach here. Spectral runs only the term
  and required-field rules; listcheck runs once with the whole recommended set and once with
  only those rules (a config that disables the others). Spectral tests every term on every
  listing; listcheck's rules keep their `when` (platform, category), as a real run does.
With two or more sizes it ends with how much each run's peak RSS grows from one size to the next.
With `--before PYTHON` (an interpreter that has another listcheck installed, e.g. a virtual
environment of the commit before a change) each size also runs the whole set with it, the two
alternating `--repeat` times, and prints after/before ratios of wall time and of CPU per listing.
This machine is noisy: compare the ratios, which are measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
SPECTRAL_DIR = Path(os.environ.get("SPECTRAL_DIR", "/tmp/spectral"))


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


class Measured(NamedTuple):
    seconds: float  # wall time
    peak_mb: int  # peak RSS of the process tree
    # CPU seconds of the whole tree (user + system, workers included): on a noisy machine
    # they vary far less than the wall time.
    cpu: float
    done: subprocess.CompletedProcess


def measure(command: list[str], **kwargs) -> Measured:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss_kb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(elapsed, peak[0] // 1024, cpu, subprocess.CompletedProcess(command, process.returncode, stdout, stderr))


def ensure_catalog(n: int) -> Path:
    path = OUT / f"catalog-{n}.jsonl"
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(n), "--out", str(OUT)], check=True)
    return path


def run_listcheck(path: Path, jobs: int, packs: list[str], config: Path | None = None,
                  python: str = sys.executable) -> Measured:
    command = [python, "-m", "listcheck.cli", "check", str(path), "--jobs", str(jobs),
               "--format", "jsonl", "--output", os.devnull, "--fail-on", "never"]
    for pack in packs:
        command += ["--rules", pack]
    if config is not None:
        command += ["--config", str(config)]
    measured = measure(command)
    if measured.done.returncode != 0:
        raise SystemExit(f"listcheck failed: {measured.done.stderr.strip()}")
    return measured


def run_floor(path: Path, packs: list[str]) -> Measured:
    measured = measure([sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(path), *packs])
    if measured.done.returncode != 0:
        raise SystemExit(f"floor failed: {measured.done.stderr.strip()}")
    return measured


def spectral_ruleset(packs: list[str]) -> dict:
    """The recommended set's term lists as Spectral `pattern` rules, its required fields as `truthy`."""
    import regex

    from listcheck import api

    rules: dict = {}
    for rule in api.load_rules(packs).rules:
        params = rule.params.model_dump()
        if rule.spec.kind == "terms":
            terms = [t if isinstance(t, str) else t["term"] for t in params["terms"]]
            pattern = "|".join(regex.escape(t) for t in terms)
            for field in rule.spec.fields or ["title", "description"]:
                rules[f"{rule.spec.id}-{field}".replace("/", "-")] = {
                    "given": f"$[*].{field}", "severity": "warn",
                    "then": {"function": "pattern", "functionOptions": {"notMatch": f"/({pattern})/i"}},
                }
        elif rule.spec.kind == "required":
            for field in rule.spec.fields or []:
                if "." not in field:
                    rules[f"{rule.spec.id}-{field}".replace("/", "-")] = {
                        "given": "$[*]", "severity": "warn",
                        "then": {"field": field, "function": "truthy"},
                    }
    return {"rules": rules}


def config_keeping(packs: list[str], workdir: Path, name: str, keep: Callable[[Any], bool]) -> Path:
    """A listcheck config that disables every rule of `packs` for which `keep(rule)` is false."""
    from listcheck import api

    others = [rule.spec.id for rule in api.load_rules(packs).rules if not keep(rule)]
    config = workdir / f"{name}.yaml"
    config.write_text(json.dumps({"disable": others}), encoding="utf-8")  # JSON is YAML
    return config


def spectral_rules_only(packs: list[str], workdir: Path) -> Path:
    """The rules Spectral is given (`terms` and `required`): the two tools then run the same checks."""
    return config_keeping(packs, workdir, "spectral-rules-only", lambda rule: rule.spec.kind in ("terms", "required"))


def one_rule_only(packs: list[str], workdir: Path) -> Path:
    """The first `required` rule of `packs` and nothing else: a run with it costs what any
    listing costs before the rules (reading, validation, placement, the report)."""
    from listcheck import api

    first = next(rule.spec.id for rule in api.load_rules(packs).rules if rule.spec.kind == "required")
    return config_keeping(packs, workdir, "one-rule-only", lambda rule: rule.spec.id == first)


def run_spectral(path: Path, size: int, packs: list[str], workdir: Path) -> tuple[Measured, Path] | None:
    binary = SPECTRAL_DIR / "node_modules" / ".bin" / "spectral"
    if not binary.exists():
        print(f"  spectral: not installed (npm install --prefix {SPECTRAL_DIR} @stoplight/spectral-cli@6)")
        return None
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            records.append(json.loads(line))
            if len(records) >= size:
                break
    document = workdir / f"slice-{size}.json"
    document.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    ruleset = workdir / ".spectral.json"
    ruleset.write_text(json.dumps(spectral_ruleset(packs)), encoding="utf-8")
    measured = measure([str(binary), "lint", str(document), "--ruleset", str(ruleset), "--format", "json",
                        "--output", os.devnull, "--fail-severity", "error", "--quiet"])
    if measured.done.returncode not in (0, 1):
        print(f"  spectral failed: {measured.done.stderr.strip()[:300]}")
        return None
    slice_jsonl = workdir / f"slice-{size}.jsonl"
    slice_jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return measured, slice_jsonl


def report(label: str, measured: Measured, n: int) -> None:
    print(f"  {label}: {measured.seconds:7.2f} s  {n / measured.seconds:>10,.0f} listings/s  "
          f"peak RSS {measured.peak_mb} MB  CPU {measured.cpu / n * 1e6:.0f} us/listing")


def compare_before(path: Path, n: int, args: argparse.Namespace) -> None:
    """The whole set, before and after, alternating so that the machine's noise falls on both."""
    runs: dict[str, list[Measured]] = {"before": [], "after": []}
    for _ in range(args.repeat):
        for side, python in (("before", args.before), ("after", sys.executable)):
            runs[side].append(run_listcheck(path, args.jobs, args.packs, python=python))
    best = {side: min(measured, key=lambda m: m.seconds) for side, measured in runs.items()}
    cpu = {side: sorted(m.cpu for m in measured)[len(measured) // 2] for side, measured in runs.items()}
    for side in ("before", "after"):
        report(f"{side}: listcheck jsonl --jobs {args.jobs} (fastest of {args.repeat})", best[side], n)
    print(f"  after/before: listings per second {best['before'].seconds / best['after'].seconds:.2f}x, "
          f"median CPU per listing {cpu['after'] / cpu['before']:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--packs", nargs="+", default=["recommended"])
    parser.add_argument("--spectral-size", type=int, default=None, help="default: the first of --sizes; 0 skips Spectral")
    parser.add_argument("--before", default=None, help="a Python with another listcheck installed, to compare with")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs per side with --before")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="listcheck-bench-"))
    peaks: dict[str, dict[int, int]] = {}  # run -> catalog size -> peak RSS (MB)
    try:
        for n in args.sizes:
            jsonl = ensure_catalog(n)
            csv_path = jsonl.with_suffix(".csv")
            print(f"== {n:,} listings ==")
            if args.before:
                compare_before(jsonl, n, args)
            timings = {}
            for label, path in (("jsonl", jsonl), ("csv", csv_path)):
                timings[label] = run_listcheck(path, args.jobs, args.packs)
                report(f"listcheck {label} --jobs {args.jobs}", timings[label], n)
            serial = run_listcheck(jsonl, 1, args.packs)
            report("listcheck jsonl --jobs 1", serial, n)
            fixed = run_listcheck(jsonl, args.jobs, args.packs, one_rule_only(args.packs, workdir))
            report(f"listcheck jsonl --jobs {args.jobs}, one rule (the cost before any rule)", fixed, n)
            print(f"  share of the whole set's CPU that is not the rules: {fixed.cpu / timings['jsonl'].cpu:.0%}")
            for label, measured in ((f"jsonl --jobs {args.jobs}", timings["jsonl"]),
                                    (f"csv --jobs {args.jobs}", timings["csv"]), ("jsonl --jobs 1", serial)):
                peaks.setdefault(label, {})[n] = measured.peak_mb
            floor = run_floor(jsonl, args.packs)
            report("floor (parse + one regex, one process)", floor, n)
            # The floor reads the JSON Lines file: compare the runs over that file.
            print(f"  ratio listcheck/floor (time, same file): --jobs {args.jobs} "
                  f"{timings['jsonl'].seconds / floor.seconds:.2f}x, --jobs 1 {serial.seconds / floor.seconds:.2f}x")
        if len(set(args.sizes)) > 1:
            # Streaming means memory flat in N: how much the peak grows from one size to the
            # next. The fixed buffers (the sku index's 4.4 MB in memory, SQLite's 8 MB page
            # cache) fill within the first few hundred thousand listings; past them, nothing.
            print("== peak RSS growth ==")
            for label, by_size in peaks.items():
                sizes = sorted(by_size)
                steps = ", ".join(
                    f"{by_size[large] - by_size[small]:+d} MB from {small:,} to {large:,}"
                    for small, large in zip(sizes, sizes[1:])
                )
                print(f"  {label}: " + ", ".join(f"{by_size[n]} MB at {n:,}" for n in sizes) + f"; {steps}")
        spectral_size = args.sizes[0] if args.spectral_size is None else args.spectral_size
        spectral = None if spectral_size == 0 else run_spectral(ensure_catalog(args.sizes[0]), spectral_size, args.packs, workdir)
        if spectral is not None:
            peer, slice_path = spectral
            size = spectral_size
            print(f"== Spectral on {size:,} listings (Spectral reads one JSON document, listcheck "
                  "the same listings as JSON Lines) ==")
            report("spectral (term lists and required fields)", peer, size)
            same_rules = spectral_rules_only(args.packs, workdir)
            for jobs in sorted({1, args.jobs}):
                ours = run_listcheck(slice_path, jobs, args.packs)
                report(f"listcheck --jobs {jobs}, the whole set (includes start-up)", ours, size)
                print(f"  ratio spectral/listcheck (time): {peer.seconds / ours.seconds:.1f}x")
                ours = run_listcheck(slice_path, jobs, args.packs, same_rules)
                report(f"listcheck --jobs {jobs}, Spectral's rules only (terms, required)", ours, size)
                print(f"  ratio spectral/listcheck (time): {peer.seconds / ours.seconds:.1f}x")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
