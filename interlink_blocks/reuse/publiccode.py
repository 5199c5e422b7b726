"""Software assets as ``publiccode.yml`` (https://yml.publiccode.tools/, version 0.4).

Export writes the Italian/European public-software description from the asset's
metadata; import reads one (``yaml.safe_load`` only: no tags, no objects) into the
same metadata dict the reuse service takes, as a software asset.
"""

import uuid

import yaml
from django.utils.translation import gettext as _

from ..metadata import SPDX_NS, language_code, language_uri, licence_from_uri
from .errors import ReuseRefused

PUBLICCODE_NAME = "publiccode.yml"
PUBLICCODE_VERSION = "0.4"

# ADMS status (our maturity) ↔ publiccode developmentStatus.
_STATUS = {"concept": "concept", "pilot": "development", "tested": "beta", "mature": "stable"}
_MATURITY = {value: key for key, value in _STATUS.items()} | {"obsolete": "mature"}


class PubliccodeError(ReuseRefused):
    """The publiccode.yml cannot be read or lacks what a reuse needs."""


def metadata_to_publiccode(metadata: dict) -> str:
    """A publiccode.yml document (text) for a software asset's metadata."""
    languages = [language_code(uri) for uri in metadata.get("dct:language") or []]
    languages = [code for code in languages if code] or ["en"]
    summary = metadata.get("dct:description") or metadata.get("dct:title", "")
    licence = licence_from_uri(metadata.get("dct:license", ""))
    url = metadata.get("dct:source") or metadata.get("dcat:landingPage") or ""
    modified = (metadata.get("dct:modified") or "")[:10]
    document = {
        "publiccodeYmlVersion": PUBLICCODE_VERSION,
        "name": metadata.get("dct:title", ""),
        "url": url,
        "landingURL": metadata.get("dcat:landingPage") or url,
        "softwareVersion": metadata.get("owl:versionInfo") or "",
        "releaseDate": modified,
        "platforms": ["web"],
        "categories": [],
        "developmentStatus": _STATUS.get(metadata.get("adms:status"), "development"),
        "softwareType": "standalone/web",
        "description": {
            code: {"shortDescription": summary[:150], "longDescription": summary, "features": []}
            for code in languages
        },
        "legal": {"license": licence.spdx_id if licence else ""},
        "maintenance": {"type": "none"},
        "localisation": {"localisationReady": len(languages) > 1, "availableLanguages": languages},
        "it": {"countryExtensionVersion": "1.0"},
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _str(document: dict, key: str) -> str:
    value = document.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)):
        raise PubliccodeError(_("publiccode.yml: %(key)s must be text.") % {"key": key})
    return str(value)


def publiccode_to_metadata(text: str) -> dict:
    """Metadata (as ``page_metadata`` makes it) from a publiccode.yml text."""
    try:
        document = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError) as error:
        raise PubliccodeError(_("publiccode.yml is not valid YAML.")) from error
    if not isinstance(document, dict) or "publiccodeYmlVersion" not in document:
        raise PubliccodeError(_("This is not a publiccode.yml file."))
    name, url = _str(document, "name"), _str(document, "url")
    if not name or not url.startswith(("http://", "https://")):
        raise PubliccodeError(_("publiccode.yml needs a name and an http(s) url."))
    legal = document.get("legal") or {}
    descriptions = document.get("description") or {}
    if not isinstance(legal, dict) or not isinstance(descriptions, dict):
        raise PubliccodeError(_("publiccode.yml: legal and description must be mappings."))
    licence = licence_from_uri(_str(legal, "license"))
    if licence is None:
        raise PubliccodeError(
            _("publiccode.yml: unknown licence %(licence)s.") % {"licence": _str(legal, "license")}
        )
    languages = [code for code in descriptions if isinstance(code, str) and language_code(code)]
    first = descriptions.get(languages[0] if languages else next(iter(descriptions), ""), {})
    first = first if isinstance(first, dict) else {}
    summary = _str(first, "shortDescription") or _str(first, "longDescription")
    if not summary.strip():
        raise PubliccodeError(
            _("publiccode.yml needs a description (shortDescription or longDescription).")
        )
    landing = _str(document, "landingURL")
    return {
        "@type": "adms:Asset",
        "interlink:kind": "asset",
        # publiccode has no identifier; the repository URL names the software.
        "dct:identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}",
        "dct:title": name,
        "dct:description": summary[:600],
        "dct:type": "software",
        "dct:license": SPDX_NS + licence.spdx_id,
        "dct:language": [language_uri(code) for code in languages],
        "adms:status": _MATURITY.get(_str(document, "developmentStatus"), "pilot"),
        "owl:versionInfo": _str(document, "softwareVersion")[:30] or "1.0",
        "dct:source": url,
        "dcat:landingPage": landing if landing.startswith(("http://", "https://")) else url,
        "dct:publisher": {"foaf:name": ""},
    }
