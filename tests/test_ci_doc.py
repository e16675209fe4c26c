"""docs/ci.md works as written: its `listcheck` commands are ones the CLI accepts, run on
examples/, and each file a later workflow step reads (JUnit, SARIF, HTML, annotations) is one
the command wrote; the workflow installs listcheck from its repository; the pre-commit snippet
names the hook this repository defines, and the config it shows is one listcheck reads."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, ROOT, run_cli

CI_DOC = ROOT / "docs" / "ci.md"
JUNIT_XSD = Path(__file__).parent / "schemas" / "JUnit.xsd"
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", CI_DOC.read_text(encoding="utf-8"), re.M | re.S)


def workflow() -> dict:
    (found,) = [yaml.safe_load(block) for block in code_blocks("yaml") if "jobs:" in block]
    return found


def steps() -> list[dict]:
    (job,) = workflow()["jobs"].values()
    return job["steps"]


def shell_commands() -> list[list[str]]:
    """The `listcheck` lines of the page's sh blocks, as argument lists (comments dropped)."""
    commands = []
    for block in code_blocks("sh"):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["listcheck"]:
                commands.append(words)
    return commands


def written_by(args: list[str]) -> set[str]:
    """The files a `listcheck check` command writes: -o and each --output-format FORMAT=PATH."""
    files = set()
    for option, value in zip(args, args[1:]):
        if option in ("-o", "--output"):
            files.add(value)
        elif option == "--output-format":
            files.add(value.partition("=")[2])
    return files


@pytest.fixture
def shop(tmp_path) -> Path:
    """A repository laid out as the page's commands expect: catalogs (examples/) in catalog/."""
    shutil.copytree(EXAMPLES, tmp_path / "catalog")
    return tmp_path


def test_the_workflow_installs_listcheck_from_its_repository():
    installs = [step["run"] for step in steps() if "pip install" in str(step.get("run", ""))]
    assert installs, "no install step"
    for command in installs:
        (requirement,) = [word for word in shlex.split(command) if "listcheck" in word]
        # listcheck is not on PyPI: a bare `pip install listcheck` installs someone else's package or fails.
        assert "git+https://" in requirement, command


def test_the_workflows_listcheck_command_runs_and_writes_what_the_later_steps_read(shop):
    for baseline_command in shell_commands():
        if baseline_command[1:3] == ["baseline", "create"]:
            created = run_cli(*baseline_command[1:], cwd=shop)
            assert created.returncode == 0, created.stderr
    commands = [shlex.split(step["run"]) for step in steps() if str(step.get("run", "")).startswith("listcheck ")]
    assert len(commands) == 1
    (command,) = commands
    result = run_cli(*command[1:], cwd=shop)
    # 0 or 1 is a verdict; 2 would be an option, a path or a file the CLI refuses.
    assert result.returncode in (0, 1), result.stderr
    written = written_by(command)
    for name in written:
        assert (shop / name).is_file() and (shop / name).stat().st_size > 0, name

    # Every file a later step reads (cat, upload, publish) is one the command wrote.
    read = set()
    for step in steps():
        run = str(step.get("run", ""))
        if run.startswith("cat "):
            read.update(shlex.split(run)[1:])
        for key, value in (step.get("with") or {}).items():
            if key in ("report_paths", "sarif_file", "path"):
                read.update(str(value).split())
    assert read and read <= written, read - written

    junit = next(name for name in written if name.endswith(".xml"))
    assert "--format" in command and command[command.index("--format") + 1] == "junit"
    xmlschema = pytest.importorskip("xmlschema", reason="xmlschema validates JUnit XML (test extra)")
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(shop / junit))
    import jsonschema

    sarif = next(name for name in written if name.endswith(".sarif"))
    jsonschema.validate(json.loads((shop / sarif).read_text(encoding="utf-8")),
                        json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    annotations = next(name for name in written if name.endswith(".txt"))
    # Workflow commands and the verdict (every finding is baselined here: nothing to annotate).
    lines = (shop / annotations).read_text(encoding="utf-8").splitlines()
    assert lines and all(line.startswith(("::", "listcheck: ")) for line in lines), lines
    assert result.returncode == 0 and "baselined" in lines[-1]


def test_the_baseline_commands_run_and_a_baselined_catalog_passes(shop):
    commands = shell_commands()
    assert [words[1:3] for words in commands] == [["baseline", "create"], ["check", "catalog/"]]
    for words in commands:
        result = run_cli(*words[1:], cwd=shop)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_pre_commit_snippet_names_this_repositorys_hook_and_its_config_is_read(shop):
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    snippets = [yaml.safe_load(block) for block in code_blocks("yaml") if "repos:" in block]
    assert snippets
    for snippet in snippets:
        for repo in snippet["repos"]:
            assert {hook["id"] for hook in repo["hooks"]} <= set(hooks)
    # The hook's entry, as pre-commit runs it, on a commit of listcheck's own files only.
    entry = shlex.split(hooks["listcheck"]["entry"])
    assert entry[:3] == ["listcheck", "check", "--only-catalogs"]
    quiet = run_cli(*entry[1:], "catalog/listcheck.yaml", "catalog/house-rules.yaml", cwd=shop)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")

    # The listcheck.yaml the page shows, at the top of the shop with its pack and baseline.
    (config_block,) = [block for block in code_blocks("yaml") if block.startswith("# listcheck.yaml")]
    # (with the mapping examples/jd-export-gbk.csv needs, from examples/listcheck.yaml)
    (shop / "listcheck.yaml").write_text(config_block + "mapping: {商品编码: sku, 商品标题: title, 商品描述: description}\n",
                                         encoding="utf-8")
    shutil.move(shop / "catalog" / "house-rules.yaml", shop / "house-rules.yaml")
    (shop / "catalog" / "listcheck.yaml").unlink()
    created = run_cli("baseline", "create", "catalog/", "-o", "listcheck-baseline.json", cwd=shop)
    assert created.returncode == 0, created.stderr
    files = [str(path.relative_to(shop)) for path in sorted(shop.rglob("*")) if path.is_file()]
    result = run_cli(*entry[1:], "--format", "json", *files, cwd=shop)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    checked = {finding["source"]["path"] for finding in report["findings"]}
    # Only the CSV and JSON Lines catalogs the globs name, every finding baselined by the config's baseline.
    assert checked and all(path.endswith((".csv", ".jsonl")) for path in checked), checked
    assert report["summary"]["baselined"] == len(report["findings"])
