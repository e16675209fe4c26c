"""Han text as sellers write it: traditional characters, numerals written another way, terms
inside other words, and separators that are punctuation between two statements."""

from __future__ import annotations

import pytest
import yaml

from conftest import ROOT

from listcheck import api
from listcheck.text.normalize import fold

RULES = api.load_rules(["recommended"])


def cn(sku, title, category="home/drinkware", **fields):
    return {"sku": sku, "title": title, "category": category, "platform": "tmall", "market": "CN",
            "locale": "zh-CN", "spec": {}, **fields}


def claims(*records):
    return {(f.sku, f.rule) for f in api.check_records(list(records), RULES)
            if f.category.value in ("prohibited-claim", "return-policy")}


def test_fold_reads_traditional_characters_and_other_numerals_one_for_one():
    for written, read in [("國家級", "国家级"), ("最高級", "最高级"), ("醫用", "医用"), ("概不退換", "概不退换"),
                          ("第①名", "第一名"), ("第壹", "第一"), ("貳", "二")]:
        assert fold(written) == read
        assert len(fold(written)) == len(written)  # offsets still point at what the seller wrote


def test_traditional_and_numeral_evasions_are_caught_and_quoted_as_written():
    found = api.check_records([cn("trad", "國家級工藝保溫杯", description="一經售出，概不退換"),
                               cn("circled", "第①名 保温杯 热销")], RULES)
    by = {(f.sku, f.rule): f.match for f in found}
    assert by[("trad", "cn-ad-law/statutory-absolute-terms")] == "國家級"
    assert by[("trad", "cn-returns/no-returns-wording")] == "概不退換"
    assert ("circled", "cn-ad-law/first-place-claims") in by
    # 第10名 is a tenth place, not a first.
    assert not {r for s, r in claims(cn("tenth", "第10名 保温杯 热销")) if r == "cn-ad-law/first-place-claims"}


def test_a_term_marked_word_is_not_read_inside_other_words():
    found = claims(
        cn("porcelain", "完美白瓷肌 粉底液 30ml", "cosmetics/makeup"),
        cn("skirt", "甜美白裙 连衣裙", "cosmetics/skincare"),
        cn("whitening", "烟酰胺美白精华 30ml", "cosmetics/skincare"),
        cn("sunscreen", "户外防晒霜 50ml", "cosmetics/sunscreen"),
        cn("brand", "南极品牌羽绒服 保暖", "apparel/women"),
        cn("tea", "极品大红袍 礼盒", "food/tea"),
    )
    assert ("porcelain", "cn-cosmetics/special-efficacy-unregistered") not in found
    assert ("skirt", "cn-cosmetics/special-efficacy-unregistered") not in found
    assert ("whitening", "cn-cosmetics/special-efficacy-unregistered") in found
    assert ("sunscreen", "cn-cosmetics/special-efficacy-unregistered") in found  # 防晒 heads 防晒霜
    assert ("brand", "cn-ad-law/absolute-superlatives") not in found
    assert ("tea", "cn-ad-law/absolute-superlatives") in found


def test_separators_are_evasions_but_a_comma_ends_a_statement():
    found = claims(cn("comma", "南极，品牌直供 羽绒服", "apparel/women"),
                   cn("dash", "极-品 大红袍 礼盒", "food/tea"))
    assert ("comma", "cn-ad-law/absolute-superlatives") not in found
    assert ("dash", "cn-ad-law/absolute-superlatives") in found


def test_the_shipped_variant_table_is_what_opencc_gives():
    """rules/vocab/han-variants.yaml is written by tools/han_variants.py from OpenCC, never by hand."""
    pytest.importorskip("opencc", reason="OpenCC is a test dependency (pip install -e '.[test]')")
    import importlib.util

    spec = importlib.util.spec_from_file_location("han_variants", ROOT / "tools" / "han_variants.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    shipped = yaml.safe_load((ROOT / "rules" / "vocab" / "han-variants.yaml").read_text(encoding="utf-8"))
    pairs = {pair[0]: pair[1] for pair in shipped["chars"].split()}
    assert pairs == tool.table()


def test_state_organ_honour_and_refusal_wording_beyond_the_plain_lists():
    found = claims(
        cn("banquet", "酱香型白酒 53度 500ml 國宴專用", "beverages/alcohol"),
        cn("promo", "【11.11特供】保湿面霜 50ml", "cosmetics/skincare"),
        cn("honour", "中国名牌 电饭煲 4L 智能预约", "appliances/kitchen"),
        cn("fee", "铝框行李箱 24寸", "bags/luggage", description="七天无理由退货需扣除30%手续费，运费由买家承担。"),
        cn("swap", "男士羽绒服 白鸭绒", "apparel/men", description="不满意只换不退。"),
        cn("freight", "铝框行李箱 24寸", "bags/luggage", description="支持七天无理由退货，退回运费由买家承担。"),
    )
    assert ("banquet", "cn-ad-law/state-organ-endorsement") in found
    assert not {r for s, r in found if s == "promo" and r == "cn-ad-law/state-organ-endorsement"}
    assert ("honour", "cn-ad-law/abolished-honours") in found
    assert ("fee", "cn-returns/return-fee") in found
    assert ("swap", "cn-returns/no-returns-wording") in found
    assert not {r for s, r in found if s == "freight"}


def test_trademarks_that_contain_a_term_and_other_markets_are_left_alone():
    us = {"sku": "us", "title": "Chinese Calligraphy Scroll, Hand-Written 天下第一, 24x60 in", "category": "home",
          "platform": "amazon", "market": "US", "locale": "en-US", "spec": {}}
    found = claims(cn("bike", "永久牌自行车 26寸 城市通勤车", "sports/cycling"),
                   cn("warranty", "自行车 26寸 永久保修", "sports/cycling"), us)
    assert not {r for s, r in found if s in ("bike", "us")}
    assert {r for s, r in found if s == "warranty"}
