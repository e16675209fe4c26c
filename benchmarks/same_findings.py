"""Do two listcheck installs report the same thing? The proof a refactoring changed nothing.

    python benchmarks/same_findings.py --before /tmp/venv-before/bin/python
    python benchmarks/same_findings.py --before OLD/bin/python --after NEW/bin/python --generated 20000
    python benchmarks/same_findings.py --before OLD/bin/python --keep /tmp/reports   # keep both sides

Runs `listcheck check` with each interpreter (`--after` defaults to this one) on the same inputs
and compares the outputs byte for byte:
- examples/ (with its listcheck.yaml) in every report format, in English and in Chinese;
- each file of ../shared/data/real/ (when it is there) and the first `--generated` listings of
  the benchmark catalog (benchmarks/out/, made by generate.py) as JSON, with --jobs 1 and 2;
- examples/ with `--split-by supplier` (every file of the output folder).
The only text normalised away is what is meant to differ between two runs: the tool's version
string, the temporary paths of this script and JUnit's timestamp attribute (the time of the run). It prints one line per comparison and exits 1
when any differs, showing the first differing lines.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"
GENERATED = ROOT / "benchmarks" / "out" / "catalog-100000.jsonl"
FORMATS = ("terminal", "json", "jsonl", "sarif", "junit", "github", "csv", "markdown", "html")
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "TERM": "dumb", "PYTHONHASHSEED": "0"}


def run(python: str, args: list[str], cwd: Path) -> tuple[int, bytes, bytes]:
    done = subprocess.run([python, "-m", "listcheck.cli", *args], cwd=cwd, env=ENV, capture_output=True, timeout=3600)
    return done.returncode, done.stdout, done.stderr


def version(python: str) -> str:
    done = subprocess.run([python, "-c", "import listcheck; print(listcheck.__version__)"], capture_output=True, text=True)
    return done.stdout.strip()


_RUN_TIME = re.compile(r'timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"')


def normalised(data: bytes, replacements: list[tuple[str, str]]) -> bytes:
    text = data.decode("utf-8", errors="surrogateescape")
    for old, new in replacements:
        if old:
            text = text.replace(old, new)
    text = _RUN_TIME.sub('timestamp="{time}"', text)
    return text.encode("utf-8", errors="surrogateescape")


class Comparison:
    def __init__(self, before: str, after: str, keep: Path | None) -> None:
        self.pythons = {"before": before, "after": after}
        self.versions = {side: version(python) for side, python in self.pythons.items()}
        self.keep = keep
        self.failed = 0
        self.total = 0

    def same(self, name: str, args: list[str], cwd: Path, outputs: list[str] = ()) -> None:
        """Run `args` on both sides; compare exit code, stdout, stderr and each output path."""
        results = {}
        for side, python in self.pythons.items():
            workdir = Path(tempfile.mkdtemp(prefix=f"same-{side}-"))
            code, out, err = run(python, [arg.replace("{out}", str(workdir)) for arg in args], cwd)
            replacements = [(str(workdir), "{out}"), (self.versions[side], "{version}")]
            parts = {"exit code": str(code).encode(), "stdout": normalised(out, replacements),
                     "stderr": normalised(err, replacements)}
            for output in outputs:
                root = workdir / output
                files = sorted(root.rglob("*")) if root.is_dir() else [root]
                for path in files:
                    if path.is_file():
                        parts[str(path.relative_to(workdir))] = normalised(path.read_bytes(), replacements)
            results[side] = parts
            if self.keep:
                target = self.keep / side / name.replace("/", "_").replace(" ", "_")
                target.mkdir(parents=True, exist_ok=True)
                for part, data in parts.items():
                    (target / part.replace("/", "_").replace(" ", "_")).write_bytes(data)
            shutil.rmtree(workdir, ignore_errors=True)
        self.total += 1
        before, after = results["before"], results["after"]
        differing = [part for part in sorted(set(before) | set(after)) if before.get(part) != after.get(part)]
        if not differing:
            print(f"same      {name}")
            return
        self.failed += 1
        print(f"DIFFERENT {name}: {', '.join(differing)}")
        for part in differing[:2]:
            old = before.get(part, b"").decode("utf-8", "replace").splitlines()
            new = after.get(part, b"").decode("utf-8", "replace").splitlines()
            for line in list(difflib.unified_diff(old, new, "before/" + part, "after/" + part, lineterm="", n=0))[:12]:
                print("    " + line[:200])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="python of the install to compare against")
    parser.add_argument("--after", default=sys.executable, help="python of the install under test (default: this one)")
    parser.add_argument("--generated", type=int, default=20000, help="listings of the benchmark catalog to compare (0: none)")
    parser.add_argument("--keep", type=Path, default=None, help="keep both sides' outputs in this folder")
    args = parser.parse_args(argv)
    comparison = Comparison(args.before, args.after, args.keep)
    examples = ROOT / "examples"

    for lang in ("en", "zh"):
        for fmt in FORMATS:
            comparison.same(f"examples {fmt} {lang}", ["check", ".", "--format", fmt, "--lang", lang], examples)
    comparison.same("examples split-by supplier", ["check", ".", "--format", "json", "--split-by", "supplier",
                                                    "--output-dir", "{out}/split"], examples, outputs=["split"])

    inputs = sorted(REAL.glob("*.jsonl")) if REAL.is_dir() else []
    if not inputs:
        print(f"(no real data at {REAL}: skipped)")
    scratch = Path(tempfile.mkdtemp(prefix="same-input-"))
    if args.generated and GENERATED.is_file():
        head = scratch / f"generated-{args.generated}.jsonl"
        with GENERATED.open(encoding="utf-8") as source, head.open("w", encoding="utf-8") as target:
            for number, line in enumerate(source):
                if number >= args.generated:
                    break
                target.write(line)
        inputs.append(head)
    elif args.generated:
        print(f"(no benchmark catalog at {GENERATED}: run benchmarks/generate.py; skipped)")
    for path in inputs:
        for jobs in ("1", "2"):
            comparison.same(f"{path.name} json --jobs {jobs}", ["check", str(path), "--format", "json", "--jobs", jobs], ROOT)
    shutil.rmtree(scratch, ignore_errors=True)

    print(f"\n{comparison.total - comparison.failed}/{comparison.total} the same "
          f"(before {comparison.versions['before']} at {args.before}, after {comparison.versions['after']} at {args.after})")
    return 1 if comparison.failed else 0


if __name__ == "__main__":
    sys.exit(main())
