"""Controlled vocabularies of the co-production content model.

Values are stable identifiers (used in URLs, APIs, search facets and federation);
labels are translatable.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    DRAFT_IDEA = "draft_idea", _("Draft idea")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")
    COMPLETED = "completed", _("Completed")


class Phase(models.TextChoices):
    """The four phases of the INTERLINK co-production schema."""

    ENGAGE = "engage", _("Engage")
    DESIGN = "design", _("Design")
    BUILD = "build", _("Build")
    SUSTAIN = "sustain", _("Sustain")


class ParticipantType(models.TextChoices):
    CITIZENS = "citizens", _("Citizens")
    BUSINESSES = "businesses", _("Businesses")
    CIVIL_SERVANTS = "civil_servants", _("Civil servants")
    NON_PROFITS = "non_profits", _("Non-profit organisations")


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class AssetForm(models.TextChoices):
    GUIDE = "guide", _("Guide")
    CANVAS = "canvas", _("Canvas")
    CHECKLIST = "checklist", _("Checklist")
    SURVEY_TEMPLATE = "survey_template", _("Survey template")
    LEGAL_AGREEMENT_TEMPLATE = "legal_agreement_template", _("Legal agreement template")
    SERVICE_BLUEPRINT = "service_blueprint", _("Service blueprint")
    SOFTWARE = "software", _("Software")
    DATASET = "dataset", _("Dataset")


class Difficulty(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class AdministrativeScope(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    EU = "eu", _("European Union")


class Maturity(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    PILOT = "pilot", _("Piloted")
    TESTED = "tested", _("Tested in several places")
    MATURE = "mature", _("Mature, in production use")


@dataclass(frozen=True)
class Licence:
    """An SPDX licence and what it allows another administration to do."""

    spdx_id: str
    label: str
    url: str
    allows_reuse: bool
    requires_attribution: bool


LICENCES: dict[str, Licence] = {
    lic.spdx_id: lic
    for lic in [
        Licence(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/",
            True,
            True,
        ),
        Licence(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution-ShareAlike 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/",
            True,
            True,
        ),
        Licence(
            "CC0-1.0",
            "Creative Commons Zero 1.0 (public domain)",
            "https://creativecommons.org/publicdomain/zero/1.0/",
            True,
            False,
        ),
        Licence(
            "CC-BY-NC-4.0",
            "Creative Commons Attribution-NonCommercial 4.0",
            "https://creativecommons.org/licenses/by-nc/4.0/",
            True,
            True,
        ),
        Licence(
            "CC-BY-ND-4.0",
            "Creative Commons Attribution-NoDerivatives 4.0",
            "https://creativecommons.org/licenses/by-nd/4.0/",
            False,
            True,
        ),
        Licence(
            "EUPL-1.2",
            "European Union Public Licence 1.2",
            "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12",
            True,
            True,
        ),
        Licence("MIT", "MIT License", "https://opensource.org/license/mit", True, True),
        Licence(
            "Apache-2.0",
            "Apache License 2.0",
            "https://www.apache.org/licenses/LICENSE-2.0",
            True,
            True,
        ),
        Licence(
            "GPL-3.0-or-later",
            "GNU General Public License 3.0 or later",
            "https://www.gnu.org/licenses/gpl-3.0.html",
            True,
            True,
        ),
        Licence(
            "AGPL-3.0-or-later",
            "GNU Affero General Public License 3.0 or later",
            "https://www.gnu.org/licenses/agpl-3.0.html",
            True,
            True,
        ),
        Licence(
            "ODbL-1.0",
            "Open Database License 1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/",
            True,
            True,
        ),
        Licence("LicenseRef-All-rights-reserved", "All rights reserved", "", False, True),
    ]
}

LICENCE_CHOICES = [(lic.spdx_id, f"{lic.label} ({lic.spdx_id})") for lic in LICENCES.values()]

# The EU's official languages, by ISO 639-1 code: content may be in any of them.
CONTENT_LANGUAGES = [
    ("bg", _("Bulgarian")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("et", _("Estonian")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("hr", _("Croatian")),
    ("hu", _("Hungarian")),
    ("it", _("Italian")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("mt", _("Maltese")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("sv", _("Swedish")),
]
