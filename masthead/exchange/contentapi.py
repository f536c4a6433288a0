"""A read-only Content API in Ghost's shapes, at ``/ghost/api/content/…``.

Front ends, apps and static-site builders written for Ghost's Content API (and its official
JavaScript client) read Masthead with it unchanged: the same resources (posts, pages, tags,
authors, settings), the same ``key``, ``include``, ``fields``, ``formats``, ``filter``,
``limit``, ``page`` and ``order`` parameters, the same JSON and ``meta.pagination``.

What a key can read is what a visitor can: published posts only, and a members-only post
without its body (``html`` and ``plaintext`` empty, ``access`` false), whoever sends the
request. Masthead has no separate pages, so ``pages`` is always an empty list.

Ids are the row's number as 24 hex digits, the shape of Ghost's ids. Answers are cached in
Django's cache under the page cache's content version, so any edit is seen at once.
Errors carry the site's one envelope plus Ghost's ``errors`` list, which Ghost's clients read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.views.decorators.csrf import csrf_exempt

from masthead import errors
from masthead.blog import markdown
from masthead.blog.models import AuthorProfile, Post, PostTag, Tag, authors_in_order
from masthead.core import pagecache
from masthead.core.stores import store_errors
from masthead.errors import MastheadError
from masthead.exchange import keys, nql

DEFAULT_LIMIT = 15
GHOST_ERROR_TYPES = {400: "BadRequestError", 401: "UnauthorizedError", 404: "NotFoundError"}


def max_limit() -> int:
    return int(getattr(settings, "MASTHEAD_CONTENT_API_MAX_LIMIT", 100))


# --- ids, urls, dates --------------------------------------------------------------------


def ghost_id(pk: int) -> str:
    return f"{pk:024x}"


def pk_from_id(value: object) -> int:
    try:
        return int(str(value), 16)
    except ValueError:
        return -1


def _abs(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z") if value else None


# --- serialising -------------------------------------------------------------------------


def _with_count(data: dict[str, Any], count: int | None) -> dict[str, Any]:
    """A tag or author with ``include=count.posts`` carries its number of published posts."""
    if count is not None:
        data["count"] = {"posts": count}
    return data


def tag_json(tag: Tag, *, count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ghost_id(tag.pk),
        "name": tag.name,
        "slug": tag.slug,
        "description": tag.description or None,
        "feature_image": None,
        "visibility": "public",
        "og_image": None,
        "og_title": None,
        "og_description": None,
        "twitter_image": None,
        "twitter_title": None,
        "twitter_description": None,
        "meta_title": None,
        "meta_description": None,
        "codeinjection_head": None,
        "codeinjection_foot": None,
        "canonical_url": None,
        "accent_color": None,
        "url": _abs(tag.get_absolute_url()),
    }
    return _with_count(data, count)


def author_json(profile: AuthorProfile, *, count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ghost_id(profile.user_id),
        "name": profile.display_name,
        "slug": profile.slug,
        "profile_image": _abs(profile.avatar.url) if profile.avatar else None,
        "cover_image": None,
        "bio": profile.bio or None,
        "website": None,
        "location": None,
        "facebook": None,
        "twitter": None,
        "meta_title": None,
        "meta_description": None,
        "url": _abs(profile.get_absolute_url()),
    }
    return _with_count(data, count)


def post_json(post: Post, *, formats: set[str], include: set[str]) -> dict[str, Any]:
    public = not post.is_members_only
    hero = _abs(post.hero_image.url) if post.hero_image else None
    excerpt = post.excerpt or (markdown.plain_text(post.body_html)[:500] if public else "")
    data: dict[str, Any] = {
        "id": ghost_id(post.pk),
        "uuid": None,
        "title": post.title,
        "slug": post.slug,
    }
    if "html" in formats:
        data["html"] = post.body_html if public else ""
    if "plaintext" in formats:
        data["plaintext"] = markdown.plain_text(post.body_html) if public else ""
    data.update(
        {
            "comment_id": str(post.pk),
            "feature_image": hero,
            "feature_image_alt": post.hero_alt or None,
            "feature_image_caption": post.hero_caption or None,
            "featured": post.featured,
            "visibility": "members" if post.is_members_only else "public",
            "created_at": _iso(post.created_at),
            "updated_at": _iso(post.updated_at),
            "published_at": _iso(post.published_at),
            "custom_excerpt": post.excerpt or None,
            "codeinjection_head": None,
            "codeinjection_foot": None,
            "custom_template": None,
            "canonical_url": post.canonical_url or None,
            "url": _abs(post.get_absolute_url()),
            "excerpt": excerpt,
            "reading_time": post.reading_time,
            "access": public,
            "comments": False,
            "og_image": None,
            "og_title": None,
            "og_description": None,
            "twitter_image": None,
            "twitter_title": None,
            "twitter_description": None,
            "meta_title": post.meta_title or None,
            "meta_description": post.meta_description or None,
            "email_subject": None,
            "frontmatter": None,
        }
    )
    if "tags" in include:
        tags = [tag_json(tag) for tag in post.ordered_tags]
        data["tags"] = tags
        data["primary_tag"] = tags[0] if tags else None
    if "authors" in include:
        authors = [author_json(profile) for profile in post.author_profiles]
        data["authors"] = authors
        data["primary_author"] = authors[0] if authors else None
    return data


# --- parameters ---------------------------------------------------------------------------


def _csv(request: HttpRequest, name: str) -> list[str]:
    return [part.strip() for part in request.GET.get(name, "").split(",") if part.strip()]


def _limit(request: HttpRequest) -> int:
    raw = request.GET.get("limit", str(DEFAULT_LIMIT)).strip()
    if raw == "all":
        return max_limit()
    if not raw.isdigit() or int(raw) < 1:
        raise MastheadError("invalid_limit", "limit must be a whole number above 0, or all.")
    return min(int(raw), max_limit())


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1").strip()
    if not raw.isdigit() or int(raw) < 1:
        raise MastheadError("invalid_page", "page must be a whole number above 0.")
    return int(raw)


def _order(request: HttpRequest, allowed: dict[str, str], default: list[str]) -> list[str]:
    raw = request.GET.get("order", "").strip()
    if not raw:
        return default
    result = []
    for clause in raw.split(","):
        parts = clause.split()
        if not parts or len(parts) > 2 or parts[0] not in allowed:
            raise MastheadError(
                "invalid_order",
                f"Cannot order by {clause.strip()!r}: use one of {sorted(allowed)}.",
            )
        direction = parts[1].lower() if len(parts) == 2 else "asc"
        if direction not in {"asc", "desc"}:
            raise MastheadError(
                "invalid_order", f"Order direction must be asc or desc, not {parts[1]!r}."
            )
        result.append(("-" if direction == "desc" else "") + allowed[parts[0]])
    return result


# --- filters -------------------------------------------------------------------------------


def _as_datetime(field: str, value: object) -> datetime:
    text = str(value)
    parsed = parse_datetime(text.replace(" ", "T", 1)) if ("T" in text or " " in text) else None
    if parsed is None and (day := parse_date(text)) is not None:
        parsed = datetime(day.year, day.month, day.day)
    if parsed is None:
        raise nql.invalid(f"{field} needs a date like 2024-05-01 or '2024-05-01 10:00:00'.")
    return make_aware(parsed) if is_naive(parsed) else parsed


Lookup = Callable[[str, object], Q]


def _plain(column: str, kind: str = "text") -> Lookup:
    def build(op: str, value: object) -> Q:
        def convert(item: object) -> object:
            if kind == "id":
                return pk_from_id(item)
            if kind == "date":
                return _as_datetime(column, item)
            if kind == "bool":
                if item not in (True, False):
                    raise nql.invalid(f"{column} is true or false.")
                return item
            return "" if item is None else str(item)

        if op in {"in", "not in"}:
            query = Q(**{f"{column}__in": [convert(v) for v in value]})  # type: ignore[attr-defined]
            return ~query if op == "not in" else query
        if op in {"~", "!~"}:
            query = Q(**{f"{column}__icontains": str(value)})
            return ~query if op == "!~" else query
        suffix = {"=": "", "!=": "", ">": "__gt", ">=": "__gte", "<": "__lt", "<=": "__lte"}[op]
        if kind == "text" and suffix:
            raise nql.invalid(f"{column} cannot be compared with {op!r}.")
        query = Q(**{f"{column}{suffix}": convert(value)})
        return ~query if op == "!=" else query

    return build


def _through(linked: Callable[[list[str]], QuerySet[Any]]) -> Lookup:
    """A post filter on a related row's slug (tag:, author:, primary_tag:, …)."""

    def build(op: str, value: object) -> Q:
        if op not in {"=", "!=", "in", "not in"}:
            raise nql.invalid(f"tags and authors are matched with ':' or ':[…]', not {op!r}.")
        values = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        query = Q(pk__in=linked(values))
        return ~query if op in {"!=", "not in"} else query

    return build


