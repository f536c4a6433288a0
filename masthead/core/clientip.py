"""The client's IP address: one answer for every limit and log line on the site.

Behind ``MASTHEAD_TRUSTED_PROXY_COUNT`` reverse proxies, each proxy appends the address it
received the request from to ``X-Forwarded-For``, so the N-th entry from the right was
written by our own outermost proxy. Everything to its left came from the client, who can
write anything there, and is ignored. With no trusted proxy, or a header with fewer entries
than that (the request did not pass through them), or an entry that is not an address,
``REMOTE_ADDR`` is used: a forged header can never choose a client's rate-limit bucket.

Sign-in limits (allauth, through the members' adapter), the subscribe limit and the OCR
limits all call :func:`client_ip`, and count per :func:`limit_key`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPV6_LIMIT_PREFIX = 64  # one customer's IPv6 block, as allauth's limits count it


def client_ip(request: HttpRequest) -> str:
    """The address to hold responsible for ``request`` ("" only without any address)."""
    proxies = int(settings.MASTHEAD_TRUSTED_PROXY_COUNT)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= proxies:
            ip = _address(hops[-proxies])
            if ip:
                return ip
    return _address(str(request.META.get("REMOTE_ADDR", ""))) or ""


def limit_key(ip: str) -> str:
    """What a per-IP limit counts: the IPv4 address, or the IPv6 address's /64 network.

    One IPv6 customer usually holds a whole /64, so counting single addresses would let
    them start a fresh bucket with every request.
    """
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network((address, IPV6_LIMIT_PREFIX), strict=False)
        return str(network)
    return str(address)


def _address(value: str) -> str | None:
    """``value`` as a normalised IP address, without a port some proxies append."""
    candidates = [value]
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        candidates.append(value[1 : value.index("]")])
    elif value.count(":") == 1:  # "203.0.113.9:51234"
        candidates.append(value.split(":", 1)[0])
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(address)
    return None
