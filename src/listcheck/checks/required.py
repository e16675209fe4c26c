"""`required`: fields that must be present and not empty.

    - id: core/title-present
      kind: required
      category: completeness
      severity: error
      fields: [title]
      message: {en: "The listing has no {field}", zh: "商品缺少{field}"}

    FAIL: {sku: A1}        PASS: {sku: A1, title: 保温杯 500ml}
"""

from __future__ import annotations

from typing import ClassVar, Iterator, Sequence

from listcheck.checks.base import CheckKind, Hit
from listcheck.model import Product
from listcheck.text.fields import get_path, is_empty


class RequiredKind(CheckKind):
    name = "required"
    default_fields: ClassVar[Sequence[str]] = ()

    def __init__(self, rule, params, *args, **kwargs) -> None:
        if not rule.fields:
            raise ValueError("a `required` rule needs `fields`")
        super().__init__(rule, params, *args, **kwargs)

    def check(self, product: Product) -> Iterator[Hit]:
        for path in self.fields:
            if is_empty(get_path(product, path)):
                yield Hit(field=path)
