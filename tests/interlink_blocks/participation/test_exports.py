"""Open-data exports of a call's approved contributions."""

import csv
import io
import json

import pytest
from django.urls import reverse

from interlink_blocks.participation.models import Participant
from interlink_blocks.participation.services import contributions as contribution_service

pytestmark = pytest.mark.django_db


def test_csv_and_json_hold_approved_contributions_without_personal_data(
    client, open_call, approved
):
    """Ensures that exports list approved contributions only, with no names or addresses,
    and neutralise spreadsheet formulas."""
    one = approved(body='=HYPERLINK("http://evil")', email="secret@example.org")
    participant = Participant.objects.for_email("pending@example.org")
    contribution_service.create_contribution(open_call, "Still pending", participant=participant)

    response = client.get(reverse("interlink_participation:export_csv", args=[open_call.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["id"] == str(one.uuid)
    assert rows[0]["text"].startswith("'=")
    body = response.content.decode()
    assert "secret@example.org" not in body and "Ana" not in body and "Still pending" not in body

    data = json.loads(
        client.get(reverse("interlink_participation:export_json", args=[open_call.pk])).content
    )
    assert data["call"]["id"] == str(open_call.uuid)
    assert [c["id"] for c in data["contributions"]] == [str(one.uuid)]
    assert set(data["contributions"][0]) == {
        "id",
        "in_reply_to",
        "kind",
        "title",
        "text",
        "supports",
        "official_answer",
        "answer_text",
        "published_at",
    }


def test_csv_leaves_empty_cells_empty(client, open_call, approved):
    """Ensures that empty cells (no parent, no answer, no title) stay empty instead of a lone
    ``'``, while a text starting like a formula is still neutralised."""
    approved(body="-1 for the proposal", email="someone@example.org")
    response = client.get(reverse("interlink_participation:export_csv", args=[open_call.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["in_reply_to"] == "" and rows[0]["answer_text"] == ""
    assert rows[0]["official_answer"] == "" and rows[0]["title"] == ""
    assert rows[0]["text"] == "'-1 for the proposal"
    assert ",'," not in response.content.decode() and ",'\r\n" not in response.content.decode()
