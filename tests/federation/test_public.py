"""Public "from Municipality X" pages of the federated catalogue."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from interlink_federation.models import RemoteObject


def make_item(remote_actor, **fields):
    values = {
        "uri": "https://remote.example/ap/objects/1",
        "actor": remote_actor,
        "kind": "call",
        "ap_type": "Article",
        "name": "Redesign the library service",
        "summary": "Help us redesign it",
        "content_html": "<p>Join us</p>",
        "url": "https://remote.example/calls/library/",
        "language": "es",
    }
    values.update(fields)
    return RemoteObject.objects.create(**values)


def test_remote_item_page(client, home, remote_actor):
    """Ensures that a remote call has a public page naming its origin and linking to it."""
    item = make_item(remote_actor)
    response = client.get(f"/federated/{item.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "From Town of Remote" in html
    assert 'href="https://remote.example/calls/library/"' in html
    assert "<p>Join us</p>" in html and 'lang="es"' in html


def test_catalogue_lists_and_filters(client, home, remote_actor):
    """Ensures that the public catalogue lists remote items and filters by kind without JS."""
    make_item(remote_actor)
    make_item(
        remote_actor, uri="https://remote.example/ap/objects/2", kind="asset", name="Park blueprint"
    )
    html = client.get("/federated/?kind=asset").content.decode()
    assert "Park blueprint" in html and "Redesign the library service" not in html
    assert '<label for="federated-kind">' in html


def test_deleted_items_are_gone(client, home, remote_actor):
    """Ensures that deleted remote items are not shown."""
    item = make_item(remote_actor, deleted_at=timezone.now())
    assert client.get(f"/federated/{item.pk}/").status_code == 404
    assert "Redesign" not in client.get("/federated/").content.decode()


def test_catalogue_links_its_items_in_the_visitors_language(client, home, remote_actor):
    """Ensures that the Spanish catalogue links a Spanish item's page under /es/ (issue #20:
    the visitor keeps their language), and the English one without a prefix."""
    item = make_item(remote_actor)
    spanish = client.get("/es/federated/").content.decode()
    assert f'<a href="/es/federated/{item.pk}/">' in spanish
    english = Client().get("/federated/").content.decode()  # no language from the first visit
    assert f'<a href="/federated/{item.pk}/">' in english
