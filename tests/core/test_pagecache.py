"""The public page cache: hits for anonymous readers, fresh nonces and tokens every time."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from masthead.blog import services
from masthead.core import pagecache
from tests.blog.factories import published_post

pytestmark = pytest.mark.django_db
NONCE = re.compile(r'<script[^>]* nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def _cache_on(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    pagecache.clear_local()


def test_second_anonymous_request_is_a_hit() -> None:
    published_post(slug="cached", title="Cached title")
    first, second = Client().get("/cached/"), Client().get("/cached/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert b"Cached title" in second.content


def test_every_response_gets_its_own_nonce_matching_its_csp() -> None:
    published_post(slug="cached")
    nonces = []
    for _ in range(3):
        response = Client().get("/cached/")
        page_nonces = set(NONCE.findall(response.content.decode()))
        assert len(page_nonces) == 1
        nonce = page_nonces.pop()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3
    assert b"masthead-nonce-slot" not in response.content


def test_signed_in_readers_share_the_members_copy_never_the_visitors(
    django_user_model: Any,
) -> None:
    published_post(slug="cached")
    assert Client().get("/cached/")["X-Page-Cache"] == "miss"  # the visitors' copy
    readers = []
    for name in ("reader", "other"):
        client = Client()
        client.force_login(django_user_model.objects.create(username=name))
        readers.append(client.get("/cached/"))
    assert [r["X-Page-Cache"] for r in readers] == ["miss", "hit"]
    for response in readers:
        header = response.content.split(b"<main")[0]
        assert b"/accounts/login/" not in header and b'href="/accounts/"' in header
        assert "private" in response["Cache-Control"]
    assert b'href="/accounts/login/?next=' in Client().get("/cached/").content.split(b"<main")[0]


def test_content_changes_show_at_once() -> None:
    post = published_post(slug="cached", title="Before")
    Client().get("/cached/")
    post.title = "After"
    post.save()
    services.post_after_save(post=post, old_slug="cached", hero_changed=False)
    response = Client().get("/cached/")
    assert response["X-Page-Cache"] == "miss" and b"After" in response.content


def test_csrf_forms_on_cached_pages_get_each_visitors_own_token() -> None:
    """A form served from the cache carries a token valid for *this* visitor's CSRF secret."""
    from django.http import HttpRequest, HttpResponse
    from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
    from django.template import engines
    from django.test import RequestFactory

    from masthead.core.pagecache import public_page

    template = engines["django"].from_string("<form>{% csrf_token %}</form>")

    @public_page
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(template.render({}, request))

    results = []
    for _ in range(2):
        request = RequestFactory().get("/csrf-probe/")
        response = view(request)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
        assert match is not None
        assert _unmask_cipher_token(match.group(1)) == request.META["CSRF_COOKIE"]
        results.append((response.get("X-Page-Cache"), match.group(1)))
    assert [r[0] for r in results] == ["miss", "hit"]
    assert results[0][1] != results[1][1]


def test_visitors_with_a_pending_message_get_a_fresh_page() -> None:
    published_post(slug="cached")
    Client().get("/cached/")
    client = Client()
    client.cookies["messages"] = "x"
    assert "X-Page-Cache" not in client.get("/cached/")


def test_a_visitor_with_a_session_but_not_signed_in_gets_the_shared_page() -> None:
    """Using the OCR tool gives a visitor a session; it must not cost them the cache."""
    from django.contrib.sessions.backends.db import SessionStore

    published_post(slug="cached")
    Client().get("/cached/")
    session = SessionStore()
    session["ocr"] = True
    session.save()
    client = Client()
    client.cookies["sessionid"] = session.session_key or ""
    response = client.get("/cached/")
    assert response["X-Page-Cache"] == "hit"
    assert b'href="/accounts/login/?next=' in response.content


def test_search_and_errors_are_never_cached() -> None:
    published_post(slug="cached", title="Findable")
    assert "X-Page-Cache" not in Client().get("/search/", {"q": "findable"})
    assert "X-Page-Cache" not in Client().get("/missing/")
    assert "X-Page-Cache" not in Client().get("/missing/")


