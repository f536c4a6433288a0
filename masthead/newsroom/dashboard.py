"""The newsroom's first page: what happened and what is next."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from masthead.newsroom.access import staff_required


@require_GET
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "newsroom/dashboard.html", {"section": "dashboard"})


@require_GET
@staff_required
def posts_placeholder(request: HttpRequest) -> HttpResponse:
    """Stands in for the post list until the writing pages land."""
    return render(request, "newsroom/posts_placeholder.html", {"section": "posts"})
