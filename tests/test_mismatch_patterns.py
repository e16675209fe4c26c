"""Spec-mismatch patterns from real listings (JD, Tmall, Amazon, Flipkart, Myntra).

Each test covers one pattern of the issue: a listing in which the finding MUST appear and, paired
with it, a listing in which it must NOT. Patterns 1-6 are false alarms (the clean listing is the
point; the flagged one shows the rule still works); patterns 7-15 are misses (the flagged listing
is the point; the clean one keeps the fix from flagging everything). Records go through the
public API with the default config, i.e. what a user sees (medium confidence and up).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from listcheck import api
from listcheck.config import Config

RULES = api.load_rules(["mismatch"])

LOCALES = {"CN": "zh-CN", "US": "en-US", "IN": "en-IN", "IT": "it-IT"}
PLATFORM_MARKET = {"jd": "CN", "tmall": "CN", "amazon": "US", "flipkart": "IN", "myntra": "IN"}


def listing(sku, title, spec, category, platform, market=None, **text):
    """One record as a catalog row has it; `text` is description= and/or bullets=."""
    market = market or PLATFORM_MARKET[platform]
    return {"sku": sku, "title": title, "category": category, "platform": platform,
            "market": market, "locale": LOCALES[market], "spec": spec, **text}


def run(*records, config=None):
    by_sku = defaultdict(list)
    for finding in api.check_records(list(records), RULES, config=config):
        by_sku[finding.sku].append(finding)
    return by_sku


def summary(findings):
    return [(f.rule, f.match, f.field) for f in findings]


def assert_pair(flag, rule, match, clean, clean_rule):
    """`rule` is reported for `flag` (quoting `match` when given); `clean` gets no finding of
    `clean_rule`, or of any mismatch rule when `clean_rule` is None."""
    found = run(flag, clean)
    hits = [f for f in found[flag["sku"]] if f.rule == rule]
    assert hits, f"{flag['sku']}: expected {rule}, got {summary(found[flag['sku']])}"
    if match is not None:
        assert any(f.match == match for f in hits), f"{flag['sku']}: {rule} should quote {match!r}, got {summary(hits)}"
    bad = [f for f in found[clean["sku"]]
           if (f.rule == clean_rule if clean_rule else f.rule.startswith("mismatch/"))]
    assert not bad, f"{clean['sku']}: expected no {clean_rule or 'mismatch finding'}, got {summary(bad)}"


def pair(flag, rule, match, clean, clean_rule=None, id=None):
    return pytest.param(flag, rule, match, clean, clean_rule, id=id or f"{flag['sku']}|{clean['sku']}")


# -- false alarms (patterns 1-6): the clean listing is the point ---------------------------------

@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("watch-bad", "Fastrack Analog Men's Watch 3120SM02 - Black", {"color": "Blue"}, "watches", "amazon", "IN"),
         "mismatch/color", "Black",
         listing("watch-ok", "Fastrack Analog Men's Watch 3120SM02", {"color": "Blue"}, "watches", "amazon", "IN",
                 description="A golden finish case, a black strap and gold patterns on the blue dial.")),
    pair(listing("kurta-bad", "Anouk Women Red Ethnic Motifs Printed Kurta", {"color": "Green"}, "apparel/ethnic", "myntra"),
         "mismatch/color", "Red",
         listing("kurta-ok", "Anouk Women Ethnic Motifs Printed Kurta", {"color": "Green"}, "apparel/ethnic", "myntra",
                 bullets=["Green kurta with gold patterns", "Black piping on the neckline"])),
    pair(listing("fryer-bad", "Philips Air Fryer HD9200/90 - White", {"color": "Black"}, "appliances/air-fryers", "amazon", "IN"),
         "mismatch/color", "White",
         listing("fryer-ok", "Philips Air Fryer HD9200/90 with clear glass window", {"color": "Black", "material": "Plastic"},
                 "appliances/air-fryers", "amazon", "IN", description="Watch your food cook through the clear glass window.")),
    pair(listing("spk-bad", "boAt Stone 350 Bluetooth Speaker (Black)", {"color": "Blue"}, "electronics/speakers", "flipkart"),
         "mismatch/color", "Black",
         listing("spk-ok", "boAt Stone 350 Bluetooth Speaker with crystal clear sound", {"color": "Blue"},
                 "electronics/speakers", "flipkart", description="10W RMS, crystal clear sound, IPX7.")),
    pair(listing("tea-bad", "Lipton Green Tea Bags 100 Pieces, Red Box", {"color": "Yellow"}, "food/tea", "amazon", "IN"),
         "mismatch/color", "Red",
         listing("tea-ok", "Lipton Honey Lemon Green Tea Bags 100 Pieces", {"color": "Yellow"}, "food/tea", "amazon", "IN",
                 description="Golden honey and fresh lemon in every cup.")),
    pair(listing("cup-bad", "膳魔师 保温杯 500ml 316不锈钢内胆", {"material": "304不锈钢"}, "home/drinkware", "tmall"),
         "mismatch/material", "316不锈钢",
         listing("cup-ok", "膳魔师 保温杯 500ml 304不锈钢内胆 食品级硅胶密封圈", {"material": "304不锈钢"}, "home/drinkware", "tmall")),
    pair(listing("lid-bad", "膳魔师 保温杯 500ml 黑色", {"color": "白色"}, "home/drinkware", "tmall"),
         "mismatch/color", "黑色",
         listing("lid-ok", "膳魔师 保温杯 500ml 304不锈钢内胆 黑色杯盖", {"color": "白色"}, "home/drinkware", "tmall")),
])
def test_p01_part_or_decoration_colour_material(flag, rule, match, clean, clean_rule):
    """Pattern 1: a colour/material word describing a part, a decoration, the food or the contents."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("ph-bad", "Redmi 12 5G 6000mAh大电池 8GB+256GB", {"battery_capacity": "5000mAh", "ram": "8GB", "storage": "256GB"},
                 "phones/mobile-phones", "jd"), "mismatch/battery-capacity", "6000mAh",
         listing("ph-ok", "Redmi 12 5G 5000mAh大电池 8GB+256GB 赠10000mAh充电宝",
                 {"battery_capacity": "5000mAh", "ram": "8GB", "storage": "256GB"}, "phones/mobile-phones", "jd"),
         "mismatch/battery-capacity"),
    pair(listing("rc-bad", "美的 电饭煲 4L 额定功率1200W", {"power": "800W"}, "appliances/rice-cookers", "jd"),
         "mismatch/power", "1200W",
         listing("rc-ok", "美的 电饭煲 4L 800W + 电热水壶 1.7L 1800W 两件套", {"power": "800W"}, "appliances/rice-cookers", "jd"),
         "mismatch/power"),
])
def test_p02_gift_or_bundle_value(flag, rule, match, clean, clean_rule):
    """Pattern 2: a gift's or a bundled appliance's value is not read as the product's."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("mi-bad", "华为 Mate 60 Pro 12GB+512GB", {"brand": "小米（MI）"}, "phones/mobile-phones", "jd"),
         "mismatch/brand", None,
         listing("mi-ok", "小米13 徕卡光学镜头 第二代骁龙8处理器 索尼IMX800 5G手机", {"brand": "小米（MI）"}, "phones/mobile-phones", "jd",
                 description="高通骁龙8 Gen2，徕卡影像，索尼IMX800传感器。"), None),
    pair(listing("x13-bad", "Samsung Galaxy S23 5G", {"brand": "Xiaomi"}, "phones/mobile-phones", "amazon", "IN"),
         "mismatch/brand", None,
         listing("x13-ok", "Xiaomi 13 Pro 5G (Ceramic White, 12GB RAM, 256GB Storage)", {"brand": "Xiaomi"}, "phones/mobile-phones",
                 "amazon", "IN", bullets=["Leica Summicron optics with a Sony IMX989 1-inch sensor", "Qualcomm Snapdragon 8 Gen 2"]), None),
    pair(listing("car-bad", "Sony XAV-AX3200 Car Stereo", {"brand": "Pioneer"}, "electronics/car-audio", "amazon"),
         "mismatch/brand", None,
         listing("car-ok", "Pioneer DMH-1770NEX 6.8\" Car Stereo Receiver with Apple CarPlay, Android Auto", {"brand": "Pioneer"},
                 "electronics/car-audio", "amazon", bullets=["Works with Google Assistant and Siri"]), None),
    pair(listing("k60-bad", "荣耀 X50 5G手机", {"brand": "小米（MI）"}, "phones/mobile-phones", "jd"),
         "mismatch/brand", None,
         listing("k60-ok", "Redmi K60 至尊版 天玑9200+ 王者荣耀满帧畅玩 5G手机", {"brand": "小米（MI）"}, "phones/mobile-phones", "jd"), None),
    pair(listing("gal-bad", "Samsung Galaxy Buds2 Pro", {"brand": "Rossetta"}, "electronics/lighting", "amazon"),
         "mismatch/brand", None,
         listing("gal-ok", "Rossetta Galaxy Projector, Star Projector Night Light with Bluetooth Speaker", {"brand": "Rossetta"},
                 "electronics/lighting", "amazon"), None),
])
def test_p03_component_partner_or_sub_brand(flag, rule, match, clean, clean_rule):
    """Pattern 3: a component's/partner's brand, a game or series name, a sub-brand is no rival brand."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("pr-bad", "小米13 12GB+256GB", {"price": "¥3999", "list_price": "¥4299"}, "phones/mobile-phones", "jd",
                 description="售价：4599元"), "mismatch/price", None,
         listing("pr-ok", "小米13 12GB+256GB 领券立减300 券后3699", {"price": "¥3999", "list_price": "¥4299"}, "phones/mobile-phones", "jd",
                 description="到手价3699元，比原价4299元再省600。"), "mismatch/price"),
    pair(listing("in-bad", "Bombay Dyeing Cotton Bedsheet", {"price": "Rs. 698", "list_price": "Rs. 2599"}, "home-textiles", "flipkart",
                 description="Price: Rs. 998. Soft cotton."), "mismatch/price", None,
         listing("in-ok", "Bombay Dyeing Cotton Bedsheet", {"price": "Rs. 698", "list_price": "Rs. 2599"}, "home-textiles", "flipkart",
                 description="Effective price Rs. 599 after coupon. Apply coupon for Rs. 99 off."), "mismatch/price"),
])
def test_p04_coupon_price_is_not_the_price(flag, rule, match, clean, clean_rule):
    """Pattern 4: a coupon / after-discount price (券后, 到手价, 领券立减300) is not the list price."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("egg-bad", "德青源 鲜鸡蛋 6枚 360g", {"net_content": "500g"}, "fresh-food/eggs", "jd"),
         "mismatch/net-content", "360g",
         listing("egg-ok", "德青源 鲜鸡蛋 6枚 360g", {"net_content": "6"}, "fresh-food/eggs", "jd"), "mismatch/net-content"),
    pair(listing("cam-bad", "Redmi Note 12 64MP Camera", {"camera": "48"}, "phones/mobile-phones", "amazon", "IN"),
         "mismatch/camera", "64MP",
         listing("cam-ok", "Redmi Note 12 48MP AI Triple Camera", {"camera": "48"}, "phones/mobile-phones", "amazon", "IN"),
         "mismatch/camera"),
])
def test_p05_spec_number_without_unit(flag, rule, match, clean, clean_rule):
    """Pattern 5: a unitless spec number takes the attribute's unit (or is a count), not a contradiction."""
    assert_pair(flag, rule, match, clean, clean_rule)


