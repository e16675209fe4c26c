"""What a one-product run imports: the libraries of other formats and features stay unloaded.

Time is measured by benchmarks/startup.py, never here; these tests keep the imports that made
start-up slow from coming back unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT

# Libraries that a JSON Lines check with a JSON report does not need.
NOT_NEEDED = ("openpyxl", "jinja2", "rich", "sqlite3", "dask", "pyarrow", "xlsxwriter")


def _imported_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nimport json; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_cli_and_the_api_loads_no_format_library():
    modules = _imported_after("import listcheck.cli, listcheck.api, listcheck.catalog, listcheck.pipeline")
    assert not modules & {*NOT_NEEDED, "yaml"}


def test_a_json_lines_check_loads_only_what_it_uses(tmp_path):
    one = tmp_path / "one.jsonl"
    one.write_text((EXAMPLES / "amazon-eu.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    modules = _imported_after(
        "from listcheck import api\n"
        f"result = api.check([{str(one)!r}])\n"
        "assert result.summary.products == 1\n"
    )
    assert not modules & set(NOT_NEEDED)
    from listcheck.ruleset.loader import builtin_root

    if builtin_root().resolve() == (ROOT / "rules").resolve():
        pytest.skip("an editable install parses the built-in packs from their YAML")
    assert "yaml" not in modules, "the built-in packs come parsed from the wheel"
