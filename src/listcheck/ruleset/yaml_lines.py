"""Safe YAML loading that remembers the line of every key, so errors can name it.

Only the safe loader is used (a `!!python/...` tag is an error, never code), and `guard()`
looks at the parser's events before any node is built: a document nested too deeply (libyaml
composes recursively in C, so 100,000 levels of `[` would crash the process), an alias bomb
("billion laughs") and a recursive alias are refused with the line where they start.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

import yaml

from listcheck.errors import ListcheckError
from listcheck.ruleset.lines import PathKey
from listcheck.limits import (
    MAX_PACK_BYTES,
    MAX_YAML_ALIAS_NODES,
    MAX_YAML_DEPTH,
    YAML_ALIAS_FACTOR,
)

try:  # the C loader is several times faster; both are safe (no Python tags)
    SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    SafeLoader = yaml.SafeLoader

MAX_NODES = 1_000_000


class YAMLLimitError(yaml.MarkedYAMLError):
    """A document refused by `guard()`: too deep, an alias bomb or a recursive alias."""


_COLLECTION_START = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_COLLECTION_END = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def guard(
    text: str,
    *,
    max_depth: int = MAX_YAML_DEPTH,
    max_alias_nodes: int = MAX_YAML_ALIAS_NODES,
    alias_factor: int = YAML_ALIAS_FACTOR,
) -> None:
    """Raise YAMLLimitError (or the parser's own error) for a document that must not be built.

    One pass over the parser's events, before the composer: collections nested deeper than
    `max_depth`; aliases that re-use more than `max_alias_nodes` nodes, or `alias_factor`
    times the document's own nodes if that is more (a few shared return policies are fine, a
    "billion laughs" is not); an alias to a node that contains it.
    """
    loader = SafeLoader(text)
    # Open collections: [anchor, nodes under it with aliases expanded].
    stack: list[list[Any]] = []
    sizes: dict[str, int] = {}
    open_anchors: set[str] = set()
    own_nodes = 0
    reused = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.ScalarEvent):
                own_nodes += 1
                size = 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, _COLLECTION_START):
                own_nodes += 1
                if len(stack) >= max_depth:
                    raise _too_deep(max_depth, event.start_mark)
                if event.anchor is not None:
                    open_anchors.add(event.anchor)
                stack.append([event.anchor, 1])
                continue
            elif isinstance(event, _COLLECTION_END):
                anchor, size = stack.pop()
                if anchor is not None:
                    sizes[anchor] = size
                    open_anchors.discard(anchor)
            elif isinstance(event, yaml.AliasEvent):
                anchor = event.anchor
                if anchor in open_anchors:
                    raise YAMLLimitError(
                        problem=f"alias *{anchor} refers to a node that contains it "
                        "(a recursive alias); the document is not read",
                        problem_mark=event.start_mark,
                    )
                # An undefined alias is the composer's error to report.
                size = sizes.get(anchor, 1)
                reused += size
                allowed = max(max_alias_nodes, alias_factor * own_nodes)
                if reused > allowed:
                    raise YAMLLimitError(
                        problem=f"aliases re-use more than {allowed:,} nodes "
                        "(an alias bomb, 'billion laughs'?); the document is not read",
                        problem_mark=event.start_mark,
                    )
            else:
                continue
            if stack:
                stack[-1][1] += size
    except yaml.scanner.ScannerError as exc:
        # libyaml 0.2.6 (in the PyYAML 6.0.4 wheels) scans flow collections ahead and stops at
        # its own depth limit before the parser hands us the event past max_depth: the same
        # refusal, said in our words.
        if "maximum nesting depth" in str(exc.problem):
            raise _too_deep(max_depth, exc.problem_mark) from None
        raise
    finally:
        loader.dispose()


def _too_deep(max_depth: int, mark: Any) -> YAMLLimitError:
    return YAMLLimitError(
        problem=f"nested more than {max_depth} levels deep; the document is not read",
        problem_mark=mark,
    )


_NO_CONSTRUCTOR = "could not determine a constructor for the tag"
_STANDARD_TAG = "tag:yaml.org,2002:"


def unknown_tag(problem: str) -> Optional[str]:
    """The message for a tag the safe loader refused (`!!python/object`...), else None."""
    if not problem.startswith(_NO_CONSTRUCTOR):
        return None
    tag = problem[len(_NO_CONSTRUCTOR) :].strip().strip("'")
    shown = "!!" + tag[len(_STANDARD_TAG) :] if tag.startswith(_STANDARD_TAG) else tag
    if tag.startswith(_STANDARD_TAG + "python/"):
        return (
            f"tag {shown} is not allowed: YAML is read as plain data and never builds Python "
            "objects (new check kinds are Python, registered through the entry point group "
            "listcheck.checks)"
        )
    return f"unknown tag {shown}: only plain data (text, numbers, lists, mappings) is read"


def read_yaml_text(path: Path, error: type[ListcheckError], max_bytes: int = MAX_PACK_BYTES) -> str:
    """A rule pack's or config's text: UTF-8 (a BOM is allowed), at most `max_bytes`."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    if len(data) > max_bytes:
        raise error(
            f"the file is over {max_bytes:,} bytes; a rule pack or config is not this large",
            path=str(path),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(
            f"not UTF-8 text (byte 0x{data[exc.start]:02X}); save the file as UTF-8",
            path=str(path),
            line=line,
        ) from None


def load_yaml_with_lines(
    path: Path, error: type[ListcheckError] = ListcheckError, text: Optional[str] = None, *, trusted: bool = False
) -> tuple[Any, dict[PathKey, int]]:
    """Parse one YAML document; return the data and {path of keys: line (from 1)}.
    `trusted`: a file that ships with listcheck, not passed through `guard()` first."""
    if text is None:
        text = read_yaml_text(path, error)
    loader = SafeLoader(text)
    try:
        if not trusted:
            guard(text)
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[PathKey, int] = {}
        budget = [MAX_NODES]
        _collect_lines(node, (), lines, budget)
        data = loader.construct_document(node)
    except YAMLLimitError as exc:
        mark = exc.problem_mark
        raise error(f"YAML {exc.problem}", path=str(path), line=mark.line + 1 if mark else None) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        tag = unknown_tag(problem)
        if tag is not None:
            raise error(f"invalid YAML: {tag}", path=str(path), line=line) from None
        raise error(f"invalid YAML: {problem}", path=str(path), line=line) from None
    except yaml.reader.ReaderError as exc:
        # The reader reports a character offset, not a mark.
        line = text.count("\n", 0, exc.position) + 1
        raise error(f"invalid YAML: {exc.reason}", path=str(path), line=line) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=str(path)) from None
    except RecursionError:
        raise error("invalid YAML: nested too deeply", path=str(path)) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # A value PyYAML's constructors cannot convert (an int of 5,000 digits, `!!int ²`).
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


