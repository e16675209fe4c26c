"""The `attribute` kind: colour, material, brand and origin claims against the spec."""

from __future__ import annotations

import textwrap

import pytest

from listcheck.engine import Engine
from listcheck.model import Confidence, Product
from listcheck.ruleset.loader import collect_rules, load_packs

RULES = """
- id: t/color
  kind: attribute
  category: spec-mismatch
  severity: error
  attribute: color
  vocab: colors
  message: "text {found} spec {expected}"
- id: t/material
  kind: attribute
  category: spec-mismatch
  severity: error
  attribute: material
  vocab: materials
  avoid: [适用, for]
  message: "text {found} spec {expected}"
- id: t/brand
  kind: attribute
  category: spec-mismatch
  severity: error
  attribute: brand
  vocab: brands
  avoid: [适用于, 适用, for, fits, compatible]
  window: 12
  message: "text {found} spec {expected}"
- id: t/origin
  kind: attribute
  category: spec-mismatch
  severity: error
  attribute: origin
  vocab: origins
  context: [产地, 原产地, made in]
  suffix_context: [进口, 原装进口]
  window: 10
  message: "text {found} spec {expected}"
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    pack = tmp_path_factory.mktemp("pack") / "pack.yaml"
    pack.write_text("pack: t\ntitle: t\nrules:\n" + textwrap.indent(textwrap.dedent(RULES), "  "), encoding="utf-8")
    # At the default confidence (medium), as a run reports; a two-tone title is only a low
    # reading (test_two_colours_none_the_specs_is_a_low_confidence_finding).
    return Engine(collect_rules(load_packs([str(pack)])), min_confidence=Confidence.medium)


def flagged(engine, title, **spec):
    product = Product(sku="S", title=title, spec=spec)
    return [(f.rule, f.match, f.expected) for f in engine.check_product(product)]


@pytest.mark.parametrize(
    "title, spec, expected",
    [
        # colour
        ("保温杯 500ml 黑色", {"color": "红色"}, [("t/color", "黑色", "红色")]),
        ("保温杯 曜石黑", {"color": "Black"}, []),                       # synonym
        ("Filink 310 Black Toner", {"color": "Black"}, []),
        ("Cushion, available in Black and Red", {"color": "Red"}, []),   # names the spec's value
        ("Blue and white printed cushion", {"color": "Red"}, []),       # two colours: only a low reading
        ("Navy blue shirt", {"color": "Blue"}, []),                      # shade of the spec colour
        ("藏青色衬衫", {"color": "浅蓝"}, [("t/color", "藏青色", "浅蓝")]),   # sibling shades differ
        ("红米 Note 9 手机", {"color": "black"}, []),                     # 红米 is a phone, not red
        ("Black Forest cake mould", {"color": "Silver"}, []),
        ("Printed cushion cover", {"color": "Multicolor"}, []),         # spec means any colour
        ("Red cushion", {"color": "Multicolor"}, []),
        ("Red cushion", {"color": "Redd"}, []),                         # fuzzy: a misspelt red
        # material
        ("保温杯 316不锈钢内胆", {"material": "304 stainless steel"}, [("t/material", "316不锈钢", "304 stainless steel")]),
        ("保温杯 不锈钢内胆", {"material": "316 stainless steel"}, []),   # generic vs specific
        ("实木餐桌", {"material": "密度板"}, [("t/material", "实木", "密度板")]),
        ("Solid wood frame", {"material": "Wooden"}, []),
        ("积木玩具 200粒", {"material": "塑料"}, []),                     # 积木 is not wood
        # brand
        ("华为 Mate 手机", {"brand": "小米（MI）"}, [("t/brand", "华为", "小米（MI）")]),
        ("Redmi Note 9 Pro 5G 小米 红米", {"brand": "小米（MI）"}, []),    # sub-brand
        ("手机壳 适用于iPhone 15", {"brand": "倍思"}, []),                 # accessory "for"
        ("Case for Samsung Galaxy S21", {"brand": "Spigen"}, []),
        ("荣耀60 手机", {"brand": "荣耀（HONOR）"}, []),
        ("荣耀60 手机", {"brand": "某某科技"}, []),                         # unknown spec brand: no claim
        # origin
        ("日本进口 保温杯", {"origin": "中国大陆"}, [("t/origin", "日本", "中国大陆")]),
        ("新疆长绒棉四件套", {"origin": "江苏南通"}, []),                   # a variety, not an origin claim
        ("泰国香米 5kg", {"origin": "中国"}, []),
        ("日本进口 保温杯", {"origin": "日本"}, []),
        ("Tea, made in India", {"origin": "India"}, []),
        ("Tea, made in India", {"origin": "China"}, [("t/origin", "India", "China")]),
    ],
)
def test_attribute_claims(engine, title, spec, expected):
    assert flagged(engine, title, **spec) == expected


def test_two_colours_none_the_specs_is_a_low_confidence_finding(tmp_path):
    """A two-tone title that names neither of them as the spec's colour ("Black and Golden
    skirt", spec red) may still contradict it, but options are as likely: it is reported only
    with --min-confidence low."""
    pack = tmp_path / "pack.yaml"
    pack.write_text("pack: t\ntitle: t\nrules:\n" + textwrap.indent(textwrap.dedent(RULES), "  "), encoding="utf-8")
    everything = Engine(collect_rules(load_packs([str(pack)])), min_confidence=Confidence.low)
    product = Product(sku="S1", title="Blue and white printed cushion", spec={"color": "Red"})
    found = [f for f in everything.check_product(product) if f.rule == "t/color"]
    assert [(f.match, f.confidence) for f in found] == [("Blue", Confidence.low)]


def test_unknown_vocabulary_is_a_pack_error(tmp_path):
    from listcheck.errors import RulePackError

    pack = tmp_path / "p.yaml"
    pack.write_text(textwrap.dedent("""\
        pack: p
        title: p
        rules:
          - {id: p/x, kind: attribute, category: spec-mismatch, severity: error, attribute: color, vocab: colours, message: x}
        """), encoding="utf-8")
    with pytest.raises(RulePackError, match="no vocabulary 'colours'"):
        load_packs([str(pack)])


def test_scan_keeps_the_longest_mention_at_each_place_and_drops_nested_ones():
    from listcheck.checks.attribute import ValueMention, Vocabulary

    vocab = Vocabulary("t", {
        "values": {
            "v-ab": {"terms": ["甲乙"]},
            "v-abc": {"terms": ["甲乙丙"]},
            "v-bcd": {"terms": ["乙丙丁"]},
            "v-c": {"terms": ["丙"]},
            "v-d": {"terms": ["丁"]},
            "v-red": {"terms": ["red"]},
        },
        "exceptions": ["戊丁"],
    })
    # 甲乙丙 wins over 甲乙; 乙丙丁 overlaps it and stays; 丙 and the first 丁 lie inside kept
    # mentions; the second 丁 is inside the exception 戊丁; `red` needs word boundaries.
    assert vocab.scan("甲乙丙丁 戊丁 reddish red") == [
        ValueMention("v-abc", 0, 3),
        ValueMention("v-bcd", 1, 4),
        ValueMention("v-red", 16, 19),
    ]
    assert vocab.scan("戊己庚") == []
