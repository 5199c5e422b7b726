"""What calls, assets and stories have in common."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search import index


class InterlinkPage(Page):
    """An Interlink content page: a summary and a stable identity that survives edits.

    ``uuid`` identifies the object across nodes (federation, reuse, packages); Wagtail
    page ids and slugs may change, the UUID never does. Copies get a new UUID.
    """

    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("One or two plain sentences shown in listings, search results and shares."),
    )

    # Not copied, so a copy gets a fresh default UUID.
    exclude_fields_in_copy = ["uuid"]

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.FilterField("uuid")]

    class Meta:
        abstract = True
