"""Write rules/vocab/han-variants.yaml: one character for one character, what matching folds.

    pip install opencc && python tools/han_variants.py

- Traditional to simplified, from OpenCC's `t2s` conversion (the Open Chinese Convert project's
  dictionaries, which every serious converter uses): 國家級 -> 国家级, 概不退換 -> 概不退换. Only
  characters whose conversion is one character are kept, so an offset in the folded text is
  still the offset in what the seller wrote, and the table is applied character by character
  (a phrase-level conversion could change a listing's length).
- Numerals written another way, to the plain Han numeral: financial 壹贰叁 and circled ①②③
  (第① / 第壹 read as 第一).

listcheck does not need OpenCC at run time: the table ships as data, and `fold` applies it
with one str.translate on the texts that hold such a character.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "rules" / "vocab" / "han-variants.yaml"

# CJK Unified Ideographs and Extension A: where traditional forms used in listings live.
_RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF)]
NUMERALS = {"壹": "一", "贰": "二", "叁": "三", "肆": "四", "伍": "五", "陆": "六", "柒": "七", "捌": "八",
            "玖": "九", "拾": "十", "①": "一", "②": "二", "③": "三", "④": "四", "⑤": "五", "⑥": "六",
            "⑦": "七", "⑧": "八", "⑨": "九", "⑩": "十", "❶": "一", "❷": "二", "❸": "三", "➀": "一",
            "➊": "一", "㈠": "一", "㊀": "一"}


def table() -> dict[str, str]:
    import opencc

    convert = opencc.OpenCC("t2s").convert
    mapping: dict[str, str] = {}
    for low, high in _RANGES:
        for code in range(low, high + 1):
            char = chr(code)
            simple = convert(char)
            if simple != char and len(simple) == 1:
                mapping[char] = simple
    # A traditional numeral folds to simplified, then to the plain numeral (貳 -> 贰 -> 二).
    for char, simple in list(mapping.items()):
        mapping[char] = NUMERALS.get(simple, simple)
    mapping.update(NUMERALS)
    return dict(sorted(mapping.items()))


def render(mapping: dict[str, str]) -> str:
    import opencc

    lines = [
        "# Written by `python tools/han_variants.py`; do not edit by hand.",
        f"# Traditional -> simplified from OpenCC {getattr(opencc, '__version__', '')} (t2s, one character for one),",
        "# and financial / circled numerals -> the plain Han numeral. Read by listcheck.text.normalize.fold.",
        "source: OpenCC t2s (https://github.com/BYVoid/OpenCC, Apache-2.0)",
        "chars:",
    ]
    # Twenty pairs a line: about 2,800 pairs stay reviewable in a diff.
    items = list(mapping.items())
    for at in range(0, len(items), 20):
        lines.append("  " + " ".join(f"{a}{b}" for a, b in items[at: at + 20]))
    return "\n".join(lines) + "\n"


def main() -> None:
    mapping = table()
    OUT.write_text(render(mapping), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(mapping)} characters")


if __name__ == "__main__":
    main()
