"""Web load benchmark: the article page and the front page under the Procfile's server, with wrk.

Production-like: DEBUG off, collectstatic'd assets served by WhiteNoise, a fresh SQLite
database with the demo content, the web server as ``make run`` starts it (the Procfile's
``web`` line: granian, 2 processes, docs/decisions/0037).
Each page is measured uncached (MASTHEAD_PAGE_CACHE_SECONDS=0) and with the page cache.

Reported per run: requests/s, p50/p99 latency (wrk's own histogram), CPU ms per request
(user+system time of the server's processes divided by requests served) and the peak RSS
of all its processes together. Results go to the ``web-load`` section of BENCHMARKS.md.

    .venv/bin/python bench/web_load.py [--duration 20] [--connections 16] [--no-write]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
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
PAGES = {"post": POST, "home": "/"}
GHOST = {"rps": 107.0, "p99_ms": 220.0, "cpu_ms": 15.0}  # Ghost 6, same 2-core box, 16 conns


@dataclass
class Result:
    page: str
    cached: bool
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float
    peak_rss_mb: float
    peak_pss_mb: float
    errors: int


def _env(var_dir: Path, cache_seconds: int) -> dict[str, str]:
    return {
        **os.environ,
        "MASTHEAD_DEBUG": "false",
        "MASTHEAD_VAR_DIR": str(var_dir),
        "MASTHEAD_SECRET_KEY": secrets.token_urlsafe(40),
        "MASTHEAD_PAGE_CACHE_SECONDS": str(cache_seconds),
        "MASTHEAD_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{var_dir / 'masthead.sqlite3'}",
    }


def _prepare(var_dir: Path) -> None:
    env = _env(var_dir, 0)
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["createcachetable"],
        ["load_demo_content", "--if-empty"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True)


def _start(var_dir: Path, cache_seconds: int, port: int) -> subprocess.Popen[bytes]:
    web = stack.procfile_command("web").replace(" --access-log", "")
    env = {**_env(var_dir, cache_seconds), "HOST": "127.0.0.1", "PORT": str(port),
           "PATH": f"{Path(PY).parent}:{os.environ['PATH']}"}  # fmt: skip
    server = subprocess.Popen(["bash", "-c", f"exec {web}"], cwd=ROOT, env=env)
    for _ in range(100):
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


def _rss_sampler(pid: int, stop: threading.Event, peak: list[float]) -> None:
    """Peak RSS (shared pages counted in every process) and PSS (shared pages split)."""
    while not stop.is_set():
        with contextlib.suppress(psutil.Error):
            infos = [p.memory_full_info() for p in _tree(pid)]
            peak[0] = max(peak[0], sum(i.rss for i in infos) / 2**20)
            peak[1] = max(peak[1], sum(i.pss for i in infos) / 2**20)
        time.sleep(0.25)


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:  # wrk prints e.g. "-nan" when it could not measure
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3.6e6}[unit]


def _wrk(url: str, duration: int, connections: int) -> tuple[float, float, float, int, int]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    return rps, p50, p99, total, errors


def _measure(var_dir: Path, cached: bool, args: argparse.Namespace) -> list[Result]:
    port = 8390 + int(cached)
    server = _start(var_dir, 60 if cached else 0, port)
    results = []
    try:
        for name, path in PAGES.items():
            url = f"http://127.0.0.1:{port}{path}"
            _wrk(url, 3, args.connections)  # warm up: imports, connections, cache fill
            stop, peak = threading.Event(), [0.0, 0.0]
            sampler = threading.Thread(
                target=_rss_sampler, args=(server.pid, stop, peak), daemon=True
            )
            sampler.start()
            try:
                cpu_before = _cpu_seconds(server.pid)
                rps, p50, p99, total, errors = _wrk(url, args.duration, args.connections)
                cpu = _cpu_seconds(server.pid) - cpu_before
            finally:
                stop.set()
                sampler.join()
            cpu_ms = cpu * 1000 / total
            results.append(Result(name, cached, rps, p50, p99, cpu_ms, peak[0], peak[1], errors))
    finally:
        server.terminate()
        server.wait(10)
    return results


_RENDER_SNIPPET = """
import time, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
for path in PATHS:
    for _ in range(20):
        client.get(path)
    start = time.process_time()
    for _ in range(200):
        assert client.get(path).status_code == 200
    print(path, (time.process_time() - start) * 1000 / 200)
"""


def _render_cpu(var_dir: Path) -> dict[str, float]:
    """CPU ms per full render in one process (no server, no cache): the page's own cost."""
    env = {**_env(var_dir, 0), "DJANGO_SETTINGS_MODULE": "masthead.settings"}
    code = f"PATHS = {list(PAGES.values())!r}\n{_RENDER_SNIPPET}"
    out = subprocess.run(
        [PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    by_path = dict(line.rsplit(" ", 1) for line in out.strip().splitlines())
    return {name: float(by_path[path]) for name, path in PAGES.items()}


def _markdown(results: list[Result], args: argparse.Namespace, render: dict[str, float]) -> str:
    load = os.getloadavg()
    lines = [
        f"Command: `.venv/bin/python bench/web_load.py --duration {args.duration} "
        f"--connections {args.connections}`  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; machine: {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}; "
        f"load average before the run {load[0]:.1f} "
        "(the box is shared, so treat these as floors).  ",
        "Server: the Procfile's (granian, 2 processes, ASGI), DEBUG off, SQLite, WhiteNoise; "
        f"client: wrk -t2 -c{args.connections} on the same 2 cores.",
        "",
        "| page | page cache | req/s | p50 ms | p99 ms | CPU ms/req | peak RSS MB "
        "| peak PSS MB | non-2xx | vs Ghost 6 req/s | vs Ghost p99 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.page} | {'on' if r.cached else 'off'} | {r.rps:.0f} | {r.p50_ms:.1f} | "
            f"{r.p99_ms:.1f} | {r.cpu_ms:.2f} | {r.peak_rss_mb:.0f} | {r.peak_pss_mb:.0f} | "
            f"{r.errors} | "
            f"{r.rps / GHOST['rps']:.1f}x | {GHOST['p99_ms'] / max(r.p99_ms, 0.01):.1f}x lower |"
        )
    lines += [
        "",
        "CPU per render in one process, page cache off (Django test client, 200 renders): "
        + ", ".join(f"{name} {ms:.1f} ms" for name, ms in render.items())
        + f" (Ghost 6: {GHOST['cpu_ms']:.0f} ms).",
        "",
        f"Ghost 6 reference (from the project brief, same class of machine, 16 connections): "
        f"{GHOST['rps']:.0f} req/s, p99 {GHOST['p99_ms']:.0f} ms, "
        f"{GHOST['cpu_ms']:.0f} ms CPU per render. "
        "Goal: post page >= 550 req/s with p99 < 50 ms, peak RSS < 250 MB.",
        "",
        "Reading the numbers: the box is shared, so latency tails (p99) measure the neighbours "
        "as much as Masthead when the load average is high; CPU ms/req is the stable figure. "
        "RSS and PSS are summed over the server's main process and its 2 workers (PSS splits the "
        "pages they share); each worker is ~90 MB after start-up, mostly Django and the "
        "apps' imports (OCR, Redis and psycopg load only where they are used).",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="masthead-bench-") as tmp:
        var_dir = Path(tmp)
        _prepare(var_dir)
        render = _render_cpu(var_dir)
        results = _measure(var_dir, False, args) + _measure(var_dir, True, args)
    section = _markdown(results, args, render)
    print(section)
    if not args.no_write:
        report.write_section("web-load", f"## Web load\n\n{section}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
