"""Index pages: filtered, paginated listings that work without JavaScript."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page


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
        """Its live, public children; on a translated index, also the default language's
        children not translated yet, so a Spanish reader sees every call (the untranslated
        ones in English, which templates mark with ``lang_attr``)."""
        children = self.child_model.objects.live().public()
        own = Q(path__startswith=self.path, depth=self.depth + 1)
        source = self._source_index()
        if source is None:
            return children.filter(own)
        translated = self.child_model.objects.child_of(self).values("translation_key")
        untranslated = Q(path__startswith=source.path, depth=source.depth + 1) & ~Q(
            translation_key__in=translated
        )
        return children.filter(own | untranslated)

    def _source_index(self):
        """This index in the default language, when this one is a translation of it."""
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return None
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return None
        return self.get_translation_or_none(default)

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
