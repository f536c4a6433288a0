"""Publication settings: name, look, navigation and scheduling time zone (admins only).

A save goes through ``masthead.core.publication.publication_update``: stored in the
database, shown by every web node on its next request, cached public pages dropped.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from masthead.core import publication
from masthead.newsroom.access import admin_required
from masthead.newsroom.forms import PublicationForm, initial_from


def _page(request: HttpRequest, form: PublicationForm, status: int = 200) -> HttpResponse:
    look = publication.current(request)
    context = {"section": "publication", "form": form, "look": look}
    return render(request, "newsroom/publication_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def publication_edit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, PublicationForm(initial=initial_from(publication.current(request))))
    form = PublicationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=getattr(form, "status", 400))
    publication.publication_update(values=form.values(), images=form.cleaned_data["images"])
    messages.success(request, "Saved. Readers see the new settings on their next page.")
    return redirect("newsroom:publication")
