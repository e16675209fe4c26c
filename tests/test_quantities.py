"""Quantities in listing text and spec values: each unit form, each ambiguity, exact values and offsets."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listcheck.text import quantities
from listcheck.text.quantities import (
    QuantityMention,
    extract_quantities,
    format_quantity,
    parse_quantity,
)
from listcheck.text.numerals import CN_NUMERAL_START
from listcheck.text.units import Unit, base_unit, unit_table


def one(text: str) -> QuantityMention:
    mentions = extract_quantities(text)
    assert len(mentions) == 1, mentions
    return mentions[0]


def spans(text: str) -> list[str]:
    return [m.text for m in extract_quantities(text)]


# --- the unit table -------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["kg", "KG", "ｋｇ", "千克", "公斤", "kilogram", "kgs", " Kg "])
def test_lookup_is_case_and_width_insensitive(token):
    assert unit_table().lookup(token) == Unit("kg", "mass", 1000.0)


@pytest.mark.parametrize(
    "token, name, dimension, factor",
    [
        ("斤", "jin", "mass", 500.0),
        ("两", "liang", "mass", 50.0),
        ("钱", "qian", "mass", 5.0),
        ("毫升", "ml", "volume", 1.0),
        ("升", "l", "volume", 1000.0),
        ("寸", "in", "length", 25.4),
        ("英寸", "in", "length", 25.4),
        ("市尺", "chi", "length", 1000 / 3),
        ("毫安", "mAh", "charge", 1.0),
        ("毫安时", "mAh", "charge", 1.0),
        ("瓦", "W", "power", 1.0),
        ("伏", "V", "voltage", 1.0),
        ("安", "A", "current", 1.0),
        ("GB", "GB", "data", 1e9),
        ("TB", "TB", "data", 1e12),
        ("万像素", "万像素", "pixels", 1e4),
        ("亿像素", "亿像素", "pixels", 1e8),
        ("MP", "MP", "pixels", 1e6),
        ("Rs.", "INR", "currency:INR", 1.0),
        ("¥", "CNY", "currency:CNY", 1.0),
    ],
)
def test_unit_table_entries(token, name, dimension, factor):
    unit = unit_table().lookup(token)
    assert unit is not None
    assert (unit.name, unit.dimension) == (name, dimension)
    assert unit.factor == pytest.approx(factor)


def test_lookup_unknown_and_size_marks():
    table = unit_table()
    assert table.lookup("码") is None  # a garment size (42码), never a yard
    assert table.lookup("parsec") is None
    assert table.lookup(None) is None  # type: ignore[arg-type]


def test_base_units():
    assert [base_unit(d) for d in ("mass", "volume", "length", "charge", "energy", "power", "voltage",
                                   "current", "data", "pixels", "count")] == \
        ["g", "ml", "mm", "mAh", "Wh", "W", "V", "A", "B", "pixel", "count"]
    assert base_unit("currency:INR") == "INR"


# --- single amounts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, unit, dimension",
    [
        ("500g", 500.0, "g", "mass"),
        ("500 g", 500.0, "g", "mass"),
        ("0.5kg", 500.0, "kg", "mass"),
        ("0,5 kg", 500.0, "kg", "mass"),
        ("1斤", 500.0, "jin", "mass"),
        ("半斤", 250.0, "jin", "mass"),
        ("2两", 100.0, "liang", "mass"),
        ("二两", 100.0, "liang", "mass"),
        ("五百克", 500.0, "g", "mass"),
        ("一斤半", 750.0, "jin", "mass"),
        ("5公斤", 5000.0, "kg", "mass"),   # 公斤 is kg, never read as 斤
        ("2千克", 2000.0, "kg", "mass"),
        ("3钱", 15.0, "qian", "mass"),
        ("500mg", 0.5, "mg", "mass"),
        ("2 lbs", 907.18474, "lb", "mass"),
        ("45gr", 45.0, "g", "mass"),
        ("1.5L", 1500.0, "l", "volume"),
        ("250毫升", 250.0, "ml", "volume"),
        ("50 cl", 500.0, "cl", "volume"),
        ("12 fl oz", 354.88235475, "fl oz", "volume"),
        ("10000mAh", 10000.0, "mAh", "charge"),
        ("20000毫安", 20000.0, "mAh", "charge"),
        ("2万毫安", 20000.0, "mAh", "charge"),
        ("65W", 65.0, "W", "power"),
        ("1.2 kW", 1200.0, "kW", "power"),
        ("220V", 220.0, "V", "voltage"),
        ("2.4A", 2.4, "A", "current"),
        ("100Wh", 100.0, "Wh", "energy"),
        ("15.6英寸", 396.24, "in", "length"),
        ('15.6"', 396.24, "in", "length"),
        ("15.6 inch", 396.24, "in", "length"),
        ("15.6吋", 396.24, "in", "length"),
        ("1.8m", 1800.0, "m", "length"),
        ("3市寸", 100.0, "cun", "length"),
        ("1TB", 1e12, "TB", "data"),
        ("256GB", 2.56e11, "GB", "data"),
        ("1亿像素", 1e8, "pixel", "pixels"),
        ("10800万像素", 1.08e8, "pixel", "pixels"),
        ("108MP", 1.08e8, "MP", "pixels"),
        ("48 MP", 4.8e7, "MP", "pixels"),
        ("12小时", 12.0, "h", "time"),
        ("3个月", 2191.5, "month", "time"),
        ("20平米", 2e7, "m²", "area"),
    ],
)
def test_single_amounts(text, value, unit, dimension):
    m = one(text)
    assert m.value == pytest.approx(value)
    assert (m.unit, m.dimension) == (unit, dimension)
    assert (m.start, m.end, m.text) == (0, len(text), text)
    assert m.high is None and m.per_unit is None and m.count is None


def test_full_width_offsets_point_at_the_original_characters():
    text = "保温杯 ５００ｍｌ 黑色"
    m = one(text)
    assert (m.value, m.unit, m.dimension) == (500.0, "ml", "volume")
    assert (m.start, m.end) == (4, 9)
    assert text[m.start:m.end] == "５００ｍｌ" == m.text
    assert one("１ＫＧ").value == 1000.0


def test_offsets_inside_a_title():
    text = "东北五常大米 10kg 当季新米"
    m = one(text)
    assert (m.start, m.end, m.text, m.value) == (7, 11, "10kg", 10000.0)


def test_several_mentions_in_text_order():
    text = "充电宝 10000mAh 22.5W快充 输入5V"
    assert [(m.text, m.dimension, m.value) for m in extract_quantities(text)] == [
        ("10000mAh", "charge", 10000.0), ("22.5W", "power", 22.5), ("5V", "voltage", 5.0)]


# --- currency --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, dimension, found",
    [
        ("Price: Rs. 998", 998.0, "currency:INR", "Rs. 998"),
        ("Rs. 2,499", 2499.0, "currency:INR", "Rs. 2,499"),
        ("Rs.998", 998.0, "currency:INR", "Rs.998"),
        ("MRP: ₹499", 499.0, "currency:INR", "₹499"),
        ("¥2689", 2689.0, "currency:CNY", "¥2689"),
        ("到手价￥99", 99.0, "currency:CNY", "￥99"),
        ("含税价2689元", 2689.0, "currency:CNY", "2689元"),
        ("$19.99", 19.99, "currency:USD", "$19.99"),
        ("12,99 €", 12.99, "currency:EUR", "12,99 €"),
        ("Buy this curtain for Rs. 0.0 only", 0.0, "currency:INR", "Rs. 0.0"),
    ],
)
def test_prices_keep_their_currency(text, value, dimension, found):
    m = one(text)
    assert (m.value, m.dimension, m.text) == (value, dimension, found)
    assert text[m.start:m.end] == found


def test_currency_range_and_words_that_are_not_prices():
    m = one("¥100-200")
    assert (m.value, m.high, m.dimension) == (100.0, 200.0, "currency:CNY")
    assert spans("3元素 Hours 5") == []  # 元素 is "element"; "rs" inside a word is no rupee


# --- packs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, total, per_unit, count",
    [
        ("250ml×2", 500.0, 250.0, 2),
        ("2*250ml", 500.0, 250.0, 2),
        ("6 x 330 ml", 1980.0, 330.0, 6),
        ("750g*3盒", 2250.0, 750.0, 3),
        ("425g*1罐", 425.0, 425.0, 1),
        ("速冻青虾300克*1", 300.0, 300.0, 1),
        ("500ml 6瓶装", 3000.0, 500.0, 6),
        ("6瓶×500ml", 3000.0, 500.0, 6),
        ("0.5 kg x 2", 1000.0, 500.0, 2),
        ("2.5L×6瓶", 15000.0, 2500.0, 6),
    ],
)
def test_packs_total_per_unit_and_count(text, total, per_unit, count):
    m = one(text)
    assert (m.value, m.per_unit, m.count) == (total, per_unit, count)
    assert text.endswith(m.text) and m.end == len(text)


def test_pack_offsets():
    text = "鲜榨橙汁 250ml×2"
    m = one(text)
    assert (m.start, m.end, m.text, m.unit, m.dimension) == (5, 12, "250ml×2", "ml", "volume")


def test_count_alone_is_a_count_mention():
    # "6瓶装" with no amount: dimension count, value = count = 6, no per-unit amount.
    m = one("啤酒 6瓶装")
    assert (m.value, m.count, m.per_unit, m.dimension, m.unit) == (6.0, 6, None, "count", "bottle")
    assert (m.start, m.end, m.text) == (3, 6, "6瓶装")
    assert one("儿童积木 200粒").value == 200.0
    assert one("三件套").count == 3
    assert one("两瓶装").count == 2
    assert one("pack of 6").count == 6
    assert one("6-pack").count == 6
    assert one("6 pcs").count == 6


def test_chinese_numeral_with_a_classifier_needs_the_pack_mark():
    assert spans("买一个送一个") == []
    assert spans("一条") == []
    assert spans("第3瓶半价") == []  # an ordinal


def test_net_amount_with_its_breakdown_is_one_mention():
    # The parenthesised breakdown agrees with the net amount: one mention of the net amount,
    # carrying the per-unit amount and the count.
    text = "Biscuits 500 g (4 x 125 g)"
    m = one(text)
    assert (m.value, m.per_unit, m.count) == (500.0, 125.0, 4)
    assert (m.start, m.end, m.text) == (9, 26, "500 g (4 x 125 g)")


def test_net_amount_with_an_inconsistent_breakdown_stays_two_mentions():
    mentions = extract_quantities("500 g (4 x 100 g)")
    assert [(m.text, m.value, m.count) for m in mentions] == [("500 g", 500.0, None), ("4 x 100 g", 400.0, 4)]


# --- sizes and ranges ------------------------------------------------------------------------


def test_box_dimensions_are_one_length_mention():
    m = one("30cm×20cm×10cm")
    assert m.dims == (300.0, 200.0, 100.0)
    assert (m.dimension, m.unit, m.value, m.text) == ("length", "cm", 300.0, "30cm×20cm×10cm")
    assert one("30×20×10cm").dims == (300.0, 200.0, 100.0)
    assert one("1.8m×2m").dims == (1800.0, 2000.0)
    towel = one("Cotton Bath Towel, 70 x 140 cm, Grey")
    assert (towel.dims, towel.start, towel.end) == ((700.0, 1400.0), 19, 30)


@pytest.mark.parametrize(
    "text, low, high, unit",
    [
        ("3-5 kg", 3000.0, 5000.0, "kg"),
        ("3~5kg", 3000.0, 5000.0, "kg"),
        ("501g-1kg", 501.0, 1000.0, "kg"),
        ("5 kg - 10 kg", 5000.0, 10000.0, "kg"),
        ("110-240V", 110.0, 240.0, "V"),
        ("1.8-2.2两", 90.0, 110.0, "liang"),
    ],
)
def test_ranges(text, low, high, unit):
    m = one(text)
    assert (m.value, m.unit) == (low, unit)
    assert m.high == pytest.approx(high)
    assert m.text == text


def test_range_inside_text_and_a_dash_that_is_not_a_range():
    m = extract_quantities("大闸蟹 全母6只（净1.8-2.2两）")[-1]
    assert (m.text, m.start, m.end) == ("1.8-2.2两", 10, 18)
    mozzarella = one("Mozzarella di Bufala - 250 g")
    assert (mozzarella.value, mozzarella.high, mozzarella.text) == (250.0, None, "250 g")
    assert one("iPhone 15-256GB").text == "256GB"  # a model, then a size: not 15-256 GB


# --- data sizes ------------------------------------------------------------------------------


def test_ram_plus_storage_is_two_data_mentions():
    mentions = extract_quantities("手机 8GB+128GB 全网通")
    assert [(m.text, m.value, m.start, m.end) for m in mentions] == [("8GB", 8e9, 3, 6), ("128GB", 1.28e11, 7, 12)]
    assert [m.value for m in extract_quantities("12G+256G")] == [1.2e10, 2.56e11]
    assert [m.value for m in extract_quantities("8G+1T")] == [8e9, 1e12]


def test_bare_ram_plus_storage_in_a_phone_title():
    mentions = extract_quantities("Redmi K70 8+256 墨羽")
    assert [(m.text, m.value, m.dimension, m.ambiguous) for m in mentions] == [
        ("8", 8e9, "data", True), ("256", 2.56e11, "data", True)]


def test_terabyte_is_decimal():
    assert one("1TB").value == 1e12
    assert one("1000GB").value == 1e12


# --- ambiguities and traps -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "iPhone 15",
        "Redmi Note 9 Pro 5G",
        "骁龙778G",
        "5G手机",
        "支持5G全网通",
        "5g手机",
        "Galaxy A54 5g",
        "Unisoc T610",
        "TM20240501",
        "2024年",
        "二〇二四年",
        "5月1日",
        "2.4G/5G双频",
        "USB3.0",
        "型号 500G",
        "尺码42码",
        "100%棉",
        "5 a day",
        "2 in 1",
        "3in1",
        "一两天",
        "一两个",
        "米色",
        "双11秒杀",
        "5A级景区",
        "安全",
        "316L不锈钢",        # a steel grade, not 316 litres
        "月销1w+",           # 1万+ sales, not 1 W
        "24年新款",          # a model year
        "170/92A",           # a garment size, not 92 A
    ],
)
def test_no_quantity(text):
    assert extract_quantities(text) == []


def test_a_frequency_is_its_own_dimension():
    """120Hz (a refresh rate) and 2.4GHz (a radio band) are frequencies: only a rule that binds
    the dimension with its cue (mismatch/refresh-rate: 刷新率, refresh) compares them."""
    assert [(m.text, m.value, m.dimension) for m in extract_quantities("120Hz刷新率 2.4GHz WiFi")] == [
        ("120Hz", 120.0, "frequency"), ("2.4GHz", 2.4e9, "frequency"),
    ]


def test_model_numbers_next_to_real_amounts():
    ac = one("AC220V")  # AC/DC before a voltage is a current type, not a model letter
    assert (ac.value, ac.start, ac.text) == (220.0, 2, "220V")
    assert spans("荣耀Play5T 5000mAh大电池") == ["5000mAh"]
    assert spans("RTX-3060 12GB") == ["12GB"]
    assert spans("Redmi Note 9 Pro 5G 8GB+128GB") == ["8GB", "128GB"]


def test_amounts_glued_together():
    assert [(m.text, m.dimension) for m in extract_quantities("5V2A")] == [("5V", "voltage"), ("2A", "current")]
    assert parse_quantity("5V2A").value == 10.0


def test_upper_case_g():
    assert one("12G运存").dimension == "data"             # beside a storage word
    assert one("内存 12G").value == 1.2e10
    assert (one("256G U盘").dimension, one("256G U盘").ambiguous) == ("data", False)  # U盘 is storage
    memory = one("256G 黑色")                              # a usual memory size, no context
    assert (memory.dimension, memory.ambiguous) == ("data", True)
    jerky = one("牛肉干500G")                              # any other upper-case G: a gram
    assert (jerky.value, jerky.dimension, jerky.ambiguous) == (500.0, "mass", True)
    assert one("试用装5g").dimension == "mass"            # lower-case g is a gram


def test_ml_and_mg_are_different_units():
    assert [(m.unit, m.dimension, m.value) for m in extract_quantities("5ml 5mg")] == [
        ("ml", "volume", 5.0), ("mg", "mass", 0.005)]


def test_cun_alone_is_an_ambiguous_inch():
    tv = one("55寸电视")
    assert (tv.value, tv.unit, tv.ambiguous, tv.text) == (1397.0, "in", True, "55寸")
    assert one("55英寸电视").ambiguous is False


def test_jin_and_gongjin():
    assert one("5斤装").value == 2500.0
    assert one("5公斤装").value == 5000.0
    mentions = extract_quantities("盐城大米20斤 10kg")
    assert [(m.text, m.value) for m in mentions] == [("20斤", 10000.0), ("10kg", 10000.0)]


def test_hours_are_time_not_mass():
    m = one("保温12小时")
    assert (m.dimension, m.value, m.unit) == ("time", 12.0, "h")
    assert [m.dimension for m in extract_quantities("Keeps Drinks Cold 24 Hours Hot 12 Hours")] == ["time", "time"]


def test_camera_resolution_without_pixel_word_needs_camera_context():
    mentions = extract_quantities("手机 3200万前置 5000万三摄")
    assert [(m.text, m.value, m.dimension) for m in mentions] == [
        ("3200万", 3.2e7, "pixels"), ("5000万", 5e7, "pixels")]
    assert extract_quantities("月销5000万") == []
    assert extract_quantities("1万次充放电") == []


def test_approximate_marks_stay_outside_the_span():
    m = one("约500g")
    assert (m.approximate, m.start, m.text) == (True, 1, "500g")
    assert one("500g左右").approximate is True
    assert one("about 1 kg").approximate is True
    assert one("≈ 1L").approximate is True
    assert one("500g").approximate is False


def test_upper_bound_symbol_in_text():
    m = one("≤200g")
    assert (m.value, m.high, m.text) == (0.0, 200.0, "≤200g")


# --- spec values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, hint, expected, dimension",
    [
        ("500 ml", None, 500.0, "volume"),
        ("0.5 kg", "mass", 500.0, "mass"),
        ("500 ml", "mass", 500.0, "volume"),      # the hint prefers, the value decides
        (500, "mass", 500.0, "mass"),
        ("500", "volume", 500.0, "volume"),
        ("5000mAh", "charge", 5000.0, "charge"),
        ("Rs. 698", "currency", 698.0, "currency:INR"),
        ("¥2689", None, 2689.0, "currency:CNY"),
        (698, "currency:INR", 698.0, "currency:INR"),
        ("10800万像素", "pixels", 1.08e8, "pixels"),
        ("5000万", "pixels", 5e7, "pixels"),
        ("8GB", "data", 8e9, "data"),
        ("8G", "data", 8e9, "data"),                # with a data hint an upper-case G is GB
        ("250 g (net égoutté)", "mass", 250.0, "mass"),
        ("6.5英寸", "length", 165.1, "length"),
        ("250.00g", "mass", 250.0, "mass"),
        ("1.0kg", "mass", 1000.0, "mass"),
        (6, "count", 6.0, "count"),
    ],
)
def test_parse_quantity(value, hint, expected, dimension):
    m = parse_quantity(value, hint)
    assert m is not None
    assert m.value == pytest.approx(expected)
    assert m.dimension == dimension


@pytest.mark.parametrize("value, hint", [("其他", None), ("其他", "power"), ("", "mass"), (500, None),
                                         (698, "currency"), ("中国大陆", None), ("Redmi Note 9", None),
                                         (True, "mass"), (float("nan"), "mass"), (None, "mass")])
def test_parse_quantity_none(value, hint):
    assert parse_quantity(value, hint) is None


def test_parse_quantity_range():
    m = parse_quantity("501g-1kg")
    assert (m.value, m.high, m.dimension) == (501.0, 1000.0, "mass")


@pytest.mark.parametrize("value", ["≤200g", "不超过200g", "200g以下", "<200 g"])
def test_parse_quantity_upper_bound_is_zero_to_high(value):
    m = parse_quantity(value, "mass")
    assert (m.value, m.high, m.dimension) == (0.0, 200.0, "mass")


def test_charger_spec_is_a_power():
    m = parse_quantity("10V/2.25A")
    assert (m.value, m.unit, m.dimension) == (22.5, "W", "power")
    best = parse_quantity("9V/3A；5V/3A；其他", "power")
    assert (best.value, best.text) == (27.0, "9V/3A")
    assert parse_quantity("20V⎓3.25A").value == 65.0
    assert parse_quantity("5V/2000mA").value == 10.0
    # With a voltage hint the same spec is read as a voltage.
    assert parse_quantity("220V/10A", "voltage").value == 220.0


# --- formatting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, dimension, high, text",
    [
        (500.0, "mass", None, "500 g"),
        (1500.0, "mass", None, "1.5 kg"),
        (500.0, "volume", None, "500 ml"),
        (1980.0, "volume", None, "1.98 L"),
        (22.5, "power", None, "22.5 W"),
        (2689.0, "currency:CNY", None, "¥2689"),
        (698.0, "currency:INR", None, "Rs. 698"),
        (19.99, "currency:USD", None, "$19.99"),
        (1e12, "data", None, "1 TB"),
        (8e9, "data", None, "8 GB"),
        (1.08e8, "pixels", None, "108 MP"),
        (396.24, "length", None, "39.624 cm (15.6 in)"),
        (10000.0, "charge", None, "10000 mAh"),
        (3000.0, "mass", 5000.0, "3–5 kg"),
        (0.0, "mass", 200.0, "≤ 200 g"),
        (24.0, "time", None, "1 day"),
    ],
)
def test_format_quantity(value, dimension, high, text):
    assert format_quantity(value, dimension, high) == text


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_extract_never_raises_and_offsets_are_in_the_text(text):
    mentions = extract_quantities(text)
    previous_end = 0
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert m.start >= previous_end          # in order, no overlaps
        assert text[m.start:m.end] == m.text
        previous_end = m.end


_QUANTITY_ALPHABET = "0123456789.,-~×x*+/ 万亿半两斤克公gGkKmMlLTB寸英吋\"瓶装个()（）约≤元¥$Rs%像素mAhVW"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_QUANTITY_ALPHABET, max_size=30))
def test_extract_never_raises_on_quantity_like_text(text):
    for m in extract_quantities(text):
        assert text[m.start:m.end] == m.text
        assert m.high is None or m.high >= m.value


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(), st.floats()), st.sampled_from([None, "mass", "power", "data", "currency"]))
def test_parse_quantity_never_raises(value, hint):
    parse_quantity(value, hint)


# --- what the shortcuts rely on ---------------------------------------------------------------


def test_no_unit_or_currency_is_written_with_bare_number_characters():
    # extract skips texts of only digits, ".", ",", "-" and spaces: no mention can be in them.
    table = unit_table()
    for written in [*table.aliases, *table.prefix_currency]:
        assert not quantities._BARE_NUMBERS.fullmatch(written), written
    for text in ("105", "0.7", "-1", "1,234 5", "3-5", " 12 \n"):
        assert extract_quantities(text) == []


def test_units_by_first_character_find_what_one_alternation_finds():
    table = unit_table()
    c = quantities._compiled()
    # The reference: one alternation of every alias, longest first, as the regex engine tries it.
    whole = re.compile("(?P<u>" + "|".join(regex for _, regex in table.unit_alternatives()) + ")")
    texts = [f"5{alias}{tail}" for alias in table.aliases for tail in ("", " ", "x", "2", "装", "s")]
    for text in texts:
        for at in range(len(text)):
            found = c.unit_at.match(text, at)
            expected = whole.match(text, at)
            assert (found and found.group("u")) == (expected and expected.group("u")), (text, at)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="约大近~≈about.ca型号model nosku骁龙第 \t\n:：#-x5", max_size=16))
def test_words_at_the_end_are_found_as_the_regex_finds_them(window):
    c = quantities._compiled()
    for ending in (c.approx_before, c.model_before, c.network_before):
        found = ending.search(window)
        expected = ending.regex.search(window)
        assert (found and found.span()) == (expected and expected.span())


def test_currency_prefixes_never_overlap():
    # _tokens looks for a currency prefix only in the few characters before a number. That finds
    # what one search of the whole text finds only if no prefix can start inside another: after
    # one of its characters that is not a letter (the regex's (?<![a-z])), with the rest agreeing.
    prefixes = list(unit_table().prefix_currency)
    # _prefix_before also rejects a window that does not end with a prefix as written: a prefix
    # with a space inside would match without it (units._alt) and be missed there.
    assert not [prefix for prefix in prefixes if " " in prefix]
    for outer in prefixes:
        for cut in range(1, len(outer)):
            if "a" <= outer[cut - 1] <= "z":
                continue
            rest = outer[cut:]
            for inner in prefixes:
                assert not (inner.startswith(rest) or rest.startswith(inner)), (outer, inner)


def test_a_currency_prefix_is_found_with_every_gap_before_its_number():
    # _prefix_before rejects a window that, its trailing "." and spaces stripped, ends with no
    # prefix before running the regex: every prefix with every gap it allows must pass that test.
    for prefix, currency in unit_table().prefix_currency.items():
        for gap in ("", ".", " ", ". ", "\xa0"):
            if prefix.endswith(".") and gap.startswith("."):
                continue  # "rs.." is no prefix
            text = f"price {prefix}{gap}499"
            found = extract_quantities(text)
            assert [(m.start, m.dimension) for m in found] == [(6, f"currency:{currency.code}")], text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\xa0x×*✕✖/-–~〜至到to+()", max_size=8))
def test_no_gap_between_compound_parts_holds_more_than_max_join_characters(gap):
    # _combine tries the compounds only when the gap to the next token, spaces stripped, has at
    # most _MAX_JOIN characters: no gap pattern may match a longer one.
    for pattern in (quantities._MULT_GAP, quantities._PACK_GAP, quantities._RANGE_GAP,
                    quantities._SPACED_DASH, quantities._PAIR_GAP, quantities._OPEN_PAREN):
        if pattern.fullmatch(gap):
            assert len(gap.strip(quantities._SPACES)) <= quantities._MAX_JOIN, (pattern.pattern, gap)


@pytest.mark.parametrize(
    "text, found",
    [
        ("colors 3 " * 50 + "Rs. 499", [("Rs. 499", 450, "currency:INR")]),
        ("x" * 3000 + " ₹998", [("₹998", 3001, "currency:INR")]),
        ("Rs. 499 / ¥ 99 / $19.99 / rs.5 / 人民币 20 / inrs 5 / bonus$5",
         [("Rs. 499", 0, "currency:INR"), ("¥ 99", 10, "currency:CNY"), ("$19.99", 17, "currency:USD"),
          ("rs.5", 26, "currency:INR"), ("人民币 20", 33, "currency:CNY")]),  # a prefix glued to a word is none
    ],
)
def test_currency_prefix_anywhere_in_a_long_text(text, found):
    assert [(m.text, m.start, m.dimension) for m in extract_quantities(text)] == found


def test_a_number_matches_at_every_character_that_can_start_one():
    # _tokens skips to the next character that can start a number and reads the number there in
    # one match: a start character where no number matched would end the text's tokens early.
    c = quantities._compiled()
    for ch in "0123456789半" + CN_NUMERAL_START:
        match = c.next_number.match(f"净{ch}克 5g")
        assert match is not None and match.start("n") == 1, ch
    # Full-width digits start a number too, but folding (done first) makes them ASCII.
    assert quantities._scan("０１２３４５６７８９") == "0123456789"


def test_mentions_are_ordinary_frozen_dataclass_instances():
    # _mention fills the instance's fields directly instead of calling the dataclass __init__.
    import dataclasses
    import pickle

    for text in ("约500g", "250 g (2 x 125 g)", "30×20×10 cm", "3-5 kg", "≤200g"):
        (mention,) = extract_quantities(text)
        same = QuantityMention(**{f.name: getattr(mention, f.name) for f in dataclasses.fields(QuantityMention)})
        assert mention == same and hash(mention) == hash(same) and repr(mention) == repr(same)
        assert list(vars(mention).items()) == list(vars(same).items())
        assert pickle.loads(pickle.dumps(mention)) == mention
        with pytest.raises(dataclasses.FrozenInstanceError):
            mention.value = 1.0  # type: ignore[misc]
