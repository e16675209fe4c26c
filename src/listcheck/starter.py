"""`listcheck init`: a starter config and a sample catalog to run it on."""

from __future__ import annotations

from pathlib import Path

from listcheck.errors import ListcheckError

CONFIG_NAME = "listcheck.yaml"
SAMPLE_CATALOG = "sample-catalog.yaml"

STARTER_CONFIG = """\
# listcheck configuration — see `listcheck rules list` for every built-in rule.
extends: [recommended]        # built-in packs by name, or paths to your own packs
rules: []                     # your own pack files or folders, relative to this file
severity: {}                  # e.g. {"core/description-present": info}
disable: []                   # rule ids or globs, e.g. [core/category-present]
ignore: []                    # e.g. [{sku: "OLD-*", rule: "core/*", reason: "being delisted"}]
mapping: {}                   # your export's headers -> listcheck fields, e.g. {商品标题: title}
fail_on: error                # error | warning | info | never
lang: en                      # en | zh
"""

SAMPLE = """\
# A sample catalog: one product per item. Run `listcheck check sample-catalog.yaml`.
products:
  - sku: CUP-001
    title: 保温杯 500ml 316不锈钢
    description: 316不锈钢内胆，保温12小时。
    category: home/drinkware
    platform: tmall
    spec: {capacity: 500 ml, material: 316 stainless steel, color: black}
    return_policy: {no_reason_days: 7, text: 支持7天无理由退货}
  - sku: CUP-002
    title: Insulated bottle 750 ml
    category: home/drinkware
    platform: amazon
    spec: {capacity: 750 ml, color: red}
"""


def write(directory: Path) -> list[Path]:
    """Write both files; refuse to overwrite anything that exists."""
    directory.mkdir(parents=True, exist_ok=True)
    targets = {directory / CONFIG_NAME: STARTER_CONFIG, directory / SAMPLE_CATALOG: SAMPLE}
    for path in targets:
        if path.exists():
            raise ListcheckError("already exists; not overwritten", path=str(path))
    for path, text in targets.items():
        path.write_text(text, encoding="utf-8")
    return list(targets)
