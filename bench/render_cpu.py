"""Render cost: CPU ms and queries per uncached render of every reader page, 9 and N posts.

What a page costs when the page cache misses (a member, a site too big for the cache, a
page nobody read since the last edit): one process, the Django test client, the page
cache off (``MASTHEAD_PAGE_CACHE_SECONDS=0``), DEBUG off, SQLite, on the same fresh sites
as ``bench/web_load.py`` (the demo, and the demo grown with ``load_demo_content --posts``).
Each page is measured twice: "cold" with the fragments off (every piece built, the cost of
a post nobody has read since the last edit) and "warm" with the fragments kept (ADR 0025).
``post*`` reads posts uniformly at random over the whole site; with fragments on that
mixes cold and warm pieces, as readers spread over 5,000 posts do, and its queries are
counted on a post not read before (with fragments on, they include the piece store's
reads and writes: SQLite's database cache here).

CPU time (``time.process_time``) rather than wall time: the machine is shared, and CPU
time is what another reader cannot get. Queries are counted on one extra request.

    .venv/bin/python bench/render_cpu.py [--posts 5000] [--requests 200] [--no-write]
        [--sites DIR]   (reuse sites made by an earlier run: DIR/site-9, DIR/site-N)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.web_load import PAGES as WEB_PAGES  # noqa: E402
from bench.web_load import _env, _prepare  # noqa: E402

PAGES = {
    **WEB_PAGES,
    "sitemap": "/sitemap.xml",
    "sitemap-posts": "/sitemap-posts.xml",
    "rss": "/feed/rss/",
    "tag rss": "/tag/ai/rss/",
}

_SNIPPET = """
import json, random, sys, time, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from masthead.blog.models import Post
client = Client(HTTP_HOST="127.0.0.1")
slugs = list(Post.objects.values_list("slug", flat=True))
random.seed(1)
out = {}
for name, path in PATHS:
    paths = ["/%s/" % random.choice(slugs) for _ in range(REQUESTS + 20)] if path == "*" else [path]
    for p in paths[:20]:
        assert client.get(p).status_code == 200, p
    start = time.process_time()
    for i in range(REQUESTS):
        assert client.get(paths[(20 + i) % len(paths)]).status_code == 200
    ms = (time.process_time() - start) * 1000 / REQUESTS
    # post*: counted on a post this run has not read (what most of its requests meet).
    unread = sorted(set(slugs) - {p.strip("/") for p in paths})[:1]
    last = "/%s/" % unread[0] if path == "*" and unread else paths[-1]
    with CaptureQueriesContext(connection) as queries:
        client.get(last)
    out[name] = [ms, len(queries)]
print(json.dumps(out))
"""


def measure(var_dir: Path, fragments: bool, pages: dict[str, str], requests: int = 200
            ) -> dict[str, tuple[float, int]]:  # fmt: skip
    """``{page: (CPU ms per render, queries)}`` in a fresh process, page cache off."""
    env = {**_env(var_dir, 0), "DJANGO_SETTINGS_MODULE": "masthead.settings",
           "MASTHEAD_FRAGMENT_CACHE_SECONDS": "3600" if fragments else "0",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    code = f"PATHS = {list(pages.items())!r}\nREQUESTS = {requests}\n{_SNIPPET}"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    return {k: (v[0], v[1]) for k, v in json.loads(out.strip().splitlines()[-1]).items()}


def _markdown(
    args: argparse.Namespace,
    results: dict[tuple[int, bool], dict[str, tuple[float, int]]],
    load: tuple[float, float, float],
) -> str:
    lines = [
        f"Command: `.venv/bin/python bench/render_cpu.py --posts {args.posts} "
        f"--requests {args.requests}`  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; machine: {psutil.cpu_count()} "
        f"cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, Python "
        f"{platform.python_version()}; load average before the run {load[0]:.1f} (shared "
        "box). One process, Django test client, page cache off, DEBUG off, SQLite; CPU ms per "
        "render (mean of the requests) / queries per render (the publication's settings read "
        "included).",
        "",
        "| posts | fragments | " + " | ".join(PAGES) + " |",
        "|---|---|" + "---|" * len(PAGES),
    ]
    for (posts, fragments), values in sorted(results.items()):
        cells = " | ".join(f"{values[n][0]:.1f} / {values[n][1]}" for n in PAGES)
        lines.append(f"| {posts} | {'warm' if fragments else 'cold'} | {cells} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sites", default="", help="keep the sites here (reused if present)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()
    results: dict[tuple[int, bool], dict[str, tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="masthead-render-") as tmp_name:
        base = Path(args.sites) if args.sites else Path(tmp_name)
        for posts in (9, args.posts) if args.posts > 9 else (9,):
            var_dir = base / f"site-{posts}"
            if not (var_dir / "masthead.sqlite3").exists():
                var_dir.mkdir(parents=True, exist_ok=True)
                _prepare(var_dir, posts)
            for fragments in (False, True):
                results[(posts, fragments)] = measure(var_dir, fragments, PAGES, args.requests)
                print(posts, fragments, results[(posts, fragments)], file=sys.stderr)
    section = _markdown(args, results, load)
    print(section)
    if not args.no_write:
        report.write_section("render-cpu", f"## Render cost without the page cache\n\n{section}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
