"""Throughput and memory of `listcheck check` against a floor and a peer, measured in one run.

    python benchmarks/throughput.py                          # 100k and 1M listings, --jobs 2
    python benchmarks/throughput.py --sizes 100000 --spectral-size 2000   # quicker

For each size it generates a catalog from the real listings (benchmarks/generate.py), then:
- listcheck: `listcheck check FILE --jobs J` with the recommended set, JSONL and CSV input,
  listings per second and the peak RSS of the whole process tree (sampled from /proc);
- floor: `benchmarks/floor.py` — parse the file and run one combined regular expression of
  every `terms` rule's terms over the text fields; nothing else. The ratio says how much the
  rest of listcheck (validation, the other kinds, findings, the report) costs;
- peer: Spectral (`@stoplight/spectral-cli` from npm) with an equivalent ruleset (the same term
  lists as `pattern` rules, the same required fields) on the first `--spectral-size` listings
  (default 20,000) as one JSON document — Spectral holds a whole document in memory, so it gets
  a slice — and listcheck, --jobs 1 and --jobs J, on the same document for the ratio. Spectral
  runs only the term and required-field rules; listcheck runs the whole recommended set.
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

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
SPECTRAL_DIR = Path(os.environ.get("SPECTRAL_DIR", "/tmp/spectral"))
LAST_CPU = 0.0  # CPU seconds of the last measured process tree (see measure)


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


def measure(command: list[str], **kwargs) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds, peak RSS (MB) of the process tree, and the completed process.

    The CPU seconds of the whole tree (user + system, workers included) are kept in
    `LAST_CPU`: on a noisy machine they vary far less than the wall time."""
    global LAST_CPU
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
    LAST_CPU = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, peak[0] // 1024, subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def ensure_catalog(n: int) -> Path:
    path = OUT / f"catalog-{n}.jsonl"
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(n), "--out", str(OUT)], check=True)
    return path


def run_listcheck(path: Path, jobs: int, packs: list[str]) -> tuple[float, int]:
    command = [sys.executable, "-m", "listcheck.cli", "check", str(path), "--jobs", str(jobs),
               "--format", "jsonl", "--output", os.devnull, "--fail-on", "never"]
    for pack in packs:
        command += ["--rules", pack]
    elapsed, peak, done = measure(command)
    if done.returncode != 0:
        raise SystemExit(f"listcheck failed: {done.stderr.strip()}")
    return elapsed, peak


def run_floor(path: Path, packs: list[str]) -> float:
    elapsed, _, done = measure([sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(path), *packs])
    if done.returncode != 0:
        raise SystemExit(f"floor failed: {done.stderr.strip()}")
    return elapsed


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


def run_spectral(path: Path, size: int, packs: list[str], workdir: Path) -> tuple[float, float, Path] | None:
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
    elapsed, _, done = measure([str(binary), "lint", str(document), "--ruleset", str(ruleset), "--format", "json",
                                "--output", os.devnull, "--fail-severity", "error", "--quiet"])
    if done.returncode not in (0, 1):
        print(f"  spectral failed: {done.stderr.strip()[:300]}")
        return None
    cpu = LAST_CPU
    slice_jsonl = workdir / f"slice-{size}.jsonl"
    slice_jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return elapsed, cpu, slice_jsonl


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--packs", nargs="+", default=["recommended"])
    parser.add_argument("--spectral-size", type=int, default=20_000)
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="listcheck-bench-"))
    try:
        for n in args.sizes:
            jsonl = ensure_catalog(n)
            csv_path = jsonl.with_suffix(".csv")
            print(f"== {n:,} listings ==")
            timings = {}
            for label, path in (("jsonl", jsonl), ("csv", csv_path)):
                elapsed, peak = timings[label] = run_listcheck(path, args.jobs, args.packs)
                print(f"  listcheck {label} --jobs {args.jobs}: {elapsed:7.2f} s  {n / elapsed:>10,.0f} listings/s  "
                      f"peak RSS {peak} MB  CPU {LAST_CPU / n * 1e6:.0f} us/listing")
            elapsed1, peak1 = run_listcheck(jsonl, 1, args.packs)
            print(f"  listcheck jsonl --jobs 1: {elapsed1:7.2f} s  {n / elapsed1:>10,.0f} listings/s  "
                  f"peak RSS {peak1} MB  CPU {LAST_CPU / n * 1e6:.0f} us/listing")
            floor = run_floor(jsonl, args.packs)
            print(f"  floor (parse + one regex, one process): {floor:7.2f} s  {n / floor:>10,.0f} listings/s  "
                  f"CPU {LAST_CPU / n * 1e6:.0f} us/listing")
            # The floor reads the JSON Lines file: compare the runs over that file.
            print(f"  ratio listcheck/floor (time, same file): --jobs {args.jobs} {timings['jsonl'][0] / floor:.2f}x, "
                  f"--jobs 1 {elapsed1 / floor:.2f}x")
        spectral = run_spectral(ensure_catalog(args.sizes[0]), args.spectral_size, args.packs, workdir)
        if spectral is not None:
            spectral_time, spectral_cpu, slice_path = spectral
            size = args.spectral_size
            print(f"== Spectral on {size:,} listings (one JSON document, both tools read it) ==")
            print(f"  spectral: {spectral_time:7.2f} s  {size / spectral_time:>10,.0f} listings/s  "
                  f"CPU {spectral_cpu / size * 1e6:.0f} us/listing")
            for jobs in sorted({1, args.jobs}):
                lc_time, _ = run_listcheck(slice_path, jobs, args.packs)
                print(f"  listcheck --jobs {jobs} (includes start-up): {lc_time:7.2f} s  {size / lc_time:>10,.0f} listings/s"
                      f"  CPU {LAST_CPU / size * 1e6:.0f} us/listing"
                      f"  ratio spectral/listcheck (time): {spectral_time / lc_time:.1f}x")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