# NOTE (pattern 6): this encodes the view that one phrase of the text is one finding, not
# one per spec key it is compared with. If the project decides that a net-content and a weight
# finding on the same words are both legitimate, change the "at most one" assertion below.
@pytest.mark.parametrize("record", [
    listing("dup-1", "Tata Sampann Unpolished Toor Dal", {"net_content": "500 g", "weight": "500 g"}, "food/pulses", "amazon", "IN",
            bullets=["Weight: 1 kg"]),
    listing("dup-2", "Daawat Basmati Rice, Weight: 5 kg", {"net_content": "1 kg", "weight": "1 kg"}, "food/grains/rice", "amazon", "IN"),
], ids=lambda r: r["sku"])
def test_p06_one_phrase_one_finding(record):
    """Pattern 6: the same phrase is not reported twice, once per spec key (at most one per match)."""
    findings = run(record)[record["sku"]]
    assert findings, "the contradiction itself must still be reported"
    per_match = Counter((f.sku, f.match) for f in findings if f.rule.startswith("mismatch/"))
    twice = {key: n for key, n in per_match.items() if n > 1}
    assert not twice, f"reported more than once: {twice} in {summary(findings)}"


# -- misses (patterns 7-15): the flagged listing is the point --------------------------------------

@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("ram-bad", "OPPO A58 5G手机", {"ram": "8GB"}, "phones/mobile-phones", "jd",
                 description="运行内存8GB，流畅不卡顿。内存融合技术加持，实际运行内存12GB。"), "mismatch/ram", "12GB",
         listing("ram-ok", "OPPO A58 5G手机", {"ram": "8GB"}, "phones/mobile-phones", "jd",
                 description="运行内存8GB，流畅不卡顿。实际运行内存8GB，后台多开无压力。"), "mismatch/ram"),
    pair(listing("mat-bad", "Stainless Steel Lunch Box", {"material": "Steel"}, "home/kitchen", "amazon", "IN",
                 description="Material: steel. Leak-proof lid. Material: plastic, BPA free."), "mismatch/material-stated", None,
         listing("mat-ok", "Stainless Steel Lunch Box", {"material": "Steel"}, "home/kitchen", "amazon", "IN",
                 description="Material: steel. Leak-proof lid. Material: stainless steel, rust free."), "mismatch/material-stated"),
])
def test_p07_repeated_then_contradicted(flag, rule, match, clean, clean_rule):
    """Pattern 7: the spec value repeated once does not hide a later, cued contradiction."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("mdl-bad", "Cello Opalware Dazzle Dinner Set 237MBB, 19 Pieces", {"model": "106MBB"}, "home/kitchen", "amazon", "IN"),
         "mismatch/model", None,
         listing("mdl-ok", "Cello Opalware Dazzle Dinner Set 106MBB, 19 Pieces", {"model": "106MBB"}, "home/kitchen", "amazon", "IN"),
         "mismatch/model"),
    pair(listing("num-bad", "Honeywell Quietset Tower Fan", {"model": "1001"}, "appliances/fans", "amazon",
                 bullets=["Model 1002, 8 speed settings"]), "mismatch/model", None,
         listing("num-ok", "Honeywell Quietset Tower Fan", {"model": "1001"}, "appliances/fans", "amazon",
                 bullets=["Model 1001, 8 speed settings"]), "mismatch/model"),
])
def test_p08_model_numbers_beyond_letters_digits(flag, rule, match, clean, clean_rule):
    """Pattern 8: model numbers of other shapes (237MBB vs 106MBB, Model 1002 vs 1001)."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("peach-bad", "Libas Women Peach-Coloured Yoke Design Kurta", {"color": "Red"}, "apparel/ethnic", "myntra"),
         "mismatch/color", "Peach-Coloured",
         listing("peach-ok", "Libas Women Peach-Coloured Yoke Design Kurta", {"color": "Peach"}, "apparel/ethnic", "myntra"),
         "mismatch/color"),
    pair(listing("ip-bad", "Apple iPhone 13 (A2634) 128GB 远峰蓝色", {"color": "黑色"}, "phones/mobile-phones", "jd"),
         "mismatch/color", None,
         listing("ip-ok", "Apple iPhone 13 (A2634) 128GB 远峰蓝色", {"color": "蓝色"}, "phones/mobile-phones", "jd"), "mismatch/color"),
    pair(listing("idol-bad", "Ganesha Idol for Home Decor", {"material": "Wood"}, "home/decor", "amazon", "IN",
                 description="This brass idol brings good luck to your home."), "mismatch/material-stated", None,
         listing("idol-ok", "Ganesha Idol for Home Decor", {"material": "Brass"}, "home/decor", "amazon", "IN",
                 description="This brass idol brings good luck to your home."), "mismatch/material-stated"),
    pair(listing("tao-bad", "澳洲水蜜桃 新鲜当季 5斤装", {"origin": "中国"}, "fresh-food/fruit", "jd"),
         "mismatch/origin", None,
         listing("tao-ok", "无锡阳山水蜜桃 新鲜当季 5斤装", {"origin": "中国"}, "fresh-food/fruit", "jd"), "mismatch/origin"),
    pair(listing("imp-bad", "进口 纯牛奶 1L*12盒 整箱", {"国产/进口": "国产"}, "food/dairy", "jd"),
         "mismatch/origin", None,
         listing("imp-ok", "国产 纯牛奶 250ml*12盒 整箱", {"国产/进口": "国产"}, "food/dairy", "jd"), "mismatch/origin"),
])
def test_p09_marketing_colours_cueless_material_origin(flag, rule, match, clean, clean_rule):
    """Pattern 9: marketing colour names, a material without a cue, an origin without 产地 (and JD's 国产/进口)."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("mon-bad", "LG 27 Inch 4K UHD IPS Monitor 27UP600", {"screen_size": "32 inches"}, "computers/monitors", "amazon"),
         "mismatch/screen-size", None,
         listing("mon-ok", "LG 32 Inch 4K UHD IPS Monitor 32UN500", {"screen_size": "32 inches"}, "computers/monitors", "amazon"),
         "mismatch/screen-size"),
    pair(listing("tv-bad", "海信电视 55E3H 55英寸 4K超高清 智能液晶平板电视", {"screen_size": "65英寸"}, "appliances/tvs", "jd"),
         "mismatch/screen-size", None,
         listing("tv-ok", "海信电视 65E3H 65英寸 4K超高清 智能液晶平板电视", {"screen_size": "65英寸"}, "appliances/tvs", "jd"),
         "mismatch/screen-size"),
    pair(listing("ssd-bad", "Samsung T7 2TB Portable SSD, USB 3.2 Gen 2", {"storage": "1TB"}, "computers/storage", "amazon"),
         "mismatch/storage", None,
         listing("ssd-ok", "Samsung T7 1TB Portable SSD, USB 3.2 Gen 2", {"storage": "1TB"}, "computers/storage", "amazon"),
         "mismatch/storage"),
])
def test_p10_headline_quantity_without_cue(flag, rule, match, clean, clean_rule):
    """Pattern 10: a category's headline quantity (monitor/TV inches, drive terabytes) needs no cue word."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("rr-bad", "realme narzo N55 (Prime Blue, 8RAM+128ROM)", {"ram": "6GB", "storage": "128GB"},
                 "phones/mobile-phones", "flipkart"), "mismatch/ram", None,
         listing("rr-ok", "realme narzo N55 (Prime Blue, 8RAM+128ROM)", {"ram": "8GB", "storage": "128GB"},
                 "phones/mobile-phones", "flipkart"), "mismatch/ram"),
    pair(listing("pl-bad", "vivo Y78 5G 8+256 全网通手机", {"ram": "8GB", "storage": "128GB"}, "phones/mobile-phones", "jd"),
         "mismatch/storage", None,
         listing("pl-ok", "vivo Y78 5G 8+256 全网通手机", {"ram": "8GB", "storage": "256GB"}, "phones/mobile-phones", "jd"),
         "mismatch/storage"),
])
def test_p11_ram_storage_shorthand(flag, rule, match, clean, clean_rule):
    """Pattern 11: RAM/storage written as 8RAM+128ROM or 8+256."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("gw-bad", "三只松鼠 每日坚果 400g*2袋", {"weight": "500g"}, "food/snacks/nuts", "jd"),
         "mismatch/net-content-over-gross-weight", None,
         listing("gw-ok", "三只松鼠 每日坚果 400g*2袋", {"weight": "850g"}, "food/snacks/nuts", "jd"),
         "mismatch/net-content-over-gross-weight"),
])
def test_p12_per_unit_times_count_over_gross(flag, rule, match, clean, clean_rule):
    """Pattern 12: an amount per unit times a count (400g*2 = 800 g) against JD's gross weight."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("it-l-bad", "Acqua Minerale Naturale San Benedetto, bottiglia da 0,5 litri", {"net_content": "1 l"},
                 "beverages/waters", "amazon", "IT"), "mismatch/net-content", None,
         listing("it-l-ok", "Acqua Minerale Naturale San Benedetto, bottiglia da 1 litro", {"net_content": "1 l"},
                 "beverages/waters", "amazon", "IT"), "mismatch/net-content"),
    pair(listing("it-kg-bad", "Barilla Spaghetti n.5, confezione da 1,5 kg", {"net_content": "500 g"}, "food/pasta", "amazon", "IT"),
         "mismatch/net-content", None,
         listing("it-kg-ok", "Barilla Spaghetti n.5, confezione da 0,5 kg", {"net_content": "500 g"}, "food/pasta", "amazon", "IT"),
         "mismatch/net-content"),
])
def test_p13_units_in_other_languages(flag, rule, match, clean, clean_rule):
    """Pattern 13: units and decimal commas of other languages (0,5 litri; 1,5 kg)."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("pk-bad", "Dettol Original Liquid Handwash Refill 750ml (Pack of 3)", {"pack_count": "1"}, "personal-care/hand-wash",
                 "amazon", "IN"), "mismatch/pack-count", None,
         listing("pk-ok", "Dettol Original Liquid Handwash Refill 750ml (Pack of 3)", {"pack_count": "3"}, "personal-care/hand-wash",
                 "amazon", "IN"), "mismatch/pack-count"),
    pair(listing("bt-bad", "Nature Made Fish Oil 1200 mg, 3 Bottles", {"pack_count": "1"}, "health-food/vitamins", "amazon"),
         "mismatch/pack-count", None,
         listing("bt-ok", "Nature Made Fish Oil 1200 mg, 100 Softgels", {"pack_count": "1"}, "health-food/vitamins", "amazon"),
         "mismatch/pack-count"),
    pair(listing("ping-bad", "农夫山泉 饮用天然水 550ml*6瓶装", {"pack_count": "12"}, "beverages/water", "jd"),
         "mismatch/pack-count", None,
         listing("ping-ok", "农夫山泉 饮用天然水 550ml*12瓶装", {"pack_count": "12"}, "beverages/water", "jd"), "mismatch/pack-count"),
])
def test_p14_pack_counts(flag, rule, match, clean, clean_rule):
    """Pattern 14: pack counts (Pack of 3, 3 Bottles, 6瓶装) against the spec's pack_count."""
    assert_pair(flag, rule, match, clean, clean_rule)


