"""Sentences in which an absolute term is lawful (SAMR《广告绝对化用语执法指南》2023, Art.6):
the seller's own goods compared with each other, a standard's grade, a dated and sourced sales
fact. The frame must be whole: a marker beside a market claim does not shield it."""

from __future__ import annotations

import pytest

from listcheck import api

RULES = api.load_rules(["recommended"])


def cn(sku, title, description, category="home/drinkware"):
    return {"sku": sku, "title": title, "description": description, "category": category,
            "platform": "tmall", "market": "CN", "locale": "zh-CN", "spec": {}}


def ad_law_skus(*records):
    return {f.sku for f in api.check_records(list(records), RULES) if f.rule.startswith("cn-ad-law/")}


def test_exempt_frames_pass_and_their_bare_claims_are_still_flagged():
    flagged = ad_law_skus(
        cn("own", "保温杯 1L", "这是本品牌保温杯系列中容量最大的一款（与本品牌350ml、500ml款相比）。"),
        cn("own-bare", "保温杯 1L", "容量最大的保温杯，本品牌出品。"),
        cn("grade", "三防手机", "防护等级IP68，即IEC 60529标准中防尘防水的最高级别。", "electronics/phones"),
        cn("grade-bare", "三防手机", "最高级别的三防手机。", "electronics/phones"),
        cn("dated", "吹风机", "2023年度天猫平台吹风机类目销量第一（数据来源：天猫生意参谋）。", "appliances/personal-care"),
        cn("dated-bare", "吹风机", "天猫吹风机类目销量第一。", "appliances/personal-care"),
        cn("shop-bare", "保温杯", "本店最低价，全网最好的保温杯。"),
    )
    assert "own" not in flagged and "grade" not in flagged and "dated" not in flagged
    assert {"own-bare", "grade-bare", "dated-bare", "shop-bare"} <= flagged


def test_a_sentence_break_ends_the_frame():
    """The exemption covers its own sentence: a claim in the next one is a claim."""
    flagged = ad_law_skus(cn("next", "保温杯", "这是本品牌系列中容量最大的一款。全网最好的保温杯！"))
    assert "next" in flagged


def test_an_unknown_exemption_name_is_a_load_error(tmp_path):
    pack = tmp_path / "p.yaml"
    pack.write_text("pack: p\ntitle: P\nrules:\n  - id: p/x\n    kind: terms\n    category: prohibited-claim\n"
                    "    severity: error\n    terms: [最好]\n    exempt: [self-compare]\n    message: x\n", encoding="utf-8")
    with pytest.raises(Exception, match="unknown exemption 'self-compare'"):
        api.load_rules([str(pack)])
