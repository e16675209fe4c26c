"""Evaluating a rule's `when` filter against a product."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Optional

from listcheck.model import Product
from listcheck.ruleset.schema import When
from listcheck.text.fields import MISSING, get_path, is_empty
from listcheck.vocab import load_vocab


# What `market: [CN, unknown]` matches: a product whose market nothing tells (no market, no
# known platform, no locale region). A national law's pack applies there rather than go silent.
UNKNOWN_MARKET = "UNKNOWN"


def _markets() -> dict[str, Any]:
    return load_vocab("markets") or {}


def market_of(product: Product) -> Optional[str]:
    """The market a product is sold in: its own, else its platform's (tmall -> CN), else its
    locale's region (zh-CN -> CN); None when nothing tells."""
    if product.market:
        return product.market.upper()
    if product.platform:
        market = _markets()["platform_markets"].get(product.platform.lower())
        if market:
            return market
    region = (product.locale or "").replace("_", "-").partition("-")[2]
    return region.upper() if len(region) == 2 and region.isalpha() else None


def _expand_markets(markets: list[str]) -> set[str]:
    groups = _markets()["groups"]
    expanded: set[str] = set()
    for market in markets:
        expanded.update(groups.get(market.upper(), [market.upper()]))
    return expanded


# The category roots of the catalog contract (rules/vocab/categories.yaml maps platform names onto them).
CANONICAL_ROOTS = frozenset(
    "apparel shoes bags home-textiles jewelry watches cosmetics personal-care food fresh-food "
    "health-food beverages baby toys home furniture appliances electronics phones computers "
    "digital-content books periodicals custom-made medical-devices pets sports tools auto".split()
)


@lru_cache(maxsize=1)
def _categories() -> dict[str, Any]:
    data = dict(load_vocab("categories") or {})
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
    return _under(canonical_category(category), _prefixes(prefixes) or ())


def _value_matches(actual: Any, accepted: Any) -> bool:
    if actual is MISSING:
        return False
    options = accepted if isinstance(accepted, list) else [accepted]
    text = str(actual).strip().casefold()
    return any(text == str(option).strip().casefold() for option in options)


class WhenFilter:
    """A compiled `when`: the part that depends on where a product is sold (category, platform,
    market, locale) is decided once per such combination; the part that reads fields
    (present, absent, values) once per product, for all filters together (`FieldTests`)."""

    def __init__(self, when: Optional[When]) -> None:
        when = when or When()
        self.category = _prefixes(when.category)
        self.not_category = _prefixes(when.not_category)
        self.platform = _lowered(when.platform)
        self.not_platform = _lowered(when.not_platform)
        self.market = frozenset(_expand_markets(when.market)) if when.market is not None else None
        self.not_market = frozenset(_expand_markets(when.not_market)) if when.not_market is not None else None
        self.locale = tuple(p.lower() for p in when.locale) if when.locale is not None else None
        self.present = tuple(when.present or ())
        self.absent = tuple(when.absent or ())
        self.values = tuple((when.values or {}).items())
        self.reads_fields = bool(self.present or self.absent or self.values)

    def placement_allows(self, category: Optional[str], platform: str, market: Optional[str], locale: str) -> bool:
        if self.category is not None and not _under(category, self.category):
            return False
        if self.not_category is not None and _under(category, self.not_category):
            return False
        if self.platform is not None and platform not in self.platform:
            return False
        if self.not_platform is not None and platform in self.not_platform:
            return False
        if self.market is not None and (market or UNKNOWN_MARKET) not in self.market:
            return False
        if self.not_market is not None and (market or UNKNOWN_MARKET) in self.not_market:
            return False
        if self.locale is not None and not any(locale == p or locale.startswith(p + "-") for p in self.locale):
            return False
        return True


class FieldTests:
    """The field-reading parts of several `when` filters, decided together: each distinct path
    that a `present` or `absent` names is read once per product, not once per filter."""

    def __init__(self, filters: list[tuple[WhenFilter, int]]) -> None:
        bits: dict[str, int] = {}
        for when_filter, _ in filters:
            for path in when_filter.present + when_filter.absent:
                bits.setdefault(path, 1 << len(bits))
        # Most paths are a spec key (spec.labels): those are found by one pass over the
        # product's spec, the others read one by one.
        spec_keys = {path: path[len("spec."):] for path in bits if path.startswith("spec.") and path.count(".") == 1}
        self._spec_bits = {key: bits[path] for path, key in spec_keys.items()}
        self._paths = [(path, bit) for path, bit in bits.items() if path not in spec_keys]
        # (paths that must be filled, paths that must be empty, values, the rules it admits)
        self._tests = [
            (
                sum(bits[p] for p in set(when_filter.present)),
                sum(bits[p] for p in set(when_filter.absent)),
                when_filter.values,
                rules,
            )
            for when_filter, rules in filters
        ]

    def allowed(self, product: Product) -> int:
        """The union of the rule masks whose filters `product` passes."""
        filled = 0
        if self._spec_bits:
            for key, value in product.spec.items():
                bit = self._spec_bits.get(key)
                if bit is not None and not is_empty(value):
                    filled |= bit
        for path, bit in self._paths:
            if not is_empty(get_path(product, path)):
                filled |= bit
        allowed = 0
        for present, absent, values, rules in self._tests:
            if filled & present != present or filled & absent:
                continue
            if values and not all(_value_matches(get_path(product, path), accepted) for path, accepted in values):
                continue
            allowed |= rules
        return allowed


def prefixes_under(category: Optional[str], prefixes: tuple[str, ...]) -> int:
    """Bit i set when `category` is `prefixes[i]` or under it. Two categories with the same
    bits pass the same category tests of any filter whose prefixes are among `prefixes`."""
    bits = 0
    for bit, prefix in enumerate(prefixes):
        if _under(category, (prefix,)):
            bits |= 1 << bit
    return bits


def placement_of(product: Product) -> tuple[Optional[str], str, Optional[str], str]:
    """What `when` filters on besides fields: canonical category, platform, market, locale."""
    return (
        canonical_category(product.category),
        (product.platform or "").lower(),
        market_of(product),
        (product.locale or "").lower().replace("_", "-"),
    )


def _prefixes(values: Optional[list[str]]) -> Optional[tuple[str, ...]]:
    return tuple(v.lower().rstrip("/") for v in values) if values is not None else None


def _lowered(values: Optional[list[str]]) -> Optional[frozenset[str]]:
    return frozenset(v.lower() for v in values) if values is not None else None


def _under(category: Optional[str], prefixes: tuple[str, ...]) -> bool:
    if not category:
        return False
    return any(category == p or category.startswith(p + "/") for p in prefixes)
