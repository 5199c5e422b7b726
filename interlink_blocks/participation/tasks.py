"""Background e-mail through Django's task framework and mail backends."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_email(subject: str, body: str, to: list[str], headers: dict | None = None) -> int:
    """Sends one plain-text message; arguments are JSON so the database queue can hold them."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
    )
    sent = message.send()
    logger.info("Participation mail: %r sent to %d recipient(s)", subject, len(to))
    return sent
