# ruff: noqa: E501
"""OCR jobs under load: 50 concurrent uploads against 1 web + 2 workers, and fan-out speed-up.

Starts a real stack (gunicorn, Celery workers on Redis, a SQLite database file) in a
temporary directory, exactly as the fault tests do (tests/tools/stack.py), then:

1. ``--uploads`` (50) one-page images posted at once by as many threads: status counts,
   p50/p95 submit time, whether every accepted job finished, pages per minute end to end;
2. the same multi-page PDF read on 1 worker, then on 2 workers (page fan-out).

Every upload goes to the workers (``MASTHEAD_OCR_SYNC_MAX_BYTES=0``) so the queue is what is
measured. Writes the ``ocr-jobs`` section of BENCHMARKS.md unless ``--no-write``.

    .venv/bin/python bench/ocr_jobs.py [--engine auto] [--uploads 50] [--pdf-pages 6]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from tests import services  # noqa: E402
from tests.tools import images, stack  # noqa: E402
from tests.tools.stack import post_file  # noqa: E402

SWEEP = {"MASTHEAD_OCR_LEASE_SECONDS": "180", "MASTHEAD_OCR_SWEEP_SECONDS": "10"}


def _wait_done(s: stack.Stack, ids: list[str], timeout: float) -> float:
    """Seconds until every job in ``ids`` is finished (or ``timeout``)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        marks = ",".join("?" * len(ids))
        rows = s.rows(
            f"SELECT count(*) FROM tools_ocrjob WHERE status IN ('succeeded','failed') AND id IN ({marks})",
            *[i.replace("-", "") for i in ids],
        )
        if rows[0][0] == len(ids):
            break
        time.sleep(0.25)
    return time.perf_counter() - started


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load_test(
    base: Path, engine: str, uploads: int, nice: int = 0, database: str = "sqlite"
) -> dict[str, Any]:
    extra = {"DATABASE_URL": _fresh_postgres()} if database == "postgres" else {}
    s = stack.build(base, MASTHEAD_OCR_ENGINE=engine, **SWEEP, **extra)
    try:
        s.start_web()
        s.start_beat()
        for name in ("w1", "w2"):
            s.start_worker(name, nice=nice)
        _warm(s, ["w1", "w2"])
        data = images.png(1240, 1754)  # A4 at 150 dpi
        _settle()
        started = time.perf_counter()
        with ThreadPoolExecutor(uploads) as pool:
            results = list(
                pool.map(
                    lambda n: post_file(s.url, f"page-{n}.png", data, "image/png"), range(uploads)
                )
            )
        accepted = [body["id"] for status, body, _ in results if status == 202]
        waited = _wait_done(s, accepted, 1800)
        total = time.perf_counter() - started
        statuses: dict[int, int] = {}
        for status, _, _ in results:
            statuses[status] = statuses.get(status, 0) + 1
        marks = ",".join("?" * len(accepted))
        done = s.rows(
            f"SELECT status, count(*) FROM tools_ocrjob WHERE id IN ({marks}) GROUP BY status",
            *[i.replace("-", "") for i in accepted],
        )
        times = [elapsed for _, _, elapsed in results]
        served = [ms / 1000 for ms in stack.server_ms(s.log_text("web"), "POST", "/api/v1/ocr")]
        served = served[-len(results) :]  # the burst, not the warm-up uploads
        return {
            "server_p50": statistics.median(served),
            "server_p95": _p(served, 0.95),
            "statuses": statuses,
            "p50": statistics.median(times),
            "p95": _p(times, 0.95),
            "max": max(times),
            "finished": dict(done),
            "accepted": len(accepted),
            "all_finished": waited < 1800,
            "seconds": total,
            "pages_per_minute": len(accepted) / total * 60,
        }
    finally:
        s.stop_all()


def _settle() -> None:
    """Flush the set-up's writes (a fresh database, migrations, the warm-up) so the kernel's
    writeback of them does not take the CPU during the burst (seen: 0.6-0.8 s of it)."""
    os.sync()
    time.sleep(2)


def _fresh_postgres() -> str:
    """An empty database on the local PostgreSQL server (dropped and made again)."""
    import psycopg

    server = services.POSTGRES_URL.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        db.execute("DROP DATABASE IF EXISTS masthead_bench_jobs WITH (FORCE)")
        db.execute("CREATE DATABASE masthead_bench_jobs")
    return f"{server}/masthead_bench_jobs"


def _warm(s: stack.Stack, names: list[str]) -> None:
    """Load the engine in every worker before timing (model loading takes seconds)."""
    for name in names:
        stack.wait_for(lambda name=name: "ready." in s.log_text(name), 60, f"{name} not ready")
    for _ in range(6):
        ids = [
            post_file(s.url, "warm.png", images.png(1200, 500), "image/png")[1]["id"] for _ in names
        ]
        _wait_done(s, ids, 300)
        if all("succeeded" in s.log_text(name) for name in names):
            return


