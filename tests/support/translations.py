"""Translating a page as editors do with Wagtail's "Translate" action, then publishing it."""

from collections.abc import Callable
from typing import Any

from wagtail.models import Locale


def publish_translation(
    page: Any,
    code: str,
    title: str | None = None,
    run: Callable[[Callable[[], Any]], Any] = lambda publish: publish(),
) -> Any:
    """Copies ``page`` into the ``code`` locale with its parents, publishes the copy (and any
    parent not live yet) and returns it as its specific page. ``title`` renames the copy;
    ``run`` wraps the copy's publication (``committed`` in tests that need its on-commit work).
    """
    locale = Locale.objects.get_or_create(language_code=code)[0]
    copy = page.copy_for_translation(locale, copy_parents=True)
    for ancestor in copy.get_ancestors().specific().filter(depth__gt=1):
        if not ancestor.live:
            ancestor.save_revision().publish()
    if title is not None:
        copy.title = title
    run(copy.save_revision().publish)
    return copy.specific_class.objects.get(pk=copy.pk)
