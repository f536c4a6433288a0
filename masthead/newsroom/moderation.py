"""Comment moderation for editors: the reported and hidden comments, with approve (clear the
reports, show it), hide and delete. Every action goes through ``masthead.comments.services``,
which bumps the post's list version so readers see the change at once (ADR 0121)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from masthead.comments import selectors, services
from masthead.comments.models import Comment
from masthead.errors import MastheadError
from masthead.newsroom.access import editor_required

BUTTONS = [("approve", "Approve"), ("hide", "Hide"), ("delete", "Delete")]
ACTIONS = {
    "approve": "The comment is approved and shown; its reports are cleared.",
    "hide": "The comment is hidden from readers.",
    "delete": "The comment is deleted.",
}


@require_GET
@editor_required
def queue(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _page(request: HttpRequest, status: int = 200) -> HttpResponse:
    context = {
        "section": "comments",
        "comments": selectors.moderation_queue(),
        "actions": BUTTONS,
    }
    return render(request, "newsroom/comments_queue.html", context, status=status)


@require_POST
@editor_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        messages.error(request, "That is not something that can be done to a comment.")
        return _page(request, status=400)
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    try:
        if action == "approve":
            services.comment_approve(comment=comment)
        elif action == "hide":
            services.comment_hide(comment=comment, hidden=True)
        else:
            services.comment_remove(comment=comment, user=request.user, staff=True)
    except MastheadError as error:
        messages.error(request, error.message)
        return redirect("newsroom:comments")
    messages.success(request, ACTIONS[action])
    return redirect("newsroom:comments")
