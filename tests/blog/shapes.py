"""Markdown bodies of pathological shapes, shared by the cost tests and the benchmark.

Each shape repeats one small unit up to a size in bytes; the renderer's work on each must
grow linearly with that size (docs/decisions/0106).
"""

from __future__ import annotations


def fill(unit: str, size: int, *, head: str = "", tail: str = "") -> str:
    return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail


def shapes(size: int) -> dict[str, str]:
    """Every shape at ``size`` bytes, by name."""
    return {
        "prose": fill("Some ordinary words in a sentence. ", size),
        "one repeated heading": fill("## Same\n\n", size),
        "headings colliding with suffixes": fill("## a\n\n## a-1\n\n", size),
        "distinct headings": "".join(f"## h{i}\n\n" for i in range(size // 8))[:size],
        "nested quotes": ">" * (size - 1) + "a",
        "nested list markers": fill("- ", size, tail="a"),
        "list items": fill("- a\n", size),
        "links": fill("[a](/b) ", size),
        "reference links to a long address": "[a]: /"
        + "x" * (size // 2)
        + "\n\n"
        + fill("[a] ", size // 2),
        "unclosed brackets": "[" * size,
        "unclosed links": fill("[a](", size),
        "unclosed images": fill("![", size),
        "nested brackets": "[" * (size // 2) + "]" * (size // 2),
        "unclosed emphasis": fill("*_a ", size),
        "emphasis pairs": fill("*a* ", size),
        "unclosed code spans": fill("`a ", size),
        "table rows": fill("| x | y |\n", size, head="| a | b |\n|---|---|\n"),
        "wide table, short rows": "|"
        + "a|" * (size // 8)
        + "\n|"
        + "-|" * (size // 8)
        + "\n"
        + fill("|\n", size // 2),
        "footnote references": fill("x[^1] ", size, head="[^1]: note\n\n"),
        "setext headings": fill("a\n=\n", size),
    }
