"""Text encodings of catalog files: UTF-8 (with or without BOM) and GB18030/GBK.

Chinese Windows Excel saves "CSV" as GBK, so a merchandiser's export is often not UTF-8. The
encoding is decided once, up front, from the bytes: a file is never half-read before we find
out that it cannot be decoded, and a wrong guess never turns Chinese into silent mojibake.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import BinaryIO, NamedTuple, NoReturn, Optional, TextIO

from listcheck.errors import CatalogError

# How much of the start of a file is looked at for BOMs and NUL bytes.
HEAD_BYTES = 8192
# Files are scanned in chunks so that memory stays flat however large the catalog is.
CHUNK_BYTES = 1 << 20

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
GB18030 = "gb18030"

# Checked longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_UNSUPPORTED_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)

# Once this many bytes of valid multi-byte UTF-8 precede the first invalid byte, the file is
# UTF-8 with a corrupt spot, not GBK: GBK text is almost never valid UTF-8 for that long.
_UTF8_EVIDENCE_BYTES = 48
# GB18030 decodes many byte strings that are not Chinese at all (Latin-1 accents, say); the
# decoded text must be mostly characters a Chinese export would contain.
_CJK_SAMPLE_CHARS = 4096
_CJK_MIN_SHARE = 0.8

_HIGH_BYTES = bytes(range(0x80, 0x100))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def read_text(path: Path, display: str) -> str:
    """The whole file as text (for YAML and JSON, which are parsed in one piece)."""
    data = _read_bytes(path, display)
    has_bom = _encoding_from_head(data[:HEAD_BYTES], display) == UTF8_BOM
    start = len(codecs.BOM_UTF8) if has_bom else 0
    try:
        return str(memoryview(data)[start:], UTF8)
    except UnicodeDecodeError as exc:
        bad = start + exc.start
    line = data.count(b"\n", 0, bad) + 1
    # A UTF-8 BOM is proof enough that the file was meant to be UTF-8.
    evidence = _UTF8_EVIDENCE_BYTES if has_bom else _high_bytes(data[:bad])
    _reject_broken_utf8(evidence, data, bad, display, line)
    try:
        text = data.decode(GB18030)
    except UnicodeDecodeError:
        _unknown(display, line)
    if not _looks_chinese(_non_ascii_sample(text)):
        _unknown(display, line)
    return text


def open_text(path: Path, display: str, *, newline: str | None = None) -> TextIO:
    """The file opened for streaming text, in the encoding detected by scanning its bytes."""
    encoding = detect(path, display)
    try:
        return open(path, encoding=encoding, errors="strict", newline=newline)
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=display) from exc


class Line(NamedTuple):
    """One physical line of a streamed catalog file."""

    # The decoded line with its line ending. For an oversized line: "" (it was skipped), or
    # what `squash` made of it, or None when even that was over the limit.
    text: Optional[str]
    number: int  # from 1, as an editor counts (\n, \r\n and a lone \r each end a line)
    size: int  # in bytes, line ending included
    oversized: bool  # over the limit: never held in memory whole
    head: bytes  # an oversized line's first bytes, to name its record; else b""
    # Not text in the file's encoding (a reader of `per_line` files reports the line; text is None).
    undecodable: bool = False


_LINE_ENDS = (b"\n", b"\r")
_HEAD_OF_OVERSIZED = 4096


class LineReader:
    """The physical lines of a text file, decoded, none of them read whole if over `max_bytes`.

    Lines end as in Python's universal-newline mode (\n, \r\n or a lone \r) and keep their
    ending, so a CSV parser sees what `open(newline="")` would give it. A line longer than
    `max_bytes` is read in chunks and skipped (or squashed), so a 200 MB line costs no more
    memory than a short one and the lines after it are still read.
    """

    def __init__(
        self, stream: BinaryIO, codec: str, display: str, max_bytes: int, *, first_line: int = 1,
        per_line: bool = False,
    ) -> None:
        # `first_line`: the number of the line at the stream's position (a reader may take
        # over part-way through a file). `per_line`: a line that does not decode is a Line
        # marked `undecodable` (each line is a record of its own: JSON Lines), not an error.
        self._per_line = per_line
        self._stream = stream
        self._display = display
        self._max = max(1, max_bytes)
        self._bom = codec == UTF8_BOM
        self._codec = UTF8 if codec == UTF8_BOM else codec
        self._pending = b""
        self.number = first_line - 1

    def __enter__(self) -> "LineReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()

    def __iter__(self) -> Iterator[Line]:
        while True:
            line = self.next_line()
            if line is None:
                return
            yield line

    def next_line(self, squash: Optional[Callable[[str], str]] = None) -> Optional[Line]:
        """The next line, or None at the end of the file.

        An oversized line's text is "" unless `squash` is given: then it is `squash` applied
        to the line's decoded chunks, joined (None if that too is over the limit).
        """
        raw = self._raw(self._max + 1)
        if not raw:
            return None
        self.number += 1
        if self._bom and self.number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        size = len(raw)
        if size <= self._max:
            try:
                return Line(str(raw, self._codec), self.number, size, False, b"")
            except UnicodeDecodeError:
                if self._per_line:
                    return Line(None, self.number, size, False, raw[:_HEAD_OF_OVERSIZED], True)
                raise decode_error(self._display, self.number) from None
        return self._oversized(raw, squash)

    def _oversized(self, raw: bytes, squash: Optional[Callable[[str], str]]) -> Line:
        head = raw[:_HEAD_OF_OVERSIZED]
        decoder = codecs.getincrementaldecoder(self._codec)("strict") if squash else None
        parts: list[str] = []
        kept = 0
        size = 0
        chunk = raw
        while True:
            size += len(chunk)
            if decoder is not None:
                try:
                    part = squash(decoder.decode(chunk))  # type: ignore[misc]
                except UnicodeDecodeError:
                    raise decode_error(self._display, self.number) from None
                kept += len(part)
                if kept > self._max:
                    decoder = None  # give up squashing, but still skip to the end of the line
                    parts = []
                else:
                    parts.append(part)
            if chunk.endswith(_LINE_ENDS):
                break
            chunk = self._raw(CHUNK_BYTES)
            if not chunk:
                break
        if squash is None:
            text: Optional[str] = ""
        elif decoder is None:
            text = None
        else:
            text = "".join(parts)
        return Line(text, self.number, size, True, head)

    def _raw(self, limit: int) -> bytes:
        """At most `limit` bytes (one more for a \r\n cut in two), up to the first line end."""
        data = self._pending
        if data:
            self._pending = b""
            if not data.endswith(b"\n") and len(data) < limit:
                data += self._stream.readline(limit - len(data))
        else:
            data = self._stream.readline(limit)
        cr = data.find(b"\r")
        if cr == -1 or (cr == len(data) - 2 and data[-1] == 0x0A):
            return data  # no \r, or only the \r of a final \r\n
        while cr != -1:
            after = cr + 1
            if after == len(data):
                # A \r cut from its \n by the limit: keep the pair together.
                if self._stream.peek(1)[:1] == b"\n":  # type: ignore[attr-defined]
                    data += self._stream.read(1)
                break
            if data[after] != 0x0A:
                # A lone \r ends a line, as in universal-newline mode.
                self._pending = data[after:]
                return data[:after]
            cr = data.find(b"\r", after + 1)
        return data


def open_lines(path: Path, display: str, max_bytes: int, *, per_line: bool = False) -> LineReader:
    """The file's lines (see LineReader), in the encoding detected by scanning its bytes;
    `per_line`: see `detect` and LineReader."""
    codec = detect(path, display, per_line=per_line)
    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=display) from exc
    return LineReader(stream, codec, display, max_bytes, per_line=per_line)


def detect(path: Path, display: str, *, per_line: bool = False) -> str:
    """The codec to read the file with; CatalogError if it is binary or not UTF-8/GB18030.

    `per_line`: each line is a record of its own (JSON Lines), so a file that is neither
    valid UTF-8 nor GB18030 is read as UTF-8 and each line that does not decode is reported
    by the reader, not the whole file refused."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(HEAD_BYTES)
            encoding = _encoding_from_head(head, display)
            stream.seek(0)
            evidence = _UTF8_EVIDENCE_BYTES if encoding == UTF8_BOM else 0
            bad_line = _scan_utf8(stream, display, evidence, per_line)
            if bad_line is None:
                return encoding
            stream.seek(0)
            if _scan_gb18030(stream):
                return GB18030
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=display) from exc
    if per_line:
        return encoding
    _unknown(display, bad_line)


