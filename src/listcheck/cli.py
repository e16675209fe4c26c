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
from listcheck.limits import DEFAULT_LIMITS, Limits, parse_size

class _OneLineErrors(TyperGroup):
    """Every error that stops a run becomes one line on stderr and exit 2, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ListcheckError as exc:
            _fail(ctx, str(exc))
        except KeyboardInterrupt:
            _fail(ctx, "interrupted")
        except BrokenPipeError:
            # `listcheck check ... | head`: the reader has gone, which is not an error of ours.
            sys.stderr.close()
            ctx.exit(1)
        except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
            # Exit, Abort and usage errors are how the CLI framework itself exits (typer
            # vendors click in recent releases, so match on the module, not the class).
            if type(exc).__module__.split(".")[0] in ("click", "typer") or os.environ.get("LISTCHECK_DEBUG"):
                raise
            _fail(ctx, f"internal error: {type(exc).__name__}: {exc} (set LISTCHECK_DEBUG=1 for details)")


def _fail(ctx, message: str) -> None:
    from listcheck.report.common import visible_controls

    # The message may quote a file name or a catalog's text: one line, no escape sequences.
    typer.echo(f"listcheck: error: {visible_controls(message)}", err=True)
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


def _formats() -> tuple[str, ...]:
    from listcheck.report import FORMATS

    return FORMATS


# Built from the report registry, so a new report module is a new --format value.
OutputFormat = Enum("OutputFormat", {name: name for name in _formats()}, type=str)  # type: ignore[misc]


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class MinConfidence(str, Enum):
    high = "high"
    medium = "medium"
    low = "low"


class EngineName(str, Enum):
    local = "local"
    dask = "dask"


class Lang(str, Enum):
    en = "en"
    zh = "zh"


class SchemaName(str, Enum):
    catalog = "catalog"
    rules = "rules"
    report = "report"


# Resource limits (docs/limits.md), shared by every command that reads catalogs. Taken as text
# and read by `_limits`, so a bad value is one `listcheck: error:` line like any other.
_LIMITS_PANEL = "Resource limits (docs/limits.md)"
_MAX_FILE_SIZE = typer.Option(
    None, "--max-file-size", metavar="SIZE", rich_help_panel=_LIMITS_PANEL,
    help="Refuse a catalog file larger than this, e.g. 500M (default 2GiB).")
_MAX_DOCUMENT_SIZE = typer.Option(
    None, "--max-document-size", metavar="SIZE", rich_help_panel=_LIMITS_PANEL,
    help="Refuse a YAML or JSON catalog (read in one piece) larger than this (default 64MiB).")
_MAX_RECORD_SIZE = typer.Option(
    None, "--max-record-size", metavar="SIZE", rich_help_panel=_LIMITS_PANEL,
    help="A JSON Lines line or CSV row larger than this becomes an input/record-too-large finding (default 10MiB).")
_MAX_FIELD_CHARS = typer.Option(
    None, "--max-field-chars", metavar="N", rich_help_panel=_LIMITS_PANEL,
    help="Check each text field up to this many characters (default 100000).")
_REGEX_TIMEOUT = typer.Option(
    None, "--regex-timeout", metavar="SECONDS", rich_help_panel=_LIMITS_PANEL,
    help="Time for one regex search over one field; a rule that runs out gives an input/rule-timeout warning (default 0.25).")


def _limits(
    max_file_size: Optional[str] = None,
    max_document_size: Optional[str] = None,
    max_record_size: Optional[str] = None,
    max_field_chars: Optional[str] = None,
    regex_timeout: Optional[str] = None,
) -> Limits:
    """The run's Limits: the defaults with the options given; ListcheckError for a bad value."""
    import dataclasses
    import math

    changes: dict = {}
    option = ""
    try:
        for option, field, value in (
            ("--max-file-size", "max_file_bytes", max_file_size),
            ("--max-document-size", "max_document_bytes", max_document_size),
            ("--max-record-size", "max_record_bytes", max_record_size),
        ):
            if value is not None:
                changes[field] = parse_size(value)
        option = "--max-field-chars"
        if max_field_chars is not None:
            text = max_field_chars.strip()
            if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) < 1:
                raise ValueError(f"a whole number of characters, at least 1, got {max_field_chars!r}")
            changes["max_field_chars"] = int(text)
        option = "--regex-timeout"
        if regex_timeout is not None:
            try:
                seconds = float(regex_timeout)
            except ValueError:
                seconds = math.nan
            if not (math.isfinite(seconds) and seconds > 0):
                raise ValueError(f"a number of seconds greater than 0, e.g. 0.5, got {regex_timeout!r}")
            changes["regex_timeout"] = seconds
        return dataclasses.replace(DEFAULT_LIMITS, **changes)
    except ValueError as exc:
        raise ListcheckError(str(exc), field=option) from None


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
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="listcheck.yaml to use (default: found next to the catalog or in a parent)."),
    fmt: OutputFormat = typer.Option(OutputFormat.terminal, "--format", "-f", help="Report format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file instead of stdout."),
    output_formats: Optional[list[str]] = typer.Option(None, "--output-format", help="Also write FORMAT=PATH (repeatable), e.g. sarif=r.sarif junit=r.xml."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="Lowest severity that makes the exit code 1 (default: config, else error)."),
    max_warnings: Optional[int] = typer.Option(None, "--max-warnings", min=0, help="Also fail when there are more than N active warnings."),
    min_confidence: Optional[MinConfidence] = typer.Option(None, "--min-confidence", help="Report spec mismatches bound at least this firmly: high, medium or low (default: config, else medium)."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Fail only on findings not in this baseline (listcheck baseline create)."),
    strict: bool = typer.Option(False, "--strict", help="A config rule name or glob that matches no rule is an error (exit 2), not a warning."),
    allow_empty: bool = typer.Option(False, "--allow-empty", help="Accept a folder that holds no catalog file (by default that is an error: exit 2)."),
    only_catalogs: bool = typer.Option(False, "--only-catalogs", help="Of the files given, check only the catalogs (the config's `catalogs:` globs, else files that hold products); none is a quiet pass. What the pre-commit hook runs."),
    split_by: Optional[str] = typer.Option(None, "--split-by", help="Write one report per supplier (or file, category, severity, rule, sku) into --output-dir."),
    output_dir: Optional[Path] = typer.Option(None, "--output-dir", help="Folder for --split-by reports."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="Language of messages and labels (default: config, else en)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes, at most 4 per CPU and one per 256 listings; the output is the same for any number."),
    engine: EngineName = typer.Option(EngineName.local, "--engine", help="local (this machine, --jobs processes) or dask (a Dask cluster, see docs/distributed.md). The report is the same."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address for --engine dask, e.g. tcp://host:8786 (default: a temporary cluster on this machine)."),
    max_file_size: Optional[str] = _MAX_FILE_SIZE,
    max_document_size: Optional[str] = _MAX_DOCUMENT_SIZE,
    max_record_size: Optional[str] = _MAX_RECORD_SIZE,
    max_field_chars: Optional[str] = _MAX_FIELD_CHARS,
    regex_timeout: Optional[str] = _REGEX_TIMEOUT,
) -> None:
    """Check catalogs and report findings."""
    from listcheck import api, gate
    from listcheck.report.output import write_report
    from listcheck.report.presentation import summary_line

    limits = _limits(max_file_size, max_document_size, max_record_size, max_field_chars, regex_timeout)
    if only_catalogs:
        from listcheck.catalog.selection import catalogs_among

        paths = catalogs_among(paths, config, limits)
        if not paths:
            raise typer.Exit(0)  # a commit of package.json alone: nothing to check, nothing to say
    extra_outputs = [_parse_output_format(value) for value in output_formats or []]
    _refuse_clobbering(paths, [output] + [path for _, path in extra_outputs])
    if split_by and output_dir is None:
        raise ListcheckError("--split-by needs --output-dir")
    if scheduler is not None and engine != EngineName.dask:
        raise ListcheckError("--scheduler needs --engine dask")
    if engine == EngineName.dask and jobs != 1:
        raise ListcheckError("--jobs is for --engine local; with --engine dask the cluster's workers do the work")
    if not allow_empty:
        from listcheck.catalog import CATALOG_SUFFIXES, empty_folders

        suffixes = CATALOG_SUFFIXES
        if engine == EngineName.dask:
            from listcheck.distributed import PARQUET_SUFFIXES

            suffixes += PARQUET_SUFFIXES
        for folder in empty_folders(paths, suffixes):
            raise ListcheckError(f"no catalog file ({', '.join(suffixes)}) in this folder; "
                                 "pass --allow-empty to accept a run that checks nothing", path=str(folder))
    # The nearest listcheck.yaml to the catalog (then its parents, up to the root), as linters
    # find theirs next to the files they check.
    anchor = paths[0] if paths[0].is_dir() else paths[0].parent
    cfg = api.load_config(config, search_from=anchor)
    if min_confidence is not None:
        from listcheck.model import Confidence

        cfg = cfg.model_copy(update={"min_confidence": Confidence(min_confidence.value)})
    if max_warnings is not None:
        cfg = cfg.model_copy(update={"max_warnings": max_warnings})
    ruleset = api.load_rules(rules, cfg)
    _unmatched_config_names(ruleset, cfg, strict or cfg.strict)
    if baseline is None:
        baseline = cfg.baseline_path  # the config's `baseline:`, when it names one
    language = lang.value if lang else cfg.lang
    threshold = fail_on.value if fail_on else None
    accepted = None
    if baseline is not None:
        # Read before the catalog: an unusable baseline ends the run before the work, not after.
        from listcheck.baseline import load_baseline

        accepted = load_baseline(baseline, max_bytes=limits.max_document_bytes)
    if fmt.value == "jsonl" and engine == EngineName.local and not (extra_outputs or split_by):
        # Streamed: each finding is written as its product is done; memory stays flat.
        result = _stream_jsonl(api, paths, cfg, ruleset, jobs, threshold, accepted, output, language, limits)
        typer.echo(summary_line(result.report.summary, result.baseline_fixed), err=True)
        raise typer.Exit(gate.exit_code(result.report.summary))
    with _progress() as on_progress:
        if engine == EngineName.dask:
            from listcheck.distributed import check_on_dask

            result = check_on_dask(
                paths, config=cfg, rules=ruleset, scheduler=scheduler, fail_on=threshold, baseline=accepted,
                limits=limits, on_progress=on_progress,
            )
        else:
            result = api.check_run(
                paths, config=cfg, rules=ruleset, jobs=jobs, fail_on=threshold, baseline=accepted, limits=limits,
                on_progress=on_progress,
            )
    # The summary line comes once every report is written, as a streamed run's must: a report
    # that cannot be written ends the run with its one error line and exit 2 instead (a
    # verdict next to an error would read as a finished run). The terminal report on stdout
    # ends with a summary of its own.
    summary = fmt != OutputFormat.terminal or output is not None or bool(extra_outputs)
    try:
        if output is not None or not split_by:  # with --split-by, stdout stays quiet unless asked
            write_report(result.report, fmt.value, output, lang=language, products=result.products)
        for extra_fmt, path in extra_outputs:
            write_report(result.report, extra_fmt, path, lang=language, products=result.products)
        if split_by:
            from listcheck.report.split import write_split

            write_split(result.report, result.products, output_dir, key=split_by,
                        fmt=fmt.value if fmt != OutputFormat.terminal else "json", lang=language,
                        counts=result.counts.get(split_by))
    except BrokenPipeError:
        # `| head`: the run itself is done; its verdict still goes to stderr.
        if summary:
            typer.echo(summary_line(result.report.summary, result.baseline_fixed), err=True)
        raise
    if summary:
        typer.echo(summary_line(result.report.summary, result.baseline_fixed), err=True)
    raise typer.Exit(gate.exit_code(result.report.summary))


def _unmatched_config_names(ruleset, cfg, strict: bool) -> None:
    """Say what in the config matches no rule: a warning line each, or with strict the run's error."""
    from listcheck.config import config_label

    where = config_label(cfg) or "config"
    for problem in ruleset.unmatched:
        if strict:
            raise ListcheckError(f"{where}: {problem} (--strict)")
        typer.echo(f"listcheck: warning: {where}: {problem}", err=True)


def _refuse_clobbering(inputs: list[Path], outputs: list[Optional[Path]]) -> None:
    """A report written over a catalog it checks destroys the catalog (a streamed report is
    opened, and so emptied, before the catalog is read); two reports to one file keep only
    the last. Both are refused before anything is written."""
    written: list[Path] = []
    for output in filter(None, outputs):
        if output.exists() and not output.is_file():
            continue  # /dev/null, a FIFO, a terminal: nothing there to overwrite
        for other in [*inputs, *written]:
            try:
                same = output == other or os.path.samefile(output, other)
            except OSError:  # one of them does not exist (yet)
                same = False
            if same:
                what = "the catalog it checks" if other in inputs else "another report of this run"
                raise ListcheckError(f"the report would overwrite {what}", path=str(output))
        written.append(output)


def _stream_jsonl(api, paths, cfg, ruleset, jobs, threshold, baseline, output, language, limits):
    from listcheck.report.jsonl_format import finding_line
    from listcheck.report.output import discard_stdout, write_error

    try:
        handle = open(output, "wb", buffering=_STREAM_BUFFER) if output is not None else _stdout_bytes()
    except OSError as exc:
        raise write_error(exc, output) from None

    def emit(finding) -> None:
        try:
            handle.write(finding_line(finding, lang=language))
        except BrokenPipeError:
            raise
        except OSError as exc:  # named here: the catalog's own errors come through the same call
            raise _StreamWriteError(exc) from None

    failed: Optional[OSError] = None
    try:
        with _progress() as on_progress:
            result = api.stream_check(
                paths, emit, config=cfg, rules=ruleset, jobs=jobs, fail_on=threshold, baseline=baseline,
                limits=limits, on_progress=on_progress,
            )
    except _StreamWriteError as exc:
        failed = exc.error
    except BaseException:
        _finish(handle, quietly=True)  # the run's own error (or a closed pipe) is the one to tell
        raise
    # Flushed or closed also after a failed write: a buffer left behind would be written (and
    # fail again, with a message of its own) at exit.
    try:
        _finish(handle)
    except BrokenPipeError:
        if failed is None:
            raise
    except OSError as exc:
        failed = failed or exc
    if failed is not None:
        if output is None:
            discard_stdout()
        raise write_error(failed, output) from None
    return result


def _finish(handle, *, quietly: bool = False) -> None:
    """Flush stdout's own buffer, or close the report's file (a file of stdout's descriptor
    leaves the descriptor open); `quietly`: a failure to do so is not told."""
    try:
        if handle is sys.stdout.buffer:
            handle.flush()
        else:
            handle.close()
    except OSError:
        if not quietly:
            raise


class _StreamWriteError(Exception):
    """A streamed report's write failed (the OSError is `error`), as opposed to the run."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


# A streamed report goes out in writes of this size: a finding line is about 2.5 KB.
_STREAM_BUFFER = 1 << 16


def _stdout_bytes():
    """stdout for a streamed report's bytes. Into a pipe or a file, a buffer of our own:
    PYTHONUNBUFFERED (set in many container images) leaves stdout's binary layer unbuffered,
    one write(2) a finding. A terminal, or a stdout that is not a file (a test's capture),
    as it is."""
    sys.stdout.flush()
    if sys.stdout.isatty():
        return sys.stdout.buffer
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        return sys.stdout.buffer
    return open(descriptor, "wb", buffering=_STREAM_BUFFER, closefd=False)


def _parse_output_format(value: str) -> tuple[str, Path]:
    from listcheck.report import FORMATS

    fmt, sep, path = value.partition("=")
    if not sep or not path or fmt not in FORMATS:
        raise ListcheckError(f"--output-format takes FORMAT=PATH with FORMAT one of {', '.join(FORMATS)}; got {value!r}")
    return fmt, Path(path)


class _progress:
    """A progress line on stderr for long runs, only when stderr is a terminal."""

    def __enter__(self):
        self.bar = None
        if not sys.stderr.isatty():
            return None
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(SpinnerColumn(), TextColumn("{task.completed:,} products checked"), TimeElapsedColumn(),
                            transient=True, console=None)
        self.task = self.bar.add_task("check", total=None)
        self.started = False

        def on_progress(count: int) -> None:
            if count >= 2000 and not self.started:
                self.bar.start()
                self.started = True
            if self.started:
                self.bar.update(self.task, completed=count)

        return on_progress

    def __exit__(self, *exc) -> None:
        if self.bar is not None and self.started:
            self.bar.stop()


baseline_app = typer.Typer(help="Record today's findings so CI fails only on new ones.", no_args_is_help=True)
app.add_typer(baseline_app, name="baseline")


@baseline_app.command("create")
def baseline_create(
    paths: list[Path] = typer.Argument(..., help="Catalog files or folders."),
    output: Path = typer.Option(Path("listcheck-baseline.json"), "--output", "-o", help="Baseline file to write."),
    rules: Optional[list[str]] = typer.Option(None, "--rules", "-r", help="Rule packs (default: the config's)."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="listcheck.yaml to use."),
    max_file_size: Optional[str] = _MAX_FILE_SIZE,
    max_document_size: Optional[str] = _MAX_DOCUMENT_SIZE,
    max_record_size: Optional[str] = _MAX_RECORD_SIZE,
    max_field_chars: Optional[str] = _MAX_FIELD_CHARS,
    regex_timeout: Optional[str] = _REGEX_TIMEOUT,
) -> None:
    """Record the active findings of a run as a baseline (use the limits `check` will use)."""
    from listcheck import api, baseline

    limits = _limits(max_file_size, max_document_size, max_record_size, max_field_chars, regex_timeout)
    anchor = paths[0] if paths[0].is_dir() else paths[0].parent
    cfg = api.load_config(config, search_from=anchor)
    result = api.check_run(paths, config=cfg, rules=api.load_rules(rules, cfg), limits=limits)
    data = baseline.create_baseline(result.report)
    baseline.save_baseline(data, output)
    typer.echo(f"wrote {output}: {len(data['findings'])} findings baselined")


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
    from listcheck.rule_examples import run_examples

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


@rules_app.command("validate")
def rules_validate(
    packs: Optional[list[str]] = typer.Argument(None, help="Pack names, files or folders (default: every built-in pack)."),
) -> None:
    """Find rules that can never fire: empty terms, regexes matching everything, unknown fields or categories."""
    from listcheck.ruleset import catalogue
    from listcheck.ruleset.validate import validate_rules

    rules = catalogue.rules_of(packs)
    problems = validate_rules(rules)
    for problem in problems:
        typer.echo(f"{problem.where}: {problem.rule}: {problem.message}")
    typer.echo(f"{len(rules)} rules checked: {len(problems)} problem(s)")
    raise typer.Exit(1 if problems else 0)


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
