"""Web load: every reader-facing page, page cache on and off, visitor and member, 9 and N posts.

Production-like: DEBUG off, collectstatic'd assets served by WhiteNoise, fresh SQLite
sites (the demo content, and the demo grown to ``--posts`` with ``load_demo_content
--posts``), the web server as ``make run`` starts it (the Procfile's ``web`` line: granian,
``WEB_WORKERS`` processes, one by default, docs/decisions/0037 and 0041). For each site two
servers run side by side, one with the page cache (MASTHEAD_PAGE_CACHE_SECONDS=60) and one
without (0; fragments, ADR 0025, stay on), and the runs are interleaved round by round so a
busy neighbour slows both alike; each figure is the median of the rounds. "member" sends a
signed-in member's session cookie. "post*" reads posts uniformly at random over the whole
site (wrk Lua). Responses are requested with ``Accept-Encoding: br, gzip`` as browsers do.

Reported per run: requests/s, p50/p99 latency (wrk's histogram), CPU ms per request
(user+system time of the server's processes over requests served), bytes on the wire
for the page. Results go to the ``web-load`` section of BENCHMARKS.md.

Ghost beside it (bench/ghost/, bench/ghost_site.py): ``--ghost-home`` names the
``GHOST_HOME`` of a running Ghost seeded with the nine demo articles, ``--ghost-large-home``
one seeded to ``--posts`` posts (``seed.py --posts N``). Each is measured in the same rounds
as the Masthead site of its size, right before Masthead's pair for each page and reader:
a visitor, and a member signed in through Ghost's own magic link. The section then adds
Masthead/Ghost ratios. ``--posts 0`` measures the demo site only.

    .venv/bin/python bench/web_load.py [--duration 5] [--rounds 2] [--posts 5000] [--no-write]
        [--ghost-home /work/ghost] [--ghost-large-home /work/ghost5k]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.ghost_site import GhostSite  # noqa: E402
from tests.tools import stack  # noqa: E402

PY = sys.executable
POST = "/reading-receipts-with-a-machine/"
PAGES = {
    "post": POST,
    "post*": "*",
    "home": "/",
    "tag": "/tag/ai/",
    "author": "/author/ben-hartley/",
    "archive": "/archive/",
}
GHOST_PAGES = {  # Ghost's paths for the same pages (it has no archive page)
    "post": POST,
    "post*": "*",
    "home": "/",
    "tag": "/tag/ai/",
    "author": "/author/ben-hartley/",
}
MEMBER_EMAIL = "bench-member@example.com"


@dataclass
class Result:
    posts: int
    page: str
    cached: bool
    member: bool
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float
    wire_bytes: int
    errors: int


def _env(var_dir: Path, cache_seconds: int) -> dict[str, str]:
    return {
        **os.environ,
        "MASTHEAD_DEBUG": "false",
        "MASTHEAD_VAR_DIR": str(var_dir),
        "MASTHEAD_SECRET_KEY": "bench-" + "k" * 50,  # one key: the member's cookie works on both
        "MASTHEAD_PAGE_CACHE_SECONDS": str(cache_seconds),
        "MASTHEAD_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{var_dir / 'masthead.sqlite3'}",
    }


_SESSION_SNIPPET = """
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
user, _ = get_user_model().objects.get_or_create(username="bench-member", email=EMAIL)
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def _prepare(var_dir: Path, posts: int) -> str:
    """Make the site; the session key of a signed-in member."""
    env = _env(var_dir, 0)
    load = ["load_demo_content", "--posts", str(posts)] if posts > 9 else ["load_demo_content"]
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["createcachetable"],
        load,
        ["collectstatic", "--noinput", "-v", "0"],
        ["build_post_pieces"],  # what the worker does after the load (ADR 0025)
    ):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True)
    code = f"EMAIL = {MEMBER_EMAIL!r}\n{_SESSION_SNIPPET}"
    env = {**env, "DJANGO_SETTINGS_MODULE": "masthead.settings"}
    out = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def _start(var_dir: Path, cache_seconds: int, port: int) -> subprocess.Popen[bytes]:
    web = stack.procfile_command("web").replace(" --access-log", "")
    env = {**_env(var_dir, cache_seconds), "HOST": "127.0.0.1", "PORT": str(port),
           "PATH": f"{Path(PY).parent}:{os.environ['PATH']}"}  # fmt: skip
    server = subprocess.Popen(["bash", "-c", f"exec {web}"], cwd=ROOT, env=env)
    for _ in range(600):  # up to 2 minutes: a busy shared box starts slowly
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the web server did not start")


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _cpu_seconds(pid: int) -> float:
    return float(sum(p.cpu_times().user + p.cpu_times().system for p in _tree(pid)))


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:  # wrk prints e.g. "-nan" when it could not measure
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3.6e6}[unit]


