"""Writing and reading the activity log."""

from django.utils.translation import gettext as _

from ..models import Activity, Process, Verb


def record(process: Process, actor, verb: str, *, task=None, subject: str = "", **data) -> Activity:
    """Logs a change and marks the process as updated (the call page's "last update")."""
    entry = Activity.objects.create(
        process=process,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        task=task,
        subject=subject[:200],
        data=data,
    )
    process.updated_at = entry.created_at
    Process.objects.filter(pk=process.pk).update(updated_at=entry.created_at)
    return entry


def label_actors(process: Process, entries) -> None:
    """Sets ``entry.actor_name`` on each entry: the name the team knows them by."""
    from ..models import Membership

    names = dict(Membership.objects.filter(process=process).values_list("user_id", "name"))
    for entry in entries:
        if entry.actor_id is None:
            entry.actor_name = (
                _("someone no longer on the site")
                if entry.verb != Verb.OPENED or entry.data
                else ""
            )
        else:
            entry.actor_name = names.get(entry.actor_id) or (
                entry.actor.get_full_name() or entry.actor.get_username()
            )
        entry.text = describe(entry)


def describe(entry: Activity) -> str:
    """The entry's change in the reader's language: the verb and the values it changed."""
    label = Verb(entry.verb).label if entry.verb in Verb.values else entry.verb
    details = []
    data = entry.data or {}
    if "status" in data:
        details.append(_("status: %(old)s → %(new)s") % _status_pair(data["status"]))
    if "title" in data:
        details.append(
            _("title: %(old)s → %(new)s") % {"old": data["title"][0], "new": data["title"][1]}
        )
    if "dates" in data:
        details.append(
            _("dates: %(dates)s") % {"dates": " – ".join(d or "…" for d in data["dates"])}
        )
    if "role" in data:
        details.append(_("role: %(role)s") % {"role": _role_label(data["role"])})
    if "assignees" in data:
        details.append(_("assigned to: %(names)s") % {"names": ", ".join(data["assignees"]) or "—"})
    text = str(label)
    if entry.subject:
        text = f"{text}: {entry.subject}"
    return f"{text} ({'; '.join(details)})" if details else text


def _status_pair(pair) -> dict:
    from ..models import WorkStatus

    old, new = pair
    return {
        "old": WorkStatus(old).label if old in WorkStatus.values else old,
        "new": WorkStatus(new).label if new in WorkStatus.values else new,
    }


def _role_label(value: str) -> str:
    from ..models import ProcessRole

    return str(ProcessRole(value).label) if value in ProcessRole.values else value
