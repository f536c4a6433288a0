"""Markdown to safe HTML: the one renderer every post body goes through.

The contract: ``render(text)`` returns HTML that contains no executable construct, whatever
the input. Raw HTML in the Markdown is escaped (markdown-it ``html=False``), and the rendered
HTML is then cleaned by nh3 with an allow-list, so a bug in one layer is caught by the other.
Heading ids (H2/H3) and footnote anchors survive the clean so the table of contents and
footnote links work.

``::: tool <slug>`` on a line of its own becomes an empty ``tool-slot`` element; the post page
swaps it for the tool's card at display time (the card holds a form with a per-request CSRF
token, so it cannot be baked into stored HTML). A tool the site does not have is refused
when the body is rendered (``unknown_tool``), so a typo is an error on save, not a gap.

``::: embed <YouTube or Vimeo address>`` becomes a link in a fixed 16:9 box; the site's
script swaps it for the player only when the reader clicks (nothing third-party loads
before, and the box keeps its size, so nothing shifts).

The members divider: ``::: members`` on a line of its own (nothing else on the line, at most
three spaces before it, outside lists and quotes) marks where the public teaser of a
members-only post ends. It renders as an empty ``members-divider`` element: the post page
shows visitors everything above the first divider and then the sign-up box; members see the
whole post and the divider shows nothing. A second divider is ignored. Without a divider the
teaser is the first ``TEASER_PARAGRAPHS`` paragraphs, never the whole body (a post of one or
two paragraphs shows fewer, or none). On a public post the divider does nothing.

Rendering runs inside a web request (save and live preview), so its cost is bounded
(docs/decisions/0106): the body has a size limit, every parser step is linear in the input
(heading anchors included), reference links may not copy long addresses over and over, and
every pass of the parser's loops checks a deadline, so a body that is slow anyway fails
with a clear error instead of holding the worker.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.conf import settings
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin

from masthead.errors import MastheadError
from masthead.tools import registry

_TOOL_LINE = re.compile(r"^:::\s*tool(?:\s+(\S.*?))?\s*$")
_TOOL_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
_EMBED_LINE = re.compile(r"^:::\s*embed(?:\s+(\S.*?))?\s*$")
_EMBED_SOURCES = (
    ("youtube", re.compile(
        r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:[^#\s]*&)?v=|shorts/|embed/|live/)"
        r"|youtu\.be/)([A-Za-z0-9_-]{11})(?:[?&#][^\s]*)?$"
    )),
    ("vimeo", re.compile(r"^https?://(?:www\.|player\.)?vimeo\.com/(?:video/)?(\d{1,12})(?:[?#/][^\s]*)?$")),
)  # fmt: skip
EMBED_WATCH = {
    "youtube": "https://www.youtube.com/watch?v={id}",
    "vimeo": "https://vimeo.com/{id}",
}
EMBED_NAMES = {"youtube": "YouTube", "vimeo": "Vimeo"}
_EMBED_VALUE = re.compile(r"^(youtube:[A-Za-z0-9_-]{11}|vimeo:\d{1,12})$")
TOOL_SLOT = re.compile(r'<div class="tool-slot" data-tool="([a-z0-9-]+)"></div>')
_MEMBERS_LINE = re.compile(r"^:::\s*members\s*$")
MEMBERS_DIVIDER = '<div class="members-divider"></div>'
TEASER_PARAGRAPHS = 2
_PARAGRAPH = re.compile(r"^<p>.*?</p>\n", re.MULTILINE | re.DOTALL)

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
    "div": {"class", "data-tool", "data-embed"},
    "code": {"class"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"


ANCHOR_LEVELS = ("h2", "h3")
LINK_TEXT_ALLOWANCE = 100_000
"""Characters of link addresses and titles any body may have, on top of two per body
character: reference links copy their address at each use, so without a bound a 1 MB body
could expand to gigabytes of HTML."""


class MarkdownRefused(MastheadError):
    """A body the renderer will not take on: too large, too slow, or expanding too far."""


def unknown_tool(*, name: str, line: int) -> MarkdownRefused:
    known = ", ".join(f"“{tool.slug}”" for tool in registry.all_tools()) or "none"
    shown = name[:60] or "(no name)"
    return MarkdownRefused(
        "unknown_tool",
        f"Line {line}: there is no tool called “{shown}”, so its card cannot be placed. "
        f"Tools you can place: {known}.",
        status=422,
    )


def bad_embed(*, address: str, line: int) -> MarkdownRefused:
    shown = address[:80] or "(no address)"
    return MarkdownRefused(
        "bad_embed",
        f"Line {line}: “{shown}” is not a YouTube or Vimeo video address. Paste the "
        "address of the video page, e.g. https://www.youtube.com/watch?v=…",
        status=422,
    )


def body_too_large(*, size: int, limit: int) -> MarkdownRefused:
    return MarkdownRefused(
        "body_too_large",
        f"The text is {size:,} bytes; the limit is {limit:,} bytes. Split it into shorter posts.",
        status=413,
    )


def render_too_slow(*, seconds: float) -> MarkdownRefused:
    return MarkdownRefused(
        "render_too_slow",
        f"Formatting this text took longer than {seconds:g} seconds, so it was stopped. "
        "Simplify deeply nested lists or quotes and long runs of brackets or emphasis "
        "marks, or split the post.",
        status=422,
    )


def links_too_long(*, size: int, limit: int) -> MarkdownRefused:
    return MarkdownRefused(
        "links_too_long",
        f"The links in this text add up to {size:,} characters of addresses and titles; "
        f"the limit is {limit:,}. Reference links repeat their address at every use: "
        "use a long address fewer times.",
        status=413,
    )


@dataclass(frozen=True, slots=True)
class Limits:
    """How large a body may be and how much time its rendering may take.

    The time is the rendering thread's CPU time: what the body costs, the same on a busy
    host as on a quiet one, so an editor gets the same answer for the same text.
    """

    max_bytes: int
    seconds: float
    clock: Callable[[], float] = time.thread_time

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=settings.MASTHEAD_POST_MAX_BYTES,
            seconds=settings.MASTHEAD_POST_RENDER_SECONDS,
        )


CLOCK_EVERY = 128
"""Passes of the parser's loops between two readings of the clock (a thread CPU clock is a
system call of about a microsecond; a pass is a few)."""


class _Deadline:
    """The time a render must finish by; the parser's loops check it as they go."""

    __slots__ = ("_at", "_clock", "_passes", "seconds")

    def __init__(self, limits: Limits) -> None:
        self._clock, self.seconds = limits.clock, limits.seconds
        self._at = limits.clock() + limits.seconds
        self._passes = 0

    def tick(self) -> None:
        """One pass of a parser loop; reads the clock every ``CLOCK_EVERY`` passes."""
        self._passes += 1
        if self._passes % CLOCK_EVERY == 0:
            self.check()

    def check(self) -> None:
        if self._clock() >= self._at:
            raise render_too_slow(seconds=self.seconds)


