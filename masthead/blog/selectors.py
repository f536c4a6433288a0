"""Reads for the blog: published lists, related posts, tags, authors and search.

Every list a reader sees starts from ``Post.objects.published()`` and prefetches tags and
authors, so a page costs a fixed number of queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Field, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.expressions import Expression
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from masthead.blog import markdown
from masthead.blog.markdown import TOOL_SLOT
from masthead.blog.models import (
    AuthorProfile,
    Post,
    PostTag,
    PreviewLink,
    SlugRedirect,
    Tag,
    authors_in_order,
)
from masthead.tools import registry

SEARCH_LIMIT = 50


def _relations() -> tuple[Prefetch[Any], ...]:
    return (
        Prefetch("post_tags", queryset=PostTag.objects.select_related("tag")),
        Prefetch(
            "authors",
            queryset=authors_in_order(get_user_model().objects.select_related("author_profile")),
        ),
    )


def _with_relations(queryset: QuerySet[Post]) -> QuerySet[Post]:
    return queryset.prefetch_related(*_relations())


def post_list_published(
    *, tag: Tag | None = None, author: AuthorProfile | None = None
) -> QuerySet[Post]:
    queryset = Post.objects.published()
    if tag is not None:
        queryset = queryset.filter(post_tags__tag=tag)
    if author is not None:
        queryset = queryset.filter(authors=author.user_id)
    return _with_relations(queryset.defer("body", "body_html"))


def post_list_featured(*, limit: int = 3) -> list[Post]:
    return list(post_list_published().filter(featured=True)[:limit])


def post_get_published(*, slug: str) -> Post:
    """The published post with this slug; raises Http404."""
    return get_object_or_404(_with_relations(Post.objects.published()), slug=slug)


def post_get_for_staff(*, slug: str, user: Any) -> Post | None:
    """Any post with this slug, published or not, for signed-in staff who may view posts."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    if not user.has_perm("blog.view_post"):
        return None
    return _with_relations(Post.objects.all()).filter(slug=slug).first()


def post_get_any(*, pk: int) -> Post:
    """A post in any state with what its page shows (tags, authors); raises Http404."""
    return get_object_or_404(_with_relations(Post.objects.all()), pk=pk)


def preview_link_get(*, token: str) -> PreviewLink | None:
    """The preview link with this token (active or not), with its post."""
    if not token or len(token) > 64:
        return None
    link = PreviewLink.objects.filter(token=token).first()
    if link is not None:
        link.post = _with_relations(Post.objects.all()).get(pk=link.post_id)
    return link


def post_get_for_page(*, slug: str) -> Post:
    """The published post with this slug, without its relations (one query); Http404."""
    return get_object_or_404(Post.objects.published().defer("body"), slug=slug)


def post_with_relations(*, post: Post) -> Post:
    """``post`` with its tags and authors loaded (two queries), as the lists load them."""
    prefetch_related_objects([post], *_relations())
    return post


def post_get_redirect(*, slug: str) -> Post | None:
    """The published post that used to have this slug, if any."""
    found = SlugRedirect.objects.filter(old_slug=slug).select_related("post").first()
    if found is None or not Post.objects.published().filter(pk=found.post_id).exists():
        return None
    return found.post


def post_list_related(*, post: Post, limit: int = 3, relations: bool = True) -> list[Post]:
    """The live posts sharing the most tags with ``post``, newest first on ties.

    Ranked when tags or publication change and stored on the post (ADR 0107), so a page
    reads them by primary key whatever the site's size; a post unpublished or deleted
    since the ranking is skipped (the list keeps spares). ``relations=False`` leaves their
    tags and authors to the caller (``post_page_load`` fetches them with the post's own).
    """
    ids = [pk for pk in post.related_ids if pk != post.pk]
    if not ids:
        return []
    # By primary key, liveness checked per row: filtering with published() made SQLite
    # walk its status index over every live post (1.5 ms at 5,000 posts; ADR 0108).
    now = timezone.now()
    rows = Post.objects.defer("body", "body_html").filter(pk__in=ids)
    live = {p.pk: p for p in rows if p.is_live(now)}
    shown = [live[pk] for pk in ids if pk in live][:limit]
    if relations:
        prefetch_related_objects(shown, *_relations())
    return shown


