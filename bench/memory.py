"""Memory of `make run`: RSS and PSS of every process the Procfile starts, idle and after load.

Starts ``honcho start -f Procfile`` (web, and the worker that also schedules) on a fresh
SQLite site with the demo content, as ``make run`` does, waits until the site answers, and
samples each process (the process tree under honcho, honcho itself included). Then reads
pages for a while (anonymous, in-process client over HTTP) and samples again. Also reports
which processes hold the OCR engine (onnxruntime mapped in): by ADRs 0008/0405 only the
processes that read images may.

With ``--ocr`` it then reads two receipts from /work/shared/ocr-dev through the API, a
small one inside the upload request (the web process) and a larger one as a job (the
worker), samples once both are done, waits twice ``MASTHEAD_OCR_RELEASE_SECONDS`` (60 s)
and samples again: the engine's models should be gone (ADR 0041).

    .venv/bin/python bench/memory.py [--seconds 20] [--ocr] [--no-write] [--procfile FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from tests.tools.stack import post_file  # noqa: E402

PY = sys.executable
OCR_DEV = Path("/work/shared/ocr-dev")
SMALL, LARGE = "sroie_001.jpg", "sroie_102.jpg"  # 86 KB (read in the request), 705 KB (a job)
RELEASE_SECONDS = 60
PAGES = ["/", "/reading-receipts-with-a-machine/", "/blog/", "/archive/", "/tools/", "/feed/rss/"]


def _env(var_dir: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "MASTHEAD_DEBUG": "false",
        "MASTHEAD_VAR_DIR": str(var_dir),
        "MASTHEAD_SECRET_KEY": secrets.token_urlsafe(40),
        "MASTHEAD_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{var_dir / 'masthead.sqlite3'}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PATH": f"{Path(PY).parent}:{os.environ['PATH']}",
    }


def _prepare(env: dict[str, str]) -> None:
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["createcachetable"],
        ["load_demo_content", "--if-empty"],
        ["collectstatic", "--noinput", "-v", "0"],
    ):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True)


def _role(process: psutil.Process) -> str:
    try:
        line = " ".join(process.cmdline())
    except psutil.Error:
        return "?"
    shell = process.name() in ("sh", "bash", "dash")
    for needle, role in (
        ("honcho", "honcho"),
        ("granian", "web"),
        ("celery", "beat" if " beat" in line else "worker"),
    ):
        if needle in line:
            return f"{role} (shell)" if shell else role
    return Path(line.split(" ", 1)[0]).name or "?"


def _holds_ocr(process: psutil.Process) -> bool:
    try:
        return any("onnxruntime" in m.path for m in process.memory_maps())
    except psutil.Error:
        return False


def _sample(root: psutil.Process) -> list[tuple[str, int, float, float, bool]]:
    rows = []
    for process in [root, *root.children(recursive=True)]:
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue
        rows.append(
            (_role(process), process.pid, info.rss / 2**20, info.pss / 2**20, _holds_ocr(process))
        )
    return rows


def _load(port: int, seconds: float) -> int:
    served, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in PAGES:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
                r.read()
            served += 1
    return served


def _ocr_reads(port: int) -> list[str]:
    """Read the small receipt in the request and the large one as a job; their statuses."""
    url = f"http://127.0.0.1:{port}"
    small = post_file(url, SMALL, (OCR_DEV / SMALL).read_bytes(), "image/jpeg")
    large = post_file(url, LARGE, (OCR_DEV / LARGE).read_bytes(), "image/jpeg")
    statuses = [f"{SMALL}: {small[0]}", f"{LARGE}: {large[0]}"]
    if large[0] == 202:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            job_url = large[1]["url"]
            with urllib.request.urlopen(job_url if "://" in job_url else url + job_url) as r:
                job = json.load(r)
            if job["status"] in ("succeeded", "failed"):
                break
            time.sleep(1)
        statuses[1] += f" then {job['status']}"
    return statuses


def _table(title: str, rows: list[tuple[str, int, float, float, bool]]) -> list[str]:
    rss, pss = sum(r[2] for r in rows), sum(r[3] for r in rows)
    lines = [
        f"**{title}**: {len(rows)} processes, RSS {rss:.0f} MB, PSS {pss:.0f} MB",
        "",
        "| process | pid | RSS MB | PSS MB | OCR engine loaded |",
        "|---|---|---|---|---|",
    ]
    for role, pid, rss, pss, ocr in sorted(rows, key=lambda r: (r[0], r[1])):
        lines.append(f"| {role} | {pid} | {rss:.0f} | {pss:.0f} | {'yes' if ocr else 'no'} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--port", type=int, default=8397)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--procfile", default="Procfile", help="another layout to compare")
    parser.add_argument("--ocr", action="store_true", help="also read two images, then idle")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="masthead-mem-") as tmp:
        env = _env(Path(tmp), args.port)
        _prepare(env)
        honcho = subprocess.Popen(
            [str(Path(PY).parent / "honcho"), "start", "-f", args.procfile],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            time.sleep(15)  # the worker and beat finish starting
            root = psutil.Process(honcho.pid)
            idle = _sample(root)
            served = _load(args.port, args.seconds)
            loaded = _sample(root)
            read: list[tuple[str, int, float, float, bool]] = []
            released: list[tuple[str, int, float, float, bool]] = []
            if args.ocr:
                statuses = _ocr_reads(args.port)
                time.sleep(2)  # the job's last writes
                read = _sample(root)
                # The release thread's turn (within 75 s), then granian's RSS check (2 samples
                # 30 s apart) respawns a web process still above WEB_MAX_RSS.
                time.sleep(2 * RELEASE_SECONDS)
                released = _sample(root)
        finally:
            os.killpg(honcho.pid, signal.SIGTERM)
            honcho.wait(30)
    lines = [
        f"Command: `.venv/bin/python bench/memory.py --seconds {args.seconds:.0f}"
        f"{' --ocr' if args.ocr else ''}`  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; machine: {psutil.cpu_count()} "
        f"cores, {psutil.virtual_memory().total / 2**30:.0f} GiB. `make run`'s Procfile on "
        f"SQLite with the demo content; after load: {served} page reads in {args.seconds:.0f} s.",
        "",
        *_table("Idle", idle),
        "",
        *_table("After load", loaded),
        "",
        *(
            [
                *_table(f"After one OCR read each ({', '.join(statuses)})", read),
                "",
                *_table(f"{2 * RELEASE_SECONDS} s later, no read since", released),
                "",
            ]
            if args.ocr
            else []
        ),
        "RSS counts shared pages in every process (what the issue's 801 MB summed); PSS splits "
        "them, closer to what the machine actually spends.",
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        report.write_section("memory", f"## Memory of `make run`\n\n{section}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
