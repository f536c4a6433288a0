"""The publication's settings as every request sees them, and the one way to change them.

The row lives in the database (``core.Publication``, pk 1); its first values come from the
environment (``MASTHEAD_SITE_NAME``, ``MASTHEAD_SITE_DESCRIPTION``, ``MASTHEAD_TIME_ZONE``).
After that the environment no longer matters: the newsroom edits the row.

Every web node must apply a change as soon as it shows the public pages that change drops:
a process keeps the settings it read under the page cache's content version, which every
save moves on and which each process re-reads at most once a second
(``masthead.core.pagecache``). A new version reads one key from Django's shared cache
(Redis in production), and the database when the key is missing or the store is down;
a read that fell back to the environment's values is never kept (with
``MASTHEAD_FRAGMENT_CACHE_SECONDS=0`` nothing is kept: every request reads). A save
(``publication_update``) raises ``version``, writes the new value to the shared cache
after the commit and bumps the page cache, so public pages rendered with the old name,
logo or colours are dropped too (ADR 0510). Readers that miss the cache fill it with
``cache.add``: a reader that loaded the row just before a save can never overwrite the
value the save wrote.
"""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import asdict, dataclass, field
from functools import cache as memoize
from typing import Any

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, transaction
from django.http import HttpRequest

from masthead.core import pagecache
from masthead.core.models import Publication
from masthead.core.stores import store_errors

log = logging.getLogger(__name__)

CACHE_KEY = "publication:current"
_REQUEST_ATTR = "_masthead_publication"
DEFAULT_ACCENT = "#3a2fd1"
LIGHT_BACKGROUNDS = ("#ffffff", "#fbfaf7")  # site.css --surface and --bg
DARK_BACKGROUNDS = ("#121316", "#22252a")  # site.css dark --bg and --surface-2
MIN_CONTRAST = 4.5  # WCAG 2.2 AA for body-size text
IMAGE_FIELDS = ("logo", "icon", "social_image")

DEFAULT_NAVIGATION = [
    {"label": "Blog", "url": "/blog/"},
    {"label": "Tools", "url": "/tools/"},
]
DEFAULT_FOOTER_LINKS = [
    {"label": "Blog", "url": "/blog/"},
    {"label": "Tools", "url": "/tools/"},
    {"label": "Archive", "url": "/archive/"},
    {"label": "Search", "url": "/search/"},
    {"label": "RSS", "url": "/feed/rss/"},
]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Look:
    """What templates, feeds and meta tags read; plain values, safe to cache anywhere."""

    name: str
    description: str
    accent: str = DEFAULT_ACCENT
    logo_url: str = ""
    icon_url: str = ""
    social_image_url: str = ""
    navigation: tuple[Link, ...] = ()
    footer_links: tuple[Link, ...] = ()
    time_zone: str = "UTC"
    version: int = 0
    theme: dict[str, str] = field(default_factory=dict)

    @property
    def custom_theme(self) -> bool:
        return self.accent.lower() != DEFAULT_ACCENT

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def social_image_absolute(self) -> str:
        if not self.social_image_url:
            return ""
        return f"{settings.SITE_URL}{self.social_image_url}"


def seed_values() -> dict[str, Any]:
    """The first values of the row: the environment, where it says anything."""
    zone = settings.TIME_ZONE if settings.TIME_ZONE in available_zones() else "UTC"
    return {
        "name": settings.SITE_NAME,
        "description": settings.SITE_DESCRIPTION,
        "navigation": DEFAULT_NAVIGATION,
        "footer_links": DEFAULT_FOOTER_LINKS,
        "time_zone": zone,
    }


def from_settings() -> Look:
    """The look when the database cannot be read (error pages during an outage)."""
    values = seed_values()
    return Look(
        name=values["name"],
        description=values["description"],
        navigation=_links(values["navigation"]),
        footer_links=_links(values["footer_links"]),
        theme=theme_for(DEFAULT_ACCENT),
    )


def _links(items: list[dict[str, str]]) -> tuple[Link, ...]:
    return tuple(Link(label=str(i["label"]), url=str(i["url"])) for i in items)


def _file_url(file: Any) -> str:
    return str(file.url) if file else ""


def look_of(row: Publication) -> Look:
    return Look(
        name=row.name,
        description=row.description,
        accent=row.accent_color,
        logo_url=_file_url(row.logo),
        icon_url=_file_url(row.icon),
        social_image_url=_file_url(row.social_image),
        navigation=_links(row.navigation),
        footer_links=_links(row.footer_links),
        time_zone=row.time_zone,
        version=row.version,
        theme=theme_for(row.accent_color),
    )


def row_get() -> Publication:
    """The row, created from the seed values the first time it is asked for."""
    row, _ = Publication.objects.get_or_create(pk=1, defaults=seed_values())
    return row


def _from_dict(data: dict[str, Any]) -> Look:
    return Look(
        **{
            **data,
            "navigation": _links(data["navigation"]),
            "footer_links": _links(data["footer_links"]),
        }
    )


def _load() -> tuple[Look, bool]:
    """The settings, and whether they came from the row (or its cached copy)."""
    try:
        data = cache.get(CACHE_KEY)
    except store_errors() as exc:
        log.warning("publication cache unavailable, reading the database: %s", exc)
        data = None
        store_up = False
    else:
        store_up = True
    if data is not None:
        return _from_dict(data), True
    try:
        look = look_of(row_get())
    except DatabaseError:
        log.exception("publication settings unreadable; using the environment's values")
        return from_settings(), False
    if store_up:
        try:
            cache.add(CACHE_KEY, asdict(look), timeout=None)
        except store_errors():
            pass
    return look, True