# After an unquoted value, `#` that follows a space starts a comment. Written with no space
# after it (`#1`, `#hashtag`) it reads as part of the text, and is the text lost.
_TEXT_LIKE_COMMENT = re.compile(r"[ \t]+(#[^ \t#].*)$")


def comments_cutting_text(text: str) -> list[tuple[int, str, str]]:
    """(line from 1, the value as YAML reads it, the comment) for each unquoted value that a
    comment follows on its line where the comment looks like text: `description: Best in class
    #1 seller` reads as "Best in class", the rest silently dropped. Comments written `# ...`
    are taken as meant. A document the scanner refuses yields what was found before it (the
    loader reports the error itself)."""
    lines = text.splitlines()
    found: list[tuple[int, str, str]] = []
    scanner = SafeLoader(text)
    try:
        while True:
            token = scanner.get_token()
            if token is None:
                break
            if not isinstance(token, yaml.ScalarToken) or not token.plain:
                continue
            end = token.end_mark
            if end.line >= len(lines):
                continue
            cut = _TEXT_LIKE_COMMENT.match(lines[end.line][end.column:])
            if cut is not None:
                found.append((end.line + 1, token.value, cut.group(1)))
    except yaml.YAMLError:
        pass
    finally:
        scanner.dispose()
    return found
