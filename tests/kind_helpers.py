"""Helpers for the per-kind tests: a pack from YAML text, compiled into an engine."""

from __future__ import annotations

import textwrap

from listcheck.engine import Engine
from listcheck.limits import Limits
from listcheck.model import Product
from listcheck.ruleset.loader import collect_rules, load_packs


def engine_for(tmp_path, rules_yaml: str, limits: Limits = Limits()) -> Engine:
    pack = tmp_path / "pack.yaml"
    pack.write_text("pack: t\ntitle: test\nrules:\n" + textwrap.indent(textwrap.dedent(rules_yaml), "  "), encoding="utf-8")
    return Engine(collect_rules(load_packs([str(pack)])), limits)


def found(engine, **fields):
    return [(f.rule, f.field, f.match, f.found, f.expected) for f in engine.check_product(Product(sku="S", **fields))]

