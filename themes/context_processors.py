"""Template context for themed public pages."""

from wagtail.models import Site


def navigation(request):
    """The site's top-level pages shown in menus, for the header navigation."""
    site = Site.find_for_request(request)
    if site is None:
        return {"interlink_nav": []}
    current = request.path
    items = []
    for page in site.root_page.get_children().live().in_menu().public():
        url = page.get_url(request)
        items.append(
            {"title": page.title, "url": url, "active": bool(url) and current.startswith(url)}
        )
    return {"interlink_nav": items, "current_site": site}