def _lua(paths_file: Path, cookie: str) -> str:
    """A wrk script: headers, and for post* a uniformly random post path per request."""
    header = 'wrk.headers["Accept-Encoding"] = "br, gzip"\n'
    if cookie:
        header += f'wrk.headers["Cookie"] = "{cookie}"\n'
    if not paths_file.name:
        return header
    return header + (
        "local paths = {}\n"
        f'for line in io.lines("{paths_file}") do paths[#paths + 1] = line end\n'
        "request = function() return wrk.format(nil, paths[math.random(#paths)]) end\n"
    )


def _wrk(
    url: str, duration: int, connections: int, script: Path | None = None
) -> tuple[float, float, float, int, int]:
    lua = ["-s", str(script)] if script is not None else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *lua, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    return rps, p50, p99, total, errors


def _wire_bytes(url: str, cookie: str) -> int:
    headers = {"Accept-Encoding": "br, gzip"}
    if cookie:
        headers["Cookie"] = cookie
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        return len(r.read())


Runs = dict[tuple[str, bool, bool], list[tuple[float, float, float, float, int, int]]]


@dataclass
class Target:
    """One server under load: where it is, how to read its CPU time, how a member signs in."""

    name: str  # "" for Masthead, "ghost" for Ghost
    base: str
    cpu_seconds: Callable[[], float]
    member_cookie: str
    post_paths: Path

    def measure(self, page: str, path: str, member: bool, cached: bool,
                args: argparse.Namespace, tmp: Path, runs: Runs) -> None:  # fmt: skip
        """One wrk run of ``path`` (``*``: a random post per request), after a 1 s warm-up."""
        cookie = self.member_cookie if member else ""
        script = tmp / f"wrk-{self.name or 'masthead'}-{page}-{member}.lua"
        script.write_text(_lua(self.post_paths if path == "*" else Path(), cookie))
        url = f"{self.base}{POST if path == '*' else path}"
        _wrk(url, 1, args.connections, script)
        before = self.cpu_seconds()
        rps, p50, p99, total, errors = _wrk(url, args.duration, args.connections, script)
        cpu_ms = (self.cpu_seconds() - before) * 1000 / max(total, 1)
        key = (f"{self.name}:{page}" if self.name else page, cached, member)
        runs.setdefault(key, []).append((rps, p50, p99, cpu_ms, _wire_bytes(url, cookie), errors))


def _ghost_target(site: GhostSite | None, tmp: Path) -> Target | None:
    if site is None:
        return None
    paths = tmp / f"ghost-paths-{site.pid}.txt"
    paths.write_text("".join(f"{path}\n" for path in site.post_paths()))
    return Target("ghost", site.url, site.cpu_seconds, site.member_cookie(MEMBER_EMAIL), paths)


