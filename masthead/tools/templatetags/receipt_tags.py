"""``{% receipt_card document pages as card %}``: the receipt card's context, or None."""

from __future__ import annotations

from typing import Any

from django import template

from masthead import ocr
from masthead.tools.receipts import receipt_card as build_card

register = template.Library()


@register.simple_tag
def receipt_card(document: ocr.Document | None, pages: list[dict[str, Any]]) -> Any:
    """The card for ``document.receipt`` with its page (size, preview), or None."""
    if document is None or document.receipt is None:
        return None
    card = build_card(document.receipt)
    card["page"] = next((p for p in pages if p["page"].number == document.receipt.page), None)
    return card
