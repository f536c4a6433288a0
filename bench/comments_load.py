"""Comments under load: a post with 200 comments, its page plus its comment list, under wrk.

The web server as ``make run`` starts it (the Procfile's ``web`` line, as in
``bench/web_load.py``): DEBUG off, collectstatic'd assets served by WhiteNoise, the page
cache on (60 s), a fresh SQLite site with one post carrying ``--comments`` comments (a
third of them replies) from 20 members. A reader's view of the post is two requests, the
page and the list comments.js loads beside it (ADR 0120/0121), so each wrk run alternates
the two URLs and "views/s" is requests/s / 2. Readers: a visitor, and a signed-in member
(session cookie). With ``--ghost-url URL --ghost-post PATH`` a Ghost post page is measured
the same way in the same run, round by round interleaved with ours so a busy neighbour
slows both alike (Ghost's own comments load from its members API and are not included).

    .venv/bin/python bench/comments_load.py [--duration 5] [--rounds 2] [--comments 200]
        [--connections 16] [--ghost-url http://127.0.0.1:2368 --ghost-post /a-post/] [--no-write]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.web_load import _cpu_seconds, _env, _start, _tree, _wrk  # noqa: E402

PY = sys.executable
SLUG = "a-busy-conversation"
MEMBER_EMAIL = "bench-member@example.com"

_SITE_SNIPPET = """
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from masthead.comments import services
from masthead.comments import text as comment_text
from masthead.comments.models import Comment
from masthead.members.models import Profile
from tests.blog.factories import make_author, published_post

writer = make_author(display_name="Writer", slug="bench-writer")
body = "\\n\\n".join(
    f"Paragraph {n}: a few sentences about the story, long enough to look like one. " * 4
    for n in range(12)
)
post = published_post(slug=SLUG, title="A busy conversation", body=body, authors=[writer])
users = []
for n in range(20):
    user = get_user_model().objects.create(username=f"reader{n}", email=f"reader{n}@example.com")
    Profile.objects.update_or_create(user=user, defaults={"display_name": f"Reader {n}"})
    users.append(user)
tops = []
for n in range(COMMENTS):
    parent = tops[n % len(tops)] if n % 3 == 2 and tops else None
    text = f"Comment {n}, with a link https://example.com/{n} and some words about the post."
    c = Comment.objects.create(post=post, parent=parent, author=users[n % 20], text=text,
                               html=comment_text.render(text))
    if parent is None:
        tops.append(c)
