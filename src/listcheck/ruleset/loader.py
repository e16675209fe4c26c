"""Loading rule packs: built-in ones by name, others by file or folder, with `extends`.

Everything a pack can get wrong is found here, before any product is read, and reported as a
`RulePackError` naming the file, the line and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Optional

from pydantic import BaseModel, ValidationError

from listcheck.errors import RulePackError
from listcheck.ruleset.registry import get_kind, kind_names
from listcheck.ruleset.schema import PackSpec, RuleSpec
from listcheck.ruleset.yaml_lines import PathKey, line_for, load_yaml_with_lines

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


def builtin_root() -> Path:
    return Path(str(resources.files("listcheck.rules")))


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


def _parse_pack(path: Path) -> LoadedPack:
    data, lines = load_yaml_with_lines(path, RulePackError)
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
        rule = _parse_rule(raw, pack, path, lines, where)
        line = line_for(lines, where)
        if rule.spec.id in seen:
            raise RulePackError(
                f"duplicate rule id {rule.spec.id!r} (first defined at line {seen[rule.spec.id]})",
                path=str(path), line=line, field="id",
            )
        seen[rule.spec.id] = line or 0
        loaded.rules.append(rule)
    return loaded


def _parse_rule(raw: Any, pack: PackSpec, path: Path, lines: dict, where: PathKey) -> LoadedRule:
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
    try:
        params = kind.Params.model_validate(spec.params)
        # Compile once here so a bad regex or an impossible rule stops the run at load time.
        kind(spec, params)
    except ValidationError as exc:
        loc, message = _validation_message(exc)
        raise fail(message, loc) from None
    except ValueError as exc:
        raise fail(str(exc)) from None
    return LoadedRule(spec=spec, params=params, pack=pack.pack, path=str(path), line=line_for(lines, where))


class PackResolver:
    """Resolves pack references and `extends` chains; each pack is read once."""

    def __init__(self) -> None:
        self._by_path: dict[Path, LoadedPack] = {}
        self.order: list[LoadedPack] = []

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
            pack = _parse_pack(path)
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
            found = sorted(p for p in candidate.rglob("*") if p.suffix in PACK_SUFFIXES and p.is_file())
            if not found:
                raise RulePackError("no rule packs (*.yaml) in this folder", path=str(candidate))
            return found
        if candidate.is_file():
            return [candidate]
        builtin = builtin_packs().get(ref)
        if builtin is not None:
            return [builtin]
        if candidate.suffix in PACK_SUFFIXES or "/" in ref:
            raise RulePackError("rule pack file not found", path=ref)
        known = ", ".join(sorted(builtin_packs()))
        raise RulePackError(f"unknown rule pack {ref!r} (built-in packs: {known})")


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
