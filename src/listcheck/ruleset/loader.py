"""Loading rule packs: built-in ones by name, others by file or folder, with `extends`.

Everything a pack can get wrong is found here, before any product is read, and reported as a
`RulePackError` naming the file, the line and the key.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from pydantic import BaseModel, ValidationError

from listcheck.errors import RulePackError
from listcheck.limits import MAX_REGEX_CHARS, MAX_REGEX_DEPTH, MAX_REGEX_SIZE, MAX_REGEX_TOTAL
from listcheck.checks.registry import get_kind, kind_names
from listcheck.ruleset.schema import PackSpec, RuleSpec
from listcheck.ruleset.documents import builtin_root, load_document
from listcheck.ruleset.lines import PathKey, line_for

PACK_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadedRule:
    spec: RuleSpec
    params: BaseModel
    pack: str
    path: str
    line: Optional[int]


@dataclass
class LoadedPack:
    spec: PackSpec
    path: str
    rules: list[LoadedRule] = field(default_factory=list)


@lru_cache(maxsize=None)
def builtin_packs() -> dict[str, Path]:
    """Pack name -> file. A built-in pack's file is named after the pack (`core.yaml`)."""
    root = builtin_root()
    packs: dict[str, Path] = {}
    for path in sorted(root.rglob("*.yaml")):
        if "vocab" in path.relative_to(root).parts:
            continue
        packs[path.stem] = path
    return packs


@lru_cache(maxsize=None)
def _builtin_files() -> frozenset[Path]:
    return frozenset(builtin_packs().values())


def _format_loc(loc: Iterable[Any]) -> str:
    return ".".join(str(part) for part in loc)


def _validation_message(exc: ValidationError) -> tuple[tuple, str]:
    """The first error of a pydantic ValidationError as (loc, readable message)."""
    error = exc.errors()[0]
    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and "[" in part))
    message = error["msg"]
    if error["type"] == "missing":
        message = "required key is missing"
    elif error["type"] == "extra_forbidden":
        message = "unknown key"
    elif error["type"] == "enum" and "expected" in error.get("ctx", {}):
        message = f"must be one of {error['ctx']['expected']}"
    elif error["type"] == "string_pattern_mismatch" and loc and loc[-1] == "id":
        message = "rule ids look like `pack/name` (lower case, digits, - _ .)"
    return loc, message.removeprefix("Value error, ")


def _parse_pack(path: Path, regex_budget: Optional[list[int]] = None) -> LoadedPack:
    # The built-in packs ship inside listcheck and are tested with it: they come parsed from
    # the wheel, or skip the guard against alias bombs and deep nesting that every other pack
    # passes (a second parse).
    data, lines, as_shipped = load_document(path, RulePackError, builtin=path in _builtin_files())
    if not isinstance(data, dict):
        raise RulePackError("a rule pack is a mapping with `pack`, `title` and `rules`", path=str(path), line=1)
    try:
        pack = PackSpec.model_validate(data)
    except ValidationError as exc:
        loc, message = _validation_message(exc)
        raise RulePackError(message, path=str(path), line=line_for(lines, loc), field=_format_loc(loc)) from None
    loaded = LoadedPack(spec=pack, path=str(path))
    seen: dict[str, int] = {}
    for index, raw in enumerate(pack.rules):
        where: PathKey = ("rules", index)
        rule = _parse_rule(raw, pack, path, lines, where, regex_budget, as_shipped)
        line = line_for(lines, where)
        if rule.spec.id in seen:
            raise RulePackError(
                f"duplicate rule id {rule.spec.id!r} (first defined at line {seen[rule.spec.id]})",
                path=str(path), line=line, field="id",
            )
        seen[rule.spec.id] = line or 0
        loaded.rules.append(rule)
    return loaded


