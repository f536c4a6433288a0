# ruff: noqa: E501
"""Post search on PostgreSQL: the stored, GIN-indexed vector against computing it per query.

Fills a fresh PostgreSQL database with ``--posts`` published posts (seeded pseudo-words
with Zipf frequencies, a 400-word body each), then times the site's search (``selectors.post_search``, which reads
the stored ``search_vector`` of migration 0003) and, in the same run, the method it
replaced: the same weighted vector built from the columns on every query. Both must return
the same posts. Also reports what the stored column costs on writes (bulk insert of the
posts with and without it). Writes the ``search`` section of BENCHMARKS.md unless
``--no-write``.

    .venv/bin/python bench/search.py [--posts 5000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from tests import services  # noqa: E402

DATABASE = "masthead_bench_search"
QUERIES = {
    "rare word (1 post)": "zephyrine",
    "common word (1 post in 10)": "harbour",
    "two words (1 post in 50)": "lantern orchard",
    "phrase (1 post in 25)": '"copper kettle"',
}


def _fresh_database() -> str:
    import psycopg

    server = services.POSTGRES_URL.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {DATABASE}")
    return f"{server}/{DATABASE}"


def _words(rng: random.Random, count: int) -> list[str]:
    letters = "abcdefghijklmnoprstuvw"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(count)]


def _posts(count: int) -> list[dict[str, Any]]:
    """Seeded posts; the query words are planted at known rates."""
    rng = random.Random(7)
    vocabulary = _words(rng, 40_000)
    # Word frequencies in text follow Zipf's law: a few words are everywhere, most are rare
    # (which is what the planner's statistics expect of a real blog).
    weights = list(accumulate(1 / rank for rank in range(1, len(vocabulary) + 1)))
    when = datetime.now(UTC) - timedelta(days=1)
    posts = []
    for n in range(count):
        body = rng.choices(vocabulary, cum_weights=weights, k=400)
        if n == count // 2:
            body[10] = "zephyrine"
        if n % 10 == 3:
            body[50] = "harbour"
        if n % 50 == 7:
            body[90:92] = ["lantern", "orchard"]
        if n % 25 == 11:
            body[120:122] = ["copper", "kettle"]
        posts.append(
            {
                "slug": f"post-{n}",
                "title": " ".join(rng.choices(vocabulary, cum_weights=weights, k=6)).capitalize(),
                "excerpt": " ".join(rng.choices(vocabulary, cum_weights=weights, k=25)),
                "body": " ".join(body),
                "published_at": when - timedelta(minutes=n),
            }
        )
    return posts


def _on_the_fly(query: str) -> list[Any]:
    """The previous method: the weighted vector computed from the columns per query."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    from masthead.blog.selectors import SEARCH_LIMIT, post_list_published

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("excerpt", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )
    search = SearchQuery(query, search_type="websearch", config="english")
    queryset = (
        post_list_published()
        .annotate(rank=SearchRank(vector, search))
        .filter(rank__gt=0)
        .order_by("-rank", "-published_at")
    )
    return list(queryset[:SEARCH_LIMIT])


def _time(call: Any, runs: int) -> tuple[float, list[Any]]:
    found = call()  # a first run warms the caches; the median of the next ones is kept
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), found


def _insert(rows: list[dict[str, Any]]) -> float:
    from masthead.blog.models import Post

    started = time.perf_counter()
    for start in range(0, len(rows), 500):
        Post.objects.bulk_create(
            Post(status=Post.Status.PUBLISHED, **row) for row in rows[start : start + 500]
        )
    return time.perf_counter() - started


def measure(posts: int, runs: int) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = _fresh_database()
    os.environ.setdefault("MASTHEAD_SECRET_KEY", "bench-search-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from masthead.blog import selectors

    call_command("migrate", verbosity=0)
    rows = _posts(posts)
    call_command("migrate", "blog", "0002", verbosity=0)  # writes without the stored vector
    insert_without = _insert(rows)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE blog_post CASCADE")
    call_command("migrate", "blog", verbosity=0)  # the column and its index, as shipped
    insert_with = _insert(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE blog_post")
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('blog_post_search_vector'))")
        index_size = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    results = {}
    for label, query in QUERIES.items():
        stored, found = _time(lambda q=query: selectors.post_search(query=q), runs)
        fly, expected = _time(lambda q=query: _on_the_fly(q), runs)
        # The method before also listed posts without the words, ranked 1e-20, when a query
        # of several words had fewer matches than the limit: compare the real matches.
        matches = [p.pk for p in expected if p.rank > 1e-20]
        assert [p.pk for p in found] == matches, label
        results[label] = {"query": query, "stored": stored, "fly": fly, "hits": len(found)}
        print(label, results[label], flush=True)
    return {
        "posts": posts,
        "runs": runs,
        "queries": results,
        "insert_with": insert_with,
        "insert_without": insert_without,
        "index_size": index_size,
        "server": server,
        "limit": selectors.SEARCH_LIMIT,
    }


def _section(r: dict[str, Any]) -> str:
    import django

    lines = [
        "## Search (PostgreSQL)",
        "",
        f"Command: `.venv/bin/python bench/search.py --posts {r['posts']} --runs {r['runs']}`  ",
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {platform.machine()}, 2 cores shared "
        f"with other work; Python {platform.python_version()}, Django {django.__version__}, "
        f"PostgreSQL {r['server']}.  ",
        f"{r['posts']:,} published posts (400-word bodies, 6-word titles and 25-word excerpts drawn from 40,000 "
        "seeded pseudo-words with Zipf frequencies). Median of the runs after a first, warming one; both methods return "
        "the same matching posts in the same order (checked; the method before also listed posts "
        "with none of the words, ranked 1e-20, when a query of several words had fewer matches than "
        "the limit).",
        "",
        f"| query | hits (first {r['limit']}) | stored, GIN-indexed vector (the site) | vector computed per query (before) | speed-up |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label, q in r["queries"].items():
        lines.append(
            f"| {label}: `{q['query']}` | {q['hits']} | {q['stored'] * 1000:.1f} ms | "
            f"{q['fly'] * 1000:.0f} ms | {q['fly'] / q['stored']:.0f}x |"
        )
    per_post = (r["insert_with"] - r["insert_without"]) / r["posts"] * 1000
    lines += [
        "",
        f"Cost on writes: inserting the {r['posts']:,} posts took {r['insert_with']:.1f} s with the "
        f"stored vector and {r['insert_without']:.1f} s without ({per_post:.2f} ms more per post); "
        f"the GIN index is {r['index_size']}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    section = _section(measure(args.posts, args.runs))
    print(section)
    if not args.no_write:
        report.write_section("search", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
