"""Where a key of a YAML document stands: the lines the loaders remember, for error messages.

The lowest layer of rule loading: the YAML reader (yaml_lines), the parsed-at-build table
(documents), the config and the pack loader all name lines through these two.
"""

from __future__ import annotations

from typing import Union

PathKey = tuple[Union[str, int], ...]


def line_for(lines: dict[PathKey, int], path: PathKey) -> int | None:
    """The line of the deepest known prefix of `path`."""
    for cut in range(len(path), -1, -1):
        line = lines.get(tuple(path[:cut]))
        if line is not None:
            return line
    return None