@pytest.mark.parametrize("flag, rule, match, clean, clean_rule", [
    pair(listing("gpu-bad", "联想 IdeaPad 15 酷睿i5-1235U 16G 512G MX550独显 轻薄笔记本", {"显卡型号": "集成显卡"}, "computers/laptops", "jd"),
         "mismatch/gpu", None,
         listing("gpu-ok", "联想 IdeaPad 15 酷睿i5-1235U 16G 512G 锐炬Xe核显 轻薄笔记本", {"显卡型号": "集成显卡"}, "computers/laptops", "jd"),
         "mismatch/gpu"),
    pair(listing("os-bad", "戴尔 成就3520 商务办公笔记本 预装windows10专业版", {"系统": "Windows 11"}, "computers/laptops", "jd"),
         "mismatch/os", None,
         listing("os-ok", "戴尔 成就3520 商务办公笔记本 预装windows11家庭版", {"系统": "Windows 11"}, "computers/laptops", "jd"),
         "mismatch/os"),
    pair(listing("hz-bad", "华硕 无畏Pro14 2.8K OLED 120Hz高刷屏 轻薄笔记本", {"屏幕刷新率": "90Hz"}, "computers/laptops", "jd"),
         "mismatch/refresh-rate", None,
         listing("hz-ok", "华硕 无畏Pro14 2.8K OLED 90Hz高刷屏 i5 睿频4.4GHz 轻薄笔记本", {"屏幕刷新率": "90Hz"}, "computers/laptops", "jd"),
         "mismatch/refresh-rate"),
])
def test_p15_jd_laptop_gpu_os_refresh(flag, rule, match, clean, clean_rule):
    """Pattern 15: GPU (独显 vs 集成显卡), OS (windows10 vs Windows 11) and refresh rate on JD laptops."""
    assert_pair(flag, rule, match, clean, clean_rule)


