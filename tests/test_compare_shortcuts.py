"""The `compare` operators, with a constant target's share of the work done once per rule,
against a plain reading of what each operator means."""


import pytest

from listcheck.checks.compare import _number, _same, _test_for


def _meaning(op, value, target):
    """Each operator written out plainly, the target's work redone for every value."""
    order = {"gte": lambda a, b: a >= b, "lte": lambda a, b: a <= b, "gt": lambda a, b: a > b, "lt": lambda a, b: a < b}
    if op in order:
        a, b = _number(value), _number(target)
        return True if a is None or b is None else order[op](a, b)
    if op in ("eq", "ne"):
        return _same(value, target) == (op == "eq")
    if op in ("in", "not_in"):
        return any(_same(value, item) for item in target) == (op == "in")
    if op == "contains":
        wanted = [target] if isinstance(target, str) else target
        if isinstance(value, list):
            items = {str(item).strip().casefold() for item in value}
            return any(str(w).strip().casefold() in items for w in wanted)
        return any(str(w).casefold() in str(value).casefold() for w in wanted)
    if op == "max_length":
        return len(str(value)) <= target
    return len(str(value)) >= target


VALUES = [None, 0, 7, 14.5, "7", " 14 ", "abc", float("inf"), True, 10**400, [], ["Vegan", " en:MILK "],
          [1, "x"], "Contains MILK powder", "", {"a": 1}]


@pytest.mark.parametrize("op,target", [
    ("gte", 7.0), ("lte", 14.0), ("gt", 0.5), ("lt", 7.0), ("lte", float("inf")),
    ("contains", "milk"), ("contains", ["en:milk", "Vegan", " x "]), ("contains", []),
    ("in", ["7", "a"]), ("not_in", ["abc"]), ("eq", 7), ("ne", "abc"), ("max_length", 3), ("min_length", 2),
])
def test_each_operator_means_what_it_says(op, target):
    test = _test_for(op, target)
    for value in VALUES:
        if op in ("max_length", "min_length") and value is None:
            continue
        assert test(value) == _meaning(op, value, target), value
