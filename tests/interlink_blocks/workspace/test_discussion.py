"""Task discussions: plain text, mentions that notify, moderation by process admins, and
what observers, outsiders and removed members may do there."""

from django.core import mail
from django.urls import reverse

from interlink_blocks.workspace.models import Activity, Message, Task
from interlink_blocks.workspace.services import discussion, team


def thread(process, task):
    return reverse("interlink_workspace:discussion", args=[process.pk, task.pk])


def first_task(process):
    return Task.objects.filter(process=process).first()


def test_member_posts_plain_text_and_mention_mails_the_person(client, process, member):
    """Ensures that a message is stored as plain text (markup stripped, shown escaped) and that
    @Name mentions the member of that name, who gets a mail at once (the default)."""
    ana = member(process, "ana@example.org", name="Ana García")
    member(process, "anabel@example.org", name="Anabel")
    task = first_task(process)
    client.force_login(ana)
    mail.outbox.clear()
    body = '<script>alert(1)</script><b>Hi</b> @anabel, can you check the <a href="x">form</a>?'
    response = client.post(thread(process, task), {"body": body})
    assert response.status_code == 302
    message = Message.objects.get()
    assert "<" not in message.body and "Hi @anabel, can you check the form?" in message.body
    assert [m.name for m in message.mentions.all()] == ["Anabel"]
    assert [m.to for m in mail.outbox] == [["anabel@example.org"]]
    assert "Ana García" in mail.outbox[0].body and "can you check the form?" in mail.outbox[0].body
    assert f"#message-{message.pk}" in mail.outbox[0].body
    html = client.get(thread(process, task)).content.decode()
    assert "can you check the form?" in html and "<script>alert" not in html


def test_mentions_match_whole_names_with_spaces():
    """Ensures that the longest member name after @ wins and a name must end at a word
    boundary (@Ana does not mention Anabel; the author may mention a name with a space)."""

    class M:
        def __init__(self, pk, name):
            self.pk, self.name = pk, name

    people = [M(1, "Ana"), M(2, "Ana García"), M(3, "Anabel"), M(4, "Ben")]
    names = lambda text: sorted(m.name for m in discussion.find_mentions(text, people))  # noqa: E731
    assert names("@ana garcía and @Ben, @Anabelle no") == ["Ana García", "Ben"]
    assert names("@Ana, thanks; mail me@ben.org") == ["Ana"]
    assert names("nobody here") == []


def test_observer_reads_but_cannot_post(client, process, member):
    """Ensures that an observer sees the thread but a POST is refused (403) and stores nothing."""
    ana = member(process, "ana@example.org", name="Ana")
    obs = member(process, "obs@example.org", role="observer", name="Olga")
    task = first_task(process)
    discussion.post(task, team_access(process, ana), "Draft is ready")
    client.force_login(obs)
    html = client.get(thread(process, task)).content.decode()
    assert "Draft is ready" in html and 'name="body"' not in html
    assert client.post(thread(process, task), {"body": "me too"}).status_code == 403
    assert Message.objects.count() == 1


def team_access(process, user):
    from interlink_blocks.workspace.access import access_for

    return access_for(user, process)


def test_outsiders_and_removed_members_cannot_read_the_thread(client, process, member, call):
    """Ensures that a member of another process, an anonymous visitor and a member removed a
    moment ago never see a thread's messages."""
    from interlink_blocks.workspace.services import tree

    ana = member(process, "ana@example.org", name="Ana")
    task = first_task(process)
    discussion.post(task, team_access(process, ana), "Members-only words")
    other_call = call.get_parent().specific.add_child(
        instance=type(call)(title="Another call", slug="another", summary="x")
    )
    other = tree.open_process(other_call)
    stranger = member(other, "ben@example.org", name="Ben")
    url = thread(process, task)
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(stranger)
    response = client.get(url)
    assert response.status_code == 403 and "Members-only words" not in response.content.decode()
    client.force_login(ana)
    assert client.get(url).status_code == 200
    team.remove_member(ana.interlink_workspace_memberships.get(), None)
    response = client.get(url)
    assert response.status_code == 403 and "Members-only words" not in response.content.decode()


