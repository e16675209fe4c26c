"""The way through the house is one-way: each module imports only from its own layer or below,
and no import circle exists (module imports inside functions count too). A newcomer reads the
layers top-down in docs/architecture.md; this test keeps them true."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src" / "listcheck"

# Lowest first. A module's group is its first matching prefix (a package's modules share one).
LAYERS = [
    ("listcheck", "errors", "limits", "ruleset.lines"),      # the version, errors, limits
    ("model", "ruleset.yaml_lines", "ruleset.documents"),     # the domain model; YAML files and their lines
    ("vocab",),                                               # the data tables of rules/vocab/
    ("text",),                                                # text: folding, words, units, quantities
    ("ruleset.schema", "ruleset.when", "findings"),           # a rule as data; where it applies
    ("checks",),                                              # check kinds and their registry
    ("ruleset.loader",),                                      # packs -> compiled rules
    ("ruleset.catalogue", "ruleset.validate", "config", "starter"),
    ("policy", "catalog", "baseline"),                        # user decisions; catalog readers
    ("engine", "report", "schemas"),                          # checking; rendering
    ("pipeline", "rule_examples"),                            # catalog -> engine -> results
    ("api",),
    ("gate", "distributed"),
    ("cli", "__main__"),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(name: str) -> int:
    best = None
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            short = name.removeprefix("listcheck").removeprefix(".") or "listcheck"
            if short == prefix or short.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (rank, len(prefix))
    assert best is not None, f"{name} belongs to no layer: add it to LAYERS"
    return best[0]


def import_graph() -> dict[str, set[str]]:
    modules = {"listcheck." + module_name(path) if module_name(path) else "listcheck": path
               for path in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([node.module] if node.module else []))
                submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
                targets = submodules if len(submodules) == len(node.names) else [base, *submodules]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def test_every_import_goes_down_or_sideways_within_a_layer():
    climbing = sorted(
        f"{importer} (layer {layer_of(importer)}) imports {imported} (layer {layer_of(imported)})"
        for importer, targets in import_graph().items() for imported in targets
        if layer_of(imported) > layer_of(importer)
    )
    assert not climbing, "\n".join(climbing)


def test_there_is_no_import_circle():
    graph = import_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert not circles, circles
