"""Chromium applies the Permissions-Policy, and error pages under the page cache are clean.

Issue 10 "Also": the site asks browsers to deny features it never uses; an error page
rendered inside a cached view must carry this response's nonce (tests/core/test_pagecache.py
checks the markup; here the browser loads it without a CSP violation).
"""

from __future__ import annotations

from typing import Any

import pytest

from masthead.core.middleware import DENIED_FEATURES, SELF_ONLY_FEATURES
from tests.blog.factories import published_post
from tests.browser.reading_site import reading_settings  # noqa: F401 (fixture)
from tests.fixtures.browser import WATCH_CSP, assert_clean

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reading_settings"),
]


@pytest.fixture
def cached_pages(settings: Any) -> None:
    from masthead.core import pagecache

    settings.PAGE_CACHE_SECONDS = 60
    pagecache.clear_local()


def test_the_browser_denies_features_the_site_does_not_use(page: Any, cached_pages: None) -> None:
    published_post(slug="plain", title="Plain post")
    page.add_init_script(WATCH_CSP)
    for url in ("/plain/", "/plain/", "/missing-post/", "/tag/no-such-tag/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        known = set(page.evaluate("document.featurePolicy.features()"))
        assert set(DENIED_FEATURES) - known == set(), "features this Chromium does not know"
        allowed = dict(
            page.evaluate(
                "names => names.map(n => [n, document.featurePolicy.allowsFeature(n)])",
                [*DENIED_FEATURES, *SELF_ONLY_FEATURES],
            )
        )
        assert [name for name in DENIED_FEATURES if allowed[name]] == [], url
        # Web Share stays on for the site's own pages where the browser has it (not Linux).
        assert all(allowed[name] for name in SELF_ONLY_FEATURES if name in known), url
        assert page.evaluate("window.__csp") == [], url
    # The two 404 pages are reported as such; anything else (a policy parse error) is not.
    page.console_errors = [e for e in page.console_errors if "status of 404" not in e]
    assert_clean(page)
