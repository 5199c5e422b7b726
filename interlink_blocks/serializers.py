"""Serializers shared by the Wagtail API fields and the DRF API."""

from rest_framework import serializers

from .choices import LICENCES


class TaxonomySerializer(serializers.Serializer):
    """A sector, life event or governance model as ``{"slug", "name"}``."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class LicenceSerializer(serializers.Field):
    """An SPDX id expanded with its name, URL and what it allows."""

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
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    file_size = serializers.IntegerField(read_only=True, source="get_file_size")
