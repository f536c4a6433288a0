from __future__ import annotations

import json

from masthead.ocr.document import SCHEMA_VERSION, Document
from masthead.ocr.export import json as json_export
from tests.ocr.export.sample import document


def test_json_is_the_versioned_schema_and_round_trips() -> None:
    doc = document()
    data = json.loads(json_export.render(doc))
    assert data["schema_version"] == SCHEMA_VERSION
    page = data["pages"][0]
    assert {
        "number",
        "width",
        "height",
        "dpi",
        "angle",
        "language",
        "script",
        "engine",
        "source",
        "blocks",
    } == set(page)
    table = page["blocks"][3]
    assert table["kind"] == "table" and len(table["rows"]) == 3
    assert table["rows"][1][0]["lines"][0]["words"][0]["text"] == "Tea"
    assert data["fields"] == [
        {
            "kind": "amount",
            "key": "",
            "value": "2.50 USD",
            "text": "2.50",
            "bbox": [500, 750, 580, 780],
            "page": 1,
        }
    ]
    assert Document.from_dict(data) == doc


def test_non_ascii_is_kept_readable() -> None:
    assert "•" in json_export.render(document())
