"""`compare`: a structured condition on fields that must hold; a finding when it does not.

    - id: cn-returns/seven-days
      kind: compare
      category: return-policy
      severity: error
      require: {field: return_policy.no_reason_days, gte: 7}
      message: {en: "Offers {found} days of no-reason return; the law requires {expected}",
                zh: "七天无理由退货仅 {found} 天，法定为 {expected}"}

    FAIL: {return_policy: {no_reason_days: 3}}    PASS: {return_policy: {no_reason_days: 7}}

A condition is `{field: PATH, OP: VALUE}` with OP one of gte, lte, gt, lt, eq, ne, in, not_in,
contains (a list holds the value, a text contains it), matches, exists, max_length, min_length; VALUE may be `{field: OTHER_PATH}` to compare two
fields. Conditions compose with `all: [...]`, `any: [...]` and `not: {...}`. It is data, never
`eval`. A comparison on a field the product does not have holds (no finding): presence is
what `required` or `exists: true` is for; so does an order comparison on a value that is no
usable number (text, infinity, NaN, an integer too large for any float).

`matches` patterns come from third-party packs: like `pattern`, each search reads the field up
to `limits.max_field_chars` and gets `limits.regex_timeout` seconds; a search that runs out
stops the rule for that product with an `input/rule-timeout` warning naming the field.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterator, Optional, Union

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from listcheck.checks.base import CheckKind, CheckTimeout, Hit
from listcheck.findings import format_value
from listcheck.limits import DEFAULT_LIMITS, Limits
from listcheck.model import Product
from listcheck.text import required_chars
from listcheck.text.fields import MISSING, get_path, is_empty

_ORDER_OPS = {
    "gte": (lambda a, b: a >= b, ">="),
    "lte": (lambda a, b: a <= b, "<="),
    "gt": (lambda a, b: a > b, ">"),
    "lt": (lambda a, b: a < b, "<"),
}
_LEAF_OPS = set(_ORDER_OPS) | {
    "eq", "ne", "in", "not_in", "contains", "matches", "exists", "max_length", "min_length"
}


class FieldRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    field: Optional[str] = None
    gte: Union[FieldRef, float, None] = None
    lte: Union[FieldRef, float, None] = None
    gt: Union[FieldRef, float, None] = None
    lt: Union[FieldRef, float, None] = None
    eq: Union[FieldRef, Any, None] = None
    ne: Union[FieldRef, Any, None] = None
    in_: Optional[list[Any]] = Field(default=None, alias="in")
    not_in: Optional[list[Any]] = None
    # A list field holds the value (any of a list of values); a text field contains it.
    contains: Union[str, list[str], None] = None
    matches: Optional[str] = None
    exists: Optional[bool] = None
    max_length: Optional[int] = Field(default=None, ge=0)
    min_length: Optional[int] = Field(default=None, ge=0)
    all: Optional[list["Condition"]] = None
    any: Optional[list["Condition"]] = None
    not_: Optional["Condition"] = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_shape(self, info: ValidationInfo) -> "Condition":
        ops = [name for name in _LEAF_OPS if getattr(self, "in_" if name == "in" else name) is not None]
        groups = [name for name in ("all", "any", "not_") if getattr(self, name) is not None]
        if groups and (ops or self.field):
            raise ValueError("a condition is either {field, op} or one of all/any/not, not both")
        if len(groups) > 1:
            raise ValueError("use one of all/any/not per condition; nest them for more")
        if not groups:
            if not self.field:
                raise ValueError("a condition needs `field` (or all/any/not)")
            if len(ops) != 1:
                raise ValueError(f"a condition needs exactly one operator of {sorted(_LEAF_OPS)}")
        # A built-in pack as shipped has its patterns compiled by `listcheck rules validate`
        # and when first searched: compiling all 170 here cost a one-product run 15 ms.
        if self.matches is not None and not (info.context or {}).get("as_shipped"):
            try:
                regex.compile(self.matches)
            except regex.error as exc:
                raise ValueError(f"matches: invalid regular expression: {exc}") from None
        return self

    def operator(self) -> tuple[str, Any]:
        for name in _LEAF_OPS:
            value = getattr(self, "in_" if name == "in" else name)
            if value is not None:
                return name, value
        raise AssertionError("validated condition without operator")


class CompareParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    require: Condition


class _Failure:
    """The first failing leaf of a condition (a plain object: most conditions fail somewhere
    on most products, so this is made often)."""

    __slots__ = ("field", "found", "expected", "matched")

    def __init__(self, field: str, found: Any, expected: Any, matched: Any = None) -> None:
        self.field, self.found, self.expected = field, found, expected
        # For a `not: {matches: ...}` that failed: the regex match that made it fail.
        self.matched = matched


def _first_match(node: "_Node", product: Product) -> Optional[tuple[str, str, Any]]:
    """(field, text, match) of the first `matches` leaf under `node` whose pattern matches."""
    if node.cond.matches is not None and node.field:
        value = get_path(product, node.field)
        if isinstance(value, str):
            found = _search(node, value)
            if found:
                return node.field, value, found
        return None
    for sub in (node.all or []) + (node.any or []) + ([node.not_] if node.not_ else []):
        found = _first_match(sub, product)
        if found:
            return found
    return None


def _search(node: "_Node", text: str) -> Any:
    """The node's regex searched in `text` (up to max_field_chars), within the time budget."""
    text = text[: node.limits.max_field_chars]
    compiled = node.regex or node.compile()
    if node.gate is not None and node.gate(text) is None:
        return None  # none of the characters every match needs: the regex cannot match
    try:
        return compiled.search(text, timeout=node.limits.regex_timeout)
    except TimeoutError:
        raise CheckTimeout(node.field or "") from None


