"""Open-data exports of a call's approved contributions: no names, addresses or accounts."""

import csv
import json

from django.db.models import Count
from django.http import HttpResponse

from ..models import Contribution
from .common import get_call

FIELDS = [
    "id",
    "in_reply_to",
    "kind",
    "title",
    "text",
    "supports",
    "official_answer",
    "answer_text",
    "published_at",
]


def export_rows(call) -> list[dict]:
    contributions = (
        Contribution.objects.approved()
        .filter(call=call)
        .select_related("parent")
        .annotate(support_count=Count("supports"))
        .order_by("published_at", "pk")
    )
    return [
        {
            "id": str(c.uuid),
            "in_reply_to": str(c.parent.uuid) if c.parent else "",
            "kind": c.kind,
            "title": c.title,
            "text": c.body,
            "supports": c.support_count,
            "official_answer": c.answer_status,
            "answer_text": c.answer_text if c.answer_status else "",
            "published_at": c.published_at.isoformat() if c.published_at else "",
        }
        for c in contributions
    ]


def _filename(call, extension: str) -> str:
    return f'attachment; filename="{call.slug}-contributions.{extension}"'


def export_csv(request, call_id):
    call = get_call(call_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _filename(call, "csv")
    writer = csv.DictWriter(response, fieldnames=FIELDS)
    writer.writeheader()
    for row in export_rows(call):
        writer.writerow({name: _cell(value) for name, value in row.items()})
    return response


# Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Spreadsheet formula injection: text starting like a formula gets a leading ``'``; an
    empty cell stays empty (``""[:1]`` is in every string, which once made it ``'``)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def export_json(request, call_id):
    call = get_call(call_id)
    payload = {
        "call": {"id": str(call.uuid), "title": call.title, "url": call.full_url},
        "contributions": export_rows(call),
    }
    response = HttpResponse(
        json.dumps(payload, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = _filename(call, "json")
    return response
