"""Issue 11: the post admin's author picker lists staff by the name readers see, and the
tag rows are named by tag, under a title that reads as English."""

from __future__ import annotations

import re
from typing import Any

import pytest

from masthead.blog import selectors
from masthead.blog.models import PostTag
from masthead.members import roles
from masthead.members.models import Profile
from tests.blog.factories import make_author, make_tag, make_user, published_post
from tests.fixtures import staff
from tests.fixtures.staff import login_past_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client: Any) -> Any:
    login_past_totp(client, staff.superuser("boss", "boss@example.com"))
    return client


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="authors".*?</select>', html, re.S)
    assert select, "no author picker"
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select.group(0))


def test_author_picker_lists_staff_by_display_name(editor: Any) -> None:
    writer = make_user(username="zz_writer")
    roles.role_assign(user=writer, role="author")
    make_author(user=writer, display_name="Ada Byline")
    named = make_user(username="named_editor", email="ed@example.com")
    roles.role_assign(user=named, role="editor")
    Profile.objects.create(user=named, display_name="Bea Profile")
    bare = make_user(username="bare", email="carl@example.com")
    roles.role_assign(user=bare, role="admin")
    make_user(username="just_a_member")

    options = _options(editor.get("/admin/blog/post/add/").content.decode())
    assert options == ["Ada Byline", "Bea Profile", "boss@example.com", "carl@example.com"]


def test_a_former_staff_author_stays_choosable_on_their_post(editor: Any) -> None:
    author = make_author(display_name="Old Hand")  # no staff role any more
    post = published_post(authors=[author])
    assert "Old Hand" in _options(
        editor.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    )
    assert author.user not in selectors.author_choices()


def test_tag_inline_title_and_rows_read_as_english(editor: Any) -> None:
    first, second = make_tag("Cybersecurity"), make_tag("Privacy")
    post = published_post(tags=[first, second])
    html = editor.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert "Tags: the one at position 0 is the category" in html
    assert "category)s" not in html.lower()
    assert f"{post.pk}:{first.pk}@0" not in html
    assert "Cybersecurity (category)" in html and ">Privacy<" in html.replace("\n", "")
    assert [str(pt) for pt in PostTag.objects.filter(post=post)] == [
        "Cybersecurity (category)",
        "Privacy",
    ]
