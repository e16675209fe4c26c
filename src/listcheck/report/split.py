"""Split a report into one report per supplier (or per file, category …), plus an index.

    paths = write_split(report, products, Path("out"), key="supplier", fmt="json", lang="zh")

Each report is a whole report of the chosen format — for JSON the contract `listcheck schema report` prints — with
only that supplier's findings (suppressed and baselined ones included, marked) and a summary
recomputed for that subset with `policy.summarize` and the report's own `fail_on`. Findings
with no supplier go to `_no-supplier` (generally `_no-KEY`). `index.json` lists, per supplier,
its file and counts:

    {"schema_version": 1, "tool": {...}, "key": "supplier", "format": "json",
     "summary": {... the whole report's summary ...},
     "reports": [{"supplier": "宁波杯业有限公司", "file": "宁波杯业有限公司.json", "products": 1,
                  "findings": 2, "by_severity": {...}, "suppressed": 1, "baselined": 0,
                  "failed": true}, ...]}

The supplier of the no-supplier bucket is `null` in the index. "products" is the number of
products of that supplier the run knows of: the SKUs among its findings plus, for
`key="supplier"`, the products in `products` with that supplier (the CLI passes headers for
products with findings only, so products without findings are counted only when `counts`
gives the real number per supplier).

File names are made safe from any supplier name — nothing is ever written outside `out_dir`:

* NFC-normalised; `/`, `\\`, `:`, `*`, `?`, `"`, `<`, `>`, `|`, control and format characters
  (NUL, bidi overrides …) become `_`; whitespace runs become `_`;
* leading dots, dashes, underscores and spaces and trailing dots and spaces are dropped (no hidden files, no
  `..`, nothing a shell reads as an option, nothing Windows silently strips); a name left empty
  becomes `_`; Windows device names (CON, NUL, COM1, LPT1 …, with any extension) get a `_`
  prefix;
* Chinese (any letter) is kept; the UTF-8 length is capped so that the whole name with its
  suffix stays within 255 bytes, cut on a character boundary;
* names that collide after all this — compared case-insensitively, for Windows and macOS — and
  names that would take `index` or `_no-supplier` get `-` and the first 8 hex digits of the
  SHA-256 of the original name.

Every path is checked to be a direct child of the resolved `out_dir`; an existing symbolic link
(or anything but a regular file) at a target name is refused with an error, and files are
written to a temporary file in `out_dir` and renamed into place, which never follows a link.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, Mapping, Optional, Union

from listcheck.errors import ListcheckError
from listcheck.model import Finding, Report
from listcheck.policy import summarize
from listcheck.report.common import ProductHeader

SUFFIXES = {
    "json": ".json",
    "jsonl": ".jsonl",
    "sarif": ".sarif",
    "junit": ".xml",
    "github": ".txt",
    "csv": ".csv",
    "markdown": ".md",
    "html": ".html",
    "terminal": ".txt",
}
KEYS = ("supplier", "file", "category", "severity", "rule", "sku")
INDEX_STEM = "index"
MAX_NAME_BYTES = 255
# Room kept for "-" + 8 hex digits (+ "-N" should even that collide).
_DISAMBIGUATION_BYTES = 14

_UNSAFE_CHARS = set('/\\:*?"<>|')
_WINDOWS_DEVICES = {
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    *(f"COM{i}" for i in "0123456789¹²³"),
    *(f"LPT{i}" for i in "0123456789¹²³"),
}


def safe_stem(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """A file name stem (no suffix) safe on Linux, macOS and Windows, at most `max_bytes`."""
    text = unicodedata.normalize("NFC", name)
    chars = []
    for char in text:
        category = unicodedata.category(char)
        if char.isspace() or category in ("Zs", "Zl", "Zp"):
            chars.append(" ")
        elif char in _UNSAFE_CHARS or category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            chars.append("_")
        else:
            chars.append(char)
    stem = "".join(chars)
    stem = re.sub(r" +", "_", stem.strip())
    stem = re.sub(r"_{2,}", "_", stem)
    stem = stem.lstrip(".-_ ").rstrip(". ")
    stem = _cut_utf8(stem, max_bytes).rstrip(". ")
    if not stem:
        stem = "_"
    if stem.split(".", 1)[0].upper().rstrip(" ") in _WINDOWS_DEVICES:
        stem = _cut_utf8("_" + stem, max_bytes)
    return stem


def _cut_utf8(text: str, max_bytes: int) -> str:
    """`text` cut to at most `max_bytes` of UTF-8, on a character boundary."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")


def _short_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]


def file_names(
    values: list[Optional[str]], *, suffix: str, no_value: str
) -> dict[Optional[str], str]:
    """A distinct, safe file name (with `suffix`) for every value; None gets `no_value`."""
    limit = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - _DISAMBIGUATION_BYTES
    stems = {value: (no_value if value is None else safe_stem(value, limit)) for value in values}
    groups: dict[str, int] = {}
    for stem in stems.values():
        groups[stem.casefold()] = groups.get(stem.casefold(), 0) + 1
    reserved = {INDEX_STEM, no_value.casefold()}
    taken = {INDEX_STEM}
    names: dict[Optional[str], str] = {}
    # The no-value bucket first: it keeps its fixed name whatever suppliers are called.
    ordered = sorted(values, key=lambda v: v is not None)
    for value in ordered:
        stem = stems[value]
        if value is not None and (groups[stem.casefold()] > 1 or stem.casefold() in reserved):
            stem = f"{stem}-{_short_hash(value)}"
        base, n = stem, 2
        while stem.casefold() in taken:
            stem = f"{base}-{n}"
            n += 1
        taken.add(stem.casefold())
        names[value] = stem + suffix
    return names


