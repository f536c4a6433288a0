"""The decision records stay findable: one record per number, and every pointer to one
(``docs/decisions/NNNN`` in code, tests and docs) names a record that exists."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DECISIONS = ROOT / "docs" / "decisions"
POINTER = re.compile(r"docs/decisions/(\d{4})")
SEARCHED = ("masthead", "tests", "bench", "docs")


def _numbers() -> Counter[str]:
    return Counter(path.name[:4] for path in DECISIONS.glob("[0-9][0-9][0-9][0-9]-*.md"))


def test_every_number_names_one_record() -> None:
    numbers = _numbers()
    assert numbers, "no decision records found"
    assert [number for number, count in numbers.items() if count > 1] == []


def test_every_record_is_titled_with_its_own_number() -> None:
    wrong = [
        path.name
        for path in DECISIONS.glob("[0-9][0-9][0-9][0-9]-*.md")
        if not path.read_text(encoding="utf-8").startswith(f"# {path.name[:4]}")
    ]
    assert wrong == []


def test_every_pointer_to_a_record_resolves() -> None:
    numbers = _numbers()
    sources = [ROOT / "README.md", ROOT / "BENCHMARKS.md"]
    for folder in SEARCHED:
        sources += [p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".md", ".html")]
    dangling = {
        f"{path.relative_to(ROOT)}: {number}"
        for path in sources
        if "node_modules" not in path.parts
        for number in POINTER.findall(path.read_text(encoding="utf-8", errors="replace"))
        if number not in numbers
    }
    assert dangling == set()
