"""Which of the files a caller hands over are catalogs: what the pre-commit hook checks.

pre-commit passes every staged file whose name matches the hook's `files:` pattern, so a
`package.json`, a rule pack, listcheck.yaml or a baseline arrive beside the catalogs. Each file
is judged by the listcheck.yaml nearest to it (else the working folder's):

- with `catalogs:` globs in that config, a file is a catalog when a glob names it;
- without, a file is a catalog by its suffix (CATALOG_SUFFIXES), and a YAML or JSON file only
  when it holds products as the readers read them: a list of products or a mapping with
  `products:`. A rule pack, a config, a baseline and another tool's file (package.json,
  tsconfig.json, docker-compose.yml) are not.

listcheck's own files (configs, the config's baseline, `listcheck-baseline.json`) are never
catalogs. A file that cannot be parsed is kept: the check says what is wrong with it, with its
line, rather than the hook passing it by.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional, Sequence

from listcheck.catalog import CATALOG_SUFFIXES
from listcheck.catalog.records import SkipFile, products_in
from listcheck.config import CONFIG_NAMES, Config, find_config, load_config
from listcheck.errors import CatalogError
from listcheck.limits import DEFAULT_LIMITS, Limits

__all__ = ["catalogs_among"]

DEFAULT_BASELINE_NAME = "listcheck-baseline.json"
# Parsed whole to see whether they hold products (the other formats are catalogs by suffix).
_DOCUMENT_SUFFIXES = frozenset({".yaml", ".yml", ".json"})


def catalogs_among(
    paths: Sequence[Path], config: Optional[Path] = None, limits: Limits = DEFAULT_LIMITS
) -> list[Path]:
    """The catalogs among `paths`, in their order; a folder is kept as it is (the folder walk
    has its own rules). `config`: one listcheck.yaml for every file instead of the nearest."""
    configs: dict[Optional[Path], Config] = {}

    def config_for(path: Path) -> Config:
        where = config or find_config(path.parent) or find_config(Path.cwd())
        if where not in configs:
            configs[where] = load_config(where)
        return configs[where]

    kept = []
    for path in paths:
        if path.is_dir():
            kept.append(path)
        elif _is_catalog(path, config_for(path), limits):
            kept.append(path)
    return kept


def _is_catalog(path: Path, config: Config, limits: Limits) -> bool:
    if _is_own_file(path, config):
        return False
    if config.catalogs:
        return config.names_as_catalog(path)
    suffix = path.suffix.lower()
    if suffix not in CATALOG_SUFFIXES:
        return False
    return suffix not in _DOCUMENT_SUFFIXES or _holds_products(path, suffix, limits)


def _is_own_file(path: Path, config: Config) -> bool:
    if path.name in CONFIG_NAMES or path.name == DEFAULT_BASELINE_NAME:
        return True
    own = [config.path, config.baseline_path]
    return any(other is not None and _same_file(path, other) for other in own)


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == Path(other).resolve()
    except OSError:
        return False


def _holds_products(path: Path, suffix: str, limits: Limits) -> bool:
    """Does the YAML or JSON document at `path` hold products, as the readers take one during a
    folder walk? True too when it cannot be told (unreadable, too large, invalid): the check
    then reports the file."""
    try:
        if not path.is_file() or path.stat().st_size > limits.max_document_bytes:
            return True
        text = path.read_bytes().decode("utf-8-sig")
        document = json.loads(text) if suffix == ".json" else _safe_yaml(text)
    except Exception:  # noqa: BLE001 - any failure to parse is the check's to report
        return True
    try:
        products, _nested = products_in(document, path=str(path), explicit=False)
    except (SkipFile, CatalogError):
        return False  # a rule pack or config, or a mapping without products
    # A list of anything but mappings (a word list, a list of numbers) is no catalog.
    return not products or any(isinstance(item, dict) for item in products)


def _safe_yaml(text: str) -> Any:
    import yaml

    from listcheck.ruleset.yaml_lines import SafeLoader, guard

    guard(text)  # an alias bomb or a document nested too deep is refused before it is built
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - the safe loader
