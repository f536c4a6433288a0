"""hOCR 1.2 as XHTML: ocr_page > ocr_carea (ocr_table for tables) > ocr_par > ocr_line > ocrx_word.

Built with ElementTree so text and attributes are always escaped. Boxes are page pixels,
``x_wconf`` is the word confidence in percent, as hOCR tools (hocr-tools, OCRmyPDF) expect.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from masthead.ocr.document import BBox, Block, Document, Line, Page

_XHTML = "http://www.w3.org/1999/xhtml"
_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
CAPABILITIES = "ocr_page ocr_carea ocr_table ocr_par ocr_line ocrx_word ocrp_wconf ocrp_lang"


def render(doc: Document) -> str:
    html = ET.Element("html", {"xmlns": _XHTML, "xml:lang": "en", "lang": "en"})
    head = ET.SubElement(html, "head")
    ET.SubElement(head, "title").text = "OCR result"
    ET.SubElement(
        head, "meta", {"http-equiv": "Content-Type", "content": "text/html; charset=utf-8"}
    )
    ET.SubElement(head, "meta", {"name": "ocr-system", "content": "masthead"})
    ET.SubElement(head, "meta", {"name": "ocr-capabilities", "content": CAPABILITIES})
    body = ET.SubElement(html, "body")
    for page in doc.pages:
        _page(body, page)
    ET.indent(html, space=" ")
    xml = ET.tostring(html, encoding="unicode", short_empty_elements=True)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{_DOCTYPE}\n{xml}\n'


def _title(bbox: BBox, *extra: str) -> str:
    return "; ".join((f"bbox {bbox.x0} {bbox.y0} {bbox.x1} {bbox.y1}", *extra))


def _page(body: ET.Element, page: Page) -> None:
    box = BBox(0, 0, page.width, page.height)
    title = _title(box, f"ppageno {page.number - 1}", f"scan_res {page.dpi} {page.dpi}")
    attrs = {"class": "ocr_page", "id": f"page_{page.number}", "title": title}
    if page.language:
        attrs["lang"] = page.language
    div = ET.SubElement(body, "div", attrs)
    for b, block in enumerate(page.blocks, start=1):
        _block(div, block, f"{page.number}_{b}")


def _block(parent: ET.Element, block: Block, ident: str) -> None:
    kind = "ocr_table" if block.kind == "table" else "ocr_carea"
    area = ET.SubElement(
        parent, "div", {"class": kind, "id": f"block_{ident}", "title": _title(block.bbox)}
    )
    par = ET.SubElement(
        area, "p", {"class": "ocr_par", "id": f"par_{ident}", "title": _title(block.bbox)}
    )
    for n, line in enumerate(block.lines, start=1):
        _line(par, line, f"{ident}_{n}")


def _line(parent: ET.Element, line: Line, ident: str) -> None:
    span = ET.SubElement(
        parent, "span", {"class": "ocr_line", "id": f"line_{ident}", "title": _title(line.bbox)}
    )
    for n, word in enumerate(line.words, start=1):
        conf = f"x_wconf {round(word.confidence * 100)}"
        attrs = {"class": "ocrx_word", "id": f"word_{ident}_{n}", "title": _title(word.bbox, conf)}
        ET.SubElement(span, "span", attrs).text = word.text
