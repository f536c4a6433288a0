"""Values every template may show: the publication's name, look and public URL.

They come from the publication settings edited in the newsroom
(``masthead.core.publication.current``), read once per request.

While a page is rendered for the page cache, the CSP nonce and CSRF token are replaced by
placeholders that ``masthead.core.pagecache`` fills in per request; otherwise the token
comes from ``masthead.core.csrf`` (Django's, drawn with one random read instead of 64).
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from masthead.core import csrf, pagecache, publication


def site(request: HttpRequest) -> dict[str, Any]:
    look = publication.current(request)
    values: dict[str, Any] = {
        "publication": look,
        "site_name": look.name,
        "site_description": look.description,
        "site_url": settings.SITE_URL,
    }
    if pagecache.rendering_with_slots(request):
        values["csp_nonce"] = pagecache.NONCE_SLOT
        values["csrf_token"] = pagecache.CSRF_SLOT
    else:  # in place of Django's built-in processor's, read only if a form shows it
        values["csrf_token"] = SimpleLazyObject(lambda: csrf.token(request))
    return values
