"""Reading export files safely: zips checked before anything is unpacked, media looked up.

A zip is refused whole when a member's name is absolute or climbs out (``../``), when it
declares more than ``MASTHEAD_IMPORT_MAX_UNPACKED`` bytes in all, or when a member
unpacks to more than it declared (the reads are bounded, so a zip bomb that lies in its
directory is stopped at the limit, never held in memory).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings

from masthead.exchange.records import ImportRefused

IMAGE_TYPES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}  # no SVG: it can carry script


def _check_name(name: str, where: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise ImportRefused(
            f"{where} holds a file named {name!r}, which points outside the archive; "
            "the archive was not imported.",
            code="unsafe_archive",
        )
    return path


def open_zip(path: Path) -> zipfile.ZipFile:
    """The zip at ``path``, checked: safe names, bounded declared size."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRefused(
            f"{path.name} is not a readable zip file ({exc}).", code="bad_archive"
        ) from None
    total = 0
    for info in archive.infolist():
        _check_name(info.filename, path.name)
        total += info.file_size
        if total > settings.MASTHEAD_IMPORT_MAX_UNPACKED:
            raise ImportRefused(
                f"{path.name} would unpack to more than "
                f"{settings.MASTHEAD_IMPORT_MAX_UNPACKED:,} bytes; it was not imported.",
                code="archive_too_large",
            )
    return archive


def read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int | None = None
) -> bytes:
    """A member's bytes, never more than it declared nor than the limit."""
    cap = min(info.file_size, limit or settings.MASTHEAD_IMPORT_MAX_FILE)
    if info.file_size > cap:
        raise ImportRefused(
            f"{info.filename} in the archive is {info.file_size:,} bytes; the limit is {cap:,}.",
            code="archive_too_large",
        )
    with archive.open(info) as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise ImportRefused(
            f"{info.filename} in the archive unpacks to more than it declares (a zip bomb?); "
            "the archive was not imported.",
            code="archive_too_large",
        )
    return data


def open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    """A stream over a member for large text files (CSV, XML), bounded as ``read_member``."""
    if info.file_size > settings.MASTHEAD_IMPORT_MAX_FILE:
        raise ImportRefused(
            f"{info.filename} in the archive is {info.file_size:,} bytes; the limit is "
            f"{settings.MASTHEAD_IMPORT_MAX_FILE:,}.",
            code="archive_too_large",
        )
    return io.BufferedReader(_Bounded(archive.open(info), info.file_size, info.filename))


class _Bounded(io.RawIOBase):
    def __init__(self, inner: IO[bytes], limit: int, name: str) -> None:
        self.inner, self.left, self.name_ = inner, limit, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(min(len(buffer), self.left + 1))
        if len(data) > self.left:
            raise ImportRefused(
                f"{self.name_} in the archive unpacks to more than it declares (a zip bomb?).",
                code="archive_too_large",
            )
        self.left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


class Media:
    """Image files of the old site, found by their path below its images folder."""

    def __init__(self, source: Path | None) -> None:
        self.folder: Path | None = None
        self.zip: zipfile.ZipFile | None = None
        self.index: dict[str, zipfile.ZipInfo] = {}
        if source is None:
            return
        if source.is_dir():
            self.folder = source.resolve()
        elif source.is_file():
            self.zip = open_zip(source)
            for info in self.zip.infolist():
                if not info.is_dir():
                    self.index[info.filename.replace("\\", "/")] = info
        else:
            raise ImportRefused(
                f"The media folder or zip {source} does not exist.", code="bad_media"
            )

    def find(self, relative: str) -> bytes | None:
        """The bytes of ``relative`` (e.g. ``2024/05/photo.jpg``), or None when absent."""
        relative = relative.split("?", 1)[0].split("#", 1)[0].lstrip("/")
        if not relative or PurePosixPath(relative).suffix.lower() not in IMAGE_TYPES:
            return None
        try:
            clean = _check_name(relative, "The body")
        except ImportRefused:
            return None
        if self.folder is not None:
            candidate = (self.folder / clean).resolve()
            if not candidate.is_relative_to(self.folder) or not candidate.is_file():
                return None
            if candidate.stat().st_size > settings.MASTHEAD_IMPORT_MAX_FILE:
                return None
            return candidate.read_bytes()
        if self.zip is not None:
            for name in self._zip_names(str(clean)):
                info = self.index.get(name)
                if info is not None:
                    return read_member(self.zip, info)
        return None

    def _zip_names(self, relative: str) -> Iterator[str]:
        yield relative
        for prefix in ("images/", "content/images/", "wp-content/uploads/", "uploads/"):
            yield prefix + relative
        for name in self.index:  # a zip made of the folder itself: "<top>/2024/05/x.jpg"
            if name.endswith("/" + relative):
                yield name
                return