def test_other_processes_bumps_are_seen_within_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bump made elsewhere (here: straight in the shared cache) reaches this process."""
    published_post(slug="cached")
    assert Client().get("/cached/")["X-Page-Cache"] == "miss"
    assert Client().get("/cached/")["X-Page-Cache"] == "hit"
    cache.set(pagecache.VERSION_KEY, 99)
    assert Client().get("/cached/")["X-Page-Cache"] == "hit"  # still within the second
    monkeypatch.setattr(pagecache, "VERSION_RECHECK_SECONDS", 0.0)
    assert Client().get("/cached/")["X-Page-Cache"] == "miss"


def test_tracking_parameters_share_one_entry_but_pages_do_not() -> None:
    for n in range(12):
        published_post(slug=f"p{n}")
    assert Client().get("/", {"utm_source": "a"})["X-Page-Cache"] == "miss"
    assert Client().get("/", {"utm_source": "b", "x": "1"})["X-Page-Cache"] == "hit"
    assert Client().get("/", {"page": "2"})["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("url", ["/missing-post/", "/tag/no-such-tag/", "/author/nobody/"])
def test_an_error_page_raised_inside_a_cached_view_has_a_real_nonce(url: str) -> None:
    """The 404 page renders after the cached view gave up: its nonce must match the CSP."""
    for _ in range(2):
        response = Client().get(url)
        assert response.status_code == 404
        body = response.content.decode()
        assert pagecache.NONCE_SLOT not in body and pagecache.CSRF_SLOT not in body
        nonces = set(NONCE.findall(body))
        assert len(nonces) == 1, nonces
        assert f"'nonce-{nonces.pop()}'" in response["Content-Security-Policy"]


def test_a_response_marked_private_is_never_stored() -> None:
    from django.http import HttpRequest, HttpResponse
    from django.test import RequestFactory
    from django.views.decorators.cache import cache_control

    from masthead.core.pagecache import public_page

    @public_page
    @cache_control(private=True)
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("for one reader")

    for _ in range(2):
        response = view(RequestFactory().get("/private-probe/"))
        assert "X-Page-Cache" not in response


def test_requests_with_credentials_in_a_header_bypass_the_cache() -> None:
    published_post(slug="cached")
    Client().get("/cached/")
    response = Client().get("/cached/", HTTP_AUTHORIZATION="Bearer mh_x")
    assert "X-Page-Cache" not in response


def _footer_renders(client: Client, url: str) -> int:
    """How many times the footer's template was rendered for one request of ``url``."""
    from django.test.signals import template_rendered

    names: list[str] = []

    def seen(sender: Any, template: Any, **kwargs: Any) -> None:
        names.append(template.name)

    template_rendered.connect(seen)
    try:
        assert client.get(url).status_code == 200
    finally:
        template_rendered.disconnect(seen)
    return names.count("includes/_footer.html")


def test_the_footer_is_one_piece_for_every_page_per_audience(
    settings: Any, django_user_model: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The footer is the same on every page a visitor reads (the publication, the year):
    built once per content version. A member's is one piece too: the way back to their
    page (the subscribe button's ``next``) is a slot filled per response."""
    settings.PAGE_CACHE_SECONDS = 0
    published_post(slug="cached", title="Cached title")
    assert _footer_renders(Client(), "/cached/") == 1
    assert _footer_renders(Client(), "/") == 0  # another page, the same piece
    assert _footer_renders(Client(), "/search/") == 0  # a page outside the page cache too
    member = Client()
    member.force_login(django_user_model.objects.create(username="reader"))
    assert _footer_renders(member, "/cached/") == 1
    assert _footer_renders(member, "/cached/") == 0
    assert _footer_renders(member, "/") == 0
    home = member.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert '<input type="hidden" name="next" value="/">' in home
    assert pagecache.PATH_SLOT not in home and pagecache.CSRF_SLOT not in home
    # A path of the reader's choosing (a 404 renders the footer too) is escaped.
    missing = member.get('/no/"><b>such/').content.decode()
    assert 'value="/no/&quot;&gt;&lt;b&gt;such/"' in missing and '"><b>' not in missing
    from masthead.core import publication

    with django_capture_on_commit_callbacks(execute=True):
        publication.publication_update(values={"name": "Renamed Daily"})
    page = Client().get("/cached/").content.decode()
    footer = page.split('<footer class="site-footer">')[1]
    assert "Renamed Daily" in footer


def test_a_piece_on_a_page_outside_the_cache_gets_this_requests_token() -> None:
    """Slots in a piece are filled by the public_page wrapper; on any other page the piece
    fills them itself, so a form inside it still carries a valid token."""
    from django.http import HttpRequest, HttpResponse
    from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
    from django.template import engines
    from django.test import RequestFactory

    template = engines["django"].from_string(
        '{% load site_tags %}{% fragment "probe-form" %}<form>{% csrf_token %}</form>'
        "{% endfragment %}"
    )

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(template.render({}, request))

    tokens = []
    for _ in range(2):  # built, then read back from the piece store
        request = RequestFactory().get("/not-cached/")
        body = view(request).content.decode()
        assert pagecache.CSRF_SLOT not in body
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert match is not None
        assert _unmask_cipher_token(match.group(1)) == request.META["CSRF_COOKIE"]
        tokens.append(match.group(1))
    assert tokens[0] != tokens[1]
