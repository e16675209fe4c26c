"""`listcheck rules validate`: no silent no-op rules.

A rule that loads can still never fire (or fire on everything): a regex that matches the empty
string, a `when` naming a field, category, platform or market no catalog has, `fields` that no
product carries, or no `invalid` example proving it fires at all. Each is reported with the
rule's file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import regex

from listcheck.checks.base import MESSAGE_VALUES
from listcheck.checks.registry import get_kind
from listcheck.errors import ListcheckError
from listcheck.model import Product, ReturnPolicy
from listcheck.ruleset.loader import LoadedRule
from listcheck.ruleset.yaml_lines import comments_cutting_text, read_yaml_text
from listcheck.ruleset.when import CANONICAL_ROOTS, UNKNOWN_MARKET, _categories, _markets
from listcheck.text.fields import is_index

KNOWN_PLATFORMS = frozenset(
    "tmall taobao jd douyin pinduoduo xiaohongshu kuaishou amazon ebay walmart shopee lazada "
    "tiktok aliexpress temu flipkart etsy shopify".split()
)
# ISO 3166-1 alpha-2 codes are two capital letters; groups (EU) come from rules/vocab/markets.yaml.
_MARKET = regex.compile(r"^[A-Z]{2}$")
# A {placeholder} in a message, as engine.format_message reads it.
_PLACEHOLDER = regex.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Open roots of a product: any key below them is a field some catalog may carry.
OPEN_ROOTS = ("spec", "listcheck")


@dataclass
class Problem:
    rule: str
    where: str
    message: str


def _field_known(path: str) -> bool:
    root, _, rest = path.partition(".")
    if root in OPEN_ROOTS:
        return bool(rest) or root == "spec"
    if root == "return_policy":
        # return_policy keeps unknown keys (extra="allow"), but its documented ones come first.
        return not rest or rest.split(".")[0] in ReturnPolicy.model_fields or rest.isidentifier()
    return root in Product.model_fields and (not rest or root == "bullets" and is_index(rest))


def _paths_in_condition(condition: dict) -> Iterable[str]:
    if not isinstance(condition, dict):
        return
    if isinstance(condition.get("field"), str):
        yield condition["field"]
    for key in ("all", "any"):
        for sub in condition.get(key) or []:
            yield from _paths_in_condition(sub)
    for key in ("not",):
        if isinstance(condition.get(key), dict):
            yield from _paths_in_condition(condition[key])
    for value in condition.values():
        if isinstance(value, dict) and isinstance(value.get("field"), str) and "field" in value and len(value) == 1:
            yield value["field"]


def _regexes(rule: LoadedRule) -> Iterable[str]:
    params = rule.params.model_dump(by_alias=True)
    if rule.spec.kind == "pattern":
        yield params["pattern"]
    stack = [params.get("require")] if rule.spec.kind == "compare" else []
    while stack:
        condition = stack.pop()
        if not isinstance(condition, dict):
            continue
        if isinstance(condition.get("matches"), str):
            yield condition["matches"]
        stack.extend(condition.get("all") or [])
        stack.extend(condition.get("any") or [])
        if isinstance(condition.get("not"), dict):
            stack.append(condition["not"])


def validate_rules(rules: Sequence[LoadedRule]) -> list[Problem]:
    problems: list[Problem] = []
    categories = set(CANONICAL_ROOTS)
    groups = set(_markets().get("groups", {}))
    aliases = set(_categories().get("aliases", {}))
    for rule in rules:
        where = f"{rule.path}:{rule.line}" if rule.line else rule.path

        def report(message: str) -> None:
            problems.append(Problem(rule.spec.id, where, message))

        for pattern in _regexes(rule):
            try:
                if regex.compile(pattern).search("", timeout=0.5) is not None:
                    report(f"regex {pattern!r} matches the empty string, so it matches every text")
            except (regex.error, TimeoutError) as exc:
                report(f"regex {pattern!r} cannot be used: {exc}")
        when = rule.spec.when
        if when is not None:
            for name in (when.category or []) + (when.not_category or []):
                root = name.strip("/").split("/")[0].lower()
                if root not in categories and name.casefold() not in aliases:
                    report(f"`when` names the unknown category {name!r} (roots: {', '.join(sorted(categories))})")
            for name in (when.platform or []) + (when.not_platform or []):
                if name.lower() not in KNOWN_PLATFORMS:
                    report(f"`when` names the unknown platform {name!r}")
            for name in (when.market or []) + (when.not_market or []):
                if not _MARKET.match(name.upper()) and name.upper() not in groups and name.upper() != UNKNOWN_MARKET:
                    report(f"`when` names the unknown market {name!r} (ISO country codes or {', '.join(sorted(groups))})")
            for path in (when.present or []) + (when.absent or []) + list((when.values or {}).keys()):
                if not _field_known(path):
                    report(f"`when` names the field {path!r}, which no product has")
        for path in rule.spec.fields or []:
            if not _field_known(path):
                report(f"`fields` names {path!r}, which no product has")
        if rule.spec.kind == "compare":
            for path in _paths_in_condition(rule.params.model_dump(by_alias=True).get("require") or {}):
                if not _field_known(path):
                    report(f"`require` reads the field {path!r}, which no product has")
        known = set(MESSAGE_VALUES) | set(getattr(get_kind(rule.spec.kind), "message_values", ()))
        messages = [rule.spec.message] if isinstance(rule.spec.message, str) else [
            text for text in (rule.spec.message.en, rule.spec.message.zh) if text]
        for name in sorted({name for text in messages for name in _PLACEHOLDER.findall(text)} - known):
            report(f"the message names {{{name}}}, which no finding of a {rule.spec.kind} rule fills "
                   f"(it would be printed as written); known: {', '.join(sorted(known))}")
        if not rule.spec.examples.invalid:
            report("no `examples.invalid`: nothing proves the rule can fire")
    problems.extend(_text_cut_by_comments(rules))
    return problems


def _text_cut_by_comments(rules: Sequence[LoadedRule]) -> list[Problem]:
    """An unquoted value cut short by what YAML reads as a comment (` #1 seller`), in each
    pack file the rules come from, named by its file and line and the rule it is in."""
    problems: list[Problem] = []
    by_path: dict[str, list[LoadedRule]] = {}
    for rule in rules:
        by_path.setdefault(rule.path, []).append(rule)
    for path, in_file in by_path.items():
        try:
            text = read_yaml_text(Path(path), ListcheckError)
        except ListcheckError:
            continue  # it loaded, so it was readable; a file gone since is not this check's to say
        starts = sorted((rule.line or 0, rule.spec.id) for rule in in_file)
        for line, value, comment in comments_cutting_text(text):
            owner = [rule_id for start, rule_id in starts if start <= line]
            problems.append(Problem(
                owner[-1] if owner else in_file[0].pack, f"{path}:{line}",
                f"YAML reads the value as {value!r} and drops {comment!r} as a comment; "
                "quote the whole text (a comment needs a space after '#')",
            ))
    return problems