def _site(posts: int, masthead: dict[bool, Target], ghost: Target | None,
          args: argparse.Namespace, tmp: Path) -> list[Result]:  # fmt: skip
    """Every page, ``args.rounds`` times: Ghost (visitor, member), then Masthead's four runs."""
    runs: Runs = {}
    for _ in range(args.rounds):
        for name, path in PAGES.items():
            for member in (False, True):
                if ghost is not None and name in GHOST_PAGES:
                    ghost.measure(name, GHOST_PAGES[name], member, False, args, tmp, runs)
                for cached in (True, False):  # interleaved: the two servers alternate
                    masthead[cached].measure(name, path, member, cached, args, tmp, runs)
    results = []
    for (name, cached, member), values in runs.items():
        med = [statistics.median(v[i] for v in values) for i in range(4)]
        results.append(Result(posts, name, cached, member, med[0], med[1], med[2], med[3],
                              values[-1][4], sum(v[5] for v in values)))  # fmt: skip
    return results


def _render_cpu(var_dir: Path, fragments: bool) -> dict[str, float]:
    """CPU ms per render in one process (no server, page cache off): the page's own cost."""
    from bench import render_cpu  # it imports this module's site helpers

    return {name: ms for name, (ms, _) in render_cpu.measure(var_dir, fragments, PAGES).items()}


