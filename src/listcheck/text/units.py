"""The unit table: aliases -> (canonical unit, dimension, factor to the dimension's base unit).

The table is data (`rules/vocab/units.yaml`), loaded once. Base units per dimension: g, ml, mm,
mm2, mAh, Wh, W, V, A, B (bytes, decimal: GB = 1e9), pixel, count, h; a currency keeps its own
code (CNY, INR, USD, EUR, GBP) with factor 1 and dimension "currency:CODE" — currencies are
never converted into each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


from listcheck.text.normalize import fold


@dataclass(frozen=True)
class Unit:
    name: str
    dimension: str
    factor: float  # how many of the dimension's base unit one of this unit is


@dataclass(frozen=True)
class Alias:
    """One written form of a unit and the conditions under which it counts as one."""

    text: str                       # folded (lower case, half width)
    unit: Unit
    ambiguous: bool = False
    attach: bool = False            # only right after the number, no space
    pack: bool = False              # a count classifier (瓶, pcs)
    not_followed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Currency:
    code: str
    symbol: str
    prefixes: tuple[str, ...]


def _key(token: str) -> str:
    return " ".join(fold(token).split())


@dataclass
class UnitTable:
    base_units: dict[str, str]
    aliases: dict[str, Alias]                      # folded alias -> Alias
    currencies: dict[str, Currency]                # code -> Currency
    prefix_currency: dict[str, Currency]           # folded prefix -> Currency
    context: dict[str, tuple[str, ...]]            # word lists (folded)
    units: dict[str, Unit] = field(default_factory=dict)

    def lookup(self, token: str) -> Unit | None:
        """The unit a written alias stands for ("KG", "ｋｇ", "千克", "公斤", "kgs"), else None."""
        if not isinstance(token, str):
            return None
        alias = self.aliases.get(_key(token))
        if alias is None:
            currency = self.prefix_currency.get(_key(token).rstrip(".")) or self.prefix_currency.get(_key(token))
            if currency is not None:
                return currency_unit(currency.code)
            return None
        return alias.unit

    def alias(self, token: str) -> Alias | None:
        return self.aliases.get(_key(token))

    def words(self, name: str) -> tuple[str, ...]:
        return self.context.get(name, ())

    def unit_alternatives(self) -> list[tuple[str, str]]:
        """(alias, its regex with its guards) for every alias, longest first."""
        return _unit_alternatives(self)

    @property
    def prefix_pattern(self) -> str:
        return "|".join(_alt(p) for p in sorted(self.prefix_currency, key=len, reverse=True))


def currency_unit(code: str) -> Unit:
    return Unit(code, f"currency:{code}", 1.0)


def _alt(alias: str) -> str:
    """An alias as a regex: spaces inside it match one optional space."""
    return r"\s?".join(re.escape(part) for part in alias.split(" "))


def _unit_alternatives(table: UnitTable) -> list[tuple[str, str]]:
    parts = []
    for text in sorted(table.aliases, key=len, reverse=True):
        alias = table.aliases[text]
        guard = ""
        if text[-1].isascii() and text[-1].isalpha():
            guard += r"(?![a-z])"
        if alias.not_followed_by:
            guard += "(?!" + "|".join(re.escape(w) for w in sorted(alias.not_followed_by, key=len, reverse=True)) + ")"
        if alias.attach:
            guard += r"(?!\s?[0-9])"
        parts.append((text, _alt(text) + guard))
    return parts


def base_unit(dimension: str) -> str:
    """The base unit of a dimension ("mass" -> "g"); a currency's is its code ("currency:INR" -> "INR")."""
    if dimension.startswith("currency:"):
        return dimension.split(":", 1)[1]
    return unit_table().base_units.get(dimension, "")


@lru_cache(maxsize=1)
def unit_table() -> UnitTable:
    """The built-in unit table, loaded from rules/vocab/units.yaml once per process."""
    from listcheck.vocab import load_vocab

    return build_table(load_vocab("units"))


def build_table(data: dict) -> UnitTable:
    base_units = {str(k): str(v) for k, v in (data.get("base_units") or {}).items()}
    aliases: dict[str, Alias] = {}
    units: dict[str, Unit] = {}
    for entry in data.get("units") or []:
        unit = Unit(str(entry["name"]), str(entry["dimension"]), float(entry["factor"]))
        if unit.dimension not in base_units:
            raise ValueError(f"units.yaml: unit {unit.name!r} has an unknown dimension {unit.dimension!r}")
        units.setdefault(unit.name, unit)
        for text in entry.get("aliases") or []:
            key = _key(str(text))
            if key in aliases:
                raise ValueError(f"units.yaml: alias {text!r} is listed twice")
            aliases[key] = Alias(
                text=key,
                unit=unit,
                ambiguous=bool(entry.get("ambiguous", False)),
                attach=bool(entry.get("attach", False)),
                pack=bool(entry.get("pack", False)),
                not_followed_by=tuple(fold(str(w)) for w in entry.get("not_followed_by") or ()),
            )
    currencies: dict[str, Currency] = {}
    prefix_currency: dict[str, Currency] = {}
    for entry in data.get("currencies") or []:
        code = str(entry["code"])
        currency = Currency(code, str(entry.get("symbol", code)), tuple(_key(str(p)) for p in entry.get("prefixes") or ()))
        currencies[code] = currency
        unit = currency_unit(code)
        units.setdefault(code, unit)
        for prefix in currency.prefixes:
            prefix_currency[prefix] = currency
        for text in entry.get("aliases") or []:
            key = _key(str(text))
            if key in aliases:
                raise ValueError(f"units.yaml: alias {text!r} is listed twice")
            aliases[key] = Alias(
                text=key, unit=unit,
                not_followed_by=tuple(fold(str(w)) for w in entry.get("not_followed_by") or ()),
            )
    context = {
        str(name): tuple(_key(str(w)) for w in words or ())
        for name, words in (data.get("context") or {}).items()
    }
    return UnitTable(base_units, aliases, currencies, prefix_currency, context, units)
