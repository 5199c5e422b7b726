"""What every workspace view does first: find the process and check who is asking."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from ..access import access_for
from ..models import Process

NEEDS = {
    "view": lambda access: access.can_view,
    "contribute": lambda access: access.can_contribute,
    "manage": lambda access: access.can_manage,
}


def workspace_view(need: str = "view", post_needs: str | None = None):
    """Decorates ``view(request, process, access, **kwargs)``.

    Anonymous visitors are sent to sign in; signed-in people outside the team get a 403 page
    (the process's public progress is on the call page). ``post_needs`` is what a POST
    requires, when more than reading does.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, process_id, **kwargs):
            process = get_object_or_404(Process.objects.select_related("call"), pk=process_id)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_for(request.user, process)
            required = post_needs if request.method == "POST" and post_needs else need
            if not NEEDS["view"](access) or not NEEDS[required](access):
                return forbidden(request, process, access)
            return view(request, process, access, **kwargs)

        return wrapped

    return decorator


def forbidden(request, process, access):
    return render(
        request,
        "interlink_workspace/forbidden.html",
        {"process": process, "call": process.call, "access": access},
        status=403,
    )


def page(request, template: str, process, access, context: dict, forms=()) -> HttpResponse:
    """Renders a workspace page; 400 when a submitted form on it has errors."""
    status = 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200
    name = template.rsplit("/", 1)[-1].removesuffix(".html")
    section = {
        "task": "plan",
        "objective": "plan",
        "phase": "plan",
        "resource": "plan",
        "resource_add": "plan",
        "claim": "plan",
        "discussion": "plan",
        "message_hide": "plan",
        "message_report": "plan",
    }.get(name, name)
    return render(
        request,
        template,
        {"process": process, "call": process.call, "access": access, "section": section, **context},
        status=status,
    )
