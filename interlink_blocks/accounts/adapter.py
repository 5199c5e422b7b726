"""django-allauth's adapter for Interlink (``ACCOUNT_ADAPTER``)."""

from allauth.account.adapter import DefaultAccountAdapter

from interlink_blocks.participation.tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """allauth's own sign-up form stays closed: accounts come from the sign-in by code
        (``forms.RequestCodeForm``), one page for new and known people alike."""
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Queues allauth's mails (sign-in codes) like every other mail: the request does not
        wait for the mail server, and the daily prune deletes them once sent."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        send_email.enqueue(message.subject, message.body, list(message.to), {})
