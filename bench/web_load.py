"""Web load: every reader-facing page, page cache on and off, visitor and member, 9 and N posts.

Production-like: DEBUG off, collectstatic'd assets served by WhiteNoise, fresh SQLite
sites (the demo content, and the demo grown to ``--posts`` with ``load_demo_content
--posts``), the web server as ``make run`` starts it (the Procfile's ``web`` line:
granian, 2 processes, docs/decisions/0037). For each site two servers run side by side,
one with the page cache (MASTHEAD_PAGE_CACHE_SECONDS=60) and one without (0; fragments,
ADR 0025, stay on), and the runs are interleaved round by round so a busy neighbour slows
both alike; each figure is the median of the rounds. "member" sends a signed-in member's
session cookie. "post*" reads posts uniformly at random over the whole site (wrk Lua).
Responses are requested with ``Accept-Encoding: br, gzip`` as browsers do.

Reported per run: requests/s, p50/p99 latency (wrk's histogram), CPU ms per request
(user+system time of the server's processes over requests served), bytes on the wire
for the page. Results go to the ``web-load`` section of BENCHMARKS.md.

With ``--ghost URL`` a running Ghost (bench/ghost/, the same articles) is measured in the
same rounds, right after Masthead's pair for each page (visitor only, ``--ghost-paths`` maps
page names to Ghost's paths, e.g. ``post=/reading-receipts-with-a-machine/,home=/``), and
the section adds Masthead/Ghost ratios. ``--posts 0`` measures the demo site only.

    .venv/bin/python bench/web_load.py [--duration 5] [--rounds 2] [--posts 5000] [--no-write]
        [--ghost http://127.0.0.1:2368 --ghost-paths post=/x/,home=/ --ghost-pid PID]
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
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
        header += f'wrk.headers["Cookie"] = "sessionid={cookie}"\n'
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
        headers["Cookie"] = f"sessionid={cookie}"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        return len(r.read())


def _ghost_cpu_seconds(pid: int) -> float:
    return _cpu_seconds(pid) if pid else 0.0


def _ghost_run(name: str, args: argparse.Namespace, tmp: Path,
               runs: dict[tuple[str, bool, bool], list[tuple[float, float, float, float, int, int]]]
               ) -> None:  # fmt: skip
    """Ghost's page ``name`` (visitor), measured as Masthead's; stored as "ghost:<name>"."""
    path = args.ghost_paths.get(name)
    if not args.ghost or path is None:
        return
    script = tmp / "wrk-ghost.lua"
    script.write_text(_lua(Path(), ""))
    url = f"{args.ghost.rstrip('/')}{path}"
    _wrk(url, 1, args.connections, script)
    before = _ghost_cpu_seconds(args.ghost_pid)
    rps, p50, p99, total, errors = _wrk(url, args.duration, args.connections, script)
    cpu_ms = (_ghost_cpu_seconds(args.ghost_pid) - before) * 1000 / max(total, 1)
    runs.setdefault((f"ghost:{name}", False, False), []).append(
        (rps, p50, p99, cpu_ms, _wire_bytes(url, ""), errors)
    )


def _site(posts: int, cookie: str, servers: dict[bool, tuple[subprocess.Popen[bytes], int]],
          paths_file: Path, args: argparse.Namespace, tmp: Path) -> list[Result]:  # fmt: skip
    runs: dict[tuple[str, bool, bool], list[tuple[float, float, float, float, int, int]]] = {}
    for _ in range(args.rounds):
        for name, path in PAGES.items():
            if posts == 9:
                _ghost_run(name, args, tmp, runs)
            for member in (False, True):
                for cached in (True, False):  # interleaved: the two servers alternate
                    server, port = servers[cached]
                    script = tmp / f"wrk-{name}-{member}.lua"
                    script.write_text(
                        _lua(paths_file if path == "*" else Path(), cookie if member else "")
                    )
                    url = f"http://127.0.0.1:{port}{POST if path == '*' else path}"
                    _wrk(url, 1, args.connections, script)  # warm up
                    before = _cpu_seconds(server.pid)
                    rps, p50, p99, total, errors = _wrk(
                        url, args.duration, args.connections, script
                    )
                    cpu_ms = (_cpu_seconds(server.pid) - before) * 1000 / max(total, 1)
                    wire = _wire_bytes(url, cookie if member else "")
                    runs.setdefault((name, cached, member), []).append(
                        (rps, p50, p99, cpu_ms, wire, errors)
                    )
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


def _markdown(
    results: list[Result],
    args: argparse.Namespace,
    render: dict[tuple[int, bool], dict[str, float]],
    load: tuple[float, float, float],
) -> str:  # fmt: skip
    lines = [
        f"Command: `.venv/bin/python bench/web_load.py --duration {args.duration} "
        f"--rounds {args.rounds} --connections {args.connections} --posts {args.posts}`  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; machine: {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}; "
        f"load average before the run {load[0]:.1f} (the box is shared with other work: treat "
        "req/s and latency as floors; CPU ms/req is the steadier figure).  ",
        "Server: the Procfile's (granian, 2 processes, ASGI), DEBUG off, SQLite, WhiteNoise; "
        f"client: wrk -t2 -c{args.connections} on the same 2 cores, `Accept-Encoding: br, gzip`; "
        f"median of {args.rounds} interleaved rounds of {args.duration} s.",
        "",
        "| posts | page | reader | page cache | req/s | p50 ms | p99 ms | CPU ms/req "
        "| bytes on the wire | non-2xx |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    ghost = {r.page.removeprefix("ghost:"): r for r in results if r.page.startswith("ghost:")}
    results = [r for r in results if not r.page.startswith("ghost:")]
    for r in sorted(
        results, key=lambda r: (r.posts, list(PAGES).index(r.page), r.member, not r.cached)
    ):
        lines.append(
            f"| {r.posts} | {r.page} | {'member' if r.member else 'visitor'} | "
            f"{'on' if r.cached else 'off'} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.cpu_ms:.2f} | {r.wire_bytes} | {r.errors} |"
        )  # fmt: skip
    if ghost:
        lines += ["", f"Ghost ({args.ghost}), the same articles, visitor, measured in the same "
                  "rounds right after Masthead's pair for each page:", "",
                  "| page | Ghost req/s | Ghost p99 ms | Ghost CPU ms/req | Ghost bytes "
                  "| Masthead/Ghost req/s: cache off | member, cache off | cache on |",
                  "|---|---|---|---|---|---|---|---|"]  # fmt: skip
        ours = {(r.page, r.cached, r.member): r for r in results if r.posts == 9}
        for name, g in ghost.items():
            pairs = ((False, False), (False, True), (True, False))
            ratio = [ours[(name, c, m)].rps / g.rps if (name, c, m) in ours and g.rps else
                     float("nan") for c, m in pairs]  # fmt: skip
            lines.append(
                f"| {name} | {g.rps:.0f} | {g.p99_ms:.1f} | "
                f"{g.cpu_ms:.2f} | {g.wire_bytes} | "
                + " | ".join(f"{x:.2f}x" for x in ratio) + " |"
            )  # fmt: skip
    lines += ["", "CPU ms per render in one process, page cache off (Django test client, 200 "
              "requests; post* = uniformly random posts):", "",
              "| posts | fragments | " + " | ".join(PAGES) + " |",
              "|---|---|" + "---|" * len(PAGES)]  # fmt: skip
    for (posts, fragments), values in sorted(render.items()):
        cells = " | ".join(f"{values[name]:.1f}" for name in PAGES)
        lines.append(f"| {posts} | {'on' if fragments else 'off'} | {cells} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--ghost", default="", help="a running Ghost's base URL")
    parser.add_argument("--ghost-paths", default="", help="page=path,... for Ghost")
    parser.add_argument("--ghost-pid", type=int, default=0, help="Ghost's process (CPU)")
    args = parser.parse_args()
    args.ghost_paths = dict(
        item.split("=", 1) for item in args.ghost_paths.split(",") if "=" in item
    )
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    load = os.getloadavg()
    results: list[Result] = []
    render: dict[tuple[int, bool], dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="masthead-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for posts in (9, args.posts) if args.posts > 9 else (9,):
            var_dir = tmp / f"site-{posts}"
            var_dir.mkdir()
            cookie = _prepare(var_dir, posts)
            for fragments in (False, True):
                render[(posts, fragments)] = _render_cpu(var_dir, fragments)
            paths_file = tmp / f"paths-{posts}.txt"
            slugs = subprocess.run(
                ["sqlite3", str(var_dir / "masthead.sqlite3"), "SELECT slug FROM blog_post"],
                capture_output=True, text=True, check=True,
            ).stdout.split()  # fmt: skip
            paths_file.write_text("".join(f"/{slug}/\n" for slug in slugs))
            servers = {True: (_start(var_dir, 60, 8391), 8391),
                       False: (_start(var_dir, 0, 8390), 8390)}  # fmt: skip
            try:
                results += _site(posts, cookie, servers, paths_file, args, tmp)
            finally:
                for server, _ in servers.values():
                    server.terminate()
                    server.wait(10)
    section = _markdown(results, args, render, load)
    print(section)
    if not args.no_write:
        report.write_section("web-load", f"## Web load\n\n{section}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
