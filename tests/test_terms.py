"""The `terms` kind: CJK-aware matching, folding, exceptions, inserted separators."""

from __future__ import annotations

import textwrap

import pytest

from listcheck.engine import Engine
from listcheck.model import Product
from listcheck.ruleset.loader import collect_rules, load_packs


def engine_for(tmp_path, rules_yaml: str) -> Engine:
    pack = tmp_path / "pack.yaml"
    pack.write_text("pack: t\ntitle: test\nrules:\n" + textwrap.indent(textwrap.dedent(rules_yaml), "  "), encoding="utf-8")
    return Engine(collect_rules(load_packs([str(pack)])))


ABSOLUTE = """
- id: t/absolute
  kind: terms
  category: prohibited-claim
  severity: error
  fields: [title, description, bullets]
  terms: [最, 最佳, 第一, best, "#1", {term: 国家级, suggest: 删除}]
  exceptions: [最近, 最后, 第一次, 最佳赏味期]
  tolerate_separators: true
  message: {en: "absolute term {match} {suggestion}", zh: "绝对化用语“{match}”"}
"""


def matches(engine: Engine, **fields) -> list[tuple[str, str]]:
    product = Product(sku="S1", **fields)
    return [(f.field, f.match) for f in engine.check_product(product)]


@pytest.mark.parametrize(
    "title, expected",
    [
        ("全网最佳保温杯", ["最佳"]),          # Han: no word boundary needed; longest term wins
        ("最 佳 保温杯", ["最 佳"]),          # a space inserted to dodge the filter
        ("最-佳保温杯", ["最-佳"]),
        ("最😊佳保温杯", ["最😊佳"]),
        ("ＢＥＳＴ bottle", ["ＢＥＳＴ"]),      # full width and case folded, original text kept
        ("The Best bottle", ["Best"]),
        ("bestseller bottle", []),           # Latin needs boundaries: not inside a word
        ("今日もbest祭り", ["best"]),         # ...but Han characters are boundaries for Latin
        ("#1 choice", ["#1"]),
        ("#10 choice", []),                  # "#1" is not inside "#10"
        ("最近上新 保温杯", []),               # exception covers the term
        ("最后一天 保温杯", []),
        ("第一次使用", []),
        ("最佳赏味期 30 天", []),              # an exception longer than the term
        ("国家级 保温杯", ["国家级"]),
    ],
)
def test_absolute_terms(tmp_path, title, expected):
    engine = engine_for(tmp_path, ABSOLUTE)
    assert [m for _, m in matches(engine, title=title)] == expected


def test_findings_point_at_original_characters_and_carry_suggestion(tmp_path):
    engine = engine_for(tmp_path, ABSOLUTE)
    product = Product(sku="S1", title="保温杯 国家级 品质", supplier="ACME")
    [finding] = engine.check_product(product)
    assert finding.span.start == 4 and finding.span.end == 7
    assert product.title[finding.span.start:finding.span.end] == "国家级"
    assert finding.message == "absolute term 国家级 删除"
    assert finding.messages["zh"] == "绝对化用语“国家级”"
    assert finding.context.text[finding.context.start:finding.context.end] == "国家级"
    assert finding.supplier == "ACME" and finding.fingerprint


def test_bullets_are_fields_of_their_own(tmp_path):
    engine = engine_for(tmp_path, ABSOLUTE)
    assert matches(engine, title="保温杯", bullets=["保温12小时", "最佳选择"]) == [("bullets.1", "最佳")]


def test_all_rules_share_one_automaton_per_field(tmp_path):
    engine = engine_for(tmp_path, ABSOLUTE + """
- id: t/sale
  kind: terms
  category: prohibited-claim
  severity: warning
  fields: [title]
  terms: [秒杀, best]
  message: sale word {match}
""")
    [(batch, indexes)] = engine.batches
    assert indexes == [0, 1]
    assert set(batch.fields) == {"title", "description", "bullets"}
    found = [(f.rule, f.match) for f in engine.check_product(Product(sku="S", title="best 秒杀"))]
    # "best" is one phrase: the first rule that reads it reports it, the second does not again.
    assert found == [("t/absolute", "best"), ("t/sale", "秒杀")]


def test_without_separator_tolerance_spaced_terms_pass(tmp_path):
    engine = engine_for(tmp_path, ABSOLUTE.replace("tolerate_separators: true", "tolerate_separators: false"))
    assert matches(engine, title="最 佳 保温杯") == [("title", "最")]  # the lone 最 still is a term
    engine = engine_for(tmp_path, """
- id: t/strict
  kind: terms
  category: prohibited-claim
  severity: error
  terms: [最佳]
  message: x
""")
    assert matches(engine, title="最 佳 保温杯") == []
    assert matches(engine, title="最佳保温杯") == [("title", "最佳")]


