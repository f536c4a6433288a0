"""What every importer reads an export into, whatever platform it came from.

Each reader (``ghost``, ``wordpress``, ``substack``, and Masthead's own archive) turns its
file into a ``Bundle`` of these records; ``importer.bundle_import`` writes a bundle in one
transaction. A record's ``label`` names it in messages ("post 'hello-world' (id 12)").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from masthead.errors import MastheadError


class ImportRefused(MastheadError):
    """The file cannot be imported; nothing was written. ``message`` names the record."""

    def __init__(self, message: str, *, code: str = "import_refused") -> None:
        super().__init__(code, message, status=400)


@dataclass
class AuthorRecord:
    key: str
    name: str
    email: str
    slug: str = ""
    bio: str = ""
    label: str = ""


@dataclass
class TagRecord:
    key: str
    name: str
    slug: str
    description: str = ""


@dataclass
class PostRecord:
    key: str
    title: str
    slug: str
    body: str  # Markdown
    status: str = "draft"  # draft | scheduled | published
    published_at: datetime | None = None
    created_at: datetime | None = None
    excerpt: str = ""
    featured: bool = False
    members_only: bool = False
    tag_keys: list[str] = field(default_factory=list)
    author_keys: list[str] = field(default_factory=list)
    hero: str = ""  # an address or a path in the media folder
    hero_alt: str = ""
    hero_caption: str = ""
    meta_title: str = ""
    meta_description: str = ""
    canonical_url: str = ""
    old_paths: list[str] = field(default_factory=list)  # redirected to the post
    old_slugs: list[str] = field(default_factory=list)
    label: str = ""


@dataclass
class MemberRecord:
    email: str
    subscribed: bool
    name: str = ""
    labels: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    label: str = ""


@dataclass
class Bundle:
    source: str  # ghost | wordpress | substack | masthead
    authors: list[AuthorRecord] = field(default_factory=list)
    tags: list[TagRecord] = field(default_factory=list)
    posts: list[PostRecord] = field(default_factory=list)
    members: Iterable[MemberRecord] = ()
    redirects: dict[str, str] = field(default_factory=dict)  # old path -> new path
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (record, reason)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool = False
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    redirects: int = 0
    media: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, bucket: dict[str, int], kind: str, n: int = 1) -> None:
        bucket[kind] = bucket.get(kind, 0) + n

    def lines(self) -> list[str]:
        def fmt(bucket: dict[str, int]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(bucket.items())) or "nothing"

        head = "Dry run (nothing was saved)" if self.dry_run else "Import finished"
        out = [
            f"{head}.",
            f"Created: {fmt(self.created)}.",
            f"Updated: {fmt(self.updated)}.",
            f"Unchanged: {fmt(self.unchanged)}.",
            f"Media files stored: {self.media}.",
            f"Redirects added: {self.redirects}.",
            f"Skipped: {len(self.skipped)}.",
        ]
        out += [f"  - {record}: {reason}" for record, reason in self.skipped]
        out += [f"Note: {note}" for note in self.notes]
        return out