@dataclass(frozen=True, slots=True)
class PostPage:
    """What a post page's pieces show: the post and its related posts, with their tags
    and authors."""

    post: Post
    related: list[Post]


def post_page_load(*, post: Post) -> PostPage:
    """``post``'s related posts, and the tags and authors of all of them: three queries
    (the related posts, then one each for tags and authors of the post and its related
    posts together), where loading them separately took five (ADR 0108)."""
    related = post_list_related(post=post, relations=False)
    prefetch_related_objects([post, *related], *_relations())
    return PostPage(post=post, related=related)


def tag_get(*, slug: str) -> Tag:
    return get_object_or_404(Tag, slug=slug)


def tag_list_with_counts() -> QuerySet[Tag]:
    published = Post.objects.published().values("pk")
    return (
        Tag.objects.annotate(
            post_count=Count("post_links", filter=Q(post_links__post__in=published))
        )
        .filter(post_count__gt=0)
        .order_by("-post_count", "name")
    )


def author_get(*, slug: str) -> AuthorProfile:
    return get_object_or_404(AuthorProfile.objects.select_related("user"), slug=slug)


def author_list() -> QuerySet[AuthorProfile]:
    return AuthorProfile.objects.filter(user__posts__in=Post.objects.published()).distinct()


def archive_posts() -> QuerySet[Post]:
    """Published posts for the archive (titles and dates only), newest first."""
    return Post.objects.published().only("title", "slug", "published_at")


def archive_months(posts: Iterable[Post]) -> list[tuple[Any, list[Post]]]:
    """``posts`` (newest first) grouped by month."""
    months: dict[Any, list[Post]] = {}
    for post in posts:
        assert post.published_at is not None
        months.setdefault(post.published_at.date().replace(day=1), []).append(post)
    return list(months.items())


# --- search -----------------------------------------------------------------------------


def _fts5_query(text: str) -> str:
    """Each word as a quoted prefix term, so reader input is never FTS5 syntax."""
    words = [w.replace('"', "") for w in text.split()[:12]]
    return " ".join(f'"{w}"*' for w in words if w)


def post_search(*, query: str, members: bool = False) -> list[Post]:
    """Full-text search of published posts, best first.

    Visitors search what a visitor can read of a post: title, excerpt, and the body only
    of public posts. ``members=True`` (a signed-in reader, who may read members-only
    posts) searches members-only bodies too. Each audience has its own index (FTS5 table,
    PostgreSQL vector), so a visitor's query never touches hidden text, not even to rank.
    """
    query = query.replace("\x00", " ").strip()[:200]  # PostgreSQL text cannot hold NUL
    if not query:
        return []
    if connection.vendor == "postgresql":
        return _search_postgres(query, members=members)
    return _search_sqlite(query, members=members)


# Ranked by title, then excerpt, then body; newer first on ties. Members search the whole
# index, visitors the one that holds no members-only body (migration 0004).
_FTS_SEARCH = {
    True: "SELECT rowid FROM blog_post_fts WHERE blog_post_fts MATCH %s "
    "ORDER BY bm25(blog_post_fts, 10.0, 4.0, 1.0), rowid DESC LIMIT %s",
    False: "SELECT rowid FROM blog_post_fts_public WHERE blog_post_fts_public MATCH %s "
    "ORDER BY bm25(blog_post_fts_public, 10.0, 4.0, 1.0), rowid DESC LIMIT %s",
}


def _search_sqlite(query: str, *, members: bool) -> list[Post]:
    match = _fts5_query(query)
    if not match:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_FTS_SEARCH[members], [match, SEARCH_LIMIT * 2])
        ranked = [row[0] for row in cursor.fetchall()]
    posts = {p.pk: p for p in post_list_published().filter(pk__in=ranked)}
    return [posts[pk] for pk in ranked if pk in posts][:SEARCH_LIMIT]