# -- confidence -----------------------------------------------------------------------------------

def _flag_records():
    """The must-flag listing of every pair above."""
    tests = [value for name, value in globals().items() if name.startswith("test_p") and hasattr(value, "pytestmark")]
    return [param.values[0] for test in tests for mark in test.pytestmark if mark.name == "parametrize"
            for param in mark.args[1] if isinstance(param, tuple)]  # pytest.param(...), not a bare record


def test_confidence_on_every_mismatch_finding():
    """Every spec-mismatch finding carries a confidence (all levels shown); a cue word binds it high."""
    records = _flag_records() + [
        listing("cue", "云南普洱茶饼 熟茶", {"net_content": "1kg"}, "food/tea", "tmall", description="净含量：500g"),
    ]
    found = run(*records, config=Config(min_confidence="low"))
    missing = [(f.sku, f.rule, f.match) for fs in found.values() for f in fs
               if f.category.value == "spec-mismatch" and f.confidence is None]
    assert not missing, f"spec-mismatch findings without a confidence: {missing}"
    cue = [f for f in found["cue"] if f.rule == "mismatch/net-content"]
    assert cue and cue[0].match == "500g", summary(found["cue"])
    assert cue[0].confidence is not None and cue[0].confidence.value == "high"


# Patterns issue #14 names that the mismatch pack does not handle yet. Each case is expected to
# fail (strict: the day one passes, this list must shrink), so main stays green while the gap
# stays visible.
KNOWN_GAPS = {
    "lid-bad|lid-ok": "a colour before a Chinese part noun (黑色杯盖) is still read as the product's",
    "in-bad|in-ok": "'Effective price ... after coupon' is still read as the price",
    "idol-bad|idol-ok": "a material without a cue word is not read outside CN",
    "tao-bad|tao-ok": "origin without 产地 (澳洲水蜜桃) is not read",
    "imp-bad|imp-ok": "JD's 国产/进口 field is not checked",
    "mon-bad|mon-ok": "a monitor's headline inches without a cue are not bound",
    "tv-bad|tv-ok": "a TV's headline inches without a cue are not bound",
    "ssd-bad|ssd-ok": "a drive's headline TB without a cue is not bound",
}