def _bucket(finding: Finding, key: str, products: Mapping[str, ProductHeader]) -> Optional[str]:
    if key == "file":
        value: Any = finding.source.path if finding.source else None
    elif key in ("category", "severity"):
        value = getattr(finding, key).value
    elif key == "supplier":
        value = finding.supplier
        if not value and finding.sku and finding.sku in products:
            value = products[finding.sku].supplier
    else:
        value = getattr(finding, key)
    if value is None or not str(value).strip():
        return None
    return str(value)


def _supplier(header: ProductHeader) -> Optional[str]:
    return header.supplier if header.supplier and header.supplier.strip() else None


def _target(root: Path, name: str) -> Path:
    """`root / name`, after checking it cannot be anywhere but directly inside `root`."""
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\0" in name
        or (os.altsep and os.altsep in name)
    ):
        raise ListcheckError(f"unsafe output file name {name!r}", path=str(root))
    target = root / name
    if target.parent != root or Path(os.path.normpath(target)).parent != root:
        raise ListcheckError(f"output file {name!r} is outside the output folder", path=str(root))
    if target.is_symlink():
        raise ListcheckError(
            "refusing to write through a symbolic link in the output folder", path=str(target)
        )
    if target.exists() and not target.is_file():
        raise ListcheckError("exists and is not a regular file", path=str(target))
    return target


def _write(root: Path, name: str, text: str) -> Path:
    target = _target(root, name)
    try:
        fd, temp = tempfile.mkstemp(dir=root, prefix=".listcheck-", suffix=".tmp")
    except OSError as exc:
        raise ListcheckError(f"cannot write the split report: {exc.strerror}", path=str(root)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        # rename() replaces the name itself and never follows a link planted meanwhile.
        os.replace(temp, target)
    except OSError as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise ListcheckError(f"cannot write the split report: {exc.strerror}", path=str(target)) from None
    return target


def _render(report: Report, fmt: str, lang: str, products: dict[str, ProductHeader]) -> str:
    if fmt == "json":
        from listcheck.report.json_format import report_json

        return json.dumps(report_json(report, lang=lang), ensure_ascii=False, indent=2) + "\n"
    from listcheck.report import render

    buffer = io.StringIO(newline="")
    render(report, fmt, buffer, lang=lang, color=False, products=products)
    return buffer.getvalue()


def write_split(
    report: Report,
    products: Optional[Mapping[str, ProductHeader]],
    out_dir: Union[str, Path],
    *,
    key: str = "supplier",
    fmt: str = "json",
    lang: str = "en",
    counts: Optional[Mapping[Optional[str], int]] = None,
) -> list[Path]:
    """Write one report per `key` value into `out_dir`, then `index.json`; return the paths.

    `products` maps SKU -> ProductHeader (titles in the reports, suppliers of findings that
    carry none). `counts`, when given, is the number of products checked per key value
    (None for products without one); it overrides the count derived from the findings.
    Raises ListcheckError for an unknown key or format, or when a file cannot be written.
    """
    if key not in KEYS:
        raise ListcheckError(f"cannot split by {key!r}; choose one of: {', '.join(KEYS)}")
    if fmt not in SUFFIXES:
        raise ListcheckError(f"cannot split into {fmt!r}; choose one of: {', '.join(SUFFIXES)}")
    products = dict(products or {})
    suffix = SUFFIXES[fmt]
    no_value = f"_no-{key}"

    buckets: dict[Optional[str], list[Finding]] = {}
    for finding in report.findings:
        buckets.setdefault(_bucket(finding, key, products), []).append(finding)
    values = list(buckets)
    names = file_names(values, suffix=suffix, no_value=no_value)

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        root = out.resolve(strict=True)
    except OSError as exc:
        raise ListcheckError(f"cannot create the output folder: {exc.strerror}", path=str(out)) from None
    if not root.is_dir():
        raise ListcheckError("the output path is not a folder", path=str(out))

    fail_on = report.summary.fail_on
    written: list[Path] = []
    entries: list[dict[str, Any]] = []
    for value in values:
        subset = buckets[value]
        skus = {f.sku for f in subset if f.sku}
        if key == "supplier":
            skus |= {sku for sku, header in products.items() if _supplier(header) == value}
        n_products = counts[value] if counts is not None and value in counts else len(skus)
        part = Report(
            schema_version=report.schema_version,
            tool=report.tool,
            summary=summarize(subset, n_products, fail_on, report.summary.max_warnings),
            findings=subset,
        )
        part_products = {sku: header for sku, header in products.items() if sku in skus}
        written.append(_write(root, names[value], _render(part, fmt, lang, part_products)))
        summary = part.summary
        entries.append(
            {
                key: value,
                "file": names[value],
                "products": summary.products,
                "products_with_findings": summary.products_with_findings,
                "findings": summary.findings,
                "by_severity": summary.by_severity,
                "suppressed": summary.suppressed,
                "baselined": summary.baselined,
                "failed": summary.failed,
            }
        )

    index = {
        "schema_version": 1,
        "tool": report.tool.model_dump(mode="json"),
        "key": key,
        "format": fmt,
        "summary": report.summary.model_dump(mode="json"),
        "reports": entries,
    }
    written.append(
        _write(root, INDEX_STEM + ".json", json.dumps(index, ensure_ascii=False, indent=2) + "\n")
    )
    return written
