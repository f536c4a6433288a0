"""An editor's day in the newsroom, in Chromium: write a post with a pasted image and a
tool card, watch the preview, share a preview link with a signed-out reader, schedule,
publish, edit, restore a revision; an author is refused publishing; axe finds nothing on
the writing pages (desktop and 390 px, light and dark).

``MASTHEAD_DOCS_SHOTS=docs/img`` also saves the screenshots the editor's guide shows.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from masthead.blog.models import Post, PostRevision
from masthead.members import roles
from tests.browser import axe
from tests.browser.helpers import docs_shot, sign_in
from tests.browser.reading_site import reading_settings  # noqa: F401 (fixture)
from tests.fixtures.browser import assert_clean
from tests.newsroom.conftest import make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reading_settings"),
]


def _png_base64() -> str:
    buffer = io.BytesIO()
    image = Image.new("RGB", (1200, 675), (35, 90, 190))
    for x in range(0, 1200, 40):
        for y in range(0, 675, 40):
            image.putpixel((x, y), (255, 255, 255))
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def _cut_png() -> bytes:
    """A PNG that stops half way through its pixels (an interrupted download)."""
    buffer = io.BytesIO()
    Image.effect_noise((600, 400), 60).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


PASTE_IMAGE = """
async (data) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const file = new File([bytes], "chart.png", {type: "image/png"});
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const target = document.querySelector(".cm-content");
  target.focus();
  target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true}));
}
"""


def _body(page: Any) -> str:
    return str(page.evaluate("() => window.mastheadEditor.state.doc.toString()"))


def _wait_saved(page: Any) -> None:
    expect(page.locator("[data-save-status]")).to_have_text(re.compile(r"^Saved \d"), timeout=15000)


def test_write_preview_share_schedule_publish_edit_restore(
    page: Any, live_server: Any, browser: Any
) -> None:
    editor = make_staff(roles.EDITOR, "editor@example.com")
    sign_in(page, live_server, editor)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto("/newsroom/posts/")
    page.get_by_role("button", name="New post").click()
    expect(page.locator(".cm-content")).to_be_visible()
    expect(page.locator("#id_body")).to_be_hidden()  # the textarea stays as the fallback

    # Write: title, a heading and a paragraph typed with the keyboard shortcuts.
    page.locator("#id_title").fill("How we read receipts")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+Alt+2")
    page.keyboard.type("Why it matters\n\nEvery receipt tells a story. ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Bold claim")
    page.keyboard.press("End")
    page.keyboard.type("\n\n")

    # A pasted image asks for its alt text, then lands in the body.
    page.evaluate(PASTE_IMAGE, _png_base64())
    dialog = page.get_by_role("dialog", name="Describe the image")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Alt text").fill("A blue chart of receipts")
    dialog.get_by_role("button", name="Add image").click()
    page.wait_for_function(
        "() => window.mastheadEditor.state.doc.toString().includes('](/media/blog/body/')",
        timeout=90_000,  # renditions (AVIF) take a while on a busy 2-core machine
    )

    # A tool card from the menu.
    page.locator(".nw-menu summary").click()
    page.get_by_role("button", name="OCR — Text from Image").click()
    assert "::: tool ocr" in _body(page)
    expect(page.locator("[data-word-count]")).to_contain_text("words")
    _wait_saved(page)

    # The preview is the post page itself: heading, picture with its size, the tool card.
    frame = page.frame_locator("iframe[data-preview-frame]")
    expect(frame.locator("h1.post__title")).to_have_text("How we read receipts")
    expect(frame.locator(".prose h2#why-it-matters")).to_have_text("Why it matters")
    expect(frame.locator(".prose strong")).to_have_text("Bold claim")
    expect(frame.locator(".prose picture img")).to_have_attribute("alt", "A blue chart of receipts")
    expect(frame.locator(".prose picture img")).to_have_attribute("width", "1200")
    expect(frame.locator(".tool-card")).to_be_visible()
    docs_shot(page, "newsroom-editor")

    post = Post.objects.get(title="How we read receipts")
    assert post.body_images.count() == 1

    # An unknown tool is an error at save time, shown in the bar; nothing is stored.
    page.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\n::: tool ocrr\n")
    expect(page.locator("[data-save-error]")).to_contain_text("no tool called “ocrr”")
    assert "ocrr" not in Post.objects.get(pk=post.pk).body
    for _ in range(len("::: tool ocrr\n")):
        page.keyboard.press("Backspace")
    _wait_saved(page)
    expect(page.locator("[data-save-error]")).to_be_hidden()

    # A preview link, opened by a reader with no account.
    page.get_by_role("button", name="Create a preview link").click()
    link = page.locator(".nw-links__url").first.input_value()
    assert "/preview/" in link
    reader_context = browser.new_context()
    reader = reader_context.new_page()
    reader.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(reader.locator("h1.post__title")).to_have_text("How we read receipts")
    expect(reader.locator(".preview-note")).to_contain_text("not published yet")
    expect(reader.locator("meta[name=robots]")).to_have_attribute("content", "noindex, nofollow")
    reader.goto(f"{live_server.url}/{post.slug}/")
    expect(reader.locator("h1")).not_to_have_text("How we read receipts")  # a 404 without it

    # A hero image with its alt text: a cut-off file is refused in place, a whole one shown.
    hero = base64.b64decode(_png_base64())
    card = page.locator("#hero")
    card.get_by_label("Choose an image").set_input_files(
        {"name": "cut.png", "mimeType": "image/png", "buffer": _cut_png()}
    )
    card.get_by_label("Alt text").fill("Receipts fanned out on a desk")
    card.get_by_role("button", name="Save hero image").click()
    expect(card.locator("[data-hero-error]")).to_contain_text("the file ends early")
    assert not Post.objects.get(pk=post.pk).hero_image
    card.get_by_label("Choose an image").set_input_files(
        {"name": "desk.png", "mimeType": "image/png", "buffer": hero}
    )
    card.get_by_role("button", name="Save hero image").click()
    expect(card.locator("[data-hero-preview] img")).to_have_attribute(
        "alt", "Receipts fanned out on a desk", timeout=90_000
    )
    expect(card.locator("[data-hero-error]")).to_be_hidden()
    expect(card.get_by_role("button", name="Remove the hero image")).to_be_visible()
    assert Post.objects.get(pk=post.pk).hero_width == 1200

    # Schedule, then publish now.
    later = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    page.locator("#id_publish_at").fill(later)
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".nr-messages")).to_contain_text("Scheduled for")
    assert Post.objects.get(pk=post.pk).status == Post.Status.SCHEDULED
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".nr-messages")).to_contain_text("Published")
    reader.goto(f"{live_server.url}/{post.slug}/")
    expect(reader.locator("h1.post__title")).to_have_text("How we read receipts")
    expect(reader.locator(".prose picture img")).to_be_visible()
    hero_img = reader.locator('picture img[alt="Receipts fanned out on a desk"]')
    expect(hero_img).to_be_visible()
    expect(hero_img).to_have_attribute("width", "1200")
    assert "/media/blog/renditions/" in str(
        reader.locator(
            "picture:has(img[alt='Receipts fanned out on a desk']) source"
        ).first.get_attribute("srcset")
    )
    expect(page.get_by_role("link", name=re.compile("View on site"))).to_have_attribute(
        "href", f"http://127.0.0.1:8000/{post.slug}/"
    )
    reader_context.close()

    # Edit after publishing, then restore the revision from before the edit.
    PostRevision.objects.filter(post=post).update(created_at=timezone.now() - timedelta(hours=1))
    page.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("A late paragraph that was a mistake.")
    _wait_saved(page)
    assert "late paragraph" in Post.objects.get(pk=post.pk).body
    page.get_by_role("link", name="History").click()
    expect(page.locator("h1")).to_contain_text("History of")
    page.get_by_role("link", name=re.compile("^Compare")).nth(1).click()
    expect(page.locator("ins.nw-diff__line")).to_contain_text("A late paragraph")
    docs_shot(page, "newsroom-revision")
    page.get_by_role("button", name="Restore this revision").click()
    expect(page.locator(".nr-messages")).to_contain_text("Revision restored")
    assert "late paragraph" not in _body(page)
    assert "late paragraph" not in Post.objects.get(pk=post.pk).body
    # The refused save (unknown tool) is logged by Chromium as a failed load; nothing else.
    assert all("422" in error for error in page.console_errors), page.console_errors
    assert page.foreign_requests == [] and page.dialogs == []


def test_author_is_refused_publishing(page: Any, live_server: Any) -> None:
    author = make_staff(roles.AUTHOR, "author@example.com")
    sign_in(page, live_server, author)
    page.goto("/newsroom/posts/")
    page.get_by_role("button", name="New post").click()
    expect(page.locator(".cm-content")).to_be_visible()
    expect(page.get_by_role("button", name="Publish now")).to_have_count(0)
    expect(page.locator("#publish")).to_contain_text("Only editors publish")
    post = Post.objects.get()
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        f"/newsroom/posts/{post.pk}/publish/",
        form={"action": "publish", "visibility": "public", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{live_server.url}/newsroom/posts/{post.pk}/"},
    )
    assert response.status == 403
    assert "Only editors and admins publish" in response.text()
    assert Post.objects.get().status == Post.Status.DRAFT
    assert_clean(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_writing_pages_have_no_axe_violations(
    page: Any, live_server: Any, scheme: str, width: int
) -> None:
    editor = make_staff(roles.EDITOR, "editor@example.com")
    sign_in(page, live_server, editor)
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto("/newsroom/posts/")
    page.get_by_role("button", name="New post").click()
    expect(page.locator(".cm-content")).to_be_visible()
    post = Post.objects.get()
    page.locator(".cm-content").click()
    page.keyboard.type("## A heading\n\nSome text for the preview.")
    _wait_saved(page)
    PostRevision.objects.filter(post=post).update(created_at=timezone.now() - timedelta(hours=1))
    page.keyboard.type(" More.")
    _wait_saved(page)
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="Preview", exact=True).click()
        expect(page.frame_locator("iframe[data-preview-frame]").locator(".prose h2")).to_have_text(
            "A heading"
        )
        if scheme == "light":
            docs_shot(page, "newsroom-phone-preview")
        page.get_by_role("button", name="Back to writing").click()
    elif scheme == "light":
        docs_shot(page, "newsroom-editor-light")
    revision = post.revisions.order_by("updated_at").first()
    assert revision is not None
    pages = [
        "/newsroom/posts/",
        f"/newsroom/posts/{post.pk}/",
        f"/newsroom/posts/{post.pk}/revisions/",
        f"/newsroom/posts/{post.pk}/revisions/{revision.pk}/",
    ]
    for url in pages:
        page.goto(url)
        expect(page.locator("h1, .nw-bar").first).to_be_visible()
        assert axe.violations(page) == [], (url, scheme, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= max(width, 1280), url
    if width == 1280 and scheme == "light":
        page.goto(f"/newsroom/posts/{post.pk}/#settings")
        docs_shot(page, "newsroom-settings")
    assert_clean(page)


CLS_SCRIPT = """
() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 800);
})
"""


def test_body_images_and_video_embeds_do_not_shift_and_load_nothing_until_played(
    page: Any, live_server: Any
) -> None:
    from masthead.blog import services

    editor = make_staff(roles.EDITOR, "editor@example.com")
    image = services.body_image_create(
        data=base64.b64decode(_png_base64()), filename="chart.png", by=editor, post=None
    )
    post = services.post_create_draft(by=editor, title="Watch this")
    filler = "\n\n".join(["A paragraph of text that takes up some room on the page."] * 12)
    body = (
        f"Intro\n\n![A chart]({image.file.url})\n\n{filler}\n\n"
        "::: embed https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nAfter the video."
    )
    services.post_save_draft(
        post_id=post.pk, version=post.version, by=editor, fields={"body": body}
    )
    services.post_publish_state(post=Post.objects.get(pk=post.pk), by=editor, action="publish")
    page.route(re.compile(r"https://(www\.youtube-nocookie\.com|player\.vimeo\.com)/.*"),
               lambda route: route.fulfill(status=200, body="<p>player</p>",
                                           content_type="text/html"))  # fmt: skip
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"/{post.slug}/")
    expect(page.locator(".prose picture img")).to_have_attribute("width", "1200")
    assert page.evaluate(CLS_SCRIPT) == 0
    page.locator(".embed").scroll_into_view_if_needed()
    assert page.evaluate(CLS_SCRIPT) == 0
    assert page.foreign_requests == []  # nothing from the video site before a press
    box = page.locator(".embed").bounding_box()
    page.get_by_role("link", name="Play the video on YouTube").click()
    player = page.locator(".embed iframe")
    expect(player).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    assert page.locator(".embed").bounding_box() == box  # the player takes the box's place
    assert page.foreign_requests == [
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    ]
    assert page.console_errors == [] and page.dialogs == []