class _UndeclaredColumn(Expression):
    """A column that a migration adds and the model does not declare (named, never input)."""

    def __init__(self, table: str, name: str, output_field: Field[Any, Any]) -> None:
        super().__init__(output_field)
        self.table, self.name = table, name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        quote = connection.ops.quote_name
        return f"{quote(self.table)}.{quote(self.name)}", ()


def _search_postgres(query: str, *, members: bool) -> list[Post]:
    # Imported here: psycopg loads with it, which SQLite sites never need.
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

    # Stored, GIN-indexed columns: title A, excerpt B, body C (migration 0003), and the
    # same without members-only bodies (0004), whose positions would give away word order.
    column = "search_vector" if members else "search_vector_public"
    vector = _UndeclaredColumn(Post._meta.db_table, column, SearchVectorField())
    search = SearchQuery(query, search_type="websearch", config="english")
    queryset = (
        post_list_published()
        .alias(vector=vector)
        .filter(vector=search)  # @@, answered from the index
        .annotate(rank=SearchRank(vector, search))
        .order_by("-rank", "-published_at")
    )
    return list(queryset[:SEARCH_LIMIT])


# --- display helpers --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BodySegment:
    html: SafeString | None = None
    tool: registry.ToolSpec | None = None


def post_body_segments(*, post: Post) -> list[BodySegment]:
    """Split the stored (already sanitised) HTML at tool slots; unknown tools vanish."""
    parts = TOOL_SLOT.split(post.body_html)
    segments: list[BodySegment] = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            if part.strip():
                # Stored HTML went through markdown.sanitise() when the post was saved.
                segments.append(BodySegment(html=mark_safe(part)))  # noqa: S308  # nosec
        elif (tool := registry.get(part)) is not None:
            segments.append(BodySegment(tool=tool))
    return segments


def post_teaser(*, post: Post) -> SafeString:
    """What visitors see of a members-only post above the sign-up box (markdown.teaser)."""
    # The teaser is cut from stored HTML and cleaned again by markdown.sanitise().
    return mark_safe(markdown.teaser(post.body_html))  # noqa: S308  # nosec


def reader_is_member(*, user: Any) -> bool:
    """Members-only bodies are for signed-in readers (search and the post page agree)."""
    return bool(user.is_authenticated)


def post_visible_to(*, post: Post, user: Any) -> bool:
    """Members-only bodies are for signed-in readers; everyone else sees the excerpt."""
    return not post.is_members_only or reader_is_member(user=user)


def author_label(user: Any) -> str:
    """How a writer is named in pickers: their byline, else their profile name, else email."""
    byline = getattr(getattr(user, "author_profile", None), "display_name", "")
    name = getattr(getattr(user, "profile", None), "display_name", "")
    return str(byline or name or user.email or user.get_username())


def author_choices(*, post: Post | None = None) -> QuerySet[Any]:
    """Who may be named as a post's author: active staff (any role, or superusers), plus
    whoever already is one of ``post``'s authors (so an old post still saves). Sorted by
    the name ``author_label`` shows; names come with the rows (no query per option)."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Coalesce, Lower, NullIf

    from masthead.members import roles

    who = Q(is_active=True) & (Q(groups__name__in=roles.ROLES) | Q(is_superuser=True))
    if post is not None and post.pk is not None:
        who |= Q(pk__in=post.authors.values("pk"))
    users = get_user_model().objects.filter(
        pk__in=get_user_model().objects.filter(who).values("pk")
    )
    label = Coalesce(
        NullIf("author_profile__display_name", Value("")),
        NullIf("profile__display_name", Value("")),
        "email",
        output_field=CharField(),
    )
    return (
        users.select_related("author_profile", "profile")
        .annotate(picker_label=label)
        .order_by(Lower("picker_label"), "pk")
    )
