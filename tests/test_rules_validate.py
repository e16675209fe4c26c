"""`listcheck rules validate`: rules that can never fire (or fire on everything) are reported."""

from __future__ import annotations

import textwrap

from conftest import run_cli

PACK = """\
pack: sloppy
title: A pack with no-op rules
rules:
  - id: sloppy/everything
    kind: pattern
    category: prohibited-claim
    severity: error
    pattern: 'x*'
    message: x
    examples: {invalid: [{title: x}]}
  - id: sloppy/unknown-when
    kind: terms
    category: prohibited-claim
    severity: error
    terms: [最佳]
    when: {category: [cosmetic], platform: [tmal], market: [China], present: [specs.registration]}
    message: x
    examples: {invalid: [{title: 最佳}]}
  - id: sloppy/unknown-field
    kind: required
    category: completeness
    severity: error
    fields: [titel]
    message: x
    examples: {invalid: [{title: x}]}
  - id: sloppy/unproven
    kind: terms
    category: prohibited-claim
    severity: error
    terms: [顶级]
    message: x
  - id: sloppy/fine
    kind: compare
    category: return-policy
    severity: error
    require: {field: return_policy.no_reason_days, gte: 7}
    when: {category: [home], platform: [tmall], market: [CN, EU], present: [spec.capacity]}
    message: x
    examples: {invalid: [{category: home, platform: tmall, market: CN, spec: {capacity: 1}, return_policy: {no_reason_days: 1}}]}
"""


def test_no_op_rules_are_reported_with_their_lines(tmp_path):
    pack = tmp_path / "sloppy.yaml"
    pack.write_text(PACK, encoding="utf-8")
    result = run_cli("rules", "validate", pack, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert f"{pack}:4: sloppy/everything: regex 'x*' matches the empty string" in out
    assert "unknown category 'cosmetic'" in out
    assert "unknown platform 'tmal'" in out
    assert "unknown market 'China'" in out
    assert "the field 'specs.registration', which no product has" in out
    assert "sloppy/unknown-field: `fields` names 'titel'" in out
    assert "sloppy/unproven: no `examples.invalid`" in out
    assert "sloppy/fine" not in out
    assert "5 rules checked: 7 problem(s)" in out


def test_builtin_packs_have_no_no_op_rules():
    result = run_cli("rules", "validate")
    assert result.returncode == 0, result.stdout
    assert " 0 problem(s)" in result.stdout


def test_a_message_placeholder_that_names_no_value_is_reported(tmp_path):
    """{mach} would be printed as written in every finding; {suggestion} is what a terms rule
    fills, {length} is a compare rule's, not a terms rule's."""
    pack = tmp_path / "p.yaml"
    pack.write_text(textwrap.dedent("""\
        pack: p
        title: P
        rules:
          - id: p/typo
            kind: terms
            category: prohibited-claim
            severity: error
            terms: [最好]
            message: {en: "'{mach}' ({suggestion}, {length})", zh: "“{match}”"}
            examples: {invalid: [{title: 最好}]}
          - id: p/fine
            kind: terms
            category: prohibited-claim
            severity: error
            terms: [最佳]
            message: {en: "'{match}' in {field}; use {suggestion}", zh: "“{match}”（{sku}）"}
            examples: {invalid: [{title: 最佳}]}
        """), encoding="utf-8")
    result = run_cli("rules", "validate", str(pack))
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if "the message names" in line]
    assert [line.split(": the message names ")[1].split(",")[0] for line in problems] == ["{length}", "{mach}"]
    assert all(": p/typo:" in line for line in problems)


def test_a_comment_that_cuts_a_description_short_is_reported_with_its_line(tmp_path):
    """`description: Best in class #1 seller` reads as "Best in class": YAML takes ` #1 seller`
    for a comment. Quoted text, and a comment written `# ...`, are not reported."""
    pack = tmp_path / "p.yaml"
    pack.write_text(textwrap.dedent("""\
        pack: p
        title: P
        rules:
          - id: p/cut
            kind: terms
            category: prohibited-claim
            severity: error
            description: Best in class #1 seller
            terms: [最好]
            message: {en: x, zh: x}
            examples: {invalid: [{title: 最好}]}
          - id: p/cut-message
            kind: terms
            category: prohibited-claim
            severity: error
            terms: [最佳]
            message:
              en: Ranked #1 is an absolute claim
              zh: 排名第一
            examples: {invalid: [{title: 最佳}]}
          - id: p/fine
            kind: terms
            category: prohibited-claim
            severity: warning   # a comment, as meant
            description: "Best in class #1 seller, quoted"
            terms: [顶级]
            message: {en: x, zh: x}
            examples: {invalid: [{title: 顶级}]}
        """), encoding="utf-8")
    result = run_cli("rules", "validate", str(pack))
    assert result.returncode == 1, result.stdout + result.stderr
    cut = [line for line in result.stdout.splitlines() if "as a comment" in line]
    assert cut == [
        f"{pack}:8: p/cut: YAML reads the value as 'Best in class' and drops '#1 seller' as a comment; "
        "quote the whole text (a comment needs a space after '#')",
        f"{pack}:18: p/cut-message: YAML reads the value as 'Ranked' and drops '#1 is an absolute claim' as a comment; "
        "quote the whole text (a comment needs a space after '#')",
    ]
    assert "p/fine" not in result.stdout
    assert "3 rules checked: 2 problem(s)" in result.stdout
