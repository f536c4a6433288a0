"""C01/T08 in a real browser: every XSS payload rendered by the site gives no dialog,
no CSP violation and no console error; JSON-LD data blocks need no nonce."""

from __future__ import annotations

from typing import Any

import pytest

from tests.blog.factories import make_author, make_tag, published_post
from tests.blog.xss import PAYLOADS
from tests.browser.reading_site import reading_settings  # noqa: F401 (fixture)
from tests.fixtures.browser import WATCH_CSP, assert_clean

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reading_settings"),
]


def _visit(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.mouse.move(200, 300)
    page.mouse.move(400, 600)
    assert page.evaluate("window.__csp") == [], url


def test_payloads_in_body_title_excerpt_and_bio_never_run(page: Any) -> None:
    tag = make_tag("AI", "ai")
    author = make_author(slug="bio-author", bio="\n".join(PAYLOADS))
    # A tool card naming no tool the site has is refused on save (tests/blog/test_xss.py).
    body = "\n\n".join(p for p in PAYLOADS if not p.startswith("::: tool"))
    published_post(
        slug="all-payloads", title="All payloads", body=body, tags=[tag], authors=[author]
    )
    for index, payload in enumerate(PAYLOADS):
        published_post(slug=f"t{index}", title=payload[:200], excerpt=payload, tags=[tag])
    page.add_init_script(WATCH_CSP)

    urls = ["/all-payloads/", "/author/bio-author/", "/tag/ai/", "/blog/", "/archive/", "/"]
    urls += [f"/blog/?page={n}" for n in range(2, 8)]
    urls += [f"/t{index}/" for index in range(0, len(PAYLOADS), 3)]
    for url in urls:
        _visit(page, url)
    assert page.dialogs == []
    assert_clean(page)


def test_json_ld_is_not_blocked_by_csp(page: Any) -> None:
    published_post(slug="plain", title="</script><script>alert(1)</script>")
    page.add_init_script(WATCH_CSP)
    _visit(page, "/plain/")
    blocks = page.locator('script[type="application/ld+json"]')
    assert blocks.count() == 2
    assert "BlogPosting" in blocks.first.text_content()
    assert_clean(page)
