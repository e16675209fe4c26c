"""Evaluating a rule's `when` filter against a product."""

from __future__ import annotations

import re
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


# The category roots of the catalog contract (DESIGN.md, "Canonical vocabulary").
CANONICAL_ROOTS = frozenset(
    "apparel shoes bags home-textiles jewelry watches cosmetics personal-care food fresh-food "
    "health-food beverages baby toys home furniture appliances electronics phones computers "
    "digital-content books periodicals custom-made medical-devices pets sports tools auto".split()
)


@lru_cache(maxsize=1)
def _categories() -> dict[str, Any]:
    from listcheck.ruleset.loader import builtin_root

    path = builtin_root() / "vocab" / "categories.yaml"
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    data["aliases"] = {str(k).strip().casefold(): v for k, v in (data.get("aliases") or {}).items()}
    return data


@lru_cache(maxsize=65536)
def canonical_category(category: Optional[str]) -> Optional[str]:
    """The canonical slash path for a category: as written when its root is canonical (or
    unknown), else through the platform-name aliases of rules/vocab/categories.yaml, tried on
    the whole name and then on each segment of a path such as 食品饮料>生鲜>水果, deepest first."""
    if not category:
        return None
    text = category.strip().strip("/")
    if text.split("/")[0].lower() in CANONICAL_ROOTS:
        return text.lower()
    aliases = _categories().get("aliases", {})
    whole = aliases.get(text.casefold())
    if whole:
        return whole
    segments = [s.strip() for s in re.split(r"[>/｜|]", text) if s.strip()]
    for segment in reversed(segments):
        alias = aliases.get(segment.casefold())
        if alias:
            return alias
    return text.lower()


def category_matches(category: Optional[str], prefixes: list[str]) -> bool:
    category = canonical_category(category)
    if not category:
        return False
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
    if when.not_market is not None and market_of(product) in _expand_markets(when.not_market):
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
