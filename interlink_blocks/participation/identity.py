"""Who is taking part in this request: a signed-in account, or an address confirmed earlier
in this browser session (remembered after following a confirmation link)."""

from .models import Participant

SESSION_KEY = "interlink_participant"


def current_participant(request) -> Participant | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Participant.objects.for_user(user)
    participant_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if participant_id:
        participant = Participant.objects.filter(pk=participant_id).first()
        if participant and participant.is_confirmed:
            return participant
    return None


def remember(request, participant: Participant) -> None:
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = participant.pk