@pytest.fixture(autouse=True)
def _known_gap(request):
    callspec = getattr(request.node, "callspec", None)
    reason = KNOWN_GAPS.get(callspec.id) if callspec is not None else None
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"not built yet (#14): {reason}"))


def test_load_ratings_are_not_contents_over_the_gross_weight():
    """A load rating a few words before its numbers ("load-bearing is about 340lb/450lb") or
    just before one ("Supports 39.6lbs") is no net amount, even in a list; an amount that is the
    contents is still held to the gross weight (8 peaches of 6两 in a 2 kg box)."""
    booth = listing("booth", "360 Photo Booth Machine", {"weight": "116.6 pounds"}, "electronics/cameras", "amazon", "US",
                    bullets=["The machine load-bearing is about 340lb/450lb/890lb/1310lb for 2/3/5/7 people"])
    tripod = listing("tripod", "Carbon Fiber Video Tripod", {"weight": "24 pounds"}, "electronics/cameras", "amazon", "US",
                     description="Supports 39.6lbs 18kg")
    peaches = listing("peach", "正宗无锡阳山水蜜桃6两8个礼盒装", {"weight": "2kg"}, "fresh-food/fruit", "jd")
    found = {(f.sku, f.rule) for f in api.check_records([booth, tripod, peaches], RULES)}
    assert ("booth", "mismatch/net-content-over-gross-weight") not in found
    assert ("tripod", "mismatch/net-content-over-gross-weight") not in found
    assert ("peach", "mismatch/net-content-over-gross-weight") in found


