"""Every setting the code reads from the environment is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _names_read_by_the_code() -> set[str]:
    pattern = re.compile(
        r"""env_(?:str|int|bool|bytes|list|secret|float)\(\s*["']([A-Z0-9_]+)["']"""
    )
    names: set[str] = set()
    for source in (ROOT / "masthead").rglob("*.py"):
        names.update(pattern.findall(source.read_text(encoding="utf-8")))
    return names


def test_every_environment_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = _names_read_by_the_code()
    assert "MASTHEAD_WEB_THREADS" in names  # the scan finds what settings.py reads
    assert sorted(name for name in names if f"`{name}`" not in readme) == []
