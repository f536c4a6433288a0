"""Reader-facing pages. Each view asks the selectors and renders; nothing else."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any, cast

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, cached_property

from masthead.blog import pieces, selectors, seo
from masthead.blog.models import AuthorProfile, Post, Tag
from masthead.core import pagecache, publication
from masthead.core.pagecache import public_page
from masthead.members.middleware import staff_verified

PER_PAGE = 9
ARCHIVE_PER_PAGE = 100
TAG_LIST = 40  # the most used tags above the list of all posts


class _KeptCountPaginator(Paginator):  # type: ignore[type-arg]
    """Counts the list once per content version (a COUNT reads every post of the list),
    kept beside the page's fragments (ADR 0025), so a page whose pieces are cached costs
    the same at 9 posts and at 5,000. The list's query is only built when a fragment is:
    building it (joins, filters) cost a tag page a tenth of its time when every piece
    was cached."""

    def __init__(
        self, queryset: Callable[[], QuerySet[Post]], per_page: int, name: tuple[Any, ...]
    ) -> None:
        super().__init__((), per_page)
        self.queryset, self.name = queryset, name

    @cached_property
    def count(self) -> int:
        kept = pagecache.fragment(("count", *self.name), lambda: str(self.queryset().count()))
        return int(kept)

    def page(self, number: Any) -> Page[Post]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        posts = SimpleLazyObject(lambda: list(self.queryset()[bottom : bottom + self.per_page]))
        return Page(cast("list[Post]", posts), number, self)


def _page(
    request: HttpRequest,
    queryset: Callable[[], QuerySet[Post]],
    name: tuple[Any, ...],
    per_page: int = PER_PAGE,
) -> Page[Post]:
    """The requested page of the list ``name``; a page number that does not exist is a 404."""
    try:
        return _KeptCountPaginator(queryset, per_page, name).page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page.") from None


def _old_slug(slug: str, suffix: str = "") -> HttpResponse:
    post = selectors.post_get_redirect(slug=slug)
    if post is None:
        raise Http404("No post here.")
    target = post.get_absolute_url()
    return HttpResponsePermanentRedirect(target[:-1] + suffix if suffix else target)


@public_page(paginated=True)
def home(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.post_list_published, ("home",))
    # Loaded only when the page's list is built (its {% fragment %} was not cached).
    featured = SimpleLazyObject(lambda: selectors.post_list_featured() if page.number == 1 else [])
    latest = SimpleLazyObject(
        lambda: [p for p in page.object_list if p.pk not in {f.pk for f in featured}]
    )
    meta = seo.for_list(title=publication.current().name, path="/")
    context = {"page": page, "featured": featured, "latest": latest, "meta": meta}
    return render(request, "blog/home.html", context)


@public_page(paginated=True)
def post_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.post_list_published, ("all",))
    meta = seo.for_list(title=f"All posts · {publication.current().name}", path="/blog/")
    tags = SimpleLazyObject(lambda: list(selectors.tag_list_with_counts()[:TAG_LIST]))
    context = {"page": page, "meta": meta, "tags": tags}
    return render(request, "blog/post_list.html", context)


def post_unpublished_response(
    request: HttpRequest, post: Post, note: str, status: int = 200
) -> HttpResponse:
    """A draft or scheduled post as readers will see it, for staff or a preview link:
    never cached, never indexed, and its address never sent on as a referrer."""
    context = {
        "post": post,
        "post_id": post.pk,
        "slug": post.slug,
        "page_title": post.meta_title or post.title,
        "page_description": post.meta_description or post.excerpt,
        "meta": seo.for_post(post=post),
        "segments": selectors.post_body_segments(post=post),
        "locked": False,
        "related": [],
        "preview_note": note,
        "noindex": True,
        "fragments_off": True,
    }
    response = render(request, "blog/post_detail.html", context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def staff_note(post: Post) -> str:
    if post.status == Post.Status.SCHEDULED and post.published_at:
        when = timezone.localtime(post.published_at).strftime("%d %b %Y, %H:%M")
        return f"Scheduled for {when}. Only staff can see this page until then."
    return "Draft. Only staff and people with a preview link can see this page."


@public_page
def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """No query when the page's pieces are cached; the rest loads only to build them."""
    try:
        # The post's row is read once per content version in this process (an unknown or
        # not yet published slug every time); each request gets its own copy, which the
        # pieces being built may load relations into.
        kept = pagecache.memo(("post-page", slug), lambda: selectors.post_get_for_page(slug=slug))
        post = copy.copy(kept)
    except Http404:
        draft = (
            selectors.post_get_for_staff(slug=slug, user=request.user)
            if staff_verified(request)
            else None
        )
        if draft is not None:
            return post_unpublished_response(request, draft, staff_note(draft))
        return _old_slug(slug)
    visible = selectors.post_visible_to(post=post, user=request.user)
    # One load for every piece that has to be built: the post's tags and authors and its
    # related posts with theirs, fetched together (ADR 0108).
    loaded = SimpleLazyObject(lambda: selectors.post_page_load(post=post))
    context = {
        "post": SimpleLazyObject(lambda: loaded.post),
        "post_id": post.pk,
        "slug": post.slug,
        "page_title": post.meta_title or post.title,
        "page_description": post.meta_description
        or post.excerpt
        or publication.current().description,
        "meta": SimpleLazyObject(lambda: seo.for_post(post=loaded.post)),
        "segments": SimpleLazyObject(
            lambda: selectors.post_body_segments(post=post) if visible else []
        ),
        "locked": not visible,
        "teaser": SimpleLazyObject(lambda: selectors.post_teaser(post=post) if not visible else ""),
        "back_to": post.get_absolute_url(),
        "related": SimpleLazyObject(lambda: loaded.related),
        "pieces": pieces.PostShelf(post),
    }
    return render(request, "blog/post_detail.html", context)


