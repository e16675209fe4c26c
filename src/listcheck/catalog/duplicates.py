"""The duplicate-sku pass: a product whose sku was seen earlier in the run is not checked.

It must see the records of a whole run in catalog order, so it runs where the run is ordered:
in `iter_products`, and in the process that gathers checked entries from workers
(`listcheck.pipeline`) — the local pool's and the Dask engine's.

Its memory is bounded: the first MEMORY_SKUS skus are held in memory, the rest in a private
temporary SQLite database whose page cache is bounded too (SQLite writes its pages to a file
in its temporary folder once the cache is full, and deletes the file when the run ends). A CI gate over a few thousand listings never touches the disk; a run over ten million
listings holds about the same memory as one over a hundred thousand.
"""

from __future__ import annotations

import os
import struct
import weakref
from array import array
from hashlib import blake2b
from typing import TYPE_CHECKING, Optional

from listcheck.catalog import records
from listcheck.errors import ListcheckError
from listcheck.model import Finding, Source

if TYPE_CHECKING:
    import sqlite3

# Room for the line numbers of one file in a packed (file, line) location; the 24 bits left of
# an unsigned 64-bit number count up to 16,777,216 files and sheets in a run.
_LINE_SPAN = 1 << 40

_halves = struct.Struct("<QQ").unpack

# About 4.4 MB in memory (3.4 MB of digests and places, 1 MB of index); beyond it, SQLite.
MEMORY_SKUS = 1 << 17
# SQLite's page cache, in KiB (a negative cache_size is KiB): flat memory at any catalog size
# for about 4 µs more a sku, in the process that gathers the run (it has time to spare).
SPILL_CACHE_KIB = 8 * 1024


class DuplicateSkus:
    """The skus seen so far in a run, each with where it was first seen: the first
    `memory_skus` in memory (32 to 41 bytes a sku), the rest in a temporary SQLite database.

    A sku is remembered by the 128-bit BLAKE2b digest of its UTF-8 bytes, not by its text: a
    dict of the strings cost about 120 bytes a sku, 120 MB at a million listings. Two different
    skus share a digest with probability about n²/2**129 (1e-25 at ten million skus) and no one
    knows how to make two that do, so the digest stands for the sku, as git lets a hash stand
    for an object.

    The table in memory is a dict laid out in arrays: the digests and locations in the order
    first seen (24 bytes a sku), and an open-addressing index of positions in them (4 bytes a
    slot, linear probing, between a quarter and half full). The database holds a row of
    (digest, location) a sku, keyed by the digest.
    """

    def __init__(self, memory_skus: int = MEMORY_SKUS) -> None:
        self._memory_skus = memory_skus
        self._spill: Optional["sqlite3.Cursor"] = None
        self._low = array("Q")
        self._high = array("Q")
        # Where each sku was first seen, packed as (file number, line) into one integer.
        self._first_seen = array("Q")
        # Slot -> 1 + position in the arrays above; 0 marks a free slot. Small to start: a
        # one-product run spends 4 KiB.
        self._index = array("I", [0]) * 1024
        self._limit = len(self._index) // 2
        # A salt of this run's own: a catalog cannot be made to pile its skus onto a few slots,
        # where each lookup would walk them all. Copying a started hasher is faster than
        # starting one for each sku.
        self._blank = blake2b(digest_size=16, salt=os.urandom(16))
        self._places: list[tuple[str, Optional[str]]] = []
        self._place_ids: dict[tuple[str, Optional[str]], int] = {}

    def see(
        self, sku: Optional[str], supplier: Optional[str], source: Optional[Source], *, valid: bool
    ) -> Optional[Finding]:
        """Note a record's sku; for a valid product whose sku was seen before, the
        `input/duplicate-sku` finding that replaces it. An invalid record's sku counts as seen
        (the valid one after it is the duplicate) but is never itself replaced."""
        if sku is None or source is None:
            return None
        place = (source.path, source.sheet)
        place_id = self._place_ids.get(place)
        if place_id is None:
            place_id = self._place_ids[place] = len(self._places)
            self._places.append(place)
        digest = self._blank.copy()
        # "surrogatepass": a sku read from JSON may hold a lone surrogate, which plain UTF-8
        # refuses; different strings still get different bytes.
        digest.update(sku.encode("utf-8", "surrogatepass"))
        packed = place_id * _LINE_SPAN + (source.line or 0)
        key = digest.digest()
        low, high = _halves(key)
        index, lows = self._index, self._low
        mask = len(index) - 1
        slot = low & mask
        while at := index[slot]:
            if lows[at - 1] == low and self._high[at - 1] == high:
                if not valid:
                    return None
                return records.duplicate_sku(sku, supplier, source, self._place(self._first_seen[at - 1]))
            slot = (slot + 1) & mask
        if len(lows) >= self._memory_skus:
            spill = self._spill or self._open_spill()
            if spill is not None:
                first = _note_in(spill, key, packed)
                if first is None or not valid:
                    return None
                return records.duplicate_sku(sku, supplier, source, self._place(first))
        self._first_seen.append(packed)
        lows.append(low)
        self._high.append(high)
        index[slot] = count = len(lows)
        if count > self._limit:
            del index  # lets _grow free the old index before it builds the new one
            self._grow()
        return None

    def _open_spill(self) -> Optional["sqlite3.Cursor"]:
        self._spill = _new_spill_database()
        if self._spill is None:
            self._memory_skus = 1 << 62  # no SQLite here: every sku stays in memory
        else:
            # Closed (and its file deleted) when the index goes, or at exit at the latest.
            weakref.finalize(self, self._spill.connection.close)
        return self._spill

    def _grow(self) -> None:
        """Double the index, placing every sku again by its digest. Half full at most: fewer
        probes and cheaper growth, worth the 2 to 4 more bytes a sku than at two thirds."""
        size = 2 * len(self._index)
        self._index = array("I")  # the digests alone place the skus: the old index can go first
        # 4 bytes a slot while positions fit, that is for any catalog a machine can hold.
        index = array("I" if size < 1 << 32 else "Q", [0]) * size
        mask = size - 1
        for at, low in enumerate(self._low, 1):
            slot = low & mask
            while index[slot]:
                slot = (slot + 1) & mask
            index[slot] = at
        self._index = index
        self._limit = size // 2

    def _place(self, packed: int) -> str:
        place_id, line = divmod(packed, _LINE_SPAN)
        path, sheet = self._places[place_id]
        return records.place(Source(path=path, line=line or None, sheet=sheet))


