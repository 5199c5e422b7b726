"""Seed the taxonomies: E-COOP's sectors, common life events and the governance models."""

from django.db import migrations

SECTORS = [
    ("social-health-care", "Social and health care", "Care, social services, health and well-being."),
    ("housing-building", "Housing and building", "Housing, construction, urban planning and permits."),
    ("employment", "Employment", "Jobs, skills, unemployment services and entrepreneurship."),
    ("education", "Education", "Schools, lifelong learning and training."),
    ("democracy-participation", "Democracy and participation", "Elections, consultations and participatory budgeting."),
    ("mobility", "Mobility and transport", "Public transport, cycling, walking and parking."),
    ("environment", "Environment and climate", "Energy, waste, green spaces and climate adaptation."),
    ("culture-leisure", "Culture and leisure", "Libraries, sport, culture and events."),
]

LIFE_EVENTS = [
    ("having-a-baby", "Having a baby"),
    ("moving-house", "Moving house"),
    ("starting-school", "Starting school"),
    ("looking-for-work", "Looking for a job"),
    ("starting-a-business", "Starting a business"),
    ("falling-ill", "Falling ill or caring for someone"),
    ("retiring", "Retiring"),
    ("arriving-in-the-country", "Arriving in the country"),
]

GOVERNANCE_MODELS = [
    ("citizen-sourcing", "Citizen sourcing", "C2G",
     "Citizens help government design or improve a service it provides."),
    ("public-civil-partnership", "Public-civil partnership", "G+G",
     "Government and civil society provide the service together."),
    ("government-as-platform", "Government as a platform", "G2C",
     "Government provides the platform and data; citizens and businesses build on it."),
    ("citizen-to-citizen", "Citizen-to-citizen", "C2C",
     "Citizens provide the service to each other, with government support."),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("interlink_blocks", "Sector")
    LifeEvent = apps.get_model("interlink_blocks", "LifeEvent")
    GovernanceModel = apps.get_model("interlink_blocks", "GovernanceModel")
    for slug, name, description in SECTORS:
        Sector.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
    for slug, name in LIFE_EVENTS:
        LifeEvent.objects.get_or_create(slug=slug, defaults={"name": name})
    for slug, name, code, description in GOVERNANCE_MODELS:
        GovernanceModel.objects.get_or_create(
            slug=slug, defaults={"name": name, "code": code, "description": description}
        )


def unseed(apps, schema_editor):
    for model, rows in (("Sector", SECTORS), ("LifeEvent", LIFE_EVENTS), ("GovernanceModel", GOVERNANCE_MODELS)):
        apps.get_model("interlink_blocks", model).objects.filter(slug__in=[row[0] for row in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("interlink_blocks", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
