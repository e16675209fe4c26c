"""listcheck.text.keywords: every occurrence of every key, as a plain search finds them."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from listcheck.text.keywords import Keywords

# Few characters, so keys occur often and overlap: ASCII, CJK, an emoji (outside the BMP), a
# lone surrogate and U+FFFD.
alphabet = st.sampled_from(["a", "b", "最", "佳", "😊", " ", "\ud800", "\ufffd"])
keys = st.lists(st.text(alphabet, max_size=4), max_size=8)
texts = st.text(alphabet, max_size=40)


def occurrences(key_list: list[str], text: str) -> set[tuple[str, int, int]]:
    found = set()
    for key in key_list:
        if not key:
            continue
        for start in range(len(text) - len(key) + 1):
            if text.startswith(key, start):
                found.add((key, start, start + len(key)))
    return found


def as_seen(key: str) -> str:
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in key)


@given(key_list=keys, text=texts)
@example(key_list=["ab", "b", "最佳", "😊a"], text="x😊ab最佳最佳")
@example(key_list=["a"], text="a\ud800a")
def test_find_gives_every_occurrence_with_character_offsets(key_list, text):
    keywords = Keywords((key, key) for key in key_list)
    found = {(keywords.payloads[index], start, end) for index, start, end in keywords.find(text)}
    # A lone surrogate stands for U+FFFD on both sides (the matcher reads UTF-8); other keys
    # are found exactly where str.startswith finds them, overlaps included.
    seen_keys = {}
    for key in key_list:
        seen_keys.setdefault(as_seen(key), key)
    expected = {(seen_keys[key], start, end) for key, start, end in occurrences(list(seen_keys), as_seen(text))}
    assert found == expected


def test_no_keys_and_empty_keys_find_nothing():
    assert Keywords(()).find("anything") == []
    assert Keywords([("", 1)]).find("anything") == []
    assert len(Keywords([("", 1), ("a", 2)])) == 1


def test_the_first_payload_of_a_repeated_key_is_kept():
    keywords = Keywords([("best", "first"), ("best", "second")])
    assert [(keywords.payloads[i], s, e) for i, s, e in keywords.find("the best")] == [("first", 4, 8)]
