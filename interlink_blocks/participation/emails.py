"""E-mails of the participation flows, rendered from templates and queued as tasks.

Links are absolute (``WAGTAILADMIN_BASE_URL`` is the node's public address), so mails
rendered by a worker outside any request still point at the right host.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from . import tokens
from .tasks import send_email


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def link(name: str, token: str) -> str:
    return absolute(reverse(name, args=[token]))


def queue(template: str, to: list[str], context: dict, headers: dict | None = None) -> None:
    """Renders ``participation/emails/<template>.txt`` (first line: subject) and queues it."""
    if not to:
        return
    # Rendered now, in the active language: the visitor's for mails a request triggers.
    text = render_to_string(f"participation/emails/{template}.txt", context)
    subject, _blank, body = text.strip().partition("\n")
    send_email.enqueue(subject.strip(), body.strip() + "\n", list(to), headers or {})


def confirm_link(action: str, **values) -> str:
    return link("participation:confirm", tokens.make(action, **values))


def unsubscribe_headers(subscription) -> tuple[str, dict]:
    """The one-click unsubscribe link and its RFC 2369 / RFC 8058 headers."""
    url = link("participation:unsubscribe", tokens.make("unsubscribe", s=subscription.pk))
    return url, {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def mail_subscribers(call, template: str, context: dict, exclude: str = "") -> None:
    """One message per subscriber, each with its own unsubscribe link."""
    for subscription in call.subscriptions.select_related("participant"):
        email = subscription.participant.email
        if not email or email == exclude:
            continue
        url, headers = unsubscribe_headers(subscription)
        queue(template, [email], {**context, "call": call, "unsubscribe_url": url}, headers)
