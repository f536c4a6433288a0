"""Build the kept pieces of every live post's page now (the worker does it after changes)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from masthead.blog import pieces


class Command(BaseCommand):
    help = (
        "Build the pieces of every live post's page, as the worker does after a site-wide "
        "change: after restoring a backup, or before measuring a fresh site."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        count = pieces.build_all()
        seconds = time.monotonic() - started
        self.stdout.write(f"Built the pieces of {count} post pages in {seconds:.1f} s.")
