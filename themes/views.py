"""Error views rendered in the site's theme."""

import logging

from django.http import HttpResponseRedirect, HttpResponseServerError
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from .models import ThemeSettings

logger = logging.getLogger(__name__)

# A changed favicon shows within a day; browsers would otherwise ask on every page.
FAVICON_MAX_AGE = 24 * 60 * 60

# Used when even the themed template fails (e.g. the database is down): no queries, no
# template engine; the message catalogues are files, so it is still in the visitor's language.
PLAIN_500 = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head><body><main><h1>{heading}</h1>
<p>{text}</p>
<p><a href="/">{home}</a></p></main></body></html>"""


def plain_500() -> str:
    return PLAIN_500.format(
        lang=escape(get_language() or "en"),
        title=escape(_("Server error")),
        heading=escape(_("Something went wrong")),
        text=escape(
            _("Sorry, there was a problem on our side. Please try again in a few minutes.")
        ),
        home=escape(_("Go to the home page")),
    )


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """The 500 page in the site's theme and language; plain HTML if that cannot be rendered."""
    try:
        body = loader.render_to_string(template_name, {"request_path": request.path}, request)
    except Exception:  # the error page must never raise
        logger.exception("Themes: the themed 500 page failed; serving the plain one")
        body = plain_500()
    return HttpResponseServerError(body)


def favicon(request):
    """``/favicon.ico``, which browsers ask for on every site: the brand's favicon, else
    Interlink's. A redirect, so the picture itself is served (and cached) as any other file."""
    from .templatetags.interlink_themes_tags import favicon_url

    response = HttpResponseRedirect(favicon_url(ThemeSettings.for_request(request)))
    patch_cache_control(response, public=True, max_age=FAVICON_MAX_AGE)
    return response
