"""`listcheck.yaml`: which packs run, how their findings are tuned, how catalogs are read.

    extends: [recommended]              # packs by name or path
    rules: [house-rules.yaml, packs/]   # local pack files or folders, relative to this file
    severity: {"core/title-too-long*": warning}
    disable: [core/description-present]
    ignore:
      - {sku: "TM-10*", rule: "core/*", reason: "legacy listings, cleaned up in Q3"}
    mapping: {商品编码: sku, 商品标题: title}
    fail_on: warning
    lang: zh
    min_confidence: medium              # high | medium | low: how firmly a mismatch must be bound
    catalogs: ["catalog/**/*.csv"]      # which files are catalogs (globs, relative to this file)
    baseline: listcheck-baseline.json   # accepted findings (relative to this file)

Found in the working directory or a parent, or given with `--config`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from listcheck.errors import ConfigError
from listcheck.model import Confidence, Severity
from listcheck.ruleset.documents import line_for, load_document

CONFIG_NAMES = ("listcheck.yaml", ".listcheck.yaml")
DEFAULT_PACKS = ["recommended"]

FailOn = Literal["error", "warning", "info", "never"]


# A day as YAML and ISO 8601 write it; Python's fromisoformat also takes 20261231 and 2026-W01.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def expiry_date(value: Any) -> Optional[dt.date]:
    """The `expires:` of a suppression (the config's or a product's own) as a date, None when
    absent; ValueError saying what is wrong otherwise. One reading for both, so a value the
    config refuses is never a product's suppression that silently never expires."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # YAML reads `2026-12-31 18:00` as a timestamp: its day
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (bool, int, float)):
        # pydantic would read a number as seconds since 1970: `expires: 86400` would be
        # 1970-01-02, a suppression silently expired long ago.
        raise ValueError(f"expires is a date written YYYY-MM-DD, not the number {value!r}")
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DAY.fullmatch(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"expires {value!r} is not a day of the calendar") from None
        raise ValueError(f"expires is a date written YYYY-MM-DD, not {value!r}")
    raise ValueError(f"expires is a date written YYYY-MM-DD, not {type(value).__name__}")


class IgnoreEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = "*"
    rule: str = "*"
    reason: Optional[str] = None
    expires: Optional[dt.date] = None

    @field_validator("expires", mode="before")
    @classmethod
    def _a_day(cls, value: Any) -> Any:
        return expiry_date(value)


def _relative_glob(glob: str) -> str:
    if not glob.strip():
        raise ValueError("a catalogs glob is empty")
    if Path(glob).is_absolute() or ".." in Path(glob).parts:
        raise ValueError(f"catalogs globs are relative to listcheck.yaml and stay under its folder, not {glob!r}")
    return glob


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    extends: list[str] = Field(default_factory=lambda: list(DEFAULT_PACKS))
    rules: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    disable: list[str] = Field(default_factory=list)
    ignore: list[IgnoreEntry] = Field(default_factory=list)
    mapping: dict[str, str] = Field(default_factory=dict)
    fail_on: FailOn = "error"
    # A rule name or glob that matches no rule is an error (exit 2), not a warning (--strict).
    strict: bool = False
    # Also fail when there are more active warnings than this (--max-warnings overrides it).
    max_warnings: Optional[int] = Field(default=None, ge=0)
    lang: Literal["en", "zh"] = "en"
    # Spec-mismatch findings bound less firmly than this are not reported: `medium` leaves out
    # the guesses (a number read as the attribute's with no cue and other numbers beside it).
    min_confidence: Confidence = Confidence.medium
    # Which files are catalogs, as globs relative to this file (`*` within a folder, `**` across
    # folders): what the pre-commit hook (`check --only-catalogs`) checks of the files it is given.
    # Each glob checked on its own, so an error names its entry (catalogs.0) and its line.
    catalogs: list[Annotated[str, AfterValidator(_relative_glob)]] = Field(default_factory=list)
    # The baseline `check` applies when --baseline is not given, relative to this file.
    baseline: Optional[str] = None

    # Where the file was; relative pack paths resolve against it.
    base_dir: Optional[Path] = Field(default=None, exclude=True)
    path: Optional[Path] = Field(default=None, exclude=True)

    @field_validator("extends", "rules", "disable", "catalogs", mode="before")
    @classmethod
    def _listify(cls, value):
        return [value] if isinstance(value, str) else value

    @field_validator("baseline")
    @classmethod
    def _a_file_name(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not value.strip():
            raise ValueError("baseline is the path of a baseline file (listcheck baseline create), not empty")
        return value

    @property
    def baseline_path(self) -> Optional[Path]:
        """The config's `baseline:` resolved against the config's folder, or None."""
        if self.baseline is None:
            return None
        return (self.base_dir or Path.cwd()) / self.baseline

    def names_as_catalog(self, path: Path) -> bool:
        """Does a `catalogs:` glob match `path` (taken relative to this config's folder)?"""
        try:
            relative = path.resolve().relative_to((self.base_dir or Path.cwd()).resolve()).as_posix()
        except ValueError:
            return False  # outside the config's folder: not one of its catalogs
        return any(glob_pattern(glob).fullmatch(relative) for glob in self.catalogs)


def glob_pattern(glob: str) -> "re.Pattern[str]":
    """A path glob as a regex over posix paths: `*` and `?` stay within a folder, `**/` is any
    number of folders, `**` anything, `[...]` a class."""
    out, index = [], 0
    while index < len(glob):
        char = glob[index]
        if glob.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if glob.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in glob[index + 1:]:
            end = glob.index("]", index + 1)
            body = glob[index + 1:end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            index = end
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out))


def find_config(start: Path) -> Optional[Path]:
    """listcheck.yaml in `start` or the nearest parent that has one."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def config_label(config: Config) -> Optional[str]:
    """How a report names the config a run used: its path relative to the working folder when
    under it (no local absolute path in a report sent to a supplier), else as found; None for
    the defaults."""
    if config.path is None:
        return None
    try:
        return Path(config.path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(config.path)


def load_config(path: Optional[Path] = None, *, search_from: Optional[Path] = None) -> Config:
    """The config at `path`, else the nearest to `search_from` (it or a parent), else the
    nearest to the working folder, else the defaults."""
    if path is None and search_from is not None:
        path = find_config(search_from) or find_config(Path.cwd())
    if path is None:
        return Config()
    if not path.is_file():
        # A FIFO or a device is never opened (it could block, or never end).
        raise ConfigError("not a regular file" if path.exists() else "config file not found", path=str(path))
    data, lines, _ = load_document(path, ConfigError)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("listcheck.yaml must be a mapping", path=str(path), line=1)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        # A validator's own ValueError is already a sentence; pydantic prefixes "Value error, ".
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"].removeprefix("Value error, ")
        raise ConfigError(
            message, path=str(path), line=line_for(lines, loc), field=".".join(map(str, loc))
        ) from None
    config.base_dir = path.parent
    config.path = path
    return config
