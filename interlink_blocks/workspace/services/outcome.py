"""Closing the loop: when the Sustain phase is done, staff publish what the team built.

The chosen resources become reusable assets (``AssetPage``) whose provenance names the
process (publisher: the call's co-production team; related call; a sentence in the body),
published where the staff member may publish, so federation and search pick them up as they
do every published asset. A success story (``StoryPage``) is drafted from the process —
team, timeline, resources — and left as a draft for staff to edit and publish in Wagtail.
Nobody is named in the story: the team appears as numbers per team role.
"""

import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.coreutils import find_available_slug
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from interlink_blocks.choices import Phase
from interlink_blocks.participation.emails import call_language
from interlink_blocks.participation.models import TeamRole

from ..models import Process, Resource, ResourceKind, Verb, WorkStatus
from .log import record

logger = logging.getLogger(__name__)


def sustain_done(process: Process) -> bool:
    """The Sustain phase has tasks, and every one not dropped is done."""
    tasks = process.tasks.filter(objective__phase__kind=Phase.SUSTAIN).exclude(
        status=WorkStatus.DROPPED
    )
    counts = tasks.aggregate(total=Count("pk"), done=Count("pk", filter=Q(status=WorkStatus.DONE)))
    return counts["total"] > 0 and counts["total"] == counts["done"]


def publishable(process: Process):
    """Resources that can become assets: documents and working copies with a version,
    not published yet."""
    return (
        Resource.objects.filter(
            process=process,
            kind__in=[ResourceKind.UPLOAD, ResourceKind.ASSET],
            published_asset__isnull=True,
            versions__isnull=False,
        )
        .distinct()
        .select_related("task")
        .order_by("task__position", "name", "pk")
    )


def parents_for(user, model):
    """The index pages of ``model`` under which ``user`` may add pages (Wagtail's rules)."""
    return [
        page for page in model.objects.all() if page.permissions_for_user(user).can_add_subpage()
    ]


@dataclass
class Outcome:
    story: Any
    assets: list = field(default_factory=list)
    drafts: list = field(default_factory=list)  # assets left as drafts (no publish permission)


@transaction.atomic
def publish_outcome(
    process: Process, user, *, story_parent, asset_parent, resources, form: str, licence: str
) -> Outcome:
    """Publishes ``resources`` as assets under ``asset_parent`` and drafts the story under
    ``story_parent``. The caller checked that ``user`` may add pages under both."""
    call = process.call
    language = call_language(call)
    may_publish = asset_parent.permissions_for_user(user).can_publish_subpage()
    outcome = Outcome(story=None)
    with translation.override(language):
        for resource in resources:
            asset = _asset(process, resource, asset_parent, user, form, licence, language)
            revision = asset.save_revision(user=user, log_action=True)
            if may_publish:
                revision.publish(user=user)
            else:
                outcome.drafts.append(asset)
            Resource.objects.filter(pk=resource.pk).update(published_asset=asset)
            outcome.assets.append(asset)
        outcome.story = _story(process, story_parent, user, outcome.assets)
    process.story = outcome.story
    process.save(update_fields=["story"])
    record(
        process,
        user,
        Verb.OUTCOME_PUBLISHED,
        subject=outcome.story.title,
        assets=[a.title for a in outcome.assets],
    )
    logger.info("Process %s: outcome published (%d assets)", process.pk, len(outcome.assets))
    return outcome


def provenance(call) -> str:
    return _("Co-production team of “%(call)s”") % {"call": call.title}


