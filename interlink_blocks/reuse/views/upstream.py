"""The reuse overview, and an upstream change: review field by field, apply the chosen ones."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.pages import PagePermissionPolicy

from ..errors import ReuseError
from ..files import configured_fetch
from ..models import Provenance, ReuseNotice
from ..review import apply_upstream, dismiss_upstream, review_upstream, snapshot_token


def editable_pages(user):
    """Pages ``user`` may edit (Wagtail's page permissions: "change", or "add" and owner)."""
    return PagePermissionPolicy().instances_user_has_any_permission_for(user, {"change"})


class ReuseIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Pages we reused (with their state) and who reused ours, among pages the user may edit."""

    page_title = gettext_lazy("Reuse")
    header_icon = "copy"
    template_name = "interlink_reuse/admin/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pages = editable_pages(self.request.user).values("pk")
        context["provenances"] = Provenance.objects.select_related("page").filter(page__in=pages)
        context["notices"] = ReuseNotice.objects.select_related("page").filter(page__in=pages)
        return context


class UpstreamCompareView(WagtailAdminTemplateMixin, TemplateView):
    """What the origin changed; POST applies the chosen fields, or keeps our version."""

    page_title = gettext_lazy("Changes at the origin")
    header_icon = "history"
    template_name = "interlink_reuse/admin/compare.html"

    def dispatch(self, request, provenance_id):
        self.provenance = get_object_or_404(
            Provenance.objects.select_related("page"), pk=provenance_id
        )
        self.page = self.provenance.page.specific
        if not self.page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            context["changes"] = review_upstream(self.provenance, self.request)
        except ReuseError as error:
            context["changes"], context["error"] = [], str(error)
        context.update(
            provenance=self.provenance, page=self.page, token=snapshot_token(self.provenance)
        )
        return context

    def post(self, request):
        token = request.POST.get("token") or None  # the version the editor reviewed
        try:
            if "dismiss" in request.POST:
                dismiss_upstream(self.provenance, token=token)
                messages.success(request, _("Your version was kept; the origin's changes are "
                                            "marked as reviewed."))  # fmt: skip
                return redirect("wagtailadmin_pages:edit", self.page.pk)
            apply_upstream(
                self.provenance,
                user=request.user,
                fetch=configured_fetch(),
                chosen=request.POST.getlist("fields"),
                token=token,
            )
        except ReuseError as error:
            messages.error(request, str(error))
            return redirect("interlink_reuse:compare", self.provenance.pk)
        messages.success(
            request,
            _("The origin's changes were saved as a new draft of “%(title)s”. Review and publish "
              "it when ready.") % {"title": self.page.title},
        )  # fmt: skip
        return redirect("wagtailadmin_pages:edit", self.page.pk)
