"""Serializers shared by the Wagtail API fields and the DRF API."""

from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from .choices import LICENCES

# The DRF endpoint of each linked page type (``interlink_api:<basename>-detail``).
API_BASENAMES = {"callpage": "call", "assetpage": "asset", "storypage": "story"}


class TaxonomySerializer(serializers.Serializer):
    """A sector, life event or governance model as ``{"slug", "name", "label"}``: ``name``
    as stored, ``label`` as a reader sees it (a seeded name in the request's language)."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    label = serializers.CharField(
        source="display_name",
        read_only=True,
        help_text="The name in the request's language (Accept-Language).",
    )


class LicenceInfoSerializer(serializers.Serializer):
    """How a licence is described in the APIs (for the OpenAPI schema)."""

    spdx_id = serializers.CharField(help_text="SPDX licence identifier, e.g. CC-BY-4.0.")
    name = serializers.CharField(required=False)
    url = serializers.CharField(required=False)
    allows_reuse = serializers.BooleanField(required=False)
    requires_attribution = serializers.BooleanField(required=False)


@extend_schema_field(LicenceInfoSerializer)
class LicenceSerializer(serializers.Field):
    """An SPDX id expanded with its name, URL and what it allows."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        licence = LICENCES.get(value)
        if licence is None:
            return {"spdx_id": value}
        return {
            "spdx_id": licence.spdx_id,
            "name": licence.label,
            "url": licence.url,
            "allows_reuse": licence.allows_reuse,
            "requires_attribution": licence.requires_attribution,
        }


class DocumentSerializer(serializers.Serializer):
    """A Wagtail document attached to an asset."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    file_size = serializers.IntegerField(read_only=True, source="get_file_size")


@extend_schema_field(OpenApiTypes.STR)
class RichTextHTMLField(serializers.Field):
    """Rich text as HTML, with internal page and document links expanded to their URLs.

    Wagtail stores links as ``<a linktype="page" id="…">``; API clients get ``href``s.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return expand_db_html(getattr(value, "source", value) or "")


class PageLinkSerializer(serializers.Serializer):
    """A linked call, asset or story a client can follow: by its UUID, its page or its API URL."""

    id = serializers.IntegerField(read_only=True, help_text="Wagtail page id (API v2).")
    uuid = serializers.UUIDField(read_only=True, help_text="Stable identity (API v1).")
    title = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The public page.")
    api_url = serializers.SerializerMethodField(help_text="Its detail in the DRF API, by UUID.")

    def get_url(self, page) -> str:
        return page.get_full_url(self.context.get("request"))

    def get_api_url(self, page) -> str | None:
        basename = API_BASENAMES.get(page._meta.model_name)
        try:
            path = reverse(f"interlink_api:{basename}-detail", kwargs={"uuid": page.uuid})
        except NoReverseMatch:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AssetImageSerializer(serializers.Serializer):
    """An image of an asset with the alt text its editor wrote."""

    id = serializers.IntegerField(read_only=True, source="image.id")
    title = serializers.CharField(read_only=True, source="image.title")
    alt = serializers.CharField(read_only=True, source="alt_text")
    caption = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The original image file.")
    width = serializers.IntegerField(read_only=True, source="image.width")
    height = serializers.IntegerField(read_only=True, source="image.height")

    def get_url(self, item) -> str:
        url = item.image.file.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