# -- binding: what a number or a word belongs to ----------------------------------------------


def found_rules(*records, config=None):
    return {(f.sku, f.rule, f.match) for f in api.check_records(list(records), RULES, config=config)}


def test_a_dimensions_chain_labelled_by_side_is_no_power_or_volume():
    """"18.99L x 16.99W x 12.499H" is length, width and height in a package's dimensions: the
    W is not watts and the L is not litres. "Power: 16.99W" still is a power rating."""
    box = listing("box", "Studio Light Kit", {"power": "45 watts"}, "electronics/cameras", "amazon",
                  bullets=["Package Dimensions: 18.99L x 16.99W x 12.499H inches"])
    lamp = listing("lamp", "Studio Light Kit", {"power": "45 watts"}, "electronics/cameras", "amazon",
                   bullets=["Power: 16.99W, daylight balanced"])
    found = {(sku, rule) for sku, rule, _ in found_rules(box, lamp)}
    assert ("box", "mismatch/power") not in found
    assert ("lamp", "mismatch/power") in found


def test_a_decimal_broken_by_a_stray_space_is_not_read_as_its_tail():
    """Exports break "24.2MP" into "24. 2MP": that is 24.2 MP, not 2 MP, so it agrees with a
    24.2 MP spec; a real 2 MP in a sentence of its own is still compared."""
    ok = listing("ok", "Mirrorless Camera Body", {"camera": "24.2 MP"}, "electronics/cameras", "amazon",
                 bullets=["24. 2MP APS-C CMOS sensor with fast autofocus"])
    bad = listing("bad", "Mirrorless Camera Body", {"camera": "24.2 MP"}, "electronics/cameras", "amazon",
                  bullets=["Sensor: 2MP CMOS, fixed focus"])
    found = {(sku, rule) for sku, rule, _ in found_rules(ok, bad)}
    assert ("ok", "mismatch/camera") not in found
    assert ("bad", "mismatch/camera") in found