def test_when_filters_rules(tmp_path):
    engine = engine_for(tmp_path, """
- id: t/cosmetics-only
  kind: terms
  category: prohibited-claim
  severity: error
  terms: [药妆]
  when: {category: [cosmetics], platform: [tmall, jd], locale: [zh]}
  message: x
""")
    assert matches(engine, title="药妆面霜", category="cosmetics/skincare", platform="tmall", locale="zh-CN")
    assert not matches(engine, title="药妆面霜", category="cosmeticsx", platform="tmall", locale="zh-CN")
    assert not matches(engine, title="药妆面霜", category="cosmetics", platform="amazon", locale="zh-CN")
    assert not matches(engine, title="药妆面霜", category="cosmetics", platform="jd", locale="en-US")


def test_platform_category_names_map_onto_canonical_ones(tmp_path, monkeypatch):
    from listcheck.ruleset import when

    monkeypatch.setattr(when, "_categories", lambda: {"aliases": {"生鲜": "fresh-food", "水果": "fresh-food/fruit"}})
    when.canonical_category.cache_clear()
    try:
        assert when.canonical_category("食品饮料>生鲜>水果") == "fresh-food/fruit"
        assert when.canonical_category("生鲜") == "fresh-food"
        assert when.canonical_category("home/drinkware") == "home/drinkware"
        assert when.canonical_category("Garden") == "garden"
        assert when.category_matches("食品饮料>生鲜>水果", ["fresh-food"])
        assert not when.category_matches("食品饮料>生鲜>水果", ["food"])
    finally:
        when.canonical_category.cache_clear()


SEPARATED_RETURNS = """
- id: t/superlative
  kind: terms
  category: prohibited-claim
  severity: error
  fields: [title]
  terms: [最佳]
  tolerate_separators: true
  message: x
- id: t/returns
  kind: terms
  category: prohibited-claim
  severity: error
  fields: [title]
  terms: [no returns]
  tolerate_separators: true
  when: {platform: [jd]}
  message: x
"""


@pytest.mark.parametrize(
    "title, platform, expected",
    [
        ("N.O r-e-t-u-r-n-s 最 佳", "jd", [("t/superlative", "最 佳"), ("t/returns", "N.O r-e-t-u-r-n-s")]),
        ("N.O r-e-t-u-r-n-s", "jd", [("t/returns", "N.O r-e-t-u-r-n-s")]),  # ASCII text, ASCII key
        ("ＮＯ－ＲＥＴＵＲＮＳ", "jd", [("t/returns", "ＮＯ－ＲＥＴＵＲＮＳ")]),  # folds to ASCII
        ("N.O r-e-t-u-r-n-s", "tmall", []),  # t/returns not active: no squeezed key could match
        ("N.O r-e-t-u-r-n-s 最 佳", "tmall", [("t/superlative", "最 佳")]),
    ],
)
def test_separators_in_ascii_and_other_texts_as_active_rules_change(tmp_path, title, platform, expected):
    engine = engine_for(tmp_path, SEPARATED_RETURNS)
    # Alternating placements check that what one set of active rules needs does not leak into another.
    for _ in range(2):
        for other in ("jd", "tmall"):
            engine.check_product(Product(sku="S0", title=title, platform=other))
        found = [(f.rule, f.match) for f in engine.check_product(Product(sku="S1", title=title, platform=platform))]
        assert found == expected


@pytest.mark.parametrize("key, value", [("terms", "['', 最佳]"), ("exceptions", "['']"), ("exceptions", "[' - ']")])
def test_a_blank_term_or_exception_is_refused_with_its_line(tmp_path, key, value):
    # An empty exception crashed the automaton with an IndexError (found by fuzzing).
    from listcheck.errors import RulePackError

    lists = {"terms": "[最佳]", "exceptions": "[]"}
    lists[key] = value
    pack = tmp_path / "pack.yaml"
    pack.write_text(textwrap.dedent(f"""\
        pack: blank
        title: Blank
        rules:
          - id: blank/terms
            kind: terms
            category: prohibited-claim
            severity: error
            message: x
            terms: {lists['terms']}
            exceptions: {lists['exceptions']}
        """), encoding="utf-8")
    with pytest.raises(RulePackError) as refused:
        load_packs([str(pack)])
    line = 9 if key == "terms" else 10
    assert f"pack.yaml:{line}" in str(refused.value) and "empty once spaces and punctuation" in str(refused.value)
