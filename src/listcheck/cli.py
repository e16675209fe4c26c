"""The command line: a thin shell over `listcheck.api`.

Exit codes: 0 nothing at or above the fail threshold; 1 findings at or above it (or failing
rule examples); 2 the run could not be done — one line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from listcheck import __version__
from listcheck.errors import ListcheckError

class _OneLineErrors(TyperGroup):
    """Every error that stops a run becomes one line on stderr and exit 2, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ListcheckError as exc:
            _fail(ctx, str(exc))
        except KeyboardInterrupt:
            _fail(ctx, "interrupted")
        except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
            # Exit, Abort and usage errors are how the CLI framework itself exits (typer
            # vendors click in recent releases, so match on the module, not the class).
            if type(exc).__module__.split(".")[0] in ("click", "typer") or os.environ.get("LISTCHECK_DEBUG"):
                raise
            _fail(ctx, f"internal error: {type(exc).__name__}: {exc} (set LISTCHECK_DEBUG=1 for details)")


def _fail(ctx, message: str) -> None:
    typer.echo(f"listcheck: error: {message}", err=True)
    ctx.exit(2)


app = typer.Typer(
    cls=_OneLineErrors,
    name="listcheck",
    help="Check product listings against their specs, the law and platform rules before upload.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="List, show and test rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class OutputFormat(str, Enum):
    terminal = "terminal"
    json = "json"
    jsonl = "jsonl"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class Lang(str, Enum):
    en = "en"
    zh = "zh"


class SchemaName(str, Enum):
    catalog = "catalog"
    rules = "rules"
    report = "report"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"listcheck {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """listcheck: catch listings that contradict their spec, break advertising law or return rules."""


@app.command()
def check(
    paths: list[Path] = typer.Argument(..., help="Catalog files or folders (YAML, JSON, JSONL, CSV, XLSX)."),
    rules: Optional[list[str]] = typer.Option(None, "--rules", "-r", help="Rule pack name, file or folder (repeatable); replaces the config's packs."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="listcheck.yaml to use (default: found in this folder or a parent)."),
    fmt: OutputFormat = typer.Option(OutputFormat.terminal, "--format", "-f", help="Report format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file instead of stdout."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit code 1 (default: config, else error)."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Language of messages and labels (default: config, else en)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes; the output is the same for any number."),
) -> None:
    """Check catalogs and report findings."""
    from listcheck import api
    from listcheck.report import render

    # The nearest listcheck.yaml to the catalog (then its parents, up to the root), as linters
    # find theirs next to the files they check.
    anchor = paths[0] if paths[0].is_dir() else paths[0].parent
    cfg = api.load_config(config, search_from=anchor)
    ruleset = api.load_rules(rules, cfg)
    result = api.check_run(paths, config=cfg, rules=ruleset, jobs=jobs, fail_on=fail_on.value if fail_on else None)
    language = lang.value if lang else cfg.lang
    if output is not None:
        try:
            handle = open(output, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise ListcheckError(f"cannot write the report: {exc.strerror}", path=str(output)) from None
        with handle:
            render(result.report, fmt.value, handle, lang=language, color=False, products=result.products)
    else:
        render(result.report, fmt.value, sys.stdout, lang=language, products=result.products)
    raise typer.Exit(1 if result.report.summary.failed else 0)


@rules_app.command("list")
def rules_list(
    packs: Optional[list[str]] = typer.Argument(None, help="Packs to list (default: every built-in pack)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, markdown or json."),
) -> None:
    """List rules: id, kind, category, severity, pack."""
    from listcheck.ruleset import catalogue

    rules = catalogue.rules_of(packs)
    if fmt == "json":
        typer.echo(json.dumps(catalogue.as_records(rules), ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        typer.echo(catalogue.as_markdown(rules), nl=False)
    elif fmt == "table":
        catalogue.print_table(rules)
    else:
        raise ListcheckError(f"unknown format {fmt!r}; choose table, markdown or json")


@rules_app.command("show")
def rules_show(rule_id: str = typer.Argument(..., help="A rule id, e.g. core/title-present.")) -> None:
    """Show one rule: what it checks, why, its references and examples."""
    from listcheck.ruleset import catalogue

    typer.echo(catalogue.describe(catalogue.find_rule(rule_id)), nl=False)


@rules_app.command("test")
def rules_test(
    packs: Optional[list[str]] = typer.Argument(None, help="Pack names, files or folders (default: every built-in pack)."),
) -> None:
    """Run every rule's examples: each invalid one must raise the rule, each valid one must not."""
    from listcheck.ruleset import catalogue
    from listcheck.ruleset.examples import run_examples

    rules = catalogue.rules_of(packs)
    results = run_examples(rules)
    for failure in results.failures or []:
        where = f"{failure.rule.path}:{failure.rule.line}" if failure.rule.line else failure.rule.path
        typer.echo(
            f"FAIL {failure.rule.spec.id} examples.{failure.kind}[{failure.index}] ({where}): "
            f"{failure.reason} — {json.dumps(failure.example, ensure_ascii=False)}"
        )
    failed = len(results.failures or [])
    typer.echo(f"{results.rules} rules, {results.examples} examples: {results.examples - failed} passed, {failed} failed")
    raise typer.Exit(1 if failed else 0)


@app.command()
def schema(name: SchemaName = typer.Argument(..., help="catalog, rules or report.")) -> None:
    """Print the JSON Schema of the catalog, the rule-pack or the report format."""
    from listcheck import schemas

    typer.echo(json.dumps(schemas.get(name.value), ensure_ascii=False, indent=2))


@app.command()
def init(
    directory: Path = typer.Argument(Path("."), help="Where to write listcheck.yaml and a sample catalog."),
) -> None:
    """Write a starter listcheck.yaml and a sample catalog."""
    from listcheck import starter

    for path in starter.write(directory):
        typer.echo(f"wrote {path}")
    typer.echo(f"next: listcheck check {directory / starter.SAMPLE_CATALOG}")


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
