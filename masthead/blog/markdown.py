"""Markdown to safe HTML: the one renderer every post body goes through.

The contract: ``render(text)`` returns HTML that contains no executable construct, whatever
the input. Raw HTML in the Markdown is escaped (markdown-it ``html=False``), and the rendered
HTML is then cleaned by nh3 with an allow-list, so a bug in one layer is caught by the other.
Heading ids (H2/H3) and footnote anchors survive the clean so the table of contents and
footnote links work.

``::: tool <slug>`` on a line of its own becomes an empty ``tool-slot`` element; the post page
swaps it for the tool's card at display time (the card holds a form with a per-request CSRF
token, so it cannot be baked into stored HTML).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

_TOOL_LINE = re.compile(r"^:::\s*tool\s+([a-z0-9][a-z0-9-]{0,49})\s*$")
TOOL_SLOT = re.compile(r'<div class="tool-slot" data-tool="([a-z0-9-]+)"></div>')

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "div", "em", "h2", "h3", "h4", "h5",
    "h6", "hr", "img", "li", "ol", "p", "pre", "s", "section", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "img": {"src", "alt", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "li": {"id", "class"},
    "ol": {"class", "start"},
    "section": {"class"},
    "hr": {"class"},
    "sup": {"class"},
    "div": {"class", "data-tool"},
    "code": {"class"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    toc: list[dict[str, str]] = field(default_factory=list)
    image_count: int = 0
    word_count: int = 0


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    """Images must come from this site (uploaded media): no third-party requests, and
    nothing the CSP's ``img-src 'self'`` would have to block."""
    if tag == "img" and attribute == "src" and not (value.startswith("/") and value[1:2] != "/"):
        return None
    return value


def sanitise(html: str) -> str:
    """Clean HTML through the allow-list; idempotent (``sanitise(sanitise(x)) == sanitise(x)``)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_local_images_only,
    )


def _tool_directive(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    match = _TOOL_LINE.match(line)
    if match is None or state.sCount[start] - state.blkIndent >= 4:
        return False
    if silent:
        return True
    token = state.push("tool_directive", "div", 0)
    token.info = match.group(1)
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def _render_tool(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return f'<div class="tool-slot" data-tool="{tokens[idx].info}"></div>\n'


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=2, max_level=3)
    md.block.ruler.before(
        "paragraph", "tool_directive", _tool_directive, {"alt": ["paragraph", "blockquote"]}
    )
    md.add_render_rule("tool_directive", _render_tool)
    return md


_MD = _build()


def _inline_text(token: Token) -> str:
    return "".join(child.content for child in token.children or [] if child.content)


def _toc(tokens: list[Token]) -> list[dict[str, str]]:
    entries = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            anchor = str(token.attrs.get("id", ""))
            text = _inline_text(tokens[index + 1])
            if anchor and text:
                entries.append({"id": anchor, "text": text})
    return entries


def _count_images(tokens: list[Token]) -> int:
    return sum(
        1
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "image"
    )


def plain_text(html: str) -> str:
    """Visible text of sanitised HTML (for word counts, search and feeds)."""
    return nh3.clean(html, tags=set(), attributes={}).replace("&amp;", "&")


def render(text: str) -> Rendered:
    """Render post Markdown to sanitised HTML, its H2 table of contents and counts."""
    env: dict[str, Any] = {}
    tokens = _MD.parse(text, env)
    html = sanitise(_MD.renderer.render(tokens, _MD.options, env))
    words = len(plain_text(html).split())
    return Rendered(
        html=html, toc=_toc(tokens), image_count=_count_images(tokens), word_count=words
    )


def reading_minutes(*, words: int, images: int) -> int:
    """Ghost's estimate: 275 words a minute, plus 12 s for the first image, one second less
    for each next one down to 3 s; rounded, never below one minute."""
    seconds = words / 275 * 60
    seconds += sum(max(12 - index, 3) for index in range(images))
    return max(1, round(seconds / 60))
