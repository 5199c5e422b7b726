"""Taxonomies shared by calls, assets and stories, edited as Wagtail snippets.

They are seeded by a data migration (E-COOP's sectors, common life events and the
four governance models of co-production) and may be extended by staff. Seeded names are
stored in English and shown in the visitor's language (``display_name``, also ``str()``;
see ``interlink_blocks.seeded_names``); names staff type are shown as typed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from ..seeded_names import localized_name


class Taxonomy(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("Stable identifier used in URLs, APIs and federation."),
    )
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name to show: a seeded name in the active language, staff's names as typed."""
        return localized_name(self.name)


class Sector(Taxonomy):
    """A public-service sector, such as social and health care or housing."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class LifeEvent(Taxonomy):
    """A life event that brings people to a public service, such as moving house."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("life event")
        verbose_name_plural = _("life events")


class GovernanceModel(Taxonomy):
    """How government and society share a service: C2G, G+G, G2C or C2C."""

    code = models.CharField(_("code"), max_length=10, blank=True)

    panels = [*Taxonomy.panels, FieldPanel("code")]

    class Meta(Taxonomy.Meta):
        verbose_name = _("governance model")
        verbose_name_plural = _("governance models")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.code})" if self.code else self.display_name