def _post_fields() -> dict[str, Lookup]:
    user_model = get_user_model()

    def tags(values: list[str]) -> QuerySet[Any]:
        return PostTag.objects.filter(tag__slug__in=values).values("post_id")

    def primary_tags(values: list[str]) -> QuerySet[Any]:
        return PostTag.objects.filter(tag__slug__in=values, position=0).values("post_id")

    def authors(values: list[str]) -> QuerySet[Any]:
        through = Post.authors.through
        users = user_model.objects.filter(author_profile__slug__in=values).values("pk")
        return through.objects.filter(user_id__in=users).values("post_id")

    def primary_authors(values: list[str]) -> QuerySet[Any]:
        # The first author is the lowest link id (the order they were added in).
        through = Post.authors.through
        firsts = (
            through.objects.values("post_id")
            .annotate(first=Min("id"))
            .values_list(  # type: ignore[misc]
                "first", flat=True
            )
        )
        users = user_model.objects.filter(author_profile__slug__in=values).values("pk")
        return through.objects.filter(id__in=firsts, user_id__in=users).values("post_id")

    return {
        "id": _plain("pk", "id"),
        "slug": _plain("slug"),
        "title": _plain("title"),
        "featured": _plain("featured", "bool"),
        "visibility": _plain("visibility"),
        "published_at": _plain("published_at", "date"),
        "updated_at": _plain("updated_at", "date"),
        "created_at": _plain("created_at", "date"),
        "tag": _through(tags),
        "tags": _through(tags),
        "tags.slug": _through(tags),
        "primary_tag": _through(primary_tags),
        "primary_tag.slug": _through(primary_tags),
        "author": _through(authors),
        "authors": _through(authors),
        "authors.slug": _through(authors),
        "primary_author": _through(primary_authors),
        "primary_author.slug": _through(primary_authors),
    }


