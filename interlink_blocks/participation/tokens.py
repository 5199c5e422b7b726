"""Signed links mailed to participants (``django.core.signing``): nothing stored server-side.

A token carries an action and the ids it acts on; the salt ties tokens to this app, the
maximum age to ``PARTICIPATION_LINK_MAX_AGE_DAYS`` (unsubscribe links never expire).
"""

from django.core import signing

from . import conf

SALT = "interlink.participation"


class InvalidLink(Exception):
    """The link was altered, has expired or was made for another action."""


def make(action: str, **values) -> str:
    return signing.dumps({"a": action, **values}, salt=SALT, compress=True)


def read(token: str, action: str | None = None, *, expires: bool = True) -> dict:
    """The token's payload; raises ``InvalidLink``. With ``action``, only that action is valid."""
    max_age = conf.get("PARTICIPATION_LINK_MAX_AGE_DAYS") * 86400 if expires else None
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature as error:  # SignatureExpired is a subclass
        raise InvalidLink(str(error)) from error
    if not isinstance(payload, dict) or (action and payload.get("a") != action):
        raise InvalidLink("wrong action")
    return payload
