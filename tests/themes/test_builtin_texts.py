"""Built-in data in the visitor's language: seeded taxonomy names and the default plan.

Translations are added to the catalogues centrally; these tests give Spanish a few terms of
their own (``spanish_terms``), so they prove the texts go through gettext, not what the
Spanish catalogue says.
"""

import importlib

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

from interlink_blocks.blocks.schema import DEFAULT_SCHEMA, DEFAULT_TEXTS, plan_text
from interlink_blocks.models import GovernanceModel, LifeEvent, Sector
from interlink_blocks.seeded_names import (
    GOVERNANCE_MODEL_NAMES,
    LIFE_EVENT_NAMES,
    SECTOR_NAMES,
    localized_name,
)
from tests.support.translations import publish_translation

SPANISH = {
    "Social and health care": "Servicios sociales y sanitarios",
    "Having a baby": "Tener un bebé",
    "Citizen sourcing": "Aportación ciudadana",
    "Identify and engage stakeholders": "Identificar e implicar a las partes interesadas",
    "Map the people and organisations concerned": "Identificar a las personas y entidades",
}


@pytest.fixture
def spanish_terms(monkeypatch):
    """Ensures Spanish translates ``SPANISH``'s terms for this test, whatever the catalogue holds."""
    cache.clear()  # cached fragments were rendered without these terms
    catalogue = trans_real.translation("es")._catalog._catalogs[0]
    for msgid, msgstr in SPANISH.items():
        monkeypatch.setitem(catalogue, msgid, msgstr)
    return SPANISH


def test_seeded_names_are_the_migrations_names():
    """Ensures that every name the seed migration stores is marked for translation, so
    makemessages extracts each one."""
    seed = importlib.import_module("interlink_blocks.migrations.0002_seed_taxonomies")
    assert SECTOR_NAMES == tuple(name for _slug, name, _description in seed.SECTORS)
    assert LIFE_EVENT_NAMES == tuple(name for _slug, name in seed.LIFE_EVENTS)
    assert GOVERNANCE_MODEL_NAMES == tuple(row[1] for row in seed.GOVERNANCE_MODELS)


@pytest.mark.django_db
def test_seeded_taxonomies_show_in_the_active_language(spanish_terms):
    """Ensures that seeded sectors, life events and governance models read in Spanish on
    Spanish pages while their slugs and stored names stay as seeded, and that a name staff
    typed passes through unchanged."""
    sector = Sector.objects.get(slug="social-health-care")
    event = LifeEvent.objects.get(slug="having-a-baby")
    model = GovernanceModel.objects.get(slug="citizen-sourcing")
    own = Sector.objects.create(name="Having a baby (district pilot)", slug="district-pilot")
    with translation.override("es"):
        assert str(sector) == sector.display_name == "Servicios sociales y sanitarios"
        assert str(event) == "Tener un bebé"
        assert str(model) == "Aportación ciudadana (C2G)"
        assert str(own) == "Having a baby (district pilot)"
    with translation.override("en"):
        assert str(sector) == "Social and health care"
    assert sector.name == "Social and health care" and sector.slug == "social-health-care"
    assert localized_name("") == ""


def test_call_filters_and_facts_show_seeded_names_in_spanish(spanish_terms, make_call):
    """Ensures that on /es/ the call list's sector filter and a call's facts show the seeded
    names in Spanish, with the filter still keyed by slug."""
    call = make_call(sectors=["social-health-care"])
    call.life_events.set(LifeEvent.objects.filter(slug="having-a-baby"))
    call.governance_model = GovernanceModel.objects.get(slug="citizen-sourcing")
    call.save_revision().publish()
    spanish_call = publish_translation(call, "es")
    client = Client()

    listing = client.get(spanish_call.get_parent().url).content.decode()
    assert '<option value="social-health-care">Servicios sociales y sanitarios</option>' in listing
    assert "Social and health care" not in listing
    assert '<option value="having-a-baby">Tener un bebé</option>' in listing

    page = client.get(spanish_call.url).content.decode()
    for term in ("Servicios sociales y sanitarios", "Tener un bebé", "Aportación ciudadana (C2G)"):
        assert term in page
    english = client.get(call.url).content.decode()
    assert "Social and health care" in english and "Servicios sociales" not in english


def test_default_plan_texts_are_marked_for_translation():
    """Ensures that every default objective and task is known as a default text, so it is
    translated when shown, and that other texts pass through."""
    titles = [title for _phase, objectives in DEFAULT_SCHEMA for title, _tasks in objectives]
    assert "Identify and engage stakeholders" in titles
    assert set(titles) <= DEFAULT_TEXTS
    assert plan_text("Our own objective") == "Our own objective"


def test_default_plan_shows_in_spanish_and_editors_texts_as_written(spanish_terms, make_call):
    """Ensures that a Spanish call page shows INTERLINK's default objectives and tasks in
    Spanish, while an objective the editor wrote stays as written."""
    call = make_call()
    schema = call.coproduction_schema.raw_data
    schema[0]["value"]["objectives"].append(
        {"title": "Recorrer el barrio con los vecinos", "description": "", "tasks": []}
    )
    call.coproduction_schema = list(schema)
    call.save_revision().publish()
    spanish_call = publish_translation(call, "es")

    html = Client().get(spanish_call.url).content.decode()
    assert "Identificar e implicar a las partes interesadas" in html
    assert "Identificar a las personas y entidades" in html
    assert "Identify and engage stakeholders" not in html
    assert "Recorrer el barrio con los vecinos" in html
    # The other defaults come from the shipped Spanish catalogue.
    with translation.override("es"):
        legal = translation.gettext("Legal and ethical framework")
    assert legal != "Legal and ethical framework" and legal in html
    assert "Legal and ethical framework" not in html

    english = Client().get(call.url).content.decode()
    assert "Identify and engage stakeholders" in english
