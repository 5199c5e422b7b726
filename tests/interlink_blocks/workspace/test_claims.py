"""Claims of contribution: acknowledgement, points by the admin's rule, opt-in leaderboard,
participation certificate (PDF) verifiable by its link."""

import re

from django.urls import reverse

from interlink_blocks.workspace.models import Certificate, Claim, Membership, Task


def claim(client, process, task, kind="drafted", note="First draft of the form"):
    return client.post(
        reverse("interlink_workspace:claim", args=[process.pk, task.pk]),
        {"kind": kind, "note": note, "resource": ""},
    )


def test_claim_acknowledge_and_points(client, process, member):
    """Ensures that a member claims a contribution, an admin acknowledges it, and the points
    come from the process's rule at that moment."""
    ana = member(process, "ana@example.org", name="Ana")
    boss = member(process, "boss@example.org", role="admin", name="Boss")
    task = Task.objects.filter(process=process).first()
    client.force_login(ana)
    assert claim(client, process, task).status_code == 302
    item = Claim.objects.get()
    assert item.state == "pending" and item.points == 0
    # Members cannot acknowledge their own claims.
    url = reverse("interlink_workspace:decide", args=[process.pk, item.pk])
    assert client.post(url, {"decision": "acknowledge"}).status_code == 403
    client.force_login(boss)
    client.post(
        reverse("interlink_workspace:claims", args=[process.pk]),
        {"action": "rule", "drafted": 8, "tested": 3, "reviewed": 2, "facilitated": 3, "other": 1},
    )
    client.post(url, {"decision": "acknowledge"})
    item.refresh_from_db()
    assert item.state == "acknowledged" and item.points == 8
    claim(client, process, task, kind="tested")
    declined = Claim.objects.get(kind="tested")
    client.post(
        reverse("interlink_workspace:decide", args=[process.pk, declined.pk]),
        {"decision": "decline"},
    )
    declined.refresh_from_db()
    assert declined.state == "declined" and declined.points == 0


def test_leaderboard_shows_only_members_who_agreed(client, process, member):
    """Ensures that points and names appear on the leaderboard only after the member opts in."""
    from interlink_blocks.workspace.services import claims as service

    ana = member(process, "ana@example.org", name="Ana Shown")
    member(process, "ben@example.org", name="Ben Hidden")
    task = Task.objects.filter(process=process).first()
    for who in Membership.objects.all():
        service.decide(service.claim(who, task, "drafted"), True, None)
    client.force_login(ana)
    url = reverse("interlink_workspace:leaderboard", args=[process.pk])
    html = client.get(url).content.decode()
    assert "Ana Shown" not in html and "Ben Hidden" not in html
    client.post(url, {"on_leaderboard": "on"})
    html = client.get(url).content.decode()
    assert "Ana Shown" in html and "5 points" in html and "Ben Hidden" not in html


def test_certificate_pdf_is_verifiable(client, process, member):
    """Ensures that a member downloads a PDF certificate listing their acknowledged
    contributions, with a link on the node that shows what it stated."""
    from interlink_blocks.workspace.services import claims as service

    ana = member(process, "ana@example.org", name="Ana")
    task = Task.objects.filter(process=process).first()
    service.decide(service.claim(Membership.objects.get(user=ana), task, "drafted"), True, None)
    client.force_login(ana)
    assert (
        "Download my participation certificate"
        in client.get(reverse("interlink_accounts:home")).content.decode()
    )
    response = client.post(reverse("interlink_workspace:certificate_download"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    certificate = Certificate.objects.get()
    assert certificate.content[0]["contributions"][0]["task"] == task.title
    client.logout()
    page = client.get(reverse("interlink_workspace:certificate", args=[certificate.uuid]))
    assert page.status_code == 200 and task.title in page.content.decode()
    assert (
        client.get(
            reverse(
                "interlink_workspace:certificate", args=["00000000-0000-0000-0000-000000000000"]
            )
        ).status_code
        == 404
    )


def test_pdf_text_names_the_verification_link(client, process, member):
    """Ensures that the PDF prints the public address where it can be checked."""
    import zlib

    client.force_login(member(process, "ana@example.org", name="Ana"))
    pdf = client.post(reverse("interlink_workspace:certificate_download")).content
    certificate = Certificate.objects.get()
    streams = re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S)
    text = b"".join(_inflate(zlib, s) for s in streams)
    assert str(certificate.uuid).encode() in text


def _inflate(zlib, data):
    """A PDF stream's bytes: ReportLab writes them Flate-compressed, often ASCII85-encoded."""
    import base64

    for decode in (
        lambda d: zlib.decompress(d),
        lambda d: zlib.decompress(base64.a85decode(d.strip(), adobe=d.strip().startswith(b"<~"))),
        lambda d: zlib.decompress(base64.a85decode(d.strip().removesuffix(b"~>"))),
    ):
        try:
            return decode(data)
        except (zlib.error, ValueError):
            continue
    return data
