"""Actors: our own (one per Wagtail Site) and the remote ones we have fetched."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import models
from django.utils.translation import gettext_lazy as _


class LocalActor(models.Model):
    """The ActivityPub identity of one Wagtail ``Site`` (an ``Organization``).

    Ids are derived from the site's root URL, so the Site's hostname and port must be the
    node's public address. The RSA key pair is generated on first use.
    """

    site = models.OneToOneField(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="interlink_actor"
    )
    username = models.SlugField(_("actor name"), max_length=64)
    summary = models.TextField(_("summary"), blank=True)
    manually_approves_followers = models.BooleanField(
        _("approve followers manually"),
        default=False,
        help_text=_("When on, new followers wait in the Followers list until approved."),
    )
    public_key_pem = models.TextField(editable=False)
    private_key_pem = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("node identity")
        verbose_name_plural = _("node identities")

    def __str__(self) -> str:
        return f"@{self.username}@{self.host}"

    @property
    def base_url(self) -> str:
        return self.site.root_url.rstrip("/")

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    @property
    def name(self) -> str:
        return self.site.site_name or self.username

    @property
    def actor_id(self) -> str:
        return f"{self.base_url}/ap/actor"

    @property
    def key_id(self) -> str:
        return f"{self.actor_id}#main-key"

    @property
    def inbox_url(self) -> str:
        return f"{self.base_url}/ap/inbox"

    @property
    def shared_inbox_url(self) -> str:
        return f"{self.base_url}/inbox"

    @property
    def outbox_url(self) -> str:
        return f"{self.base_url}/ap/outbox"

    @property
    def followers_url(self) -> str:
        return f"{self.base_url}/ap/followers"

    @property
    def following_url(self) -> str:
        return f"{self.base_url}/ap/following"

    def object_url(self, uuid: object) -> str:
        return f"{self.base_url}/ap/objects/{uuid}"

    def activity_url(self, uuid: object) -> str:
        return f"{self.base_url}/ap/activities/{uuid}"


class RemoteActor(models.Model):
    """An actor on another server, cached from its actor document (fetched by signed GET)."""

    uri = models.URLField(_("actor id"), max_length=500, unique=True)
    domain = models.CharField(
        _("server"),
        max_length=255,
        db_index=True,
        help_text=_("Host and, if not the default, port."),
    )
    username = models.CharField(_("name"), max_length=255, blank=True)
    name = models.CharField(_("display name"), max_length=500, blank=True)
    url = models.URLField(_("profile URL"), max_length=500, blank=True)
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    key_id = models.CharField(max_length=500, blank=True, db_index=True)
    public_key_pem = models.TextField(blank=True)
    document = models.JSONField(default=dict, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("remote actor")
        verbose_name_plural = _("remote actors")

    def __str__(self) -> str:
        if self.username:
            return f"@{self.username}@{self.domain}"
        return self.uri

    @property
    def display_name(self) -> str:
        return self.name or str(self)

    @property
    def delivery_inbox(self) -> str:
        """Shared inbox when the server has one, so one POST reaches all its followers."""
        return self.shared_inbox or self.inbox
