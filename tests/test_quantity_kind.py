"""The `quantity` and `composition` kinds through the built-in mismatch pack: values, binding traps."""

from __future__ import annotations

import pytest

from listcheck.api import load_rules
from listcheck.engine import Engine
from listcheck.model import Product


@pytest.fixture(scope="module")
def engine():
    return Engine(load_rules(["mismatch"]).rules)


def flagged(engine, **fields):
    product = Product.model_validate({"sku": "S", **fields})
    return [(f.rule, f.match, f.expected, f.found) for f in engine.check_product(product)]


@pytest.mark.parametrize(
    "fields, expected",
    [
        # unit forms agree after conversion
        ({"title": "东北大米 0.5kg", "spec": {"net_content": "500 g"}}, []),
        ({"title": "荞麦面 1斤", "spec": {"net_content": "500 g"}}, []),
        ({"title": "茶叶 半斤装", "spec": {"net_content": "250 g"}}, []),
        ({"title": "茶叶 2两", "spec": {"net_content": "100 g"}}, []),
        ({"title": "蜂蜜 五百克", "spec": {"net_content": "500 g"}}, []),
        ({"title": "矿泉水 ５００ｍｌ", "spec": {"net_content": "0.5 L"}}, []),
        ({"title": "橙汁 250ml×2", "spec": {"net_content": "500 ml"}}, []),
        ({"title": "Cola 6 x 330 ml", "spec": {"net_content": "1980 ml"}}, []),
        ({"title": "Rice 1.1 lb", "spec": {"net_content": "500 g"}}, []),            # 1% and rounding
        # contradictions, with both values
        ({"title": "东北大米 1kg", "spec": {"net_content": "500 g"}},
         [("mismatch/net-content", "1kg", "500 g", "1 kg")]),
        ({"title": "鲜榨橙汁 净含量：1.5L", "spec": {"net_content": "1 L"}},
         [("mismatch/net-content", "1.5L", "1 L", "1.5 L")]),
        ({"title": "充电宝 20000mAh", "spec": {"battery_capacity": "10000 mAh"}},
         [("mismatch/battery-capacity", "20000mAh", "10000 mAh", "20000 mAh")]),
        ({"title": "手机 6GB+128GB", "spec": {"ram": "8GB"}},
         [("mismatch/ram", "6GB", "8 GB", "6 GB")]),
        # binding traps: not about the attribute, so no finding
        ({"title": "折叠凳 最大承重 20kg", "spec": {"net_content": "2 kg"}}, []),                  # a load limit
        ({"title": "Laptop sleeve, fits laptops up to 15.6 inch screen", "spec": {"screen_size": "14 inch"}}, []),  # a compatible size
        ({"title": "儿童积木 适合3-6岁", "spec": {"net_content": "1 kg"}}, []),                   # an age range
        ({"title": "iPhone 15 手机壳", "spec": {"storage": "128GB"}}, []),                        # a model number
        ({"title": "Redmi Note 9 Pro 5G 8GB+128GB", "spec": {"ram": "8GB", "storage": "128GB"}}, []),
        ({"title": "手机 4800w像素", "spec": {"充电器": "5V/1A"}}, []),                              # w = 万 pixels
        ({"title": "大米 500g/1kg 两种规格", "spec": {"net_content": "1 kg"}}, []),              # options
        # audience (gender / age group)
        ({"title": "女款 运动跑鞋", "category": "shoes", "spec": {"gender": "男"}},
         [("mismatch/audience", "女款", "男", "女款")]),
        ({"title": "男款 运动跑鞋", "category": "shoes", "spec": {"gender": "男女通用"}}, []),
        ({"title": "Boys T-shirt", "category": "apparel", "spec": {"Ideal For": "Men's"}},
         [("mismatch/audience", "Boys", "Men's", "Boys")]),
        # model numbers
        ({"title": "华为 Mate 50 手机", "category": "phones", "spec": {"model": "Mate 40"}},
         [("mismatch/model", "Mate 50", "Mate 40", "Mate 50")]),
        ({"title": "华为 Mate40 Pro", "category": "phones", "spec": {"model": "MATE 40"}}, []),
        ({"title": "Case for iPhone 14", "category": "phones/accessories", "spec": {"model": "iPhone 13"}}, []),
        ({"title": "Elegance Curtain", "category": "home-textiles", "spec": {"model": "Duster25"}}, []),
        # composition
        ({"title": "纯棉T恤", "spec": {"composition": "65%棉 35%聚酯纤维"}},
         [("mismatch/composition-claim", "纯棉", "65% cotton 35% polyester", "100% cotton")]),
        ({"title": "纯棉T恤", "spec": {"composition": {"cotton": 100}}}, []),
        ({"title": "仿真丝睡衣", "spec": {"composition": "100%聚酯纤维"}}, []),
        ({"title": "T恤", "spec": {"composition": "65%棉 25%聚酯纤维"}},
         [("mismatch/composition-sum", None, "100%", "90%")]),
    ],
)
def test_quantities_and_compositions(engine, fields, expected):
    assert flagged(engine, **fields) == expected
