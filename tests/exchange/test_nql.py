"""The filter parser: the common NQL shapes, and total on any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from masthead.errors import MastheadError
from masthead.exchange import nql
from masthead.exchange.nql import Compare, Group


def test_shapes() -> None:
    assert nql.parse("tag:news") == Compare("tag", "=", "news")
    assert nql.parse("tag:-news") == Compare("tag", "!=", "news")
    assert nql.parse("featured:true") == Compare("featured", "=", True)
    assert nql.parse("published_at:>='2024-01-01 10:00:00'") == Compare(
        "published_at", ">=", "2024-01-01 10:00:00"
    )
    assert nql.parse("tag:[a, b]") == Compare("tag", "in", ["a", "b"])
    assert nql.parse("slug:-[a,b]") == Compare("slug", "not in", ["a", "b"])
    assert nql.parse("a:1+b:2,c:3") == Group(
        "or",
        (Group("and", (Compare("a", "=", "1"), Compare("b", "=", "2"))), Compare("c", "=", "3")),
    )
    assert nql.parse("a:1+(b:2,c:3)") == Group(
        "and",
        (Compare("a", "=", "1"), Group("or", (Compare("b", "=", "2"), Compare("c", "=", "3")))),
    )
    assert nql.parse("title:~'it\\'s'") == Compare("title", "~", "it's")


@pytest.mark.parametrize(
    "text", ["tag", "tag:", ":x", "tag:(", "tag:[a", "a:1+", "(a:1", "a:'x", "a:>[1]", "a:1)"]
)
def test_malformed_is_refused_with_its_code(text: str) -> None:
    with pytest.raises(MastheadError) as caught:
        nql.parse(text)
    assert caught.value.code == "invalid_filter"


def test_deep_nesting_and_length_are_bounded() -> None:
    with pytest.raises(MastheadError, match="nested"):
        nql.parse("(" * 50 + "a:1" + ")" * 50)
    with pytest.raises(MastheadError, match="longer than"):
        nql.parse("a:" + "x" * 5000)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-+,()[]'\"<>=~ 1tx")), max_size=40))
def test_parser_is_total(text: str) -> None:
    """Any input parses or is refused as invalid_filter; nothing else escapes."""
    try:
        nql.parse(text)
    except MastheadError as exc:
        assert exc.code == "invalid_filter"
