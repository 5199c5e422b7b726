"""Hook wiring only: the admin's "Open the workspace" button, the call page's progress, the
account page's list of teams, and the workspace's part of a person's data."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from interlink_blocks.models import CallPage
from interlink_blocks.participation.services.privacy import (
    DELETE_PERSONAL_DATA_HOOK,
    PERSONAL_DATA_HOOK,
)

from . import admin_views, sections
from .services import notify
from .services.team import forget_person


@hooks.register("register_admin_urls")
def workspace_admin_urls():
    urls = [
        path("open/<int:page_id>/", admin_views.open_call_process, name="open"),
        path("outcome/<int:process_id>/", admin_views.publish_outcome, name="outcome"),
    ]
    return [path("workspace/", (urls, "interlink_workspace_admin", "interlink_workspace_admin"))]


@hooks.register("register_page_header_buttons")
def call_workspace_button(page, user, view_name, next_url=None):
    if page.specific_class is not CallPage or page.pk is None:
        return
    process_id = sections.process_id_of(page)
    if process_id is not None:
        yield Button(
            _("Workspace"),
            url=reverse("interlink_workspace:overview", args=[process_id]),
            icon_name="group",
            priority=95,
        )
        if page.permissions_for_user(user).can_edit():
            yield Button(
                _("Publish the outcome"),
                url=reverse("interlink_workspace_admin:outcome", args=[process_id]),
                icon_name="upload",
                priority=96,
            )
    elif page.permissions_for_user(user).can_edit():
        yield Button(
            _("Open the co-production process"),
            url=reverse("interlink_workspace_admin:open", args=[page.pk]),
            icon_name="group",
            priority=95,
        )


hooks.register("interlink_call_page_plan", sections.call_plan)
hooks.register("interlink_account_sections", sections.account_teams)
hooks.register(PERSONAL_DATA_HOOK, sections.personal_data)
hooks.register(DELETE_PERSONAL_DATA_HOOK, forget_person)
# The daily send_participation_digest also sends the members' workspace digests.
hooks.register("interlink_daily_digest", notify.daily)
