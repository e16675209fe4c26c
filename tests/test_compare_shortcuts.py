"""The shortcuts of `compare` (ASCII-aware gate, constant targets worked out once) give the
same answers as the general code they stand in for."""

import pytest

from listcheck.checks.compare import _apply, _ascii_aware_gate, _constant_test
from listcheck.text import required_chars

PATTERNS = [
    "专利",
    r"\d{1,3}(?:\.\d+)?\s*[%％]\s*的?\s*(?:用户|消费者)|(?:有效率|好评率)\s*\d{1,3}\s*[%％]",
    "数据来源|来源[:：]|出处[:：]",
    "(?i)sugar[- ]free",  # no gate
]
TEXTS = ["", "plain ascii text", "98% of users", "100 ％ cotton", "含专利技术", "数据来源: lab",
         "来源：report", "café 5%", "ascii : colon", "有效率 95 %"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_ascii_aware_gate_agrees_with_the_scan(pattern):
    scan, gate = required_chars.gate(pattern), _ascii_aware_gate(pattern)
    assert (scan is None) == (gate is None)
    if scan is not None:
        for text in TEXTS:
            assert (gate(text) is None) == (scan(text) is None), text


VALUES = [None, 0, 7, 14.5, "7", " 14 ", "abc", float("inf"), True, 10**400, [], ["Vegan", " en:MILK "],
          [1, "x"], "Contains MILK powder", "", {"a": 1}]


@pytest.mark.parametrize("op,target", [
    ("gte", 7.0), ("lte", 14.0), ("gt", 0.5), ("lt", 7.0), ("lte", float("inf")),
    ("contains", "milk"), ("contains", ["en:milk", "Vegan", " x "]), ("contains", []),
    ("in", ["7", "a"]), ("not_in", ["abc"]), ("eq", 7), ("ne", "abc"), ("max_length", 3), ("min_length", 2),
])
def test_constant_test_agrees_with_apply(op, target):
    test = _constant_test(op, target)
    for value in VALUES:
        if op in ("max_length", "min_length") and value is None:
            continue
        assert test(value, target) == _apply(op, value, target), value
