"""The Content API beside Ghost's: the same requests, the same articles, interleaved rounds.

Masthead: a fresh SQLite site with the demo content, served as ``make run`` serves it (the
Procfile's web line, DEBUG off), with a Content API key made by ``content_key create``.
Ghost: a running Ghost 6 seeded with the same nine articles (bench/ghost/, ``--ghost`` and
``--ghost-key``). For each request below, wrk runs against Masthead with its response
cache on, with it off (``MASTHEAD_PAGE_CACHE_SECONDS=0``), then against Ghost; the figure
is the median of ``--rounds`` rounds. CPU ms per request counts the server's processes
(Ghost's when ``--ghost-pid`` is given).

    .venv/bin/python bench/content_api.py --ghost http://127.0.0.1:2368 --ghost-key KEY \
        [--ghost-pid PID] [--duration 5] [--rounds 2] [--connections 16] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.web_load import PY, _cpu_seconds, _env, _prepare, _start, _wrk  # noqa: E402

REQUESTS = {
    "posts list, tags and authors": "posts/?include=tags,authors&limit=15",
    "one post by slug": "posts/slug/reading-receipts-with-a-machine/?include=tags,authors",
    "tags with counts": "tags/?include=count.posts&limit=all",
    "filtered by tag": "posts/?filter=tag:ai&include=tags&limit=15",
}


def _key(var_dir: Path) -> str:
    out = subprocess.run(
        [PY, "manage.py", "content_key", "create", "bench"],
        cwd=ROOT, env=_env(var_dir, 0), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return out.strip().splitlines()[-1]


def _run(url: str, pid: int, args: argparse.Namespace, script: Path) -> tuple[float, float, float]:
    _wrk(url, 1, args.connections, script)  # warm up
    before = _cpu_seconds(pid) if pid else 0.0
    rps, _p50, p99, total, errors = _wrk(url, args.duration, args.connections, script)
    if errors:
        raise SystemExit(f"{url}: {errors} non-2xx answers")
    cpu = ((_cpu_seconds(pid) - before) * 1000 / max(total, 1)) if pid else float("nan")
    return rps, p99, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ghost", required=True, help="a running Ghost's base URL")
    parser.add_argument("--ghost-key", required=True, help="its Content API key")
    parser.add_argument("--ghost-pid", type=int, default=0)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()
    runs: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="masthead-bench-api-") as tmp_name:
        tmp = Path(tmp_name)
        var_dir = tmp / "site"
        var_dir.mkdir()
        _prepare(var_dir, 9)
        key = _key(var_dir)
        script = tmp / "wrk.lua"
        script.write_text('wrk.headers["Accept-Encoding"] = "br, gzip"\n')
        servers = {"cache on": (_start(var_dir, 60, 8491), 8491),
                   "cache off": (_start(var_dir, 0, 8490), 8490)}  # fmt: skip
        try:
            for _ in range(args.rounds):
                for name, path in REQUESTS.items():
                    for label, (server, port) in servers.items():
                        url = f"http://127.0.0.1:{port}/ghost/api/content/{path}&key={key}"
                        runs.setdefault((name, label), []).append(
                            _run(url, server.pid, args, script)
                        )
                    url = f"{args.ghost.rstrip('/')}/ghost/api/content/{path}&key={args.ghost_key}"
                    runs.setdefault((name, "ghost"), []).append(
                        _run(url, args.ghost_pid, args, script)
                    )
        finally:
            for server, _ in servers.values():
                server.terminate()
                server.wait(10)
    med = {
        k: [statistics.median(v[i] for v in values) for i in range(3)] for k, values in runs.items()
    }
    lines = [
        f"Command: `.venv/bin/python bench/content_api.py --ghost {args.ghost} --ghost-key KEY "
        f"--duration {args.duration} --rounds {args.rounds} --connections {args.connections}`  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; machine: {psutil.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average before the run {load[0]:.1f}.  ",
        "Masthead: the Procfile's web server (granian, 2 processes), SQLite, the demo's nine "
        "articles; Ghost 6.65.0 in production mode on SQLite (Node 22), the same nine articles. "
        f"wrk -t2 -c{args.connections} on the same 2 cores; median of {args.rounds} interleaved "
        f"rounds of {args.duration} s.",
        "",
        "| request | Ghost req/s | Masthead req/s, cache off | cache on | ratio off / on "
        "| Ghost CPU ms/req | Masthead CPU ms/req, off |",
        "|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for name in REQUESTS:
        ghost, off, on = med[(name, "ghost")], med[(name, "cache off")], med[(name, "cache on")]
        base = ghost[0] or float("nan")  # wrk finished no Ghost request in the window
        lines.append(
            f"| {name} | {ghost[0]:.0f} | {off[0]:.0f} | {on[0]:.0f} | "
            f"{off[0] / base:.2f}x / {on[0] / base:.2f}x | {ghost[2]:.2f} | {off[2]:.2f} |"
        )
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        report.write_section("content-api", f"## Content API beside Ghost\n\n{section}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
