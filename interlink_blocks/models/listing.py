"""Index pages: filtered, paginated listings that work without JavaScript."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class FilteredIndexPage(Page):
    """A listing of its live, public children, narrowed by a FilterSet from the query string."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    page_size = 12
    child_model: type[Page]

    class Meta:
        abstract = True

    def get_filterset_class(self):
        return None

    def get_children_queryset(self):
        return self.child_model.objects.child_of(self).live().public()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = self.get_children_queryset()
        filterset_class = self.get_filterset_class()
        if filterset_class is not None:
            filterset = filterset_class(request.GET or None, queryset=items, request=request)
            # An invalid filter value shows the form's error and the unfiltered list.
            items = filterset.qs if filterset.is_bound and filterset.is_valid() else items
            context["filterset"] = filterset
        paginator = Paginator(items.distinct(), self.page_size)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        query = request.GET.copy()
        query.pop("page", None)
        context.update(items=page_obj, paginator=paginator, query_without_page=query.urlencode())
        return context
