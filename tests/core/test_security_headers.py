"""Group (c) headers on every HTML page, the Host header check and error pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import path

from masthead.urls import urlpatterns as site_urls
from tests.blog.factories import make_author, make_tag, published_post

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/blog/",
    "/post/",
    "/tag/ai/",
    "/author/writer/",
    "/archive/",
    "/search/?q=x",
    "/missing/",
]


@pytest.fixture
def site() -> None:
    tag, author = make_tag("AI", "ai"), make_author(slug="writer")
    published_post(slug="post", tags=[tag], authors=[author])


@pytest.mark.parametrize("url", PAGES)
def test_every_html_page_has_the_security_headers(client: Any, site: None, url: str) -> None:
    response = client.get(url)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    csp = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_foreign_host_header_is_refused(site: None) -> None:
    assert Client(HTTP_HOST="evil.example").get("/").status_code == 400


def _boom(request: Any) -> Any:
    raise RuntimeError("secret detail: SELECT password FROM users")


urlpatterns = [path("boom/", _boom), *site_urls]
handler404 = "masthead.core.views.page_not_found"
handler500 = "masthead.core.views.server_error"


@pytest.mark.urls("tests.core.test_security_headers")
def test_500_page_has_no_traceback(settings: Any) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "Traceback" not in body and "secret detail" not in body and "SELECT" not in body


def test_404_page_has_no_debug_detail(client: Any, settings: Any) -> None:
    settings.DEBUG = False
    body = client.get("/does/not/exist/").content.decode()
    assert "Page not found" in body and "urlpatterns" not in body and "Traceback" not in body


def test_favicon_ico_points_at_the_svg_icon(client: Any) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_media_serves_uploads_and_refuses_traversal(client: Any, settings: Any) -> None:
    media = settings.MEDIA_ROOT
    media.mkdir(parents=True, exist_ok=True)
    (media / "a.txt").write_text("hello")
    ok = client.get("/media/a.txt")
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == b"hello"
    assert "max-age=" in ok["Cache-Control"] and ok["X-Content-Type-Options"] == "nosniff"
    for bad in ("/media/../settings.py", "/media/%2e%2e/secret", "/media//etc/passwd"):
        assert client.get(bad).status_code in {400, 404}, bad


def test_every_page_reachable_from_the_front_page_has_csp(client: Any, site: None) -> None:
    """Crawl same-site links from / (all apps' pages) and check each HTML response."""
    seen: set[str] = set()
    queue = ["/"]
    while queue and len(seen) < 80:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, url
        assert response["X-Frame-Options"] == "DENY", url
        for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
            if not href.startswith(("/static/", "/media/", "//")) and href not in seen:
                queue.append(href)
    assert len(seen) >= 12


# --- Permissions-Policy and per-user caching (issue 10, "Also") ---------------------------


def _cache_control(response: Any) -> set[str]:
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize(
    "url", ["/", "/post/", "/missing/", "/healthz", "/api/v1/ocr/jobs/x", "/favicon.ico"]
)
def test_every_response_denies_browser_features_it_does_not_use(
    client: Any, site: None, url: str
) -> None:
    policy = client.get(url)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy, url
    assert "web-share=(self)" in policy  # the posts' share button


def test_static_files_and_media_carry_the_permissions_policy(client: Any, settings: Any) -> None:
    media = settings.MEDIA_ROOT
    media.mkdir(parents=True, exist_ok=True)
    (media / "a.txt").write_text("hello")
    assert "camera=()" in client.get("/media/a.txt")["Permissions-Policy"]


def test_signed_in_pages_are_private_to_shared_caches(client: Any, site: None) -> None:
    from django.contrib.auth.models import User

    from masthead.blog.models import Post

    published_post(slug="members", body="Members body.", visibility=Post.Visibility.MEMBERS)
    client.force_login(User.objects.create_user("m", "m@example.com", "a-long-password-1"))
    for url in ("/", "/post/", "/members/", "/accounts/", "/tools/ocr/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in _cache_control(response), url
        assert "public" not in _cache_control(response), url


def test_a_members_page_served_to_a_member_never_reaches_anonymous_readers(
    client: Any, settings: Any
) -> None:
    from django.contrib.auth.models import User

    from masthead.blog.models import Post
    from masthead.core import pagecache

    settings.PAGE_CACHE_SECONDS = 60
    pagecache.clear_local()
    published_post(slug="members", body="The hidden body.", visibility=Post.Visibility.MEMBERS)
    client.force_login(User.objects.create_user("m", "m@example.com", "a-long-password-1"))
    assert b"The hidden body." in client.get("/members/").content
    anonymous = Client().get("/members/")
    assert b"The hidden body." not in anonymous.content
    assert "private" not in _cache_control(anonymous)  # the public teaser stays cacheable


def test_a_visitors_job_page_and_json_are_private(client: Any) -> None:
    import io

    from tests.tools import images

    created = client.post("/api/v1/ocr", {"file": io.BytesIO(images.png(300, 100))})
    assert created.status_code == 200, created.content
    assert "private" in _cache_control(created)  # it carries the job's capability URL
    job_url = created.json()["url"]  # a capability URL: the caller has no cookie (ADR 0411)
    response = client.get(job_url)
    assert response.status_code == 200, job_url
    assert "private" in _cache_control(response), job_url


def test_an_api_key_callers_job_json_is_private(client: Any) -> None:
    import io

    from django.contrib.auth.models import User

    from masthead.tools import services
    from tests.tools import images

    member = User.objects.create_user("k", "k@example.com", "a-long-password-1")
    _, token = services.api_key_create(member=member, name="ci")
    auth = {"Authorization": f"Bearer {token}"}
    upload = {"file": io.BytesIO(images.png(300, 100))}
    created = Client().post("/api/v1/ocr", upload, headers=auth)
    assert created.status_code == 200, created.content
    response = Client().get(created.json()["url"], headers=auth)
    assert response.status_code == 200 and "private" in _cache_control(response)
