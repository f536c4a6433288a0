"""Markdown: headings, lists, pipe tables and paragraphs, with text escaped.

Recognised text is data, not markup: characters that Markdown would interpret (``*``,
``_``, ``[``, a leading ``#`` or ``1.``) are backslash-escaped so a receipt line such as
``# 12 *special*`` renders as written. Pages are separated by a thematic break.
"""

from __future__ import annotations

import re

from masthead.ocr.document import Block, Cell, Document, Line

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|(\d+)([.)]))(?=\s|$)")
_BULLET = re.compile(r"^\s*(?:[-*+•·▪◦‣●○]|\d{1,3}[.)]|[a-zA-Z][.)])\s+")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+")


def escape(text: str) -> str:
    """``text`` with Markdown syntax neutralised (inline and at the start of a line)."""
    escaped = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_marker, escaped)


def _escape_marker(match: re.Match[str]) -> str:
    """``# x`` -> ``\\# x``; ``1. x`` -> ``1\\. x`` (a backslash before a digit is literal)."""
    if match.group(3):
        return match.group(1) + match.group(3) + "\\" + match.group(4)
    return match.group(1) + "\\" + match.group(2)


def render(doc: Document) -> str:
    pages = ["\n\n".join(_block(block) for block in page.blocks) for page in doc.pages]
    body = "\n\n---\n\n".join(p for p in pages if p).strip()
    return body + "\n" if body else ""


def _block(block: Block) -> str:
    if block.kind == "table" and block.rows:
        return table(block.rows)
    if block.kind == "heading":
        level = min(max(block.level, 1), 6)
        return "#" * level + " " + escape(" ".join(line.text for line in block.lines))
    if block.kind == "list":
        return "\n".join(_item(line) for line in block.lines)
    return "\n".join(escape(line.text) for line in block.lines)


def _item(line: Line) -> str:
    text = line.text
    numbered = _NUMBERED.match(text)
    if numbered:
        return f"{numbered.group(1)}. " + escape(text[numbered.end() :])
    return "- " + escape(_BULLET.sub("", text, count=1))


def table(rows: tuple[tuple[Cell, ...], ...]) -> str:
    """A pipe table; the first row is the header, short rows are padded."""
    width = max(len(row) for row in rows)
    lines = []
    for index, row in enumerate(rows):
        cells = [_cell(cell.text) for cell in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + "|".join(["---"] * width) + "|")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return _INLINE.sub(r"\\\1", " ".join(text.split()))
