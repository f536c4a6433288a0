"""``masthead ocr``: read text from images and PDFs on the command line.

``main(argv)`` returns an exit status (``ExitCode``) and never calls ``sys.exit``; errors
become ``error: <message>`` on stderr here and nowhere else. Exit statuses are listed in
README.md ("Command line"). With several files, each is processed even if one fails, and
the status is that of the first failure.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TextIO

from masthead.ocr import languages as language_list
from masthead.ocr import pipeline
from masthead.ocr.errors import ExitCode, OcrError
from masthead.ocr.export import FORMATS, render
from masthead.ocr.options import ENGINE_CHOICES, Limits, OcrOptions
from masthead.ocr.sizes import parse_size


class UsageError(Exception):
    """Bad command-line usage (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one input file (picklable, for ``--jobs``)."""

    path: str
    output: str | bytes | None = None
    exit_code: int = ExitCode.OK
    message: str = ""


def build_parser() -> argparse.ArgumentParser:
    limits = Limits()
    parser = _Parser(
        prog="masthead ocr",
        description="Read the text in images (PNG, JPEG, WebP, GIF, BMP, TIFF, HEIC) and PDFs.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("-f", "--format", choices=sorted(FORMATS), default="text")
    parser.add_argument("-o", "--output", type=Path, help="output file, or directory")
    parser.add_argument("-e", "--engine", choices=ENGINE_CHOICES, default="auto")
    parser.add_argument(
        "-l", "--lang", action="append", default=[], help="language hint (eng, deu+fra, ...)"
    )
    parser.add_argument("-j", "--jobs", type=_positive, default=1, help="files in parallel")
    parser.add_argument("--threads", type=_positive, default=1, help="engine threads per job")
    parser.add_argument("--max-pages", type=_positive, default=limits.max_pages)
    parser.add_argument("--max-pixels", type=_size, default=limits.max_pixels)
    parser.add_argument("--max-bytes", type=_size, default=limits.max_bytes)
    parser.add_argument("--timeout", type=float, default=limits.timeout, help="seconds/page")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        options = _options(args)
        _check_output(args)
    except UsageError as exc:
        sys.stderr.write(f"usage: masthead ocr PATH... [options]\nerror: {exc}\n")
        return ExitCode.USAGE
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:  # before any file is read: a language no engine here can read is an error
        options = options.replace(
            languages=language_list.check(options.languages, engine=options.engine)
        )
    except OcrError as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        return exc.exit_code
    try:
        return _run(args, options)
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return ExitCode.INTERRUPTED


def _run(args: argparse.Namespace, options: OcrOptions) -> int:
    status = ExitCode.OK
    paths: list[Path] = args.paths
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    bar = _Progress(sys.stderr, len(paths)) if show and len(paths) > 1 else None
    for done, outcome in enumerate(_outcomes(args, options, show and len(paths) == 1), 1):
        if outcome.exit_code != ExitCode.OK:
            sys.stderr.write(f"error: {outcome.path}: {outcome.message}\n")
        else:
            written = _write(args, outcome, single=len(paths) == 1)
            if written != ExitCode.OK:
                outcome = Outcome(outcome.path, None, written)
        if status == ExitCode.OK:
            status = ExitCode(outcome.exit_code)
        if bar is not None:
            bar.update(done)
    if bar is not None:
        bar.close()
    return status


def _outcomes(args: argparse.Namespace, options: OcrOptions, page_bar: bool) -> Iterator[Outcome]:
    paths: list[Path] = args.paths
    if args.jobs == 1 or len(paths) == 1:
        for path in paths:
            yield process(path, options, args.format, progress=page_bar)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=args.jobs, mp_context=context) as pool:
        futures = [pool.submit(process, path, options, args.format) for path in paths]
        for future in futures:
            yield future.result()


def process(path: Path, options: OcrOptions, fmt: str, *, progress: bool = False) -> Outcome:
    """OCR one file and render it; failures become an ``Outcome`` with a message."""
    bar = _Progress(sys.stderr, 0, unit="pages") if progress else None
    try:
        doc = pipeline.run(path, options, progress=bar.pages if bar else None)
        output = render(doc, fmt, source=path, limits=options.limits)
    except OcrError as exc:
        return Outcome(str(path), None, exc.exit_code, exc.message)
    except OSError as exc:
        return Outcome(str(path), None, ExitCode.BAD_INPUT, f"cannot read it ({exc.strerror})")
    finally:
        if bar is not None:
            bar.close()
    return Outcome(str(path), output)


def _write(args: argparse.Namespace, outcome: Outcome, *, single: bool) -> ExitCode:
    data = outcome.output if outcome.output is not None else ""
    target = _target(args, Path(outcome.path), single=single)
    try:
        if target is None:
            if not single:
                sys.stdout.write(f"==> {outcome.path} <==\n")
            sys.stdout.write(data if isinstance(data, str) else data.decode())
        elif isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    except OSError as exc:
        sys.stderr.write(f"error: cannot write {target}: {exc.strerror}\n")
        return ExitCode.OUTPUT_FAILED
    return ExitCode.OK


def _target(args: argparse.Namespace, path: Path, *, single: bool) -> Path | None:
    output: Path | None = args.output
    if output is None:
        return None
    if single and not output.is_dir():
        return output
    return output / (path.stem + FORMATS[args.format].extension)


def _check_output(args: argparse.Namespace) -> None:
    if FORMATS[args.format].binary and args.output is None:
        raise UsageError(f"--format {args.format} writes binary data: give --output FILE")
    if args.output is not None and len(args.paths) > 1 and not args.output.is_dir():
        raise UsageError("with several files, --output must be an existing directory")


def _options(args: argparse.Namespace) -> OcrOptions:
    languages = tuple(code for item in args.lang for code in re.split(r"[+,\s]+", item) if code)
    try:
        limits = Limits(args.max_bytes, args.max_pixels, args.max_pages, args.timeout)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return OcrOptions(engine=args.engine, languages=languages, limits=limits, threads=args.threads)


def _positive(text: str) -> int:
    value = _size(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _size(text: str) -> int:
    """``"50MB"``, ``"40M"``, ``"2k"`` or a plain integer (1 MB = 1,000,000 bytes)."""
    try:
        return parse_size(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


class _Progress:
    """A one-line progress bar on a terminal stream."""

    def __init__(self, stream: TextIO, total: int, *, unit: str = "files") -> None:
        self.stream, self.total, self.unit, self.shown = stream, total, unit, False

    def pages(self, done: int, total: int) -> None:
        self.total = total
        if total > 1:
            self.update(done)

    def update(self, done: int) -> None:
        width = 30
        filled = width * done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r[{bar}] {done}/{self.total} {self.unit}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