def test_a_colour_glued_to_the_next_word_by_an_export_is_still_a_word():
    """Exports that glue table rows drop the space ("Grey and whiteFabric"): the case change is
    a word boundary, so the colour is read; inside one lower-case word ("whitewash") it is not."""
    glued = listing("glued", "Sofa Cover", {"color": "Blue"}, "home-textiles", "myntra",
                    description="Colour: whiteFabric: polyester")
    inside = listing("inside", "Sofa Cover", {"color": "Blue"}, "home-textiles", "myntra",
                     description="Colour: Bluewhitewash finish")
    found = {(sku, rule) for sku, rule, _ in found_rules(glued, inside)}
    assert ("glued", "mismatch/color") in found
    assert ("inside", "mismatch/color") not in found


def test_memory_options_and_cues_do_not_cross_a_clause():
    """A cue does not reach across a comma ("16G大内存，512G": 512G is the drive, not the RAM);
    16GB/32GB is a choice of options, not a RAM and a drive.
    "内存：8GB" against a 16 GB spec is still a contradiction."""
    spec = {"ram": "16GB", "storage": "512GB"}
    comma = listing("comma", "轻薄笔记本电脑 16G大内存，512G", spec, "computers/laptops", "jd")
    options = listing("options", "轻薄笔记本电脑", spec, "computers/laptops", "jd",
                      description="内存 16GB/32GB 可选配置")
    wrong = listing("wrong", "轻薄笔记本电脑", spec, "computers/laptops", "jd", description="内存：8GB")
    found = {(sku, rule) for sku, rule, _ in found_rules(comma, options, wrong)}
    assert ("comma", "mismatch/ram") not in found
    assert not {rule for sku, rule in found if sku == "options"}
    assert ("wrong", "mismatch/ram") in found


