"""listcheck.catalog.encoding: UTF-8, UTF-8 with BOM, GB18030/GBK, and what is refused."""

from __future__ import annotations

import codecs

import pytest

from listcheck.catalog import encoding, iter_products
from listcheck.errors import CatalogError
from listcheck.model import Product

TEXT = "sku,title\nE-1,保温杯 500ml 316不锈钢\nE-2,坚果礼盒“每日坚果”\n"


@pytest.mark.parametrize(
    ("data", "expected", "text"),
    [
        (TEXT.encode("utf-8"), encoding.UTF8, TEXT),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), encoding.UTF8_BOM, TEXT),
        (TEXT.encode("gbk"), encoding.GB18030, TEXT),
        (TEXT.encode("gb18030"), encoding.GB18030, TEXT),
        (b"sku\nplain-ascii\n", encoding.UTF8, "sku\nplain-ascii\n"),
        (b"", encoding.UTF8, ""),
    ],
)
def test_detect_stream_and_read(tmp_path, data, expected, text):
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    assert encoding.detect(path, str(path)) == expected
    with encoding.open_text(path, str(path), newline="") as stream:
        assert stream.read() == text
    assert encoding.read_text(path, str(path)) == text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_refused(tmp_path, codec):
    path = tmp_path / "c.csv"
    data = TEXT.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path.write_bytes(data)
    with pytest.raises(CatalogError, match="is not supported; save as UTF-8"):
        encoding.detect(path, str(path))


def test_latin1_is_an_unknown_encoding_naming_the_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("sku,title\nL-1,Café crème\n".encode("latin-1"))
    with pytest.raises(CatalogError, match="unknown encoding") as caught:
        list(iter_products([path]))
    assert (caught.value.path, caught.value.line) == (str(path), 2)


def test_damaged_utf8_deep_in_a_file_names_the_line_and_is_not_taken_for_gbk(tmp_path):
    good = '{"sku": "D-%d", "title": "保温杯 500ml 不锈钢"}\n'
    data = b"".join((good % i).encode("utf-8") for i in range(5000))
    # A multi-byte character cut in half, as a bad copy-paste or a truncated export leaves it.
    data += '{"sku": "BAD", "title": "保'.encode("utf-8")[:-1] + b'"}\n'
    # In CSV a row may span lines, so the file is refused, naming the line ...
    path = tmp_path / "damaged.csv"
    rows = "".join(f"D-{i},保温杯 500ml 不锈钢\n" for i in range(5000)).encode("utf-8")
    path.write_bytes(b"sku,title\n" + rows + "BAD,保".encode("utf-8")[:-1] + b"\n")
    with pytest.raises(CatalogError, match="invalid UTF-8") as caught:
        list(iter_products([path]))
    assert (caught.value.path, caught.value.line) == (str(path), 5002)
    # ... in JSON Lines each line is a record: that line is an input finding, the rest is read.
    path = tmp_path / "damaged.jsonl"
    path.write_bytes(data)
    entries = list(iter_products([path]))
    assert len(entries) == 5001 and all(isinstance(entry, Product) for entry in entries[:5000])
    assert (entries[-1].rule, entries[-1].source.line, entries[-1].sku) == ("input/unreadable-row", 5001, "BAD")


def test_the_utf8_scan_spans_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(encoding, "CHUNK_BYTES", 7)
    path = tmp_path / "c.csv"
    path.write_bytes(TEXT.encode("utf-8"))
    assert encoding.detect(path, str(path)) == encoding.UTF8
    path.write_bytes(TEXT.encode("gbk"))
    assert encoding.detect(path, str(path)) == encoding.GB18030


def test_a_nul_byte_means_binary(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"- sku: A\x00\n")
    with pytest.raises(CatalogError, match="binary file"):
        encoding.read_text(path, str(path))
