"""The result tree: Document > Page > Block > Line > Word, with boxes and confidences.

Coordinates are integer pixels of the page image as recognised (after orientation is
corrected), origin top-left, x to the right, y down (the hOCR convention). ``Page`` records
``width``, ``height`` and ``dpi`` so exporters can convert (PDF wants points).

Everything here is a frozen, slotted dataclass made of tuples, so a result can be shared
between threads and hashed. ``Document.to_dict()``/``from_dict()`` round-trip exactly; the
JSON shape is documented in docs/ocr-json-schema.md and versioned by ``SCHEMA_VERSION``.
This module imports only ``receipt`` (the receipt object) from the library.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from masthead.ocr.receipt import Receipt

SCHEMA_VERSION = "1.2"
"""Major.minor: minor adds optional keys; a major change may remove or rename keys."""

BlockKind = Literal["paragraph", "heading", "list", "table"]
PageSource = Literal["ocr", "text-layer"]
FieldKind = Literal["email", "url", "phone", "date", "amount", "key_value"]
BLOCK_KINDS: tuple[str, ...] = get_args(BlockKind)
PAGE_SOURCES: tuple[str, ...] = get_args(PageSource)
FIELD_KINDS: tuple[str, ...] = get_args(FieldKind)


@dataclass(frozen=True, slots=True)
class BBox:
    """Axis-aligned box in page pixels, origin top-left; ``x1``/``y1`` are exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    def __post_init__(self) -> None:
        if self.x1 < self.x0 or self.y1 < self.y0:
            raise ValueError(f"inverted box: {self}")

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    @property
    def area(self) -> int:
        return self.width * self.height

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    @classmethod
    def enclosing(cls, boxes: Iterable[BBox]) -> BBox:
        """Smallest box containing all ``boxes``; ``ValueError`` if there are none."""
        items = list(boxes)
        if not items:
            raise ValueError("enclosing() needs at least one box")
        return cls(
            min(b.x0 for b in items),
            min(b.y0 for b in items),
            max(b.x1 for b in items),
            max(b.y1 for b in items),
        )

    def overlaps(self, other: BBox) -> bool:
        """Whether the two boxes share any area."""
        across = self.x0 < other.x1 and other.x0 < self.x1
        return across and self.y0 < other.y1 and other.y0 < self.y1

    def same_row(self, other: BBox, share: float = 0.6) -> bool:
        """Whether the boxes overlap vertically by ``share`` of the smaller one's height: two
        words of one line of text."""
        overlap = min(self.y1, other.y1) - max(self.y0, other.y0)
        return overlap >= share * min(self.height, other.height)

    def shifted(self, dx: int, dy: int) -> BBox:
        return BBox(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def scaled(self, factor: float) -> BBox:
        """Multiply every coordinate (e.g. map boxes from a resized image back)."""
        return BBox(
            round(self.x0 * factor),
            round(self.y0 * factor),
            round(self.x1 * factor),
            round(self.y1 * factor),
        )

    def clipped(self, width: int, height: int) -> BBox:
        """This box limited to a ``width`` x ``height`` page."""
        x0, y0 = min(max(self.x0, 0), width), min(max(self.y0, 0), height)
        return BBox(x0, y0, min(max(self.x1, x0), width), min(max(self.y1, y0), height))

    def to_list(self) -> list[int]:
        return [self.x0, self.y0, self.x1, self.y1]

    @classmethod
    def from_list(cls, values: Iterable[int]) -> BBox:
        x0, y0, x1, y1 = (int(v) for v in values)
        return cls(x0, y0, x1, y1)


# Scripts written without spaces between words: CJK ideographs, kana, CJK and fullwidth
# punctuation, Thai, Lao, Khmer, Myanmar (Hangul is written with spaces).
_UNSPACED: tuple[tuple[int, int], ...] = (
    (0x0E00, 0x0EFF),
    (0x1000, 0x109F),
    (0x1780, 0x17FF),
    (0x3000, 0x30FF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFF65),
    (0x20000, 0x3FFFF),
)


def char_confidence(words: Iterable[Word]) -> float:
    """The words' confidence weighted by their characters (0 for none): a long word read
    surely counts for more than a stray mark read unsurely."""
    chars = weighted = 0.0
    for word in words:
        chars += len(word.text)
        weighted += word.confidence * len(word.text)
    return weighted / chars if chars else 0.0


def unspaced(char: str) -> bool:
    """Whether ``char`` belongs to a script that puts no spaces between words."""
    point = ord(char)
    return any(low <= point <= high for low, high in _UNSPACED)


def join_words(texts: Iterable[str]) -> str:
    """Words of one line as text: a space between two words, except where both sides of the
    join are in a script written without spaces (Chinese, Japanese, Thai...)."""
    out = ""
    for text in texts:
        if out and text and not (unspaced(out[-1]) and unspaced(text[0])):
            out += " "
        out += text
    return out


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    bbox: BBox
    confidence: float  # 0.0-1.0, as the engine reported it; 1.0 for a PDF text layer


@dataclass(frozen=True, slots=True)
class Line:
    words: tuple[Word, ...]
    bbox: BBox

    @property
    def text(self) -> str:
        return join_words(word.text for word in self.words)

    @classmethod
    def from_words(cls, words: Iterable[Word]) -> Line:
        """A line of ``words`` (in the given order) with their enclosing box."""
        items = tuple(words)
        return cls(items, BBox.enclosing(w.bbox for w in items))


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: zero or more lines inside the cell's box."""

    lines: tuple[Line, ...]
    bbox: BBox

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, heading, list or table, in reading order within its page.

    ``lines`` always holds every line of the block (a table's too, row by row), so code
    that only wants text never needs to know about tables. ``rows`` is set only for
    ``kind == "table"``: rows of cells, left to right, the first row being the header when
    the table has one. ``level`` is the heading level (1 = largest) and 0 otherwise.
    """

    lines: tuple[Line, ...]
    bbox: BBox
    kind: BlockKind = "paragraph"
    rows: tuple[tuple[Cell, ...], ...] = ()
    level: int = 0

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")

    @property
    def text(self) -> str:
        if self.rows:
            return "\n".join("\t".join(cell.text for cell in row) for row in self.rows)
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True, slots=True)
class Page:
    """One page as read.

    ``number`` starts at 1. ``angle`` is the clockwise rotation (0/90/180/270) that was
    applied to make the page upright; boxes refer to the upright page. ``source`` says
    whether the words came from OCR or from a PDF's embedded text layer.
    """

    number: int
    width: int
    height: int
    dpi: int
    blocks: tuple[Block, ...] = ()
    angle: int = 0
    language: str = ""
    script: str = ""
    engine: str = ""
    source: PageSource = "ocr"

    def __post_init__(self) -> None:
        if self.angle not in (0, 90, 180, 270):
            raise ValueError(f"angle must be 0, 90, 180 or 270, not {self.angle}")
        if self.source not in PAGE_SOURCES:
            raise ValueError(f"unknown page source {self.source!r}")

    @property
    def lines(self) -> Iterator[Line]:
        return (line for block in self.blocks for line in block.lines)

    @property
    def words(self) -> Iterator[Word]:
        return (word for line in self.lines for word in line.words)

    @property
    def text(self) -> str:
        """Blocks in reading order, separated by a blank line."""
        return "\n\n".join(block.text for block in self.blocks)

    def without_words(self, boxes: Collection[BBox]) -> Page:
        """This page less the words whose boxes are ``boxes``; lines and blocks left
        without words go, the rest keep their order and their kind."""
        gone = set(boxes)
        blocks = (_block_without(block, gone) for block in self.blocks)
        return dataclasses.replace(self, blocks=tuple(b for b in blocks if b is not None))


def _line_without(line: Line, gone: set[BBox]) -> Line | None:
    words = [word for word in line.words if word.bbox not in gone]
    if len(words) == len(line.words):
        return line
    return Line.from_words(words) if words else None


def _cell_without(cell: Cell, gone: set[BBox]) -> Cell:
    lines = (_line_without(line, gone) for line in cell.lines)
    return Cell(tuple(line for line in lines if line is not None), cell.bbox)


def _block_without(block: Block, gone: set[BBox]) -> Block | None:
    """``block`` less the words in ``gone``; None when no line is left. A table's cells
    stay in place, emptied."""
    kept = (_line_without(line, gone) for line in block.lines)
    lines = tuple(line for line in kept if line is not None)
    if lines == block.lines:
        return block
    if not lines:
        return None
    rows = tuple(tuple(_cell_without(cell, gone) for cell in row) for row in block.rows)
    box = BBox.enclosing(line.bbox for line in lines)
    return dataclasses.replace(block, lines=lines, bbox=box, rows=rows)


@dataclass(frozen=True, slots=True)
class Field:
    """A piece of structured data found in the text.

    ``value`` is normalised (an ISO date, ``"12.50 USD"``, an E.164-like phone, a
    lower-cased email); ``text`` is what the page says; ``key`` is set for key_value.
    """

    kind: FieldKind
    value: str
    text: str
    bbox: BBox
    page: int
    key: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A read file. ``receipt`` is set when a page is a receipt or invoice (schema 1.1)."""

    pages: tuple[Page, ...]
    fields: tuple[Field, ...] = ()
    schema_version: str = SCHEMA_VERSION
    receipt: Receipt | None = None

    @property
    def text(self) -> str:
        """Pages in order, separated by a blank line."""
        return "\n\n".join(page.text for page in self.pages if page.blocks)

    @property
    def words(self) -> Iterator[Word]:
        return (word for page in self.pages for word in page.words)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form documented in docs/ocr-json-schema.md."""
        return {
            "schema_version": self.schema_version,
            "pages": [_page_to_dict(page) for page in self.pages],
            "fields": [_field_to_dict(f) for f in self.fields],
            "receipt": self.receipt.to_dict() if self.receipt is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Inverse of ``to_dict``; ``ValueError`` for another major schema version."""
        version = str(data.get("schema_version", ""))
        if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            raise ValueError(f"unsupported schema_version {version!r}; expected {SCHEMA_VERSION}")
        return cls(
            pages=tuple(_page_from_dict(p) for p in data["pages"]),
            fields=tuple(_field_from_dict(f) for f in data.get("fields", ())),
            schema_version=SCHEMA_VERSION,
            receipt=Receipt.from_dict(data["receipt"]) if data.get("receipt") else None,
        )


def _word_to_dict(word: Word) -> dict[str, Any]:
    return {"text": word.text, "bbox": word.bbox.to_list(), "confidence": word.confidence}


def _line_to_dict(line: Line) -> dict[str, Any]:
    return {"bbox": line.bbox.to_list(), "words": [_word_to_dict(w) for w in line.words]}


def _block_to_dict(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": block.kind,
        "bbox": block.bbox.to_list(),
        "level": block.level,
        "lines": [_line_to_dict(line) for line in block.lines],
    }
    if block.rows:
        data["rows"] = [
            [{"bbox": c.bbox.to_list(), "lines": [_line_to_dict(x) for x in c.lines]} for c in row]
            for row in block.rows
        ]
    return data


def _page_to_dict(page: Page) -> dict[str, Any]:
    return {
        "number": page.number,
        "width": page.width,
        "height": page.height,
        "dpi": page.dpi,
        "angle": page.angle,
        "language": page.language,
        "script": page.script,
        "engine": page.engine,
        "source": page.source,
        "blocks": [_block_to_dict(b) for b in page.blocks],
    }


def _field_to_dict(item: Field) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "key": item.key,
        "value": item.value,
        "text": item.text,
        "bbox": item.bbox.to_list(),
        "page": item.page,
    }


def _line_from_dict(data: dict[str, Any]) -> Line:
    words = tuple(
        Word(str(w["text"]), BBox.from_list(w["bbox"]), float(w["confidence"]))
        for w in data["words"]
    )
    return Line(words, BBox.from_list(data["bbox"]))


def _block_from_dict(data: dict[str, Any]) -> Block:
    rows = tuple(
        tuple(
            Cell(tuple(_line_from_dict(x) for x in c["lines"]), BBox.from_list(c["bbox"]))
            for c in row
        )
        for row in data.get("rows", ())
    )
    return Block(
        lines=tuple(_line_from_dict(x) for x in data["lines"]),
        bbox=BBox.from_list(data["bbox"]),
        kind=cast("BlockKind", data["kind"]),
        rows=rows,
        level=int(data.get("level", 0)),
    )


def _page_from_dict(data: dict[str, Any]) -> Page:
    return Page(
        number=int(data["number"]),
        width=int(data["width"]),
        height=int(data["height"]),
        dpi=int(data["dpi"]),
        blocks=tuple(_block_from_dict(b) for b in data["blocks"]),
        angle=int(data.get("angle", 0)),
        language=str(data.get("language", "")),
        script=str(data.get("script", "")),
        engine=str(data.get("engine", "")),
        source=cast("PageSource", data.get("source", "ocr")),
    )


def _field_from_dict(data: dict[str, Any]) -> Field:
    return Field(
        kind=cast("FieldKind", data["kind"]),
        value=str(data["value"]),
        text=str(data["text"]),
        bbox=BBox.from_list(data["bbox"]),
        page=int(data["page"]),
        key=str(data.get("key", "")),
    )
