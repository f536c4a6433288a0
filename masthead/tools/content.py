"""Reader-facing copy for the OCR page: the FAQ and its structured data (JSON-LD)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from masthead.tools.registry import ToolSpec

FAQ: tuple[dict[str, str], ...] = (
    {
        "q": "Which languages can it read?",
        "a": "Latin-script languages such as English, German, French and Spanish read best. "
        "Leave the language empty and it is detected, or give three-letter codes such as eng,deu.",
    },
    {
        "q": "Why is some text missing or wrong?",
        "a": "Blurry photos, very small print, handwriting and strong shadows are hard to read. "
        "Take the photo straight on, in good light, and crop to the text.",
    },
    {
        "q": "Can I use it from my own program?",
        "a": "Yes. Members can create an API key on their account page and send files to the "
        "JSON API; the API documentation is at /api/docs.",
    },
    {
        "q": "What happens to my file?",
        "a": "It is read and then deleted. The previews shown with your result are deleted "
        "within an hour. Only the text is kept, and only in your own history.",
    },
    {
        "q": "Does it work without JavaScript?",
        "a": "Yes. Choose a file and press the button; the result page opens when it is ready.",
    },
)

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(tool: ToolSpec) -> SafeString:
    """WebApplication and FAQPage structured data, escaped so it cannot end the script."""
    data: list[dict[str, Any]] = [
        {
            "@context": "https://schema.org",
            "@type": "WebApplication",
            "name": tool.name,
            "description": tool.description,
            "url": f"{settings.SITE_URL}{tool.url}",
            "applicationCategory": "UtilitiesApplication",
            "operatingSystem": "Any (runs in the browser)",
            "offers": {"@type": "Offer", "price": "0", "priceCurrency": "USD"},
        },
        {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": item["q"],
                    "acceptedAnswer": {"@type": "Answer", "text": item["a"]},
                }
                for item in FAQ
            ],
        },
    ]
    text = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    # Escaped above: no '<', '>' or '&' survives, so the payload cannot end the element.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308  # nosec
