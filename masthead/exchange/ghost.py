"""Ghost's JSON export (Ghost 4, 5 and 6) read into a ``Bundle``.

The export is ``{"db": [{"meta": {"version": …}, "data": {posts, tags, posts_tags, users,
posts_authors, posts_meta, members, …}}]}``. Posts and pages both become posts (Masthead
has no separate pages; pages keep their ``/slug/`` address, as posts do). A body is read
from ``lexical``, then ``mobiledoc``, then ``html``. Internal tags (``#name``) steer
Ghost's themes and are not shown to readers, so they are left out and reported.
The media folder Ghost keeps in ``content/images/`` (or a zip of it) supplies the images
the export names by address.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive

from masthead.exchange import ghostbody, tomarkdown
from masthead.exchange.records import (
    AuthorRecord,
    Bundle,
    ImportRefused,
    MemberRecord,
    PostRecord,
    TagRecord,
)

VERSIONS = (4, 5, 6)
_IMAGES = re.compile(r"/content/images/(?:size/w\d+/)?(?:format/\w+/)?(.+)$")


def decode_json(data: bytes, name: str) -> Any:
    """Parsed JSON, or a message saying where a truncated or non-UTF-8 file goes wrong."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"{name} is not UTF-8 text (byte {exc.start:,} cannot be read); export it again.",
            code="not_utf8",
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        ends = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        detail = "it ends early (is it truncated?)" if ends else f"{exc.msg}"
        raise ImportRefused(
            f"{name} is not valid JSON at line {exc.lineno}, column {exc.colno}: {detail}.",
            code="bad_json",
        ) from None


def locate(address: str) -> str | None:
    """The path below ``content/images/`` for a Ghost image address, or None."""
    match = _IMAGES.search(address.replace("__GHOST_URL__", ""))
    return match.group(1) if match else None


