"""Every built-in rule explains itself: bilingual messages, references, two examples each way."""

from __future__ import annotations

import pytest

from listcheck.ruleset.catalogue import rules_of

RULES = rules_of(None)


@pytest.mark.parametrize("rule", RULES, ids=[r.spec.id for r in RULES])
def test_rule_is_documented_and_proven(rule):
    spec = rule.spec
    assert not isinstance(spec.message, str) and spec.message.en and spec.message.zh, "needs en and zh messages"
    assert spec.references, "needs a reference (the law or platform rule it comes from)"
    assert spec.description, "needs a one-line description (it becomes docs/rules.md)"
    assert len(spec.examples.invalid) >= 2, "needs at least two invalid examples"
    assert len(spec.examples.valid) >= 2, "needs at least two valid examples"


def test_rule_ids_belong_to_their_pack():
    for rule in RULES:
        assert rule.spec.id.split("/")[0] == rule.pack, rule.spec.id
