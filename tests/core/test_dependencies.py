"""The runtime dependency list names every package the code imports, and nothing else.

`make run` installs the runtime group only (no test or lint tools); a package imported by
``masthead/`` but only present through another package's dependencies would break when
that package changes its own.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = {"pytest", "playwright", "psutil", "hypothesis", "schemathesis", "aiosmtpd", "gunicorn"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(group: str | None = None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    specs = (
        project["project"]["dependencies"] if group is None else project["dependency-groups"][group]
    )
    return {_normalise(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0]) for spec in specs}


def _imported_top_levels() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "masthead").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "masthead"}


def test_every_imported_package_is_a_declared_runtime_dependency() -> None:
    distributions = importlib.metadata.packages_distributions()
    declared = _declared()
    missing = {}
    for module in sorted(_imported_top_levels()):
        owners = {_normalise(d) for d in distributions.get(module, [])}
        assert owners, f"{module} is imported by masthead/ but no installed package provides it"
        if not owners & declared:
            missing[module] = sorted(owners)
    assert not missing, f"imported but not declared in [project].dependencies: {missing}"


def test_test_and_benchmark_tools_stay_out_of_the_runtime_group() -> None:
    runtime = _declared()
    assert not runtime & DEV_ONLY, runtime & DEV_ONLY
    assert _declared("dev") >= DEV_ONLY


def test_make_run_installs_without_the_development_group() -> None:
    makefile = (ROOT / "Makefile").read_text()
    runtime_sync = re.search(r"^\$\(STAMP\):.*\n\t(.+)$", makefile, re.MULTILINE)
    assert runtime_sync is not None
    assert "--no-dev" in runtime_sync.group(1)
    assert re.search(r"^run: .*\bdemo\b", makefile, re.MULTILINE)
    assert re.search(r"^demo: migrate", makefile, re.MULTILINE)
    assert re.search(r"^migrate: install\b", makefile, re.MULTILINE)
