"""People: invite staff, change their roles, remove them (admins only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from masthead.newsroom.access import admin_required


@require_GET
@admin_required
def people_list(request: HttpRequest) -> HttpResponse:
    return render(request, "newsroom/people_list.html", {"section": "people"})
