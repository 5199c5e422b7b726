"""Admin URLs of the reuse workflow (mounted under /admin/reuse/ by wagtail_hooks)."""

from django.urls import path

from .views.packages import ImportPackageView, export_publiccode_view, export_view
from .views.reusing import ReuseRemoteView
from .views.upstream import ReuseIndexView, UpstreamCompareView

app_name = "interlink_reuse"

urlpatterns = [
    path("", ReuseIndexView.as_view(), name="index"),
    path("remote/", ReuseRemoteView.as_view(), name="reuse_remote"),
    path("import/", ImportPackageView.as_view(), name="import"),
    path("export/<int:page_id>/", export_view, name="export"),
    path("export/<int:page_id>/publiccode.yml", export_publiccode_view, name="publiccode"),
    path("provenance/<int:provenance_id>/", UpstreamCompareView.as_view(), name="compare"),
]
