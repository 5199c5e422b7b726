"""Admin wiring only: participation snippets, bulk actions, dashboard panel, page section."""

from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from interlink_blocks.models import CallPage

from .admin import views as admin_views
from .admin.bulk_actions import (
    AcceptTeamRequests,
    ApproveContributions,
    DeclineTeamRequests,
    RejectContributions,
)
from .admin.forms import ContributionAdminForm, TeamRequestAdminForm
from .admin.panels import ParticipationPanel
from .admin.permissions import register as register_permission_policies
from .models import Contribution, Participant, Subscription, TeamRequest
from .sections import render_call_section

register_permission_policies()


class ContributionViewSet(SnippetViewSet):
    """The moderation queue: every call, filterable by state and call (a per-call queue)."""

    model = Contribution
    icon = "comment"
    menu_label = _("Moderation queue")
    list_display = [
        "__str__",
        "call",
        "kind",
        "state",
        "report_count",
        "answer_status",
        "created_at",
    ]
    list_filter = ["state", "call", "kind", "answer_status"]
    search_fields = ["title", "body", "author_name"]
    ordering = ["-created_at"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("call", read_only=True),
                    FieldPanel("kind"),
                    FieldPanel("title"),
                    FieldPanel("body"),
                    FieldPanel("author_name", read_only=True),
                ],
                heading=_("Contribution"),
            ),
            MultiFieldPanel(
                [FieldPanel("state"), FieldPanel("moderation_reason")],
                heading=_("Moderation"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("answer_status")]), FieldPanel("answer_text")],
                heading=_("Official answer (public, mailed to the author and subscribers)"),
            ),
        ],
        base_form_class=ContributionAdminForm,
    )


class TeamRequestViewSet(SnippetViewSet):
    """Requests to join a call's team; accepting or declining mails the person."""

    model = TeamRequest
    icon = "group"
    menu_label = _("Team requests")
    # A column of its own for the yes/no field: a plain one shows "True" and "False".
    list_display = [
        "__str__",
        "call",
        "role",
        "state",
        BooleanColumn("list_publicly", label=_("Listed on the call")),
        "created_at",
    ]
    list_filter = ["state", "call", "role"]
    edit_handler = ObjectList(
        [
            FieldPanel("call", read_only=True),
            FieldPanel("role", read_only=True),
            FieldPanel("motivation", read_only=True),
            FieldPanel("name", read_only=True),
            FieldPanel("list_publicly", read_only=True),
            FieldPanel("state"),
        ],
        base_form_class=TeamRequestAdminForm,
    )


def _data_links(participant):
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a>',
        reverse("interlink_participation_admin:download_data", args=[participant.pk]),
        _("Download data"),
        reverse("interlink_participation_admin:delete_data", args=[participant.pk]),
        _("Delete data"),
    )


class ParticipantViewSet(SnippetViewSet):
    """People who took part; staff download or delete their data on request."""

    model = Participant
    icon = "user"
    menu_label = _("Participants")
    list_display = [
        "__str__",
        "email",
        "email_confirmed_at",
        "last_active_at",
        Column("data", label=_("Personal data"), accessor=_data_links),
    ]
    search_fields = ["email", "display_name"]
    panels = [FieldPanel("display_name"), FieldPanel("email", read_only=True)]


class SubscriptionViewSet(SnippetViewSet):
    model = Subscription
    icon = "mail"
    menu_label = _("Subscriptions")
    list_display = ["participant", "call", "created_at"]
    list_filter = ["call"]
    panels = [FieldPanel("call", read_only=True), FieldPanel("participant", read_only=True)]


class ParticipationGroup(SnippetViewSetGroup):
    menu_label = _("Participation")
    menu_icon = "comment"
    menu_order = 250
    items = (ContributionViewSet, TeamRequestViewSet, ParticipantViewSet, SubscriptionViewSet)


register_snippet(ParticipationGroup)

for action in (ApproveContributions, RejectContributions, AcceptTeamRequests, DeclineTeamRequests):
    hooks.register("register_bulk_action", action)


@hooks.register("construct_homepage_panels")
def add_participation_panel(request, panels):
    if ParticipationPanel.is_shown_to(request.user):
        panels.append(ParticipationPanel())


@hooks.register("register_admin_urls")
def participation_admin_urls():
    urls = [
        path("participants/<int:pk>/data/", admin_views.download_data, name="download_data"),
        path("participants/<int:pk>/delete-data/", admin_views.delete_data, name="delete_data"),
    ]
    return [
        path(
            "participation/",
            (urls, "interlink_participation_admin", "interlink_participation_admin"),
        )
    ]


def _call_queue_button(page, user):
    """A call's own moderation queue, one click from the page in the admin."""
    if page.specific_class is not CallPage or not user.has_perm(
        "interlink_participation.change_contribution"
    ):
        return
    url = reverse("wagtailsnippets_interlink_participation_contribution:list")
    yield Button(_("Contributions"), url=f"{url}?call={page.pk}", icon_name="comment", priority=90)


@hooks.register("register_page_header_buttons")
def call_header_buttons(page, user, view_name, next_url=None):
    yield from _call_queue_button(page, user)


@hooks.register("register_page_listing_more_buttons")
def call_listing_buttons(page, user, next_url=None):
    yield from _call_queue_button(page, user)


@hooks.register("interlink_page_assets")
def participation_stylesheet(request, page):
    """The call section's stylesheet, in the page's ``extra_css`` block."""
    return ["interlink_participation/participation.css"] if isinstance(page, CallPage) else []


@hooks.register("interlink_call_page_sections")
def participation_section(request, page):
    if page.pk is None:  # a preview of a call not saved yet has no contributions
        return ""
    return render_call_section(request, page)
