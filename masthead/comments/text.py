"""Comment text: plain text in, safe HTML out, computed once when the comment is saved.

Nothing the member types is ever interpreted as markup: the whole text is HTML-escaped,
then web addresses (``http://`` and ``https://`` only, so never ``javascript:``) become
links marked ``rel="nofollow ugc noopener"``, blank lines become paragraphs and single
line breaks ``<br>``. Control characters (NUL and the like, which PostgreSQL refuses) are
dropped before anything is counted or stored.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.utils.html import escape

from masthead.errors import MastheadError

URL_RE = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""
LINK_REL = "nofollow ugc noopener"


def normalise(raw: str) -> str:
    """The text as stored: newlines unified, control characters gone, ends trimmed."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs"}
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _urls(text: str) -> list[re.Match[str]]:
    return list(URL_RE.finditer(text))


def check(text: str) -> None:
    """Refuse an empty, overlong or link-stuffed comment with a message the writer can act on."""
    if not text:
        raise MastheadError("comment_empty", "Write something before posting.", status=400)
    limit = settings.MASTHEAD_COMMENT_MAX_CHARS
    if len(text) > limit:
        raise MastheadError(
            "comment_too_long",
            f"A comment can be up to {limit:,} characters; this one has {len(text):,}.",
            status=413,
        )
    links = len(_urls(text))
    if links > settings.MASTHEAD_COMMENT_MAX_LINKS:
        raise MastheadError(
            "too_many_links",
            f"A comment can have up to {settings.MASTHEAD_COMMENT_MAX_LINKS} links; "
            f"this one has {links:,}.",
            status=400,
        )


def _link(url: str) -> str:
    trail = ""
    while url and url[-1] in TRAILING:
        # keep a closing bracket that belongs to the address (Wikipedia-style URLs)
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        trail = url[-1] + trail
        url = url[:-1]
    if len(url) <= len("https://"):
        return escape(url + trail)
    href = escape(url)
    return f'<a href="{href}" rel="{LINK_REL}">{href}</a>{escape(trail)}'


def _line(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in _urls(text):
        out.append(escape(text[last : match.start()]))
        out.append(_link(match.group(0)))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def render(text: str) -> str:
    """``text`` (already normalised) as HTML paragraphs with its addresses linked."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br>".join(_line(line) for line in p.split("\n")) + "</p>" for p in paragraphs
    )
