"""Fixtures for reuse: a loopback file server, the guarded fetch, and an origin's metadata."""

import io
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from interlink_blocks.models import AssetIndexPage, CallIndexPage
from interlink_blocks.reuse.files import http_fetch


def png_bytes(colour="red") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return buffer.getvalue()


class FileServer:
    """Serves ``files`` (path → (body, content type)) on 127.0.0.1 and counts requests."""

    def __init__(self):
        self.files: dict[str, tuple[bytes, str]] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                body, content_type = server.files.get(self.path, (b"missing", "text/plain"))
                self.send_response(200 if self.path in server.files else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def file_server():
    server = FileServer()
    server.files["/files/blueprint.pdf"] = (b"%PDF-1.4 origin blueprint", "application/pdf")
    server.files["/files/map.png"] = (png_bytes(), "image/png")
    server.files["/files/photo.png"] = (png_bytes("blue"), "image/png")
    yield server
    server.close()


@pytest.fixture
def guarded_fetch(settings):
    """The federation's guarded client with the loopback exception (tests only)."""
    from interlink_federation.client import guarded_request

    settings.FEDERATION_ALLOW_LOOPBACK = True
    return http_fetch(guarded_request)


@pytest.fixture
def other_assets(home):
    """A second asset index: where the reusing administration puts its copy."""
    return home.add_child(instance=AssetIndexPage(title="Our assets", slug="our-assets"))


@pytest.fixture
def other_calls(home):
    return home.add_child(instance=CallIndexPage(title="Our calls", slug="our-calls"))


@pytest.fixture
def remote_asset(file_server):
    """The metadata an origin node sends for a CC BY asset with a document and two images."""

    def make(**overrides):
        data = {
            "@type": "adms:Asset",
            "interlink:kind": "asset",
            "dct:identifier": f"urn:uuid:{uuid.UUID(int=7)}",
            "dct:title": "Participatory budgeting toolkit",
            "dct:description": "Everything a district needs to run participatory budgeting.",
            "dct:publisher": {"foaf:name": "City of Origin"},
            "dct:license": "http://spdx.org/licenses/CC-BY-4.0",
            "dct:type": "guide",
            "dct:language": ["http://publications.europa.eu/resource/authority/language/ENG"],
            "adms:status": "tested",
            "owl:versionInfo": "3.0",
            "dct:modified": "2026-11-01T10:00:00+00:00",
            "dcat:landingPage": "http://127.0.0.1:9/assets/pb-toolkit/",
            "dcat:distribution": [
                {
                    "dct:title": "Toolkit (PDF)",
                    "dcat:downloadURL": file_server.url("/files/blueprint.pdf"),
                    "dcat:mediaType": "application/pdf",
                    "dcat:byteSize": 25,
                }
            ],
            "foaf:depiction": [
                {
                    "dct:title": "Process map",
                    "dcat:downloadURL": file_server.url("/files/map.png"),
                    "schema:description": "The five steps of the process",
                }
            ],
            "cv:sector": [{"interlink:slug": "democracy-participation"}],
            "interlink:body": [
                {"type": "heading", "value": {"text": "Steps", "level": "h2"}},
                {
                    "type": "paragraph",
                    "value": "<p>Start <b>early</b>.<script>alert(1)</script>"
                    '<a href="javascript:alert(1)">x</a></p>',
                },
                {
                    "type": "image",
                    "value": {
                        "image": {
                            "image": {
                                "interlink:ref": "image",
                                "url": file_server.url("/files/photo.png"),
                                "title": "Workshop",
                            },
                            "decorative": False,
                            "alt_text": "People around a table",
                        },
                        "caption": "A workshop",
                    },
                },
                {"type": "asset_card", "value": {"asset": {"interlink:ref": "page", "url": None}}},
            ],
        }
        data.update(overrides)
        return data

    return make


def stored_file_count(media_root) -> int:
    return sum(1 for path in media_root.rglob("*") if path.is_file()) if media_root.exists() else 0


def object_counts() -> tuple[int, int]:
    return get_document_model().objects.count(), get_image_model().objects.count()
