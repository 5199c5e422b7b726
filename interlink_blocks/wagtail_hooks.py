"""Admin wiring only: taxonomy snippets under one "Taxonomies" menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import GovernanceModel, LifeEvent, Sector


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class LifeEventViewSet(SnippetViewSet):
    model = LifeEvent
    icon = "date"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class GovernanceModelViewSet(SnippetViewSet):
    model = GovernanceModel
    icon = "group"
    list_display = ["name", "code", "slug"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomies")
    menu_icon = "tag"
    menu_order = 300
    items = (SectorViewSet, LifeEventViewSet, GovernanceModelViewSet)


register_snippet(TaxonomyViewSetGroup)
