"""listcheck.catalog.duplicates: the duplicate-sku index, against a plain dict of skus."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
import tracemalloc

import pytest

from listcheck.catalog import records
from listcheck.catalog.duplicates import DuplicateSkus
from listcheck.findings import INPUT_DUPLICATE_SKU
from listcheck.model import Category, Severity, Source


def test_the_first_sighting_is_not_a_duplicate_and_the_second_names_it():
    skus = DuplicateSkus()
    assert skus.see("X-1", "acme", Source(path="a.jsonl", line=4), valid=True) is None
    assert skus.see("X-2", "acme", Source(path="a.jsonl", line=5), valid=True) is None
    duplicate = skus.see("X-1", "other", Source(path="b.csv", line=9), valid=True)
    assert duplicate is not None
    assert duplicate.rule == INPUT_DUPLICATE_SKU
    assert duplicate.category is Category.input
    assert duplicate.severity is Severity.error
    assert (duplicate.sku, duplicate.supplier, duplicate.field) == ("X-1", "other", "sku")
    assert duplicate.source == Source(path="b.csv", line=9)
    assert "first seen at a.jsonl:4;" in duplicate.message
    assert "首次出现在 a.jsonl:4" in duplicate.messages["zh"]


def test_every_later_sighting_names_the_first_not_the_one_before():
    skus = DuplicateSkus()
    skus.see("X-1", None, Source(path="a.jsonl", line=1), valid=True)
    second = skus.see("X-1", None, Source(path="a.jsonl", line=2), valid=True)
    third = skus.see("X-1", None, Source(path="b.jsonl", line=3), valid=True)
    assert "first seen at a.jsonl:1;" in second.message
    assert "first seen at a.jsonl:1;" in third.message


def test_the_first_place_keeps_its_sheet_and_a_missing_line():
    skus = DuplicateSkus()
    skus.see("D-1", None, Source(path="book.xlsx", line=2, sheet="A"), valid=True)
    skus.see("D-2", None, Source(path="list.yaml"), valid=True)
    in_sheet = skus.see("D-1", None, Source(path="book.xlsx", line=7, sheet="B"), valid=True)
    assert "first seen at book.xlsx (sheet 'A', row 2);" in in_sheet.message
    assert in_sheet.source == Source(path="book.xlsx", line=7, sheet="B")
    no_line = skus.see("D-2", None, Source(path="book.xlsx", line=8, sheet="B"), valid=True)
    assert "first seen at list.yaml;" in no_line.message


def test_an_invalid_record_counts_as_seen_but_is_never_replaced():
    skus = DuplicateSkus()
    assert skus.see("B-1", None, Source(path="a.jsonl", line=1), valid=False) is None
    assert skus.see("B-1", None, Source(path="a.jsonl", line=2), valid=False) is None
    duplicate = skus.see("B-1", None, Source(path="a.jsonl", line=3), valid=True)
    assert "first seen at a.jsonl:1;" in duplicate.message
    assert skus.see("B-1", None, Source(path="a.jsonl", line=4), valid=False) is None


def test_no_sku_or_no_source_is_not_noted():
    skus = DuplicateSkus()
    assert skus.see(None, None, Source(path="a.jsonl", line=1), valid=True) is None
    assert skus.see(None, None, Source(path="a.jsonl", line=2), valid=True) is None
    assert skus.see("S-1", None, None, valid=True) is None
    assert skus.see("S-1", None, Source(path="a.jsonl", line=3), valid=True) is None
    duplicate = skus.see("S-1", None, Source(path="a.jsonl", line=4), valid=True)
    assert "first seen at a.jsonl:3;" in duplicate.message


def test_skus_are_the_exact_text():
    # NFC and NFD é, case, ß and ss, a lone surrogate (JSON can give one), a surrogate pair
    # and the character it would stand for, and the empty sku.
    different = ["é", "e\u0301", "abc", "ABC", "ß", "ss", "\ud800", "\udc00", "\ud800\udc00", "\U00010000"]
    different += ["", " "]
    skus = DuplicateSkus()
    for line, sku in enumerate(different, 1):
        assert skus.see(sku, None, Source(path="a.jsonl", line=line), valid=True) is None
    for line, sku in enumerate(different, 1):
        duplicate = skus.see(sku, None, Source(path="b.jsonl", line=line), valid=True)
        assert duplicate.sku == sku
        assert f"first seen at a.jsonl:{line};" in duplicate.message


@pytest.mark.parametrize("memory_skus", [None, 20_000], ids=["in-memory", "spilled-to-sqlite"])
def test_a_large_run_agrees_with_a_dict_of_skus(memory_skus):
    """100,000 records, about 95,000 distinct skus (the index grows eight times, or holds
    20,000 and the rest go to SQLite), some seen again and some invalid, across files, sheets
    and lines: every answer is a dict's."""
    rng = random.Random(20240611)
    sources = [Source(path="a.jsonl"), Source(path="b.csv", line=1 << 39)]
    for path, sheet in [("a.jsonl", None), ("b.csv", None), ("c.xlsx", "Sheet 1"), ("c.xlsx", "Sheet 2")]:
        sources += [Source(path=path, line=line, sheet=sheet) for line in range(1, 2001)]
    skus = DuplicateSkus() if memory_skus is None else DuplicateSkus(memory_skus)
    first_seen: dict[str, Source] = {}
    made: list[str] = []
    duplicates = 0
    for _ in range(100_000):
        if made and rng.random() < 0.05:
            sku = rng.choice(made)
        else:
            sku = f"{rng.getrandbits(40):x}-{rng.choice('ABCDÉ条')}"
            made.append(sku)
        source = rng.choice(sources)
        valid = rng.random() < 0.9
        if sku not in first_seen:
            first_seen[sku] = source
            expected = None
        elif not valid:
            expected = None
        else:
            expected = records.duplicate_sku(sku, "s", source, records.place(first_seen[sku]))
            duplicates += 1
        assert skus.see(sku, "s", source, valid=valid) == expected
    assert len(first_seen) > 90_000 and duplicates > 4_000
    if memory_skus is None:
        assert len(skus._index) >= 2 * len(first_seen) > 128 * 1024  # grown from 1024 slots
        assert skus._spill is None
    else:
        assert len(skus._low) == memory_skus and skus._spill is not None