def _date(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    parsed = parse_datetime(str(value).replace(" ", "T", 1))
    if parsed is None:
        return None
    return parsed.replace(tzinfo=UTC) if is_naive(parsed) else parsed


def _rows(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    rows = data.get(name) or []
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def unwrap(document: Any, name: str) -> tuple[str, dict[str, Any]]:
    if isinstance(document, dict) and isinstance(document.get("db"), list) and document["db"]:
        document = document["db"][0]
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        raise ImportRefused(
            f"{name} is not a Ghost export: it has no db[0].data. In Ghost, use "
            "Settings → Advanced → Import/Export → Export your content.",
            code="not_an_export",
        )
    meta = document.get("meta") if isinstance(document.get("meta"), dict) else {}
    version = str(meta.get("version", "")) if meta else ""
    major = version.split(".")[0]
    if not major.isdigit():
        raise ImportRefused(
            f"{name} does not say which Ghost version made it (meta.version); "
            "it does not look like a Ghost export.",
            code="wrong_version",
        )
    if int(major) not in VERSIONS:
        raise ImportRefused(
            f"{name} was made by Ghost {version}; this importer reads exports of Ghost "
            f"{', '.join(map(str, VERSIONS[:-1]))} and {VERSIONS[-1]}. Update Ghost, export "
            "again and import that file.",
            code="wrong_version",
        )
    return version, document["data"]


def _body(row: dict[str, Any], label: str) -> str:
    for field, convert in (
        ("lexical", ghostbody.lexical_to_markdown),
        ("mobiledoc", ghostbody.mobiledoc_to_markdown),
    ):
        raw = row.get(field)
        if isinstance(raw, str) and raw.strip():
            try:
                return convert(json.loads(raw))
            except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                continue
    html = row.get("html")
    if isinstance(html, str):
        return tomarkdown.convert(html)
    if any(row.get(f) for f in ("lexical", "mobiledoc")):
        raise ImportRefused(f"The body of {label} cannot be read (broken lexical/mobiledoc).")
    return ""


def read(path: Path) -> tuple[str, dict[str, Any]]:
    return unwrap(decode_json(path.read_bytes(), path.name), path.name)


def bundle_from(data: dict[str, Any], *, version: str = "") -> Bundle:
    bundle = Bundle(source="ghost")
    if version:
        bundle.notes.append(f"Read a Ghost {version} export.")

    internal: set[str] = set()
    for row in _rows(data, "tags"):
        key, name, slug = str(row.get("id")), str(row.get("name") or ""), str(row.get("slug") or "")
        if name.startswith("#") or row.get("visibility") == "internal":
            internal.add(key)
            bundle.skipped.append(
                (f"tag {name!r}", "internal tag (Ghost themes only), not imported")
            )
            continue
        description = str(row.get("description") or "")
        bundle.tags.append(
            TagRecord(key=key, name=name or slug, slug=slug or name, description=description)
        )

    for row in _rows(data, "users"):
        key = str(row.get("id"))
        name = str(row.get("name") or row.get("slug") or "")
        bundle.authors.append(
            AuthorRecord(
                key=key,
                name=name,
                email=str(row.get("email") or ""),
                slug=str(row.get("slug") or ""),
                bio=str(row.get("bio") or ""),
                label=f"{name or row.get('slug')} (user id {key})",
            )
        )

    meta = {str(r.get("post_id")): r for r in _rows(data, "posts_meta")}
    tags_of: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for link in _rows(data, "posts_tags"):
        tags_of[str(link.get("post_id"))].append(
            (int(link.get("sort_order") or 0), str(link.get("tag_id")))
        )
    authors_of: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for link in _rows(data, "posts_authors"):
        authors_of[str(link.get("post_id"))].append(
            (int(link.get("sort_order") or 0), str(link.get("author_id")))
        )

    pages = 0
    for row in _rows(data, "posts") + [dict(r, type="page") for r in _rows(data, "pages")]:
        key = str(row.get("id"))
        kind = str(row.get("type") or ("page" if row.get("page") else "post"))
        slug = str(row.get("slug") or "")
        label = f"{kind} {slug!r} (id {key})"
        pages += kind == "page"
        extra = meta.get(key, {})
        status = str(row.get("status") or "draft")
        if status == "sent":
            bundle.skipped.append((label, "sent by email only in Ghost; imported as a draft"))
        status = status if status in {"published", "scheduled", "draft"} else "draft"
        tag_keys = [t for _, t in sorted(tags_of.get(key, [])) if t not in internal]
        author_keys = [a for _, a in sorted(authors_of.get(key, []))]
        if not author_keys and row.get("author_id"):
            author_keys = [str(row["author_id"])]
        visibility = str(row.get("visibility") or "public")

        def pick(name: str, row: dict[str, Any] = row, extra: dict[str, Any] = extra) -> str:
            return str(extra.get(name) or row.get(name) or "")

        bundle.posts.append(
            PostRecord(
                key=key,
                title=str(row.get("title") or ""),
                slug=slug,
                body=_body(row, label),
                status=status,
                published_at=_date(row.get("published_at")),
                created_at=_date(row.get("created_at")),
                excerpt=str(row.get("custom_excerpt") or ""),
                featured=bool(row.get("featured")),
                members_only=visibility != "public",
                tag_keys=tag_keys,
                author_keys=author_keys,
                hero=str(row.get("feature_image") or ""),
                hero_alt=pick("feature_image_alt"),
                hero_caption=tomarkdown.plain(pick("feature_image_caption")),
                meta_title=pick("meta_title") or pick("og_title"),
                meta_description=pick("meta_description") or pick("og_description"),
                canonical_url=str(row.get("canonical_url") or ""),
                label=label,
            )
        )
    if pages:
        bundle.notes.append(f"{pages} Ghost pages were imported as posts (at the same addresses).")
    bundle.members = list(members_from_json(data))
    return bundle


def members_from_json(data: dict[str, Any]) -> Iterator[MemberRecord]:
    newsletters: dict[str, int] = defaultdict(int)
    for link in _rows(data, "members_newsletters"):
        newsletters[str(link.get("member_id"))] += 1
    has_links = bool(_rows(data, "members_newsletters"))
    labels = {str(r.get("id")): str(r.get("name") or "") for r in _rows(data, "labels")}
    member_labels: dict[str, list[str]] = defaultdict(list)
    for link in _rows(data, "members_labels"):
        member_labels[str(link.get("member_id"))].append(labels.get(str(link.get("label_id")), ""))
    for row in _rows(data, "members"):
        key = str(row.get("id"))
        if "subscribed" in row:
            subscribed = bool(row.get("subscribed"))
        else:
            subscribed = newsletters.get(key, 0) > 0 if has_links else True
        if row.get("email_disabled"):
            subscribed = False
        yield MemberRecord(
            email=str(row.get("email") or ""),
            subscribed=subscribed,
            name=str(row.get("name") or ""),
            labels=[label for label in member_labels.get(key, []) if label],
            created_at=_date(row.get("created_at")),
            label=f"member {row.get('email') or key!r}",
        )


_SIMPLE_FROM = re.compile(r"^\^(/.*?)\$?$")


def add_redirects(bundle: Bundle, rules: Any) -> None:
    """Ghost's ``redirects.json`` rules that name one address (``^/old/$``) become redirects."""
    if not isinstance(rules, list):
        return
    for rule in rules:
        if not isinstance(rule, dict):
            continue
        source, target = str(rule.get("from") or ""), str(rule.get("to") or "")
        match = _SIMPLE_FROM.match(source)
        path = re.sub(r"\\(.)", r"\1", match.group(1)) if match else ""
        if (
            not path
            or re.search(r"(?<!\\)[()*+?\[\]|{}]", match.group(1) if match else "(")
            or not target
        ):
            bundle.skipped.append(
                (f"redirect {source!r}", "a pattern, not one address; add it by hand")
            )
            continue
        bundle.redirects[path] = target
