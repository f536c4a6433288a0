"""WordPress's WXR export (versions 1.0 to 1.2) read into a ``Bundle``, as a stream.

The file is read with defusedxml's ``iterparse``: an entity declaration (the "billion
laughs") or an external entity or DTD reference stops the import with a message, and each
``<item>`` is cleared once read, so a file of tens of megabytes never sits in memory whole.

Posts and pages become posts; categories come first among a post's tags (the first one is
the primary tag), then its tags. Attachments supply the featured images (``_thumbnail_id``)
from the media folder or zip (``wp-content/uploads``). Gutenberg's block comments vanish
with the HTML conversion, and shortcodes are removed, keeping what they wrap. Old
addresses — ``/?p=123``, ``/?page_id=7``, the item's permalink such as
``/2020/01/02/slug/`` and ``/category/x/`` — are redirected to the new ones.
"""

from __future__ import annotations

import email.utils
import functools
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.text import slugify

from masthead.exchange import tomarkdown
from masthead.exchange.records import AuthorRecord, Bundle, ImportRefused, PostRecord, TagRecord

SUPPORTED = ("1.0", "1.1", "1.2")
_SHORTCODE = re.compile(r"\[/?[A-Za-z_][\w-]*(?:\s[^\]\n]*)?/?\]")
_DROP_SHORTCODES = re.compile(
    r"\[(gallery|playlist|audio|video|contact-form[\w-]*)\b[^\]]*\]", re.I
)
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.I | re.S)
_UPLOADS = re.compile(r"/wp-content/uploads/(.+)$")
_PARA = re.compile(r"\n\s*\n")