def _number(value: Any) -> Optional[float]:
    """A finite float, or None: booleans, non-numeric text, infinity, NaN and integers too
    large for any float (10**400 from `api.check_records`) are no usable number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            return None
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _same(a: Any, b: Any) -> bool:
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na == nb
    return str(a).strip().casefold() == str(b).strip().casefold()


_HOLDS, _NOT_APPLICABLE = "holds", "n/a"


class _Node:
    """A condition compiled for speed: plain attributes, the operator and regex resolved once."""

    __slots__ = ("cond", "field", "op", "target", "regex", "gate", "limits", "all", "any", "not_")

    def __init__(self, cond: Condition, limits: Limits = DEFAULT_LIMITS) -> None:
        self.cond = cond
        self.field = cond.field
        self.limits = limits
        self.all = [_Node(sub, limits) for sub in cond.all] if cond.all is not None else None
        self.any = [_Node(sub, limits) for sub in cond.any] if cond.any is not None else None
        self.not_ = _Node(cond.not_, limits) if cond.not_ is not None else None
        self.op, self.target = cond.operator() if cond.field else (None, None)
        # Compiled when first searched (`_search`): many rules never run on a given catalog.
        self.regex: Optional[regex.Pattern] = None
        self.gate: Optional[required_chars.Gate] = None

    def compile(self) -> regex.Pattern:
        assert self.cond.matches is not None
        self.gate = required_chars.gate(self.cond.matches)
        self.regex = regex.compile(self.cond.matches)
        return self.regex


Outcome = Union[str, _Failure]


def compile_condition(node: _Node) -> Callable[[Product], Outcome]:
    """The condition as a function of a product: _HOLDS, _NOT_APPLICABLE (a field it needs is
    missing) or the first failing leaf.

    Not-applicable is never a finding, not even under `not`: "when in doubt, no finding".
    Compiled to nested closures once per rule, so a product walks no tree of nodes.
    """
    if node.all is not None:
        parts = [compile_condition(sub) for sub in node.all]

        def all_of(product: Product) -> Outcome:
            outcome: Outcome = _HOLDS
            for part in parts:
                result = part(product)
                if result is _NOT_APPLICABLE:
                    outcome = _NOT_APPLICABLE
                elif result is not _HOLDS:
                    return result
            return outcome

        return all_of
    if node.any is not None:
        parts = [compile_condition(sub) for sub in node.any]

        def any_of(product: Product) -> Outcome:
            first_failure: Optional[_Failure] = None
            for part in parts:
                result = part(product)
                if result is _HOLDS:
                    return _HOLDS
                if first_failure is None and result is not _NOT_APPLICABLE:
                    first_failure = result  # type: ignore[assignment]
            return first_failure or _NOT_APPLICABLE

        return any_of
    if node.not_ is not None:
        negated = node.not_
        inner = compile_condition(negated)

        def not_of(product: Product) -> Outcome:
            result = inner(product)
            if result is _HOLDS:
                matched = _first_match(negated, product)
                field = matched[0] if matched else negated.field
                value = get_path(product, field) if field else MISSING
                return _Failure(field or "", None if value is MISSING else value,
                                lambda: "not " + _describe(negated.cond), matched)
            return _NOT_APPLICABLE if result is _NOT_APPLICABLE else _HOLDS

        return not_of
    return _compile_leaf(node)


def _compile_leaf(node: _Node) -> Callable[[Product], Outcome]:
    field, op, target, cond = node.field, node.op, node.target, node.cond
    assert field is not None and op is not None  # validated: a leaf has a field and an op

    # Most leaves fail on most products (a claim that is not there), and the failure's
    # description is rarely shown: one describer made here, not a new lambda per failure.
    def describe() -> str:
        return _describe(cond)

    if op == "exists":

        def exists(product: Product) -> Outcome:
            value = get_path(product, field)
            if is_empty(value) == target:
                return _Failure(field, None if value is MISSING else value, describe)
            return _HOLDS

        return exists
    if op == "matches":

        def matches(product: Product) -> Outcome:
            value = get_path(product, field)
            if value is MISSING:
                return _NOT_APPLICABLE
            if _search(node, str(value)) is not None:
                return _HOLDS
            return _Failure(field, value, describe)

        return matches
    if not isinstance(target, FieldRef):
        test = _test_for(op, target)  # a constant target: its share of the work done once

        def compare(product: Product) -> Outcome:
            value = get_path(product, field)
            if value is MISSING:
                return _NOT_APPLICABLE
            return _HOLDS if test(value) else _Failure(field, value, describe)

        return compare
    reference = target.field

    def compare_fields(product: Product) -> Outcome:
        value = get_path(product, field)
        if value is MISSING:
            return _NOT_APPLICABLE
        resolved = get_path(product, reference)
        if resolved is MISSING:
            return _NOT_APPLICABLE
        if _apply(op, value, resolved):
            return _HOLDS
        return _Failure(field, value, lambda: _describe(cond, resolved))

    return compare_fields


def _test_for(op: str, target: Any) -> Callable[[Any], bool]:
    """The test of a leaf's operator other than `exists` and `matches` (those have closures of
    their own) against `target`, with the target's share of the work (its number, its
    normalised texts) done once: once per rule for a constant target."""
    if op in _ORDER_OPS:
        order, b = _ORDER_OPS[op][0], _number(target)

        def ordered(value: Any) -> bool:
            a = _number(value)
            return True if a is None or b is None else order(a, b)  # not comparable: no claim

        return ordered
    if op == "contains":
        wanted = [target] if isinstance(target, str) else target
        as_items = [str(w).strip().casefold() for w in wanted]
        as_texts = [str(w).casefold() for w in wanted]

        def contains(value: Any) -> bool:
            if isinstance(value, list):
                return not {str(item).strip().casefold() for item in value}.isdisjoint(as_items)
            if not as_texts:
                return False  # an empty list is in no text
            text = str(value).casefold()
            return any(w in text for w in as_texts)

        return contains
    if op == "eq":
        return lambda value: _same(value, target)
    if op == "ne":
        return lambda value: not _same(value, target)
    if op == "in":
        return lambda value: any(_same(value, item) for item in target)
    if op == "not_in":
        return lambda value: not any(_same(value, item) for item in target)
    if op == "max_length":
        return lambda value: len(str(value)) <= target
    if op == "min_length":
        return lambda value: len(str(value)) >= target
    raise AssertionError(op)


def _apply(op: str, value: Any, target: Any) -> bool:
    """`value` against a target known only per product (`{field: OTHER}`)."""
    return _test_for(op, target)(value)


def _describe(cond: Condition, resolved: Any = None) -> str:
    if cond.all is not None or cond.any is not None:
        joiner = " and " if cond.all is not None else " or "
        parts = [f"{sub.field} {_describe(sub)}" if sub.field else _describe(sub) for sub in (cond.all or cond.any or [])]
        return "(" + joiner.join(parts) + ")"
    if cond.not_ is not None:
        return "not " + _describe(cond.not_)
    op, target = cond.operator()
    if isinstance(target, FieldRef):
        target = resolved if resolved is not None else f"{{{target.field}}}"
    symbols = {"eq": "=", "ne": "≠", "in": "one of", "not_in": "none of", "contains": "containing",
               "matches": "matching",
               "max_length": "length ≤", "min_length": "length ≥"}
    if op == "exists":
        return "present" if target else "absent"
    symbol = _ORDER_OPS[op][1] if op in _ORDER_OPS else symbols[op]
    return f"{symbol} {format_value(target)}"  # = true, one of a, b: as every report writes values


class CompareKind(CheckKind):
    name = "compare"
    Params = CompareParams
    message_values = ("value", "length")
    default_fields = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        params: CompareParams = self.params  # type: ignore[assignment]
        self.condition = compile_condition(_Node(params.require, self.limits))

    def check(self, product: Product) -> Iterator[Hit]:
        failure = self.condition(product)  # CheckTimeout when a `matches` runs out
        if not isinstance(failure, _Failure):
            return
        expected = failure.expected() if callable(failure.expected) else failure.expected
        if failure.matched is not None:
            field, text, found_match = failure.matched
            yield Hit(
                field=field, match=found_match.group(0), start=found_match.start(),
                end=found_match.end(), text=text, expected=expected, found=found_match.group(0),
            )
            return
        found = failure.found
        if isinstance(found, str) and self.limits.max_field_chars < len(found):
            found = found[: self.limits.max_field_chars]
        is_length = isinstance(found, str) and expected.startswith("length")
        yield Hit(
            field=failure.field or None,
            found=len(found) if is_length else found,
            expected=expected,
            values={"value": found, "length": len(found) if isinstance(found, str) else ""},
        )
