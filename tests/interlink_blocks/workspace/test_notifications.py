"""Per-process e-mail notifications: each member chooses off / immediately / daily digest for
assignments, mentions, claims and status changes; the digest goes out through
``send_workspace_digest`` in the member's language."""

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from interlink_blocks.workspace.access import access_for
from interlink_blocks.workspace.models import (
    Membership,
    Notification,
    NotificationSettings,
    Task,
    WorkStatus,
)
from interlink_blocks.workspace.services import claims, discussion, notify, tree


def choose(client, process, language="en", **modes):
    data = {"assignment": "immediately", "mention": "immediately", "claim": "digest"}
    data.update({"status": "digest", "language": language, **modes})
    return client.post(reverse("interlink_workspace:notifications", args=[process.pk]), data)


def test_member_saves_choices_and_bad_values_are_refused(client, process, member):
    """Ensures that a member's choices are saved per process, and an unknown mode answers 400
    with nothing saved."""
    ana = member(process, "ana@example.org", name="Ana")
    client.force_login(ana)
    page = client.get(reverse("interlink_workspace:notifications", args=[process.pk]))
    assert page.status_code == 200 and "In a daily digest" in page.content.decode()
    assert choose(client, process, mention="loud").status_code == 400
    assert not NotificationSettings.objects.exists()
    assert choose(client, process, mention="off", language="es").status_code == 302
    prefs = notify.settings_of(Membership.objects.get(user=ana))
    assert prefs.mode("mention") == "off" and prefs.language == "es"


def test_assignment_now_status_in_digest_off_means_nothing(client, process, member):
    """Ensures that an assignment mails the assignee at once (never the person who made it),
    a status change goes into the assignee's digest, and "off" sends nothing."""
    ana = member(process, "ana@example.org", name="Ana")
    boss = member(process, "boss@example.org", role="admin", name="Boss")
    ana_m = Membership.objects.get(user=ana)
    boss_m = Membership.objects.get(user=boss)
    task = Task.objects.filter(process=process).first()
    mail.outbox.clear()
    tree.assign(task, [ana_m, boss_m], boss)
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert task.title in mail.outbox[0].body
    mail.outbox.clear()
    tree.update_task(task, boss, status=WorkStatus.IN_PROGRESS)
    assert mail.outbox == []
    assert Notification.objects.filter(membership=ana_m, kind="status", sent_at=None).count() == 1
    call_command("send_workspace_digest")
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert "In progress" in mail.outbox[0].body
    call_command("send_workspace_digest")
    assert len(mail.outbox) == 1  # sent once
    notify.save_settings(ana_m, {"status": "off", "assignment": "off"}, "")
    mail.outbox.clear()
    tree.update_task(task, boss, status=WorkStatus.DONE)
    tree.assign(task, [boss_m], boss)
    tree.assign(task, [boss_m, ana_m], boss)
    call_command("send_workspace_digest")
    assert mail.outbox == [] and not Notification.objects.filter(sent_at=None).exists()


def test_claims_notify_admins_and_the_claimant(process, member):
    """Ensures that a new claim reaches the process admins (digest by default) and the decision
    reaches the claimant."""
    ana = member(process, "ana@example.org", name="Ana")
    boss = member(process, "boss@example.org", role="admin", name="Boss")
    task = Task.objects.filter(process=process).first()
    item = claims.claim(Membership.objects.get(user=ana), task, "drafted")
    assert Notification.objects.get(kind="claim").membership.user == boss
    claims.decide(item, True, boss)
    assert Notification.objects.filter(kind="claim", membership__user=ana).count() == 1
    mail.outbox.clear()
    call_command("send_workspace_digest")
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "boss@example.org"]


def test_digest_is_written_in_the_members_language(process, member):
    """Ensures that the digest is in the language the member chose (Spanish here), and that a
    mention whose message was hidden since is left out."""
    ana = member(process, "ana@example.org", name="Ana")
    ben = member(process, "ben@example.org", name="Ben")
    ben_m = Membership.objects.get(user=ben)
    notify.save_settings(ben_m, {"mention": "digest", "status": "digest"}, "es")
    task = Task.objects.filter(process=process).first()
    tree.assign(task, [ben_m], ana)
    kept = discussion.post(task, access_for(ana, process), "@Ben mira el borrador")
    gone = discussion.post(task, access_for(ana, process), "@Ben secreto")
    discussion.hide(gone, "No", None)
    tree.update_task(task, ana, status=WorkStatus.DONE)
    mail.outbox.clear()
    call_command("send_workspace_digest")
    [digest] = mail.outbox
    assert "mira el borrador" in digest.body and "secreto" not in digest.body
    assert "Hecha" in digest.body or "Hecho" in digest.body, digest.body
    assert f"#message-{kept.pk}" in digest.body
    assert f"/workspace/{process.pk}/notifications/" in digest.body


def test_staff_without_membership_see_no_form(client, process, staff):
    """Ensures that staff (no place in the team) get an explanation, not a form, and POST
    saves nothing."""
    client.force_login(staff)
    url = reverse("interlink_workspace:notifications", args=[process.pk])
    html = client.get(url).content.decode()
    assert "without a place in the team" in html and 'name="mention"' not in html


def test_the_daily_participation_digest_sends_member_digests_once(process, member):
    """Ensures that the node's existing daily command (send_participation_digest) sends the
    members' workspace digests too, and that running send_workspace_digest after it mails
    nothing again."""
    ana = member(process, "ana@example.org", name="Ana")
    task = Task.objects.filter(process=process).first()
    tree.assign(task, [Membership.objects.get(user=ana)], None)
    tree.update_task(task, None, status=WorkStatus.DONE)
    mail.outbox.clear()
    call_command("send_participation_digest")
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    call_command("send_workspace_digest")
    assert len(mail.outbox) == 1
