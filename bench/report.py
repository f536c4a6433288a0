"""BENCHMARKS.md sections: each script replaces only the text between its own markers."""

from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


def write_section(name: str, text: str) -> None:
    """Replace what lies between ``<!-- begin:name -->`` and ``<!-- end:name -->``."""
    content = BENCHMARKS.read_text(encoding="utf-8")
    begin, end = f"<!-- begin:{name} -->", f"<!-- end:{name} -->"
    if begin not in content or end not in content:
        raise SystemExit(f"BENCHMARKS.md has no {begin} ... {end} markers")
    head, rest = content.split(begin, 1)
    _, tail = rest.split(end, 1)
    BENCHMARKS.write_text(f"{head}{begin}\n{text}\n{end}{tail}", encoding="utf-8")
