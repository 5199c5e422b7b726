"""Accepted team requests become members; signing in accepts invitations."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from interlink_blocks.participation.models import TeamRequest
from interlink_blocks.participation.signals import team_request_decided

from .services import team


@receiver(team_request_decided, sender=TeamRequest, dispatch_uid="workspace_team_request")
def on_team_request_decided(sender, team_request, accepted, **kwargs):
    team.team_request_decided(team_request, accepted)


@receiver(user_logged_in, dispatch_uid="workspace_accept_invitations")
def on_login(sender, request, user, **kwargs):
    team.accept_invitations(user)
