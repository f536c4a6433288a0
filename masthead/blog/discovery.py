"""Machine-facing pages: sitemap index and sections, robots.txt and llms.txt."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse

from masthead.blog import selectors, seo
from masthead.blog.sitemaps import SITEMAPS
from masthead.core import pagecache


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The index of every file of every section (absolute URLs from SITE_URL).

    A section longer than its sitemap's ``limit`` (1,000 URLs) is split into files
    ``?p=2``, ``?p=3``...; the index lists each, so no file grows with the site. Kept
    until the next content change, like every sitemap file (counting tags and authors
    with a live post reads every post).
    """
    return pagecache.kept_response(("sitemap-index",), lambda: _sitemap_index(request))


def _sitemap_index(request: HttpRequest) -> HttpResponse:
    sections = []
    for name, sitemap in SITEMAPS.items():
        location = seo.absolute(reverse("blog:sitemap-section", args=[name]))
        pages = sitemap().paginator.num_pages
        sections.append({"location": location, "last_mod": None})
        sections += [
            {"location": f"{location}?p={n}", "last_mod": None} for n in range(2, pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": sections}, content_type="application/xml"
    )


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One file of a section (``?p=N``), kept until the next content change: a file of
    1,000 posts costs tens of milliseconds to build. Keys are bounded: a page past the
    last or not a number is a 404 (Django's view), never an entry."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    page = request.GET.get("p", "1")
    build = functools.partial(sitemap_views.sitemap, request, sitemaps=SITEMAPS, section=section)
    if not page.isdigit():
        return build()
    return pagecache.kept_response(("sitemap", section, int(page)), build)


def robots_txt(request: HttpRequest) -> HttpResponse:
    text = render_to_string("blog/robots.txt", {"sitemap": seo.absolute("/sitemap.xml")})
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


def llms_txt(request: HttpRequest) -> HttpResponse:
    posts = selectors.post_list_published()[:100]
    context = {
        "posts": posts,
        "site_url": settings.SITE_URL,
        "tags": selectors.tag_list_with_counts(),
    }
    text = render_to_string("blog/llms.txt", context, request=request)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