TAG_FIELDS: dict[str, Lookup] = {
    "id": _plain("pk", "id"),
    "slug": _plain("slug"),
    "name": _plain("name"),
}
AUTHOR_FIELDS: dict[str, Lookup] = {
    "id": _plain("user_id", "id"),
    "slug": _plain("slug"),
    "name": _plain("display_name"),
}


def _to_q(node: nql.Node, fields: dict[str, Lookup]) -> Q:
    if isinstance(node, nql.Group):
        parts = [_to_q(item, fields) for item in node.items]
        result = parts[0]
        for part in parts[1:]:
            result = (result & part) if node.kind == "and" else (result | part)
        return result
    if node.field == "status":
        if node.op == "=" and node.value == "published":
            return Q()
        return Q(pk__in=[])  # the Content API only ever shows published posts
    if node.field == "visibility" and fields is not TAG_FIELDS and fields is not AUTHOR_FIELDS:
        return fields["visibility"](node.op, node.value)
    if node.field == "visibility":  # tags and authors are all public
        return Q() if node.value == "public" else Q(pk__in=[])
    lookup = fields.get(node.field)
    if lookup is None:
        raise nql.invalid(f"{node.field!r} is not a field that can be filtered on here.")
    return lookup(node.op, node.value)


def _filter(request: HttpRequest, fields: dict[str, Lookup]) -> Q:
    raw = request.GET.get("filter", "").strip()
    return _to_q(nql.parse(raw), fields) if raw else Q()


