"""Participation certificates: a signed-in person downloads one (PDF); anyone checks it at
the address printed on it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from interlink_blocks.participation.emails import absolute
from interlink_blocks.participation.models import Participant

from ..certificates import render_pdf
from ..models import Certificate, ClaimKind
from ..services.claims import issue_certificate


@login_required
@require_POST
def download(request):
    """Issues a certificate of what the person did, as it stands now, and sends it as a PDF."""
    from wagtail.models import Site

    participant = Participant.objects.filter(user=request.user).first()
    name = (participant.display_name if participant else "") or request.user.get_full_name()
    certificate = issue_certificate(request.user, name or request.user.get_username())
    site = Site.find_for_request(request)
    url = absolute(reverse("interlink_workspace:certificate", args=[certificate.uuid]))
    pdf = render_pdf(certificate, url, (site.site_name if site else "") or "Interlink")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="participation-certificate.pdf"'
    return response


def verify(request, uuid):
    """What a certificate stated, for anyone holding its address."""
    certificate = Certificate.objects.filter(uuid=uuid, revoked=False).first()
    if certificate is None:
        raise Http404
    labels = dict(ClaimKind.choices)
    entries = [
        {
            **entry,
            "contributions": [
                {**item, "label": labels.get(item["kind"], item["kind"])}
                for item in entry["contributions"]
            ],
        }
        for entry in certificate.content
    ]
    return render(
        request,
        "interlink_workspace/certificate.html",
        {"certificate": certificate, "entries": entries},
    )
