"""Export a page as a reuse package; import a package as a draft."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from ...metadata import page_metadata
from ...models import AssetPage, CallPage
from ..errors import DuplicateReuse, ReuseError
from ..forms import ImportPackageForm
from ..packages import export_package, import_package, package_limit
from ..publiccode import metadata_to_publiccode
from .reusing import report_success


def export_view(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if not isinstance(page, AssetPage | CallPage):
        raise Http404
    data = export_package(page)
    response = HttpResponse(data, content_type="application/zip")
    name = slugify(page.title) or "interlink"
    response["Content-Disposition"] = f'attachment; filename="{name}.interlink.zip"'
    return response


def export_publiccode_view(request, page_id):
    """A software asset's publiccode.yml on its own (it is also inside the package)."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if getattr(page, "form", None) != "software":
        raise Http404
    response = HttpResponse(
        metadata_to_publiccode(page_metadata(page)), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="publiccode.yml"'
    return response


class ImportPackageView(WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("Import a reuse package")
    header_icon = "download"
    template_name = "interlink_reuse/admin/form.html"
    form_class = ImportPackageForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        upload = form.cleaned_data["package"]
        if upload.size > package_limit("INTERLINK_PACKAGE_MAX_BYTES"):
            form.add_error("package", _("The package is larger than allowed."))
            return self.form_invalid(form)
        try:
            result = import_package(
                upload.read(), parent=form.cleaned_data["parent"], user=self.request.user
            )
        except DuplicateReuse as error:
            edit_url = reverse("wagtailadmin_pages:edit", args=[error.page.pk])
            messages.warning(self.request, str(error), buttons=[
                messages.button(edit_url, _("Open the existing draft"))])  # fmt: skip
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except ReuseError as error:
            form.add_error("package", str(error))
            return self.form_invalid(form)
        return report_success(self.request, result)
