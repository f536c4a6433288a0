# ruff: noqa: E501
"""Comments: CPU per request for a post with 200 comments, in one process (Django test client).

Fresh SQLite database in a temporary folder, DEBUG off, local-memory cache. Measures the
cached post page (visitors), the comment list as visitors get it (the shared-cache copy),
the list for a signed-in member (the members' shared copy from the cache plus the reader's
own part, ADR 0121), and the post page for a member (never cached). Writes the ``comments`` section of BENCHMARKS.md unless ``--no-write``.

    .venv/bin/python bench/comments_render.py [--comments 200] [--requests 300]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402

GHOST_CPU_MS = 15.0  # Ghost 6 CPU per post render (BENCHMARKS.md web-load reference)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="masthead-bench-comments-")
    os.environ["MASTHEAD_DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
    os.environ["MASTHEAD_CACHE_URL"] = "locmem://"
    os.environ["MASTHEAD_DEBUG"] = "0"
    os.environ.setdefault("MASTHEAD_SECRET_KEY", "bench-" + "x" * 50)
    os.environ["MASTHEAD_PAGE_CACHE_SECONDS"] = "600"
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    from django.test.utils import override_settings

    override_settings(  # no collectstatic manifest in a scratch run
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from django.contrib.auth import get_user_model

    from masthead.comments import services
    from masthead.comments.models import Comment
    from tests.blog.factories import make_author, published_post

    writer = make_author(display_name="Writer", slug="writer")
    post = published_post(slug="busy", title="A busy post", authors=[writer])
    users = [
        get_user_model().objects.create(username=f"m{n}", email=f"m{n}@example.com")
        for n in range(20)
    ]
    tops: list[Comment] = []
    for n in range(args.comments):
        parent = tops[n % len(tops)] if n % 3 == 2 and tops else None
        c = Comment.objects.create(
            post=post,
            parent=parent,
            author=users[n % 20],
            text=f"Comment {n} with a link https://example.com/{n} and some words.",
            html=f'<p>Comment {n} with a link <a href="https://example.com/{n}" rel="nofollow ugc noopener">https://example.com/{n}</a> and some words.</p>',
        )
        if parent is None:
            tops.append(c)
    services._changed(post)

    visitor = Client()
    member = Client()
    member.force_login(users[0])
    cases = {
        "post page, visitor (page cache)": (visitor, "/busy/"),
        "comment list, visitor (shared cache)": (visitor, "/busy/comments/list/"),
        "comment list, signed-in member": (member, "/busy/comments/list/"),
        "post page, signed-in member": (member, "/busy/"),
    }
    rows = []
    for name, (client, url) in cases.items():
        for _ in range(10):  # warm the caches
            assert client.get(url).status_code == 200
        times = []
        for _ in range(args.requests):
            start = time.process_time()
            response = client.get(url)
            times.append((time.process_time() - start) * 1000)
            assert response.status_code == 200
        median = statistics.median(times)
        rows.append(
            f"| {name} | {median:.2f} | {sorted(times)[int(len(times) * 0.99) - 1]:.2f} | "
            f"{1000 / median:.0f} | {GHOST_CPU_MS / median:.1f}x |"
        )
    text = "\n".join(
        [
            "## Comments",
            "",
            f"Command: `.venv/bin/python bench/comments_render.py --comments {args.comments} --requests {args.requests}`  ",
            f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; one process, Django test client, SQLite, local-memory cache.",
            "",
            f"A post with {args.comments} comments (a third of them replies).",
            "",
            "| request | CPU ms (median) | CPU ms (p99) | req/s per core (1000 / median) | vs Ghost 6 post render (15 ms) |",
            "|---|---|---|---|---|",
            *rows,
            "",
            "Not measured here: the same pages under wrk against Ghost 6 on this machine (the issue's load benchmark).",
        ]
    )
    print(text)
    if not args.no_write:
        report.write_section("comments", text)


if __name__ == "__main__":
    main()