def _parse_rule(
    raw: Any,
    pack: PackSpec,
    path: Path,
    lines: dict,
    where: PathKey,
    regex_budget: Optional[list[int]] = None,
    as_shipped: bool = False,
) -> LoadedRule:
    def fail(message: str, loc: tuple = ()) -> RulePackError:
        return RulePackError(
            message, path=str(path), line=line_for(lines, where + loc),
            field=_format_loc(("rules", where[1]) + loc),
        )

    if not isinstance(raw, dict):
        raise fail("a rule is a mapping with id, kind, category, severity and message")
    merged = dict(raw)
    defaults = pack.defaults
    for key in ("category", "severity", "fields", "references"):
        value = getattr(defaults, key)
        if key not in merged and value is not None:
            merged[key] = value.value if hasattr(value, "value") else value
    if defaults.when is not None:
        # A rule's own `when` narrows the pack's: keys it sets replace the default's, the rest stay.
        own = merged.get("when") if isinstance(merged.get("when"), dict) else {}
        merged["when"] = {**defaults.when.model_dump(exclude_none=True), **own}
    try:
        spec = RuleSpec.model_validate(merged)
    except ValidationError as exc:
        loc, message = _validation_message(exc)
        raise fail(message, loc) from None
    kind = get_kind(spec.kind)
    if kind is None:
        raise fail(f"unknown kind {spec.kind!r} (known: {', '.join(kind_names())})", ("kind",))
    # Before anything compiles them: a regex can exhaust memory (or crash) while compiling.
    for loc, pattern in _regexes(spec.params):
        problem = regex_problem(pattern)
        if problem is not None:
            raise fail(problem, loc)
        if regex_budget is not None:
            # Many rules of merely large patterns add up: bound them all together too.
            regex_budget[0] -= _regex_size(pattern)[0]
            if regex_budget[0] < 0:
                raise fail(
                    f"the rule packs' regular expressions together are too large once their "
                    f"repeats are expanded (over {MAX_REGEX_TOTAL:,} elements)",
                    loc,
                )
    try:
        # A bad regex or an impossible rule stops the run here, at load time. Kinds may leave
        # the regexes of a built-in pack as shipped (read from the wheel's table, so unedited)
        # to be compiled when first used: `listcheck rules validate` compiles every one
        # (tests/test_rules_validate.py, CI).
        params = kind.Params.model_validate(spec.params, context={"as_shipped": as_shipped})
        kind(spec, params)
    except ValidationError as exc:
        loc, message = _validation_message(exc)
        raise fail(message, loc) from None
    except ValueError as exc:
        raise fail(str(exc)) from None
    except (RecursionError, MemoryError, OverflowError) as exc:
        raise fail(f"the rule could not be compiled ({type(exc).__name__}); simplify it") from None
    return LoadedRule(spec=spec, params=params, pack=pack.pack, path=str(path), line=line_for(lines, where))


# Parameters that built-in kinds compile as regular expressions, at any depth (`compare`
# conditions nest under all/any/not).
_REGEX_KEYS = frozenset({"pattern", "matches"})
_QUANTIFIER = re.compile(r"\{([0-9]*)(?:,([0-9]*))?\}")
# A repeat count of more digits than this is over any cap (and `int()` refuses 4,300 digits).
_MAX_COUNT_DIGITS = 9
# Verbose mode (the `x` flag): `regex` then ignores white space and `#` comments outside
# character classes, also inside a repeat (`a{1 000 000}`) and between an item and its repeat.
# Flags that open the pattern (`(?x)`, `(?ix)`) apply to all of it.
_LEADING_FLAGS = re.compile(r"(?:\(\?[a-zA-Z0-9]+\))+")  # (?x), (?ix), (?xV1)
# A flag group that turns verbose mode on or off for part of a pattern: `(?x:…)`, `(?-x)`, or a
# global `(?x)` after the start (which the `regex` module may apply to the whole pattern or
# from there on, by version). Matched anywhere, escaped or in a class too: that only refuses
# more.
_PARTIAL_VERBOSE = re.compile(r"\(\?[a-zA-Z0-9]*(?:-[a-zA-Z0-9]*)?[xX]")
# What would make a verbose pattern's character classes end elsewhere than at their first
# unescaped `]` (a POSIX class, V1's nested sets), and so a `#` look like a comment when it is not.
_VERBOSE_UNSIZED = re.compile(r"\[:|\(\?[a-zA-Z0-9]*V1")
# Escapes that may take a braced argument (\p{Han}, \P{Han}, \x{20AC}, \N{EM DASH}); after any
# other escape a brace starts a repeat (\X{3}, \d{4}).
_BRACED_ESCAPES = frozenset("pPxN")


