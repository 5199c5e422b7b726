"""Serializers shared by the Wagtail API fields and the DRF API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .choices import LICENCES


class TaxonomySerializer(serializers.Serializer):
    """A sector, life event or governance model as ``{"slug", "name"}``."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


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