@functools.lru_cache(maxsize=512)
def _local(tag: str) -> tuple[str, str]:
    """(namespace, local name) of an element's tag."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _child(element: Element, name: str) -> str:
    for child in element:
        if _local(child.tag)[1] == name:
            return (child.text or "").strip()
    return ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag)[1] == name]


def locate(address: str) -> str | None:
    match = _UPLOADS.search(urlsplit(address).path)
    return unquote(match.group(1)) if match else None


def clean_content(html: str) -> str:
    """WordPress content (classic or Gutenberg) to Markdown, shortcodes removed."""
    html = _EMBED.sub(
        lambda m: f'<p><a href="{m.group(1).strip()}">{m.group(1).strip()}</a></p>', html
    )
    html = _DROP_SHORTCODES.sub("", html)
    html = _SHORTCODE.sub("", html)
    if "<p" not in html.lower():  # the classic editor stores paragraphs as blank lines
        html = "".join(f"<p>{part.strip()}</p>" for part in _PARA.split(html) if part.strip())
        html = html.replace("\n", "<br>")
    return tomarkdown.convert(html)


def _date(item: Element) -> datetime | None:
    gmt = _child(item, "post_date_gmt")
    if gmt and not gmt.startswith("0000"):
        try:
            return datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        except ValueError:
            pass
    pub = _child(item, "pubDate")
    if pub:
        try:
            parsed = email.utils.parsedate_to_datetime(pub)
            if parsed.year > 1900:
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except (TypeError, ValueError):
            pass
    local = _child(item, "post_date")
    if local and not local.startswith("0000"):
        try:
            return datetime.strptime(local, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        except ValueError:
            return None
    return None


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.bundle = Bundle(source="wordpress")
        self.version = ""
        self.site = ""
        self.authors: dict[str, AuthorRecord] = {}
        self.terms: dict[str, TagRecord] = {}  # by slug: a category and a tag may share one
        self.categories: set[str] = set()
        self.term_ids: dict[str, str] = {}  # category term id -> slug
        self.attachments: dict[str, str] = {}
        self.thumbnails: dict[str, str] = {}  # post key -> attachment id
        self.items = 0
        self.comments = 0
        self.skipped_types: dict[str, int] = {}

    def term(self, domain: str, slug: str, name: str, description: str = "") -> TagRecord:
        slug = slugify(unquote(slug)) or slugify(name) or "topic"
        if domain == "category":
            self.categories.add(slug)
        if slug not in self.terms:
            record = TagRecord(
                key=slug, name=" ".join(name.split()) or slug, slug=slug, description=description
            )
            self.terms[slug] = record
            self.bundle.tags.append(record)
        return self.terms[slug]

    def channel_element(self, element: Element) -> None:
        name = _local(element.tag)[1]
        if name == "wxr_version":
            self.version = (element.text or "").strip()
        elif name == "base_blog_url" or (name == "link" and not self.site):
            self.site = (element.text or "").strip()
        elif name == "author":
            login = _child(element, "author_login")
            display = _child(element, "author_display_name") or login
            record = AuthorRecord(
                key=login,
                name=" ".join(display.split()),
                email=_child(element, "author_email"),
                slug=login,
                label=f"{display!r} (login {login!r})",
            )
            self.authors[login] = record
            self.bundle.authors.append(record)
        elif name == "category":
            slug = _child(element, "category_nicename")
            term = self.term(
                "category",
                slug,
                _child(element, "cat_name"),
                _child(element, "category_description"),
            )
            if term_id := _child(element, "term_id"):
                self.term_ids[term_id] = term.slug
        elif name == "tag":
            self.term(
                "tag",
                _child(element, "tag_slug"),
                _child(element, "tag_name"),
                _child(element, "tag_description"),
            )

    def item(self, element: Element) -> None:
        self.items += 1
        kind = _child(element, "post_type") or "post"
        post_id = _child(element, "post_id")
        if kind == "attachment":
            self.attachments[post_id] = _child(element, "attachment_url") or _child(element, "guid")
            return
        if kind not in {"post", "page"}:
            self.skipped_types[kind] = self.skipped_types.get(kind, 0) + 1
            return
        status = _child(element, "status")
        title = _child(element, "title")
        label = f"{kind} {title!r} (id {post_id})"
        if status in {"trash", "auto-draft", "inherit"}:
            self.bundle.skipped.append((label, f"status {status!r} in WordPress"))
            return
        if status == "private":
            self.bundle.skipped.append((label, "private in WordPress; imported as a draft"))
        slug = (
            slugify(unquote(_child(element, "post_name"))) or slugify(title) or f"{kind}-{post_id}"
        )
        categories: list[str] = []
        tags: list[str] = []
        for category in _children(element, "category"):
            domain = category.get("domain", "")
            nicename = category.get("nicename", "") or (category.text or "")
            if domain == "category":
                categories.append(
                    self.term("category", nicename, (category.text or "").strip()).key
                )
            elif domain == "post_tag":
                tags.append(self.term("tag", nicename, (category.text or "").strip()).key)
        for meta in _children(element, "postmeta"):
            if _child(meta, "meta_key") == "_thumbnail_id":
                self.thumbnails[post_id] = _child(meta, "meta_value")
        self.comments += len(_children(element, "comment"))
        content = ""
        excerpt = ""
        for child in element:
            namespace, local = _local(child.tag)
            if local == "encoded" and "excerpt" in namespace:
                excerpt = tomarkdown.plain(child.text or "")
            elif local == "encoded":
                content = child.text or ""
        creator = " ".join(_child(element, "creator").split())
        published = {"publish": "published", "future": "scheduled"}.get(status, "draft")
        old_paths = []
        if post_id:
            old_paths.append(f"/?{'page_id' if kind == 'page' else 'p'}={post_id}")
        link = urlsplit(_child(element, "link"))
        if link.path and link.path not in {"/", f"/{slug}/"} and not link.query:
            old_paths.append(link.path)
        self.bundle.posts.append(
            PostRecord(
                key=post_id or slug,
                title=title,
                slug=slug,
                body=clean_content(content),
                status=published,
                published_at=_date(element) if published != "draft" else None,
                excerpt=excerpt,
                featured=_child(element, "is_sticky") == "1",
                members_only=bool(_child(element, "post_password")),
                tag_keys=list(dict.fromkeys(categories + tags)),
                author_keys=[creator] if creator in self.authors else [],
                old_paths=old_paths,
                label=label,
            )
        )
        if _child(element, "post_password"):
            self.bundle.skipped.append(
                (label, "password-protected in WordPress; imported as members-only")
            )

    def finish(self) -> Bundle:
        for post in self.bundle.posts:
            attachment = self.thumbnails.get(post.key)
            if attachment and attachment in self.attachments:
                post.hero = self.attachments[attachment]
        for slug in sorted(self.categories):
            self.bundle.redirects[f"/category/{slug}/"] = f"/tag/{slug}/"
        for term_id, slug in self.term_ids.items():
            self.bundle.redirects[f"/?cat={term_id}"] = f"/tag/{slug}/"
        if self.comments:
            self.bundle.notes.append(
                f"{self.comments} comments were not imported (this site has no comments)."
            )
        for kind, count in sorted(self.skipped_types.items()):
            self.bundle.skipped.append((f"{count} items of type {kind!r}", "not a post or a page"))
        self.bundle.notes.append(
            f"Read a WordPress export (WXR {self.version or 'without a version tag'})."
        )
        return self.bundle


def read_stream(stream: IO[bytes], name: str) -> Bundle:
    reader = _Reader(name)
    depth = 0
    saw_rss = False
    channel: Element | None = None
    try:
        for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            local = _local(element.tag)[1]
            if event == "start":
                depth += 1
                if depth == 1:
                    if local != "rss":
                        raise ImportRefused(
                            f"{name} is not a WordPress export (its root element is <{local}>, "
                            "not <rss>). In WordPress, use Tools → Export → All content.",
                            code="not_an_export",
                        )
                    saw_rss = True
                elif depth == 2 and local == "channel":
                    channel = element
                continue
            depth -= 1
            if depth == 2 and local == "item":
                reader.item(element)
                element.clear()
                if channel is not None:
                    channel.remove(element)  # keeps memory flat on long files
            elif depth == 2:
                reader.channel_element(element)
                if local in {"author", "category", "tag", "term"}:
                    element.clear()
            elif depth == 1 and local == "channel":
                element.clear()
            if (
                depth == 2
                and reader.version
                and reader.version not in SUPPORTED
                and local == "wxr_version"
            ):
                if not reader.version.startswith("1."):
                    raise ImportRefused(
                        f"{name} is WXR {reader.version}; this importer reads WXR 1.0 to 1.2.",
                        code="wrong_version",
                    )
                reader.bundle.notes.append(f"WXR {reader.version} is newer than 1.2; read as 1.2.")
    except DefusedXmlException as exc:
        raise ImportRefused(
            f"{name} declares a DTD or XML entities ({type(exc).__name__}); "
            "a WordPress export never needs them, so it was not read.",
            code="unsafe_xml",
        ) from None
    except ParseError as exc:
        line, column = exc.position
        text = str(exc)
        if "no element found" in text or "unclosed" in text:
            detail = "it ends early (is it truncated?)"
        elif "invalid token" in text or "encoding" in text:
            detail = "the text is not valid UTF-8 or has characters XML forbids there"
        else:
            detail = text.split(":")[0]
        raise ImportRefused(
            f"{name} is not valid XML at line {line}, column {column}: {detail}.", code="bad_xml"
        ) from None
    if not saw_rss:
        raise ImportRefused(f"{name} is empty.", code="not_an_export")
    if not reader.version and not reader.bundle.posts and not reader.items:
        raise ImportRefused(
            f"{name} is an RSS feed, not a WordPress export (no wp:wxr_version, no items).",
            code="not_an_export",
        )
    return reader.finish()


def read(path: Path) -> Bundle:
    with path.open("rb") as handle:
        return read_stream(handle, path.name)
