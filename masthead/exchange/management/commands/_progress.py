"""The import commands' progress bar and report printing."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from django.core.management.base import OutputWrapper

from masthead.exchange.records import ImportReport


class Bar:
    """``posts [##########----------] 120/240`` on one line, redrawn at most 10 times a second."""

    def __init__(self, out: OutputWrapper | TextIO = sys.stderr, width: int = 30) -> None:
        self.out, self.width, self.last = out, width, 0.0
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.last < 0.1:
            return
        self.last, self.stage = now, stage
        filled = self.width * done // max(total, 1)
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done >= total else ""
        self.out.write(f"\r{stage:8} [{bar}] {done}/{total}{end}", ending="") if isinstance(
            self.out, OutputWrapper
        ) else self.out.write(f"\r{stage:8} [{bar}] {done}/{total}{end}")
        self.out.flush()


def print_report(out: OutputWrapper, report: ImportReport) -> None:
    for line in report.lines():
        out.write(line)
