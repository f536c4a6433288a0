"""CSRF tokens drawn from one read of the system's random source (docs/decisions/0053).

Django draws each character of a token with its own ``secrets.choice``: 32 for the secret
a first visit gets, 32 more for the mask of every token, each a ``getrandom`` system call.
On a virtual machine a system call can cost 1 to 25 µs depending on how busy the host
is, so a page with a form (the tool card in an article) spent 0.15 to 1.9 ms on them.
``token`` keeps Django's contract and format: the secret in
``request.META["CSRF_COOKIE"]``, ``CSRF_COOKIE_NEEDS_UPDATE`` so ``CsrfViewMiddleware``
sets or renews the cookie, and a freshly masked token that the middleware's own check
accepts. ``tests/core/test_csrf.py`` runs tokens through that check, so a Django release
that changes the contract fails there, not in readers' forms.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: n for n, char in enumerate(_CHARS)}
# Bytes below the largest multiple of len(_CHARS) map uniformly onto it; the rest (8 of 256
# for 62 characters) are dropped, so no character is likelier than another.
_ACCEPT_BELOW = 256 - 256 % len(_CHARS)


def random_chars(length: int) -> str:
    """``length`` characters of CSRF_ALLOWED_CHARS, uniform and from the OS's CSPRNG."""
    chosen: list[str] = []
    while len(chosen) < length:
        spare = length - len(chosen)
        for byte in secrets.token_bytes(spare + spare // 8 + 4):
            if byte < _ACCEPT_BELOW:
                chosen.append(_CHARS[byte % len(_CHARS)])
                if len(chosen) == length:
                    break
    return "".join(chosen)


def token(request: HttpRequest) -> str:
    """What ``django.middleware.csrf.get_token`` returns, with one random read, not 64."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        drawn = random_chars(2 * CSRF_SECRET_LENGTH)
        secret, mask = drawn[:CSRF_SECRET_LENGTH], drawn[CSRF_SECRET_LENGTH:]
        request.META["CSRF_COOKIE"] = secret
    else:
        mask = random_chars(CSRF_SECRET_LENGTH)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    size = len(_CHARS)
    cipher = "".join(
        _CHARS[(_INDEX[s] + _INDEX[m]) % size] for s, m in zip(secret, mask, strict=True)
    )
    return mask + cipher
