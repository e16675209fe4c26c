"""The claims packs against the source-built catalog (tests/claims_sources/): for each source
— the Advertising Law, SAMR's 2023 guide, the cosmetics and food rules, the 7-day return rules,
the platforms' banned words, FTC and Amazon — listings labelled from the source's text before
the tool ran: plain cases, variants and evasions that must be flagged, look-alikes that must not.

The floors are what the packs reach today, so a change that loses coverage fails here; the
goals of issue #15 (95% plain, 85% variants, 2% alarms) are far above them, and the full table
and every miss come from `python benchmarks/claims_coverage.py --misses`.
"""

from __future__ import annotations

import importlib.util

import pytest

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("claims_coverage", ROOT / "benchmarks" / "claims_coverage.py")
coverage = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(coverage)

SOURCES = coverage.load_sources(ROOT / "tests" / "claims_sources")


@pytest.fixture(scope="module")
def outcome():
    counted, bad = coverage.check_cases(SOURCES)
    flagged: dict[str, list[int]] = {"plain": [0, 0], "variant": [0, 0], "clean": [0, 0]}
    for _, data in SOURCES:
        for case in data["cases"]:
            row = flagged[case["kind"]]
            row[0] += bool(counted.get(case["id"]))
            row[1] += 1
    return flagged, bad


def test_every_case_is_a_valid_listing(outcome):
    assert outcome[1] == []


def test_every_source_has_cases_to_flag_and_look_alikes_to_pass():
    for name, data in SOURCES:
        kinds = {case["kind"] for case in data["cases"]}
        assert {"plain", "clean"} <= kinds, name
        assert data["source"].get("title") and data["source"].get("url"), name
        for case in data["cases"]:
            assert (case["expect"] == "none") == (case["kind"] == "clean"), case["id"]
            assert case.get("why"), case["id"]


@pytest.mark.parametrize("kind, floor", [("plain", 0.77), ("variant", 0.65)])
def test_recall_does_not_fall_below_todays(outcome, kind, floor):
    hits, total = outcome[0][kind]
    assert hits / total >= floor, f"{kind}: {hits}/{total}"


def test_alarms_on_look_alikes_do_not_rise_above_todays(outcome):
    hits, total = outcome[0]["clean"]
    assert hits / total <= 0.052, f"clean: {hits}/{total}"
