# ruff: noqa: E501
"""Time to first text: a one-page receipt through the OCR page, in Chromium (issue 13).

Starts the real stack (gunicorn web, one Celery worker at nice 10 as in the Procfile, Redis,
a SQLite file) with the site's default engine and in-request reads, then, ``--runs`` times:
open /tools/ocr/, choose the receipt, and time from the click on "Read the text" until
the result page shows the text. Two warm-up runs (model loading) are not counted.

The receipt is drawn here (a till receipt in DejaVu Sans, 600 x 900 px) unless
``--image`` names a file. Writes the ``ocr-first-text`` section of BENCHMARKS.md unless
``--no-write``.

    .venv/bin/python bench/ocr_first_text.py [--runs 15] [--engine auto] [--image PATH]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from bench import report  # noqa: E402
from tests import services  # noqa: E402
from tests.tools import stack  # noqa: E402

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
RECEIPT = [
    "CORNER CAFE",
    "12 Market Street, Springfield",
    "Tel: +1 555 0142 7788",
    "Date: 05/03/2026 Time: 09:42",
    "",
    "Flat white            3.80",
    "Croissant             2.90",
    "Orange juice          4.20",
    "Banana bread          3.50",
    "",
    "Subtotal             14.40",
    "VAT 10%               1.44",
    "Total: $15.84",
    "",
    "Card payment ****4821",
    "Thank you for visiting!",
]


def draw_receipt() -> bytes:
    image = Image.new("RGB", (600, 900), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 26)
    for row, text in enumerate(RECEIPT):
        draw.text((40, 40 + row * 50), text, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def measure(url: str, image: Path, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=services.CHROMIUM, args=["--headless=new", "--no-sandbox"]
        )
        try:
            for run in range(runs + 2):
                context = browser.new_context(base_url=url)
                page = context.new_page()
                page.goto("/tools/ocr/")
                page.set_input_files("#ocr-file", str(image))
                started = time.perf_counter()
                page.get_by_role("button", name="Read the text").click()
                page.wait_for_url("**/tools/ocr/jobs/*/", timeout=60_000)
                page.locator("#ocr-plain").wait_for(state="visible")
                elapsed = time.perf_counter() - started
                assert (
                    "Total" in page.input_value("#ocr-plain")
                    or "TOTAL" in page.input_value("#ocr-plain").upper()
                )
                context.close()
                if run >= 2:
                    times.append(elapsed)
        finally:
            browser.close()
    return times


SERVERS = {
    "gunicorn": "gunicorn 2 x 4 threads",
    "procfile": "the Procfile's web line as `make run` starts it: one granian process",
}


def _start_web(s: stack.Stack) -> None:
    """``Stack.start_web`` with a longer wait: a loaded machine imports Django slowly."""
    s.port = stack.free_port()
    s.start("web", [str(stack.BIN / "gunicorn"), "masthead.wsgi", "--bind", f"127.0.0.1:{s.port}",
                    "--workers", "2", "--threads", "4", "--timeout", "60"])  # fmt: skip
    stack.wait_for(lambda: stack._http_ok(f"{s.url}/healthz"), 180, "gunicorn did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--image", type=Path)
    parser.add_argument(
        "--server",
        choices=("gunicorn", "procfile"),
        default="gunicorn",
        help="gunicorn 2 x 4 threads (the earlier runs) or the Procfile's web line (make run's)",
    )
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="first-text-") as tmp:
        base = Path(tmp)
        image = args.image or base / "receipt.png"
        if args.image is None:
            image.write_bytes(draw_receipt())
        size_kb = image.stat().st_size // 1000
        s = stack.build(
            base / "stack", MASTHEAD_OCR_ENGINE=args.engine, MASTHEAD_OCR_SYNC_MAX_BYTES="512kB"
        )
        try:
            if args.server == "procfile":
                s.start_procfile_web()
            else:
                _start_web(s)
            s.start_worker("w1", nice=10)
            times = measure(s.url, image, args.runs)
            print("seconds:", " ".join(f"{t:.2f}" for t in times), flush=True)
        finally:
            s.stop_all()
    median, worst = statistics.median(times), max(times)
    p90 = sorted(times)[min(len(times) - 1, round(0.9 * (len(times) - 1)))]
    load = os.getloadavg()[0]
    text = (
        f"One-page receipt ({'drawn 600 x 900 px' if args.image is None else args.image.name}, {size_kb} kB) "
        f'through /tools/ocr/ in Chromium: click on "Read the text" to the result page showing the text. '
        f"Engine `{args.engine}`, read in the request ({SERVERS[args.server]}, one worker at nice 10 making the "
        f"searchable PDF afterwards), {len(times)} runs after 2 warm-up runs.\n\n"
        f"| median | p90 | worst |\n| --- | --- | --- |\n| {median:.2f} s | {p90:.2f} s | {worst:.2f} s |\n\n"
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, load {load:.1f} at the end; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Command: `.venv/bin/python bench/ocr_first_text.py --runs {args.runs} --server {args.server}`."
    )
    print(text)
    if not args.no_write:
        report.write_section("ocr-first-text", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
