"""Plain text: blocks in reading order, a blank line between blocks, a form feed between pages."""

from __future__ import annotations

from masthead.ocr.document import Document


def render(doc: Document) -> str:
    pages = ["\n\n".join(block.text for block in page.blocks) for page in doc.pages]
    body = "\n\f".join(pages).strip("\n")
    return body + "\n" if body else ""
