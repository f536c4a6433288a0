"""Signed tokens in emailed links: HMAC (SHA-256) over the subscriber id with SECRET_KEY.

Each purpose has its own salt, so a confirmation token never works as an unsubscribe token
(and the reverse). ``django.core.signing`` compares signatures in constant time.
Unsubscribe tokens never expire: links in old issues keep working.
"""

from __future__ import annotations

from django.core import signing

CONFIRM = "masthead.newsletter.confirm"
UNSUBSCRIBE = "masthead.newsletter.unsubscribe"
COUNT = "masthead.newsletter.count"  # open-count pixel: the issue id only, never a reader
LINK = "masthead.newsletter.link"  # click-count redirect: the issue id and a site path
CONFIRM_MAX_AGE = 60 * 60 * 24 * 30  # a confirmation link works for 30 days


class BadTokenError(Exception):
    """The token is forged, truncated, swapped between purposes or expired."""


def _signer(purpose: str) -> signing.Signer:
    # Confirmation links carry a timestamp (they expire); unsubscribe links are stable.
    if purpose == CONFIRM:
        return signing.TimestampSigner(salt=purpose)
    return signing.Signer(salt=purpose)


def make(purpose: str, subscriber_id: int, issue_id: int | None = None) -> str:
    payload = [subscriber_id] if issue_id is None else [subscriber_id, issue_id]
    return _signer(purpose).sign_object(payload)


def read(purpose: str, token: str) -> tuple[int, int | None]:
    """Return (subscriber id, issue id or None); raise BadTokenError when invalid."""
    signer = _signer(purpose)
    try:
        if isinstance(signer, signing.TimestampSigner):
            payload = signer.unsign_object(token, max_age=CONFIRM_MAX_AGE)
        else:
            payload = signer.unsign_object(token)
    except (signing.BadSignature, ValueError) as error:
        raise BadTokenError(str(error)) from None
    if not isinstance(payload, list) or not 1 <= len(payload) <= 2:
        raise BadTokenError("malformed payload")
    if not all(isinstance(value, int) for value in payload):
        raise BadTokenError("malformed payload")
    return payload[0], payload[1] if len(payload) == 2 else None


def make_link(issue_id: int, path: str) -> str:
    """A counting redirect's token: the issue and a path on this site, nobody's id."""
    return signing.Signer(salt=LINK).sign_object([issue_id, path])


def read_link(token: str) -> tuple[int, str]:
    try:
        payload = signing.Signer(salt=LINK).unsign_object(token)
    except (signing.BadSignature, ValueError) as error:
        raise BadTokenError(str(error)) from None
    if not (isinstance(payload, list) and len(payload) == 2):
        raise BadTokenError("malformed payload")
    issue_id, path = payload
    if not isinstance(issue_id, int) or not isinstance(path, str) or not path.startswith("/"):
        raise BadTokenError("malformed payload")
    return issue_id, path