def test_a_weight_named_as_the_packages_or_per_piece_is_not_the_products():
    """"Package Weight: 39 kg" and "50g/pcs" are not the item's weight; "Weight: 5 kg"
    against a 1.2 kg spec is."""
    pack = listing("pack", "Portable Power Station", {"weight": "74.5 pounds"}, "electronics/power", "amazon",
                   bullets=["Package Weight: 39.009 kilograms"])
    piece = listing("piece", "Fishing Weights Set", {"weight": "500 g"}, "sports/fishing", "amazon",
                    bullets=["Sinker 50g/pcs, 10 pcs per box"])
    heavy = listing("heavy", "Folding Camping Chair", {"weight": "1.2 kg"}, "sports/camping", "amazon",
                    bullets=["Weight: 5 kg, easy to carry"])
    found = {(sku, rule) for sku, rule, _ in found_rules(pack, piece, heavy)}
    assert ("pack", "mismatch/weight") not in found
    assert ("piece", "mismatch/weight") not in found
    assert ("heavy", "mismatch/weight") in found


def test_a_minor_fibre_beside_the_main_one_the_spec_names_is_no_contradiction():
    """A spec material of "Nylon" names the main fibre; "86% Nylon, 12.9% Polyester" agrees
    with it. "100% Cotton" does not."""
    socks = listing("socks", "Aloe Vera Socks", {"material": "Nylon"}, "health/foot-care", "amazon",
                    bullets=["86% Nylon, 12.9 % Polyester, 1.1% Polyurethane."])
    cotton = listing("cotton", "Aloe Vera Socks", {"material": "Nylon"}, "health/foot-care", "amazon",
                     bullets=["Made of 100% Cotton."])
    found = {(sku, rule) for sku, rule, _ in found_rules(socks, cotton)}
    assert ("socks", "mismatch/composition-claim") not in found
    assert ("cotton", "mismatch/composition-claim") in found


def test_qualifier_words_are_whole_words_not_pieces_of_others():
    """"text" after a colour names a part ("white text"), but "textured" is the product's
    finish: "WROGN Men White Textured Sneakers" against a Red spec is a contradiction. "net" in
    "internet" is no net-content cue, "under" in "underwear" no price bound."""
    sneakers = listing("sneakers", "WROGN Men White Textured Sneakers", {"color": "Red"}, "shoes", "myntra")
    lettering = listing("lettering", "Men Red Cotton T-shirt with white text", {"color": "Red"}, "apparel/topwear", "myntra")
    found = {(sku, rule) for sku, rule, _ in found_rules(sneakers, lettering)}
    assert ("sneakers", "mismatch/color") in found
    assert ("lettering", "mismatch/color") not in found


def test_word_boundaries_in_windows():
    from listcheck.text.words import WordSet

    assert not WordSet(["net"]).search("high speed internet ") and WordSet(["net"]).search("net wt ")
    assert not WordSet(["text"]).leading("textured sneakers") and WordSet(["text"]).leading("text print")
    assert WordSet(["in "]).last("within in ") == 7
    assert WordSet(["net", "net weight"]).leading("net weightless") and not WordSet(["net weight"]).leading("net weightless")
    assert WordSet(["颜色"]).search("商品颜色") and WordSet(["/pcs"]).leading("/pcs, 10 pcs")
    assert not WordSet([]).search("anything") and not WordSet([])
