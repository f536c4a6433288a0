"""Substack's export zip read into a ``Bundle``: ``posts.csv``, one HTML file per post in
``posts/``, and the subscriber list (``email_list*.csv``).

A post's ``post_id`` is ``<number>.<slug>``; its body is ``posts/<post_id>.html``. Posts for
paid or free subscribers only (``audience`` other than ``everyone``) become members-only.
Substack's old addresses (``/p/<slug>``) are redirected. Images stay on Substack's image
service (the export does not include them). The export names no authors.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path, PurePosixPath

from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.timezone import is_naive, make_aware

from masthead.exchange import archive, csvmembers, tomarkdown
from masthead.exchange.records import Bundle, ImportRefused, PostRecord

MAX_POST_BYTES = 20 * 1024 * 1024


def _text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"{name} is not UTF-8 text (byte {exc.start:,}).", code="not_utf8"
        ) from None


def read(path: Path) -> Bundle:
    if not zipfile.is_zipfile(path):
        raise ImportRefused(
            f"{path.name} is not a zip file. In Substack, use Settings → Exports → "
            "Create new export, then import the zip it gives you.",
            code="not_an_export",
        )
    zipped = archive.open_zip(path)
    members = {PurePosixPath(i.filename).as_posix(): i for i in zipped.infolist() if not i.is_dir()}
    posts_csv = next(
        (info for name, info in members.items() if PurePosixPath(name).name == "posts.csv"), None
    )
    if posts_csv is None:
        raise ImportRefused(
            f"{path.name} is not a Substack export: it has no posts.csv.", code="not_an_export"
        )
    html_files = {
        PurePosixPath(name).name: info
        for name, info in members.items()
        if name.endswith(".html") and PurePosixPath(name).parent.name == "posts"
    }
    bundle = Bundle(source="substack")
    text = _text(archive.read_member(zipped, posts_csv), "posts.csv")
    rows = csv.DictReader(io.StringIO(text))
    needed = {"post_id", "title"}
    if not rows.fieldnames or not needed <= {f.strip() for f in rows.fieldnames}:
        raise ImportRefused(
            f"posts.csv in {path.name} has no post_id and title columns.", code="bad_csv"
        )
    line = 1
    try:
        for row in rows:
            line += 1
            post_id = (row.get("post_id") or "").strip()
            number, _, slug_part = post_id.partition(".")
            title = (row.get("title") or "").strip()
            label = f"post {title!r} (posts.csv line {line})"
            kind = (row.get("type") or "newsletter").strip()
            if kind not in {"newsletter", "podcast", ""}:
                bundle.skipped.append((label, f"a Substack {kind}, not a post"))
                continue
            info = html_files.get(f"{post_id}.html")
            body = ""
            if info is not None:
                body = tomarkdown.convert(
                    _text(archive.read_member(zipped, info, limit=MAX_POST_BYTES), info.filename)
                )
            elif (row.get("is_published") or "").lower() == "true":
                bundle.skipped.append(
                    (label, "its HTML file is missing from the export; imported without a body")
                )
            subtitle = (row.get("subtitle") or "").strip()
            published = (row.get("is_published") or "").strip().lower() == "true"
            date = parse_datetime((row.get("post_date") or "").strip().replace(" ", "T", 1))
            if date is not None and is_naive(date):
                date = make_aware(date)
            slug = slugify(slug_part) or slugify(title) or f"post-{number or line}"
            audience = (row.get("audience") or "everyone").strip()
            bundle.posts.append(
                PostRecord(
                    key=number or post_id or slug,
                    title=title or slug,
                    slug=slug,
                    body=body,
                    status="published" if published else "draft",
                    published_at=date if published else None,
                    excerpt=subtitle,
                    members_only=audience not in {"everyone", ""},
                    old_paths=[f"/p/{slug_part}/"] if slug_part and published else [],
                    label=label,
                )
            )
    except csv.Error as exc:
        raise ImportRefused(
            f"posts.csv line {line} cannot be read: {exc}.", code="bad_csv"
        ) from None
    lists = [
        info
        for name, info in members.items()
        if PurePosixPath(name).name.startswith("email_list") and name.endswith(".csv")
    ]
    if lists:
        bundle.members = csvmembers.members_from_stream(
            archive.open_member(zipped, lists[0]), lists[0].filename
        )
    bundle.notes.append(
        f"Read a Substack export ({len(bundle.posts)} posts); "
        "images stay on Substack's image service; the export names no authors."
    )
    return bundle
