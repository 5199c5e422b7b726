"""Shorthands that write StreamField blocks in their raw (JSON) form for the demo data."""

import datetime
import uuid

from ...blocks import default_schema
from ...choices import Phase, TaskStatus


def _block(block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def _items(values: list) -> list[dict]:
    """ListBlock items in Wagtail's current form, each with an id: translation tools
    (wagtail-localize) find list items, such as FAQ questions, by their ids."""
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def heading(text: str, level: str = "h2") -> dict:
    return _block("heading", {"text": text, "level": level})


def paragraph(html: str) -> dict:
    return _block("paragraph", html)


def faq(heading_text: str, questions: list[tuple[str, str]]) -> dict:
    items = [{"question": question, "answer": answer} for question, answer in questions]
    return _block("faq", {"heading": heading_text, "questions": _items(items)})


def key_figures(heading_text: str, figures: list[tuple[str, str]]) -> dict:
    items = [{"value": value, "label": label} for value, label in figures]
    return _block("key_figures", {"heading": heading_text, "figures": _items(items)})


def contact(name: str, role: str = "", email: str = "", phone: str = "", address: str = ""):
    return _block(
        "contact", {"name": name, "role": role, "email": email, "phone": phone, "address": address}
    )


def call_to_action(title: str, text: str, button_label: str, page_id=None, url="") -> dict:
    return _block(
        "call_to_action",
        {
            "title": title,
            "text": text,
            "page": page_id,
            "url": url,
            "button_label": button_label,
        },
    )


def resources(heading_text: str, items: list[dict]) -> dict:
    """``items``: dicts with ``title`` and ``document`` (an id) or ``url``, and ``description``."""
    values = [
        {
            "title": item["title"],
            "document": item.get("document"),
            "url": item.get("url", ""),
            "description": item.get("description", ""),
        }
        for item in items
    ]
    return _block("resources", {"heading": heading_text, "resources": _items(values)})


def call_teaser(call_id: int, heading_text: str = "") -> dict:
    return _block("call_teaser", {"call": call_id, "heading": heading_text})


def asset_card(asset_id: int) -> dict:
    return _block("asset_card", {"asset": asset_id})


def phase_timeline(call_id: int) -> dict:
    return _block("phase_timeline", {"call": call_id})


def table(caption: str, headings: list[str], rows: list[list[str]]) -> dict:
    """A typed table of text cells (TypedTableBlock's raw form)."""
    columns = [{"type": "text", "heading": text} for text in headings]
    return _block(
        "table",
        {
            "caption": caption,
            "columns": columns,
            "rows": [{"values": list(row)} for row in rows],
        },
    )


PHASE_DAYS = {Phase.ENGAGE: 45, Phase.DESIGN: 90, Phase.BUILD: 120, Phase.SUSTAIN: 180}


def schema_in_progress(phase: str, started: datetime.date, completed: bool = False) -> list[dict]:
    """INTERLINK's default schema with dates, and statuses that match the call's phase.

    Phases before ``phase`` are done; in the current one the first objective is done and
    the second under way; later phases are planned. A completed call has everything done.
    """
    order = [value for value, _label in Phase.choices]
    current = order.index(phase)
    schema = default_schema()
    start = started
    for position, block in enumerate(schema):
        length = PHASE_DAYS[Phase(block["value"]["phase"])]
        objectives = block["value"]["objectives"]
        step = max(length // max(len(objectives), 1), 7)
        for number, objective in enumerate(objectives):
            if completed or position < current:
                status = TaskStatus.DONE
            elif position == current:
                status = [TaskStatus.DONE, TaskStatus.IN_PROGRESS][min(number, 1)]
                status = status if number < 2 else TaskStatus.PLANNED
            else:
                status = TaskStatus.PLANNED
            objective_start = start + datetime.timedelta(days=number * step)
            for task in objective["tasks"]:
                task["status"] = str(status)
                task["start_date"] = objective_start.isoformat()
                task["end_date"] = (objective_start + datetime.timedelta(days=step)).isoformat()
        start += datetime.timedelta(days=length)
        block["id"] = str(uuid.uuid4())
    return schema
