"""Catalogue cases the other core tests left open: C04, C06-C08 and C10 beyond HTML pages,
C07 (HSTS), C11 (DEBUG), C12 (no server-side fetch), F07 (health checks), F12 (SQLite).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.blog.factories import published_post

ROOT = Path(__file__).resolve().parents[2]
MASTHEAD = ROOT / "masthead"

NON_HTML = {
    "/api/openapi.json": "application/json",
    "/api/v1/ocr/jobs/00000000-0000-4000-8000-000000000000": "application/json",
    "/feed/rss/": "application/rss+xml; charset=utf-8",
    "/post.md": "text/markdown; charset=utf-8",
    "/robots.txt": "text/plain",
    "/sitemap.xml": "application/xml",
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted(NON_HTML))
def test_non_html_responses_carry_the_same_headers_and_no_cors(url: str) -> None:
    """C06, C08, C10: JSON, feeds and text get DENY, nosniff and the referrer policy too,
    and a foreign Origin never gets an Access-Control-Allow-Origin back."""
    published_post(slug="post")
    response = Client().get(url, HTTP_ORIGIN="https://evil.example")
    assert response.status_code in (200, 404), url
    assert response["Content-Type"].startswith(NON_HTML[url])
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert not any(header.lower().startswith("access-control-") for header in response.headers)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/ocr", "/newsletter/subscribe/", "/accounts/login/"])
def test_cors_preflight_from_another_origin_is_not_granted(url: str) -> None:
    """C10: no CORS at all; a preflight gets no allow headers, with or without credentials."""
    response = Client().options(
        url,
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-csrftoken",
    )
    assert not any(header.lower().startswith("access-control-") for header in response.headers)


_PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "debug": s.DEBUG, "hsts": s.SECURE_HSTS_SECONDS, "subdomains": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "ssl_redirect": s.SECURE_SSL_REDIRECT, "health_checks": s.DATABASES["default"]["CONN_HEALTH_CHECKS"],
}))
"""


def _production_settings() -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASTHEAD_")}
    env.update(
        DJANGO_SETTINGS_MODULE="masthead.settings",
        MASTHEAD_SECRET_KEY="production-probe-" + "x" * 40,
        MASTHEAD_HTTPS="1",
        MASTHEAD_SITE_URL="https://masthead.example",
        MASTHEAD_ALLOWED_HOSTS="masthead.example",
        DATABASE_URL="postgres://masthead@127.0.0.1:5432/masthead",  # parsed, never opened
    )
    done = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_production_settings_turn_on_hsts_and_off_debug() -> None:
    """C07, C11 and F07 as configured: a year of HSTS with subdomains, DEBUG off without
    being asked, and database connections checked before reuse after an outage."""
    found = _production_settings()
    assert found["debug"] is False
    assert found["hsts"] >= 31_536_000 and found["subdomains"] is True
    assert found["ssl_redirect"] is True
    assert found["health_checks"] is True


@pytest.mark.django_db
def test_https_responses_send_the_hsts_header(settings: Any) -> None:
    """C07 on the wire, with the values production settings have (above)."""
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    secure = Client().get("/robots.txt", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in Client().get("/robots.txt")  # never over HTTP


_SQLITE_PROBE = """
import json, django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
print(json.dumps({"journal": journal, "busy_ms": timeout, "mode": connection.transaction_mode}))
"""


def test_sqlite_file_runs_in_wal_with_immediate_transactions(tmp_path: Path) -> None:
    """F12 / decision 7: web and worker can write one SQLite file at once."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="masthead.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
    )
    done = subprocess.run(
        [sys.executable, "-c", _SQLITE_PROBE], env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"journal": "wal", "busy_ms": 20_000, "mode": "IMMEDIATE"}


FETCHING_MODULES = {
    "urllib.request", "http.client", "requests", "httpx", "urllib3", "aiohttp", "pycurl",
    "ftplib", "xmlrpc.client", "socket", "websockets",
}  # fmt: skip


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_code_fetches_urls_on_the_servers_behalf() -> None:
    """C12: nothing in masthead/ can be pointed at an internal address: the one module that
    opens outgoing connections is the webhook sender, which connects only to the public
    addresses it checked (ADR 0604; tests/exchange/test_webhooks.py refuses private,
    loopback and rebinding targets). Mail goes through smtplib to the one configured host;
    remote images in Markdown are dropped (see test_markdown)."""
    found = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in MASTHEAD.rglob("*.py")
        for name in _imports(path)
        if name in FETCHING_MODULES or name.split(".")[0] in FETCHING_MODULES
    }
    assert found == {
        "masthead/exchange/webhooks.py: http.client",
        "masthead/exchange/webhooks.py: socket",
    }


MARK_SAFE_REVIEWED = {
    # body segments and the members-only teaser: Markdown output sanitised by nh3
    "masthead/blog/selectors.py": 2,
    # JSON-LD, serialised with <>& escaped; a {% fragment %} (template output, rendered
    # and escaped when it was built, ADR 0025)
    "masthead/core/templatetags/site_tags.py": 2,
    "masthead/tools/content.py": 1,  # the tool page's JSON-LD, built from constants
    # a post's email body: cut and sanitised by nh3 when the snapshot was taken
    "masthead/newsletter/emails.py": 1,
    # a comment: its text escaped and autolinked by comments/text.py when saved
    "masthead/comments/models.py": 1,
}


def test_markup_escapes_are_few_and_reviewed() -> None:
    """C04 beyond ruff S308 and bandit: templates never use ``|safe`` or switch escaping
    off for HTML, and every ``mark_safe`` call is one reviewed here."""
    templates = list(MASTHEAD.rglob("templates/**/*.*"))
    assert templates
    for template in templates:
        text = template.read_text()
        assert not re.search(r"\|\s*safe(seq)?\b", text), template
        if "{% autoescape off %}" in text:
            # plain text only: mail bodies, llms.txt, the post as Markdown (text/markdown)
            assert template.suffix in {".txt", ".md"}, template
    calls = {}
    for path in MASTHEAD.rglob("*.py"):
        count = len(re.findall(r"\bmark_safe\(", path.read_text()))
        if count:
            calls[str(path.relative_to(ROOT))] = count
    assert calls == MARK_SAFE_REVIEWED
