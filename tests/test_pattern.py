"""The `pattern` kind on real products: forbid and require, and a catastrophic regex bounded."""

from __future__ import annotations

import time

from listcheck.limits import Limits
from listcheck.model import Product

from kind_helpers import engine_for, found


def test_pattern_forbid_and_require(tmp_path):
    engine = engine_for(tmp_path, r"""
- id: t/phone
  kind: pattern
  category: prohibited-claim
  severity: error
  fields: [description]
  pattern: '(?<!\d)1[3-9]\d{9}(?!\d)'
  message: phone {match}
- id: t/model-number
  kind: pattern
  category: completeness
  severity: info
  match: require
  fields: [title]
  pattern: '[A-Z]{2}\d{4}'
  ignore_case: false
  message: no model number in the title
""")
    assert found(engine, title="TM2024 杯", description="电话13812345678") == [
        ("t/phone", "description", "13812345678", None, None)
    ]
    assert found(engine, title="tm2024 杯", description="订单号 138123456789012") == [
        ("t/model-number", "title", None, None, "[A-Z]{2}\\d{4}")
    ]
    assert found(engine, description="x") == []  # no title at all: `required` is for that


def test_catastrophic_regex_is_bounded_and_reported(tmp_path):
    engine = engine_for(tmp_path, """
- id: t/evil
  kind: pattern
  category: prohibited-claim
  severity: error
  fields: [title]
  pattern: '(a|aa)+$'
  message: x
""", Limits(regex_timeout=0.2))
    started = time.monotonic()
    findings = engine.check_product(Product(sku="S", title="a" * 40 + "!"))
    assert time.monotonic() - started < 5
    [finding] = findings
    assert finding.rule == "input/rule-timeout" and finding.category.value == "input"
    assert "t/evil" in finding.message and finding.field == "title"


