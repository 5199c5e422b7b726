"""Signing in links the account to the participation record of its verified address."""

from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import services


@receiver(user_logged_in, dispatch_uid="interlink_accounts_link_on_login")
def link_on_login(sender, request, user, **kwargs):
    services.link_participant(user)


@receiver(email_confirmed, dispatch_uid="interlink_accounts_link_on_confirm")
def link_on_confirm(sender, request, email_address, **kwargs):
    services.link_participant(email_address.user)
