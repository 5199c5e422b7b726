"""Mails of the accounts app (allauth sends its own codes through ``adapter.send_mail``)."""

from django.template.loader import render_to_string
from django.urls import reverse

from interlink_blocks.participation.emails import absolute
from interlink_blocks.participation.tasks import send_email


def send(template: str, to: list[str], context: dict) -> None:
    """Renders ``interlink_accounts/emails/<template>.txt`` (first line: subject) and queues it."""
    text = render_to_string(f"interlink_accounts/emails/{template}.txt", context)
    subject, _blank, body = text.strip().partition("\n")
    send_email.enqueue(subject.strip(), body.strip() + "\n", list(to), {})


def send_staff_notice(email: str) -> None:
    send("staff_sign_in", [email], {"admin_url": absolute(reverse("wagtailadmin_login"))})