def _ghost_table(results: list[Result], posts: int) -> list[str]:
    """Masthead/Ghost ratios per page at one site size (``nan`` where a side is missing)."""
    ours = {(r.page, r.cached, r.member): r for r in results if r.posts == posts}
    lines = [
        "| posts | page | Ghost visitor req/s | CPU ms/req | Ghost member req/s | CPU ms/req "
        "| Ghost bytes | Masthead/Ghost req/s: visitor, cache off | member, cache off "
        "| visitor, cache on | Ghost/Masthead CPU per request: visitor, cache off |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in GHOST_PAGES:
        visitor, member = (
            ours.get((f"ghost:{name}", False, False)),
            ours.get((f"ghost:{name}", False, True)),
        )
        if visitor is None or member is None:
            continue

        def ratio(key: tuple[str, bool, bool], ghost: Result) -> str:
            mine = ours.get(key)
            return f"{mine.rps / ghost.rps:.2f}x" if mine and ghost.rps else "nan"

        off = ours.get((name, False, False))
        cpu = f"{visitor.cpu_ms / off.cpu_ms:.2f}x" if off and off.cpu_ms else "nan"
        lines.append(
            f"| {posts} | {name} | {visitor.rps:.0f} | {visitor.cpu_ms:.2f} | {member.rps:.0f} | "
            f"{member.cpu_ms:.2f} | {visitor.wire_bytes} | {ratio((name, False, False), visitor)} "
            f"| {ratio((name, False, True), member)} | {ratio((name, True, False), visitor)} "
            f"| {cpu} |"
        )
    return lines


def _markdown(
    results: list[Result],
    args: argparse.Namespace,
    render: dict[tuple[int, bool], dict[str, float]],
    load: tuple[float, float, float],
) -> str:  # fmt: skip
    workers = os.environ.get("WEB_WORKERS", "1")
    ghost_args = "".join(
        f" --{flag} {home}"
        for flag, home in (
            ("ghost-home", args.ghost_home),
            ("ghost-large-home", args.ghost_large_home),
        )
        if home
    )
    lines = [
        f"Command: `.venv/bin/python bench/web_load.py --duration {args.duration} "
        f"--rounds {args.rounds} --connections {args.connections} --posts {args.posts}"
        f"{ghost_args}`  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; machine: {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}; "
        f"load average before the run {load[0]:.1f} (above 1-2 the box was shared with other "
        "work: treat req/s and latency as floors; CPU ms/req is the steadier figure).  ",
        f"Server: the Procfile's web line (granian, {workers} process(es), ASGI), DEBUG off, "
        f"SQLite, WhiteNoise; client: wrk -t2 -c{args.connections} on the same 2 cores, "
        f"`Accept-Encoding: br, gzip`; median of {args.rounds} interleaved rounds of "
        f"{args.duration} s.",
        "",
        "| posts | page | reader | page cache | req/s | p50 ms | p99 ms | CPU ms/req "
        "| bytes on the wire | non-2xx |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    ghost = [r for r in results if r.page.startswith("ghost:")]
    for r in sorted(
        (r for r in results if not r.page.startswith("ghost:")),
        key=lambda r: (r.posts, list(PAGES).index(r.page), r.member, not r.cached),
    ):
        lines.append(
            f"| {r.posts} | {r.page} | {'member' if r.member else 'visitor'} | "
            f"{'on' if r.cached else 'off'} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.cpu_ms:.2f} | {r.wire_bytes} | {r.errors} |"
        )  # fmt: skip
    if ghost:
        lines += ["", "Ghost 6 (bench/ghost/, one Node process, SQLite, the same articles and, at "
                  "the larger size, the same number of posts), measured in the same rounds right "
                  "before Masthead's pair for each page and reader; a member is a signed-in "
                  "Ghost member (its pages are `private, no-store`: Ghost renders them every "
                  "time). Ghost has no archive page. Non-2xx of Ghost's runs: "
                  f"{sum(r.errors for r in ghost)}.", ""]  # fmt: skip
        sizes = sorted({r.posts for r in ghost})
        for index, posts in enumerate(sizes):
            table = _ghost_table(results, posts)
            lines += table if index == 0 else table[2:]
    lines += ["", "CPU ms per render in one process, page cache off (Django test client, 200 "
              "requests; post* = uniformly random posts):", "",
              "| posts | fragments | " + " | ".join(PAGES) + " |",
              "|---|---|" + "---|" * len(PAGES)]  # fmt: skip
    for (posts, fragments), values in sorted(render.items()):
        cells = " | ".join(f"{values[name]:.1f}" for name in PAGES)
        lines.append(f"| {posts} | {'on' if fragments else 'off'} | {cells} |")
    return "\n".join(lines)


def _masthead_targets(var_dir: Path, posts: int, tmp: Path, session: str,
                      servers: list[subprocess.Popen[bytes]]) -> dict[bool, Target]:  # fmt: skip
    """The site's two servers (page cache on, off) as load targets, sharing a member; each
    server joins ``servers`` as soon as it runs, so the caller stops it whatever fails."""
    cookie = f"sessionid={session}"
    paths = tmp / f"paths-{posts}.txt"
    slugs = subprocess.run(
        ["sqlite3", str(var_dir / "masthead.sqlite3"), "SELECT slug FROM blog_post"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    paths.write_text("".join(f"/{slug}/\n" for slug in slugs))
    targets: dict[bool, Target] = {}
    for cached, port in ((True, 8391), (False, 8390)):
        server = _start(var_dir, 60 if cached else 0, port)
        cpu = functools.partial(_cpu_seconds, server.pid)
        targets[cached] = Target("", f"http://127.0.0.1:{port}", cpu, cookie, paths)
        servers.append(server)
    return targets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--ghost-home", default="", help="GHOST_HOME of a running 9-post Ghost")
    parser.add_argument(
        "--ghost-large-home", default="", help="GHOST_HOME of a running Ghost of --posts posts"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    ghosts = {
        9: GhostSite.from_home(args.ghost_home) if args.ghost_home else None,
        args.posts: GhostSite.from_home(args.ghost_large_home) if args.ghost_large_home else None,
    }
    load = os.getloadavg()
    results: list[Result] = []
    render: dict[tuple[int, bool], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="masthead-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for posts in (9, args.posts) if args.posts > 9 else (9,):
            var_dir = tmp / f"site-{posts}"
            var_dir.mkdir()
            session = _prepare(var_dir, posts)
            for fragments in (False, True):
                render[(posts, fragments)] = _render_cpu(var_dir, fragments)
            servers: list[subprocess.Popen[bytes]] = []
            try:
                masthead = _masthead_targets(var_dir, posts, tmp, session, servers)
                ghost = _ghost_target(ghosts.get(posts), tmp)
                results += _site(posts, masthead, ghost, args, tmp)
            finally:
                for server in servers:
                    server.terminate()
                    server.wait(10)
    section = _markdown(results, args, render, load)
    print(section)
    if not args.no_write:
        report.write_section("web-load", f"## Web load\n\n{section}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
