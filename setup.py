"""pyproject.toml says how listcheck is built; this adds one step to setuptools' build_py.

The built-in rule packs and vocabularies are parsed once here, into a table that ships beside
them (listcheck/ruleset/documents.py), so that `listcheck check` does not import PyYAML and
parse them again on every run. An editable install has no table and parses the YAML.
"""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "src"


class BuildPyWithParsedPacks(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        sys.path.insert(0, str(SOURCE))
        try:
            from listcheck.ruleset.documents import write_table
        finally:
            sys.path.remove(str(SOURCE))
        written = write_table(Path(self.build_lib) / "listcheck" / "rules")
        print(f"parsed the built-in rule packs into {written}")


setup(cmdclass={"build_py": BuildPyWithParsedPacks})
