"""Trademarks and product names that contain a claim term (rules/vocab/term-allowances.yaml):
a listing naming 永久牌 bicycles or a 绝对湿度 hygrometer makes no claim with 永久 or 绝对."""

from __future__ import annotations

from listcheck.text.normalize import fold
from listcheck.vocab import load_vocab


def allowed_names(terms: list[str]) -> list[str]:
    """The (folded) names of the allowances that contain one of these folded terms; a rule
    takes them as exceptions (永久牌 shields 永久, not 永久保修)."""
    names = [fold(str(entry["name"])) for entry in (load_vocab("term-allowances") or {}).get("allowances", [])]
    return [name for name in names if any(term in name for term in terms)]