def _regexes(params: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(params, dict):
        for key, value in params.items():
            if key in _REGEX_KEYS and isinstance(value, str):
                yield loc + (key,), value
            else:
                yield from _regexes(value, loc + (key,))
    elif isinstance(params, list):
        for index, item in enumerate(params):
            yield from _regexes(item, loc + (index,))


def regex_problem(pattern: str) -> Optional[str]:
    """Why a pack's regular expression is refused before it is compiled, or None.

    The `regex` module expands fixed repeats when it compiles: `a{1000000}` costs 270 MB,
    `a{4294967294}` all the memory there is, and `(?:ab|cd){1000000}` crashes the process.
    The pattern's size with its required repeats expanded (counts of nested repeats
    multiply), its length and how deeply its groups nest are bounded far above any real
    pattern.
    A pattern that backtracks catastrophically is not refused here: each search runs with a
    time budget (limits.regex_timeout).

    A verbose pattern is sized as `regex` reads it, without its white space and comments; verbose
    mode must then be on for the whole pattern, from flags at its start.
    """
    if len(pattern) > MAX_REGEX_CHARS:
        return f"the regular expression is {len(pattern):,} characters, over {MAX_REGEX_CHARS:,}"
    leading = _LEADING_FLAGS.match(pattern)
    rest = pattern[leading.end():] if leading else pattern
    if _PARTIAL_VERBOSE.search(rest):
        return (
            "the regular expression turns verbose mode (x) on or off part-way; "
            "put the flag at its start, as (?x)"
        )
    if leading and "x" in leading.group(0).lower():
        if _VERBOSE_UNSIZED.search(pattern):
            return (
                "the regular expression is verbose (x) and uses a POSIX class ([:alpha:]) or "
                "version 1 syntax (V1); drop one of them"
            )
        pattern = _without_verbose_space(pattern)
    size, depth = _regex_size(pattern)
    if depth > MAX_REGEX_DEPTH:
        return f"the regular expression nests groups more than {MAX_REGEX_DEPTH} deep"
    if size > MAX_REGEX_SIZE:
        return (
            "the regular expression is too large once its repeats are expanded (over "
            f"{MAX_REGEX_SIZE:,} elements); use a smaller repeat count, or + or {{1,n}} "
            "instead of {n}"
        )
    return None


def _regex_size(pattern: str) -> tuple[int, int]:
    """(elements with fixed repeats expanded, deepest group nesting): an upper bound."""
    # One frame per open group: [elements so far, elements of the last item].
    frames: list[list[int]] = [[0, 0]]
    depth = 0
    index = 0
    end = len(pattern)
    cap = MAX_REGEX_SIZE * 10  # once over this, the exact figure no longer matters
    while index < end:
        char = pattern[index]
        frame = frames[-1]
        if char == "\\":
            step = 2
            if index + 1 < end and pattern[index + 1] in _BRACED_ESCAPES and pattern.startswith("{", index + 2):
                close = pattern.find("}", index + 2)
                step = (close - index + 1) if close != -1 else 2
            frame[0] += 1
            frame[1] = 1
            index += step
            continue
        if char == "[":
            index = _class_end(pattern, index)
            frame[0] += 1
            frame[1] = 1
            continue
        if pattern.startswith("(?#", index):
            index = _comment_end(pattern, index)  # an inline comment matches nothing
            continue
        if char == "(":
            frames.append([0, 0])
            depth = max(depth, len(frames) - 1)
            index += 1
            continue
        if char == ")" and len(frames) > 1:
            inner = max(frames.pop()[0], 1)
            frame = frames[-1]
            frame[0] = min(frame[0] + inner, cap)
            frame[1] = inner
            index += 1
            continue
        if char == "{":
            found = _QUANTIFIER.match(pattern, index)
            if found is not None and (found.group(1) or found.group(2)):
                # The compiler expands the required part of a repeat; the optional part of
                # {m,n} stays a loop (a{0,1000000} compiles small).
                digits = found.group(1) or "0"
                count = cap if len(digits) > _MAX_COUNT_DIGITS else min(int(digits), cap)
                frame[0] = min(frame[0] + frame[1] * max(count - 1, 0), cap)
                frame[1] = min(frame[1] * count, cap)
                index = found.end()
                continue
        frame[0] += 1
        frame[1] = 1
        index += 1
    while len(frames) > 1:  # unbalanced: the compiler will say so
        inner = frames.pop()[0]
        frames[-1][0] += inner
    return min(frames[0][0], cap), depth


def _without_verbose_space(pattern: str) -> str:
    """A verbose pattern without the white space and comments (`#…`, `(?#…)`) that `regex`
    ignores in it (outside character classes; an escaped space or `#` is kept)."""
    kept: list[str] = []
    index = 0
    end = len(pattern)
    while index < end:
        char = pattern[index]
        if char == "\\":
            kept.append(pattern[index:index + 2])
            index += 2
        elif pattern.startswith("(?#", index):
            index = _comment_end(pattern, index)
        elif char == "[":
            close = _class_end(pattern, index)
            kept.append(pattern[index:close])
            index = close
        elif char == "#":
            newline = pattern.find("\n", index)
            index = end if newline == -1 else newline + 1
        elif char.isspace():
            index += 1
        else:
            kept.append(char)
            index += 1
    return "".join(kept)


def _comment_end(pattern: str, start: int) -> int:
    """The index after the inline comment `(?#…)` that starts at `start`: its first unescaped `)`."""
    index = start + 3
    end = len(pattern)
    while index < end:
        if pattern[index] == "\\":
            index += 2
        elif pattern[index] == ")":
            return index + 1
        else:
            index += 1
    return end


def _class_end(pattern: str, start: int) -> int:
    """The index after the character class that starts at `start`.

    It ends at the first `]` that is neither escaped nor leading. A nested set of the regex
    module's V1 syntax ends early that way, and the rest is counted as literals: the size can
    only come out too large, never too small.
    """
    index = start + 1
    if pattern.startswith("^", index):
        index += 1
    if pattern.startswith("]", index):
        index += 1  # a leading ] is a literal
    end = len(pattern)
    while index < end:
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "]":
            return index + 1
        index += 1
    return end


class PackResolver:
    """Resolves pack references and `extends` chains; each pack is read once."""

    def __init__(self) -> None:
        self._by_path: dict[Path, LoadedPack] = {}
        self.order: list[LoadedPack] = []
        self._regex_budget = [MAX_REGEX_TOTAL]

    def resolve(self, ref: str, base: Optional[Path] = None, _chain: tuple[str, ...] = ()) -> list[LoadedPack]:
        paths = self._locate(ref, base)
        loaded: list[LoadedPack] = []
        for path in paths:
            key = path.resolve()
            if key in _chain:
                cycle = " -> ".join(Path(p).name for p in _chain + (key,))
                raise RulePackError(f"`extends` forms a cycle: {cycle}", path=str(path))
            if key in self._by_path:
                continue
            pack = _parse_pack(path, self._regex_budget)
            for parent in pack.spec.extends:
                self.resolve(parent, path.parent, _chain + (key,))
            self._by_path[key] = pack
            self.order.append(pack)
            loaded.append(pack)
        return loaded

    @staticmethod
    def _locate(ref: str, base: Optional[Path]) -> list[Path]:
        candidate = Path(ref)
        if not candidate.is_absolute() and base is not None:
            relative = base / candidate
            if relative.exists():
                candidate = relative
        if candidate.is_dir():
            found = _pack_files(candidate)
            if not found:
                raise RulePackError("no rule packs (*.yaml) in this folder", path=str(candidate))
            return found
        if candidate.is_file():
            return [candidate]
        builtin = builtin_packs().get(ref)
        if builtin is not None:
            return [builtin]
        if candidate.exists():  # a FIFO or a device is never opened (it could block, or never end)
            raise RulePackError("not a regular file", path=ref)
        if candidate.suffix in PACK_SUFFIXES or "/" in ref:
            raise RulePackError("rule pack file not found", path=ref)
        known = ", ".join(sorted(builtin_packs()))
        raise RulePackError(f"unknown rule pack {ref!r} (built-in packs: {known})")


# A folder of packs holds a few dozen files; `--rules /` (or a config's `rules: [/]`) would
# otherwise walk the whole file system.
MAX_FOLDER_ENTRIES = 100_000


def _pack_files(folder: Path) -> list[Path]:
    """The *.yaml / *.yml files under `folder`, sorted; symbolic links to folders are not
    followed (no loops), and a folder with more than MAX_FOLDER_ENTRIES entries is refused."""
    found: list[Path] = []
    seen = 0

    def unreadable(error: OSError) -> None:
        raise RulePackError(f"cannot read the folder: {error.strerror or error}", path=error.filename or str(folder))

    for here, subfolders, names in os.walk(folder, onerror=unreadable):
        seen += len(subfolders) + len(names)
        if seen > MAX_FOLDER_ENTRIES:
            raise RulePackError(
                f"more than {MAX_FOLDER_ENTRIES:,} files and folders under this folder; point "
                "--rules (or `rules:`) at the folder that holds the packs",
                path=str(folder),
            )
        for name in names:
            if os.path.splitext(name)[1] in PACK_SUFFIXES:
                path = Path(here) / name
                if path.is_file():
                    found.append(path)
    return sorted(found)


def load_packs(refs: Iterable[str], base: Optional[Path] = None) -> list[LoadedPack]:
    """Every pack the references name, parents before children, each once."""
    resolver = PackResolver()
    for ref in refs:
        resolver.resolve(ref, base)
    return resolver.order


def collect_rules(packs: list[LoadedPack]) -> list[LoadedRule]:
    """The rules of all packs in order; a rule redefined by a later pack replaces the earlier."""
    rules: dict[str, LoadedRule] = {}
    for pack in packs:
        for rule in pack.rules:
            rules.pop(rule.spec.id, None)
            rules[rule.spec.id] = rule
    return list(rules.values())
