"""Task discussions (members post, observers read, admins moderate) and each member's
notification choices."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..forms import HideForm, MessageForm, NotificationsForm, ReportForm
from ..models import Message, MessageState, NotifyKind, Task
from ..services import discussion as service
from ..services import notify
from .common import forbidden, page, workspace_view


def _thread_url(process, message) -> str:
    url = reverse("interlink_workspace:discussion", args=[process.pk, message.task_id])
    return f"{url}#message-{message.pk}"


@workspace_view("view", post_needs="contribute")
def discussion(request, process, access, task_id):
    task = get_object_or_404(
        Task.objects.select_related("objective__phase"), process=process, pk=task_id
    )
    form = MessageForm(request.POST if request.method == "POST" else None)
    refused = None
    if form.is_bound and form.is_valid():
        try:
            message = service.post(task, access, form.cleaned_data["body"])
        except service.OverBudget as over:
            refused = over
            form.add_error("body", _over_budget_text(over))
        else:
            messages.success(request, _("Your message was posted."))
            return redirect(_thread_url(process, message))
    thread = Message.objects.filter(task=task).select_related("author", "author_user")
    response = page(
        request,
        "interlink_workspace/discussion.html",
        process,
        access,
        {"task": task, "thread": thread, "form": form, "hidden": MessageState.HIDDEN},
        [form],
    )
    if refused is not None:  # Too Many Requests: the message stays in the form to send later
        response.status_code = 429
        response["Retry-After"] = str(refused.retry_after)
    return response


def _over_budget_text(over) -> str:
    minutes = max(1, -(-over.retry_after // 60))
    if over.kind == "mentions":
        return ngettext(
            "You have mentioned many members in a short time, and each mention can send an "
            "e-mail. Please try again in %(minutes)d minute, or post without the @mentions.",
            "You have mentioned many members in a short time, and each mention can send an "
            "e-mail. Please try again in %(minutes)d minutes, or post without the @mentions.",
            minutes,
        ) % {"minutes": minutes}
    return ngettext(
        "You have posted many messages in a short time. Please try again in %(minutes)d minute.",
        "You have posted many messages in a short time. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


@workspace_view("manage")
def moderate(request, process, access, message_id):
    """GET: the hiding form; POST ``action=hide`` (with a reason) or ``action=show``."""
    message = get_object_or_404(
        Message.objects.select_related("task"), process=process, pk=message_id
    )
    action = request.POST.get("action")
    form = HideForm(request.POST if action == "hide" else None)
    if action == "show":
        service.show(message, request.user)
        messages.success(request, _("The message is visible again."))
        return redirect(_thread_url(process, message))
    if form.is_bound and form.is_valid():
        service.hide(message, form.cleaned_data["reason"], request.user)
        messages.success(request, _("The message was hidden."))
        return redirect(_thread_url(process, message))
    return page(
        request,
        "interlink_workspace/message_hide.html",
        process,
        access,
        {"message": message, "task": message.task, "form": form},
        [form],
    )


@workspace_view("view", post_needs="contribute")
def report(request, process, access, message_id):
    message = get_object_or_404(
        Message.objects.select_related("task"), process=process, pk=message_id
    )
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if access.membership is None:
            return forbidden(request, process, access)
        if form.is_valid():
            counted = service.report(message, access.membership, form.cleaned_data["reason"])
            messages.success(
                request,
                _("Thank you. The process admins will look at it.")
                if counted
                else _("You had already reported this message."),
            )
            return redirect(_thread_url(process, message))
    return page(
        request,
        "interlink_workspace/message_report.html",
        process,
        access,
        {"message": message, "task": message.task, "form": form},
        [form],
    )


@workspace_view("view")
def notifications(request, process, access):
    """A member's e-mail choices for this process (staff without a membership get none)."""
    if access.membership is None:
        return page(
            request, "interlink_workspace/notifications.html", process, access, {"form": None}
        )
    current = notify.settings_of(access.membership)
    form = NotificationsForm(
        request.POST if request.method == "POST" else None,
        current=current,
        language_choices=settings.LANGUAGES,
        initial={"language": current.language or translation.get_language()},
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        modes = {kind: data[kind] for kind in NotifyKind.values}
        notify.save_settings(access.membership, modes, data["language"])
        messages.success(request, _("Your choices were saved."))
        return redirect("interlink_workspace:notifications", process.pk)
    return page(
        request, "interlink_workspace/notifications.html", process, access, {"form": form}, [form]
    )