def test_the_index_holds_under_50_bytes_a_sku():
    source = Source(path="a.jsonl", line=1)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        skus = DuplicateSkus()
        for number in range(100_000):
            skus.see(f"SKU-{number:09d}", None, source, valid=True)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert skus.see("SKU-000000007", None, source, valid=True) is not None
    # The skus' own strings are gone: only their digests and where they were are held.
    assert (held - before) / 100_000 < 50
    assert (peak - before) / 100_000 < 50


def test_past_its_memory_share_the_index_holds_no_more_memory():
    # A process of its own: its peak resident memory after 40,000 skus and after 300,000 more
    # (all but the first 10,000 in SQLite, with a 1 MiB page cache). Held in memory, the
    # 300,000 would take about 10 MB.
    script = textwrap.dedent("""
        import resource
        from listcheck.catalog import duplicates
        from listcheck.model import Source

        duplicates.SPILL_CACHE_KIB = 1024
        skus = duplicates.DuplicateSkus(memory_skus=10_000)
        source = Source(path="a.jsonl", line=1)
        peaks = []
        for number in range(340_000):
            skus.see(f"SKU-{number:09d}", None, source, valid=True)
            if number + 1 in (40_000, 340_000):
                peaks.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        assert skus.see("SKU-000000007", None, source, valid=True) is not None
        assert skus.see("SKU-000300007", None, source, valid=True) is not None
        print(peaks[1] - peaks[0])
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    grown_kib = int(done.stdout)
    assert grown_kib < 4 * 1024, f"grew {grown_kib} KiB"


def test_a_temporary_file_that_cannot_be_written_stops_the_run_with_one_clear_error():
    import sqlite3

    from listcheck.errors import ListcheckError

    class FullDisk:
        connection = None

        def execute(self, *args):
            raise sqlite3.OperationalError("database or disk is full")

    skus = DuplicateSkus(memory_skus=1)
    source = Source(path="a.jsonl", line=1)
    skus.see("S-1", None, source, valid=True)
    skus.see("S-2", None, source, valid=True)  # the first in SQLite
    assert skus._spill is not None
    skus._spill = FullDisk()
    with pytest.raises(ListcheckError, match=r"cannot use its temporary file \(database or disk is full\).*SQLITE_TMPDIR"):
        skus.see("S-3", None, source, valid=True)


def test_locations_past_2_to_the_63_survive_the_database():
    # A location packs (file number, line) into an unsigned 64-bit integer; SQLite's are signed.
    from listcheck.catalog.duplicates import _new_spill_database, _note_in

    spill = _new_spill_database()
    for packed in (0, (1 << 63) - 1, 1 << 63, (1 << 64) - 1):
        key = packed.to_bytes(8, "little") * 2
        assert _note_in(spill, key, packed) is None
        assert _note_in(spill, key, 12345) == packed
