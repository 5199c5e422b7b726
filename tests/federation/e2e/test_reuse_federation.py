"""Reuse over federation between two real nodes, as the origin and the reusing node see it.

Aurora publishes assets; Borealis follows Aurora and reuses them from its admin. Aurora does
not follow Borealis: it learns of the reuse only because Borealis addresses it.
"""

import html
import re

import pytest

from tests.support import federation as fed
from tests.support.nodes import wait_until

# One xdist worker runs every node test: they share one node factory (a template database).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("nodes")]

PROVENANCE = """
from interlink_blocks.models import AssetPage
from interlink_blocks.reuse.models import Provenance
p = Provenance.objects.filter(origin_object_id={uri!r}).first()
result = p and {{"state": p.state, "page_id": p.page_id,
                 "page_exists": AssetPage.objects.filter(pk=p.page_id).exists()}}
"""


@pytest.fixture(scope="module")
def pair(module_nodes):
    aurora, borealis = module_nodes("City of Aurora", "City of Borealis")
    fed.follow(borealis, aurora)
    return aurora, borealis


def catalogue_uri(node, title: str) -> str:
    code = (
        "from interlink_federation.models import RemoteObject\n"
        f"row = RemoteObject.objects.filter(name={title!r}, deleted_at__isnull=True).first()\n"
        "result = row.uri if row else None"
    )
    return wait_until(lambda: node.python(code), 20, 0.1, f"{title} in {node.name}'s catalogue")


def reuse(node, uri: str) -> int:
    """Borealis's staff press "Reuse in my site" and create the draft; returns its page id."""
    parent = node.python(
        "from interlink_blocks.models import AssetIndexPage\nresult = AssetIndexPage.objects.get().pk"
    )
    admin = node.admin()
    response = admin.post_form(
        "/admin/reuse/remote/?object=" + uri, {"parent": parent, "object": uri},
        allow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 302, response.status_code
    return node.python(PROVENANCE.format(uri=uri))["page_id"]


def test_origin_counts_reused_by(pair):
    """Ensures that when Borealis reuses Aurora's asset and publishes it, Aurora's public asset
    page shows "Reused by 1 administration" linking to Borealis's copy."""
    aurora, borealis = pair
    asset = aurora.publish_asset("Library opening-hours survey")
    uri = catalogue_uri(borealis, "Library opening-hours survey")
    item_pk = borealis.python(
        f"from interlink_federation.models import RemoteObject\nresult = RemoteObject.objects.get(uri={uri!r}).pk"
    )
    # The public catalogue page offers the reuse to logged-in staff only.
    assert "/admin/reuse/remote/" not in borealis.get(f"/federated/{item_pk}/").text
    assert "/admin/reuse/remote/" in borealis.admin().get(f"/federated/{item_pk}/").text

    page_id = reuse(borealis, uri)
    copy = borealis.republish(page_id)
    aurora_page = asset["url"].removeprefix(aurora.url)

    def reused_by() -> str | None:
        text = html.unescape(aurora.get(aurora_page).text)
        return text if "Reused by 1 administration" in text else None

    text = wait_until(reused_by, 20, 0.1, "Aurora's page counting Borealis's reuse")
    assert re.search(rf'href="{re.escape(copy["url"])}"', text)
    assert "City of Borealis" in text


def test_origin_delete_marks_reuse_withdrawn(pair):
    """Ensures that when Aurora deletes a reused asset, Borealis's reuse becomes "origin
    withdrawn" and Borealis's copy stays."""
    aurora, borealis = pair
    asset = aurora.publish_asset("Snow clearing priority map")
    uri = catalogue_uri(borealis, "Snow clearing priority map")
    page_id = reuse(borealis, uri)
    aurora.delete_page(asset["id"])
    query = PROVENANCE.format(uri=uri)
    wait_until(
        lambda: borealis.python(query)["state"] == "origin_withdrawn", 20, 0.1, "origin withdrawn"
    )
    row = borealis.python(query)
    assert row["page_id"] == page_id and row["page_exists"] is True
    listing = html.unescape(borealis.admin().get("/admin/reuse/").text)
    assert re.search(r"Snow clearing priority map.*?Origin withdrawn", listing, re.S)
