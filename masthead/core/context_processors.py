"""Values every template may show: the site's name, description and public URL.

While a page is rendered for the page cache, the CSP nonce and CSRF token are replaced by
placeholders that ``masthead.core.pagecache`` fills in per request.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from masthead.core import pagecache


def site(request: HttpRequest) -> dict[str, Any]:
    values: dict[str, Any] = {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "site_url": settings.SITE_URL,
    }
    if pagecache.rendering_with_slots(request):
        values["csp_nonce"] = pagecache.NONCE_SLOT
        values["csrf_token"] = pagecache.CSRF_SLOT
    return values
