"""The duplicate-sku pass: a product whose sku was seen earlier in the run is not checked.

It must see the records of a whole run in catalog order, so it runs where the run is ordered:
in `iter_products`, and in the process that gathers checked entries from workers
(`listcheck.pipeline`) — the local pool's and the Dask engine's.
"""

from __future__ import annotations

import os
import struct
from array import array
from hashlib import blake2b
from typing import Optional

from listcheck.catalog import records
from listcheck.model import Finding, Source

# Room for the line numbers of one file in a packed (file, line) location; the 24 bits left of
# an unsigned 64-bit number count up to 16,777,216 files and sheets in a run.
_LINE_SPAN = 1 << 40

_halves = struct.Struct("<QQ").unpack


class DuplicateSkus:
    """The skus seen so far in a run, each with where it was first seen: 32 to 41 bytes a sku.

    A sku is remembered by the 128-bit BLAKE2b digest of its UTF-8 bytes, not by its text: a
    dict of the strings cost about 120 bytes a sku, 120 MB at a million listings, the one thing
    in a run that grew with the catalog. Two different skus share a digest with probability
    about n²/2**129 (1e-25 at ten million skus) and no one knows how to make two that do, so the
    digest stands for the sku, as git lets a hash stand for an object.

    The table is a dict laid out in arrays: the digests and locations in the order first seen
    (24 bytes a sku), and an open-addressing index of positions in them (4 bytes a slot, linear
    probing, between a quarter and half full).
    """

    def __init__(self) -> None:
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
        key = (source.path, source.sheet)
        place_id = self._place_ids.get(key)
        if place_id is None:
            place_id = self._place_ids[key] = len(self._places)
            self._places.append(key)
        digest = self._blank.copy()
        # "surrogatepass": a sku read from JSON may hold a lone surrogate, which plain UTF-8
        # refuses; different strings still get different bytes.
        digest.update(sku.encode("utf-8", "surrogatepass"))
        low, high = _halves(digest.digest())
        index, lows = self._index, self._low
        mask = len(index) - 1
        slot = low & mask
        while at := index[slot]:
            if lows[at - 1] == low and self._high[at - 1] == high:
                if not valid:
                    return None
                return records.duplicate_sku(sku, supplier, source, self._place(self._first_seen[at - 1]))
            slot = (slot + 1) & mask
        self._first_seen.append(place_id * _LINE_SPAN + (source.line or 0))
        lows.append(low)
        self._high.append(high)
        index[slot] = count = len(lows)
        if count > self._limit:
            del index  # lets _grow free the old index before it builds the new one
            self._grow()
        return None

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