def post_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    """The post as Markdown (for readers' tools and LLMs); members-only bodies left out."""
    try:
        post = selectors.post_get_published(slug=slug)
    except Http404:
        return _old_slug(slug, suffix=".md")
    visible = selectors.post_visible_to(post=post, user=request.user)
    text = render_to_string("blog/post_detail.md", {"post": post, "visible": visible})
    return HttpResponse(text, content_type="text/markdown; charset=utf-8")


def _tag_head(slug: str) -> tuple[Tag, seo.Meta]:
    tag = selectors.tag_get(slug=slug)
    return tag, seo.for_tag(tag=tag)


def _author_head(slug: str) -> tuple[AuthorProfile, seo.Meta]:
    author = selectors.author_get(slug=slug)
    return author, seo.for_author(author=author)


@public_page(paginated=True)
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The tag and its meta tags, looked up once per content version (an unknown slug is
    # a 404 every time); with the list's fragments kept, the page reads nothing.
    tag, meta = pagecache.memo(("tag-page", slug), lambda: _tag_head(slug))
    posts = functools.partial(selectors.post_list_published, tag=tag)
    page = _page(request, posts, ("tag", tag.pk))
    context = {"tag": tag, "page": page, "meta": meta}
    return render(request, "blog/tag_detail.html", context)


@public_page(paginated=True)
def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author, meta = pagecache.memo(("author-page", slug), lambda: _author_head(slug))
    posts = functools.partial(selectors.post_list_published, author=author)
    page = _page(request, posts, ("author", author.pk))
    context = {"author": author, "page": page, "meta": meta}
    return render(request, "blog/author_detail.html", context)


@public_page(paginated=True)
def archive(request: HttpRequest) -> HttpResponse:
    """Every published post by month, newest first, ARCHIVE_PER_PAGE titles a page."""
    page = _page(request, selectors.archive_posts, ("archive",), ARCHIVE_PER_PAGE)
    meta = seo.for_list(title=f"Archive · {publication.current().name}", path="/archive/")
    months = SimpleLazyObject(lambda: selectors.archive_months(page.object_list))
    context = {"months": months, "page": page, "meta": meta}
    return render(request, "blog/archive.html", context)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    members = selectors.reader_is_member(user=request.user)
    results = selectors.post_search(query=query, members=members) if query else []
    meta = seo.for_list(title=f"Search · {publication.current().name}", path="/search/")
    context = {"query": query, "results": results, "meta": meta}
    return render(request, "blog/search.html", context)


def post_preview(request: HttpRequest, token: str) -> HttpResponse:
    """A draft through its secret preview link; an expired or revoked link says so (410)."""
    link = selectors.preview_link_get(token=token)
    if link is None:
        raise Http404("There is no preview at this address.")
    if not link.is_active:
        response = render(request, "blog/preview_gone.html", {"link": link}, status=410)
        response["X-Robots-Tag"] = "noindex, nofollow"
        patch_cache_control(response, private=True, no_store=True)
        return response
    note = "Preview. This post is not published yet; please do not share this link."
    return post_unpublished_response(request, link.post, note)