def _asset(process, resource, parent, user, form, licence, language):
    from interlink_blocks.models import AssetDocument, AssetPage
    from interlink_blocks.models.assets import CONTENT_LANGUAGES

    call = process.call
    summary = resource.description.strip() or _(
        "Produced by the co-production team of “%(call)s” for the task “%(task)s”."
    ) % {"call": call.title, "task": resource.task.title}
    body = _(
        "This asset comes from the co-production process of the call “%(call)s”, where the team "
        "made it for the task “%(task)s”."
    ) % {"call": escape(call.title), "task": escape(resource.task.title)}
    link = f'<a linktype="page" id="{call.pk}">{escape(call.title)}</a>'
    asset = AssetPage(
        title=resource.name,
        slug=find_available_slug(parent, _slug(resource.name)),
        summary=summary[:600],
        form=form,
        licence=licence,
        languages=[language] if language in dict(CONTENT_LANGUAGES) else [],
        publisher=provenance(call)[:200],
        body=[("paragraph", RichText(f"<p>{body}</p><p>{link}</p>"))],
        live=False,
        owner=user,
    )
    asset.related_calls = [call]
    asset.sectors = list(call.sectors.all())
    asset.documents = [AssetDocument(document=_document(resource, user))]
    parent.add_child(instance=asset)
    return asset


def _document(resource, user):
    """A Wagtail document with the resource's latest version (copied: the private file
    stays where it is)."""
    version = resource.versions.order_by("-number").first()
    document = get_document_model()(title=resource.name[:255], uploaded_by_user=user)
    with version.file.open("rb") as handle:
        document.file.save(version.original_name, ContentFile(handle.read()), save=False)
    document.save()
    return document


def _story(process, parent, user, assets):
    from interlink_blocks.choices import CallStatus
    from interlink_blocks.models import StoryPage

    call = process.call
    title = _("How we co-produced “%(call)s”") % {"call": call.title}
    story = StoryPage(
        title=title[:255],
        slug=find_available_slug(parent, _slug(call.title)),
        summary=(
            _("The co-production team of “%(call)s” planned, built and handed over the service.")
            % {"call": call.title}
        )[:600],
        call=call if call.status == CallStatus.COMPLETED else None,
        results=_results(process, assets),
        live=False,
        owner=user,
    )
    story.produced_assets = list(assets)
    parent.add_child(instance=story)
    story.save_revision(user=user, log_action=True)
    return story


def _results(process, assets) -> list:
    blocks = [("heading", {"text": _("The team"), "level": "h2"})]
    roles = dict(TeamRole.choices)
    counts = (
        process.memberships.values("team_role").annotate(n=Count("pk")).order_by("-n", "team_role")
    )
    parts = [
        f"{row['n']} × {escape(roles.get(row['team_role'], _('team member')))}" for row in counts
    ]
    total = sum(row["n"] for row in counts)
    text = ngettext(
        "%(count)d person worked in the team: %(parts)s.",
        "%(count)d people worked in the team: %(parts)s.",
        total,
    ) % {
        "count": total,
        "parts": ", ".join(parts) or "—",
    }
    blocks.append(("paragraph", RichText(f"<p>{text}</p>")))
    blocks.append(("heading", {"text": _("Timeline"), "level": "h2"}))
    items = []
    for phase in process.phases.annotate(
        start=Min("objectives__tasks__start_date"),
        end=Max("objectives__tasks__end_date"),
        total=Count("objectives__tasks", filter=~Q(objectives__tasks__status=WorkStatus.DROPPED)),
        done=Count("objectives__tasks", filter=Q(objectives__tasks__status=WorkStatus.DONE)),
    ):
        dates = " – ".join(
            formats.date_format(d, "YEAR_MONTH_FORMAT") if d else "…"
            for d in (phase.start, phase.end)
        )
        figures = _("%(done)d of %(total)d tasks done") % {"done": phase.done, "total": phase.total}
        items.append(f"<li>{escape(phase.get_kind_display())}: {escape(dates)}, {figures}</li>")
    blocks.append(("paragraph", RichText(f"<ul>{''.join(items)}</ul>")))
    if assets:
        blocks.append(("heading", {"text": _("What the team produced"), "level": "h2"}))
        links = "".join(
            f'<li><a linktype="page" id="{a.pk}">{escape(a.title)}</a></li>' for a in assets
        )
        blocks.append(("paragraph", RichText(f"<ul>{links}</ul>")))
    return blocks


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text, allow_unicode=True)[:200] or "outcome"