def test_admin_hides_with_reason_and_shows_again(client, process, member):
    """Ensures that only a process admin hides a message (a reason is required: 400 without),
    that the team then sees the reason instead of the text, that it is logged, and that
    showing it again restores it."""
    ana = member(process, "ana@example.org", name="Ana")
    boss = member(process, "boss@example.org", role="admin", name="Boss")
    task = first_task(process)
    message = discussion.post(task, team_access(process, ana), "Call me on 555 123")
    url = reverse("interlink_workspace:moderate_message", args=[process.pk, message.pk])
    client.force_login(ana)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "hide", "reason": "mine"}).status_code == 403
    client.force_login(boss)
    assert client.post(url, {"action": "hide", "reason": ""}).status_code == 400
    message.refresh_from_db()
    assert message.state == "visible"
    assert (
        client.post(url, {"action": "hide", "reason": "Personal phone number"}).status_code == 302
    )
    message.refresh_from_db()
    assert message.state == "hidden" and message.moderated_by == boss
    assert Activity.objects.filter(verb="message_hidden").exists()
    client.force_login(ana)
    html = client.get(thread(process, task)).content.decode()
    assert "Personal phone number" in html and "555 123" not in html
    client.force_login(boss)
    client.post(url, {"action": "show"})
    message.refresh_from_db()
    assert message.state == "visible"


def test_staff_moderate_without_a_membership(client, process, member, staff):
    """Ensures that Wagtail staff who may edit the call hide messages like process admins."""
    ana = member(process, "ana@example.org", name="Ana")
    message = discussion.post(first_task(process), team_access(process, ana), "Off topic")
    client.force_login(staff)
    url = reverse("interlink_workspace:moderate_message", args=[process.pk, message.pk])
    assert client.post(url, {"action": "hide", "reason": "Off topic"}).status_code == 302
    message.refresh_from_db()
    assert message.state == "hidden"


def test_reports_hide_a_message_at_the_threshold(client, process, member, settings):
    """Ensures that each member reports a message once, and that it is hidden automatically
    after participation's threshold of reports, awaiting an admin's review."""
    settings.PARTICIPATION_REPORTS_TO_HIDE = 2
    ana = member(process, "ana@example.org", name="Ana")
    task = first_task(process)
    message = discussion.post(task, team_access(process, ana), "Rude words")
    url = reverse("interlink_workspace:report_message", args=[process.pk, message.pk])
    ben = member(process, "ben@example.org", name="Ben")
    client.force_login(ben)
    client.post(url, {"reason": "rude"})
    client.post(url, {"reason": "rude again"})
    message.refresh_from_db()
    assert message.report_count == 1 and message.state == "visible"
    client.force_login(member(process, "cai@example.org", name="Cai"))
    client.post(url, {"reason": ""})
    message.refresh_from_db()
    assert message.state == "hidden" and "2 reports" in message.moderation_reason


