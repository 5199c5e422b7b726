"""The reuse overview, and an upstream change: compare, then apply as a draft revision."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..errors import ReuseError
from ..files import configured_fetch
from ..models import Provenance, ReuseNotice
from ..upstream import apply_upstream, latest_draft, proposed_page


class ReuseIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Pages we reused (with their state) and who reused ours."""

    page_title = gettext_lazy("Reuse")
    header_icon = "copy"
    template_name = "interlink_reuse/admin/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["provenances"] = Provenance.objects.select_related("page")
        context["notices"] = ReuseNotice.objects.select_related("page")
        return context


def comparison(provenance, request):
    """Wagtail's field-by-field and block-by-block comparison: latest draft → origin's update."""
    current = latest_draft(provenance)
    proposed = proposed_page(provenance)
    panel = current.get_edit_handler().get_bound_panel(instance=current, request=request, form=None)
    diffs = [compare(current, proposed) for compare in panel.get_comparison()]
    return [diff for diff in diffs if diff.has_changed()]


class UpstreamCompareView(WagtailAdminTemplateMixin, TemplateView):
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
            context["comparison"] = comparison(self.provenance, self.request)
        except ReuseError as error:
            context["comparison"], context["error"] = [], str(error)
        context.update(provenance=self.provenance, page=self.page)
        return context

    def post(self, request):
        try:
            apply_upstream(self.provenance, user=request.user, fetch=configured_fetch())
        except ReuseError as error:
            messages.error(request, str(error))
            return redirect("interlink_reuse:compare", self.provenance.pk)
        messages.success(
            request,
            _("The origin's changes were saved as a new draft of “%(title)s”. Review and publish "
              "it when ready.") % {"title": self.page.title},
        )  # fmt: skip
        return redirect("wagtailadmin_pages:edit", self.page.pk)