services._changed(post)
member = users[0]
session = SessionStore()
session["_auth_user_id"] = str(member.pk)
session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
session["_auth_user_hash"] = member.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def _prepare(var_dir: Path, comments: int) -> str:
    """Make the site; the session key of a signed-in member who wrote some of the comments."""
    env = _env(var_dir, 0)
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True)
    code = f"SLUG = {SLUG!r}\nCOMMENTS = {comments}\n{_SITE_SNIPPET}"
    env = {**env, "DJANGO_SETTINGS_MODULE": "masthead.settings", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers (ours, by pid); a loaded box may take a while."""
    family = _tree(server.pid)
    for process in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _, alive = psutil.wait_procs(family, timeout=30)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    server.wait(10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lua(paths: list[str], cookie: str) -> str:
    """A wrk script: browser-like headers, the paths in turn (page, list, page, list...)."""
    script = 'wrk.headers["Accept-Encoding"] = "br, gzip"\n'
    if cookie:
        script += f'wrk.headers["Cookie"] = "sessionid={cookie}"\n'
    quoted = ", ".join(f'"{p}"' for p in paths)
    return script + (
        f"local paths = {{{quoted}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        "  return wrk.format(nil, paths[i])\n"
        "end\n"
    )


def _check(url: str, cookie: str, expect: str) -> None:
    """The URL answers 200 with ``expect`` in it (the member really is signed in)."""
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        body = r.read().decode()
    if expect not in body:
        raise RuntimeError(f"{url} did not contain {expect!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument(
        "--ghost-url", default="", help="a running Ghost, e.g. http://127.0.0.1:2368"
    )
    parser.add_argument("--ghost-post", default="", help="a post's path on it, e.g. /welcome/")
    parser.add_argument(
        "--ghost-comments",
        default="",
        help="its comments request, alternated with the page as ours is "
        "(e.g. /members/api/comments/post/<post id>/?limit=20, what Ghost's comments load first)",
    )
    parser.add_argument("--ghost-pid", type=int, default=0, help="Ghost's process, for CPU")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    if bool(args.ghost_url) != bool(args.ghost_post):
        parser.error("--ghost-url and --ghost-post go together")
    load = os.getloadavg()
    runs: dict[str, list[tuple[float, float, float, float, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="masthead-bench-comments-") as tmp_name:
        tmp = Path(tmp_name)
        var_dir = tmp / "site"
        var_dir.mkdir()
        cookie = _prepare(var_dir, args.comments)
        port = _free_port()
        server = _start(var_dir, 60, port)
        base = f"http://127.0.0.1:{port}"
        page, listing = f"/{SLUG}/", f"/{SLUG}/comments/list/"
        try:
            _check(base + listing, cookie, 'id="comments-reader"')
            _check(base + listing, "", "Comment 0,")
            targets: list[tuple[str, str, list[str], str, int | None]] = [
                ("Masthead, visitor", base, [page, listing], "", server.pid),
                ("Masthead, signed-in member", base, [page, listing], cookie, server.pid),
            ]
            if args.ghost_url:
                ghost = args.ghost_url.rstrip("/")
                paths = [args.ghost_post, *([args.ghost_comments] if args.ghost_comments else [])]
                label = "its comments" if args.ghost_comments else "post page only"
                targets.append(
                    (f"Ghost, visitor (page + {label})" if args.ghost_comments
                     else f"Ghost, visitor ({label})", ghost, paths, "", args.ghost_pid or None)
                )  # fmt: skip
            for _ in range(args.rounds):
                for name, origin, paths, who, pid in targets:  # interleaved round by round
                    script = tmp / "wrk.lua"
                    script.write_text(_lua(paths, who))
                    url = origin + paths[0]
                    _wrk(url, 1, args.connections, script)  # warm up
                    before = _cpu_seconds(pid) if pid else 0.0
                    rps, p50, p99, total, errors = _wrk(
                        url, args.duration, args.connections, script
                    )
                    cpu = (
                        (_cpu_seconds(pid) - before) * 1000 / max(total, 1) if pid else float("nan")
                    )
                    runs.setdefault(name, []).append((rps, p50, p99, cpu, errors))
        finally:
            _stop(server)
    rows = []
    for name, values in runs.items():
        rps, p50, p99, cpu = (statistics.median(v[i] for v in values) for i in range(4))
        per_view = 2 if name.startswith("Masthead") or "comments" in name else 1
        cpu_text = "n/a" if cpu != cpu else f"{cpu:.2f}"
        rows.append(
            f"| {name} | {rps:.0f} | {rps / per_view:.0f} | {p50:.1f} | {p99:.1f} | {cpu_text} "
            f"| {sum(v[4] for v in values)} |"
        )
    text = "\n".join(
        [
            "## Comments load",
            "",
            f"Command: `.venv/bin/python bench/comments_load.py --duration {args.duration} "
            f"--rounds {args.rounds} --comments {args.comments}"
            + (
                f" --ghost-url {args.ghost_url} --ghost-post {args.ghost_post}"
                + (f" --ghost-comments '{args.ghost_comments}'" if args.ghost_comments else "")
                if args.ghost_url
                else ""
            )
            + "`  ",
            f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, "
            f"{os.cpu_count()} cores, load average {load[0]:.1f} at the start; Python "
            f"{platform.python_version()}.",
            "",
            f"Server: the Procfile's (granian, 2 processes), DEBUG off, SQLite, page cache 60 s; "
            f"client: wrk -t2 -c{args.connections}, {args.duration} s per run, median of "
            f"{args.rounds} interleaved rounds. One post with {args.comments} comments; a view "
            "is the post page plus its comment list (two requests).",
            "",
            "| reader | requests/s | views/s | p50 ms | p99 ms | server CPU ms/request | non-2xx |",
            "|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
    print(text)
    if not args.no_write:
        report.write_section("comments-load", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
