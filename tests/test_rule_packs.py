"""Loading rule packs: broken packs are one line naming file, line and key; extends; examples."""

from __future__ import annotations

import textwrap

import pytest

GOOD_RULE = """\
pack: acme
title: ACME house rules
extends: [core]
rules:
  - id: acme/no-flash-sale-words
    kind: terms
    category: prohibited-claim
    severity: warning
    fields: [title, description]
    terms: [秒杀, flash sale]
    exceptions: [秒杀价以页面为准]
    message: {en: "Avoid '{match}' in listings", zh: "请勿在商品信息中使用“{match}”"}
    references: [{title: ACME listing guide §3, url: "https://example.com/guide#3"}]
    examples:
      invalid: [{title: 限时秒杀 保温杯}]
      valid: [{title: 保温杯 500ml}, {title: 保温杯, description: 秒杀价以页面为准}]
"""


def write(tmp_path, text: str, name: str = "pack.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_design_doc_pack_loads_and_its_examples_pass(tmp_path, cli):
    pack = write(tmp_path, GOOD_RULE)
    result = cli("rules", "test", pack)
    assert result.exit_code == 0, result.output
    # acme's rule plus the four core rules it extends
    assert "5 rules" in result.output and "0 failed" in result.output


@pytest.mark.parametrize(
    "mutation, line, needle",
    [
        (("kind: terms", "kind: termz"), 6, "rules.0.kind: unknown kind 'termz'"),
        (("  - id: acme/no-flash-sale-words\n", "  - name: x\n"), 5, "rules.0.id: required key is missing"),
        (("severity: warning", "severity: fatal"), 8, "rules.0.severity: must be one of"),
        (("terms: [秒杀, flash sale]", "terms: []"), 10, "rules.0.terms"),
        (("category: prohibited-claim", "category: claims"), 7, "rules.0.category"),
        (("fields: [title, description]", "fields: [title, description]\n    colour: red"), 10, "rules.0.colour: unknown key"),
    ],
)
def test_a_broken_pack_is_exit_2_with_one_line(tmp_path, cli, mutation, line, needle):
    old, new = mutation
    assert old in GOOD_RULE
    pack = write(tmp_path, GOOD_RULE.replace(old, new, 1))
    result = cli("rules", "test", pack)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"listcheck: error: {pack}:{line}: "), lines[0]
    assert needle in lines[0]
    assert "Traceback" not in result.output + result.stderr


def test_bad_regex_names_the_rule_line(tmp_path, cli):
    pack = write(tmp_path, """\
        pack: p
        title: t
        rules:
          - id: p/bad-regex
            kind: pattern
            category: prohibited-claim
            severity: error
            pattern: "(unclosed"
            message: x
        """)
    result = cli("check", tmp_path / "none.yaml", "--rules", pack)
    assert result.exit_code == 2
    assert f"{pack}:4: rules.0: pattern: invalid regular expression" in result.stderr


def test_malformed_yaml_names_the_line(tmp_path, cli):
    pack = write(tmp_path, "pack: p\ntitle: t\nrules:\n  - id: p/x\n    kind: [terms\n")
    result = cli("rules", "test", pack)
    assert result.exit_code == 2
    assert f"{pack}:6: invalid YAML" in result.stderr


def test_python_tags_are_never_executed(tmp_path, cli):
    marker = tmp_path / "pwned"
    pack = write(tmp_path, f"pack: p\ntitle: !!python/object/apply:os.system ['touch {marker}']\nrules: []\n")
    result = cli("rules", "test", pack)
    assert result.exit_code == 2
    assert "invalid YAML" in result.stderr
    assert not marker.exists()


def test_unknown_builtin_pack(cli, tmp_path):
    result = cli("rules", "test", "no-such-pack")
    assert result.exit_code == 2
    assert "unknown rule pack 'no-such-pack'" in result.stderr and "core" in result.stderr


def test_extends_cycle_is_reported(tmp_path, cli):
    write(tmp_path, "pack: a\ntitle: a\nextends: [b.yaml]\nrules: []\n", "a.yaml")
    write(tmp_path, "pack: b\ntitle: b\nextends: [a.yaml]\nrules: []\n", "b.yaml")
    result = cli("rules", "test", tmp_path / "a.yaml")
    assert result.exit_code == 2 and "cycle" in result.stderr


def test_failing_examples_are_listed_and_exit_1(tmp_path, cli):
    pack = write(tmp_path, GOOD_RULE.replace("valid: [{title: 保温杯 500ml}", "valid: [{title: 秒杀保温杯}"))
    result = cli("rules", "test", pack)
    assert result.exit_code == 1
    assert "FAIL acme/no-flash-sale-words examples.valid[0]" in result.output
    assert "expected no finding, got 1: '秒杀'" in result.output


def test_defaults_and_redefinition(tmp_path):
    from listcheck.ruleset.loader import collect_rules, load_packs

    write(tmp_path, """\
        pack: base
        title: base
        defaults: {category: completeness, severity: info}
        rules:
          - {id: base/title, kind: required, fields: [title], message: no title}
        """, "base.yaml")
    child = write(tmp_path, """\
        pack: child
        title: child
        extends: [base.yaml]
        rules:
          - {id: base/title, kind: required, category: completeness, severity: error, fields: [title], message: still no title}
        """, "child.yaml")
    rules = collect_rules(load_packs([str(child)]))
    assert [(r.spec.id, r.spec.severity.value, r.pack) for r in rules] == [("base/title", "error", "child")]
    base_rules = collect_rules(load_packs([str(tmp_path / "base.yaml")]))
    assert base_rules[0].spec.severity.value == "info"  # from defaults


def test_every_builtin_pack_passes_its_examples(cli):
    result = cli("rules", "test")
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output


@pytest.mark.parametrize("expect, passes", [
    ("{match: 秒杀, field: title}", True),
    ("{match: 秒杀}", True),
    ("{match: 限时秒杀, field: title}", False),     # the finding's match is 秒杀
    ("{match: 秒杀, field: description}", False),  # it is in the title
])
def test_an_invalid_example_may_say_what_and_where_it_expects(tmp_path, cli, expect, passes):
    pack = write(tmp_path, GOOD_RULE.replace("invalid: [{title: 限时秒杀 保温杯}]",
                                             f"invalid: [{{title: 限时秒杀 保温杯, expect: {expect}}}]"))
    result = cli("rules", "test", pack)
    if passes:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1, result.output
        assert "expected a finding with" in result.output and "got match '秒杀', field 'title'" in result.output


def test_an_expectation_on_a_valid_example_or_an_unknown_key_is_a_load_error(tmp_path, cli):
    valid = write(tmp_path, GOOD_RULE.replace("valid: [{title: 保温杯 500ml}", "valid: [{title: 保温杯 500ml, expect: {match: x}}"), "v.yaml")
    unknown = write(tmp_path, GOOD_RULE.replace("invalid: [{title: 限时秒杀 保温杯}]", "invalid: [{title: 限时秒杀 保温杯, expect: {text: 秒杀}}]"), "u.yaml")
    for pack in (valid, unknown):
        result = cli("rules", "test", pack)
        assert result.exit_code == 2 and "Traceback" not in result.output + result.stderr, result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