# SQLite's integers are signed: the digest goes in as two signed halves (compared faster than
# a blob), a packed location (unsigned) shifted down by 2**63.
_signed_halves = struct.Struct("<qq").unpack
_SIGNED = 1 << 63


def _note_in(spill: "sqlite3.Cursor", key: bytes, packed: int) -> Optional[int]:
    """Where the sku of digest `key` was first seen, or None when it is new (and now noted,
    as first seen at `packed`)."""
    import sqlite3  # imported when the database was opened: a look in sys.modules

    low, high = _signed_halves(key)
    try:
        spill.execute("INSERT OR IGNORE INTO seen VALUES (?, ?, ?)", (low, high, packed - _SIGNED))
        if spill.rowcount == 1:
            return None
        return spill.execute("SELECT place FROM seen WHERE low = ? AND high = ?", (low, high)).fetchone()[0] + _SIGNED
    except sqlite3.Error as exc:
        # The file is made when the page cache first spills: a full disk, or no file handles
        # left, shows here and not when the database was opened.
        raise ListcheckError(
            f"the duplicate-sku index cannot use its temporary file ({exc}); free space in "
            "SQLite's temporary folder (SQLITE_TMPDIR, else TMPDIR, else /var/tmp) or set "
            "SQLITE_TMPDIR to a folder with room"
        ) from None


def _new_spill_database() -> Optional["sqlite3.Cursor"]:
    """A private temporary database (the empty file name: SQLite deletes it when it is
    closed), or None when SQLite cannot make one (no writable temporary folder, a Python
    built without sqlite3)."""
    try:
        import sqlite3
    except ImportError:
        return None
    try:
        connection = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA cache_size = -{SPILL_CACHE_KIB}")
        # Nothing here outlives the run: no journal, no waiting for the disk.
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("CREATE TABLE seen (low INTEGER, high INTEGER, place INTEGER, PRIMARY KEY (low, high)) WITHOUT ROWID")
        cursor.execute("BEGIN")
        return cursor
    except sqlite3.Error:
        return None
