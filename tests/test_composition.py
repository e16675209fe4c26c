"""Fibre compositions in specs and fibre claims in listing text (GB/T 29862 names, conservative claims)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listcheck.text.composition import (
    CompositionClaim,
    canonical_fibre,
    composition_total,
    extract_composition_claims,
    fibre_parent,
    fibre_rules,
    parse_composition,
)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("65%棉 35%聚酯纤维", {"cotton": 65.0, "polyester": 35.0}),
        ("65% cotton, 35% polyester", {"cotton": 65.0, "polyester": 35.0}),
        ("棉65% 聚酯纤维35%", {"cotton": 65.0, "polyester": 35.0}),
        ("Cotton 95%/Spandex 5%", {"cotton": 95.0, "spandex": 5.0}),
        ("棉95% 聚氨酯弹性纤维(氨纶)5%", {"cotton": 95.0, "spandex": 5.0}),
        ("95%棉 5%氨纶", {"cotton": 95.0, "spandex": 5.0}),
        ("80%涤纶 20%锦纶", {"polyester": 80.0, "nylon": 20.0}),
        ("60% Merino Wool 40% Nylon", {"wool": 60.0, "nylon": 40.0}),
        ("95% cashmere 5% wool", {"cashmere": 95.0, "wool": 5.0}),
        ("70%粘纤 30%莫代尔", {"viscose": 70.0, "modal": 30.0}),
        ("100%天丝", {"lyocell": 100.0}),
        ("100%桑蚕丝", {"silk": 100.0}),
        ("55%麻 45%棉", {"linen": 55.0, "cotton": 45.0}),   # 麻 counts only inside a composition
        ("90%白鸭绒 10%鸭毛", {"duck-down": 90.0, "feather": 10.0}),
        ("65%棉 35%其他", {"cotton": 65.0, "other": 35.0}),
        ("100%棉", {"cotton": 100.0}),
        ("100% Cotton", {"cotton": 100.0}),
        ("纯棉", {"cotton": 100.0}),
        ("真丝", {"silk": 100.0}),
        ("Polyester", {"polyester": 100.0}),          # a single fibre named alone: all of it
        ("面料：100%聚酯纤维 里料：100%棉", {"polyester": 100.0}),  # the lining is another part
        ("Shell: 100% Polyester; Lining: 100% Cotton", {"polyester": 100.0}),
    ],
)
def test_parse_composition_strings(value, expected):
    assert parse_composition(value) == expected


def test_parse_composition_dicts():
    assert parse_composition({"cotton": 65, "polyester": 35}) == {"cotton": 65.0, "polyester": 35.0}
    assert parse_composition({"Elastane": "5%", "棉": "95"}) == {"spandex": 5.0, "cotton": 95.0}
    assert parse_composition({"涤纶": 60, "Polyester": 40}) == {"polyester": 100.0}  # the same fibre
    assert parse_composition({"cotton": "lots"}) is None
    assert parse_composition({}) is None


@pytest.mark.parametrize("value", ["", "316 stainless steel", "棉麻", "Cotton Blend", "cotton/polyester", 42, None])
def test_parse_composition_none(value):
    # Several fibres without shares say nothing about the shares: no composition.
    assert parse_composition(value) is None


def test_composition_total():
    assert composition_total({"cotton": 65.0, "polyester": 35.0}) == 100.0
    assert composition_total("65%棉 25%聚酯纤维") == 90.0
    assert composition_total(parse_composition({"wool": 80, "nylon": 30})) == 110.0
    assert composition_total(None) == 0.0
    assert composition_total("steel") == 0.0


@pytest.mark.parametrize(
    "name, fibre",
    [("涤纶", "polyester"), ("聚酯纤维", "polyester"), ("Elastane", "spandex"), ("氨纶", "spandex"),
     ("锦纶", "nylon"), ("尼龙", "nylon"), ("polyamide", "nylon"), ("山羊绒", "cashmere"), ("羊绒", "cashmere"),
     ("桑蚕丝", "silk"), ("亚麻", "linen"), ("粘胶纤维", "viscose"), ("Rayon", "viscose"), ("莱赛尔", "lyocell"),
     ("Tencel", "lyocell"), ("腈纶", "acrylic"), ("ＣＯＴＴＯＮ", "cotton"), ("冰丝", None), ("仿真丝", None)])
def test_canonical_fibre(name, fibre):
    assert canonical_fibre(name) == fibre


def test_fibre_rules_are_data():
    rules = fibre_rules()
    assert rules["purity"]["exceptions"]["cashmere"] == {"minimum": 95, "remainder_allowed": ["wool"]}
    assert rules["purity"]["exceptions"]["wool"]["pure_term_minimum"] == 95
    assert rules["purity"]["trace_omission_percent"] == 0.5
    assert rules["tolerances"]["general"] == 5
    assert rules["tolerances"]["low_content"] == {"max_declared": 10, "tolerance": 3, "nonzero_below": 3}
    assert fibre_parent("goose-down") == "down"


# --- claims ----------------------------------------------------------------------------------


def claims(text: str) -> list[tuple[str, float | None, int, int, str]]:
    return [(c.fibre, c.percent, c.start, c.end, c.text) for c in extract_composition_claims(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("纯棉T恤 男款", [("cotton", 100.0, 0, 2, "纯棉")]),
        ("全棉四件套", [("cotton", 100.0, 0, 2, "全棉")]),
        ("100%棉", [("cotton", 100.0, 0, 5, "100%棉")]),
        ("100%纯棉", [("cotton", 100.0, 0, 6, "100%纯棉")]),
        ("１００％棉", [("cotton", 100.0, 0, 5, "１００％棉")]),
        ("Made of 100% cotton", [("cotton", 100.0, 8, 19, "100% cotton")]),
        ("100% pure cotton", [("cotton", 100.0, 0, 16, "100% pure cotton")]),
        ("pure cotton shirt", [("cotton", 100.0, 0, 11, "pure cotton")]),
        ("100% silk", [("silk", 100.0, 0, 9, "100% silk")]),
        ("pure silk", [("silk", 100.0, 0, 9, "pure silk")]),
        ("真丝睡衣", [("silk", 100.0, 0, 2, "真丝")]),
        ("纯羊毛衫", [("wool", 100.0, 0, 3, "纯羊毛")]),
        ("纯羊绒围巾", [("cashmere", 100.0, 0, 3, "纯羊绒")]),
        ("Pure Cashmere Scarf", [("cashmere", 100.0, 0, 13, "Pure Cashmere")]),
        ("含棉量95%", [("cotton", 95.0, 0, 6, "含棉量95%")]),
        ("棉含量：95%", [("cotton", 95.0, 0, 7, "棉含量：95%")]),
        ("95% cotton", [("cotton", 95.0, 0, 10, "95% cotton")]),
        ("含羊绒", [("cashmere", None, 0, 3, "含羊绒")]),
        ("65%棉 35%聚酯纤维", [("cotton", 65.0, 0, 4, "65%棉"), ("polyester", 35.0, 5, 12, "35%聚酯纤维")]),
        ("棉65% 聚酯纤维35%", [("cotton", 65.0, 0, 4, "棉65%"), ("polyester", 35.0, 5, 12, "聚酯纤维35%")]),
        ("Cotton 95%/Spandex 5%", [("cotton", 95.0, 0, 10, "Cotton 95%"), ("spandex", 5.0, 11, 21, "Spandex 5%")]),
    ],
)
def test_claims(text, expected):
    assert claims(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "棉麻风连衣裙",     # a style
        "仿真丝睡衣",       # imitation silk
        "冰丝凉席",         # "ice silk" is not silk
        "棉服",             # a padded garment
        "棉袄",
        "羊毛衫",           # a fibre word alone is no claim
        "纯色T恤",          # plain colour
        "真丝般顺滑",       # silk-like
        "纯棉感面料",       # cotton feel
        "纯棉质感",
        "纯棉麻",           # a cotton-linen blend
        "真丝绒",
        "silk-like finish",
        "cotton-like fabric",
        "全棉时代",         # a brand
        "安全棉签",
        "不含棉",
        "not 100% cotton",
        "95%好评",
        "5G手机 纯色",
    ],
)
def test_not_claims(text):
    assert extract_composition_claims(text) == []


def test_claim_offsets_map_to_the_original_text():
    text = "夏季新款 纯棉T恤，面料100%棉"
    found = extract_composition_claims(text)
    assert [(c.text, c.start, c.end) for c in found] == [("纯棉", 5, 7), ("100%棉", 12, 17)]
    for claim in found:
        assert text[claim.start:claim.end] == claim.text
        assert isinstance(claim, CompositionClaim)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_claims_never_raise_and_stay_in_the_text(text):
    for claim in extract_composition_claims(text):
        assert 0 <= claim.start < claim.end <= len(text)
        assert text[claim.start:claim.end] == claim.text
    parse_composition(text)


def _fibre_names() -> list[str]:
    from listcheck.text.composition import _fibres

    return _fibres().loose.ordered


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_fibre_names()), st.sampled_from(["", " ", "-", "%", "95", "a", "纯", "/"])), max_size=12))
def test_fibre_names_are_found_as_by_the_whole_alternation(pieces):
    # Names are tried only where one of their first words starts, each group compiled on
    # demand: the matches must be those of one alternation of all names, longest first.
    from listcheck.text.composition import _alternation, _fibres

    names = _fibres().loose
    scan = "".join(pieces)
    whole = _alternation(names.ordered)
    assert [(m.span(), m.group(0)) for m in names.finditer(scan)] == [
        (m.span(), m.group(0)) for m in whole.finditer(scan)
    ]
