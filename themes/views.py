"""Error views rendered in the site's theme."""

import logging

from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# Used when even the themed template fails (e.g. the database is down): no queries, no tags.
PLAIN_500 = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Server error</title></head><body><main><h1>Something went wrong</h1>
<p>Sorry, there was a problem on our side. Please try again in a few minutes.</p>
<p><a href="/">Go to the home page</a></p></main></body></html>"""


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """The 500 page in the site's theme and language; plain HTML if that cannot be rendered."""
    try:
        body = loader.render_to_string(template_name, {"request_path": request.path}, request)
    except Exception:  # the error page must never raise
        logger.exception("Themes: the themed 500 page failed; serving the plain one")
        body = PLAIN_500
    return HttpResponseServerError(body)
