"""The `compare` kind on real products: operators, shapes, limits and numbers that are no numbers."""

from __future__ import annotations

import textwrap
import time

import pytest

from listcheck.limits import Limits
from listcheck.model import Product

from kind_helpers import engine_for, found


COMPARE = """
- id: t/returns
  kind: compare
  category: return-policy
  severity: error
  require:
    any:
      - {field: return_policy.no_reason_days, gte: 7}
      - {field: return_policy.exemption, in: [fresh_perishable, custom_made]}
  message: "{found} days, need {expected}"
- id: t/list-price
  kind: compare
  category: spec-mismatch
  severity: warning
  require: {field: spec.price, lte: {field: spec.list_price}}
  message: price above list price
- id: t/has-policy
  kind: compare
  category: return-policy
  severity: info
  require: {not: {field: return_policy.text, matches: "不退不换|概不退换"}}
  message: no-returns text
"""


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"return_policy": {"no_reason_days": 3}}, [("t/returns", "return_policy.no_reason_days", 3, ">= 7")]),
        ({"return_policy": {"no_reason_days": 3, "exemption": "fresh_perishable"}}, []),
        ({"return_policy": {"no_reason_days": 7}}, []),
        ({}, []),  # nothing stated: a comparison on a missing field holds
        ({"spec": {"price": "120", "list_price": 99}}, [("t/list-price", "spec.price", "120", "<= 99")]),
        ({"spec": {"price": 90, "list_price": 99}}, []),
        ({"spec": {"price": "¥90", "list_price": 99}}, []),  # not a number: no claim either way
        ({"return_policy": {"no_reason_days": 7, "text": "特价商品 概不退换"}},
         [("t/has-policy", "return_policy.text", "概不退换", "not matching 不退不换|概不退换")]),
    ],
)
def test_compare(tmp_path, fields, expected):
    engine = engine_for(tmp_path, COMPARE)
    assert [(f[0], f[1] or "", f[3], f[4]) for f in found(engine, **fields)] == expected


def test_compare_condition_shape_is_validated(tmp_path):
    from listcheck.errors import RulePackError

    with pytest.raises(RulePackError, match="exactly one operator"):
        engine_for(tmp_path, """
- id: t/bad
  kind: compare
  category: return-policy
  severity: error
  require: {field: return_policy.no_reason_days, gte: 7, lte: 30}
  message: x
""")


def test_compare_contains_on_lists_and_text(tmp_path):
    engine = engine_for(tmp_path, """
- id: t/vegan-with-milk
  kind: compare
  category: prohibited-claim
  severity: error
  require:
    not:
      all:
        - {field: spec.labels, contains: [en:vegan]}
        - {field: spec.allergens, contains: [en:milk, en:eggs]}
  message: vegan label but allergens list animal products
""")
    assert [f[0] for f in found(engine, spec={"labels": ["en:vegan"], "allergens": ["en:milk"]})] == ["t/vegan-with-milk"]
    assert found(engine, spec={"labels": ["en:vegan"], "allergens": ["en:soybeans"]}) == []
    assert found(engine, spec={"labels": ["en:organic"], "allergens": ["en:milk"]}) == []
    assert found(engine, spec={"labels": ["en:vegan"]}) == []  # allergens unknown: no claim


REDOS_COMPARE = """
- id: t/evil-matches
  kind: compare
  category: prohibited-claim
  severity: error
  require: {field: title, matches: '(a|aa)+$'}
  message: x
- id: t/evil-not-matches
  kind: compare
  category: prohibited-claim
  severity: error
  require: {not: {field: description, matches: '(a|aa)+$'}}
  message: x
"""


def test_compare_matches_runs_within_the_limits_regex_timeout(tmp_path):
    engine = engine_for(tmp_path, REDOS_COMPARE, Limits(regex_timeout=0.05))
    started = time.monotonic()
    findings = engine.check_product(Product(sku="S", title="a" * 3000 + "!", description="a" * 3000 + "!"))
    # Two searches of 0.05 s each, not the 1 s each compare once had hard-coded.
    assert time.monotonic() - started < 1.5
    timeouts = [(f.rule, f.field, f.severity.value) for f in findings]
    assert timeouts == [("input/rule-timeout", "title", "warning"), ("input/rule-timeout", "description", "warning")]
    assert "t/evil-matches" in findings[0].message and "0.05s" in findings[0].message
    assert "t/evil-not-matches" in findings[1].message
    # Quick texts are checked as before.
    assert [f[0] for f in found(engine, title="aaaa", description="aaaa")] == ["t/evil-not-matches"]
    assert [f[0] for f in found(engine, title="b", description="b")] == ["t/evil-matches"]


def test_compare_matches_reads_a_field_up_to_max_field_chars(tmp_path):
    engine = engine_for(tmp_path, """
- id: t/no-phone
  kind: compare
  category: prohibited-claim
  severity: error
  require: {not: {field: description, matches: '1[3-9]\\d{9}'}}
  message: phone
""", Limits(max_field_chars=50))
    assert [f[0] for f in found(engine, description="x" * 10 + " 13812345678")] == ["t/no-phone"]
    rules = [f[0] for f in found(engine, description="x" * 60 + " 13812345678")]
    assert rules == ["input/field-too-long"]  # the number is past the limit: not read


def test_compare_treats_numbers_too_large_for_a_float_as_no_number(tmp_path):
    from listcheck import api

    pack = tmp_path / "huge.yaml"
    pack.write_text(textwrap.dedent("""\
        pack: t
        title: test
        rules:
          - id: t/max-weight
            kind: compare
            category: spec-mismatch
            severity: error
            require: {field: spec.weight, lte: 100}
            message: "weight {found}"
          - id: t/below-list-price
            kind: compare
            category: spec-mismatch
            severity: error
            require: {field: spec.price, lte: {field: spec.list_price}}
            message: "price {found}"
          - id: t/known-grade
            kind: compare
            category: spec-mismatch
            severity: error
            require: {field: spec.grade, in: [1, 2, 3]}
            message: "grade {found}"
        """), encoding="utf-8")
    rules = api.load_rules([str(pack)])
    huge = 10**400  # float(huge) raises OverflowError
    records = [
        {"sku": "H-1", "title": "x", "spec": {"weight": huge, "price": huge, "list_price": 5, "grade": huge}},
        {"sku": "H-2", "title": "x", "spec": {"weight": 5, "price": 5, "list_price": huge, "grade": 2}},
        {"sku": "H-3", "title": "x", "spec": {"weight": float("inf"), "price": "1e999", "list_price": 5}},
        {"sku": "H-4", "title": "x", "spec": {"weight": 500, "price": 9, "list_price": 5, "grade": 4}},
    ]
    findings = [(f.sku, f.rule) for f in api.check_records(records, rules)]
    # No usable number: no claim either way for the order comparisons; `in` compares as text.
    assert findings == [
        ("H-1", "t/known-grade"),
        ("H-4", "t/max-weight"),
        ("H-4", "t/below-list-price"),
        ("H-4", "t/known-grade"),
    ]


