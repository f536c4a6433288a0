"""Comment pages and actions.

The post page itself stays on the page cache: it carries only a placeholder, and
``comments.js`` fills it from :func:`comment_list`: a copy cached per post and list version
(one for visitors, one shared by every signed-in member, ADR 0121) plus, for a member, a
small per-reader part saying which comments are theirs. Staff get the list rendered for
them (hidden comments, report counts). Without JavaScript the placeholder links to
:func:`comment_page`, which shows the same list and takes every action as a plain form post.

Every action answers a ``fetch`` from comments.js (``Accept: application/json``) with JSON:
``{"message", "anchor"}`` on success, ``{"error", "message"}`` with the 4xx status on a
refusal, so the page updates in place; a plain form post gets the redirect or error page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masthead.blog import selectors as blog_selectors
from masthead.blog.models import Post
from masthead.comments import selectors, services
from masthead.comments.models import Comment, CommentSettings
from masthead.core.clientip import client_ip
from masthead.core.stores import store_errors
from masthead.errors import MastheadError
from masthead.members.middleware import staff_verified

LIST_CACHE_SECONDS = 24 * 3600  # the key changes with every comment; this only ages out


def _settings(post: Post) -> CommentSettings:
    """The post's comment settings without writing on a read (defaults until first change)."""
    return CommentSettings.objects.filter(post=post).first() or CommentSettings(post=post)


def _context(request: HttpRequest | None, post: Post, *, members: bool = False) -> dict[str, Any]:
    """``members``: the copy shared by signed-in members who may read the post (the
    caller checked); rendered without a request."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    staff = bool(request is not None and staff_verified(request))
    row = _settings(post)
    if members:
        locked = False
    elif signed_in:
        locked = not blog_selectors.post_visible_to(post=post, user=user)
    else:
        locked = post.is_members_only
    threads = [] if locked else selectors.threads(post=post)
    for thread in threads:
        for c in [thread.comment, *thread.replies]:
            c.name = selectors.display_name(c.author)
            c.mine = signed_in and c.author_id == getattr(user, "pk", None)
            c.editable = c.mine and services.can_edit(c, user)
            c.shown = c.is_visible or (staff and c.status == Comment.Status.HIDDEN)
    return {
        "post": post,
        "threads": threads,
        "count": post.comment_count,
        "closed": row.closed,
        "locked": locked,
        "signed_in": signed_in,
        "staff": staff,
        "back_to": post.get_absolute_url(),
        # /comments/<id>/<action>/ built by concatenation: one reverse() per list, not four
        # per comment (a 200-comment list spent a third of its time reversing URLs)
        "comment_base": reverse("comments:edit", args=[0]).removesuffix("0/edit/"),
    }


def _shared_list(post: Post, row: CommentSettings, *, members: bool) -> tuple[str, str]:
    """The list as visitors (or, with ``members``, every signed-in member) see it: cached
    per post and list version. Rendered without a request, so it holds nothing of any one
    reader: names and texts are what every reader of the post sees anyway."""
    variant = "member" if members else "visitor"
    key = f"comments:list:{post.pk}:{row.version}:{variant}"

    def render_it() -> str:
        context = _context(None, post, members=members)
        context["member_view"] = members
        return str(render_to_string("comments/_list.html", context))

    try:
        cached = cache.get(key)
    except store_errors():
        return render_it(), "off"
    if cached is not None:
        return str(cached), "hit"
    html = render_it()
    try:
        cache.set(key, html, LIST_CACHE_SECONDS)
    except store_errors():
        return html, "off"
    return html, "miss"


def _reader_part(request: HttpRequest, post: Post, row: CommentSettings) -> str:
    """One member's controls on top of the shared list: their form, which comments are
    theirs (and the text of those still editable), and the forms comments.js clones."""
    user = request.user
    mine: list[int] = []
    editable: dict[str, str] = {}
    own = Comment.objects.filter(post=post, author_id=user.pk)
    own = own.exclude(status=Comment.Status.DELETED)
    for comment in own.only("pk", "post_id", "author_id", "status", "created_at", "text"):
        mine.append(comment.pk)
        if services.can_edit(comment, user):
            editable[str(comment.pk)] = comment.text
    page_url = reverse("comments:page", args=[post.slug])
    context = {
        "closed": row.closed,
        "page_url": page_url,
        "reader": {
            "mine": mine,
            "editable": editable,
            "base": reverse("comments:edit", args=[0]).removesuffix("0/edit/"),
            "page": page_url,
        },
    }
    return str(render_to_string("comments/_reader.html", context, request=request))


@require_GET
def comment_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The list fragment the post page loads into its comments section."""
    post = blog_selectors.post_get_published(slug=slug)
    user = request.user
    if user.is_authenticated and staff_verified(request):
        own = render_to_string("comments/_list.html", _context(request, post), request=request)
        response = HttpResponse(own)
        patch_cache_control(response, private=True, no_cache=True)
        return response
    row = _settings(post)
    if user.is_authenticated:
        if not blog_selectors.post_visible_to(post=post, user=user):
            html = render_to_string("comments/_list.html", _context(request, post))
            response = HttpResponse(html)
        else:
            shared, state = _shared_list(post, row, members=True)
            response = HttpResponse(shared + _reader_part(request, post, row))
            response["X-Comments-Cache"] = state
        patch_cache_control(response, private=True, no_cache=True)
        response["X-Robots-Tag"] = "noindex"
        return response
    if post.is_members_only:
        shared = render_to_string("comments/_list.html", _context(None, post))
        state = "off"
    else:
        shared, state = _shared_list(post, row, members=False)
    response = HttpResponse(shared)
    response["X-Comments-Cache"] = state
    patch_cache_control(response, no_cache=True)  # revalidate: a new comment shows at once
    response["X-Robots-Tag"] = "noindex"
    return response