def test_discussion_and_notifications_pages_speak_the_visitors_language(client, process, member):
    """Ensures that the new pages are translated in es, it and lv (the visitor's language)."""
    ana = member(process, "ana@example.org", name="Ana")
    client.force_login(ana)
    task = first_task(process)
    expected = {
        "es": ("Escribe al equipo", "En un resumen diario"),
        "it": ("Scrivi al team", "In un riepilogo giornaliero"),
        "lv": ("Raksti komandai", "Dienas kopsavilkumā"),
    }
    for language, (on_thread, on_settings) in expected.items():
        html = client.get(thread(process, task), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert on_thread in html, language
        url = reverse("interlink_workspace:notifications", args=[process.pk])
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert on_settings in html, language


def test_own_data_covers_messages_and_deleting_it_unnames_them(client, process, member):
    """Ensures that a person's data download lists their messages and notification choices,
    and that deleting their data (the mailed "my data" path) leaves their messages in the
    thread without their name."""
    import json

    from interlink_blocks.accounts.services import link_participant
    from interlink_blocks.workspace.services.team import forget_person

    ana = member(process, "ana@example.org", name="Ana Example")
    task = first_task(process)
    discussion.post(task, team_access(process, ana), "My own words")
    client.force_login(ana)
    data = json.loads(client.get(reverse("interlink_accounts:download")).content)
    (entry,) = data["workspace_memberships"]
    assert entry["messages"][0]["text"] == "My own words"
    assert entry["notifications"]["mention"] == "immediately"
    forget_person(link_participant(ana))
    message = Message.objects.get()
    assert message.author is None and message.author_user is None
    client.force_login(member(process, "ben@example.org", name="Ben"))
    html = client.get(thread(process, task)).content.decode()
    assert "My own words" in html and "Ana Example" not in html


def test_posts_over_the_budget_are_refused_with_429_and_kept_in_the_form(
    client, process, member, settings
):
    """Ensures that a member over WORKSPACE_MESSAGE_RATE_LIMITS["posts"] gets a 429 with
    Retry-After and a form error naming the wait, the message is neither stored nor mailed,
    and the text stays in the form; the budget is per account."""
    settings.WORKSPACE_MESSAGE_RATE_LIMITS = {"posts": (2, 3600), "mentions": (50, 3600)}
    ana = member(process, "ana@example.org", name="Ana")
    ben = member(process, "ben@example.org", name="Ben")
    task = first_task(process)
    client.force_login(ana)
    for text in ("one", "two"):
        assert client.post(thread(process, task), {"body": text}).status_code == 302
    mail.outbox.clear()
    response = client.post(thread(process, task), {"body": "three, @Ben"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    html = response.content.decode()
    assert "You have posted many messages in a short time" in html
    assert "three, @Ben</textarea>" in html and "<title>Error:" in html
    assert Message.objects.count() == 2 and mail.outbox == []
    client.force_login(ben)
    assert client.post(thread(process, task), {"body": "mine"}).status_code == 302


def test_mentions_over_the_budget_are_refused_each_mention_counted(
    client, process, member, settings
):
    """Ensures that every member mentioned counts against WORKSPACE_MESSAGE_RATE_LIMITS
    ["mentions"] (each can mail someone at once): over it the message is refused with 429
    and nobody is mailed, while a message without mentions still goes through."""
    settings.WORKSPACE_MESSAGE_RATE_LIMITS = {"posts": (50, 3600), "mentions": (3, 3600)}
    ana = member(process, "ana@example.org", name="Ana")
    member(process, "ben@example.org", name="Ben")
    member(process, "cleo@example.org", name="Cleo")
    task = first_task(process)
    client.force_login(ana)
    mail.outbox.clear()
    assert client.post(thread(process, task), {"body": "@Ben @Cleo see this"}).status_code == 302
    assert len(mail.outbox) == 2
    response = client.post(thread(process, task), {"body": "@Ben @Cleo again"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "each mention can send an e-mail" in response.content.decode()
    assert Message.objects.count() == 1 and len(mail.outbox) == 2
    assert client.post(thread(process, task), {"body": "no mentions"}).status_code == 302


def test_budget_error_is_translated(client, process, member, settings):
    """Ensures that the refusal is in the visitor's language (Latvian plural forms)."""
    settings.WORKSPACE_MESSAGE_RATE_LIMITS = {"posts": (0, 3600), "mentions": (50, 3600)}
    ana = member(process, "ana@example.org", name="Ana")
    client.force_login(ana)
    response = client.post(
        thread(process, first_task(process)), {"body": "sveiki"}, HTTP_ACCEPT_LANGUAGE="lv"
    )
    assert response.status_code == 429
    assert "Tu īsā laikā esi publicējis daudz ziņu" in response.content.decode()
