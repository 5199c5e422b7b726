"""Content negotiation for ActivityStreams documents."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

ACTIVITY_JSON = "application/activity+json"
LD_JSON_AS = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


def wants_activity_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "").lower()
    return ACTIVITY_JSON in accept or "application/ld+json" in accept


def activity_response(request: HttpRequest, document: Any, status: int = 200) -> HttpResponse:
    """Answers in the flavour asked for: ld+json with the AS profile, else activity+json."""
    accept = request.headers.get("Accept", "").lower()
    content_type = (
        LD_JSON_AS
        if "application/ld+json" in accept and ACTIVITY_JSON not in accept
        else ACTIVITY_JSON
    )
    response = HttpResponse(json.dumps(document), content_type=content_type, status=status)
    response["Vary"] = "Accept"
    response["Access-Control-Allow-Origin"] = "*"
    return response
