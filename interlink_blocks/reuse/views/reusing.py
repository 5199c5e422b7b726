"""Reuse a remote object in my site ("Reuse in my site" from the federated catalogue)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ...metadata import MetadataError, metadata_kind
from ..errors import DuplicateReuse, ReuseError, ReuseRefused
from ..files import configured_fetch
from ..forms import ParentForm
from ..services import Origin, check_licence, existing_reuse, reuse_origin


def report_success(request, result):
    """Message and redirect to the new draft's editor after a reuse."""
    page = result.page
    messages.success(request, _("“%(title)s” was created as a draft. Review it before publishing.")
                     % {"title": page.title})  # fmt: skip
    if result.dropped_blocks:
        messages.warning(
            request,
            _("Some blocks could not be kept (they refer to the origin's own pages or are "
              "incomplete): %(blocks)s") % {"blocks": ", ".join(result.dropped_blocks)},
        )  # fmt: skip
    return redirect("wagtailadmin_pages:edit", page.pk)


def load_origin(object_id: str) -> Origin:
    """The remote object as federation's catalogue stores it (``INTERLINK_REUSE_ORIGIN_LOADER``)."""
    path = getattr(
        settings,
        "INTERLINK_REUSE_ORIGIN_LOADER",
        "interlink_blocks.reuse.remote.load_catalogue_origin",
    )
    loaded = import_string(path)(object_id)
    if loaded is None:
        raise Http404
    return loaded if isinstance(loaded, Origin) else Origin(**loaded)


class ReuseRemoteView(WagtailAdminTemplateMixin, FormView):
    """Licence and duplicate check, then a parent picker; POST creates the draft."""

    page_title = gettext_lazy("Reuse in my site")
    header_icon = "copy"
    template_name = "interlink_reuse/admin/reuse_remote.html"
    form_class = ParentForm

    def dispatch(self, request, *args, **kwargs):
        self.object_id = request.GET.get("object") or request.POST.get("object") or ""
        if not self.object_id:
            raise Http404
        self.origin = load_origin(self.object_id)
        try:
            self.kind = metadata_kind(self.origin.metadata)
        except MetadataError:
            self.kind = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "kind": self.kind}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        refusal, licence = None, None
        try:
            licence = check_licence(self.origin.metadata)
            if self.kind is None:
                raise ReuseRefused(_("This is neither an asset nor a call."))
        except ReuseRefused as error:
            refusal = str(error)
        earlier = existing_reuse(self.origin.metadata, self.origin.object_id)
        context.update(
            origin=self.origin,
            origin_title=self.origin.metadata.get("dct:title"),
            origin_description=self.origin.metadata.get("dct:description"),
            object_id=self.object_id,
            licence=licence,
            refusal=refusal,
            existing=earlier.page if earlier else None,
        )
        return context

    def form_valid(self, form):
        try:
            result = reuse_origin(
                self.origin,
                parent=form.cleaned_data["parent"],
                user=self.request.user,
                fetch=configured_fetch(),
            )
        except DuplicateReuse as error:
            messages.warning(self.request, str(error))
            return redirect("wagtailadmin_pages:edit", error.page.pk)
        except ReuseError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return report_success(self.request, result)


def reuse_url(object_id: str) -> str:
    """Where the catalogue's "Reuse in my site" button points for ``object_id``."""
    from urllib.parse import urlencode

    return reverse("interlink_reuse:reuse_remote") + "?" + urlencode({"object": object_id})
