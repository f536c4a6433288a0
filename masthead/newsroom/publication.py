"""Publication settings: name, look, navigation and scheduling time zone (admins only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from masthead.newsroom.access import admin_required


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def publication_edit(request: HttpRequest) -> HttpResponse:
    return render(request, "newsroom/publication_form.html", {"section": "publication"})
