"""Form data for Interlink pages, as the Wagtail admin's page editor posts it."""

import datetime

from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from interlink_blocks.blocks import default_schema


def list_block(items: list) -> dict:
    """A ListBlock's form data (Wagtail's ``count`` / ``N-value`` / ``N-order`` layout)."""
    data = {
        str(index): {"value": item, "deleted": "", "order": str(index), "id": ""}
        for index, item in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def schema_form_data(raw_schema: list[dict]) -> dict:
    """The co-production schema StreamField as posted by the editor."""
    phases = []
    for block in raw_schema:
        objectives = [
            {
                "title": objective["title"],
                "description": objective["description"],
                "tasks": list_block(
                    [
                        {
                            "title": task["title"],
                            "start_date": task["start_date"] or "",
                            "end_date": task["end_date"] or "",
                            "status": task["status"],
                        }
                        for task in objective["tasks"]
                    ]
                ),
            }
            for objective in block["value"]["objectives"]
        ]
        phases.append(
            ("phase", {"phase": block["value"]["phase"], "objectives": list_block(objectives)})
        )
    return streamfield(phases)


def call_form_data(body=(), **overrides) -> dict:
    """A valid open call, as an editor fills the add form (INTERLINK's default schema kept)."""
    today = timezone.localdate()
    data = {
        "title": "Redesign the home-care request service",
        "slug": "home-care-requests",
        "summary": "Help us make asking for home care simple for older residents.",
        "status": "open",
        "phase": "design",
        "opens_at": (today - datetime.timedelta(days=5)).isoformat(),
        "deadline": (today + datetime.timedelta(days=30)).isoformat(),
        "participant_types": ["citizens", "non_profits"],
        "how_to_contribute": rich_text("<p>Join a workshop at the community centre.</p>"),
        "governance_model": "",
        "place": "Whole city",
        "contact_name": "Elena Marchetti",
        "contact_email": "homecare@valmora.example",
        "contact_phone": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "body": streamfield(list(body)),
        "coproduction_schema": schema_form_data(default_schema()),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return _flatten(data)


def asset_form_data(documents=(), **overrides) -> dict:
    """A valid asset, with ``documents`` a list of Wagtail document ids to attach."""
    data = {
        "title": "Home-care service blueprint",
        "slug": "home-care-blueprint",
        "summary": "A service blueprint of requesting and receiving home care.",
        "form": "service_blueprint",
        "licence": "CC-BY-4.0",
        "version": "1.0",
        "maturity": "pilot",
        "difficulty": "medium",
        "administrative_scope": "local",
        "languages": ["en", "it"],
        "target_users": ["civil_servants"],
        "publisher": "City of Valmora",
        "source_url": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "body": streamfield([]),
        "documents": inline_formset([{"document": str(pk), "id": ""} for pk in documents]),
        "images": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return _flatten(data)


def _flatten(data: dict) -> dict:
    """nested_form_data, keeping multiple-choice lists as lists (checkbox values)."""
    multiple = {key: value for key, value in data.items() if _is_choice_list(value)}
    flat = nested_form_data({key: value for key, value in data.items() if key not in multiple})
    flat.update(multiple)
    return flat


def _is_choice_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
