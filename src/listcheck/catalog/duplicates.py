"""The duplicate-sku pass: a product whose sku was seen earlier in the run is not checked.

It must see the records of a whole run in catalog order, so it runs where the run is ordered:
in `iter_products`, and in the process that gathers checked entries from workers
(`listcheck.pipeline`) — the local pool's and the Dask engine's.
"""

from __future__ import annotations

from typing import Optional

from listcheck.catalog import records
from listcheck.model import Finding, Source

# Room for the line numbers of one file in a packed (file, line) location.
_LINE_SPAN = 1 << 40


class DuplicateSkus:
    def __init__(self) -> None:
        # sku -> where it was first seen, packed as (file number, line) into one int: a
        # million SKUs cost a dict of small ints rather than a million Source objects.
        self._first_seen: dict[str, int] = {}
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
        seen = self._first_seen.get(sku)
        if seen is None:
            self._first_seen[sku] = place_id * _LINE_SPAN + (source.line or 0)
            return None
        if not valid:
            return None
        return records.duplicate_sku(sku, supplier, source, self._place(seen))

    def _place(self, packed: int) -> str:
        place_id, line = divmod(packed, _LINE_SPAN)
        path, sheet = self._places[place_id]
        return records.place(Source(path=path, line=line or None, sheet=sheet))
