"""E-mails of the participation flows, rendered from templates and queued as tasks.

Links are absolute (``WAGTAILADMIN_BASE_URL`` is the node's public address), so mails
rendered by a worker outside any request still point at the right host.

Language: a mail a visitor's own request triggers (a confirmation link) is written in the
language of that request. A mail staff or the worker send to citizens about a call (an
official answer, a team decision, a call update) is written in the call's language: the
page people took part on, whatever language the staff member's admin or the worker runs in.
"""

from contextlib import nullcontext

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ..language import in_language
from . import tokens
from .tasks import send_email


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def link(name: str, token: str) -> str:
    """An absolute link to a mailed-link view, in the active language (``/es/…`` in Spanish)."""
    return absolute(in_language(reverse(name, args=[token])))


def call_language(call) -> str:
    """The language of the call's page (its Wagtail locale)."""
    return call.locale.language_code


def queue(
    template: str,
    to: list[str],
    context: dict,
    headers: dict | None = None,
    language: str | None = None,
) -> None:
    """Renders ``participation/emails/<template>.txt`` (first line: subject) and queues it,
    in ``language`` if given, else in the active language. Other apps name their own
    template by path (``"interlink_workspace/emails/invitation"``)."""
    if not to:
        return
    path = template if "/" in template else f"interlink_participation/emails/{template}"
    with translation.override(language) if language else nullcontext():
        text = render_to_string(f"{path}.txt", context)
    subject, _blank, body = text.strip().partition("\n")
    send_email.enqueue(subject.strip(), body.strip() + "\n", list(to), headers or {})


def confirm_link(action: str, **values) -> str:
    return link("interlink_participation:confirm", tokens.make(action, **values))


def unsubscribe_headers(subscription) -> tuple[str, dict]:
    """The one-click unsubscribe link and its RFC 2369 / RFC 8058 headers."""
    url = link("interlink_participation:unsubscribe", tokens.make("unsubscribe", s=subscription.pk))
    return url, {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def mail_subscribers(call, template: str, context: dict, exclude: str = "") -> None:
    """One message per subscriber, each with its own unsubscribe link."""
    language = call_language(call)
    for subscription in call.subscriptions.select_related("participant"):
        email = subscription.participant.email
        if not email or email == exclude:
            continue
        url, headers = unsubscribe_headers(subscription)
        mail_context = {**context, "call": call, "unsubscribe_url": url}
        queue(template, [email], mail_context, headers, language=language)
