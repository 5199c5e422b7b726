"""The facets people filter on, with the labels shown for their values.

Values are the stable identifiers of ``interlink_blocks.choices`` and taxonomy slugs,
so local and federated items share buckets; labels are looked up when rendering.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from interlink_blocks.choices import (
    CONTENT_LANGUAGES,
    LICENCES,
    AssetForm,
    CallStatus,
    ParticipantType,
    Phase,
)


def _taxonomy_labels(model_name: str) -> Callable[[], dict[str, str]]:
    def labels() -> dict[str, str]:
        from django.apps import apps

        from interlink_blocks.seeded_names import localized_name

        model = apps.get_model("interlink_blocks", model_name)
        # Seeded names in the reader's language; names staff typed as they wrote them.
        return {
            slug: localized_name(name) for slug, name in model.objects.values_list("slug", "name")
        }

    return labels


@dataclass(frozen=True)
class Facet:
    name: str
    label: str | Promise
    labels: Callable[[], dict[str, str]] | None = None

    def label_for(self, value: str, cache: dict[str, dict[str, str]]) -> str:
        if self.labels is None:
            return value
        if self.name not in cache:
            cache[self.name] = {key: str(label) for key, label in self.labels().items()}
        return cache[self.name].get(value, value)


def _choices(choices: Sequence[tuple[str, object]]) -> Callable[[], dict[str, str]]:
    return lambda: {key: str(label) for key, label in choices}


FACETS: tuple[Facet, ...] = (
    Facet(
        "kind",
        _("Type"),
        lambda: {"call": str(_("Co-production call")), "asset": str(_("Reusable asset"))},
    ),
    Facet(
        "origin",
        _("Local or federated"),
        lambda: {"local": str(_("This site")), "federated": str(_("Other municipalities"))},
    ),
    Facet("municipality", _("Municipality")),
    Facet("sector", _("Sector"), _taxonomy_labels("Sector")),
    Facet("life_event", _("Life event"), _taxonomy_labels("LifeEvent")),
    Facet("status", _("Status"), _choices(CallStatus.choices)),
    Facet("phase", _("Phase"), _choices(Phase.choices)),
    Facet("governance_model", _("Governance model"), _taxonomy_labels("GovernanceModel")),
    Facet("participants", _("Who may take part"), _choices(ParticipantType.choices)),
    Facet("asset_form", _("Asset form"), _choices(AssetForm.choices)),
    Facet("licence", _("Licence"), lambda: {k: v.label for k, v in LICENCES.items()}),
    Facet("language", _("Language"), _choices(CONTENT_LANGUAGES)),
    Facet("published_year", _("Year published")),
    Facet("deadline_year", _("Deadline year")),
)
FACET_NAMES: tuple[str, ...] = tuple(facet.name for facet in FACETS)
FACETS_BY_NAME: dict[str, Facet] = {facet.name: facet for facet in FACETS}
