"""Filters for calls, assets and stories, shared by the public index pages and the DRF API.

Both render as plain GET forms, so filtering works without JavaScript.
"""

import unicodedata

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .choices import (
    LICENCE_CHOICES,
    AdministrativeScope,
    AssetForm,
    CallStatus,
    ParticipantType,
    Phase,
)
from .models import AssetPage, CallPage, LifeEvent, Sector, StoryPage


def reading_order(label: str) -> str:
    """A sort key that files "Educación" with "Educacion" and "Ēnerģija" with "Energija"."""
    decomposed = unicodedata.normalize("NFKD", label)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


class _InReadingOrder(forms.models.ModelChoiceIterator):
    """Taxonomy options sorted by the name the reader sees: seeded names are translated, so
    the database's order (by the English name) would look random on a Spanish page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for item in sorted(self.queryset, key=lambda item: reading_order(str(item))):
            yield self.choice(item)


class _TaxonomyChoiceField(forms.ModelChoiceField):
    iterator = _InReadingOrder


class TaxonomyFilter(django_filters.ModelChoiceFilter):
    field_class = _TaxonomyChoiceField


class _PageFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Words"))
    sector = TaxonomyFilter(
        field_name="sectors",
        to_field_name="slug",
        queryset=Sector.objects.all(),
        label=_("Sector"),
        empty_label=_("All sectors"),
    )

    def filter_text(self, queryset, name, value):
        # A simple, engine-independent match; full-text discovery lives in the search app.
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))


class CallFilterSet(_PageFilterSet):
    status = django_filters.ChoiceFilter(
        choices=CallStatus.choices, label=_("Status"), empty_label=_("Any status")
    )
    phase = django_filters.ChoiceFilter(
        choices=Phase.choices, label=_("Phase"), empty_label=_("Any phase")
    )
    participant = django_filters.ChoiceFilter(
        choices=ParticipantType.choices,
        method="filter_participant",
        label=_("Who may take part"),
        empty_label=_("Anyone"),
    )
    life_event = TaxonomyFilter(
        field_name="life_events",
        to_field_name="slug",
        queryset=LifeEvent.objects.all(),
        label=_("Life event"),
        empty_label=_("All life events"),
    )

    class Meta:
        model = CallPage
        fields = ["q", "status", "phase", "sector", "participant", "life_event"]

    def filter_participant(self, queryset, name, value):
        # JSON lists are matched as text so this works on SQLite and PostgreSQL alike.
        return queryset.filter(participant_types__icontains=f'"{value}"')


class AssetFilterSet(_PageFilterSet):
    form = django_filters.ChoiceFilter(
        choices=AssetForm.choices, label=_("Form"), empty_label=_("Any form")
    )
    licence = django_filters.ChoiceFilter(
        choices=LICENCE_CHOICES, label=_("Licence"), empty_label=_("Any licence")
    )
    scope = django_filters.ChoiceFilter(
        field_name="administrative_scope",
        choices=AdministrativeScope.choices,
        label=_("Administrative scope"),
        empty_label=_("Any scope"),
    )

    class Meta:
        model = AssetPage
        fields = ["q", "form", "licence", "sector", "scope"]


def story_years() -> list[tuple[int, int]]:
    """The years in which live stories were first published, newest first."""
    dates = StoryPage.objects.live().public().dates("first_published_at", "year", order="DESC")
    return [(date.year, date.year) for date in dates]


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.ChoiceFilter):
    """A year from the stories published so far (the API documents it as a plain integer)."""


class StoryFilterSet(_PageFilterSet):
    """Stories by the sector and life event of the call they came from and their year.

    A story has no classification of its own: it inherits its call's (and, for sectors,
    its produced assets').
    """

    sector = TaxonomyFilter(
        queryset=Sector.objects.all(),
        to_field_name="slug",
        method="filter_sector",
        label=_("Sector"),
        empty_label=_("All sectors"),
    )
    life_event = TaxonomyFilter(
        field_name="call__life_events",
        to_field_name="slug",
        queryset=LifeEvent.objects.all(),
        label=_("Life event"),
        empty_label=_("All life events"),
    )
    year = YearFilter(
        field_name="first_published_at",
        lookup_expr="year",
        choices=story_years,
        label=_("Year"),
        empty_label=_("Any year"),
    )

    class Meta:
        model = StoryPage
        fields = ["q", "sector", "life_event", "year"]

    @extend_schema_field(OpenApiTypes.STR)  # a sector's slug
    def filter_sector(self, queryset, name, value):
        # One story once, whether the sector comes from its call or from its assets.
        matching = StoryPage.objects.filter(
            Q(call__sectors=value) | Q(produced_assets__sectors=value)
        )
        return queryset.filter(pk__in=matching.values("pk"))
