"""The shipping pack through the real CLI: dispatch promises against the dispatch setting,
presale dates, lithium batteries and FBA package data — what must be flagged and the
look-alikes that must not be (24小时在线客服 is no dispatch promise, 3天送达 is delivery)."""

from __future__ import annotations

import json

from conftest import run_cli


def cn(sku, title, spec, description=None, category="home/drinkware", platform="taobao"):
    return {"sku": sku, "title": title, "description": description, "category": category,
            "platform": platform, "spec": spec}


def amazon(sku, title, spec, bullets=(), category="home/kitchen"):
    return {"sku": sku, "title": title, "bullets": list(bullets), "category": category,
            "platform": "amazon", "market": "US", "spec": spec}


LISTINGS = [
    # Dispatch promises.
    cn("promise-24h", "保温杯 现货 24小时发货", {"dispatch_time": "48 hours"}),
    cn("promise-kept", "保温杯 现货", {"dispatch_time": "48 hours"}, "付款后48小时内发货，顺丰包邮"),
    cn("promise-slower", "保温杯", {"dispatch_time": "2 days"}, "下单后72小时内发出"),
    cn("service-hours", "保温杯", {"dispatch_time": "72 hours"}, "24小时在线客服，7天无理由退货，3天送达"),
    cn("no-setting", "保温杯 24小时发货", {}),
    amazon("ships-2bd", "Water Bottle", {"dispatch_time": "3 days"}, ["Ships within 2 business days"]),
    amazon("arrives", "Water Bottle", {"dispatch_time": "3 days"}, ["Arrives in 2 days with Prime", "1 year warranty"]),
    amazon("handling-45", "Water Bottle", {"dispatch_time": "45 days"}),
    # Presale.
    cn("presale-undated", "连衣裙 预售", {"presale": True}, category="apparel/women", platform="tmall"),
    cn("presale-dated", "连衣裙 预售", {"presale": True, "ship_within": "15 days"}, category="apparel/women", platform="tmall"),
    cn("presale-word", "连衣裙 预售 15天发货", {"presale": False}, category="apparel/women", platform="tmall"),
    # Lithium batteries.
    cn("bank-bare", "充电宝 20000mAh", {"battery_capacity": "20000 mAh"}, category="electronics/power-banks", platform="jd"),
    cn("bank-full", "充电宝 20000mAh", {"battery_capacity": "20000 mAh", "battery_energy": "74 Wh",
                                        "certifications": {"ccc": "2024011609123456"}},
       category="electronics/power-banks", platform="jd"),
    amazon("station", "Portable Power Station 288Wh", {"battery_energy": "288 Wh"}, category="electronics/power-banks"),
    cn("phone", "手机 5000mAh", {"battery_capacity": "5000 mAh"}, category="electronics/phones", platform="jd"),
    # FBA package data.
    amazon("fba-bare", "Water Bottle", {"fulfillment": "fba", "package_weight": "0.4 kg"}),
    amazon("fbm", "Water Bottle", {"fulfillment": "fbm"}),
]


def shipping_findings(tmp_path):
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in LISTINGS) + "\n", encoding="utf-8")
    result = run_cli("check", path, "--format", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    return {(f["sku"], f["rule"]) for f in findings if f["category"] == "shipping"}, findings


def test_shipping_findings_that_must_and_must_not_appear(tmp_path):
    found, findings = shipping_findings(tmp_path)
    must = {
        ("promise-24h", "shipping/dispatch-promise-faster-than-setting"),
        ("ships-2bd", "shipping/dispatch-promise-faster-than-setting"),
        ("handling-45", "shipping/amazon-handling-time-limit"),
        ("presale-undated", "shipping/presale-without-ship-date"),
        ("presale-word", "shipping/presale-word-without-presale-setting"),
        ("bank-bare", "shipping/lithium-battery-energy-missing"),
        ("bank-bare", "shipping/power-bank-without-ccc"),
        ("station", "shipping/lithium-battery-over-100wh"),
        ("fba-bare", "shipping/fba-package-data-missing"),
    }
    assert must <= found, must - found
    clean = {"promise-kept", "promise-slower", "service-hours", "no-setting", "arrives",
             "presale-dated", "bank-full", "phone", "fbm"}
    assert not {(sku, rule) for sku, rule in found if sku in clean}
    # The US station needs no CCC; one finding per rule and product.
    assert ("station", "shipping/power-bank-without-ccc") not in found
    promise = next(f for f in findings if f["sku"] == "promise-24h" and f["rule"].endswith("faster-than-setting"))
    assert promise["match"] == "24小时" and promise["messages"]["zh"] and promise["messages"]["en"]
