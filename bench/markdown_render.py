# ruff: noqa: E501
"""Post rendering on pathological Markdown: the renderer as it was against the one now.

For each shape (repeated headings, nested quotes and lists, runs of brackets, emphasis,
tables, footnotes, reference links ...) at ``--size`` bytes, times ``markdown.render``
(CPU time, median of ``--runs``) with its limits lifted, says what the default limits
answer (rendered, or the refusal code), and times the renderer as it was before ADR 0106
(mdit-py-plugins' anchors, no limits) in a child process killed after ``--before-timeout``
seconds. Writes the ``markdown-render`` section of BENCHMARKS.md unless ``--no-write``.

    .venv/bin/python bench/markdown_render.py [--size 200000] [--runs 3] [--before-timeout 60]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
os.environ.setdefault("MASTHEAD_DEBUG", "1")

from bench import report  # noqa: E402
from tests.blog.shapes import shapes  # noqa: E402


def _old_renderer() -> object:
    """The renderer before ADR 0106: mdit-py-plugins' anchors, no limits."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    from masthead.blog import markdown

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=2, max_level=3)

    def render(text: str) -> str:
        return markdown.sanitise(md.render(text))

    return render


def _time_before(name: str, size: int) -> None:
    """Child process: one render with the old renderer; prints CPU seconds."""
    import django

    django.setup()
    render = _old_renderer()
    text = shapes(size)[name]
    start = time.process_time()
    render(text)  # type: ignore[operator]
    print(time.process_time() - start)


BEFORE_MEMORY = 2 * 1024**3  # address space of the child: reference links ran to gigabytes


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (BEFORE_MEMORY, BEFORE_MEMORY))


def _before(name: str, size: int, timeout: float) -> str:
    command = [sys.executable, __file__, "--before-one", name, "--size", str(size)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=True,
            preexec_fn=_limit_memory,  # the parent runs no threads
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"> {timeout:g} s (stopped)"
    except subprocess.CalledProcessError as error:
        last = (error.stderr.strip().splitlines() or ["killed"])[-1]
        return f"failed: {last[:50]} (2 GB cap)"
    return f"{float(done.stdout) * 1000:,.0f}"


def _after(text: str, runs: int) -> tuple[str, str]:
    from masthead.blog import markdown

    outcome = "rendered"
    try:
        markdown.render(text)
    except markdown.MarkdownRefused as error:
        outcome = error.code
    lifted = markdown.Limits(max_bytes=10**9, seconds=10**9)
    times = []
    for _ in range(runs):
        start = time.process_time()
        try:
            markdown.render(text, limits=lifted)
        except markdown.MarkdownRefused as error:  # links_too_long has no time to lift
            outcome = error.code
        times.append(time.process_time() - start)
    return f"{statistics.median(times) * 1000:,.0f}", outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before-timeout", type=float, default=60)
    parser.add_argument("--before-one", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if args.before_one:
        _time_before(args.before_one, args.size)
        return 0
    import django

    django.setup()
    from django.conf import settings

    rows = []
    for name, text in shapes(args.size).items():
        after, outcome = _after(text, args.runs)
        before = _before(name, args.size, args.before_timeout)
        rows.append(f"| {name} | {len(text):,} | {before} | {after} | {outcome} |")
        print(rows[-1], flush=True)
    section = "\n".join(
        [
            "## Markdown rendering of pathological bodies",
            "",
            f"- Command: `python bench/markdown_render.py --size {args.size} --runs {args.runs} --before-timeout {args.before_timeout:g}`",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {platform.machine()}, 2 cores shared with other work while measuring (CPU times, so load inflates them less than wall time).",
            f"- Limits now: {settings.MASTHEAD_POST_MAX_BYTES:,} bytes, {settings.MASTHEAD_POST_RENDER_SECONDS} s (docs/decisions/0106). *Before*: the renderer as it was (mdit-py-plugins anchors, no limits), one run in a child process stopped after the timeout (wall clock) or at 2 GB. *Now*: `markdown.render` with the limits lifted, median CPU ms; *default limits*: what the site answers.",
            "",
            "| shape | bytes | before (ms) | now (ms) | default limits |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    if not args.no_write:
        report.write_section("markdown-render", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
