"""Admin wiring only: URLs, the menu item, page header buttons, public page sections."""

from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from .. import fragments
from ..models import AssetPage, CallPage
from . import urls
from .models import Provenance, ProvenanceState
from .templatetags.interlink_reuse import reuse_context


@hooks.register("register_admin_urls")
def register_reuse_urls():
    return [path("reuse/", include(urls, namespace="interlink_reuse"))]


@hooks.register("register_admin_menu_item")
def register_reuse_menu_item():
    return MenuItem(_("Reuse"), reverse("interlink_reuse:index"), icon_name="copy", order=320)


@hooks.register("register_page_header_buttons")
def reuse_header_buttons(page, user, view_name, next_url=None):
    if not isinstance(page.specific_deferred, (AssetPage, CallPage)):
        return
    if not page.permissions_for_user(user).can_edit():
        return
    yield Button(
        _("Export reuse package"),
        reverse("interlink_reuse:export", args=[page.pk]),
        icon_name="download",
        priority=80,
    )
    if getattr(page.specific_deferred, "form", None) == "software":
        yield Button(
            _("Export publiccode.yml"),
            reverse("interlink_reuse:publiccode", args=[page.pk]),
            icon_name="code",
            priority=82,
        )
    provenance = Provenance.objects.filter(page_id=page.pk).first()
    if provenance and provenance.state == ProvenanceState.UPSTREAM_CHANGED:
        yield Button(
            _("Review changes at the origin"),
            reverse("interlink_reuse:compare", args=[provenance.pk]),
            icon_name="history",
            priority=81,
        )


def _render_section(request, page) -> str:
    context = reuse_context(page)
    if not context["provenance"] and not context["notices"]:
        return ""
    return render_to_string("interlink_reuse/includes/page_reuse.html", context, request=request)


def _section(request, page):
    # The same for every visitor: cached until the page or a reuse record changes.
    return fragments.cached_html(request, page, "reuse", lambda: _render_section(request, page))


hooks.register("interlink_asset_page_sections", _section)
hooks.register("interlink_call_page_sections", _section)
