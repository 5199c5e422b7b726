"""Index updates travel through the durable task queue, and only public content is indexed."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from interlink_search.analysis import query_alternatives, stem
from interlink_search.models import PendingUpdate
from interlink_search.types import SearchQuery


def test_publish_enqueues_a_durable_task_applied_by_the_worker(
    db, settings, make_asset, committed, backend, monkeypatch
):
    """Ensures that publishing stores the update and a database task (surviving a restart),
    and that one run of the production worker applies it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    asset = committed(make_asset, title="Guía de participación ciudadana")
    assert PendingUpdate.objects.filter(key=f"page:{asset.uuid}").exists()
    assert DBTaskResult.objects.filter(
        task_path="interlink_search.tasks.apply_pending_updates"
    ).exists()
    assert backend.search(SearchQuery(text="participación")).total == 0

    # The worker closes connections between tasks, which would end this test's
    # transaction on PostgreSQL; everything else runs as in production.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    backend.refresh()
    assert backend.search(SearchQuery(text="participación")).total == 1
    assert not PendingUpdate.objects.exists()


def test_private_pages_stay_out_of_the_index(backend, make_asset, committed):
    """Ensures that a page behind a view restriction is never indexed, even when published."""
    asset = committed(make_asset, publish=False, title="Internal staff checklist")
    PageViewRestriction.objects.create(page=asset, restriction_type="login")
    committed(asset.save_revision().publish)
    backend.refresh()
    assert backend.search(SearchQuery(text="checklist")).total == 0


def test_italian_stemming_and_latvian_folding(backend, publish_asset):
    """Ensures that Italian text is found through its stems and Latvian text without its
    diacritics (en, es, it, lv each have their own analysis)."""
    italian = publish_asset(
        title="Laboratori nelle biblioteche comunali",
        summary="Come organizzare incontri con i cittadini.",
        languages=["it"],
    )
    latvian = publish_asset(
        title="Pašvaldības iedzīvotāju aptauja",
        summary="Aptaujas veidne iedzīvotājiem.",
        languages=["lv"],
    )
    assert [h.key for h in backend.search(SearchQuery(text="biblioteca comunale")).hits] == [
        f"page:{italian.uuid}"
    ]
    assert [h.key for h in backend.search(SearchQuery(text="pasvaldibas")).hits] == [
        f"page:{latvian.uuid}"
    ]


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("iedzīvotāju", "lv", "iedzivotaj"),
        ("iedzīvotājiem", "lv", "iedzivotaj"),
        ("bibliotecas", "es", "bibliotec"),
        ("biblioteche", "it", "bibliotec"),
        ("libraries", "en", "librari"),
        ("Ærø", "da", "aero"),
        ("Straße", "de", "strasse"),
    ],
)
def test_database_analysis_stems_per_language(word, language, expected):
    """Ensures that the database backend's analysis stems each language and folds accents
    (Latvian by a light suffix stripper; unanalysed languages are only folded)."""
    assert stem(word, language) == expected


def test_query_words_match_any_language_stem():
    """Ensures that a query word may match its stem in any analysed language."""
    (options,) = query_alternatives("Bibliotecas")
    assert {"bibliotecas", "bibliotec"} <= options
