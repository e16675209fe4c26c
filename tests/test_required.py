"""The `required` kind on real products."""

from __future__ import annotations

from kind_helpers import engine_for, found


def test_required(tmp_path):
    engine = engine_for(tmp_path, """
- id: t/req
  kind: required
  category: completeness
  severity: error
  fields: [title, spec.capacity, bullets]
  message: "{field} missing"
""")
    assert [f[1] for f in found(engine, title=" ", spec={"capacity": ""}, bullets=[])] == ["title", "spec.capacity", "bullets"]
    assert found(engine, title="x", spec={"capacity": "500 ml"}, bullets=["a"]) == []


