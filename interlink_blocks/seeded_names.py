"""The names Interlink seeds into the taxonomies, marked for translation.

Migration ``0002_seed_taxonomies`` stores these names, in English, as data; slugs are the
stable identifiers and never change with the language. Listing the names here with
``gettext_noop`` lets ``makemessages`` extract them, and ``localized_name`` shows a seeded
name in the active language while a name that staff typed (or edited) passes through as
they wrote it::

    localized_name("Housing and building")  # its Spanish translation on a Spanish page
    localized_name("Night buses")  # a name staff added: unchanged

``tests/themes/test_builtin_texts.py`` checks that these lists match the migration's.
"""

from django.utils.translation import gettext, gettext_noop

SECTOR_NAMES = (
    gettext_noop("Social and health care"),
    gettext_noop("Housing and building"),
    gettext_noop("Employment"),
    gettext_noop("Education"),
    gettext_noop("Democracy and participation"),
    gettext_noop("Mobility and transport"),
    gettext_noop("Environment and climate"),
    gettext_noop("Culture and leisure"),
)

LIFE_EVENT_NAMES = (
    gettext_noop("Having a baby"),
    gettext_noop("Moving house"),
    gettext_noop("Starting school"),
    gettext_noop("Looking for a job"),
    gettext_noop("Starting a business"),
    gettext_noop("Falling ill or caring for someone"),
    gettext_noop("Retiring"),
    gettext_noop("Arriving in the country"),
)

GOVERNANCE_MODEL_NAMES = (
    gettext_noop("Citizen sourcing"),
    gettext_noop("Public-civil partnership"),
    gettext_noop("Government as a platform"),
    gettext_noop("Citizen-to-citizen"),
)

SEEDED_NAMES = frozenset((*SECTOR_NAMES, *LIFE_EVENT_NAMES, *GOVERNANCE_MODEL_NAMES))


def localized_name(name: str) -> str:
    """A seeded name in the active language; any other name exactly as stored."""
    return gettext(name) if name in SEEDED_NAMES else name
