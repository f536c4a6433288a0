"""The tool registry: every AI tool the site offers, by slug.

A tool has a landing page under /tools/<slug>/ and a "Try it" card that editors place in
articles with the Markdown directive ``::: tool <slug>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class ToolSpec:
    slug: str
    name: str
    tagline: str
    description: str
    icon: str  # static path of an SVG icon
    card_template: str  # rendered where an article places the tool's card

    @property
    def url(self) -> str:
        return f"/tools/{self.slug}/"


TOOLS = MappingProxyType(
    {
        "ocr": ToolSpec(
            slug="ocr",
            name="OCR — Text from Image",
            tagline="Smart AI extraction",
            description=(
                "Turn photos, screenshots, receipts and scanned PDFs into text you can copy, "
                "with the layout, tables and key fields kept."
            ),
            icon="tools/ocr.svg",
            card_template="tools/_card.html",
        )
    }
)


def get(slug: str) -> ToolSpec | None:
    return TOOLS.get(slug)


def all_tools() -> list[ToolSpec]:
    return list(TOOLS.values())
