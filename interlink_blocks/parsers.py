"""DRF's JSON parser, bounded: a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413 and one
nested deeper than ``INTERLINK_JSON_MAX_DEPTH`` (``interlink_blocks.safejson``) a 400, both
before it is parsed. DRF reads JSON bodies from the request stream, past Django's own
size check (which guards ``request.body`` and forms only)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

from .safejson import TooDeep, check_depth


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "body_too_large"


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise BodyTooLarge()
        try:
            check_depth(body)
        except TooDeep as error:
            raise ParseError(str(error)) from error
        return super().parse(io.BytesIO(body), media_type, parser_context)


# What Interlink's write views accept: bounded JSON, and forms (Django bounds those).
PARSER_CLASSES = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
