"""Evaluating a rule's `when` filter against a product."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Optional

import yaml

from listcheck.model import Product
from listcheck.ruleset.schema import When
from listcheck.text.fields import MISSING, get_path, is_empty


@lru_cache(maxsize=1)
def _markets() -> dict[str, Any]:
    from listcheck.ruleset.loader import builtin_root

    with open(builtin_root() / "vocab" / "markets.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def market_of(product: Product) -> Optional[str]:
    if product.market:
        return product.market.upper()
    if product.platform:
        return _markets()["platform_markets"].get(product.platform.lower())
    return None


def _expand_markets(markets: list[str]) -> set[str]:
    groups = _markets()["groups"]
    expanded: set[str] = set()
    for market in markets:
        expanded.update(groups.get(market.upper(), [market.upper()]))
    return expanded


def category_matches(category: Optional[str], prefixes: list[str]) -> bool:
    if not category:
        return False
    category = category.strip("/").lower()
    return any(category == p or category.startswith(p.rstrip("/") + "/") for p in (x.lower() for x in prefixes))


def _value_matches(actual: Any, accepted: Any) -> bool:
    if actual is MISSING:
        return False
    options = accepted if isinstance(accepted, list) else [accepted]
    text = str(actual).strip().casefold()
    return any(text == str(option).strip().casefold() for option in options)


def applies(when: Optional[When], product: Product) -> bool:
    if when is None:
        return True
    if when.category is not None and not category_matches(product.category, when.category):
        return False
    if when.not_category is not None and category_matches(product.category, when.not_category):
        return False
    platform = (product.platform or "").lower()
    if when.platform is not None and platform not in {p.lower() for p in when.platform}:
        return False
    if when.not_platform is not None and platform in {p.lower() for p in when.not_platform}:
        return False
    if when.market is not None and market_of(product) not in _expand_markets(when.market):
        return False
    if when.locale is not None:
        locale = (product.locale or "").lower().replace("_", "-")
        if not any(locale == p.lower() or locale.startswith(p.lower() + "-") for p in when.locale):
            return False
    if when.present is not None and any(is_empty(get_path(product, p)) for p in when.present):
        return False
    if when.absent is not None and not all(is_empty(get_path(product, p)) for p in when.absent):
        return False
    if when.values is not None:
        for path, accepted in when.values.items():
            if not _value_matches(get_path(product, path), accepted):
                return False
    return True
