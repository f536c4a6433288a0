"""``export_site [--output FILE.zip] [--members-csv FILE.csv]``: the whole site in one zip."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from masthead.exchange import export
from masthead.exchange.management.commands._progress import Bar


class Command(BaseCommand):
    help = "Export posts, tags, authors, images, redirects and subscribers to one zip."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="the zip to write (default: var/exports/…)")
        parser.add_argument(
            "--members-csv", type=Path, help="also write subscribers as Ghost's members CSV"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        output = options["output"] or Path(settings.VAR_DIR) / "exports" / f"masthead-{stamp}.zip"
        counts = export.site_export(output=output, progress=Bar(self.stderr))
        self.stdout.write(
            f"Exported {counts['posts']} posts, {counts['images']} images, {counts['redirects']} "
            f"redirects and {counts['members']} subscribers to {output}."
        )
        if options["members_csv"]:
            text = io.StringIO()
            rows = export.members_csv(text)
            options["members_csv"].write_text(text.getvalue(), encoding="utf-8")
            self.stdout.write(f"Wrote {rows} subscribers to {options['members_csv']}.")
