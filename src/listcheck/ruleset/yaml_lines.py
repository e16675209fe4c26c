"""Safe YAML loading that remembers the line of every key, so errors can name it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Union

import yaml

from listcheck.errors import ListcheckError

try:  # the C loader is several times faster; both are safe (no Python tags)
    SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    SafeLoader = yaml.SafeLoader

PathKey = tuple[Union[str, int], ...]

MAX_NODES = 1_000_000


def load_yaml_with_lines(
    path: Path, error: type[ListcheckError] = ListcheckError, text: str | None = None
) -> tuple[Any, dict[PathKey, int]]:
    """Parse one YAML document; return the data and {path of keys: line (from 1)}."""
    try:
        if text is None:
            text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise error("not UTF-8 text; save the file as UTF-8", path=str(path)) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[PathKey, int] = {}
        budget = [MAX_NODES]
        _collect_lines(node, (), lines, budget)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"invalid YAML: {problem}", path=str(path), line=line) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=str(path)) from None
    finally:
        loader.dispose()
    return data, lines


def _collect_lines(
    node: yaml.Node, path: PathKey, lines: dict[PathKey, int], budget: list[int]
) -> None:
    # Aliases share nodes, so a "billion laughs" document is small as text and huge as a
    # tree: count every node visited and stop at a bound no real pack comes near.
    budget[0] -= 1
    if budget[0] < 0:
        raise yaml.YAMLError(f"document too large (over {MAX_NODES} nodes; alias bomb?)")
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            child = path + (key,)
            lines[child] = key_node.start_mark.line + 1
            _collect_lines(value_node, child, lines, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, path + (index,), lines, budget)


def line_for(lines: dict[PathKey, int], path: PathKey) -> int | None:
    """The line of the deepest known prefix of `path`."""
    for cut in range(len(path), -1, -1):
        line = lines.get(tuple(path[:cut]))
        if line is not None:
            return line
    return None
