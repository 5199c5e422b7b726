"""Filters for calls and assets, shared by the public index pages and the DRF API.

Both render as plain GET forms, so filtering works without JavaScript.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    LICENCE_CHOICES,
    AdministrativeScope,
    AssetForm,
    CallStatus,
    ParticipantType,
    Phase,
)
from .models import AssetPage, CallPage, LifeEvent, Sector


class _PageFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Words"))
    sector = django_filters.ModelChoiceFilter(
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
    life_event = django_filters.ModelChoiceFilter(
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
