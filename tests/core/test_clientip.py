"""One client-IP function for every limit (A22): trusted proxies only, forged entries ignored."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from masthead.core.clientip import client_ip, limit_key

MASTHEAD = Path(__file__).resolve().parents[2] / "masthead"


def _request(forwarded: str | None = None) -> Any:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "10.0.0.1"),
        (0, "203.0.113.9", "10.0.0.1"),  # no trusted proxy: the header is the client's word
        (1, None, "10.0.0.1"),  # did not come through the proxy
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # forged leftmost entry ignored
        (1, "evil, , 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.1, 203.0.113.9, 192.0.2.7", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: not through them
        (1, "not-an-address", "10.0.0.1"),
        (1, "203.0.113.9:51234", "203.0.113.9"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "::ffff:203.0.113.9", "203.0.113.9"),
        (1, "2001:DB8:0:0::1", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.MASTHEAD_TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_limit_key_groups_an_ipv6_slash_64():
    assert limit_key("203.0.113.9") == "203.0.113.9"
    assert limit_key("2001:db8:1:2:aaaa::1") == limit_key("2001:db8:1:2:bbbb::2")
    assert limit_key("2001:db8:1:2::1") != limit_key("2001:db8:1:3::1")


def test_allauth_limits_use_the_same_function(settings):
    settings.MASTHEAD_TRUSTED_PROXY_COUNT = 1
    request = _request(forwarded="198.51.100.1, 203.0.113.9:8080")
    assert get_adapter(request).get_client_ip(request) == client_ip(request) == "203.0.113.9"


def test_no_other_module_reads_the_client_address_itself():
    """A second copy of the rule drifts (the subscribe limit read REMOTE_ADDR alone)."""
    pattern = re.compile(r"REMOTE_ADDR|X_FORWARDED_FOR|X-Forwarded-For", re.IGNORECASE)
    readers = {
        str(path.relative_to(MASTHEAD))
        for path in MASTHEAD.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    }
    assert readers == {"core/clientip.py"}
