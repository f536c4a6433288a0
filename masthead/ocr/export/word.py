"""Word (.docx): each block a paragraph (headings as headings), each table a Word table.

Pages are separated by page breaks. python-docx is imported when a file is first made,
so processes that only list the formats do not load it.
"""

from __future__ import annotations

import io

from masthead.ocr.document import Block, Document

MAX_HEADING = 3


def render(doc: Document) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.text import WD_BREAK

    word = WordDocument()
    word.core_properties.title = "Recognised text"
    for index, page in enumerate(doc.pages):
        if index:
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for block in page.blocks:
            _block(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _block(word: object, block: Block) -> None:
    if block.rows:
        width = max(len(row) for row in block.rows)
        table = word.add_table(rows=len(block.rows), cols=width)  # type: ignore[attr-defined]
        table.style = "Table Grid"
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell.text
        return
    text = "\n".join(line.text for line in block.lines)
    if block.kind == "heading":
        word.add_heading(text, level=min(max(block.level, 1), MAX_HEADING))  # type: ignore[attr-defined]
    elif block.kind == "list":
        for line in block.lines:
            word.add_paragraph(line.text, style="List Bullet")  # type: ignore[attr-defined]
    else:
        word.add_paragraph(text)  # type: ignore[attr-defined]
