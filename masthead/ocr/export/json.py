"""JSON: ``Document.to_dict()`` as documented in docs/ocr-json-schema.md."""

from __future__ import annotations

import json as _json

from masthead.ocr.document import Document


def render(doc: Document) -> str:
    return _json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) + "\n"