def decode_error(display: str, line: int | None) -> CatalogError:
    """The error for bytes that stopped decoding while the file was already being read."""
    return CatalogError(
        "the file stopped being valid text part-way (was it changed while being read?); "
        "save it as UTF-8",
        path=display,
        line=line,
    )


def _read_bytes(path: Path, display: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", path=display) from exc


def _encoding_from_head(head: bytes, display: str) -> str:
    for bom, name in _UNSUPPORTED_BOMS:
        if head.startswith(bom):
            raise CatalogError(f"{name} is not supported; save as UTF-8", path=display)
    if head.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    if b"\x00" in head:
        raise CatalogError("binary file, not a catalog", path=display)
    return UTF8


def _scan_utf8(stream: BinaryIO, display: str, evidence: int, per_line: bool = False) -> int | None:
    """Validate the whole stream as UTF-8; the line of the first bad byte, or None if valid
    (also when, `per_line`, the file is UTF-8 with a corrupt spot: its reader reports it)."""
    decoder = codecs.getincrementaldecoder(UTF8)("strict")
    newlines = 0
    while True:
        chunk = stream.read(CHUNK_BYTES)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            # exc.object is the decoder's carried-over bytes plus this chunk; the carry-over
            # is an unfinished multi-byte sequence, so it holds no newline.
            before = exc.object[: exc.start]
            line = newlines + before.count(b"\n") + 1
            if evidence < _UTF8_EVIDENCE_BYTES:
                evidence += _high_bytes(before)
            if per_line and evidence >= _UTF8_EVIDENCE_BYTES:
                return None
            _reject_broken_utf8(evidence, exc.object, exc.start, display, line)
            return line
        if not chunk:
            return None
        newlines += chunk.count(b"\n")
        if evidence < _UTF8_EVIDENCE_BYTES:
            evidence += _high_bytes(chunk)


def _scan_gb18030(stream: BinaryIO) -> bool:
    """Whether the whole stream decodes as GB18030 into text that reads as Chinese."""
    decoder = codecs.getincrementaldecoder(GB18030)("strict")
    sample: list[str] = []
    sampled = 0
    while True:
        chunk = stream.read(CHUNK_BYTES)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            return False
        if sampled < _CJK_SAMPLE_CHARS and text and not text.isascii():
            part = _non_ascii_sample(text, _CJK_SAMPLE_CHARS - sampled)
            sample.append(part)
            sampled += len(part)
        if not chunk:
            return _looks_chinese("".join(sample))


def _non_ascii_sample(text: str, limit: int = _CJK_SAMPLE_CHARS) -> str:
    return "".join(match.group() for match in islice(_NON_ASCII.finditer(text), limit))


def _looks_chinese(sample: str) -> bool:
    # GB2312 holds the Chinese characters and the punctuation and symbols a Chinese document
    # uses; bytes of another encoding read as GB18030 land mostly outside it.
    if not sample:
        return False
    common = 0
    for char in sample:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common / len(sample) >= _CJK_MIN_SHARE


def _high_bytes(data: bytes) -> int:
    return len(data) - len(data.translate(None, _HIGH_BYTES))


def _reject_broken_utf8(
    evidence: int, data: bytes, bad: int, display: str, line: int
) -> None:
    if evidence >= _UTF8_EVIDENCE_BYTES:
        raise CatalogError(
            f"invalid UTF-8 (byte 0x{data[bad]:02X}); the file is UTF-8 up to here, "
            "fix the damaged text or save it again as UTF-8",
            path=display,
            line=line,
        )


def _unknown(display: str, line: int | None) -> NoReturn:
    raise CatalogError(
        "unknown encoding (not UTF-8 or GB18030); save it as UTF-8", path=display, line=line
    )
