"""What the commands and the newsroom call: one function per import, and the export.

Each takes file paths (the newsroom's background job saves the upload first), a
``dry_run`` flag and a ``progress(stage, done, total)`` callback, and returns an
``ImportReport``; a file that cannot be imported raises ``ImportRefused`` and nothing is
saved.
"""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

from masthead.exchange import archive, csvmembers, ghost, importer, substack, wordpress
from masthead.exchange.archive import Media
from masthead.exchange.importer import Progress
from masthead.exchange.records import Bundle, ImportRefused, ImportReport


def _ghost_document(path: Path) -> tuple[dict[str, object], Media | None]:
    """The export's data, and the zip itself as media when the export came zipped."""
    if zipfile.is_zipfile(path):
        bundle_zip = archive.open_zip(path)
        names = [
            i
            for i in bundle_zip.infolist()
            if i.filename.endswith(".json")
            and "/" not in i.filename
            and i.filename != "redirects.json"
        ]
        if not names:
            raise ImportRefused(
                f"{path.name} holds no Ghost export (.json) at its top level.", code="not_an_export"
            )
        name = names[0].filename
        data = ghost.decode_json(archive.read_member(bundle_zip, names[0]), name)
        version, content = ghost.unwrap(data, name)
        document: dict[str, object] = {"version": version, "data": content, "redirects": []}
        moved = [i for i in bundle_zip.infolist() if i.filename == "redirects.json"]
        if moved:
            document["redirects"] = ghost.decode_json(
                archive.read_member(bundle_zip, moved[0]), "redirects.json"
            )
        return document, Media(path)
    if not path.is_file():
        raise ImportRefused(f"There is no file {path}.", code="no_file")
    version, content = ghost.read(path)
    return {"version": version, "data": content, "redirects": []}, None


def ghost_import(
    *,
    path: Path,
    media: Path | None = None,
    members_csv: Path | None = None,
    dry_run: bool = False,
    progress: Progress = importer._no_progress,
) -> ImportReport:
    document, zipped_media = _ghost_document(path)
    bundle = ghost.bundle_from(document["data"], version=str(document["version"]))  # type: ignore[arg-type]
    ghost.add_redirects(bundle, document["redirects"])
    if members_csv is not None:
        if not members_csv.is_file():
            raise ImportRefused(f"There is no members file {members_csv}.", code="no_file")
        bundle.members = itertools.chain(bundle.members, csvmembers.members_from_csv(members_csv))
    source = Media(media) if media is not None else (zipped_media or Media(None))
    return importer.bundle_import(
        bundle, media=source, locate=ghost.locate, dry_run=dry_run, progress=progress
    )


def subscribers_import_csv(*, path: Path, dry_run: bool = False) -> ImportReport:
    """Subscribers from a Ghost, Substack or Mailchimp CSV (nobody unsubscribed re-subscribed)."""
    if not path.is_file():
        raise ImportRefused(f"There is no file {path}.", code="no_file")
    bundle = Bundle(source="csv", members=csvmembers.members_from_csv(path))
    return importer.bundle_import(bundle, dry_run=dry_run)


def wordpress_import(
    *,
    path: Path,
    media: Path | None = None,
    dry_run: bool = False,
    progress: Progress = importer._no_progress,
) -> ImportReport:
    """A WordPress WXR file (or a zip holding one), streamed; images from ``media``."""
    if not path.is_file():
        raise ImportRefused(f"There is no file {path}.", code="no_file")
    if zipfile.is_zipfile(path):
        zipped = archive.open_zip(path)
        found = [i for i in zipped.infolist() if i.filename.lower().endswith(".xml")]
        if not found:
            raise ImportRefused(
                f"{path.name} holds no WordPress export (.xml).", code="not_an_export"
            )
        with archive.open_member(zipped, found[0]) as stream:
            bundle = wordpress.read_stream(stream, found[0].filename)
        source = Media(media) if media is not None else Media(path)
    else:
        bundle = wordpress.read(path)
        source = Media(media)
    return importer.bundle_import(
        bundle, media=source, locate=wordpress.locate, dry_run=dry_run, progress=progress
    )


def substack_import(
    *,
    path: Path,
    dry_run: bool = False,
    progress: Progress = importer._no_progress,
) -> ImportReport:
    """A Substack export zip: posts, their HTML, and the subscriber list."""
    if not path.is_file():
        raise ImportRefused(f"There is no file {path}.", code="no_file")
    return importer.bundle_import(substack.read(path), dry_run=dry_run, progress=progress)
