"""Workspace settings, each with its default. Override any of them in Django settings.

``WORKSPACE_PRIVATE_ROOT``
    Folder of the files teams upload (never under ``MEDIA_ROOT``: the download view checks
    access and serves them as attachments). Default: ``var/private`` next to the project.
``WORKSPACE_UPLOAD_MAX_BYTES``
    Largest upload from someone who is not staff (10 MB).
``WORKSPACE_UPLOAD_EXTENSIONS``
    File types people who are not staff may upload (office documents, PDF, text, images,
    archives; never HTML or SVG).
``WORKSPACE_MESSAGE_RATE_LIMITS``
    ``{"posts": (count, seconds), "mentions": (count, seconds)}``: discussion messages one
    person may post, and members they may mention (each mention can mail someone at once),
    within the window; counted per account in Django's cache like every Interlink budget
    (``interlink_blocks.throttling``). Over either, the message is refused (429) and kept in
    the form. Default: 60 messages and 30 mentions an hour.
"""

from pathlib import Path

from django.conf import settings

DEFAULTS = {
    "WORKSPACE_PRIVATE_ROOT": None,
    "WORKSPACE_UPLOAD_MAX_BYTES": 10 * 1024 * 1024,
    "WORKSPACE_UPLOAD_EXTENSIONS": [
        "pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "txt", "csv", "md",
        "png", "jpg", "jpeg", "zip",
    ],
    "WORKSPACE_MESSAGE_RATE_LIMITS": {"posts": (60, 3600), "mentions": (30, 3600)},
}  # fmt: skip


def get(name: str):
    """The setting's current value (read each time, so tests can override it)."""
    value = getattr(settings, name, DEFAULTS[name])
    if name == "WORKSPACE_PRIVATE_ROOT" and value is None:
        base = Path(getattr(settings, "MEDIA_ROOT", "var/media") or "var/media")
        return str(base.parent / "private")
    return value