def fan_out(base: Path, engine: str, pages: int, workers: int) -> float:
    s = stack.build(base, MASTHEAD_OCR_ENGINE=engine, **SWEEP)
    try:
        s.start_web()
        s.start_beat()
        names = [f"w{n + 1}" for n in range(workers)]
        for name in names:
            s.start_worker(name)
        _warm(s, names)
        status, body, _ = post_file(
            s.url, "doc.pdf", images.pdf(pages, 1240, 1754, resolution=150), "application/pdf"
        )
        assert status == 202, body
        started = time.perf_counter()
        _wait_done(s, [body["id"]], 1800)
        return time.perf_counter() - started
    finally:
        s.stop_all()


def _section(
    loads: dict[str, dict[str, Any]], one: float, two: float, args: argparse.Namespace
) -> str:
    import celery
    import onnxruntime

    names = list(loads)

    def row(label: str, cell: Any) -> str:
        return f"| {label} | " + " | ".join(cell(loads[name]) for name in names) + " |"

    return "\n".join(
        [
            "## OCR jobs (web + workers on Redis)",
            "",
            f"Command: `.venv/bin/python bench/ocr_jobs.py --engine {args.engine} --uploads {args.uploads} "
            f"--pdf-pages {args.pdf_pages} --database {args.database}`  ",
            f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {platform.machine()}, "
            f"2 cores shared with other work; Python {platform.python_version()}, Celery {celery.__version__}, "
            f"onnxruntime {onnxruntime.__version__}, rapidocr 3.10.  ",
            f"Engine: `{args.engine}` (the site's real engine unless this says `fake`). Stack: 1 gunicorn "
            "(2 processes x 4 threads), 2 Celery workers with concurrency 1 each, Redis broker and "
            "cache, the lease sweeper running, every upload queued (`MASTHEAD_OCR_SYNC_MAX_BYTES=0`). "
            "The upload client (one thread per upload, sharing one opener) runs on the same two cores; "
            "each web process loads its request path before serving (docs/decisions/0009).",
            "",
            f"**{args.uploads} concurrent uploads** of a one-page A4 image at 150 dpi (1240 x 1754), 1 web + 2 workers:",
            "",
            "| measure | " + " | ".join(_DATABASES[name] for name in names) + " |",
            "| --- |" + " --- |" * len(names),
            row(
                "responses",
                lambda r: ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items())),
            ),
            row("5xx", lambda r: str(sum(v for k, v in r["statuses"].items() if k >= 500))),
            row(
                "submit time p50 / p95 / max",
                lambda r: f"{r['p50']:.2f} s / {r['p95']:.2f} s / {r['max']:.2f} s",
            ),
            row(
                "of which the web process served (p50 / p95)",
                lambda r: f"{r['server_p50']:.2f} s / {r['server_p95']:.2f} s",
            ),
            row(
                "accepted jobs finished",
                lambda r: (
                    f"{sum(r['finished'].values())} of {r['accepted']} "
                    f"({', '.join(f'{k}: {v}' for k, v in r['finished'].items())})"
                ),
            ),
            row("first upload to last result", lambda r: f"{r['seconds']:.1f} s"),
            row("end-to-end pages per minute", lambda r: f"{r['pages_per_minute']:.1f}"),
            "",
            f"**Fan-out**: one {args.pdf_pages}-page PDF (A4 at 150 dpi per page), submit to result "
            "(SQLite file):",
            "",
            "| workers | seconds | speed-up |",
            "| --- | --- | --- |",
            f"| 1 | {one:.1f} | 1.00x |",
            f"| 2 | {two:.1f} | {one / two:.2f}x |",
            "",
            "The machine has two cores, shared with the web process and with other work while this "
            "ran, so two workers cannot reach 2x here; on separate machines each worker adds a core.",
        ]
    )


_DATABASES = {"sqlite": "SQLite file (`make run`)", "postgres": "PostgreSQL (production)"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--pdf-pages", type=int, default=6)
    parser.add_argument("--nice", type=int, default=0, help="run the load test's workers niced")
    parser.add_argument("--load-only", action="store_true", help="skip the fan-out runs")
    parser.add_argument("--fanout-only", action="store_true", help="skip the load test")
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres", "both"),
        default="both",
        help="the load test's database: a SQLite file (make run), PostgreSQL, or one run on each",
    )
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.fanout_only:
            for workers in (1, 2):
                seconds = fan_out(Path(tmp) / f"f{workers}", args.engine, args.pdf_pages, workers)
                print({"workers": workers, "seconds": seconds}, flush=True)
            return 0
        databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
        loads = {}
        for database in databases:
            loads[database] = load_test(
                Path(tmp) / f"load-{database}", args.engine, args.uploads, args.nice, database
            )
            print(database, loads[database], flush=True)
        if args.load_only:
            return 0
        one = fan_out(Path(tmp) / "one", args.engine, args.pdf_pages, 1)
        two = fan_out(Path(tmp) / "two", args.engine, args.pdf_pages, 2)
        print({"one_worker": one, "two_workers": two}, flush=True)
    section = _section(loads, one, two, args)
    print(section)
    if not args.no_write:
        report.write_section("ocr-jobs", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