# --- answers ---------------------------------------------------------------------------------


def _pagination(total: int, page: int, limit: int) -> dict[str, Any]:
    pages = max(1, -(-total // limit))
    return {
        "page": page,
        "limit": limit,
        "pages": pages,
        "total": total,
        "next": page + 1 if page < pages else None,
        "prev": page - 1 if page > 1 else None,
    }


def _only(items: list[dict[str, Any]], request: HttpRequest) -> list[dict[str, Any]]:
    fields = _csv(request, "fields")
    if not fields:
        return items
    return [{name: item[name] for name in fields if name in item} for item in items]


def _read_or_browse(
    request: HttpRequest,
    lookup: dict[str, str],
    queryset: QuerySet[Any],
    name: str,
    render: Callable[[Any], dict[str, Any]],
    *,
    fields: dict[str, Lookup],
    order: dict[str, str],
    default_order: list[str],
) -> dict[str, Any]:
    """One row when the URL names one (``lookup``: by id or slug), else a page of rows."""
    if lookup:
        row = queryset.filter(**lookup).first()
        if row is None:
            raise MastheadError("not_found", f"There is no such {name[:-1]}.", status=404)
        return {name: _only([render(row)], request)}
    limit, page = _limit(request), _page(request)
    queryset = queryset.filter(_filter(request, fields)).order_by(
        *_order(request, order, default_order), "pk"
    )
    total = queryset.count()
    rows = list(queryset[(page - 1) * limit : page * limit])
    return {
        name: _only([render(row) for row in rows], request),
        "meta": {"pagination": _pagination(total, page, limit)},
    }


def _posts_queryset() -> QuerySet[Post]:
    return Post.objects.published().prefetch_related(
        Prefetch("post_tags", queryset=PostTag.objects.select_related("tag")),
        Prefetch(
            "authors",
            queryset=authors_in_order(get_user_model().objects.select_related("author_profile")),
        ),
    )


POST_ORDER = {
    "published_at": "published_at",
    "updated_at": "updated_at",
    "created_at": "created_at",
    "title": "title",
    "slug": "slug",
    "featured": "featured",
    "id": "pk",
}


def _post_renderer(request: HttpRequest) -> Callable[[Post], dict[str, Any]]:
    formats = set(_csv(request, "formats")) or {"html"}
    unknown = formats - {"html", "plaintext", "mobiledoc", "lexical"}
    if unknown:
        raise MastheadError(
            "invalid_formats", f"Unknown format {sorted(unknown)[0]!r}: use html or plaintext."
        )
    include = set(_csv(request, "include"))
    return lambda post: post_json(post, formats=formats, include=include)


def _count_include(request: HttpRequest) -> bool:
    return "count.posts" in _csv(request, "include")


def _tags_queryset() -> QuerySet[Tag]:
    published = Post.objects.published()
    return Tag.objects.annotate(
        post_count=Count("post_links", filter=Q(post_links__post__in=published), distinct=True)
    )


def _authors_queryset() -> QuerySet[AuthorProfile]:
    published = Post.objects.published()
    return AuthorProfile.objects.annotate(
        post_count=Count("user__posts", filter=Q(user__posts__in=published), distinct=True)
    )


def _counted_renderer(
    request: HttpRequest, render: Callable[..., dict[str, Any]]
) -> Callable[[Any], dict[str, Any]]:
    """``render(row, count=...)`` with the row's post count when ``include=count.posts``."""
    count = _count_include(request)
    return lambda row: render(row, count=row.post_count if count else None)


def _answer(request: HttpRequest, resource: str, lookup: dict[str, str]) -> dict[str, Any]:
    if resource == "settings":
        return {"settings": site_settings(), "meta": {}}
    if resource == "pages":
        if lookup:
            raise MastheadError("not_found", "There is no such page.", status=404)
        _limit(request), _page(request)
        return {
            "pages": [],
            "meta": {"pagination": _pagination(0, _page(request), _limit(request))},
        }
    if resource == "posts":
        return _read_or_browse(
            request,
            lookup,
            _posts_queryset(),
            "posts",
            _post_renderer(request),
            fields=_post_fields(),
            order=POST_ORDER,
            default_order=["-published_at"],
        )
    if resource == "tags":
        return _read_or_browse(
            request,
            lookup,
            _tags_queryset(),
            "tags",
            _counted_renderer(request, tag_json),
            fields=TAG_FIELDS,
            order={"name": "name", "slug": "slug", "id": "pk", "count.posts": "post_count"},
            default_order=["name"],
        )
    if "pk" in lookup:  # an author's id is its user's
        lookup = {"user_id": lookup["pk"]}
    return _read_or_browse(
        request,
        lookup,
        _authors_queryset(),
        "authors",
        _counted_renderer(request, author_json),
        fields=AUTHOR_FIELDS,
        order={
            "name": "display_name",
            "slug": "slug",
            "id": "user_id",
            "count.posts": "post_count",
        },
        default_order=["display_name"],
    )


def site_settings() -> dict[str, Any]:
    return {
        "title": settings.SITE_NAME,
        "description": settings.SITE_DESCRIPTION,
        "logo": None,
        "icon": None,
        "accent_color": None,
        "cover_image": None,
        "facebook": None,
        "twitter": None,
        "lang": settings.LANGUAGE_CODE,
        "locale": settings.LANGUAGE_CODE,
        "timezone": settings.TIME_ZONE,
        "codeinjection_head": None,
        "codeinjection_foot": None,
        "navigation": [],
        "secondary_navigation": [],
        "meta_title": None,
        "meta_description": None,
        "og_image": None,
        "og_title": None,
        "og_description": None,
        "twitter_image": None,
        "twitter_title": None,
        "twitter_description": None,
        "members_support_address": None,
        "url": settings.SITE_URL + "/",
    }


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Accept-Version, Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _error(exc: MastheadError) -> HttpResponse:
    response = errors.envelope(exc.status, exc.code, exc.message)
    body = json.loads(response.content)
    body["errors"] = [
        {
            "message": exc.message,
            "context": None,
            "type": GHOST_ERROR_TYPES.get(exc.status, "BadRequestError"),
            "code": exc.code.upper(),
        }
    ]
    response.content = json.dumps(body).encode()
    return _cors(response)


def _cache_key(request: HttpRequest) -> str:
    params = sorted((k, v) for k, v in request.GET.items() if k != "key")
    raw = f"{request.path}?{params!r}"
    return f"contentapi:{pagecache.version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _cached_answer(request: HttpRequest, resource: str, lookup: dict[str, str]) -> bytes:
    seconds = settings.PAGE_CACHE_SECONDS
    if seconds <= 0:
        return json.dumps(_answer(request, resource, lookup)).encode()
    try:
        key = _cache_key(request)
        body = cache.get(key)
    except store_errors():
        return json.dumps(_answer(request, resource, lookup)).encode()
    if body is None:
        body = json.dumps(_answer(request, resource, lookup)).encode()
        try:
            cache.set(key, body, seconds)
        except store_errors():
            pass
    return bytes(body)


@csrf_exempt
def endpoint(request: HttpRequest, resource: str, ident: str = "", slug: str = "") -> HttpResponse:
    """Every Content API resource: browse, read by id, read by slug."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204))
    if request.method not in {"GET", "HEAD"}:
        return _error(
            MastheadError("method_not_allowed", "The Content API only reads.", status=405)
        )
    if not keys.content_key_valid(request.GET.get("key", "").strip()):
        return _error(
            MastheadError(
                "invalid_content_key",
                "Unknown Content API Key: ask the publication for a key (content_key create).",
                status=401,
            )
        )
    lookup: dict[str, str] = {}
    if ident:
        lookup = {"pk": str(pk_from_id(ident))}
    elif slug:
        lookup = {"slug": slug}
    try:
        body = _cached_answer(request, resource, lookup)
    except MastheadError as exc:
        return _error(exc)
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "public, max-age=0"
    return _cors(response)
