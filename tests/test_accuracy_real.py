"""The recommended set on real listings nobody on the team wrote (../shared/data/real/).

Skipped, saying so, when the shared data is not beside the repository. The full figures and
a sample of findings to read come from `python benchmarks/accuracy.py --sample 5`.
"""

from __future__ import annotations

import pytest
import yaml

from conftest import SHARED

from listcheck import api

REAL = SHARED / "data" / "real"
pytestmark = pytest.mark.skipif(not (REAL / "labels-dev.yaml").is_file(), reason=f"no real data at {REAL}")


@pytest.fixture(scope="module")
def labelled_run():
    rules = api.load_rules(["recommended"])
    findings: dict[str, set] = {}
    for path in sorted(REAL.glob("*.jsonl")):
        for finding in api.check_run([path], rules=rules).report.findings:
            findings.setdefault(finding.sku, set()).update([finding.attribute, *finding.also_contradicts])
    labels = yaml.safe_load((REAL / "labels-dev.yaml").read_text(encoding="utf-8"))
    return labels, findings


def test_recall_on_hard_labels_is_at_least_85_percent(labelled_run):
    labels, findings = labelled_run
    hard = [label for label in labels if label["kind"] == "hard"]
    caught = [label for label in hard if label["attribute"] in findings.get(label["sku"], set())]
    assert len(caught) / len(hard) >= 0.85, [l["sku"] for l in hard if l not in caught]


def test_no_alarm_on_agreements(labelled_run):
    labels, findings = labelled_run
    alarms = [l for l in labels if l["kind"] == "agree" and l["attribute"] in findings.get(l["sku"], set())]
    assert alarms == []


def test_the_precision_each_rule_states_is_the_one_measured_now(tmp_path):
    """`rules show` and docs/rules.md quote rules/vocab/measured-precision.yaml: it must be what
    benchmarks/accuracy.py measures from today's rules and judgements, not an old or typed figure."""
    import subprocess
    import sys

    from conftest import ROOT

    fresh = tmp_path / "precision.yaml"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "accuracy.py"), "--write-precision", str(fresh)],
                   check=True, capture_output=True)
    committed = yaml.safe_load((ROOT / "rules" / "vocab" / "measured-precision.yaml").read_text(encoding="utf-8"))
    assert committed["rules"] == yaml.safe_load(fresh.read_text(encoding="utf-8"))["rules"], (
        "rerun `python benchmarks/accuracy.py --write-precision` and `listcheck rules list --format markdown > docs/rules.md`")
