"""The character gate in front of `pattern` and `compare: matches` regexes never hides a match.

A gate that says "cannot match" for a text the regex matches would silently drop findings, so
the property is tested three ways: hand-picked patterns, every pattern of the built-in packs
over generated texts (hypothesis), and the same patterns over the real listings in
../shared/data/real (skipped, saying so, when that folder is missing).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from listcheck import api
from listcheck.text.required_chars import gate, required_chars

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"


@pytest.mark.parametrize(
    "pattern, ignore_case, chars",
    [
        ("专利", False, "专"),
        ("发明专利|实用新型|外观设计", False, "发实外"),
        (r"\d{1,3}\s*[%％]\s*的?用户|好评率\s*\d+\s*[%％]", False, "用好"),
        ("专?利", False, "利"),
        ("(专)*利", False, "利"),
        ("[^专]利", False, "利"),
        ("(?i)退货包运费", False, "退"),
        ("本品不能代替药物", True, "本"),
        ("数据来源|来源[:：]", False, "数来"),
        ("(?>专利)", False, "专"),  # an atomic group
        ("专++利", False, "专"),  # a possessive repeat still needs one 专
        ("(?i:中国)", False, "中"),  # a scoped flag: 中 has no case
    ],
)
def test_a_gate_names_characters_every_match_needs(pattern, ignore_case, chars):
    assert required_chars(pattern, ignore_case) == frozenset(chars)


@pytest.mark.parametrize(
    "pattern, ignore_case",
    [
        (r"\d+", False),  # no one character in every match
        ("专|", False),  # an empty alternative matches anywhere
        ("专*", False),
        ("a(?=专)", False),  # a lookahead's characters are not in the match
        ("ZL\\s*\\d{4}|专利号", False),  # one branch needs only ASCII letters: no filter
        ("(?i)fda", False),  # letters with case under ignore-case
        ("Ω", True),
        (r"\p{Han}专", False),  # regex-only syntax: no gate
        ("(?:专利){e<=1}", False),  # fuzzy matching (literal braces to `re`)
        ("(?x)(?:专利){ e<=1 }", False),  # the same, spaced out in verbose mode
        ("(?x)专{0, 2}利", False),  # a repeat to `regex` in verbose mode, text to `re`
        ("\u1c89", True),  # unassigned in Python's Unicode tables, cased in `regex`'s
        ("[[:alpha:]]专", False),  # a POSIX class
        ("[专-利]", False),  # a class too large to list
        ("(", False),  # not a regex at all
    ],
)
def test_no_gate_where_no_character_is_certain(pattern, ignore_case):
    assert required_chars(pattern, ignore_case) is None
    assert gate(pattern, ignore_case) is None


def _builtin_patterns() -> list[tuple[str, bool]]:
    """(pattern, ignore case) of every `pattern` rule and `compare: matches` of the built-in packs."""
    found: set[tuple[str, bool]] = set()

    def conditions(condition):
        yield condition
        for sub in (condition.all or []) + (condition.any or []) + ([condition.not_] if condition.not_ else []):
            yield from conditions(sub)

    for rule in api.load_rules(["recommended"]).rules:
        if rule.spec.kind == "pattern":
            found.add((rule.params.pattern, rule.params.ignore_case))
        elif rule.spec.kind == "compare":
            found.update((c.matches, False) for c in conditions(rule.params.require) if c.matches is not None)
    return sorted(found)


BUILTIN = _builtin_patterns()
GATED = [(p, ic) for p, ic in BUILTIN if gate(p, ic) is not None]


def test_the_builtin_packs_have_gated_patterns():
    # The point of the gate: most claim patterns need a Chinese character or a percent sign.
    assert len(GATED) >= 10, GATED


def _alphabet() -> str:
    letters = {c for pattern, _ in BUILTIN for c in pattern if not c.isascii()}
    return "".join(sorted(letters)) + "0123456789 %:abcdefzZL.-"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_alphabet(), max_size=60), st.sampled_from(GATED or [("专", False)]))
def test_a_gated_out_text_never_matches(text, case):
    pattern, ignore_case = case
    compiled = regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)
    if gate(pattern, ignore_case)(text) is None:
        assert compiled.search(text) is None


def test_the_rules_own_examples_pass_every_gate_they_match():
    """Texts a pattern matches get through its gate: checked on the invalid examples of every
    built-in rule (the texts the packs are written to catch)."""
    texts = []
    for rule in api.load_rules(["recommended"]).rules:
        for example in rule.spec.examples.invalid:
            texts.extend(_strings(example))
    matched = 0
    for pattern, ignore_case in GATED:
        compiled = regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)
        check = gate(pattern, ignore_case)
        for text in texts:
            if compiled.search(text):
                matched += 1
                assert check(text) is not None, (pattern, text)
    assert matched >= 10  # the test saw real matches, not only misses


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_on_the_real_listings_the_gate_hides_no_match():
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is missing: the real listings are not beside this checkout")
    texts: list[str] = []
    for path in sorted(REAL.glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                texts.extend(t for t in (record.get("title"), record.get("description")) if isinstance(t, str))
                texts.extend(b for b in record.get("bullets") or [] if isinstance(b, str))
    assert len(texts) > 1000
    for pattern, ignore_case in GATED:
        compiled = regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)
        check = gate(pattern, ignore_case)
        for text in texts:
            if check(text) is None:
                assert compiled.search(text) is None, (pattern, text)


@pytest.mark.parametrize("pattern, ignore_case", GATED or [("专", False)])
def test_a_gate_finds_a_required_character_exactly_when_the_text_has_one(pattern, ignore_case):
    # All-ASCII texts take a shortcut (`in` on the set's ASCII characters); others the class scan.
    chars = required_chars(pattern, ignore_case)
    check = gate(pattern, ignore_case)
    for text in ["", "plain ascii text", "98% of users", "100 ％ cotton", "含专利技术", "数据来源: lab",
                 "café 5%", "ascii : colon", "有效率 95 %", "ZL 2019", "最佳 best", "FDA-approved"]:
        assert (check(text) is not None) == any(c in text for c in chars), (pattern, text)
