"""What every format says the same way: a boolean value, a category's name and the verdict."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli

PACK = """\
pack: flags
title: Flags
rules:
  - id: flags/gift-wrap
    kind: compare
    category: completeness
    severity: error
    require: {field: spec.gift_wrap, eq: true}
    message: "gift wrap is {found}"
"""


@pytest.mark.parametrize("fmt", ["terminal", "github", "junit", "csv", "html", "markdown", "jsonl"])
def test_a_boolean_reads_true_or_false_in_every_format(tmp_path, fmt):
    (tmp_path / "flags.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"sku": "F-1", "title": "Mug", "spec": {"gift_wrap": False}}) + "\n",
                                      encoding="utf-8")
    result = run_cli("check", "c.jsonl", "--rules", "flags.yaml", "--format", fmt, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "False" not in result.stdout and "True" not in result.stdout
    assert "false" in result.stdout


def test_every_format_names_categories_and_words_the_verdict_alike(tmp_path):
    (tmp_path / "flags.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"sku": "F-1", "title": "Mug", "spec": {"gift_wrap": False}}) + "\n",
                                      encoding="utf-8")
    verdict = "1 error in 1 of 1 product — failing on error"
    for fmt in ("terminal", "markdown", "github", "html"):
        out = run_cli("check", "c.jsonl", "--rules", "flags.yaml", "--format", fmt, cwd=tmp_path).stdout
        assert verdict in out, fmt
    zh = run_cli("check", "c.jsonl", "--rules", "flags.yaml", "--format", "markdown", "--lang", "zh", cwd=tmp_path).stdout
    assert "信息完整性" in zh and "未通过" in zh
