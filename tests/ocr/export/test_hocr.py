from __future__ import annotations

import xml.etree.ElementTree as ET

from masthead.ocr.export import hocr
from tests.ocr.export.sample import document

NS = {"h": "http://www.w3.org/1999/xhtml"}


def test_hocr_is_well_formed_xhtml_with_the_class_hierarchy() -> None:
    out = hocr.render(document())
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html')
    root = ET.fromstring(out.split("\n", 2)[2])
    pages = root.findall(".//h:div[@class='ocr_page']", NS)
    assert pages[0].get("title") == "bbox 0 0 2480 3508; ppageno 0; scan_res 300 300"
    assert pages[0].get("lang") == "eng"
    areas = pages[0].findall("h:div[@class='ocr_carea']", NS)
    tables = pages[0].findall("h:div[@class='ocr_table']", NS)
    assert len(areas) == 3 and len(tables) == 1
    words = root.findall(".//h:span[@class='ocrx_word']", NS)
    texts = [w.text for w in words]
    assert texts[:3] == ["Weekly", "*digest*", "Masthead"] and "<text>" in texts
    first = words[0].get("title")
    assert (
        first is not None and first.startswith("bbox 100 100 ") and first.endswith("; x_wconf 90")
    )
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_capabilities_are_declared() -> None:
    root = ET.fromstring(hocr.render(document()).split("\n", 2)[2])
    metas = {m.get("name"): m.get("content") for m in root.findall(".//h:meta", NS)}
    assert "ocrx_word" in (metas["ocr-capabilities"] or "")
