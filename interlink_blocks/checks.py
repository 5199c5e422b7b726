"""System checks of a deployment, run at start-up (``manage.py`` commands, and the WSGI
application: ``interlink_site/wsgi.py``)."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from django.conf import settings
from django.core import checks

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
MAIL_TAG = "interlink_mail"


def _is_local(host: str) -> bool:
    if host.strip().lower() in ("", "localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@checks.register(MAIL_TAG)
def check_mail_server(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warns when a production node would send its mail (confirmations, notifications,
    digests) over SMTP to this machine where no mail server answers: Django's default of
    localhost:25, left unconfigured, makes every mail task fail without a word."""
    if settings.DEBUG or settings.EMAIL_BACKEND != SMTP_BACKEND:
        return []
    host, port = str(settings.EMAIL_HOST), int(settings.EMAIL_PORT)
    if not _is_local(host):
        return []  # a relay elsewhere is configured on purpose; never probed from here
    try:
        with socket.create_connection((host or "localhost", port), timeout=1):
            return []
    except OSError:
        pass
    return [
        checks.Warning(
            f"Mail is sent to {host}:{port} on this machine, where no mail server answers: "
            "confirmation and notification mails will fail.",
            hint="Set EMAIL_HOST and EMAIL_PORT (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
            "EMAIL_USE_TLS) to your mail relay, or run a mail server on this machine.",
            id="interlink.W001",
        )
    ]
