"""Serving pages in the language their content is written in."""

from django.shortcuts import redirect
from wagtail import hooks

from interlink_blocks.language import split_language


@hooks.register("before_serve_page")
def serve_pages_under_their_own_language(page, request, serve_args, serve_kwargs):
    """A page asked for under another language's prefix goes to its own address.

    Wagtail serves ``/lv/calls/x/`` from the default-language tree when the site has no
    Latvian home page, which would show English text in a page marked ``lang="lv"`` (and
    read with Latvian rules). Redirecting to the page's own address keeps ``<html lang>``
    equal to the content's language; links never lead there, since they point at the
    page's translation or, failing that, at the page itself, marked with its language.
    """
    language, _path = split_language(request.path_info)
    if not language or page.locale.language_code.split("-")[0] == language:
        return None
    url = page.get_url(request)
    if not url or url.split("?")[0] == request.path:
        return None
    query = request.META.get("QUERY_STRING")
    return redirect(f"{url}?{query}" if query else url)
