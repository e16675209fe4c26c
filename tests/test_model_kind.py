"""The `model` kind: the spec model's series with another number in the text is a contradiction;
the same number, a case "for" another model, and a text that names the spec's number anywhere
are not."""

from __future__ import annotations

import pytest

from kind_helpers import engine_for, found

RULE = """
- id: t/model
  kind: model
  category: spec-mismatch
  severity: error
  attribute: model
  avoid: [for, fits, 适用, 兼容]
  message: "{found} vs {expected}"
"""


@pytest.mark.parametrize("title, model, flagged", [
    ("华为 Mate 50 手机 8GB+256GB", "Mate 40", "Mate 50"),
    ("华为 Mate40 5G 手机", "MATE 40 Pro", None),                  # spacing and case
    ("手机壳 适用于 Mate 50", "Mate 40", None),                      # an accessory for another model
    ("HP Pavilion DV6 Laptop Battery", "HP-DV5", "DV6"),             # a series after a hyphen
    ("Monitor 27 inch 237MBB", "106MBB", "237MBB"),                  # letters after the number
    ("Mate 40 与 Mate 50 对比评测", "Mate 40", None),                 # the spec's number is named
])
def test_model_series_with_another_number(tmp_path, title, model, flagged):
    engine = engine_for(tmp_path, RULE)
    matches = [f[2] for f in found(engine, title=title, spec={"model": model})]
    assert matches == ([flagged] if flagged else []), matches
