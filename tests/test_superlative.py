"""The `superlative` kind: 最 with any word about the goods, read by segmenting the text around
it; words of time, order and discourse, measures before what they measure, and exceptions are
not claims."""

from __future__ import annotations

from kind_helpers import engine_for, found

from listcheck.model import Product

RULE = """
- id: t/most
  kind: superlative
  category: prohibited-claim
  severity: error
  fields: [title, description]
  not_claims: [最近, 最新, 最新款, 最后, 最重要]
  measures: [最高, 最大, 最低]
  exceptions: [最好在]
  message: "{match}"
"""


def matches(engine, text):
    return [f[2] for f in found(engine, title=text)]


def test_most_with_a_coined_word_is_a_claim(tmp_path):
    engine = engine_for(tmp_path, RULE)
    assert matches(engine, "最舒适的记忆棉枕头") == ["最舒适"]
    assert matches(engine, "夏季最透气跑步鞋") == ["最透气"]
    assert matches(engine, "最顺滑的中性笔 0.5mm") == ["最顺滑"]
    # A not-claim is the whole word, not a prefix: 最新鲜 (freshest) is a claim, 最新 (newest) is not.
    assert matches(engine, "最新鲜的水果") == ["最新鲜"]


def test_time_order_discourse_and_exceptions_are_no_claims(tmp_path):
    engine = engine_for(tmp_path, RULE)
    for text in ("最近上新 法式连衣裙", "最新款 2024 春季", "最重要的是安全", "开封后最好在 3 天内吃完", "最后一天发货截止"):
        assert matches(engine, text) == [], text


def test_a_measure_before_what_it_measures_is_a_parameter_at_the_end_a_claim(tmp_path):
    engine = engine_for(tmp_path, RULE)
    assert matches(engine, "最高转速 6000 转") == []
    assert matches(engine, "最大容量 5L 电饭煲") == []
    assert matches(engine, "价格最低。") == ["最低"]
    assert matches(engine, "最大的品牌") == ["最大"]


def test_one_finding_per_field_and_offsets_into_the_written_text(tmp_path):
    engine = engine_for(tmp_path, RULE)
    findings = engine.check_product(Product(sku="S", title="最舒適的枕頭 最柔软", description="最透气"))
    by_field = {f.field: f for f in findings}
    assert set(by_field) == {"title", "description"}
    title = by_field["title"]
    assert title.match == "最舒適" and title.span.start == 0 and title.span.end == 3  # traditional, as written
