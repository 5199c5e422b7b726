"""What calls, assets and stories have in common."""

import uuid

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search import index


def page_link() -> models.OneToOneField:
    """A page model's link to Wagtail's ``Page`` row, with a reverse name of Interlink's own.

    Django names the reverse of the automatic link after the class (``Page.storypage``): a
    host site with a page model of the same class name would then fail its checks
    (fields.E304). The link is otherwise the one Django would create.
    """
    return models.OneToOneField(
        Page,
        on_delete=models.CASCADE,
        parent_link=True,
        auto_created=True,
        primary_key=True,
        serialize=False,
        related_name="interlink_%(class)s",
    )


class InterlinkPage(Page):
    """An Interlink content page: a summary and a stable identity that survives edits.

    ``uuid`` identifies the object across nodes (federation, reuse, packages); Wagtail
    page ids and slugs may change, the UUID never does. Copies, aliases and translations
    get a new UUID.
    """

    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("One or two plain sentences shown in listings, search results and shares."),
    )

    # Not copied, so a copy (and a translation) gets a fresh default UUID.
    exclude_fields_in_copy = ["uuid"]

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.FilterField("uuid")]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Wagtail's create_alias copies every field but a fixed few, ignoring
        # exclude_fields_in_copy: a new alias would carry its original's UUID.
        if self._state.adding and self.alias_of_id is not None:
            self.uuid = uuid.uuid4()
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        """The page as a revision (or, for an alias, its original's content) describes it.

        The UUID belongs to the page, not to the content: an alias updated from its
        original, or a revision saved before a copy, keeps the page's own.
        """
        page = super().with_content_json(content)
        page.uuid = self.uuid
        return page


def live_public_among(model: type[Page], relation) -> QuerySet:
    """The live, public pages of ``model`` among a page's many-to-many ``relation``, by title.

    When Wagtail builds a page from form data or a revision (previews, "view draft",
    revision views, moderation reviews) the relation is held in memory as modelcluster's
    ``FakeQuerySet``, which has no ``live()``; its ids then select the same pages from
    the database, so the public page and every admin view show the same list.
    """
    related = relation.all()
    if isinstance(related, QuerySet):
        ids = related.values("pk")
    else:
        ids = [page.pk for page in related if page.pk is not None]
    return model.objects.filter(pk__in=ids).live().public().order_by("title")
