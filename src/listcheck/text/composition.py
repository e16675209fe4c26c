"""Fibre composition: spec values ("65%棉 35%聚酯纤维", {cotton: 65}) and claims in the text (纯棉).

`parse_composition` reads a spec composition into {canonical fibre: percent}; the fibre names
come from rules/vocab/fibres.yaml (GB/T 29862-2013 names plus trade names).
`extract_composition_claims` finds what a listing claims about fibres, conservatively:

- purity: 纯棉, 全棉, 100%棉, 100%纯棉, 100% cotton, pure cotton, 纯羊毛, pure cashmere, 真丝
  (= a 100% silk claim) -> percent 100;
- stated shares: 95% cotton, 95%棉, 棉95%, Cotton 95%/Spandex 5%, 含棉量95%, 棉含量：95%;
- "contains": 含羊绒, 含桑蚕丝 -> percent None (the fibre must be present).

Never a claim: a fibre word alone (棉服, 棉袄, 羊毛衫), a look or feel (纯棉感, 真丝般顺滑,
silk-like, 棉麻风), imitations (仿真丝, 冰丝 — not silk at all), 纯色 (plain colour), brands
(全棉时代), 安全棉签, and negations (不含棉, not 100% cotton). When in doubt, no claim.

Pairing a percentage with its fibre: a share binds to the fibre next to it across spaces, ":",
的 or 含量 only — never across "/", ",", "、", ";" or "+". The text is read in one direction
throughout ("65%棉 35%涤纶" percent-first, "棉65% 涤纶35%" fibre-first): the direction that pairs
more shares wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from listcheck.text.keywords import Keywords
from listcheck.text.normalize import fold
from listcheck.vocab import load_vocab


@dataclass(frozen=True)
class CompositionClaim:
    fibre: str              # canonical fibre name (cotton, silk, cashmere ...)
    percent: float | None   # 100 for 纯/全/pure/100%; the stated share; None for "含羊绒"
    start: int              # offsets in the original text
    end: int
    text: str


# Aliases that carry purity themselves (纯棉 = 100% cotton).
_PURE_ALIASES = {"纯棉", "全棉", "纯羊毛", "全羊毛", "纯羊绒", "真丝", "pure silk"}
# Section labels after which a spec describes another part of the garment (lining, filling).
_SECONDARY = re.compile(r"里料|里布|内衬|内胆|填充物|填充|絮片|罗纹|配料|袖子|lining|filling|fill:|padding|trim|insole|sole")
_PERCENT = re.compile(r"(?<![0-9.])([0-9]{1,3}(?:\.[0-9]+)?)[ \t]*%")
_GAP_PERCENT_FIRST = re.compile(r"[ \t:：的]*(?:纯|全|pure[ \t]+)?")
_GAP_FIBRE_FIRST = re.compile(r"[ \t:：)）\]]*(?:含量|量)?[ \t:：]*(?:为|是)?[ \t]*")
_BLEND_WORDS = re.compile(r"混纺|混合|交织|blend|mix|[/+、,，;；&]| and |和|与")
_PURITY_BEFORE = re.compile(r"(?:(?:100[ \t]*%|百分百|百分之百|100[ \t]*percent)[ \t]*(?:纯|全|pure[ \t]+)?|(?<![a-z])pure[ \t]+|[纯全])$")


@dataclass
class _Fibres:
    alias_to_fibre: dict[str, str]
    strict: _Names                # names that count everywhere
    loose: _Names                 # names + loose names (spec compositions only)
    not_after: tuple[str, ...]
    not_before: tuple[str, ...]
    not_purity_before: str
    rules: dict[str, Any]
    parents: dict[str, str]


@lru_cache(maxsize=1)
def _fibres() -> _Fibres:
    data = load_vocab("fibres")  # libyaml's C loader, read once
    alias_to_fibre: dict[str, str] = {}
    strict: list[str] = []
    loose: list[str] = []
    parents: dict[str, str] = {}
    for fibre, entry in (data.get("fibres") or {}).items():
        entry = entry or {}
        if entry.get("parent"):
            parents[str(fibre)] = str(entry["parent"])
        alias_to_fibre[fold(str(fibre))] = str(fibre)
        for name in entry.get("names") or []:
            key = " ".join(fold(str(name)).split())
            alias_to_fibre[key] = str(fibre)
            strict.append(key)
        for name in entry.get("loose") or []:
            key = " ".join(fold(str(name)).split())
            alias_to_fibre[key] = str(fibre)
            loose.append(key)
    return _Fibres(
        alias_to_fibre=alias_to_fibre,
        strict=_Names(strict),
        loose=_Names(strict + loose),
        not_after=tuple(fold(str(w)) for w in data.get("not_claim_after") or ()),
        not_before=tuple(fold(str(w)) for w in data.get("not_claim_before") or ()),
        not_purity_before="".join(str(w) for w in data.get("not_purity_before") or ()),
        rules={"purity": data.get("purity") or {}, "tolerances": data.get("tolerances") or {}},
        parents=parents,
    )


class _Names:
    """Fibre names found in folded text, as `_alternation(names).finditer` would find them.

    Python's `re` tries a long alternation at every position of a text (about 250 µs for an
    ordinary description), and compiling the alternation of all the names costs a one-product
    run 5 ms. An Aho-Corasick pass over the names' first words finds the few positions where
    a name can start; there only the names with a first word found at that position are
    tried, in the alternation's order (longest first), so the first to match is the same.
    Each such group of names is compiled the first time it is needed."""

    def __init__(self, names: list[str]) -> None:
        self.ordered = sorted(set(names), key=len, reverse=True)
        by_first_word: dict[str, list[int]] = {}
        for index, name in enumerate(self.ordered):
            by_first_word.setdefault(name.split(" ")[0], []).append(index)
        self.first_words = Keywords(by_first_word.items())
        self._patterns: dict[tuple[int, ...], re.Pattern[str]] = {}

    def finditer(self, scan: str) -> Iterator[re.Match[str]]:
        if not scan:
            return
        groups: dict[int, list[int]] = {}
        for group, start, _ in self.first_words.find(scan):
            groups.setdefault(start, []).append(group)
        done = 0
        for start in sorted(groups):
            if start < done:
                continue
            found = self._pattern(groups[start]).match(scan, start)
            if found is not None and found.end() > start:
                done = found.end()
                yield found

    def _pattern(self, groups: list[int]) -> re.Pattern[str]:
        key = tuple(sorted(groups))
        pattern = self._patterns.get(key)
        if pattern is None:
            payloads = self.first_words.payloads
            indices = sorted(index for group in key for index in payloads[group])
            pattern = self._patterns[key] = _alternation([self.ordered[index] for index in indices])
        return pattern


def _alternation(ordered: list[str]) -> re.Pattern[str]:
    """The names, tried in the order given, each where it is a whole word."""
    parts = []
    for name in ordered:
        body = r"[ \t\-]?".join(re.escape(p) for p in name.split(" "))
        if name[0].isascii() and name[0].isalpha():
            body = r"(?<![a-z])" + body
        if name[-1].isascii() and name[-1].isalpha():
            body += r"(?![a-z])"
        parts.append(body)
    return re.compile("|".join(parts))


def canonical_fibre(name: str) -> str | None:
    """The canonical fibre for a written name ("涤纶" -> polyester, "Elastane" -> spandex)."""
    if not isinstance(name, str):
        return None
    key = " ".join(fold(name).split())
    return _fibres().alias_to_fibre.get(key) or _fibres().alias_to_fibre.get(key.replace("-", " "))


def fibre_rules() -> dict[str, Any]:
    """The GB/T 29862 facts from fibres.yaml: {"purity": {...}, "tolerances": {...}}."""
    return _fibres().rules


def fibre_parent(fibre: str) -> str | None:
    """The generic fibre a specific one belongs to (duck-down -> down), else None."""
    return _fibres().parents.get(fibre)


# ---------------------------------------------------------------------------------------------


def parse_composition(value: str | dict) -> dict[str, float] | None:
    """A spec composition as {canonical fibre: percent}; None when it names no fibre share.

    "65%棉 35%聚酯纤维", "棉65% 聚酯纤维35%", "65% cotton, 35% polyester", "Cotton 95%/Spandex 5%",
    {"cotton": 65, "polyester": 35}, "100%棉" and "纯棉" -> {cotton: 100}; a single fibre with
    no percentage ("Polyester", "真丝") is 100% of it; several fibres without percentages
    ("棉麻", "cotton blend") are None. A lining or filling section after the main fabric
    ("面料: 100%涤纶 里料: 100%棉") is left out. Unknown names with a share count as "other".
    """
    if isinstance(value, dict):
        return _parse_dict(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    scan = fold(text)
    cut = _SECONDARY.search(scan)
    if cut is not None and cut.start() > 0:
        main = _parse_text(scan[:cut.start()])
        if main:
            return main
    return _parse_text(scan)


# A part label inside a spec composition: "正面：", "外壳:", "Lining:" (a short name, then a colon).
_PART_LABEL = re.compile(r"(?:^|(?<=[\s/;；,，|]))(?:[\u4e00-\u9fff]{1,6}|[a-z][a-z ]{1,14})[ \t]*[:：]")


def composition_parts(value: str | dict) -> list[dict[str, float]]:
    """Each labelled part of a spec composition with its own shares: "正面：100%棉 背面：15%棉
    85%涤" -> [{cotton: 100}, {cotton: 15, polyester: 85}]. Each part adds up to 100% on its
    own; an unlabelled composition is one part."""
    if isinstance(value, dict) or not isinstance(value, str):
        whole = parse_composition(value)
        return [whole] if whole else []
    scan = fold(value.strip())
    starts = [m.start() for m in _PART_LABEL.finditer(scan)]
    if len(starts) < 2:
        whole = parse_composition(value)
        return [whole] if whole else []
    bounds = ([0] if starts[0] > 0 else []) + starts + [len(scan)]
    parts = []
    for start, end in zip(bounds, bounds[1:]):
        piece = scan[start:end]
        if _PERCENT.search(piece) is None:
            continue  # a part named without shares ("席面：蔺草") says nothing about a total
        parsed = _parse_text(piece)
        if parsed:
            parts.append(parsed)
    return parts


def _parse_dict(value: dict) -> dict[str, float] | None:
    out: dict[str, float] = {}
    for key, share in value.items():
        if isinstance(share, bool):
            continue
        if isinstance(share, str):
            match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*[%％]?\s*", share)
            if match is None:
                continue
            share = float(match.group(1))
        if not isinstance(share, (int, float)) or not -1e308 < share < 1e308:
            continue  # also NaN, infinity and an int beyond any float (a 400-digit share)
        name = canonical_fibre(str(key)) or " ".join(fold(str(key)).split())
        out[name] = out.get(name, 0.0) + float(share)
    return out or None


def _parse_text(scan: str) -> dict[str, float] | None:
    f = _fibres()
    fibres = [(m.start(), m.end(), _lookup(m.group(0))) for m in f.loose.finditer(scan)]
    fibres = [x for x in fibres if x[2] is not None]
    percents = [(m.start(), m.end(), float(m.group(1))) for m in _PERCENT.finditer(scan)]
    if not percents:
        names = {fibre for _, _, fibre in fibres}
        if len(names) == 1 and not _BLEND_WORDS.search(scan):
            return {names.pop(): 100.0}  # type: ignore[dict-item]
        return None
    pairs = _pair(scan, percents, fibres)
    out: dict[str, float] = {}
    used = {p for p, _ in pairs}
    for p_index, f_index in pairs:
        fibre = fibres[f_index][2]
        out[fibre] = out.get(fibre, 0.0) + percents[p_index][2]  # type: ignore[index]
    # A share next to a name we do not know ("35%ABC") still belongs to the total.
    for index, (start, end, share) in enumerate(percents):
        if index in used:
            continue
        after = scan[end:end + 6].lstrip()
        before = scan[max(0, start - 6):start].rstrip()
        if (after[:1].isalpha() or before[-1:].isalpha()) and (fibres or len(percents) > 1):
            out["other"] = out.get("other", 0.0) + share
    return out or None


def _lookup(written: str) -> str | None:
    """The fibre a regex match stands for ("lamb's wool", "merino-wool" with any spacing)."""
    fibre = canonical_fibre(written)
    if fibre is None:
        squeezed = re.sub(r"[ \t\-]", "", fold(written))
        fibre = next((v for k, v in _fibres().alias_to_fibre.items() if k.replace(" ", "") == squeezed), None)
    return fibre


def _pair(scan: str, percents: list, fibres: list) -> list[tuple[int, int]]:
    """Pair shares with fibres in the direction that pairs more (see the module docstring)."""
    forward = _pair_direction(scan, percents, fibres, percent_first=True)
    backward = _pair_direction(scan, percents, fibres, percent_first=False)
    if len(backward) > len(forward):
        return backward
    if len(backward) == len(forward) and backward:
        gap_f = sum(fibres[fi][0] - percents[pi][1] for pi, fi in forward)
        gap_b = sum(percents[pi][0] - fibres[fi][1] for pi, fi in backward)
        if gap_b < gap_f:
            return backward
    return forward


def _pair_direction(scan: str, percents: list, fibres: list, percent_first: bool) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for p_index, (p_start, p_end, _) in enumerate(percents):
        for f_index, (f_start, f_end, _) in enumerate(fibres):
            if f_index in used:
                continue
            if percent_first and f_start >= p_end and _GAP_PERCENT_FIRST.fullmatch(scan[p_end:f_start]):
                pairs.append((p_index, f_index))
                used.add(f_index)
                break
            if not percent_first and f_end <= p_start and _GAP_FIBRE_FIRST.fullmatch(scan[f_end:p_start]):
                pairs.append((p_index, f_index))
                used.add(f_index)
                break
    return pairs


def composition_total(comp: dict[str, float] | str | None) -> float:
    """The sum of the shares (a string is parsed first); 0.0 when there is none."""
    if isinstance(comp, str):
        comp = parse_composition(comp)
    if not comp:
        return 0.0
    return float(sum(v for v in comp.values() if isinstance(v, (int, float)) and not isinstance(v, bool)))


# ---------------------------------------------------------------------------------------------


def extract_composition_claims(text: str) -> list[CompositionClaim]:
    """Fibre claims in listing text (纯棉, 100% cotton, 真丝, 95%棉, 含羊绒), in text order."""
    if not isinstance(text, str) or not text:
        return []
    f = _fibres()
    scan = fold(text)
    fibres = []
    for m in f.strict.finditer(scan):
        fibre = _lookup(m.group(0))
        if fibre is None or fibre == "other":
            continue
        fibres.append((m.start(), m.end(), fibre))
    if not fibres:
        return []
    percents = [(m.start(), m.end(), float(m.group(1))) for m in _PERCENT.finditer(scan)]
    paired: dict[int, int] = {}
    if percents:
        for p_index, f_index in _pair(scan, percents, fibres):
            paired[f_index] = p_index
    claims: list[CompositionClaim] = []
    for index, (f_start, f_end, fibre) in enumerate(fibres):
        alias = " ".join(scan[f_start:f_end].split())
        if _looks_not_claim(scan, f_start, f_end, f):
            continue
        start, end, percent = f_start, f_end, None
        is_claim = False
        if index in paired:
            p_start, p_end, share = percents[paired[index]]
            start, end = min(start, p_start), max(end, p_end)
            if start == f_start and scan[:f_start].endswith("含"):
                start -= 1  # 含棉量95%
            percent, is_claim = share, True
        else:
            before = scan[max(0, f_start - 12):f_start]
            purity = _PURITY_BEFORE.search(before)
            if purity is not None and not (purity.group(0) in ("纯", "全") and
                                           before[:purity.start()][-1:] and before[:purity.start()][-1:] in f.not_purity_before):
                start, percent, is_claim = f_start - (len(before) - purity.start()), 100.0, True
            elif alias in _PURE_ALIASES:
                if alias[0] in "纯全" and f_start > 0 and scan[f_start - 1] in f.not_purity_before:
                    continue
                percent, is_claim = 100.0, True
            elif before.endswith("含") and not re.search(r"(?:不|无|未|没)含$", before):
                start, is_claim = f_start - 1, True   # 含羊绒: the fibre must be present
        if not is_claim:
            continue
        if _negated(scan, start, f):
            continue
        claims.append(CompositionClaim(fibre, percent, start, end, text[start:end]))
    return _non_overlapping(claims)


def _looks_not_claim(scan: str, start: int, end: int, f: _Fibres) -> bool:
    after = scan[end:end + 8]
    # 棉95% / 棉含量95%: a share after the fibre is not a "look" word.
    for word in f.not_after:
        if after.startswith(word):
            return True
    before = scan[max(0, start - 8):start]
    for word in f.not_before:
        if before.endswith(word):
            # English words must stand alone: "no" is not the end of "piano".
            if word[:1].isascii() and word[:1].isalpha() and before[:len(before) - len(word)][-1:].isalpha():
                continue
            return True
    return False


def _negated(scan: str, start: int, f: _Fibres) -> bool:
    before = scan[max(0, start - 8):start].rstrip()
    for word in ("不含", "无", "非", "不是", "not", "no", "non", "non-", "without"):
        if before.endswith(word):
            head = before[:len(before) - len(word)]
            if word.isascii() and head[-1:].isalpha():
                continue
            return True
    return False


def _non_overlapping(claims: list[CompositionClaim]) -> list[CompositionClaim]:
    claims.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[CompositionClaim] = []
    for claim in claims:
        if out and claim.start < out[-1].end:
            continue
        out.append(claim)
    return out