class _FromEnvironment(Exception):
    """The row could not be read: the environment's values, served but never kept."""

    def __init__(self, look: Look) -> None:
        self.look = look


def _load_from_row() -> Look:
    look, from_row = _load()
    if not from_row:
        raise _FromEnvironment(look)
    return look


def _load_kept() -> Look:
    """The settings for the current content version, read once per version per process
    (``pagecache.memo``, cleared with the process's other copies)."""
    try:
        return pagecache.memo(("publication",), _load_from_row)
    except _FromEnvironment as unread:
        return unread.look


# The look read during the request being served (views, SEO, feeds and emails call
# current() without the request): one read per request, none kept between requests, and
# none at all outside a request (a worker reads afresh every time).
_serving = Local()


def _request_began(**_: Any) -> None:
    _serving.active, _serving.look = True, None


def _request_ended(**_: Any) -> None:
    _serving.active, _serving.look = False, None


request_started.connect(_request_began, dispatch_uid="publication_request_began")
request_finished.connect(_request_ended, dispatch_uid="publication_request_ended")


def current(request: HttpRequest | None = None) -> Look:
    """The publication as this request sees it (read once per request)."""
    look = getattr(request, _REQUEST_ATTR, None) if request is not None else None
    if look is None and getattr(_serving, "active", False):
        look = _serving.look
    if look is None:
        look = _load_kept()
        if getattr(_serving, "active", False):
            _serving.look = look
    if request is not None:
        setattr(request, _REQUEST_ATTR, look)
    return look


def publication_update(
    *,
    values: dict[str, Any],
    images: dict[str, bytes | None] | None = None,
) -> Publication:
    """Save new settings; every node shows them on its next request.

    ``values`` holds model fields (already validated); ``images`` maps an image field to
    new PNG bytes, or to None to remove the image. Files replaced or removed are deleted
    after the commit. Raises ``ValueError`` for a field that is not a setting.
    """
    allowed = {"name", "description", "accent_color", "navigation", "footer_links", "time_zone"}
    if unknown := set(values) - allowed:
        raise ValueError(f"not publication settings: {sorted(unknown)}")
    images = images or {}
    with transaction.atomic():
        row_get()
        row = Publication.objects.select_for_update().get(pk=1)
        stale = _apply_images(row, images)
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
        row.save()
        look = look_of(row)
        transaction.on_commit(lambda: _published(look, stale))
    return row


def _apply_images(row: Publication, images: dict[str, bytes | None]) -> list[str]:
    stale = []
    for name, data in images.items():
        if name not in IMAGE_FIELDS:
            raise ValueError(f"not a publication image: {name}")
        file = getattr(row, name)
        if file:
            stale.append(file.name)
        if data is None:
            setattr(row, name, "")
        else:
            file.save(f"{name}.png", ContentFile(data), save=False)
    return stale


def _published(look: Look, stale: list[str]) -> None:
    try:
        cache.set(CACHE_KEY, asdict(look), timeout=None)
    except store_errors() as exc:
        # Readers fall back to the database while the store is down; the stale entry (if
        # the store comes back with it) must not outlive this change.
        log.warning("publication cache not updated: %s", exc)
    pagecache.bump(site_wide=True)  # the name, design and links are on every page
    from django.core.files.storage import default_storage

    for name in stale:
        default_storage.delete(name)


@memoize
def available_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


# --- Colours ---------------------------------------------------------------------------


def parse_hex(value: str) -> tuple[int, int, int]:
    """``#rrggbb`` (or ``#rgb``) as integers; raises ValueError for anything else."""
    text = value.strip().lower()
    if not text.startswith("#") or len(text) not in (4, 7):
        raise ValueError(value)
    digits = text[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    if any(c not in "0123456789abcdef" for c in digits):
        raise ValueError(value)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1.0 to 21.0)."""
    la, lb = sorted((_luminance(parse_hex(a)), _luminance(parse_hex(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(a: str, b: str, share_of_a: float) -> str:
    ra, rb = parse_hex(a), parse_hex(b)
    red, green, blue = (
        round(x * share_of_a + y * (1 - share_of_a)) for x, y in zip(ra, rb, strict=True)
    )
    return to_hex((red, green, blue))


def light_contrast(accent: str) -> float:
    """The accent's worst contrast on the light theme (links on the page, white on buttons)."""
    return min(contrast(accent, background) for background in LIGHT_BACKGROUNDS)


def dark_variant(accent: str) -> str:
    """The accent lightened just enough to read on the dark theme's backgrounds."""
    for step in range(0, 101, 5):
        candidate = _mix("#ffffff", accent, step / 100)
        if min(contrast(candidate, bg) for bg in DARK_BACKGROUNDS) >= MIN_CONTRAST:
            return candidate
    return "#ffffff"


def theme_for(accent: str) -> dict[str, str]:
    """CSS custom properties for both colour schemes, derived from one accent."""
    dark = dark_variant(accent)
    return {
        "light_accent": accent,
        "light_soft": _mix(accent, "#ffffff", 0.1),
        "dark_accent": dark,
        "dark_soft": _mix(dark, "#121316", 0.2),
    }