_DEADLINE = "masthead_deadline"  # key of the render's _Deadline in markdown-it's env


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    toc: list[dict[str, str]] = field(default_factory=list)
    image_count: int = 0
    word_count: int = 0


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    """Images must come from this site (uploaded media): no third-party requests, and
    nothing the CSP's ``img-src 'self'`` would have to block. An embed names only a
    provider and a video id."""
    if tag == "img" and attribute == "src" and not (value.startswith("/") and value[1:2] != "/"):
        return None
    if attribute == "data-embed" and not _EMBED_VALUE.match(value):
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
    """``::: tool <slug>`` and ``::: embed <address>`` lines (checked in ``_check_directives``)."""
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    kind, match = "tool_directive", _TOOL_LINE.match(line)
    if match is None:
        kind, match = "embed_directive", _EMBED_LINE.match(line)
    if match is None:
        return False
    if silent:
        return True
    token = state.push(kind, "div", 0)
    token.info = match.group(1) or ""
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def _members_directive(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    # Top level only: the raw line (not what a list or quote left of it) must be the marker.
    line_start = state.src.rfind("\n", 0, state.bMarks[start]) + 1
    if state.blkIndent or not _MEMBERS_LINE.match(
        state.src[line_start : state.eMarks[start]].lstrip(" ")
    ):
        return False
    if _MEMBERS_LINE.match(line) is None or state.sCount[start] - state.blkIndent >= 4:
        return False
    if silent:
        return True
    token = state.push("members_directive", "div", 0)
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def _render_members(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return MEMBERS_DIVIDER + "\n"


def teaser(html: str) -> str:
    """The public part of a members-only post's stored HTML.

    Everything above the first members divider; without one, the first
    ``TEASER_PARAGRAPHS`` top-level paragraphs. Tool slots are dropped (a card is not part
    of a teaser), and the cut is cleaned again so a cut inside a list or quote comes out
    as balanced HTML.
    """
    head, divider, _ = html.partition(MEMBERS_DIVIDER)
    if not divider:
        ends = [m.end() for m in _PARAGRAPH.finditer(html)]
        count = min(TEASER_PARAGRAPHS, len(ends))
        if count and not html[ends[count - 1] :].strip():
            count -= 1  # never the whole post: a short body shows no teaser at all
        head = html[: ends[count - 1]] if count else ""
    return sanitise(TOOL_SLOT.sub("", head))


def _render_tool(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return f'<div class="tool-slot" data-tool="{tokens[idx].info}"></div>\n'


def _embed_source(address: str) -> tuple[str, str] | None:
    for provider, pattern in _EMBED_SOURCES:
        match = pattern.match(address)
        if match:
            return provider, match.group(1)
    return None


def _render_embed(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    provider, video = _embed_source(tokens[idx].info) or ("", "")
    watch = EMBED_WATCH[provider].format(id=video)
    return (
        f'<div class="embed embed--{provider}" data-embed="{provider}:{video}">'
        f'<a class="embed__play" href="{watch}">Play the video on {EMBED_NAMES[provider]}</a>'
        "</div>\n"
    )


def _check_directives(tokens: list[Token]) -> None:
    """Refuse a tool card for a tool that does not exist and an embed we cannot play."""
    for token in tokens:
        line = (token.map[0] + 1) if token.map else 0
        if token.type == "tool_directive":
            name = token.info
            if not _TOOL_SLUG.match(name) or registry.get(name) is None:
                raise unknown_tool(name=name, line=line)
        elif token.type == "embed_directive" and _embed_source(token.info) is None:
            raise bad_embed(address=token.info, line=line)


class _Slugs:
    """Unique heading ids in linear time: for each base slug, the next suffix to try.

    A rescan from ``-1`` for every repeat (mdit-py-plugins' ``unique_slug``) is quadratic:
    a 200 KB preview of one repeated heading took minutes. Suffixes only move forward and
    each taken id is skipped at most once, so the total work is linear; the ids are the
    same as the rescan's (``a``, ``a-1``, ``a-2`` …).
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next_suffix: dict[str, int] = {}

    def claim(self, base: str) -> str:
        slug = base
        if slug in self.taken:
            suffix = self.next_suffix.get(base, 1)
            slug = f"{base}-{suffix}"
            while slug in self.taken:
                suffix += 1
                slug = f"{base}-{suffix}"
            self.next_suffix[base] = suffix + 1
        self.taken.add(slug)
        return slug


def _heading_anchors(state: StateCore) -> None:
    """Give each H2 and H3 an ``id`` from its text, unique within the post."""
    slugs = _Slugs()
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ANCHOR_LEVELS:
            children = tokens[index + 1].children or []
            title = "".join(c.content for c in children if c.type in ("text", "code_inline"))
            token.attrSet("id", slugs.claim(slugify(title)))


def _with_deadline(rule: Callable[..., Any]) -> Callable[..., Any]:
    def checked(state: Any, *args: Any) -> Any:
        deadline = state.env.get(_DEADLINE)
        if deadline is not None:
            deadline.tick()
        return rule(state, *args)

    return checked


def _check_deadline_in_every_loop(md: MarkdownIt) -> None:
    """Wrap the first rule of every rule chain in a deadline check.

    markdown-it's loops (the block tokenizer per line, the inline tokenizer per position,
    paragraph and list scans for the line that ends them, link-label scans) all try a
    chain's rules in order, so every pass of every loop starts with the first rule: one
    check per pass, not one per rule (that doubled the time of some bodies). The stages
    after parsing (footnotes, heading ids) are single linear passes over the tokens.
    """
    for ruler in (md.core.ruler, md.block.ruler, md.inline.ruler, md.inline.ruler2):
        rules = [rule for rule in ruler.__rules__ if rule.enabled]
        chains = {""} | {chain for rule in rules for chain in rule.alt}
        firsts = {next(r for r in rules if not chain or chain in r.alt).name for chain in chains}
        for rule in rules:
            if rule.name in firsts:
                ruler.at(rule.name, _with_deadline(rule.fn), {"alt": list(rule.alt)})


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.core.ruler.push("heading_anchors", _heading_anchors)
    md.block.ruler.before(
        "paragraph", "tool_directive", _tool_directive, {"alt": ["paragraph", "blockquote"]}
    )
    md.add_render_rule("tool_directive", _render_tool)
    md.add_render_rule("embed_directive", _render_embed)
    md.block.ruler.before(
        "paragraph", "members_directive", _members_directive, {"alt": ["paragraph"]}
    )
    md.add_render_rule("members_directive", _render_members)
    _check_deadline_in_every_loop(md)
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


def _check_link_text(tokens: list[Token], *, body_chars: int) -> None:
    """Refuse bodies whose links would copy more address text into the page than the
    body could hold itself (reference links expand at each use)."""
    limit = LINK_TEXT_ALLOWANCE + 2 * body_chars
    total = 0
    for token in tokens:
        for child in token.children or ():
            if child.type in ("link_open", "image"):
                total += sum(len(str(value)) for value in child.attrs.values())
        if total > limit:
            raise links_too_long(size=total, limit=limit)


def check_size(text: str, limits: Limits | None = None) -> None:
    """Raise ``body_too_large`` if the body is over the size limit (UTF-8 bytes)."""
    limit = (limits or Limits.from_settings()).max_bytes
    if len(text) > limit:  # more characters than bytes allowed: no need to encode
        raise body_too_large(size=len(text.encode(errors="surrogatepass")), limit=limit)
    size = len(text.encode(errors="surrogatepass"))
    if size > limit:
        raise body_too_large(size=size, limit=limit)


def render(text: str, *, limits: Limits | None = None) -> Rendered:
    """Render post Markdown to sanitised HTML, its H2 table of contents and counts.

    Raises ``MarkdownRefused`` for a body over the size limit, one whose links expand too
    far, one that takes longer than the time limit, or one that places a tool the site
    does not have or an embed that is not a YouTube or Vimeo video.
    """
    limits = limits or Limits.from_settings()
    check_size(text, limits)
    deadline = _Deadline(limits)
    deadline.check()  # so a limit of 0 s refuses every body
    env: dict[str, Any] = {_DEADLINE: deadline}
    tokens = _MD.parse(text, env)
    _check_link_text(tokens, body_chars=len(text))
    _check_directives(tokens)
    deadline.check()
    html = _MD.renderer.render(tokens, _MD.options, env)
    deadline.check()
    html = sanitise(html)
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