def _wants_json(request: HttpRequest) -> bool:
    """A fetch from comments.js (it asks for JSON); a plain form post does not."""
    return "application/json" in request.headers.get("Accept", "")


def _page(
    request: HttpRequest, post: Post, *, error: MastheadError | None = None, draft: str = ""
) -> HttpResponse:
    if error is not None and _wants_json(request):
        refusal = JsonResponse({"error": error.code, "message": error.message}, status=error.status)
        if error.retry_after:
            refusal["Retry-After"] = str(error.retry_after)
        patch_cache_control(refusal, private=True, no_cache=True)
        return refusal
    context = _context(request, post)
    reply = request.GET.get("reply", "")
    reply_to = int(reply) if reply.isdigit() and len(reply) < 12 else None
    context.update({"error": error, "draft": draft, "on_page": True, "reply_to": reply_to})
    response = render(request, "comments/page.html", context, status=error.status if error else 200)
    if error is not None and error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _done(request: HttpRequest, post: Post, note: str, anchor: str = "comments") -> HttpResponse:
    if _wants_json(request):
        done = JsonResponse({"message": note, "anchor": anchor})
        patch_cache_control(done, private=True, no_cache=True)
        return done
    messages.success(request, note)
    if request.POST.get("back") == "post":
        return HttpResponseRedirect(f"{post.get_absolute_url()}#{anchor}")
    return HttpResponseRedirect(f"{reverse('comments:page', args=[post.slug])}#{anchor}")


def _parent_id(request: HttpRequest) -> int | None:
    raw = request.POST.get("parent", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise MastheadError("bad_input", "That reply does not point to a comment.", status=400)
    return int(raw)


@require_http_methods(["GET", "HEAD", "POST"])
def comment_page(request: HttpRequest, slug: str) -> HttpResponse:
    """All comments on a post (works without JavaScript); a POST adds one."""
    post = blog_selectors.post_get_published(slug=slug)
    if request.method != "POST":
        return _page(request, post)
    raw = request.POST.get("text", "")
    try:
        comment = services.comment_create(
            post=post,
            user=request.user,
            raw_text=raw,
            ip=client_ip(request),
            parent_id=_parent_id(request),
        )
    except MastheadError as exc:
        return _page(request, post, error=exc, draft=raw[:20_000])
    return _done(request, post, "Your comment is up.", f"c-{comment.pk}")


def _comment(pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    if not Post.objects.published().filter(pk=comment.post_id).exists():
        raise Http404("There is no such comment.")
    return comment


def _signed_in(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise MastheadError("sign_in_required", "Sign in first.", status=403)


def _staff(request: HttpRequest) -> None:
    if not staff_verified(request):
        raise MastheadError("forbidden", "Only the publication's staff can do that.", status=403)


@require_POST
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(pk)
    raw = request.POST.get("text", "")
    try:
        _signed_in(request)
        services.comment_edit(comment=comment, user=request.user, raw_text=raw)
    except MastheadError as exc:
        return _page(request, comment.post, error=exc)
    return _done(request, comment.post, "Your comment is updated.", f"c-{comment.pk}")


@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(pk)
    try:
        _signed_in(request)
        staff = comment.author_id != request.user.pk and staff_verified(request)
        services.comment_remove(comment=comment, user=request.user, staff=staff)
    except MastheadError as exc:
        return _page(request, comment.post, error=exc)
    return _done(request, comment.post, "The comment is deleted.")


@require_POST
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(pk)
    hidden = request.POST.get("hidden", "1") == "1"
    try:
        _staff(request)
        services.comment_hide(comment=comment, hidden=hidden)
    except MastheadError as exc:
        return _page(request, comment.post, error=exc)
    note = "The comment is hidden from readers." if hidden else "The comment is shown again."
    return _done(request, comment.post, note, f"c-{comment.pk}")


@require_POST
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(pk)
    try:
        _signed_in(request)
        services.comment_report(
            comment=comment,
            user=request.user,
            reason=request.POST.get("reason", ""),
            ip=client_ip(request),
        )
    except MastheadError as exc:
        return _page(request, comment.post, error=exc)
    return _done(request, comment.post, "Thank you. The editors will look at it.", f"c-{pk}")


@require_POST
def comments_close(request: HttpRequest, slug: str) -> HttpResponse:
    post = blog_selectors.post_get_published(slug=slug)
    closed = request.POST.get("closed", "1") == "1"
    try:
        _staff(request)
        services.comments_close(post=post, closed=closed)
    except MastheadError as exc:
        return _page(request, post, error=exc)
    return _done(request, post, "Comments are closed." if closed else "Comments are open.")


@require_POST
def notifications(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('account_login')}?next=/accounts/")
    on = request.POST.get("on") == "1"
    services.notify_set(user=request.user, on=on)
    messages.success(
        request, "We will email you about comments." if on else "No more emails about comments."
    )
    return HttpResponseRedirect(reverse("members:account"))
