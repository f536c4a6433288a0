# ruff: noqa: E501
"""Moving in: import 5,000 posts and 50,000 members, and the Content API's posts list.

Makes a Ghost 5 export of ``--posts`` posts (Lexical bodies of about 600 words, three tags
and an author each) and a Ghost members CSV of ``--members`` rows, and a WordPress WXR file
of the same posts; imports each into a fresh SQLite site in a child process and records the
wall time and the child's peak RSS (``ru_maxrss``). Then serves that site with the
Procfile's web server and measures ``/ghost/api/content/posts/?include=tags,authors`` with
wrk, with the answer cache on and off. Writes the ``exchange`` section of BENCHMARKS.md
unless ``--no-write``.

    .venv/bin/python bench/exchange.py [--posts 5000] [--members 50000] [--duration 10]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.web_load import PY, _env, _wrk  # noqa: E402
from tests.tools import stack  # noqa: E402

WORDS = [
    "harbour",
    "lantern",
    "orchard",
    "copper",
    "kettle",
    "signal",
    "river",
    "model",
    "security",
    "data",
    "cloud",
    "market",
    "growth",
    "reader",
    "editor",
    "network",
    "index",
    "pattern",
    "system",
    "layer",
    "window",
    "garden",
]


def _paragraph(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make_ghost(path: Path, posts: int, rng: random.Random) -> None:
    tags = [{"id": f"t{i}", "name": f"Topic {i}", "slug": f"topic-{i}"} for i in range(40)]
    users = [
        {
            "id": f"u{i}",
            "name": f"Writer {i}",
            "slug": f"writer-{i}",
            "email": f"w{i}@bench.example",
        }
        for i in range(20)
    ]
    rows, posts_tags, posts_authors = [], [], []
    for n in range(posts):
        children = []
        for _ in range(6):
            children.append(
                {
                    "type": "heading",
                    "tag": "h2",
                    "children": [{"type": "text", "text": _paragraph(rng, 4), "format": 0}],
                }
            )
            children.append(
                {
                    "type": "paragraph",
                    "children": [{"type": "text", "text": _paragraph(rng, 100), "format": 0}],
                }
            )
        rows.append(
            {
                "id": f"p{n}",
                "title": f"Post {n}: {_paragraph(rng, 5)}",
                "slug": f"post-{n}",
                "lexical": json.dumps({"root": {"type": "root", "children": children}}),
                "html": None,
                "type": "post",
                "status": "published",
                "visibility": "public" if n % 5 else "members",
                "published_at": f"2024-01-01T00:00:{n % 60:02d}.000Z",
                "created_at": "2024-01-01T00:00:00.000Z",
                "featured": n % 50 == 0,
                "custom_excerpt": _paragraph(rng, 20),
            }
        )
        for order, t in enumerate(rng.sample(range(40), 3)):
            posts_tags.append({"post_id": f"p{n}", "tag_id": f"t{t}", "sort_order": order})
        posts_authors.append({"post_id": f"p{n}", "author_id": f"u{n % 20}", "sort_order": 0})
    data = {
        "posts": rows,
        "tags": tags,
        "users": users,
        "posts_tags": posts_tags,
        "posts_authors": posts_authors,
    }
    path.write_text(json.dumps({"db": [{"meta": {"version": "5.80.0"}, "data": data}]}))


def make_members(path: Path, members: int) -> None:
    with path.open("w") as out:
        out.write(
            "id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers\n"
        )
        for i in range(members):
            out.write(
                f"{i},reader{i}@bench.example,Reader {i},,{'false' if i % 10 == 0 else 'true'},false,,2024-01-01T00:00:00.000Z,,,\n"
            )


def make_wxr(path: Path, posts: int, rng: random.Random) -> None:
    with path.open("w") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"><channel><wp:wxr_version>1.2</wp:wxr_version>\n'
        )
        for i in range(20):
            out.write(
                f"<wp:author><wp:author_login>w{i}</wp:author_login><wp:author_email>w{i}@bench.example</wp:author_email>"
                f"<wp:author_display_name>Writer {i}</wp:author_display_name></wp:author>\n"
            )
        for n in range(posts):
            body = "".join(
                f"<!-- wp:heading --><h2>{_paragraph(rng, 4)}</h2><!-- /wp:heading -->"
                f"<!-- wp:paragraph --><p>{_paragraph(rng, 100)}</p><!-- /wp:paragraph -->"
                for _ in range(6)
            )
            out.write(
                f"<item><title>{escape(f'Post {n}')}</title><link>https://old.example/2024/01/01/post-{n}/</link>"
                f"<dc:creator>w{n % 20}</dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{n + 1}</wp:post_id>"
                f"<wp:post_date_gmt>2024-01-01 00:00:00</wp:post_date_gmt><wp:post_name>post-{n}</wp:post_name>"
                f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="topic-{n % 40}"><![CDATA[Topic {n % 40}]]></category></item>\n'
            )
        out.write("</channel></rss>\n")


def _fresh_site(var_dir: Path) -> dict[str, str]:
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**_env(var_dir, 60), "MASTHEAD_MEDIA_ROOT": str(var_dir / "media")}
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True)
    return env


def _start(var_dir: Path, cache_seconds: int, port: int) -> subprocess.Popen[bytes]:
    """The Procfile's web server on ``port``; waits up to 3 minutes (a busy machine starts slowly)."""
    web = stack.procfile_command("web").replace(" --access-log", "")
    env = {
        **_env(var_dir, cache_seconds),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PATH": f"{Path(PY).parent}:{os.environ['PATH']}",
    }
    server = subprocess.Popen(["bash", "-c", f"exec {web}"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("the web server did not start")


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MB) of one child process."""
    script = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024); "
        "print(r.stdout[-2000:]); print(r.stderr[-2000:], file=sys.stderr); sys.exit(r.returncode)"
    )
    out = subprocess.run(
        [PY, "-c", script, PY, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    first, _, rest = out.partition("\n")
    seconds, rss = (float(x) for x in first.split())
    return seconds, rss, rest


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--members", type=int, default=50000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rng = random.Random(7)
    lines = []
    with tempfile.TemporaryDirectory(prefix="masthead-exchange-bench-") as tmp:
        work = Path(tmp)
        ghost_file, members_file, wxr_file = (
            work / "ghost.json",
            work / "members.csv",
            work / "wordpress.xml",
        )
        make_ghost(ghost_file, args.posts, rng)
        make_members(members_file, args.members)
        make_wxr(wxr_file, args.posts, rng)
        sizes = {p.name: p.stat().st_size / 2**20 for p in (ghost_file, members_file, wxr_file)}

        ghost_site = work / "ghost-site"
        env = _fresh_site(ghost_site)
        g_s, g_rss, g_out = _timed(
            ["import_ghost", str(ghost_file), "--members", str(members_file)], env
        )
        again_s, again_rss, again_out = _timed(
            ["import_ghost", str(ghost_file), "--members", str(members_file)], env
        )
        wp_env = _fresh_site(work / "wp-site")
        w_s, w_rss, _ = _timed(["import_wordpress", str(wxr_file)], wp_env)
        s_s, s_rss, _ = _timed(["import_subscribers", str(members_file)], wp_env)
        key = subprocess.run(
            [PY, "manage.py", "content_key", "create", "bench"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        api = []
        for cache_seconds in (60, 0):
            server = _start(ghost_site, cache_seconds, args.port)
            try:
                url = f"http://127.0.0.1:{args.port}/ghost/api/content/posts/?key={key}&include=tags,authors"
                _wrk(url, 2, args.connections)
                rps, p50, p99, total, errors = _wrk(url, args.duration, args.connections)
                api.append((cache_seconds, rps, p50, p99, total, errors))
            finally:
                server.terminate()
                server.wait(timeout=30)
    created = next((line for line in g_out.splitlines() if line.startswith("Created")), "")
    unchanged = next((line for line in again_out.splitlines() if line.startswith("Unchanged")), "")
    load = os.getloadavg()[0]
    lines += [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, load average {load:.1f} at the end (other work shared the cores), Python {platform.python_version()}, SQLite; "
        f"run {time.strftime('%Y-%m-%d')}. Command: `.venv/bin/python bench/exchange.py --posts {args.posts} --members {args.members}`.",
        "",
        "| import | input | wall time | peak RSS |",
        "|---|---|---|---|",
        f"| `import_ghost` {args.posts:,} posts + `--members` {args.members:,} rows | {sizes['ghost.json']:.1f} MB JSON + {sizes['members.csv']:.1f} MB CSV | {g_s:.1f} s | {g_rss:.0f} MB |",
        f"| the same again (idempotent re-run) | same | {again_s:.1f} s | {again_rss:.0f} MB |",
        f"| `import_wordpress` {args.posts:,} posts (streamed) | {sizes['wordpress.xml']:.1f} MB WXR | {w_s:.1f} s | {w_rss:.0f} MB |",
        f"| `import_subscribers` {args.members:,} rows | {sizes['members.csv']:.1f} MB CSV | {s_s:.1f} s | {s_rss:.0f} MB |",
        "",
        f"First run: {created}  Re-run: {unchanged}",
        "",
        f"Content API, `GET /ghost/api/content/posts/?include=tags,authors` (15 posts a page), the Procfile's web server "
        f"(granian, 2 processes), wrk -t2 -c{args.connections} for {args.duration} s on the same cores:",
        "",
        "| answer cache | req/s | p50 | p99 | requests | errors |",
        "|---|---|---|---|---|---|",
    ]
    for cache_seconds, rps, p50, p99, total, errors in api:
        state = f"on ({cache_seconds} s)" if cache_seconds else "off"
        lines.append(
            f"| {state} | {rps:,.0f} | {p50:.1f} ms | {p99:.1f} ms | {total:,} | {errors} |"
        )
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        report.write_section("exchange", text)


if __name__ == "__main__":
    main()
